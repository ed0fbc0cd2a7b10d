// The checker fuzzer inside `npm test`: every input it ever broke the checker with
// (test/fixtures/fuzz/) replayed through every target, a short bounded run, and proof that the
// fuzzer itself notices a throw, a range outside the document and an answer that changes.
// The long run is `npm run fuzz` (100,000 inputs; docs/testing.md).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSeeds } from '../fuzz/corpus';
import type { Seed } from '../fuzz/corpus';
import { checkInput, runFuzz } from '../fuzz/engine';
import type { Finding } from '../fuzz/engine';
import { generateInput } from '../fuzz/generate';
import { fingerprint, lineLengths, standardTargets } from '../fuzz/targets';
import type { FuzzTarget } from '../fuzz/targets';
import { REPO_ROOT } from './support/schemas';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'fuzz');
/** Fixed, so `npm test` is reproducible; FUZZ_SEED and FUZZ_COUNT explore further. */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : 20261201;
const COUNT = process.env.FUZZ_COUNT ? Number(process.env.FUZZ_COUNT) : 2000;

let targets: FuzzTarget[];
let seeds: Seed[];

before(async () => {
  targets = await standardTargets(REPO_ROOT);
  seeds = loadSeeds(REPO_ROOT);
});

function report(findings: readonly Finding[], seed: number): string {
  return findings
    .map((f) => `${f.signature}\n  input ${f.index} of seed ${seed} (${f.input.recipe.join(' → ')}); reproduce: npm run fuzz -- --seed ${seed} --start ${f.index} --count 1\n  ${f.violations.map((v) => v.message).join('\n  ')}`)
    .join('\n');
}

void describe('fuzz findings stay fixed (test/fixtures/fuzz)', () => {
  const files = readdirSync(FIXTURES).filter((f) => /\.(json|ya?ml)$/.test(f)).sort();

  void test('every fixture is listed in the README with what it found', () => {
    const readme = readFileSync(join(FIXTURES, 'README.md'), 'utf8');
    assert.deepEqual(files.filter((f) => !readme.includes(`\`${f}\``)), []);
  });

  for (const file of files) {
    void test(file, async () => {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      const kind = file.endsWith('.json') ? 'json' : 'yaml';
      // As its own kind, and as the other one: KrakenD picks the parser by file name.
      for (const k of [kind, kind === 'json' ? 'yaml' : 'json'] as const) {
        const violations = await checkInput({ kind: k, text, recipe: [file] }, targets);
        assert.deepEqual(violations, [], `${file} as ${k}`);
      }
    });
  }
});

void test(`a bounded fuzz run: ${COUNT} inputs of seed ${SEED}, no throw, every range inside the document, the same answer twice`, async () => {
  const r = await runFuzz({ seed: SEED, count: COUNT, seeds, targets });
  assert.equal(r.inputs, COUNT);
  assert.equal(r.findings.length, 0, report(r.findings, SEED));
  // The generator's mix reaches every strategy in a run this long.
  assert.deepEqual(Object.keys(r.strategies).sort(), ['nest', 'scratch', 'seed', 'text', 'tree', 'tree+text']);
});

void test('an input is a function of the seed and its number alone', () => {
  const a = generateInput(7, 123, seeds);
  const b = generateInput(7, 123, seeds);
  assert.deepEqual(a, b);
  const texts = new Set(Array.from({ length: 20 }, (_, i) => generateInput(7, i, seeds).text));
  assert.ok(texts.size > 15, `20 inputs gave only ${texts.size} distinct texts`);
});

void test('the seeds are every JSON and YAML fixture, in both kinds', () => {
  assert.ok(seeds.length > 100, `${seeds.length} seeds`);
  assert.ok(seeds.some((s) => s.kind === 'json') && seeds.some((s) => s.kind === 'yaml'));
  assert.ok(seeds.some((s) => s.name.startsWith('test/fixtures/fuzz/')), 'fuzz findings seed later runs');
});

void describe('the fuzzer catches each kind of failure', () => {
  const fake = (name: string, run: FuzzTarget['run']): FuzzTarget => ({ name, kinds: ['json', 'yaml'], run });
  const input = { kind: 'json' as const, text: '{\r\n"a": 1\r\n}', recipe: ['hand-made'] };

  void test('a throw', async () => {
    const v = await checkInput(input, [fake('thrower', () => { throw new TypeError('boom'); })]);
    assert.deepEqual(v.map((x) => [x.target, x.kind]), [['thrower', 'throw']]);
    assert.match(v[0]!.message, /TypeError: boom/);
  });

  void test('ranges past the line, past the last line, and backwards; a span past the text; an unknown code', async () => {
    const d = (sl: number, sc: number, el: number, ec: number, code = 'json/syntax') => ({ code, severity: 'error', message: 'm', range: { start: { line: sl, character: sc }, end: { line: el, character: ec } } });
    for (const [diag, kind] of [
      [d(0, 0, 0, 2), 'range'], // line 0 is `{`, one unit: the \r is not part of it
      [d(3, 0, 3, 0), 'range'],
      [d(1, 3, 1, 1), 'range'],
      [d(0, 0, 0, 0, 'no/such-code'), 'code'],
    ] as const) {
      const v = await checkInput(input, [fake('bad', () => ({ output: 1, diagnostics: [diag] as never }))]);
      assert.deepEqual(v.map((x) => x.kind), [kind], JSON.stringify(diag));
    }
    const span = await checkInput(input, [fake('bad', () => ({ output: 1, spans: [{ offset: 10, length: 5 }] }))]);
    assert.deepEqual(span.map((x) => x.kind), ['span']);
    const fine = await checkInput(input, [fake('good', () => ({ output: 1, diagnostics: [d(0, 0, 2, 1)] as never, spans: [{ offset: 0, length: input.text.length }] }))]);
    assert.deepEqual(fine, []);
  });

  void test('a second run that answers differently', async () => {
    let n = 0;
    const v = await checkInput(input, [fake('flaky', () => ({ output: { n: n++ } }))]);
    assert.deepEqual(v.map((x) => x.kind), ['nondeterministic']);
  });

  void test('a fuzz run reports a target that fails on some inputs, with the input that shows it', async () => {
    const r = await runFuzz({ seed: 1, count: 50, seeds, targets: [fake('picky', (i) => { if (i.text.includes('"')) throw new Error('a quote'); return { output: null }; })] });
    assert.equal(r.findings.length, 1);
    assert.ok(r.findings[0]!.input.text.includes('"'));
  });
});

void test('line lengths follow LSP line ends, and fingerprints survive 10,000 levels', () => {
  assert.deepEqual(lineLengths('ab\r\nc\rd\n\re'), [2, 1, 1, 0, 1]);
  let deep: unknown = 1;
  for (let i = 0; i < 10_000; i++) deep = [deep];
  assert.equal(fingerprint(deep).split('[').length - 1, 10_000);
  assert.notEqual(fingerprint({ a: [1] }), fingerprint({ a: [2] }));
  assert.notEqual(fingerprint({ a: 1 }), fingerprint({ b: 1 }));
});

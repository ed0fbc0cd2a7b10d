// The tolerant JSON reader: on valid JSON it builds exactly the strict parser's tree; on broken
// JSON it never throws and keeps what is there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ValueNode } from '../../server/src/core/ast';
import { toValue } from '../../server/src/core/ast';
import { parseJson } from '../../server/src/core/parseJson';
import { isMissing, parseJsonLoose } from '../../server/src/core/intel/looseJson';
import { generateConfig } from '../../bench/support/generate';

/** The tree without the reader's own marks, for comparing with the strict parser's. */
function plain(n: ValueNode): unknown {
  switch (n.kind) {
    case 'object':
      return { kind: n.kind, offset: n.offset, length: n.length, properties: n.properties.map((p) => ({ offset: p.offset, length: p.length, key: plain(p.key), value: plain(p.value) })) };
    case 'array':
      return { kind: n.kind, offset: n.offset, length: n.length, items: n.items.map(plain) };
    case 'number':
      return { kind: n.kind, offset: n.offset, length: n.length, value: n.value, raw: n.raw };
    case 'null':
      return { kind: n.kind, offset: n.offset, length: n.length };
    default:
      return { kind: n.kind, offset: n.offset, length: n.length, value: n.value };
  }
}

const fixtures = join(__dirname, '..', 'fixtures');

test('on every valid JSON fixture and a generated config, the tree equals the strict parser\'s', () => {
  const texts: [string, string][] = [['generated 50 endpoints', generateConfig(50)]];
  for (const dir of ['parse', 'realistic', 'decode', 'schema', 'rules']) {
    for (const f of readdirSync(join(fixtures, dir))) if (f.endsWith('.json')) texts.push([`${dir}/${f}`, readFileSync(join(fixtures, dir, f), 'utf8')]);
  }
  let compared = 0;
  for (const [name, text] of texts) {
    const strict = parseJson(text);
    if (!strict.root || strict.problems.some((p) => p.code === 'json/syntax')) continue;
    const loose = parseJsonLoose(text);
    assert.ok(loose, name);
    assert.deepEqual(plain(loose), plain(strict.root), name);
    compared++;
  }
  assert.ok(compared >= 10, `only ${compared} valid JSON fixtures compared`);
});

test('broken JSON: missing values, colons, commas and closers are tolerated', () => {
  const root = parseJsonLoose('{ "a": , "b" "c": 1 "d": [1 2,, 3], "e": { "f": "open\n  } ');
  assert.ok(root?.kind === 'object');
  const keys = root.properties.map((p) => p.key.value);
  assert.deepEqual(keys, ['a', 'b', 'c', 'd', 'e']);
  assert.ok(isMissing(root.properties[0]!.value));
  assert.ok(isMissing(root.properties[1]!.value));
  assert.deepEqual(toValue(root.properties[3]!.value), [1, 2, 3]);
  const e = root.properties[4]!.value;
  assert.ok(e.kind === 'object');
  assert.equal(e.properties[0]!.value.kind === 'string' && e.properties[0]!.value.value, 'open');
});

test('a key right after a colon is the next property, not the value', () => {
  const root = parseJsonLoose('{\n  "method": \n  "endpoint": "/a"\n}');
  assert.ok(root?.kind === 'object');
  assert.deepEqual(root.properties.map((p) => p.key.value), ['method', 'endpoint']);
  assert.ok(isMissing(root.properties[0]!.value));
});

test('stray closers and deep nesting never throw', () => {
  for (const text of ['}', ']]]', '{ ] }', '[ } ]', '{"a": [}', `${'['.repeat(20_000)}`, `${'{"a":'.repeat(5_000)}`, '"', '{"\\u12', '/* open', '// only']) {
    assert.doesNotThrow(() => parseJsonLoose(text), text.slice(0, 20));
  }
});

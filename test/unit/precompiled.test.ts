// Precompiled validators (Ajv standalone code): they must find exactly what the validator
// compiled in the process finds, and the store keeps and reuses them only for the schema text
// they were made from. The build's own dist/bundledValidator.js is compared in test/lsp/cli.test.ts.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { parseConfig } from '../../server/src/core/parse';
import { compileSchema, compiledFrom } from '../../server/src/core/schema/compile';
import type { CompiledSchema } from '../../server/src/core/schema/compile';
import { lint } from '../../server/src/core/schema/lint';
import { SchemaLinting } from '../../server/src/core/schema/prepare';
import type { SchemaSourceResult } from '../../server/src/core/schema/prepare';
import { formatOf } from '../../server/src/core/types';
import { evaluateStandalone, loadBundledValidator, loadPrecompiled, precompiledHeader, standaloneLoadable } from '../../server/src/node/precompiled';
import { BUNDLED_SCHEMA_ID, SchemaStore } from '../../server/src/node/schemaStore';
import { generateConfig } from '../../bench/support/generate';
import { REPO_ROOT, UPSTREAM_V2_13 } from './support/schemas';

const URL_213 = 'https://www.krakend.io/schema/v2.13/krakend.json';
const OFFLINE = { url: '', download: false, allowedHosts: ['www.krakend.io'] };

function fixtures(dir: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...fixtures(path));
    else if (['.json', '.yaml', '.yml'].includes(extname(name))) out.push({ name: path.slice(REPO_ROOT.length + 1), text: readFileSync(path, 'utf8') });
  }
  return out;
}

interface Pair {
  readonly compiled: CompiledSchema;
  readonly precompiled: CompiledSchema;
  readonly code: string;
}

const pairs = new Map<string, Pair>();

before(async () => {
  for (const [name, url, path] of [['bundled', BUNDLED_SCHEMA_ID, join(REPO_ROOT, 'schemas', 'krakend.json')], ['v2.13', URL_213, UPSTREAM_V2_13]] as const) {
    const schema = JSON.parse(readFileSync(path, 'utf8')) as object;
    const compiled = await compileSchema(url, schema, undefined, undefined, { standalone: true });
    assert.ok(compiled.standalone, `${name}: no standalone code`);
    const precompiled = compiledFrom(url, compiled.dialect, evaluateStandalone(compiled.standalone, `${name}.validator.js`), 0, true);
    pairs.set(name, { compiled, precompiled, code: compiled.standalone });
  }
});

void describe('a precompiled validator finds what the compiled one finds', () => {
  const inputs = [
    ...fixtures(join(REPO_ROOT, 'test', 'fixtures')),
    { name: 'generated, 100 endpoints', text: generateConfig(100) },
    // Deprecated in both schemas (no fixture has the v2.13 ones).
    { name: 'deprecated.json', text: JSON.stringify({ version: 3, allow_insecure_connections: true, extra_config: { 'telemetry/opencensus': { exporters: {} }, 'plugin/http-server': { name: ['virtualhost'], virtualhost: { hosts: ['a'] } } } }) },
  ];
  for (const name of ['bundled', 'v2.13']) {
    void test(`${name} schema, on every fixture that parses`, () => {
      const { compiled, precompiled } = pairs.get(name)!;
      let linted = 0;
      const codes = new Set<string>();
      for (const f of inputs) {
        const root = parseConfig(f.text, formatOf(f.name)).root;
        if (!root) continue;
        linted++;
        const expected = lint(root, compiled);
        assert.deepEqual(lint(root, precompiled), expected, f.name);
        for (const p of expected) codes.add(p.code);
      }
      assert.ok(linted > 60, `only ${linted} fixtures parsed`);
      // The comparison covers the paths that matter: plain errors, oneOf collapsing, and the
      // `deprecated` sink that generated code writes through `this`.
      for (const code of ['schema/additional-property', 'schema/required', 'schema/type', 'schema/deprecated']) assert.ok(codes.has(code), `no ${code} among ${[...codes].join(', ')}`);
    });
  }

  void test('the generated code needs only the Ajv helpers the loader provides', () => {
    for (const [name, { code }] of pairs) assert.ok(standaloneLoadable(code), name);
    assert.equal(standaloneLoadable('const u = require("ajv/dist/runtime/uri").default;'), false);
    assert.throws(() => evaluateStandalone('module.exports = 42;', 'x.js'), /does not export a validate function/);
  });
});

void test('a precompiled file is used only with the schema text, format and Ajv version it was made for', () => {
  const { code } = pairs.get('bundled')!;
  const text = readFileSync(join(REPO_ROOT, 'schemas', 'krakend.json'), 'utf8');
  const file = precompiledHeader(text) + code;
  assert.equal(typeof loadPrecompiled('f.js', file, text).validate, 'function');
  const other = loadPrecompiled('f.js', file, `${text} `);
  assert.equal(other.validate, undefined);
  assert.match(other.reason ?? '', /another schema text/);
  assert.equal(loadPrecompiled('f.js', file.replace(/format \d+/, 'format 0'), text).validate, undefined);
  assert.equal(loadPrecompiled('f.js', file.replace(/ajv [\d.]+/, 'ajv 0.0.1'), text).validate, undefined);
  assert.match(loadPrecompiled('f.js', `${precompiledHeader(text)}this is not javascript(`, text).reason ?? '', /./);
});

void test('outside the bundles there is no dist/bundledValidator.js next to the module: the bundled schema is compiled', () => {
  assert.equal(loadBundledValidator({}), undefined);
});

/** A store that lets the test await the validator files it writes in the background. */
class RecordingStore extends SchemaStore {
  readonly kept: Promise<void>[] = [];
  override keepPrecompiled(result: SchemaSourceResult, code: string): Promise<void> {
    const p = super.keepPrecompiled(result, code);
    this.kept.push(p);
    return p;
  }
}

void describe('the store keeps a cached schema’s validator next to it', () => {
  // A small schema with a deprecated property and a required one, so the lint has something to say.
  const schema = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', required: ['version'], properties: { version: { const: 3 }, old: { deprecated: true } } };
  const doc = `{"$schema": "${URL_213}", "old": 1}`;
  const root = parseConfig(doc, 'json').root!;
  const noFetch = () => Promise.reject(new Error('no network in tests'));

  void test('first use compiles and keeps it; the next process loads it instead of compiling; the problems are the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krakend-live-precompiled-'));
    const first = new RecordingStore({ storageDir: dir, fetch: noFetch, bundledValidator: null });
    writeFileSync(first.cachePath(URL_213), JSON.stringify(schema));
    const got = await first.get(URL_213, OFFLINE);
    assert.equal(got.origin, 'cache');
    assert.equal(got.precompiled, undefined);
    assert.equal(got.keepsPrecompiled, true);
    const linting = new SchemaLinting(first);
    const a = await linting.prepare(root, OFFLINE);
    // idle() is what the CLI waits for before it exits: the file must be there after it.
    await linting.idle();
    assert.equal(first.kept.length, 1);
    // Every later check in the same process reuses the compiled validator and writes nothing
    // (the language server checks on every save: rewriting 2 MB of v2.13 code each time was a
    // fuzz run's slowest inputs).
    for (let i = 0; i < 3; i++) await linting.prepare(root, OFFLINE);
    await linting.idle();
    assert.equal(first.kept.length, 1, 'the validator was kept again');
    const kept = readFileSync(first.precompiledPath(URL_213), 'utf8');
    assert.ok(kept.startsWith(precompiledHeader(JSON.stringify(schema))), kept.slice(0, 200));
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);

    const second = new RecordingStore({ storageDir: dir, fetch: noFetch, bundledValidator: null });
    const again = await second.get(URL_213, OFFLINE);
    assert.equal(typeof again.precompiled, 'function');
    const b = await new SchemaLinting(second).prepare(root, OFFLINE);
    assert.equal(second.kept.length, 0, 'nothing to keep: it was loaded');
    assert.deepEqual(b.lint!(root), a.lint!(root));
    assert.deepEqual(a.lint!(root).map((p) => p.code).sort(), ['schema/deprecated', 'schema/required']);
  });

  void test('a kept validator made from another text of the schema is not used, and is replaced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krakend-live-precompiled-'));
    const logs: string[] = [];
    const s = new RecordingStore({ storageDir: dir, fetch: noFetch, bundledValidator: null, log: (m) => logs.push(m) });
    writeFileSync(s.cachePath(URL_213), JSON.stringify(schema));
    // Made from a schema that allowed everything: if it were used, the lint would find nothing.
    const stale = await compileSchema(URL_213, { type: 'object' }, undefined, undefined, { standalone: true });
    writeFileSync(s.precompiledPath(URL_213), precompiledHeader(JSON.stringify({ type: 'object' })) + stale.standalone!);
    const prepared = await new SchemaLinting(s).prepare(root, OFFLINE);
    assert.deepEqual(prepared.lint!(root).map((p) => p.code).sort(), ['schema/deprecated', 'schema/required']);
    assert.ok(logs.some((l) => /not using .*validator\.js: it was made from another schema text/.test(l)), logs.join('\n'));
    await Promise.all(s.kept);
    assert.ok(readFileSync(s.precompiledPath(URL_213), 'utf8').startsWith(precompiledHeader(JSON.stringify(schema))));
  });

  void test('the bundled schema uses the validator it is given, and only that one', async () => {
    const { code } = pairs.get('bundled')!;
    const fn = evaluateStandalone(code, 'bundled.js');
    const s = new SchemaStore({ storageDir: mkdtempSync(join(tmpdir(), 'krakend-live-precompiled-')), fetch: noFetch, bundledValidator: fn });
    assert.equal((await s.bundled()).precompiled, fn);
    const none = new SchemaStore({ storageDir: mkdtempSync(join(tmpdir(), 'krakend-live-precompiled-')), fetch: noFetch, bundledValidator: null });
    assert.equal((await none.bundled()).precompiled, undefined);
  });
});

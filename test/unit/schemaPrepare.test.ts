// SchemaLinting (pure) over a fake source: fallbacks, the one bundled note, compile caching.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseJson } from '../../server/src/core/parseJson';
import { SchemaCompiler, compileSchema } from '../../server/src/core/schema/compile';
import { dialectOf } from '../../server/src/core/schema/dialect';
import { SchemaLinting, bundledSchemaNote } from '../../server/src/core/schema/prepare';
import type { SchemaPolicy, SchemaSource, SchemaSourceResult } from '../../server/src/core/schema/prepare';

const BUNDLED = JSON.parse(readFileSync(join(resolve(__dirname, '..', '..'), 'schemas', 'krakend.json'), 'utf8')) as object;
const BUNDLED_URL = 'https://krakend-live.dev/schema/krakend.json';
const POLICY = { url: '', download: true, allowedHosts: ['www.krakend.io'] };

class FakeSource implements SchemaSource {
  gets: string[] = [];
  loads: string[] = [];
  constructor(
    private readonly answers: Record<string, SchemaSourceResult>,
    private readonly refs: Record<string, object> = {},
  ) {}
  get(url: string, _policy: SchemaPolicy): Promise<SchemaSourceResult> {
    this.gets.push(url);
    return Promise.resolve(this.answers[url] ?? { schema: BUNDLED, origin: 'bundled', url: BUNDLED_URL, fallbackReason: 'not in the fake' });
  }
  load(url: string, policy: SchemaPolicy): Promise<object> {
    this.loads.push(url);
    if (!policy.download && url.startsWith('https:')) return Promise.reject(new Error('downloads are off'));
    const r = this.refs[url];
    return r ? Promise.resolve(r) : Promise.reject(new Error(`no ${url}`));
  }
  bundled(): Promise<SchemaSourceResult> {
    return Promise.resolve({ schema: BUNDLED, origin: 'bundled', url: BUNDLED_URL });
  }
}

const rootOf = (text: string) => parseJson(text).root!;

void describe('SchemaLinting.prepare', () => {
  void test('an official schema: no note, its own lint', async () => {
    const url = 'https://www.krakend.io/schema/v2.12/krakend.json';
    const source = new FakeSource({ [url]: { schema: { type: 'object', properties: { version: { const: 3 } } }, origin: 'cache', url } });
    const text = `{"$schema": "${url}", "version": 4}`;
    const prepared = await new SchemaLinting(source).prepare(rootOf(text), POLICY);
    assert.equal(prepared.origin, 'cache');
    assert.equal(prepared.version, '2.12');
    assert.deepEqual(prepared.extra, []);
    assert.deepEqual(prepared.lint!(rootOf(text)).map((p) => p.code), ['schema/enum']);
  });

  void test('a schema that does not compile falls back to the bundled one and says why, once', async () => {
    const url = 'https://www.krakend.io/schema/v2.12/krakend.json';
    const source = new FakeSource({ [url]: { schema: { type: 12 }, origin: 'download', url } });
    const logs: string[] = [];
    const text = '{"version": 3}';
    const prepared = await new SchemaLinting(source, (m) => logs.push(m)).prepare(rootOf(text), { ...POLICY, url });
    assert.equal(prepared.origin, 'bundled');
    assert.equal(prepared.extra.length, 1);
    assert.equal(prepared.extra[0]!.code, 'schema/bundled');
    assert.match(prepared.extra[0]!.message, /cannot compile/);
    assert.deepEqual(prepared.extra[0]!.span, { offset: 0, length: 0 }, 'no $schema: the start of the file');
    assert.ok(logs.some((l) => l.includes('cannot compile')));
    assert.deepEqual(prepared.lint!(rootOf(text)), []);
  });

  void test('a downloaded schema may not $ref a local file', async () => {
    const url = 'https://www.krakend.io/schema/v2.12/krakend.json';
    const source = new FakeSource({ [url]: { schema: { $ref: 'file:///etc/passwd' }, origin: 'download', url } }, { 'file:///etc/passwd': {} });
    const prepared = await new SchemaLinting(source).prepare(rootOf('{"version":3}'), { ...POLICY, url });
    assert.equal(prepared.origin, 'bundled');
    assert.match(prepared.extra[0]!.message, /may not reference the local file/);
    assert.deepEqual(source.loads, []);
  });

  void test('a local schema may $ref its neighbours', async () => {
    const url = 'file:///schemas/root.json';
    const source = new FakeSource({ [url]: { schema: { properties: { port: { $ref: 'port.json' } } }, origin: 'setting', url } }, { 'file:///schemas/port.json': { type: 'integer' } });
    const prepared = await new SchemaLinting(source).prepare(rootOf('{"port": "x"}'), { ...POLICY, url });
    assert.equal(prepared.origin, 'setting');
    assert.deepEqual(source.loads, ['file:///schemas/port.json']);
    assert.deepEqual(prepared.lint!(rootOf('{"port": "x"}')).map((p) => p.message), ['got string, want integer']);
  });

  void test('one instance serves an offline first look and a later online call; a failed $ref is not remembered', async () => {
    const url = 'https://www.krakend.io/schema/v3.json';
    const source = new FakeSource(
      { [url]: { schema: { properties: { port: { $ref: 'port.json' } } }, origin: 'cache', url } },
      { 'https://www.krakend.io/schema/port.json': { type: 'integer' } },
    );
    const linting = new SchemaLinting(source);
    const text = `{"$schema": "${url}", "port": "x"}`;
    const offline = await linting.prepare(rootOf(text), { ...POLICY, download: false });
    assert.equal(offline.origin, 'bundled');
    assert.match(offline.extra[0]!.message, /downloads are off/);
    const online = await linting.prepare(rootOf(text), POLICY);
    assert.equal(online.origin, 'cache');
    assert.deepEqual(online.lint!(rootOf(text)).map((p) => p.message), ['got string, want integer']);
  });

  void test('documents wanting different official schemas share the bundled one, each with its own note', async () => {
    const source = new FakeSource({});
    const linting = new SchemaLinting(source);
    const a = await linting.prepare(rootOf('{"version":3}'), POLICY);
    const b = await linting.prepare(rootOf('{"version":3, "$schema": "https://www.krakend.io/schema/v2.9/krakend.json"}'), POLICY);
    assert.equal(a.origin, 'bundled');
    assert.equal(b.origin, 'bundled');
    assert.equal(b.extra.length, 1);
    assert.match(b.extra[0]!.message, /v2\.9/);
  });
});

void describe('SchemaCompiler', () => {
  void test('one compilation per URL and schema object; a new object recompiles', async () => {
    const compiler = new SchemaCompiler();
    const schema = { type: 'object' };
    const first = compiler.compile('https://x/s.json', schema);
    assert.equal(compiler.compile('https://x/s.json', schema), first);
    assert.ok(compiler.has('https://x/s.json', schema));
    const other = compiler.compile('https://x/s.json', { type: 'array' });
    assert.notEqual(other, first);
    assert.equal((await other).validate({}).valid, false);
  });

  void test('a broken schema stays cached as broken; a failed $ref load is retried', async () => {
    const compiler = new SchemaCompiler();
    const broken = { type: 12 };
    await assert.rejects(compiler.compile('https://x/broken.json', broken));
    assert.ok(compiler.has('https://x/broken.json', broken));
    const modular = { $ref: 'other.json' };
    await assert.rejects(compiler.compile('https://x/modular.json', modular, () => Promise.reject(new Error('offline'))), /offline/);
    assert.ok(!compiler.has('https://x/modular.json', modular));
    const ok = await compiler.compile('https://x/modular.json', modular, () => Promise.resolve({ type: 'string' }));
    assert.equal(ok.validate(3).valid, false);
  });

  void test('dialects: 2019-09 by $schema, draft-07 otherwise', () => {
    assert.equal(dialectOf({ $schema: 'https://json-schema.org/draft/2019-09/schema' }), '2019-09');
    assert.equal(dialectOf({ $schema: 'https://json-schema.org/draft/2020-12/schema' }), '2020-12');
    assert.equal(dialectOf({ $schema: 'http://json-schema.org/draft-07/schema#' }), 'draft-07');
    assert.equal(dialectOf({}), 'draft-07');
  });

  void test('Go (RE2) escapes such as \\& and \\% compile', async () => {
    const compiled = await compileSchema('https://x/re2.json', { type: 'string', pattern: '^\\/[^\\*\\?\\&\\%]*$' });
    assert.equal(compiled.validate('/a').valid, true);
    assert.equal(compiled.validate('/a&b').valid, false);
    const goPattern = '^\\/[^\\*\\?\\&\\%]*$';
    assert.throws(() => new RegExp(goPattern, 'u'), 'the same pattern is invalid in u-mode, which is why unicodeRegExp is off');
  });
});

void test('bundledSchemaNote sits on the $schema value', () => {
  const text = '{"version": 3, "$schema": "https://www.krakend.io/schema/v2.13/krakend.json"}';
  const note = bundledSchemaNote(rootOf(text), 'https://www.krakend.io/schema/v2.13/krakend.json', 'offline');
  assert.equal(note.code, 'schema/bundled');
  assert.equal(text.slice(note.span.offset, note.span.offset + note.span.length), '"https://www.krakend.io/schema/v2.13/krakend.json"');
  assert.match(note.message, /\(offline\)/);
});

void describe('the bundled note names what was really wanted', () => {
  void test('a $schema that is not a krakend.io URL is said to be ignored, on its own value', async () => {
    const text = '{"$schema": "https://example.com/my-krakend.json", "version": 3}';
    const prepared = await new SchemaLinting(new FakeSource({})).prepare(rootOf(text), POLICY);
    const note = prepared.extra[0]!;
    assert.equal(note.code, 'schema/bundled');
    assert.equal(text.slice(note.span.offset, note.span.offset + note.span.length), '"https://example.com/my-krakend.json"');
    assert.match(note.message, /\$schema 'https:\/\/example\.com\/my-krakend\.json' is not a krakend\.io schema URL/);
  });

  void test('a krakend.io $schema is followed, so no such remark', async () => {
    const text = '{"$schema": "https://www.krakend.io/schema/v2.12/krakend.json", "version": 3}';
    const prepared = await new SchemaLinting(new FakeSource({})).prepare(rootOf(text), POLICY);
    assert.match(prepared.extra[0]!.message, /the official schema https:\/\/www\.krakend\.io\/schema\/v2\.12\/krakend\.json is not available/);
    assert.doesNotMatch(prepared.extra[0]!.message, /not a krakend\.io/);
  });

  void test('a schema from the setting is not called official', async () => {
    const prepared = await new SchemaLinting(new FakeSource({})).prepare(rootOf('{"version": 3}'), { ...POLICY, url: '/schemas/mine.json' });
    assert.match(prepared.extra[0]!.message, /because the schema \/schemas\/mine\.json set by krakend\.schema\.url or --schema is not available/);
  });
});

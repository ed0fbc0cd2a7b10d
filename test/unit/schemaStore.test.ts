// The schema store with an injected fetch: no test touches the network.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLED_SCHEMA_ID, SchemaStore, createSchemaLinting } from '../../server/src/node/schemaStore';
import type { FetchLike, SchemaStoreOptions, StoreFs } from '../../server/src/node/schemaStore';
import { parseJson } from '../../server/src/core/parseJson';
import { referenceDir } from '../support/reference';

const URL_213 = 'https://www.krakend.io/schema/v2.13/krakend.json';
const ONLINE = { download: true, allowedHosts: ['www.krakend.io'] };
const SMALL = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', required: ['version'] };
const upstreamDir = join(referenceDir(), 'krakend-schema');

interface FakeFetch {
  readonly fetch: FetchLike;
  readonly calls: string[];
}

/** A fetch that answers from a table; anything else is a 404. */
function fakeFetch(table: Record<string, () => Response | Promise<Response>>): FakeFetch {
  const calls: string[] = [];
  return {
    calls,
    fetch: (url) => {
      calls.push(url);
      const answer = table[url];
      return Promise.resolve(answer ? answer() : new Response('not found', { status: 404 }));
    },
  };
}

const json = (v: unknown): Response => new Response(JSON.stringify(v), { status: 200, headers: { 'content-type': 'application/json' } });

function store(options: Partial<SchemaStoreOptions> & { fetch: FetchLike }): { store: SchemaStore; dir: string } {
  const dir = options.storageDir ?? mkdtempSync(join(tmpdir(), 'krakend-live-schemas-'));
  return { store: new SchemaStore({ storageDir: dir, ...options }), dir };
}

void describe('SchemaStore', () => {
  void test('downloads from an allowlisted host, caches atomically, then serves the cache', async () => {
    const f = fakeFetch({ [URL_213]: () => json(SMALL) });
    const { store: s, dir } = store({ fetch: f.fetch });
    const first = await s.get(URL_213, ONLINE);
    assert.equal(first.origin, 'download');
    assert.deepEqual(first.schema, SMALL);
    assert.equal(first.url, URL_213);
    assert.deepEqual(JSON.parse(readFileSync(s.cachePath(URL_213), 'utf8')), SMALL);
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'no temporary file is left behind');
    const second = await s.get(URL_213, ONLINE);
    assert.equal(second.origin, 'cache');
    assert.equal(second.schema, first.schema, 'the same object, so the compiled schema is reused');
    // A new session reads the disk cache without the network.
    const again = store({ fetch: f.fetch, storageDir: dir }).store;
    assert.equal((await again.get(URL_213, ONLINE)).origin, 'cache');
    assert.deepEqual(f.calls, [URL_213]);
  });

  void test('a cached copy is used even with downloads off', async () => {
    const f = fakeFetch({});
    const { store: s } = store({ fetch: f.fetch });
    await fsp.mkdir(join(s.cachePath(URL_213), '..'), { recursive: true });
    writeFileSync(s.cachePath(URL_213), JSON.stringify(SMALL));
    const r = await s.get(URL_213, { download: false, allowedHosts: [] });
    assert.equal(r.origin, 'cache');
    assert.deepEqual(f.calls, []);
  });

  void test('downloads off: the bundled schema, with the reason, and no request', async () => {
    const f = fakeFetch({ [URL_213]: () => json(SMALL) });
    const r = await store({ fetch: f.fetch }).store.get(URL_213, { download: false, allowedHosts: ['www.krakend.io'] });
    assert.equal(r.origin, 'bundled');
    assert.equal(r.url, BUNDLED_SCHEMA_ID);
    assert.equal(r.requested, URL_213);
    assert.match(r.fallbackReason ?? '', /krakend\.schema\.download/);
    assert.equal((r.schema as { $id?: string }).$id, BUNDLED_SCHEMA_ID);
    assert.deepEqual(f.calls, []);
  });

  void test('a deferred download (the caller downloads in the background) says so, and still honours the allowlist', async () => {
    const f = fakeFetch({ [URL_213]: () => json(SMALL) });
    const { store: s } = store({ fetch: f.fetch });
    const deferred = { download: false, deferDownload: true, allowedHosts: ['www.krakend.io'] };
    const first = await s.get(URL_213, deferred);
    assert.equal(first.origin, 'bundled');
    assert.match(first.fallbackReason ?? '', /being downloaded/);
    const foreign = await s.get('https://evil.example/k.json', deferred);
    assert.match(foreign.fallbackReason ?? '', /not in krakend\.schema\.allowedHosts/);
    assert.deepEqual(f.calls, []);
    assert.equal((await s.get(URL_213, ONLINE)).origin, 'download');
    assert.equal((await s.get(URL_213, deferred)).origin, 'cache', 'once downloaded, the deferred call gets it too');
  });

  void test('a host outside the allowlist is never contacted', async () => {
    const f = fakeFetch({ 'https://evil.example/krakend.json': () => json(SMALL) });
    const r = await store({ fetch: f.fetch }).store.get('https://evil.example/krakend.json', ONLINE);
    assert.equal(r.origin, 'bundled');
    assert.match(r.fallbackReason ?? '', /evil\.example is not in krakend\.schema\.allowedHosts/);
    assert.deepEqual(f.calls, []);
  });

  void test('plain http is never downloaded', async () => {
    const f = fakeFetch({});
    const r = await store({ fetch: f.fetch }).store.get('http://www.krakend.io/schema/v2.13/krakend.json', ONLINE);
    assert.equal(r.origin, 'bundled');
    assert.match(r.fallbackReason ?? '', /only https/);
    assert.deepEqual(f.calls, []);
  });

  void test('a redirect to a host outside the allowlist is refused', async () => {
    const f = fakeFetch({
      [URL_213]: () => {
        const res = json(SMALL);
        Object.defineProperty(res, 'url', { value: 'https://elsewhere.example/x.json' });
        return res;
      },
    });
    const r = await store({ fetch: f.fetch }).store.get(URL_213, ONLINE);
    assert.equal(r.origin, 'bundled');
    assert.match(r.fallbackReason ?? '', /redirected to elsewhere\.example/);
  });

  void test('timeout: the download is aborted, the bundled schema is used, and retried only later', async () => {
    let now = 1_000;
    let aborted = 0;
    const calls: string[] = [];
    const hanging: FetchLike = (url, init) => {
      calls.push(url);
      return new Promise((_resolve, reject) => {
        init.signal.addEventListener('abort', () => {
          aborted++;
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    };
    const { store: s } = store({ fetch: hanging, timeoutMs: 20, retryAfterMs: 60_000, now: () => now });
    const r = await s.get(URL_213, ONLINE);
    assert.equal(r.origin, 'bundled');
    assert.match(r.fallbackReason ?? '', /timed out after 20 ms/);
    assert.equal(aborted, 1);
    assert.ok(!existsSync(s.cachePath(URL_213)));
    // Within the retry window the failure is remembered: no second 10-second wait on every save.
    const again = await s.get(URL_213, ONLINE);
    assert.equal(again.origin, 'bundled');
    assert.match(again.fallbackReason ?? '', /timed out/);
    assert.equal(calls.length, 1);
    now += 60_001;
    await s.get(URL_213, ONLINE);
    assert.equal(calls.length, 2);
  });

  void test('HTTP errors, non-JSON, non-objects and oversized answers fall back and are not cached', async () => {
    const cases: [string, () => Response, RegExp][] = [
      ['https://www.krakend.io/schema/v2.404/krakend.json', () => new Response('nope', { status: 404 }), /returned status code 404/],
      ['https://www.krakend.io/schema/bad.json', () => new Response('{"type": ', { status: 200 }), /is not JSON/],
      ['https://www.krakend.io/schema/array.json', () => json([1, 2]), /not an object/],
      ['https://www.krakend.io/schema/declared.json', () => new Response('{}', { status: 200, headers: { 'content-length': '999999' } }), /more than the 100-byte limit/],
      ['https://www.krakend.io/schema/streamed.json', () => new Response(`{"description": "${'x'.repeat(500)}"}`, { status: 200 }), /larger than the 100-byte limit/],
    ];
    const f = fakeFetch(Object.fromEntries(cases.map(([u, r]) => [u, r])));
    const { store: s } = store({ fetch: f.fetch, maxBytes: 100 });
    for (const [url, , reason] of cases) {
      const r = await s.get(url, ONLINE);
      assert.equal(r.origin, 'bundled', url);
      assert.match(r.fallbackReason ?? '', reason, url);
      assert.ok(!existsSync(s.cachePath(url)), url);
    }
  });

  void test('a network error is reported with its cause, never thrown', async () => {
    const failing: FetchLike = () => Promise.reject(new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND www.krakend.io') }));
    const r = await store({ fetch: failing }).store.get(URL_213, ONLINE);
    assert.equal(r.origin, 'bundled');
    assert.match(r.fallbackReason ?? '', /fetch failed: getaddrinfo ENOTFOUND/);
  });

  void test('concurrent requests share one download', async () => {
    const f = fakeFetch({ [URL_213]: () => json(SMALL) });
    const { store: s } = store({ fetch: f.fetch });
    const [a, b] = await Promise.all([s.get(URL_213, ONLINE), s.get(URL_213, ONLINE)]);
    assert.equal(a.schema, b.schema);
    assert.equal(f.calls.length, 1);
  });

  void test('a damaged cache file is discarded and downloaded again', async () => {
    const f = fakeFetch({ [URL_213]: () => json(SMALL) });
    const { store: s, dir } = store({ fetch: f.fetch });
    writeFileSync(s.cachePath(URL_213), '{"trunc');
    const r = await s.get(URL_213, ONLINE);
    assert.equal(r.origin, 'download');
    assert.deepEqual(JSON.parse(readFileSync(s.cachePath(URL_213), 'utf8')), SMALL);
    assert.ok(dir);
  });

  void test('a cache that cannot be written is not fatal, and the temporary file is removed', async () => {
    const removed: string[] = [];
    const fs: StoreFs = {
      readFile: () => Promise.reject(new Error('ENOENT')),
      writeFile: () => Promise.resolve(),
      rename: () => Promise.reject(new Error('EXDEV')),
      mkdir: () => Promise.resolve(undefined),
      rm: (p) => {
        removed.push(p);
        return Promise.resolve();
      },
    };
    const logs: string[] = [];
    const f = fakeFetch({ [URL_213]: () => json(SMALL) });
    const s = new SchemaStore({ storageDir: '/nonexistent', fetch: f.fetch, fs, log: (m) => logs.push(m) });
    const r = await s.get(URL_213, ONLINE);
    assert.equal(r.origin, 'download');
    assert.equal(removed.length, 1);
    assert.ok(removed[0]!.endsWith('.tmp'));
    assert.ok(logs.some((l) => l.includes('cannot cache')));
  });

  void test('a local path or file: URL from the setting is read directly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krakend-live-local-'));
    const file = join(dir, 'mine.json');
    writeFileSync(file, JSON.stringify(SMALL));
    const f = fakeFetch({});
    const { store: s } = store({ fetch: f.fetch });
    const byPath = await s.get(file, { download: false, allowedHosts: [] });
    assert.equal(byPath.origin, 'setting');
    assert.equal(byPath.url, pathToFileURL(file).href);
    const byUrl = await s.get(pathToFileURL(file).href, { download: false, allowedHosts: [] });
    assert.equal(byUrl.schema, byPath.schema, 'unchanged text keeps its object');
    writeFileSync(file, JSON.stringify({ ...SMALL, title: 'edited' }));
    assert.equal(((await s.get(file, ONLINE)).schema as { title?: string }).title, 'edited', 'edits apply on the next check');
    const missing = await s.get(join(dir, 'missing.json'), ONLINE);
    assert.equal(missing.origin, 'bundled');
    assert.match(missing.fallbackReason ?? '', /cannot read/);
    assert.deepEqual(f.calls, []);
  });

  void test('load() (for $refs) rejects instead of falling back', async () => {
    const { store: s } = store({ fetch: fakeFetch({}).fetch });
    await assert.rejects(s.load('https://www.krakend.io/schema/backend.json', { download: false, allowedHosts: [] }), /downloads are off/);
  });
});

void describe('createSchemaLinting over the store', () => {
  void test('offline: the bundled schema lints, with exactly one information note on $schema', async () => {
    const linting = createSchemaLinting({ storageDir: mkdtempSync(join(tmpdir(), 'krakend-live-off-')), fetch: fakeFetch({}).fetch });
    const text = '{\n  "$schema": "https://www.krakend.io/schema/v2.13/krakend.json",\n  "version": 3,\n  "extra_config": { "telemetry/loging": {} }\n}';
    const root = parseJson(text).root!;
    const prepared = await linting.prepare(root, { url: '', download: false, allowedHosts: ['www.krakend.io'] });
    assert.equal(prepared.origin, 'bundled');
    assert.equal(prepared.wanted, URL_213);
    assert.equal(prepared.extra.length, 1);
    const note = prepared.extra[0]!;
    assert.equal(note.code, 'schema/bundled');
    assert.equal(text.slice(note.span.offset, note.span.offset + note.span.length), '"https://www.krakend.io/schema/v2.13/krakend.json"');
    const problems = prepared.lint!(root);
    assert.deepEqual(problems.map((p) => [p.code, text.slice(p.span.offset, p.span.offset + p.span.length)]), [['schema/unknown-namespace', '"telemetry/loging"']]);
    assert.match(problems[0]!.message, /did you mean 'telemetry\/logging'\?/);
  });

  void test('the modular v2.0 schema (v3.json) is downloaded with every $ref through the same allowlisted path', async () => {
    const prefix = 'https://www.krakend.io/schema/';
    const calls: string[] = [];
    const serveTree: FetchLike = (url) => {
      calls.push(url);
      assert.ok(url.startsWith(prefix), url);
      const file = join(upstreamDir, 'v2.0', url.slice(prefix.length));
      assert.ok(existsSync(upstreamDir), `the upstream schemas are missing at ${upstreamDir}`);
      return Promise.resolve(existsSync(file) ? new Response(readFileSync(file, 'utf8'), { status: 200 }) : new Response('', { status: 404 }));
    };
    const linting = createSchemaLinting({ storageDir: mkdtempSync(join(tmpdir(), 'krakend-live-v20-')), fetch: serveTree });
    const text = '{"$schema": "https://www.krakend.io/schema/v3.json", "version": 3, "debug_endpoint": true, "endpoints": [{"endpoint": "/a", "backend": [{"url_pattern": "/a"}]}]}';
    const root = parseJson(text).root!;
    const prepared = await linting.prepare(root, { url: '', ...ONLINE });
    assert.equal(prepared.origin, 'download');
    assert.deepEqual(prepared.extra, []);
    assert.ok(calls.includes(`${prefix}v3.json`) && calls.includes(`${prefix}backend.json`), calls.join(' '));
    const problems = prepared.lint!(root);
    assert.deepEqual(problems.map((p) => [p.code, text.slice(p.span.offset, p.span.offset + p.span.length)]), [['schema/additional-property', '"debug_endpoint"']]);
    // The second check compiles nothing and downloads nothing.
    const before = calls.length;
    const again = await linting.prepare(root, { url: '', ...ONLINE });
    assert.equal(again.origin, 'cache');
    assert.equal(calls.length, before);
  });
});

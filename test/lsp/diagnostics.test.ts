import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CheckFileRequest } from '../../shared/protocol';
import type { CheckResultParams } from '../../shared/protocol';
import { TEST_SETTINGS, startHarness } from './support/harness';
import type { Harness } from './support/harness';

const DUPLICATE = `{
  "version": 3,
  "endpoints": [
    { "endpoint": "/a", "backend": [{ "url_pattern": "/x", "host": ["http://127.0.0.1:8081"] }] },
    { "endpoint": "/a", "backend": [{ "url_pattern": "/y", "host": ["http://127.0.0.1:8081"] }] }
  ]
}
`;
const VALID = `{
  "version": 3,
  "endpoints": [
    { "endpoint": "/a", "backend": [{ "url_pattern": "/x", "host": ["http://127.0.0.1:8081"] }] }
  ]
}
`;

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.dispose());

test('the server syncs on open, change and save, with save notifications', () => {
  const sync = h.initializeResult.capabilities.textDocumentSync;
  assert.ok(typeof sync === 'object' && sync !== null);
  assert.equal(sync.openClose, true);
  assert.deepEqual(sync.save, { includeText: false });
});

test('opening a config publishes positioned diagnostics with code, source and link', async () => {
  const uri = 'file:///work/project/krakend.json';
  const diags = h.nextDiagnostics(uri);
  const result = h.nextCheckResult(uri);
  await h.open(uri, DUPLICATE);
  const list = await diags;
  const dup = list.find((d) => d.code === 'route/duplicate');
  assert.ok(dup, `route/duplicate expected, got ${JSON.stringify(list.map((d) => d.code))}`);
  assert.equal(dup.source, 'krakend');
  assert.equal(dup.range.start.line, 4);
  assert.match(dup.message, /handlers are already registered for path '\/a'/);
  assert.match(dup.codeDescription?.href ?? '', /#route-duplicate$/);
  const r = await result;
  assert.equal(r.ok, false);
  assert.equal(r.trigger, 'open');
  assert.ok(r.errors >= 1);
  await h.close(uri);
});

test('onSave: typing does not check, saving does and is reported as a save', async () => {
  const uri = 'file:///work/project/sub/krakend.json';
  const opened = h.nextCheckResult(uri);
  await h.open(uri, VALID);
  assert.equal((await opened).ok, true);
  // Only a save may produce the next result: the change must not.
  const next = h.nextCheckResult(uri);
  await h.change(uri, DUPLICATE, 2);
  await h.save(uri);
  const r = await next;
  assert.equal(r.trigger, 'save');
  assert.equal(r.ok, false);
  assert.equal(r.version, 2);
  await h.close(uri);
});

test('onType: an edit is checked after the debounce', async () => {
  h.settings = { ...TEST_SETTINGS, validate: { run: 'onType' } };
  try {
    const uri = 'file:///work/project/krakend-typing.json';
    const opened = h.nextCheckResult(uri);
    await h.open(uri, VALID);
    await opened;
    const changed = h.nextCheckResult(uri, (r) => r.trigger === 'change');
    await h.change(uri, DUPLICATE, 2);
    const r = await changed;
    assert.equal(r.ok, false);
    assert.equal(r.version, 2);
    await h.close(uri);
  } finally {
    h.settings = TEST_SETTINGS;
  }
});

test('files outside krakend.configFiles get no diagnostics', async () => {
  const other = 'file:///work/project/package.json';
  const config = 'file:///work/project/outside/krakend.json';
  const seen: string[] = [];
  const otherDiags = h.nextDiagnostics(other).then(() => seen.push(other), () => undefined);
  // Open the unrelated file first, then a config: the config's diagnostics arrive, the other's never do.
  await h.open(other, '{ not json');
  const configDiags = h.nextDiagnostics(config);
  await h.open(config, VALID);
  await configDiags;
  assert.deepEqual(seen, []);
  void otherDiags;
  await h.close(config);
  await h.close(other);
});

test('closing a document clears its problems', async () => {
  const uri = 'file:///work/project/closing/krakend.json';
  const first = h.nextDiagnostics(uri);
  await h.open(uri, DUPLICATE);
  assert.ok((await first).length > 0);
  const cleared = h.nextDiagnostics(uri);
  await h.close(uri);
  assert.deepEqual(await cleared, []);
});

test('krakend/checkFile checks a file from disk that is not open', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'krakend-live-checkfile-'));
  const file = join(dir, 'krakend.json');
  writeFileSync(file, '{ "version": 2 }');
  const uri = pathToFileURL(file).toString();
  const diags = h.nextDiagnostics(uri);
  const r = await h.client.sendRequest<CheckResultParams>(CheckFileRequest, { uri });
  assert.equal(r.ok, false);
  assert.equal(r.trigger, 'request');
  // One problem at the version: lura's message wins over the schema's `const` for the same value.
  assert.equal(r.errors, 1);
  const list = await diags;
  assert.deepEqual(list.filter((d) => d.severity === 1).map((d) => d.code), ['init/version']);
});

test('a failing check publishes an empty report and says so', async () => {
  const failing = await startHarness({
    resolver: {
      prepare: () => Promise.reject(new Error('schema store exploded')),
    },
  });
  try {
    const uri = 'file:///work/project/krakend.json';
    const diags = failing.nextDiagnostics(uri);
    const result = failing.nextCheckResult(uri);
    await failing.open(uri, DUPLICATE);
    assert.deepEqual(await diags, []);
    const r = await result;
    assert.equal(r.ok, false);
    assert.match(r.failure ?? '', /schema store exploded/);
  } finally {
    failing.dispose();
  }
});

test('a BOM the editor hides is still reported, because KrakenD refuses it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'krakend-live-bom-'));
  const file = join(dir, 'krakend.json');
  writeFileSync(file, `\uFEFF${VALID}`);
  const uri = pathToFileURL(file).toString();
  const diags = h.nextDiagnostics(uri);
  // Editors send the text without the BOM.
  await h.open(uri, VALID);
  const list = await diags;
  assert.deepEqual(list.map((d) => d.code), ['json/syntax']);
  assert.deepEqual(list[0]?.range.start, { line: 0, character: 0 });
  assert.match(list[0]?.message ?? '', /invalid character 'ï' looking for beginning of value/);
  await h.close(uri);
});

// Changes made outside the editor (git checkout, another editor, a script) reach the server as
// workspace/didChangeWatchedFiles (the client's disk watchers). A configuration changed on disk,
// or a partial or settings file its check read, is checked as a save, so the gateway reloads on
// it as on an editor save; the editor's own save is not counted twice, and an open editor counts
// once it shows the new text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import type { CheckResultParams } from '../../shared/protocol';
import { startHarness } from './support/harness';
import type { Harness } from './support/harness';

const root = mkdtempSync(join(tmpdir(), 'krakend-live-disk-lsp-'));
const config = (path: string): string => `{ "version": 3, "endpoints": [{ "endpoint": "${path}", "backend": [{ "host": ["http://x:1234"], "url_pattern": "/a" }] }] }\n`;
const BROKEN = '{ "version": 3, "endpoints": [ }\n';

let h: Harness;
before(async () => {
  h = await startHarness({ rootUri: pathToFileURL(root).href });
});
after(() => {
  h.dispose();
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
function files(entries: Record<string, string>): { path: (f: string) => string; uri: (f: string) => string } {
  const dir = join(root, `p${++n}`);
  for (const [name, text] of Object.entries(entries)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { path: (f) => join(dir, f), uri: (f) => pathToFileURL(join(dir, f)).href };
}

function onDisk(...changes: { uri: string; type?: FileChangeType }[]): Promise<void> {
  return h.client.sendNotification(DidChangeWatchedFilesNotification.type, { changes: changes.map((c) => ({ uri: c.uri, type: c.type ?? FileChangeType.Changed })) });
}

/** The save results for `uri` the server sent after this call. */
function savesFrom(uri: string): () => CheckResultParams[] {
  const start = h.checkResults.length;
  return () => h.checkResults.slice(start).filter((r) => r.uri === uri && r.trigger === 'save');
}

test('a configuration no editor has open, changed on disk: checked as a save, with the disk\'s text', async () => {
  const p = files({ 'krakend.json': config('/a') });
  const uri = p.uri('krakend.json');
  let saved = h.nextCheckResult(uri, (r) => r.trigger === 'save');
  writeFileSync(p.path('krakend.json'), BROKEN);
  await onDisk({ uri });
  assert.equal((await saved).ok, false);
  saved = h.nextCheckResult(uri, (r) => r.trigger === 'save');
  writeFileSync(p.path('krakend.json'), config('/b'));
  await onDisk({ uri });
  const r = await saved;
  assert.equal(r.ok, true);
  // Not an editor save, so not an auto-save either (krakend.gateway.reloadOn).
  assert.equal(r.fromDisk, true);
});

test('a partial changed on disk re-checks the Flexible Configuration that read it, as a save; a new settings file too', async () => {
  const p = files({
    'krakend.tmpl': '{ "version": 3, "port": {{ .service.port }}, "endpoints": [ {{ include "e.json" }} ] }\n',
    'settings/service.json': '{ "port": 8080 }',
    'partials/e.json': '{ "endpoint": "/a", "backend": [{ "host": ["http://x:1234"], "url_pattern": "/a" }] }',
  });
  const uri = p.uri('krakend.tmpl');
  const first = h.nextCheckResult(uri);
  await h.client.sendRequest('krakend/checkFile', { uri });
  assert.equal((await first).ok, true);
  let saved = h.nextCheckResult(uri, (r) => r.trigger === 'save');
  writeFileSync(p.path('partials/e.json'), '{ "endpoint": "/a", backend: [] }');
  await onDisk({ uri: p.uri('partials/e.json') });
  assert.equal((await saved).ok, false, 'the broken partial fails the configuration');
  saved = h.nextCheckResult(uri, (r) => r.trigger === 'save');
  writeFileSync(p.path('partials/e.json'), '{ "endpoint": "/b", "backend": [{ "host": ["http://x:1234"], "url_pattern": "/a" }] }');
  await onDisk({ uri: p.uri('partials/e.json') });
  const fixed = await saved;
  assert.deepEqual([fixed.ok, fixed.fromDisk], [true, true]);
  saved = h.nextCheckResult(uri, (r) => r.trigger === 'save');
  writeFileSync(p.path('settings/extra.json'), '{}');
  await onDisk({ uri: p.uri('settings/extra.json'), type: FileChangeType.Created });
  assert.equal((await saved).ok, true);
});

test('the editor\'s own save, seen again by the disk watcher, is one save; so is the watcher seeing it first', async () => {
  const p = files({ 'krakend.json': config('/a'), 'other.json': '{}', 'krakend-sentinel.json': config('/s') });
  const uri = p.uri('krakend.json');
  const sentinel = p.uri('krakend-sentinel.json');
  const opened = h.nextCheckResult(uri);
  await h.open(uri, config('/a'));
  await opened;
  const saves = savesFrom(uri);
  // Saved in the editor: didSave, then the watcher's event for the same write.
  await h.change(uri, config('/b'), 2);
  writeFileSync(p.path('krakend.json'), config('/b'));
  let marker = h.nextCheckResult(sentinel, (r) => r.trigger === 'save');
  await h.save(uri);
  await onDisk({ uri }, { uri: sentinel });
  await marker;
  // The other order: the watcher reports the write (and its check ends) before the editor's didSave.
  await h.change(uri, config('/c'), 3);
  writeFileSync(p.path('krakend.json'), config('/c'));
  const fromDisk = h.nextCheckResult(uri, (r) => r.trigger === 'save' && r.version === 3);
  await onDisk({ uri });
  await fromDisk;
  marker = h.nextCheckResult(sentinel, (r) => r.trigger === 'save');
  await h.save(uri);
  await onDisk({ uri: sentinel });
  await marker;
  assert.deepEqual(saves().map((r) => r.version), [2, 3]);
  // The editor's save reported as a save (didSave first) is no change on disk; the other order
  // cannot be told from one, and the client's record of the editor's save decides (SaveReasons).
  assert.equal(saves()[0]!.fromDisk, undefined);
  await h.close(uri);
});

test('an open editor without edits counts once it shows the new text (either order); one with unsaved edits keeps them', async () => {
  const p = files({ 'krakend.json': config('/a'), 'krakend-sentinel.json': config('/s') });
  const uri = p.uri('krakend.json');
  const sentinel = p.uri('krakend-sentinel.json');
  const opened = h.nextCheckResult(uri);
  await h.open(uri, config('/a'));
  await opened;
  // git checkout: the watcher first, then VS Code reloads the editor with the disk's text.
  writeFileSync(p.path('krakend.json'), BROKEN);
  let saved = h.nextCheckResult(uri, (r) => r.trigger === 'save');
  await onDisk({ uri });
  await h.change(uri, BROKEN, 2);
  let r = await saved;
  assert.deepEqual([r.ok, r.version], [false, 2]);
  // The reload first, then the watcher.
  writeFileSync(p.path('krakend.json'), config('/b'));
  saved = h.nextCheckResult(uri, (x) => x.trigger === 'save');
  await h.change(uri, config('/b'), 3);
  await onDisk({ uri });
  r = await saved;
  assert.deepEqual([r.ok, r.version], [true, 3]);
  // Unsaved edits in the editor: a change on disk is not what the user sees, so it is no save.
  const saves = savesFrom(uri);
  await h.change(uri, config('/typing'), 4);
  writeFileSync(p.path('krakend.json'), config('/elsewhere'));
  const marker = h.nextCheckResult(sentinel, (x) => x.trigger === 'save');
  await onDisk({ uri }, { uri: sentinel });
  await marker;
  assert.deepEqual(saves(), []);
  await h.close(uri);
});

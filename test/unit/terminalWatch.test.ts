// `krakend-live watch`: its arguments, its status lines, the check it runs from disk and the disk
// watcher (real fs.watch on a temp folder: rename-over, delete + create, files it did not read).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskWatcher } from '../../client/src/terminal/diskWatcher';
import { parseWatchArgs } from '../../client/src/terminal/watchArgs';
import { checkOnDisk, foldersOf } from '../../client/src/terminal/watchCheck';
import { changedText, clock, duration, statusLine } from '../../client/src/terminal/watchView';
import { createSchemaResolver } from '../../server/src/node/schemaResolver';
import { withTimeout } from '../support/docker';

// ---- arguments -----------------------------------------------------------------------------------

void test('watch arguments: every flag mirrors a gateway setting, in both spellings', () => {
  const r = parseWatchArgs(['--port', '9000', '--image=krakend:2.13', '--network', 'host', '--reload=restart', '--host-ip', '0.0.0.0', 'krakend.json']);
  assert.deepEqual(r, { args: { file: 'krakend.json', settings: { port: 9000, image: 'krakend:2.13', network: 'host', reload: 'restart', hostIp: '0.0.0.0' }, verbose: false } });
  assert.deepEqual(parseWatchArgs(['-v', '--', '--odd.json']), { args: { file: '--odd.json', settings: {}, verbose: true } });
  assert.deepEqual(parseWatchArgs(['x.json']), { args: { file: 'x.json', settings: {}, verbose: false } }, 'unset flags leave the defaults to the settings');
});

void test('watch arguments: bad values and shapes are usage errors that name the flag', () => {
  const error = (argv: string[]): string => {
    const r = parseWatchArgs(argv);
    assert.ok('error' in r, JSON.stringify(r));
    return r.error;
  };
  assert.match(error(['--port', '0', 'k.json']), /--port takes a port from 1 to 65535, not '0'/);
  assert.match(error(['--port', '80a', 'k.json']), /--port/);
  assert.match(error(['--port=65536', 'k.json']), /--port/);
  assert.match(error(['--network', 'overlay', 'k.json']), /--network takes bridge or host/);
  assert.match(error(['--reload', 'watch', 'k.json']), /--reload takes blue-green or restart/);
  assert.match(error(['k.json', '--image']), /--image takes a value/);
  assert.match(error(['--image=', 'k.json']), /--image takes a value/);
  assert.match(error(['--bogus', 'k.json']), /unknown option '--bogus'/);
  assert.match(error([]), /no FILE given/);
  assert.match(error(['a.json', 'b.json']), /one FILE, not 2/);
  const help = parseWatchArgs(['k.json', '--help']);
  assert.ok('help' in help && /--host-ip IP/.test(help.help) && /FC_ENABLE/.test(help.help));
});

// ---- status lines -------------------------------------------------------------------------------

void test('status lines: one per change, saying what happened and how long it took', () => {
  const at = new Date(2026, 11, 7, 9, 5, 3);
  assert.equal(clock(at), '09:05:03');
  assert.equal(duration(842.4), '842 ms');
  assert.equal(duration(12_345), '12.3 s');
  assert.equal(changedText(['krakend.json']), 'krakend.json changed');
  assert.equal(changedText(['a.json', 'partials/b.json']), 'a.json and partials/b.json changed');
  assert.equal(changedText(['a', 'b', 'c']), '3 files changed');
  assert.equal(
    statusLine({ kind: 'reloaded', changed: ['krakend.json'], totalMs: 1234, reloadMs: 1100, checkMs: 9.6, reload: 'blueGreen' }, at),
    '[09:05:03] reloaded in 1234 ms: krakend.json changed (check 10 ms, blue/green 1100 ms)',
  );
  assert.equal(
    statusLine({ kind: 'started', file: 'krakend.json', url: 'http://127.0.0.1:8080', image: 'krakend:2.13', reload: 'graceful', network: 'bridge', ms: 2100 }, at),
    '[09:05:03] serving krakend.json on http://127.0.0.1:8080 (krakend:2.13, bridge network, restart reloads): started in 2100 ms',
  );
  assert.equal(
    statusLine(
      { kind: 'started', file: 'config/krakend/krakend.json', url: 'http://127.0.0.1:8080', image: 'krakend:2.13', reload: 'blueGreen', network: 'shop_default', ms: 2100, standsInFor: { project: 'shop', service: 'krakend_ce' } },
      at,
    ),
    '[09:05:03] serving config/krakend/krakend.json on http://127.0.0.1:8080 in place of service krakend_ce of compose stack shop (krakend:2.13, shop_default network, blue/green reloads): started in 2100 ms',
  );
  assert.equal(
    statusLine({ kind: 'invalid', changed: ['partials/a.json'], errors: 2, serving: true }, at),
    '[09:05:03] not reloaded: partials/a.json changed with 2 error(s); the gateway keeps serving the last good config',
  );
  assert.match(statusLine({ kind: 'invalid', changed: ['k.json'], errors: 1, serving: false }, at), /nothing is serving yet$/);
  assert.equal(
    statusLine({ kind: 'rejected', changed: ['k.json'], message: 'The new config did not start: KrakenD exited at once with code 1.', logTail: ['open missing.pem: no such file'], serving: true }, at),
    '[09:05:03] not reloaded: k.json changed, but the new config did not start: KrakenD exited at once with code 1. the gateway keeps serving the last good config\n    open missing.pem: no such file',
  );
  assert.match(statusLine({ kind: 'startFailed', file: 'k.json', message: 'Port 8080 is in use.', logTail: [], fatal: true }, at), /did not start: Port 8080 is in use\. Stopping\.$/);
  assert.match(statusLine({ kind: 'startFailed', file: 'k.json', message: 'KrakenD exited.', logTail: [], fatal: false }, at), /the next valid change starts it\.$/);
  assert.match(statusLine({ kind: 'unreadable', file: 'k.json', message: 'ENOENT', serving: true }, at), /k\.json cannot be read \(ENOENT\); the gateway keeps serving/);
  assert.match(statusLine({ kind: 'stopped' }, at), /stopped; the gateway's containers are removed/);
});

// ---- the check from disk ------------------------------------------------------------------------

async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'krakend-watch-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

const resolver = createSchemaResolver({ storagePath: join(tmpdir(), 'krakend-watch-schemas-unit'), log: () => undefined });

void test('checkOnDisk: a plain config is checked as `check` checks it, problems with their positions, and only the file is watched', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'krakend.json'), '{\n  "version": 3,\n  "endpoints": [\n    { "endpoint": "/a", "backend": [{ "host": ["http://x:1234"], "url_pattern": "/a" }] },\n    { "endpoint": "/a", "backend": [{ "host": ["http://x:1234"], "url_pattern": "/b" }] }\n  ]\n}\n');
    const c = await checkOnDisk('krakend.json', { resolver, cwd: dir, env: {} });
    assert.equal(c.ok, false);
    assert.equal(c.result.ok, false);
    assert.equal(c.result.uri, `file://${join(dir, 'krakend.json')}`);
    const d = c.reports[0]!.diagnostics.find((x) => x.code === 'route/duplicate');
    assert.ok(d, JSON.stringify(c.reports));
    assert.deepEqual([d.range.start.line, d.range.start.character], [4, 18]);
    assert.equal(c.reports[0]!.file, 'krakend.json', 'paths as given');
    assert.deepEqual([...c.dependencies.files], [join(dir, 'krakend.json')]);
    assert.deepEqual(foldersOf(c.dependencies), [dir]);
    assert.equal(c.rendered, undefined);
  } finally {
    await cleanup();
  }
});

void test('checkOnDisk: a Flexible Configuration (FC_* as for check) reports in the partial, and lists every file and folder it read', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await mkdir(join(dir, 'settings'));
    await mkdir(join(dir, 'partials'));
    await writeFile(join(dir, 'settings', 'service.json'), '{ "port": 8080 }');
    await writeFile(join(dir, 'partials', 'e.json'), '{ "endpoint": "/a", "backend": [{ "host": ["http://x:1234"], "url_pattern": "/a" }] }');
    await writeFile(join(dir, 'krakend.tmpl'), '{ "version": 3, "port": {{ .service.port }}, "endpoints": [ {{ include "e.json" }} ] }');
    const env = { FC_ENABLE: '1', FC_SETTINGS: 'settings', FC_PARTIALS: 'partials' };
    const ok = await checkOnDisk('krakend.tmpl', { resolver, cwd: dir, env });
    assert.equal(ok.ok, true, JSON.stringify(ok.reports));
    assert.deepEqual(ok.result.flexible?.settings, join(dir, 'settings'), 'absolute, as the controller stages them');
    assert.deepEqual(ok.result.flexible?.partials, join(dir, 'partials'));
    assert.equal(ok.rendered?.format, 'json');
    assert.match(ok.rendered?.text ?? '', /"port": 8080/);
    assert.deepEqual([...ok.dependencies.files].sort(), [join(dir, 'krakend.tmpl'), join(dir, 'partials', 'e.json'), join(dir, 'settings', 'service.json')]);
    assert.deepEqual([...ok.dependencies.dirs], [[join(dir, 'settings'), '.json']]);
    assert.deepEqual(foldersOf(ok.dependencies), [dir, join(dir, 'partials'), join(dir, 'settings')]);
    await writeFile(join(dir, 'partials', 'e.json'), '{ "endpoint": "/a", "backend": [{ "host": ["http://x:1234"], "url_pattern": "/a" }], }');
    const bad = await checkOnDisk('krakend.tmpl', { resolver, cwd: dir, env });
    assert.equal(bad.ok, false);
    const inPartial = bad.reports.find((r) => r.file === 'partials/e.json');
    assert.ok(inPartial && inPartial.diagnostics.some((d) => d.severity === 'error'), JSON.stringify(bad.reports));
    assert.equal(inPartial.config, 'krakend.tmpl');
  } finally {
    await cleanup();
  }
});

void test('checkOnDisk rejects when the file cannot be read (the watch reports it and keeps serving)', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await assert.rejects(checkOnDisk('missing.json', { resolver, cwd: dir, env: {} }), /ENOENT/);
  } finally {
    await cleanup();
  }
});

// ---- the disk watcher ---------------------------------------------------------------------------

function changes(): { onChange: (paths: readonly string[]) => void; next: (what: string) => Promise<readonly string[]>; count: () => number } {
  const seen: (readonly string[])[] = [];
  let waiter: ((p: readonly string[]) => void) | undefined;
  return {
    onChange: (paths) => {
      seen.push(paths);
      const w = waiter;
      waiter = undefined;
      w?.(paths);
    },
    next: (what) => withTimeout(new Promise<readonly string[]>((resolve) => (waiter = resolve)), 5000, what),
    count: () => seen.length,
  };
}

void test('DiskWatcher: a rename over the file (editors), a delete then create (git checkout) and a new settings file each give one change; other files none', async () => {
  const { dir, cleanup } = await tempDir();
  const c = changes();
  const w = new DiskWatcher({ debounceMs: 30, onChange: c.onChange });
  try {
    const config = join(dir, 'krakend.tmpl');
    await mkdir(join(dir, 'settings'));
    await writeFile(config, '{}');
    w.follow({ files: new Set([config]), dirs: new Map([[join(dir, 'settings'), '.json']]) });
    assert.deepEqual(w.folders, [dir, join(dir, 'settings')]);

    let next = c.next('the rename-over');
    await writeFile(join(dir, '.krakend.tmpl.swp'), '{"a":1}');
    await rename(join(dir, '.krakend.tmpl.swp'), config);
    assert.deepEqual(await next, [config]);

    next = c.next('the delete and create');
    await unlink(config);
    await writeFile(config, '{"b":2}');
    assert.deepEqual(await next, [config], 'both events are one change');

    next = c.next('a new settings file');
    await writeFile(join(dir, 'unrelated.txt'), 'x');
    await writeFile(join(dir, 'settings', 'notes.txt'), 'x');
    await writeFile(join(dir, 'settings', 'new.json'), '{}');
    assert.deepEqual(await next, [join(dir, 'settings', 'new.json')], 'files the check did not read are not changes');
    const before = c.count();

    // Let go of a folder that is no longer read: a write there is nothing.
    w.follow({ files: new Set([config]), dirs: new Map() });
    assert.deepEqual(w.folders, [dir]);
    next = c.next('the config after the settings write');
    await writeFile(join(dir, 'settings', 'new.json'), '{"c":3}');
    await writeFile(config, '{"d":4}');
    assert.deepEqual(await next, [config]);
    assert.equal(c.count(), before + 1);
  } finally {
    w.dispose();
    await cleanup();
  }
});

void test('DiskWatcher: events are coalesced until the debounce passes; an event without a file name counts for every watched file in that folder', async () => {
  const handlers = new Map<string, (name: string | null) => void>();
  const c = changes();
  const w = new DiskWatcher({
    debounceMs: 20,
    onChange: c.onChange,
    watchFolder: (folder, onEvent) => {
      handlers.set(folder, onEvent);
      return { close: () => handlers.delete(folder) };
    },
  });
  try {
    w.follow({ files: new Set(['/w/krakend.json', '/w/p/a.json', '/w/p/b.json']), dirs: new Map() });
    assert.deepEqual([...handlers.keys()].sort(), ['/w', '/w/p']);
    let next = c.next('one change for three events');
    handlers.get('/w')!('krakend.json');
    handlers.get('/w/p')!('a.json');
    handlers.get('/w')!('krakend.json');
    assert.deepEqual(await next, ['/w/krakend.json', '/w/p/a.json']);
    next = c.next('a nameless event');
    handlers.get('/w/p')!(null);
    assert.deepEqual(await next, ['/w/p/a.json', '/w/p/b.json']);
    w.dispose();
    assert.equal(handlers.size, 0, 'every folder watch is closed');
  } finally {
    w.dispose();
  }
});

import { test } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { CheckFileRequest } from '../../shared/protocol';
import type { CheckResultParams } from '../../shared/protocol';
import type { PreparedLint, SchemaResolver } from '../../server/src/node/checker';
import { TEST_SETTINGS, WAIT_MS, startHarness } from './support/harness';

const DUPLICATE = `{
  "version": 3,
  "endpoints": [
    { "endpoint": "/a", "backend": [{ "url_pattern": "/x", "host": ["http://127.0.0.1:8081"] }] },
    { "endpoint": "/a", "backend": [{ "url_pattern": "/y", "host": ["http://127.0.0.1:8081"] }] }
  ]
}
`;

/** A resolver whose first prepare waits until the test lets it go; later ones answer at once. */
function heldResolver(): { resolver: SchemaResolver; started: Promise<void>; release: () => void } {
  const none: PreparedLint = { extra: [], origin: 'none' };
  let release = (): void => undefined;
  let markStarted = (): void => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const held = new Promise<PreparedLint>((resolve) => (release = () => resolve(none)));
  let calls = 0;
  return {
    resolver: {
      prepare: () => {
        if (calls++ > 0) return Promise.resolve(none);
        markStarted();
        return held;
      },
    },
    started: withTimeout(started, 'the held check to start'),
    release: () => release(),
  };
}

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

test('a check still running when its document closes publishes nothing afterwards', async () => {
  const held = heldResolver();
  const h = await startHarness({ resolver: held.resolver });
  try {
    const uri = 'file:///work/project/closed/krakend.json';
    await h.open(uri, DUPLICATE);
    await held.started;
    const cleared = h.nextDiagnostics(uri);
    await h.close(uri);
    assert.deepEqual(await cleared, []);
    const after = h.published.length;
    held.release();
    // A later request round trip: anything the released check would publish comes before its answer.
    const other = 'file:///work/project/other/krakend.json';
    await h.client.sendRequest<CheckResultParams>(CheckFileRequest, { uri: other }).catch(() => undefined);
    const late = h.published.slice(after).filter((p) => p.uri === uri);
    assert.deepEqual(late, [], 'the closed document got diagnostics from a check that started before it closed');
  } finally {
    h.dispose();
  }
});

test('reopening while the old check runs: the old text never overwrites the reopened one', async () => {
  const held = heldResolver();
  const h = await startHarness({ resolver: held.resolver });
  try {
    const uri = 'file:///work/project/reopened/krakend.json';
    await h.open(uri, DUPLICATE);
    await held.started;
    await h.close(uri);
    const reopened = h.nextCheckResult(uri);
    await h.open(uri, '{ "version": 3 }');
    assert.equal((await reopened).ok, true);
    const after = h.published.length;
    held.release();
    await h.client.sendRequest<CheckResultParams>(CheckFileRequest, { uri: 'file:///work/project/x/krakend.json' }).catch(() => undefined);
    const late = h.published.slice(after).filter((p) => p.uri === uri);
    assert.deepEqual(late, []);
  } finally {
    h.dispose();
  }
});

test('a file that leaves krakend.configFiles loses its problems', async () => {
  const h = await startHarness();
  try {
    const uri = 'file:///work/project/gw/krakend.json';
    const first = h.nextDiagnostics(uri);
    await h.open(uri, DUPLICATE);
    assert.ok((await first).some((d) => d.code === 'route/duplicate'));
    h.settings = { ...TEST_SETTINGS, configFiles: ['**/gateway.json'] };
    const cleared = h.nextDiagnostics(uri);
    await h.client.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    assert.deepEqual(await cleared, []);
  } finally {
    h.dispose();
  }
});

test('onType: rapid edits end with the diagnostics of the last text', async () => {
  const h = await startHarness({ settings: { ...TEST_SETTINGS, validate: { run: 'onType' } } });
  try {
    const uri = 'file:///work/project/typing/krakend.json';
    const opened = h.nextCheckResult(uri);
    await h.open(uri, '{ "version": 3 }');
    await opened;
    const last = h.nextCheckResult(uri, (r) => r.version === 12);
    for (let v = 2; v <= 12; v++) await h.change(uri, v % 2 === 1 ? DUPLICATE : `{ "version": 3, "name": "v${v}" }`, v);
    const r = await last;
    assert.equal(r.ok, true);
    await h.client.sendRequest<CheckResultParams>(CheckFileRequest, { uri: 'file:///work/project/y/krakend.json' }).catch(() => undefined);
    const mine = h.published.filter((p) => p.uri === uri);
    assert.deepEqual(mine.at(-1)?.diagnostics.filter((d) => d.severity === 1), []);
    assert.equal(mine.at(-1)?.version, 12);
  } finally {
    h.dispose();
  }
});

test('onType: an edit whose settings arrive after the close does not check the closed file from disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'krakend-live-closed-typing-'));
  const file = join(dir, 'krakend.json');
  writeFileSync(file, DUPLICATE);
  const uri = pathToFileURL(file).toString();
  const h = await startHarness({ settings: { ...TEST_SETTINGS, validate: { run: 'onType' } } });
  try {
    const opened = h.nextCheckResult(uri);
    await h.open(uri, '{ "version": 3 }');
    await opened;
    // From now on the editor is slow to answer settings: the edit waits for them, the close does not.
    let answer = (): void => undefined;
    h.configurationGate = new Promise<void>((resolve) => (answer = resolve));
    await h.client.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await h.change(uri, '{ "version": 3, "name": "x" }', 2);
    const cleared = h.nextDiagnostics(uri);
    await h.close(uri);
    assert.deepEqual(await cleared, []);
    // Proving that something never happens needs a bounded wait. The rogue check would come
    // 5 ms (the harness's typing delay) plus one small check after the release; 400 ms is ample.
    const rogue = h.nextCheckResult(uri, undefined, 400).then(
      (r) => `a ${r.trigger} check of the closed document`,
      () => 'nothing',
    );
    answer();
    h.configurationGate = undefined;
    assert.equal(await rogue, 'nothing');
  } finally {
    h.dispose();
  }
});

test('with no workspace folder, a krakend.json opened on its own is still checked', async () => {
  const h = await startHarness({ noWorkspace: true });
  try {
    const config = 'file:///somewhere/else/krakend.json';
    const diags = h.nextDiagnostics(config);
    await h.open(config, DUPLICATE);
    assert.ok((await diags).some((d) => d.code === 'route/duplicate'));
  } finally {
    h.dispose();
  }
});

test('save then close at once: the save is still reported (the gateway needs it), with no problems published after the close', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'krakend-live-save-close-'));
  const file = join(dir, 'krakend.json');
  writeFileSync(file, '{ "version": 3 }');
  const uri = pathToFileURL(file).toString();
  let release = (): void => undefined;
  let hold = false;
  let markStarted = (): void => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const none: PreparedLint = { extra: [], origin: 'none' };
  const h = await startHarness({
    resolver: {
      prepare: () => {
        if (!hold) return Promise.resolve(none);
        hold = false;
        markStarted();
        return new Promise<PreparedLint>((resolve) => (release = () => resolve(none)));
      },
    },
  });
  try {
    const opened = h.nextCheckResult(uri);
    await h.open(uri, '{ "version": 3 }');
    await opened;
    hold = true;
    const saved = h.nextCheckResult(uri, (r) => r.trigger === 'save');
    await h.save(uri);
    await withTimeout(started, 'the save check to start');
    const cleared = h.nextDiagnostics(uri);
    await h.close(uri);
    assert.deepEqual(await cleared, []);
    const after = h.published.length;
    release();
    const r = await saved;
    assert.equal(r.ok, true);
    assert.deepEqual(h.published.slice(after).filter((p) => p.uri === uri), []);
  } finally {
    h.dispose();
  }
});

test('a file that enters krakend.configFiles is checked at once', async () => {
  const h = await startHarness();
  try {
    const uri = 'file:///work/project/gw/gateway.json';
    await h.open(uri, DUPLICATE);
    h.settings = { ...TEST_SETTINGS, configFiles: ['**/gateway.json'] };
    const diags = h.nextDiagnostics(uri);
    await h.client.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    assert.ok((await diags).some((d) => d.code === 'route/duplicate'));
  } finally {
    h.dispose();
  }
});

test('onType: a save overtaken by an edit still reports its own verdict, and the edit is never reported as a save', async () => {
  const none: PreparedLint = { extra: [], origin: 'none' };
  let release = (): void => undefined;
  let markStarted = (): void => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  let calls = 0;
  // The second check (the save's) is held until the edit's check has finished.
  const resolver: SchemaResolver = {
    prepare: () => {
      if (++calls !== 2) return Promise.resolve(none);
      markStarted();
      return new Promise<PreparedLint>((resolve) => (release = () => resolve(none)));
    },
  };
  const h = await startHarness({ resolver, settings: { ...TEST_SETTINGS, validate: { run: 'onType' } } });
  try {
    const uri = 'file:///work/project/overtaken/krakend.json';
    const VALID = DUPLICATE.replace('"endpoint": "/a", "backend": [{ "url_pattern": "/y"', '"endpoint": "/b", "backend": [{ "url_pattern": "/y"');
    const opened = h.nextCheckResult(uri);
    await h.open(uri, VALID);
    await opened;
    await h.change(uri, VALID, 2);
    await h.save(uri);
    await withTimeout(started, 'the save check to start');
    const edit = h.nextCheckResult(uri, (r) => r.version === 3);
    await h.change(uri, DUPLICATE, 3);
    const editResult = await edit;
    assert.equal(editResult.trigger, 'change');
    assert.equal(editResult.ok, false);
    const saved = h.nextCheckResult(uri, (r) => r.trigger === 'save');
    release();
    const saveResult = await saved;
    assert.equal(saveResult.version, 2);
    assert.equal(saveResult.ok, true);
  } finally {
    h.dispose();
  }
});

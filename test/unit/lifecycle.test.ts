import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, isRunning, transition } from '../../client/src/gateway/lifecycle';
import type { Fault, LifecycleEvent, LifecycleState, Transition } from '../../client/src/gateway/lifecycle';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GatewayController } from '../../client/src/gateway/controller';
import type { ControllerDeps } from '../../client/src/gateway/controller';
import type { Connector } from '../../client/src/gateway/health';
import { connect as connectTcp } from 'node:net';
import type { ContainerEvent, ContainerState, DockerAdapter } from '../../client/src/gateway/docker';
import type { ContainerSpec } from '../../client/src/gateway/plan';
import type { EngineFacts } from '../../client/src/gateway/engine/paths';
import type { CheckResultParams } from '../../shared/protocol';
import { DEFAULT_GATEWAY_SETTINGS } from '../../shared/settings';
import type { GatewaySettings } from '../../shared/settings';

const save = (ok: boolean): LifecycleEvent => ({ type: 'checked', ok, errors: ok ? 0 : 2, warnings: 0, trigger: 'save' });

/** Applies events in order; returns the last transition and every effect seen. */
function play(s: LifecycleState, events: readonly LifecycleEvent[], t0 = 1000): { last: Transition; effects: string[] } {
  let last: Transition = { state: s, effects: [] };
  const effects: string[] = [];
  let now = t0;
  for (const e of events) {
    last = transition(last.state, e, now);
    now += 100;
    for (const f of last.effects) effects.push(`${f.op}${f.auto ? '(auto)' : ''}`);
  }
  return { last, effects };
}

const fresh = (): LifecycleState => initialState(3);
const healthy = (): LifecycleState => play(fresh(), [{ type: 'startRequested' }, { type: 'opSucceeded', op: 'start', healthy: true }]).last.state;

void test('stopped → start → starting → healthy, with the start duration as the reload time', () => {
  const a = transition(fresh(), { type: 'startRequested' }, 1000);
  assert.equal(a.state.phase, 'starting');
  assert.equal(a.state.op, 'start');
  assert.deepEqual(a.effects, [{ kind: 'run', op: 'start' }]);
  const b = transition(a.state, { type: 'opSucceeded', op: 'start', healthy: true }, 2500);
  assert.equal(b.state.phase, 'healthy');
  assert.equal(b.state.op, undefined);
  assert.equal(b.state.startedAt, 2500);
  assert.deepEqual(b.state.lastReload, { at: 2500, durationMs: 1500, op: 'start' });
  assert.deepEqual(b.effects, []);
});

void test('start that never gets a 200 ends unhealthy with a timeout fault', () => {
  const s = play(fresh(), [{ type: 'startRequested' }, { type: 'opSucceeded', op: 'start', healthy: false }]).last.state;
  assert.equal(s.phase, 'unhealthy');
  assert.equal(s.fault?.kind, 'timeout');
  assert.equal(isRunning(s), true);
});

void test('healthy → stop → stopping → stopped', () => {
  const a = transition(healthy(), { type: 'stopRequested' }, 5000);
  assert.equal(a.state.phase, 'stopping');
  assert.deepEqual(a.effects, [{ kind: 'run', op: 'stop' }]);
  const b = transition(a.state, { type: 'opSucceeded', op: 'stop', healthy: false }, 5100);
  assert.equal(b.state.phase, 'stopped');
  assert.equal(b.state.startedAt, undefined);
  assert.equal(isRunning(b.state), false);
});

void test('a valid save of a running gateway reloads it; the reload is counted', () => {
  const a = transition(healthy(), save(true), 5000);
  assert.equal(a.state.phase, 'reloading');
  assert.deepEqual(a.effects, [{ kind: 'run', op: 'reload' }]);
  const b = transition(a.state, { type: 'opSucceeded', op: 'reload', healthy: true }, 5800);
  assert.equal(b.state.phase, 'healthy');
  assert.equal(b.state.reloads, 1);
  assert.deepEqual(b.state.lastReload, { at: 5800, durationMs: 800, op: 'reload' });
});

void test('a valid auto-save (reloadOn: save) does not reload; it is flagged until a deliberate save, start or restart', () => {
  const auto: LifecycleEvent = { type: 'checked', ok: true, errors: 0, warnings: 0, trigger: 'save', autoSaved: true };
  const a = transition(healthy(), auto, 5000);
  assert.equal(a.state.phase, 'healthy');
  assert.deepEqual(a.effects, []);
  assert.equal(a.state.unapplied, true);
  assert.equal(a.state.configIssue, undefined);
  const invalid = transition(a.state, save(false), 5100);
  assert.equal(invalid.state.unapplied, undefined, 'an invalid save says so instead');
  assert.equal(invalid.state.configIssue, 'invalid');
  const again = transition(invalid.state, auto, 5200);
  assert.equal(again.state.configIssue, undefined);
  const manual = transition(again.state, save(true), 5300);
  assert.equal(manual.state.phase, 'reloading');
  assert.equal(manual.state.unapplied, undefined);
  assert.equal(transition(again.state, { type: 'restartRequested' }, 5300).state.unapplied, undefined);
  const stopped = play(again.state, [{ type: 'stopRequested' }, { type: 'opSucceeded', op: 'stop', healthy: true }]).last.state;
  assert.equal(transition(stopped, { type: 'startRequested' }, 9000).state.unapplied, undefined);
});

void test('blue/green: once the proxy switched, the gateway reads healthy while the old container drains; the reload time ends at the switch', () => {
  const a = transition(healthy(), save(true), 5000);
  assert.equal(a.state.phase, 'reloading');
  const b = transition(a.state, { type: 'switched' }, 5400);
  assert.equal(b.state.phase, 'healthy');
  assert.equal(b.state.op, 'reload', 'the reload is still running (the drain)');
  assert.deepEqual(b.effects, []);
  const c = transition(b.state, { type: 'opSucceeded', op: 'reload', healthy: true }, 9000);
  assert.deepEqual(c.state.lastReload, { at: 5400, durationMs: 400, op: 'reload' });
  assert.equal(c.state.switchedAt, undefined);
  assert.equal(transition(healthy(), { type: 'switched' }, 1).state.phase, 'healthy', 'no reload: nothing changes');
  const queued = transition(b.state, save(true), 5500);
  assert.equal(queued.state.queued, 'reload', 'a save during the drain queues one more reload');
});

void test('Start Gateway checking the config is a state of its own, left by the start or by a refused check', () => {
  const failed = play(fresh(), [{ type: 'startRequested' }, { type: 'opFailed', op: 'start', fault: { kind: 'portInUse', message: 'Port 8080 is in use' } }]).last.state;
  assert.equal(failed.phase, 'failed');
  const checking = transition(failed, { type: 'startChecking', on: true }, 10).state;
  assert.equal(checking.startChecking, true);
  const started = transition(checking, { type: 'startRequested' }, 20).state;
  assert.equal(started.phase, 'starting');
  assert.equal(started.startChecking, undefined);
  assert.equal(transition(checking, { type: 'startChecking', on: false }, 20).state.startChecking, undefined);
});

void test('an invalid save changes nothing but the flag: no effect, still healthy, "serving last good"', () => {
  const before = healthy();
  const a = transition(before, save(false), 5000);
  assert.deepEqual(a.effects, []);
  assert.equal(a.state.phase, 'healthy');
  assert.equal(a.state.configIssue, 'invalid');
  assert.equal(a.state.startedAt, before.startedAt);
  assert.equal(a.state.lastCheck?.ok, false);
  assert.equal(a.state.lastCheck?.errors, 2);
  // The next valid save clears the flag and reloads.
  const b = transition(a.state, save(true), 6000);
  assert.equal(b.state.configIssue, undefined);
  assert.deepEqual(b.effects, [{ kind: 'run', op: 'reload' }]);
});

void test('ten invalid saves: zero operations', () => {
  const { effects, last } = play(healthy(), Array.from({ length: 10 }, () => save(false)));
  assert.deepEqual(effects, []);
  assert.equal(last.state.phase, 'healthy');
  assert.equal(last.state.reloads, 0);
});

void test('rapid valid saves during a reload coalesce into ONE more reload, never two at once', () => {
  let s = transition(healthy(), save(true), 5000).state;
  const during = play(s, [save(true), save(true), save(true), save(true)]);
  assert.deepEqual(during.effects, [], 'no second op while one runs');
  s = during.last.state;
  assert.equal(s.op, 'reload');
  assert.equal(s.queued, 'reload');
  const done = transition(s, { type: 'opSucceeded', op: 'reload', healthy: true }, 7000);
  assert.deepEqual(done.effects, [{ kind: 'run', op: 'reload' }]);
  assert.equal(done.state.queued, undefined);
  const end = transition(done.state, { type: 'opSucceeded', op: 'reload', healthy: true }, 8000);
  assert.deepEqual(end.effects, []);
  assert.equal(end.state.reloads, 2);
});

void test('an invalid save keeps a reload queued by a valid one: the last good save is applied, and the status still says invalid', () => {
  // Seen in the soak on a quiet machine: valid v51 queued behind a running reload, then an invalid
  // save; dropping the queued reload left v50 serving for good.
  const s = play(healthy(), [save(true), save(true), save(false)]).last.state;
  assert.equal(s.op, 'reload');
  assert.equal(s.queued, 'reload');
  const done = transition(s, { type: 'opSucceeded', op: 'reload', healthy: true }, 9000);
  assert.deepEqual(done.effects, [{ kind: 'run', op: 'reload' }]);
  assert.equal(done.state.configIssue, 'invalid');
  const end = transition(done.state, { type: 'opSucceeded', op: 'reload', healthy: true }, 10_000);
  assert.deepEqual(end.effects, []);
  assert.equal(end.state.reloads, 2);
  assert.equal(end.state.configIssue, 'invalid');
});

void test('valid saves while stopped do not start the gateway', () => {
  const a = transition(fresh(), save(true), 1000);
  assert.deepEqual(a.effects, []);
  assert.equal(a.state.phase, 'stopped');
  assert.equal(a.state.lastCheck?.ok, true);
});

void test('check results that are not saves are recorded only', () => {
  for (const trigger of ['open', 'change', 'request'] as const) {
    const a = transition(healthy(), { type: 'checked', ok: true, errors: 0, warnings: 1, trigger }, 5000);
    assert.deepEqual(a.effects, [], trigger);
    assert.equal(a.state.lastCheck?.trigger, trigger);
    assert.equal(a.state.phase, 'healthy');
  }
});

void test('refusals: start while running, stop while stopped, start while starting', () => {
  assert.match(transition(healthy(), { type: 'startRequested' }, 1).refusal ?? '', /already running/);
  assert.match(transition(fresh(), { type: 'stopRequested' }, 1).refusal ?? '', /not running/);
  const starting = transition(fresh(), { type: 'startRequested' }, 1).state;
  const again = transition(starting, { type: 'startRequested' }, 2);
  assert.match(again.refusal ?? '', /already starting/);
  assert.deepEqual(again.effects, []);
});

void test('stop during a start is queued and runs right after it; the latest intent wins', () => {
  const starting = transition(fresh(), { type: 'startRequested' }, 1).state;
  const a = transition(starting, { type: 'stopRequested' }, 2);
  assert.deepEqual(a.effects, []);
  assert.equal(a.state.queued, 'stop');
  const b = transition(a.state, { type: 'opSucceeded', op: 'start', healthy: true }, 3);
  assert.deepEqual(b.effects, [{ kind: 'run', op: 'stop' }]);
  assert.equal(b.state.phase, 'stopping');
  // start queued behind a stop replaces it
  const c = transition(b.state, { type: 'startRequested' }, 4);
  assert.equal(c.state.queued, 'start');
  const d = transition(c.state, { type: 'opSucceeded', op: 'stop', healthy: false }, 5);
  assert.deepEqual(d.effects, [{ kind: 'run', op: 'start' }]);
});

void test('a reload queued behind a stop is refused; saves while stopping do not restart', () => {
  const stopping = transition(healthy(), { type: 'stopRequested' }, 1).state;
  const r = transition(stopping, { type: 'restartRequested' }, 2);
  assert.match(r.refusal ?? '', /stopping/);
  const s = transition(stopping, save(true), 3);
  assert.deepEqual(s.effects, []);
  const done = transition(s.state, { type: 'opSucceeded', op: 'stop', healthy: false }, 4);
  assert.deepEqual(done.effects, []);
  assert.equal(done.state.phase, 'stopped');
});

void test('restart: reload when running, start when stopped/exited/failed', () => {
  assert.deepEqual(transition(healthy(), { type: 'restartRequested' }, 1).effects, [{ kind: 'run', op: 'reload' }]);
  assert.deepEqual(transition(fresh(), { type: 'restartRequested' }, 1).effects, [{ kind: 'run', op: 'start' }]);
  const failed = play(fresh(), [{ type: 'startRequested' }, { type: 'opFailed', op: 'start', fault: { kind: 'portInUse', message: 'port' } }]).last.state;
  assert.equal(failed.phase, 'failed');
  assert.deepEqual(transition(failed, { type: 'restartRequested' }, 1).effects, [{ kind: 'run', op: 'start' }]);
});

void test('faults map to phases: Docker down / permission → dockerUnavailable, exit at start → exited with tail, others → failed', () => {
  const cases: [Fault, string][] = [
    [{ kind: 'dockerUnavailable', message: 'down' }, 'dockerUnavailable'],
    [{ kind: 'dockerPermission', message: 'EACCES' }, 'dockerUnavailable'],
    [{ kind: 'exitedAtStart', message: 'exit 1', exitCode: 1, logTail: ['open cert.pem: no such file'] }, 'exited'],
    [{ kind: 'imageNotFound', message: 'no image' }, 'failed'],
    [{ kind: 'registryUnreachable', message: 'offline' }, 'failed'],
    [{ kind: 'portInUse', message: 'port' }, 'failed'],
    [{ kind: 'notOwned', message: 'not ours' }, 'failed'],
    [{ kind: 'configMissing', message: 'nothing staged' }, 'failed'],
  ];
  for (const [fault, phase] of cases) {
    const s = play(fresh(), [{ type: 'startRequested' }, { type: 'opFailed', op: 'start', fault }]).last.state;
    assert.equal(s.phase, phase, fault.kind);
    assert.equal(s.op, undefined);
    assert.equal(s.fault?.kind, fault.kind);
  }
  const exited = play(fresh(), [{ type: 'startRequested' }, { type: 'opFailed', op: 'start', fault: cases[2]![0] }]).last.state;
  assert.deepEqual(exited.exit, { code: 1, oom: false, logTail: ['open cert.pem: no such file'] });
});

void test('every failed state is recoverable by Start', () => {
  for (const kind of ['dockerUnavailable', 'portInUse', 'imageNotFound', 'exitedAtStart'] as const) {
    const s = play(fresh(), [{ type: 'startRequested' }, { type: 'opFailed', op: 'start', fault: { kind, message: kind } }]).last.state;
    const t = transition(s, { type: 'startRequested' }, 99);
    assert.deepEqual(t.effects, [{ kind: 'run', op: 'start' }], kind);
    assert.equal(t.state.fault, undefined);
  }
});

void test('a crash restarts automatically until maxCrashRestarts, then stops retrying (crash loop)', () => {
  const died: LifecycleEvent = { type: 'died', exitCode: 2, oom: false, logTail: ['panic'] };
  let s = healthy();
  const effects: string[] = [];
  for (let i = 1; i <= 3; i++) {
    const t = transition(s, died, i * 1000);
    effects.push(...t.effects.map((e) => `${e.op}${e.auto ? '(auto)' : ''}`));
    assert.equal(t.state.crashes, i);
    s = transition(t.state, { type: 'opSucceeded', op: 'start', healthy: true }, i * 1000 + 500).state;
  }
  assert.deepEqual(effects, ['start(auto)', 'start(auto)', 'start(auto)']);
  const giveUp = transition(s, died, 9000);
  assert.deepEqual(giveUp.effects, []);
  assert.equal(giveUp.state.phase, 'exited');
  assert.equal(giveUp.state.fault?.kind, 'crashLoop');
  assert.deepEqual(giveUp.state.exit?.logTail, ['panic']);
  // A user start resets the count.
  const again = transition(giveUp.state, { type: 'startRequested' }, 10_000);
  assert.equal(again.state.crashes, 0);
  assert.deepEqual(again.effects, [{ kind: 'run', op: 'start' }]);
});

void test('an auto-restart that exits at once counts as a crash too', () => {
  const s0 = initialState(1);
  let s = play(s0, [{ type: 'startRequested' }, { type: 'opSucceeded', op: 'start', healthy: true }]).last.state;
  const t1 = transition(s, { type: 'died', exitCode: 1, oom: true, logTail: [] }, 1);
  assert.deepEqual(t1.effects, [{ kind: 'run', op: 'start', auto: true }]);
  s = t1.state;
  const t2 = transition(s, { type: 'opFailed', op: 'start', fault: { kind: 'exitedAtStart', message: 'x', exitCode: 1, logTail: ['boom'] } }, 2);
  assert.deepEqual(t2.effects, []);
  assert.equal(t2.state.fault?.kind, 'crashLoop');
  assert.equal(t2.state.crashes, 2);
});

void test('maxCrashRestarts 0: the first crash is final', () => {
  const s = play(initialState(0), [{ type: 'startRequested' }, { type: 'opSucceeded', op: 'start', healthy: true }]).last.state;
  const t = transition(s, { type: 'died', exitCode: 137, oom: true, logTail: [] }, 1);
  assert.deepEqual(t.effects, []);
  assert.equal(t.state.fault?.kind, 'crashLoop');
  assert.equal(t.state.exit?.oom, true);
});

void test('die events during our own operation are ignored (our restart kills the old process)', () => {
  const reloading = transition(healthy(), save(true), 1).state;
  const t = transition(reloading, { type: 'died', exitCode: 0, oom: false, logTail: [] }, 2);
  assert.deepEqual(t.effects, []);
  assert.equal(t.state, reloading);
  // and when stopped
  const stopped = fresh();
  assert.equal(transition(stopped, { type: 'died', exitCode: 0, oom: false, logTail: [] }, 3).state, stopped);
});

void test('a valid save after an exit at start (runtime config fault) starts it again', () => {
  const exited = play(fresh(), [{ type: 'startRequested' }, { type: 'opFailed', op: 'start', fault: { kind: 'exitedAtStart', message: 'x', exitCode: 1 } }]).last.state;
  const t = transition(exited, save(true), 5);
  assert.deepEqual(t.effects, [{ kind: 'run', op: 'start' }]);
});

void test('losing Docker while idle shows Docker unavailable; ignored while an op runs (the op reports)', () => {
  const t = transition(healthy(), { type: 'dockerLost', message: 'gone' }, 1);
  assert.equal(t.state.phase, 'dockerUnavailable');
  assert.equal(t.state.fault?.kind, 'dockerUnavailable');
  const busy = transition(healthy(), save(true), 1).state;
  assert.equal(transition(busy, { type: 'dockerLost', message: 'gone' }, 2).state, busy);
  assert.equal(transition(fresh(), { type: 'dockerLost', message: 'gone' }, 2).state.phase, 'stopped');
});

void test('a deleted config keeps the gateway running and drops a queued reload', () => {
  const s = play(healthy(), [save(true), save(true), { type: 'configDeleted' }]).last.state;
  assert.equal(s.configIssue, 'deleted');
  assert.equal(s.queued, undefined);
  assert.equal(s.op, 'reload');
});

void test('a failed op with a queued stop still runs the stop; a queued reload is dropped', () => {
  const a = play(healthy(), [save(true), { type: 'stopRequested' }]).last.state;
  assert.equal(a.queued, 'stop');
  const b = transition(a, { type: 'opFailed', op: 'reload', fault: { kind: 'timeout', message: 'slow' } }, 9);
  assert.deepEqual(b.effects, [{ kind: 'run', op: 'stop' }]);
  const c = play(healthy(), [save(true), save(true)]).last.state;
  const d = transition(c, { type: 'opFailed', op: 'reload', fault: { kind: 'timeout', message: 'slow' } }, 9);
  assert.deepEqual(d.effects, []);
  assert.equal(d.state.phase, 'failed');
});

void test('results for an op that is not running are ignored', () => {
  const s = healthy();
  assert.equal(transition(s, { type: 'opSucceeded', op: 'stop', healthy: false }, 1).state, s);
  assert.equal(transition(s, { type: 'opFailed', op: 'reload', fault: { kind: 'unknown', message: 'x' } }, 1).state, s);
});

void test('operations never overlap across a long random sequence', () => {
  const events: LifecycleEvent[] = [
    { type: 'startRequested' }, { type: 'stopRequested' }, { type: 'restartRequested' }, save(true), save(false), { type: 'configDeleted' },
    { type: 'died', exitCode: 1, oom: false, logTail: [] }, { type: 'dockerLost', message: 'x' },
  ];
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  let s = fresh();
  let running: string | undefined;
  for (let i = 0; i < 5000; i++) {
    let e: LifecycleEvent;
    if (running && rnd(3) === 0) {
      e = rnd(4) === 0 ? { type: 'opFailed', op: s.op!, fault: { kind: 'unknown', message: 'x' } } : { type: 'opSucceeded', op: s.op!, healthy: rnd(5) > 0 };
      running = undefined;
    } else {
      e = events[rnd(events.length)]!;
    }
    const t = transition(s, e, i);
    assert.ok(t.effects.length <= 1);
    if (t.effects.length === 1) {
      assert.equal(running, undefined, `op ${t.effects[0]!.op} started while ${running} runs (event ${e.type}, step ${i})`);
      running = t.effects[0]!.op;
      assert.equal(t.state.op, running);
    }
    s = t.state;
    if (!running) assert.equal(s.op, undefined);
  }
});

void test('a background probe moves a running gateway between healthy and unhealthy, never while an op runs', () => {
  const down = transition(healthy(), { type: 'healthChanged', healthy: false }, 1);
  assert.equal(down.state.phase, 'unhealthy');
  assert.equal(down.state.fault?.kind, 'timeout');
  assert.deepEqual(down.effects, []);
  const up = transition(down.state, { type: 'healthChanged', healthy: true }, 2);
  assert.equal(up.state.phase, 'healthy');
  assert.equal(up.state.fault, undefined);
  const busy = transition(healthy(), save(true), 3).state;
  assert.equal(transition(busy, { type: 'healthChanged', healthy: false }, 4).state, busy);
  const stopped = fresh();
  assert.equal(transition(stopped, { type: 'healthChanged', healthy: true }, 5).state, stopped);
});

void test('adopting a container left running by an earlier session (onDeactivate "keep")', () => {
  const a = transition(fresh(), { type: 'adopted', healthy: true, startedAt: 77 }, 100);
  assert.equal(a.state.phase, 'healthy');
  assert.equal(a.state.startedAt, 77);
  assert.deepEqual(a.effects, []);
  // Only from stopped: a user's start wins over a late adoption.
  const starting = transition(fresh(), { type: 'startRequested' }, 1).state;
  assert.equal(transition(starting, { type: 'adopted', healthy: true, startedAt: 1 }, 2).state, starting);
  // An adopted gateway reloads on a valid save like any other.
  assert.deepEqual(transition(a.state, save(true), 200).effects, [{ kind: 'run', op: 'reload' }]);
});

// ---- the controller executing the machine ---------------------------------------------------
// A Docker adapter double (no daemon in unit tests) whose "container" is a loopback HTTP server
// answering the health path; it records every call, so the wiring between check results, staging,
// restarts and events is tested here. Real Docker: test/integration/docker.test.ts; real KrakenD:
// test/integration/gateway.test.ts.

interface FakeDocker {
  calls: string[];
  restarts: number;
  maxConcurrent: number;
  emit(e: ContainerEvent): void;
  /** Makes the next start exit at once (the container does not listen). */
  exitNextStart: boolean;
  running: boolean;
  /** What each create was given. */
  specs: ContainerSpec[];
  /** The names of the files each putFiles (archive delivery) was given. */
  puts: string[][];
  close(): Promise<void>;
}

function fakeDocker(port: number, restartMs: number, facts: EngineFacts = { engine: 'docker', engineVersion: '27.0.0' }): { adapter: DockerAdapter; fake: FakeDocker } {
  let server: Server | undefined;
  let onEvent: ((e: ContainerEvent) => void) | undefined;
  let concurrent = 0;
  const listen = (): Promise<void> =>
    new Promise((resolve) => {
      server = createServer((_req, res) => res.end('{"status":"ok"}'));
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      const s = server;
      server = undefined;
      if (!s) return resolve();
      s.closeAllConnections();
      s.close(() => resolve());
    });
  const fake: FakeDocker = {
    calls: [],
    specs: [],
    puts: [],
    restarts: 0,
    maxConcurrent: 0,
    exitNextStart: false,
    running: false,
    emit: (e) => onEvent?.(e),
    close,
  };
  const state = (): ContainerState => ({ id: 'c1', name: 'krakend-live-x', image: 'krakend:2.13', running: fake.running, status: fake.running ? 'running' : 'exited', exitCode: fake.running ? 0 : 1, oomKilled: false, startedAt: '', labels: {} });
  const busy = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    fake.calls.push(name);
    concurrent++;
    fake.maxConcurrent = Math.max(fake.maxConcurrent, concurrent);
    try {
      return await f();
    } finally {
      concurrent--;
    }
  };
  const adapter: { engineFacts?: EngineFacts } & Record<string, unknown> = {
    // As the real adapter: the first ping reads /version, which the controller asks before its first plan.
    ping: () =>
      busy('ping', () => {
        adapter.engineFacts = facts;
        return Promise.resolve(undefined);
      }),
    hasImage: () => busy('hasImage', () => Promise.resolve(true)),
    // The running container is found under the plan's name (a recreate stops and removes it first).
    findOwned: (name: string) => busy('findOwned', () => Promise.resolve(fake.running && !/-(blue|green)$/.test(name) ? state() : undefined)),
    create: (spec: ContainerSpec) =>
      busy('create', () => {
        fake.specs.push(spec);
        return Promise.resolve('c1');
      }),
    putFiles: (_id: string, files: readonly { name: string }[]) =>
      busy('putFiles', () => {
        fake.puts.push(files.map((f) => f.name));
        return Promise.resolve();
      }),
    start: () =>
      busy('start', async () => {
        if (fake.exitNextStart) {
          fake.exitNextStart = false;
          fake.running = false;
          return;
        }
        fake.running = true;
        await listen();
      }),
    restart: () =>
      busy('restart', async () => {
        fake.restarts++;
        await close();
        fake.running = false;
        // Docker reports the old process's death while the restart is still under way.
        onEvent?.({ action: 'die', id: 'c1', name: 'krakend-live-x', exitCode: 0, time: Date.now() });
        await new Promise((r) => setTimeout(r, restartMs));
        fake.running = true;
        await listen();
      }),
    stop: () =>
      busy('stop', async () => {
        fake.running = false;
        await close();
      }),
    remove: () =>
      busy('remove', async () => {
        fake.running = false;
        await close();
      }),
    inspectOwned: () => Promise.resolve(state()),
    logTail: () => Promise.resolve(['boom: cannot load /etc/krakend/cert.pem']),
    events: (cb: (e: ContainerEvent) => void) => {
      onEvent = cb;
      return Promise.resolve({ dispose: () => (onEvent = undefined) });
    },
    dispose: () => undefined,
  };
  return { adapter: adapter as unknown as DockerAdapter, fake };
}

async function controllerWith(restartMs = 30, facts?: EngineFacts, over: Partial<GatewaySettings> = {}, engineConnector?: ControllerDeps['engineConnector']): Promise<{ ctrl: GatewayController; fake: FakeDocker; configPath: string; stagingDir: string; port: number; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'krakend-ctrl-'));
  const folder = join(root, 'ws');
  await mkdir(folder);
  const port = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const configPath = join(folder, 'krakend.json');
  const stagingDir = join(root, 'staging');
  const { adapter, fake } = fakeDocker(port, restartMs, facts);
  const ctrl = new GatewayController({
    folder: { path: folder, name: 'ws' },
    configPath,
    configRelativePath: 'krakend.json',
    stagingDir,
    settings: () => ({ ...DEFAULT_GATEWAY_SETTINGS, image: 'krakend:2.13', network: 'host', healthTimeout: 5, maxCrashRestarts: 1, reload: 'restart', ...over }),
    env: {},
    platform: 'linux',
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    createAdapter: () => adapter,
    ...(engineConnector ? { engineConnector } : {}),
    healthIntervalMs: 5,
    monitorIntervalMs: 60_000,
  });
  return {
    ctrl,
    fake,
    configPath,
    stagingDir,
    port,
    cleanup: async () => {
      ctrl.dispose();
      await fake.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

const config = (port: number, tag: string): string => JSON.stringify({ version: 3, port, name: tag });
const checkResult = (uri: string, ok: boolean, trigger: CheckResultParams['trigger'] = 'save'): CheckResultParams => ({
  uri, ok, errors: ok ? 0 : 1, warnings: 0, schema: { origin: 'bundled' }, trigger, durationMs: 1,
});

async function saveFile(c: Awaited<ReturnType<typeof controllerWith>>, text: string, ok: boolean): Promise<void> {
  await writeFile(c.configPath, text);
  await c.ctrl.checked(checkResult(`file://${c.configPath}`, ok));
}

async function started(restartMs = 30): Promise<Awaited<ReturnType<typeof controllerWith>>> {
  const c = await controllerWith(restartMs);
  await saveFile(c, config(c.port, 'v1'), true);
  assert.equal(c.ctrl.start().refusal, undefined);
  await c.ctrl.whenIdle();
  assert.equal(c.ctrl.lifecycle.phase, 'healthy');
  return c;
}

void test('controller: start stages the checked file and creates, starts and health-checks one container', async () => {
  const c = await started();
  try {
    // The first ping is the plan's (the engine's /version), the second the start's own.
    assert.deepEqual(c.fake.calls, ['ping', 'ping', 'hasImage', 'findOwned', 'findOwned', 'findOwned', 'create', 'start']);
    assert.equal(await readFile(join(c.stagingDir, 'krakend.json'), 'utf8'), config(c.port, 'v1'));
  } finally {
    await c.cleanup();
  }
});

void test('controller: the first container is planned for the engine it runs on (a Podman before 5.3 gets no host-gateway)', async () => {
  for (const [facts, extraHosts] of [
    [{ engine: 'podman', engineVersion: '4.3.1' }, []],
    [{ engine: 'docker', engineVersion: '20.10.24' }, ['host.docker.internal:host-gateway']],
  ] as const) {
    const c = await controllerWith(30, facts);
    try {
      await saveFile(c, config(c.port, 'v1'), true);
      c.ctrl.start();
      await c.ctrl.whenIdle();
      assert.deepEqual(c.fake.specs.map((s) => s.HostConfig.ExtraHosts), [extraHosts], facts.engine);
    } finally {
      await c.cleanup();
    }
  }
});

void test('controller: archive delivery (an ssh:// engine): the files go in between create and start and before each restart; a dropped file gets a new container', async () => {
  // The engine's side is this machine: its probes connect here, and say where they went.
  const probed: string[] = [];
  const here = (): Connector => (host, port) =>
    new Promise((resolve, reject) => {
      probed.push(`${host}:${port}`);
      const s = connectTcp({ host, port });
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    });
  const c = await controllerWith(30, undefined, { dockerHost: 'ssh://ana@127.0.0.1:2222' }, here);
  try {
    const extra = join(dirname(c.configPath), 'extra.json');
    await writeFile(extra, '{}');
    await saveFile(c, config(c.port, 'v1'), true);
    c.ctrl.start();
    await c.ctrl.whenIdle();
    assert.equal(c.ctrl.lifecycle.phase, 'healthy');
    assert.equal(c.ctrl.currentPlan?.configDelivery, 'archive');
    assert.deepEqual(c.fake.specs.map((s) => s.HostConfig.Mounts), [[]]);
    assert.deepEqual(c.fake.calls.slice(-3), ['create', 'putFiles', 'start']);
    assert.deepEqual(c.fake.puts, [['extra.json', 'krakend.json']]);
    assert.ok(probed.length > 0 && probed.every((p) => p === `127.0.0.1:${c.port}`), `health was probed through the engine's side: ${probed.join(' ')}`);
    let before = c.fake.calls.length;
    await saveFile(c, config(c.port, 'v2'), true);
    await c.ctrl.whenIdle();
    assert.deepEqual(c.fake.calls.slice(before), ['putFiles', 'restart'], 'the new files are in before the restart');
    assert.equal(c.fake.restarts, 1);
    before = c.fake.calls.length;
    await saveFile(c, config(c.port, 'v3'), false);
    await c.ctrl.whenIdle();
    assert.deepEqual(c.fake.calls.slice(before), [], 'an invalid save delivers nothing');
    await rm(extra);
    await saveFile(c, config(c.port, 'v4'), true);
    await c.ctrl.whenIdle();
    const after = c.fake.calls.slice(before);
    assert.ok(!after.includes('restart') && !after.slice(0, after.indexOf('create')).includes('putFiles'), after.join(' '));
    assert.ok(after.indexOf('stop') >= 0 && after.indexOf('remove') > after.indexOf('stop') && after.indexOf('create') > after.indexOf('remove'), `the old container goes first: ${after.join(' ')}`);
    assert.deepEqual(after.slice(-3), ['create', 'putFiles', 'start'], 'a new container, holding exactly the staged files');
    assert.deepEqual(c.fake.puts.at(-1), ['krakend.json']);
    assert.equal(c.ctrl.lifecycle.reloads, 2);
  } finally {
    await c.cleanup();
  }
});

void test('controller: Stop Gateway stops the container and removes it, so no Exited container is left', async () => {
  const c = await started();
  try {
    const before = c.fake.calls.length;
    assert.equal(c.ctrl.stop().refusal, undefined);
    await c.ctrl.whenIdle();
    assert.equal(c.ctrl.lifecycle.phase, 'stopped');
    assert.deepEqual(c.fake.calls.slice(before), ['stop', 'remove']);
    assert.equal(c.ctrl.container, undefined);
  } finally {
    await c.cleanup();
  }
});

void test('controller: a valid save stages and restarts once; its own die event is not a crash', async () => {
  const c = await started();
  try {
    await saveFile(c, config(c.port, 'v2'), true);
    await c.ctrl.whenIdle();
    assert.equal(c.fake.restarts, 1);
    assert.equal(c.ctrl.lifecycle.phase, 'healthy');
    assert.equal(c.ctrl.lifecycle.reloads, 1);
    assert.equal(c.ctrl.lifecycle.crashes, 0);
    assert.equal(await readFile(join(c.stagingDir, 'krakend.json'), 'utf8'), config(c.port, 'v2'));
  } finally {
    await c.cleanup();
  }
});

void test('controller: an invalid save neither stages nor restarts', async () => {
  const c = await started();
  try {
    const before = await stat(join(c.stagingDir, 'krakend.json'));
    await saveFile(c, '{"version": 3, "endpoints": [', false);
    await c.ctrl.whenIdle();
    assert.equal(c.fake.restarts, 0);
    assert.equal(c.ctrl.lifecycle.configIssue, 'invalid');
    const after = await stat(join(c.stagingDir, 'krakend.json'));
    assert.equal(after.ino, before.ino);
    assert.equal(await readFile(join(c.stagingDir, 'krakend.json'), 'utf8'), config(c.port, 'v1'));
  } finally {
    await c.cleanup();
  }
});

void test('controller: five rapid valid saves give two restarts, never overlapping, and the last one runs', async () => {
  // A restart slow enough that the other four saves surely arrive while the first one runs.
  const c = await started(500);
  try {
    c.fake.maxConcurrent = 0;
    for (const tag of ['a', 'b', 'c', 'd', 'e']) await saveFile(c, config(c.port, tag), true);
    await c.ctrl.whenIdle();
    assert.equal(c.fake.restarts, 2);
    assert.equal(c.fake.maxConcurrent, 1);
    assert.equal(await readFile(join(c.stagingDir, 'krakend.json'), 'utf8'), config(c.port, 'e'));
  } finally {
    await c.cleanup();
  }
});

void test('controller: an unexpected exit is restarted, the next one is a crash loop with the log tail', async () => {
  const c = await started();
  try {
    const calls = c.fake.calls.length;
    const restarted = new Promise<void>((resolve) => {
      const sub = c.ctrl.onDidChange((s) => {
        if (s.state.crashes === 1 && s.state.phase === 'healthy') {
          sub.dispose();
          resolve();
        }
      });
    });
    await c.fake.close();
    c.fake.running = false;
    c.fake.emit({ action: 'die', id: 'c1', name: 'krakend-live-x', exitCode: 2, time: Date.now() });
    await restarted;
    assert.deepEqual(c.fake.calls.slice(calls), ['ping', 'hasImage', 'findOwned', 'findOwned', 'findOwned', 'create', 'start']);
    const gaveUp = new Promise<void>((resolve) => {
      const sub = c.ctrl.onDidChange((s) => {
        if (s.state.fault?.kind === 'crashLoop') {
          sub.dispose();
          resolve();
        }
      });
    });
    await c.fake.close();
    c.fake.running = false;
    c.fake.emit({ action: 'die', id: 'c1', name: 'krakend-live-x', exitCode: 2, time: Date.now() });
    await gaveUp;
    assert.equal(c.ctrl.lifecycle.phase, 'exited');
    assert.deepEqual(c.ctrl.lifecycle.exit?.logTail, ['boom: cannot load /etc/krakend/cert.pem']);
  } finally {
    await c.cleanup();
  }
});

void test('controller: a container that exits at once is "exited" with its log tail', async () => {
  const c = await controllerWith();
  try {
    await saveFile(c, config(c.port, 'v1'), true);
    c.fake.exitNextStart = true;
    c.ctrl.start();
    await c.ctrl.whenIdle();
    assert.equal(c.ctrl.lifecycle.phase, 'exited');
    assert.equal(c.ctrl.lifecycle.fault?.kind, 'exitedAtStart');
    assert.deepEqual(c.ctrl.lifecycle.fault?.logTail, ['boom: cannot load /etc/krakend/cert.pem']);
  } finally {
    await c.cleanup();
  }
});

void test('controller: nothing staged and no passing check yet: Start says so', async () => {
  const c = await controllerWith();
  try {
    await writeFile(c.configPath, config(c.port, 'v1'));
    c.ctrl.start();
    await c.ctrl.whenIdle();
    assert.equal(c.ctrl.lifecycle.phase, 'failed');
    assert.equal(c.ctrl.lifecycle.fault?.kind, 'configMissing');
    assert.deepEqual(c.fake.calls, []);
  } finally {
    await c.cleanup();
  }
});

void test('a Docker probe at activation shows "Docker unavailable" on an idle gateway, and clears it when the daemon answers', () => {
  const down = transition(fresh(), { type: 'dockerProbed', available: false, message: 'Docker is not reachable' }, 1000);
  assert.equal(down.state.phase, 'dockerUnavailable');
  assert.equal(down.state.fault?.kind, 'dockerUnavailable');
  assert.deepEqual(down.effects, []);
  const up = transition(down.state, { type: 'dockerProbed', available: true, message: '' }, 2000);
  assert.equal(up.state.phase, 'stopped');
  assert.equal(up.state.fault, undefined);
  // A running gateway ignores probes.
  const running = transition(healthy(), { type: 'dockerProbed', available: false, message: 'x' }, 3000);
  assert.equal(running.state.phase, 'healthy');
});

void test('an automatic restart keeps the exit that caused it (the crash stays visible); the next user op clears it', () => {
  const died: LifecycleEvent = { type: 'died', exitCode: 137, oom: true, logTail: ['fatal error: out of memory'] };
  const restarting = transition(healthy(), died, 1000).state;
  assert.equal(restarting.phase, 'starting');
  assert.equal(restarting.opAuto, true);
  assert.deepEqual(restarting.exit, { code: 137, oom: true, logTail: ['fatal error: out of memory'] });
  const back = transition(restarting, { type: 'opSucceeded', op: 'start', healthy: true }, 1500).state;
  assert.equal(back.phase, 'healthy');
  assert.equal(back.exit?.code, 137);
  assert.equal(back.crashes, 1);
  const reloading = transition(back, { type: 'restartRequested' }, 2000).state;
  const reloaded = transition(reloading, { type: 'opSucceeded', op: 'reload', healthy: true }, 2500).state;
  assert.equal(reloaded.exit, undefined);
  const userStart = transition(transition(back, { type: 'stopRequested' }, 3000).state, { type: 'opSucceeded', op: 'stop', healthy: false }, 3100).state;
  assert.equal(transition(userStart, { type: 'startRequested' }, 3200).state.exit, undefined, 'a user start begins clean');
});

void test('a blue/green reload whose new KrakenD never became healthy: still healthy on the old one, the config marked rejected, the next valid save reloads', () => {
  const running = play(fresh(), [{ type: 'startRequested' }, { type: 'opSucceeded', op: 'start', healthy: true }]).last.state;
  const fault = { kind: 'exitedAtStart' as const, message: 'The new config did not start: KrakenD exited at once with code 1.', exitCode: 1, logTail: ['missing.pem'] };
  const { last, effects } = play(running, [
    { type: 'checked', ok: true, errors: 0, warnings: 0, trigger: 'save' },
    { type: 'reloadRejected', fault },
  ]);
  assert.deepEqual(effects, ['reload']);
  assert.equal(last.state.phase, 'healthy');
  assert.equal(last.state.op, undefined);
  assert.equal(last.state.configIssue, 'rejected');
  assert.equal(last.state.fault, fault);
  assert.equal(last.state.reloads, running.reloads);
  const fixed = play(last.state, [{ type: 'checked', ok: true, errors: 0, warnings: 0, trigger: 'save' }, { type: 'opSucceeded', op: 'reload', healthy: true }]).last.state;
  assert.equal(fixed.configIssue, undefined);
  assert.equal(fixed.fault, undefined);
  assert.equal(fixed.reloads, running.reloads + 1);
  // Only a reload can be rejected.
  assert.equal(transition(running, { type: 'reloadRejected', fault }, 5000).state, running);
});

void test('Docker lost under a running gateway: unavailable, then started again (auto) when Docker is back; a stopped one stays stopped', () => {
  const running = play(fresh(), [{ type: 'startRequested' }, { type: 'opSucceeded', op: 'start', healthy: true }]).last.state;
  const lost = transition(running, { type: 'dockerLost', message: 'Lost the connection to Docker.' }, 2000).state;
  assert.equal(lost.phase, 'dockerUnavailable');
  assert.equal(lost.resumeOnDocker, true);
  const back = transition(lost, { type: 'dockerBack' }, 3000);
  assert.deepEqual(back.effects, [{ kind: 'run', op: 'start', auto: true }]);
  assert.equal(back.state.phase, 'starting');
  assert.equal(back.state.resumeOnDocker, undefined);
  // The user stopped it while Docker was away: it stays down when Docker comes back.
  const stopped = transition(lost, { type: 'stopRequested' }, 2500);
  assert.match(stopped.refusal ?? '', /will not be started again/);
  const later = transition(stopped.state, { type: 'dockerBack' }, 3000);
  assert.deepEqual(later.effects, []);
  assert.equal(later.state.phase, 'stopped');
  // A gateway that was never running does not start by itself.
  const idle = transition(fresh(), { type: 'dockerProbed', available: false, message: 'no daemon' }, 1000).state;
  assert.deepEqual(transition(idle, { type: 'dockerBack' }, 2000).effects, []);
});

void test('staging that fails during a reload: still healthy on the last good config, the fault says why', () => {
  const running = play(fresh(), [{ type: 'startRequested' }, { type: 'opSucceeded', op: 'start', healthy: true }]).last.state;
  const { last } = play(running, [
    { type: 'checked', ok: true, errors: 0, warnings: 0, trigger: 'save' },
    { type: 'reloadRejected', fault: { kind: 'staging', message: 'Staging the new config failed: EPERM' } },
  ]);
  assert.equal(last.state.phase, 'healthy');
  assert.equal(last.state.configIssue, 'rejected');
  assert.equal(last.state.fault?.kind, 'staging');
});

void test('a start that fails because Docker is gone is resumed when Docker is back; a failed stop is not', () => {
  const starting = transition(fresh(), { type: 'startRequested' }, 1000).state;
  const failed = transition(starting, { type: 'opFailed', op: 'start', fault: { kind: 'dockerUnavailable', message: 'Docker is not reachable' } }, 1100).state;
  assert.equal(failed.phase, 'dockerUnavailable');
  assert.equal(failed.resumeOnDocker, true);
  assert.deepEqual(transition(failed, { type: 'dockerBack' }, 2000).effects, [{ kind: 'run', op: 'start', auto: true }]);
  const running = play(fresh(), [{ type: 'startRequested' }, { type: 'opSucceeded', op: 'start', healthy: true }, { type: 'stopRequested' }]).last.state;
  const stopFailed = transition(running, { type: 'opFailed', op: 'stop', fault: { kind: 'dockerUnavailable', message: 'gone' } }, 2000).state;
  assert.equal(stopFailed.resumeOnDocker, undefined);
});

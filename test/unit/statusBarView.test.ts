import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState } from '../../client/src/gateway/lifecycle';
import type { LifecycleState } from '../../client/src/gateway/lifecycle';
import { displayKind, formatDuration, renderStatus } from '../../client/src/statusBar/view';
import type { GatewaySnapshot, StatusView } from '../../client/src/statusBar/view';

const NOW = 1_000_000;

function gw(state: Partial<LifecycleState>, extra: Partial<GatewaySnapshot> = {}): GatewaySnapshot {
  return {
    folderName: 'gw',
    configRelativePath: 'krakend.json',
    state: { ...initialState(3), ...state },
    image: 'krakend:2.13',
    reload: 'graceful',
    ports: '127.0.0.1:8080 → 8080/tcp',
    healthUrl: 'http://127.0.0.1:8080/__health',
    dockerHost: 'unix:///var/run/docker.sock',
    ...extra,
  };
}

function view(...gateways: GatewaySnapshot[]): StatusView {
  return renderStatus({ trusted: true, hasConfig: true, gateways, now: NOW });
}

void test('stopped', () => {
  const v = view(gw({ phase: 'stopped' }));
  assert.equal(v.kind, 'stopped');
  assert.equal(v.text, '$(circle-large-outline) KrakenD stopped');
  assert.equal(v.backgroundColor, undefined);
  assert.equal(v.command, 'krakend.showMenu');
});

void test('starting, reloading and stopping share the spinning icon with their own word', () => {
  assert.equal(view(gw({ phase: 'starting', op: 'start' })).text, '$(sync~spin) KrakenD starting');
  assert.equal(view(gw({ phase: 'reloading', op: 'reload' })).text, '$(sync~spin) KrakenD reloading');
  assert.equal(view(gw({ phase: 'stopping', op: 'stop' })).text, '$(sync~spin) KrakenD stopping');
  assert.equal(view(gw({ phase: 'starting' })).color, 'charts.blue');
});

void test('healthy shows the reload time; the tooltip has image, ports, uptime, last reload and last check', () => {
  const v = view(
    gw({
      phase: 'healthy',
      startedAt: NOW - 125_000,
      lastReload: { at: NOW - 5_000, durationMs: 1_234, op: 'reload' },
      lastCheck: { ok: true, errors: 0, warnings: 1, trigger: 'save', at: NOW - 6_000 },
    }),
  );
  assert.equal(v.kind, 'healthy');
  assert.equal(v.text, '$(pass-filled) KrakenD healthy (reload 1.2 s)');
  assert.equal(v.color, 'charts.green');
  assert.equal(v.backgroundColor, undefined);
  assert.match(v.tooltip, /Image: `krakend:2\.13` \(graceful reloads\)/);
  assert.match(v.tooltip, /Ports: 127\\\.0\\\.0\\\.1:8080 → 8080\/tcp/);
  assert.match(v.tooltip, /Uptime: 2m 5s/);
  assert.match(v.tooltip, /Last reload: 5\.0 s ago, took 1\.2 s/);
  assert.match(v.tooltip, /Last check: ok, 1 warning\(s\) \(save, 6\.0 s ago\)/);
});

void test('a :watch image says reflex cuts requests', () => {
  const v = view(gw({ phase: 'healthy', startedAt: NOW }, { image: 'krakend:watch', reload: 'watch' }));
  assert.match(v.tooltip, /reflex reloads: in-flight requests are cut after ~1 s/);
});

void test('unhealthy: warning icon and background, with the reason', () => {
  const v = view(gw({ phase: 'unhealthy', startedAt: NOW, fault: { kind: 'timeout', message: 'no 200 from /__health' } }));
  assert.equal(v.kind, 'unhealthy');
  assert.equal(v.text, '$(warning) KrakenD unhealthy');
  assert.equal(v.backgroundColor, 'statusBarItem.warningBackground');
  assert.match(v.tooltip, /no 200 from \/\\_\\_health/);
});

void test('exited: exit code in the text, last log lines in the tooltip', () => {
  const v = view(gw({ phase: 'exited', exit: { code: 1, oom: false, logTail: ['ERROR parsing the configuration file', 'open /etc/krakend/cert.pem: no such file'] } }));
  assert.equal(v.kind, 'exited');
  assert.equal(v.text, '$(error) KrakenD exited (1)');
  assert.equal(v.backgroundColor, 'statusBarItem.errorBackground');
  assert.match(v.tooltip, /Last log lines:\n\n````text\nERROR parsing the configuration file\nopen \/etc\/krakend\/cert\.pem: no such file\n````/);
});

void test('crash loop says so', () => {
  const v = view(gw({ phase: 'exited', exit: { code: 2, oom: false, logTail: ['panic'] }, fault: { kind: 'crashLoop', message: 'KrakenD exited 4 times in a row', exitCode: 2, logTail: ['panic'] } }));
  assert.equal(v.text, '$(error) KrakenD crash loop (exit 2)');
  assert.match(v.tooltip, /exited 4 times in a row/);
});

void test('config invalid, serving last good: its own icon, warning background, and the last check', () => {
  const v = view(gw({ phase: 'healthy', configIssue: 'invalid', startedAt: NOW, lastCheck: { ok: false, errors: 3, warnings: 0, trigger: 'save', at: NOW } }));
  assert.equal(v.kind, 'configInvalid');
  assert.equal(v.text, '$(alert) KrakenD config invalid, serving last good');
  assert.equal(v.backgroundColor, 'statusBarItem.warningBackground');
  assert.match(v.tooltip, /Last check: 3 error\(s\), 0 warning\(s\)/);
  const deleted = view(gw({ phase: 'healthy', configIssue: 'deleted', startedAt: NOW }));
  assert.equal(deleted.text, '$(alert) KrakenD config deleted, serving last good');
});

void test('Docker unavailable and permission denied', () => {
  const v = view(gw({ phase: 'dockerUnavailable', fault: { kind: 'dockerUnavailable', message: 'Docker is not reachable at unix:///var/run/docker.sock (ENOENT).' } }));
  assert.equal(v.kind, 'dockerUnavailable');
  assert.equal(v.text, '$(debug-disconnect) KrakenD Docker unavailable');
  assert.equal(v.backgroundColor, 'statusBarItem.errorBackground');
  assert.match(v.tooltip, /ENOENT/);
  const p = view(gw({ phase: 'dockerUnavailable', fault: { kind: 'dockerPermission', message: 'Permission denied' } }));
  assert.equal(p.text, '$(debug-disconnect) KrakenD Docker permission denied');
});

void test('failed states name the fault', () => {
  for (const [kind, word] of [['portInUse', 'port in use'], ['imageNotFound', 'image not found'], ['registryUnreachable', 'registry unreachable'], ['notOwned', 'name taken by another container']] as const) {
    const v = view(gw({ phase: 'failed', fault: { kind, message: 'm' } }));
    assert.equal(v.kind, 'failed');
    assert.equal(v.text, `$(close) KrakenD ${word}`);
    assert.equal(v.backgroundColor, 'statusBarItem.errorBackground');
  }
});

void test('untrusted and no config', () => {
  const u = renderStatus({ trusted: false, hasConfig: true, gateways: [gw({ phase: 'healthy' })], now: NOW });
  assert.equal(u.kind, 'untrusted');
  assert.equal(u.text, '$(workspace-untrusted) KrakenD');
  assert.match(u.tooltip, /not trusted/);
  const n = renderStatus({ trusted: true, hasConfig: false, gateways: [], now: NOW });
  assert.equal(n.kind, 'noConfig');
  assert.match(n.tooltip, /krakend\.configFiles/);
});

void test('several folders: the one needing attention is shown, all are in the tooltip', () => {
  const v = view(gw({ phase: 'healthy', startedAt: NOW }, { folderName: 'a' }), gw({ phase: 'failed', fault: { kind: 'portInUse', message: 'port 8080' } }, { folderName: 'b' }));
  assert.equal(v.text, '$(close) KrakenD b: port in use (+1)');
  assert.match(v.tooltip, /\*\*a\*\*/);
  assert.match(v.tooltip, /\*\*b\*\*/);
});

void test('every state has a distinct icon', () => {
  const states: Partial<LifecycleState>[] = [
    { phase: 'stopped' }, { phase: 'starting' }, { phase: 'healthy' }, { phase: 'unhealthy' }, { phase: 'exited' },
    { phase: 'healthy', configIssue: 'invalid' }, { phase: 'failed' }, { phase: 'dockerUnavailable' },
  ];
  const icons = states.map((s) => /^\$\([^)]+\)/.exec(view(gw(s)).text)![0]);
  assert.equal(new Set(icons).size, icons.length);
  assert.deepEqual(states.map((s) => displayKind({ ...initialState(3), ...s })), ['stopped', 'starting', 'healthy', 'unhealthy', 'exited', 'configInvalid', 'failed', 'dockerUnavailable']);
});

void test('markdown in fault messages is escaped; log lines with backticks cannot break the fence', () => {
  const v = view(gw({ phase: 'exited', fault: { kind: 'exitedAtStart', message: 'bad *config* [x](y)' }, exit: { code: 1, oom: false, logTail: ['```', 'x'] } }));
  assert.match(v.tooltip, /bad \\\*config\\\* \\\[x\\\]\\\(y\\\)/);
  assert.match(v.tooltip, /````text\n```\nx\n````/);
});

void test('formatDuration', () => {
  assert.equal(formatDuration(12), '12 ms');
  assert.equal(formatDuration(1500), '1.5 s');
  assert.equal(formatDuration(61_000), '1m 1s');
  assert.equal(formatDuration(3_720_000), '1h 2m');
});

void test('an automatic restart after a crash says so, and the crash stays in the tooltip once healthy again', () => {
  const exit = { code: 137, oom: true, logTail: ['fatal error: runtime: out of memory'] };
  const restarting = view(gw({ phase: 'starting', op: 'start', opAuto: true, crashes: 1, exit }));
  assert.equal(restarting.text, '$(sync~spin) KrakenD restarting after exit 137');
  const back = view(gw({ phase: 'healthy', crashes: 1, exit, startedAt: NOW - 5000 }));
  assert.equal(back.kind, 'healthy');
  assert.match(back.tooltip, /exited unexpectedly with code 137 \(out of memory\) and was restarted automatically \(1 of 3 restarts used\)/);
  assert.match(back.tooltip, /fatal error: runtime: out of memory/);
  const clean = view(gw({ phase: 'healthy', startedAt: NOW - 5000 }));
  assert.doesNotMatch(clean.tooltip, /exited unexpectedly|Last log lines/);
});

void test('a rejected blue/green config: serving last good, with why and the new container\'s log tail', () => {
  const v = view(gw({ phase: 'healthy', configIssue: 'rejected', fault: { kind: 'exitedAtStart', message: 'The new config did not start: KrakenD exited at once with code 1.', logTail: ['open missing.pem: no such file'] } }, { reload: 'blueGreen' }));
  assert.equal(v.kind, 'configInvalid');
  assert.match(v.text, /new config not applied, serving last good/);
  assert.match(v.tooltip, /blue\/green reloads behind a loopback proxy/);
  assert.match(v.tooltip, /could not be applied/);
  assert.match(v.tooltip, /did not start/);
  assert.match(v.tooltip, /open missing\.pem: no such file/);
});

void test('a first start is not a reload; an auto-save that was not applied is said', () => {
  const started = view(gw({ phase: 'healthy', startedAt: NOW, lastReload: { at: NOW, durationMs: 345, op: 'start' } }));
  assert.equal(started.text, '$(pass-filled) KrakenD healthy (started in 345 ms)');
  assert.doesNotMatch(started.text, /reload/);
  assert.match(started.tooltip, /Last start: /);
  const auto = view(gw({ phase: 'healthy', unapplied: true, lastReload: { at: NOW, durationMs: 345, op: 'reload' } }));
  assert.equal(auto.kind, 'healthy');
  assert.equal(auto.text, '$(pass-filled) KrakenD healthy, auto-save not applied');
  assert.match(auto.tooltip, /auto-save: the config is valid but not applied/);
});

void test('blue/green: after the switch, the bar reads healthy with the time to the switch, not "reloading"', () => {
  const v = view(gw({ phase: 'healthy', op: 'reload', opStartedAt: NOW - 2_000, switchedAt: NOW - 1_600 }));
  assert.equal(v.kind, 'healthy');
  assert.equal(v.text, '$(pass-filled) KrakenD healthy (reload 400 ms)');
});

void test('a retried start shows "checking the config" at once, not the stale fault', () => {
  const fault = { kind: 'portInUse' as const, message: 'Port 8080 is in use' };
  assert.match(view(gw({ phase: 'failed', fault })).text, /port in use/);
  const v = view(gw({ phase: 'failed', fault, startChecking: true }));
  assert.equal(v.kind, 'starting');
  assert.equal(v.text, '$(sync~spin) KrakenD checking the config');
  assert.equal(view(gw({ phase: 'healthy', startChecking: true })).kind, 'healthy', 'a running gateway is not hidden by a start the machine will refuse');
});

// needs: docker
// (integration) The gateway's Docker adapter (client/src/gateway/docker.ts) against the real daemon,
// with the locally built busybox test image and host networking, plus the controller's Docker-side
// faults that need no KrakenD (daemon unavailable, port in use, image missing, a name taken by a
// container that is not ours). KrakenD itself is exercised in gateway.test.ts.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Docker from 'dockerode';
import { GatewayController } from '../../client/src/gateway/controller';
import type { ControllerDeps, Logger } from '../../client/src/gateway/controller';
import { DockerAdapter, DockerError, classifyError, classifyPullError, demuxLines } from '../../client/src/gateway/docker';
import type { ContainerEvent, Disposable } from '../../client/src/gateway/docker';
import { isPortOpen, waitHealthy } from '../../client/src/gateway/health';
import { CONFIG_LABEL, FOLDER_LABEL, OWNED_LABEL, buildPlan, containerName } from '../../client/src/gateway/plan';
import type { ContainerSpec } from '../../client/src/gateway/plan';
import { Staging, collectConfigFiles } from '../../client/src/gateway/staging';
import type { CheckResultParams } from '../../shared/protocol';
import { DEFAULT_GATEWAY_SETTINGS } from '../../shared/settings';
import type { GatewaySettings } from '../../shared/settings';
import { connectDocker, freePort, labels, newRunId, removeTestResources, testLabels, withTimeout } from '../support/docker';
import { requireComponent } from '../support/env';

const T = 20_000;
/**
 * The test image itself carries our owned label (so the environment's cleanup finds everything),
 * and containers inherit image labels. Setting it to "false" is how a test makes a container that
 * is not ours; the adapter's rule is "exactly true", so this is the same case as "no label".
 */
const NOT_OURS = { [OWNED_LABEL]: 'false' };

function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (level: string) => (m: string): void => {
    lines.push(`${level} ${m}`);
  };
  return { lines, debug: add('debug'), info: add('info'), warn: add('warn'), error: add('error') };
}

function passingCheck(uri: string): CheckResultParams {
  return { uri, ok: true, errors: 0, warnings: 0, schema: { origin: 'bundled' }, trigger: 'request', durationMs: 1 };
}

/** Resolves with the first event that matches; subscribe before triggering. */
function nextEvent(events: ContainerEvent[], waiters: ((e: ContainerEvent) => boolean)[], match: (e: ContainerEvent) => boolean): Promise<ContainerEvent> {
  const seen = events.find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => {
    waiters.push((e) => {
      if (!match(e)) return false;
      resolve(e);
      return true;
    });
  });
}

async function occupyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { port: (server.address() as AddressInfo).port, server };
}

void describe('gateway Docker adapter (integration)', () => {
  const run = newRunId('adapter');
  let raw: Docker;
  let adapter: DockerAdapter;
  let image: string;
  let socket: string;
  let root: string;
  let stagingDir: string;
  let eventsSub: Disposable | undefined;
  const events: ContainerEvent[] = [];
  const waiters: ((e: ContainerEvent) => boolean)[] = [];
  let n = 0;

  before(async () => {
    const d = requireComponent('docker');
    image = d.testImage;
    socket = d.socket;
    raw = connectDocker();
    adapter = new DockerAdapter({ kind: 'socket', socketPath: socket, description: `unix://${socket}` });
    root = await mkdtemp(join(tmpdir(), 'krakend-adapter-'));
    stagingDir = join(root, 'staging');
    await new Staging(stagingDir).stage([{ name: 'krakend.json', content: Buffer.from('{"version":3}') }, { name: '__health', content: Buffer.from('ok') }]);
    // Listen first, for the whole file: every test below awaits events that happen after this.
    eventsSub = await adapter.events(
      (e) => {
        events.push(e);
        for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i]!(e)) waiters.splice(i, 1);
      },
      () => undefined,
      { [labels.test]: run },
    );
  });

  after(async () => {
    eventsSub?.dispose();
    adapter?.dispose();
    if (raw) await removeTestResources(raw, run);
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** The plan's real spec (host network, our labels, the staging mount), with a busybox command. */
  function spec(cmd: string[]): ContainerSpec {
    n++;
    const plan = buildPlan({
      settings: { ...DEFAULT_GATEWAY_SETTINGS, image, network: 'host', gracePeriod: 10, reload: 'restart' },
      env: {},
      platform: process.platform,
      folder: { path: join(root, `ws${n}`), name: `ws${n}` },
      configRelativePath: 'krakend.json',
      configFileName: 'krakend.json',
      config: { port: 8080, healthPath: '/__health', healthDisabled: false },
      stagingDir,
      extraLabels: testLabels(run),
    });
    return { ...plan.spec, name: `${plan.spec.name}-${run}`, Cmd: cmd };
  }

  void it('classifies daemon, socket, port and pull errors into typed faults', () => {
    const err = (props: Record<string, unknown>): Error => Object.assign(new Error('x'), props);
    assert.equal(classifyError(err({ code: 'ENOENT' }), 'ping', 'unix:///x').kind, 'dockerUnavailable');
    assert.equal(classifyError(err({ code: 'ECONNREFUSED' }), 'ping', 'tcp://h').kind, 'dockerUnavailable');
    const perm = classifyError(err({ code: 'EACCES' }), 'ping', 'unix:///var/run/docker.sock');
    assert.equal(perm.kind, 'dockerPermission');
    assert.match(perm.message, /"docker" group/);
    assert.equal(classifyError(err({ statusCode: 500, json: { message: 'driver failed programming external connectivity: Bind for 127.0.0.1:8080 failed: port is already allocated' } }), 'start', 's').kind, 'portInUse');
    assert.equal(classifyError(err({ statusCode: 404, json: { message: 'No such image: krakend:9.9' } }), 'create', 's').kind, 'imageNotFound');
    assert.equal(classifyError(err({ statusCode: 404, json: { message: 'No such container: x' } }), 'inspect', 's').kind, 'notFound');
    assert.equal(classifyError(err({ statusCode: 409, json: { message: 'Conflict. The container name is already in use' } }), 'create', 's').kind, 'conflict');
    assert.equal(classifyPullError('manifest for krakend:9.9 not found: manifest unknown', 'krakend:9.9').kind, 'imageNotFound');
    assert.equal(classifyPullError('pull access denied for nope, repository does not exist', 'nope').kind, 'imageNotFound');
    assert.equal(classifyPullError('Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host', 'krakend:2.13').kind, 'registryUnreachable');
    // Frames: stream 1 then 2, each with its 8-byte header; a line split across frames is joined.
    const frame = (stream: number, text: string): Buffer => {
      const body = Buffer.from(text);
      const h = Buffer.alloc(8);
      h[0] = stream;
      h.writeUInt32BE(body.length, 4);
      return Buffer.concat([h, body]);
    };
    assert.deepEqual(demuxLines(Buffer.concat([frame(1, 'a\nb'), frame(2, 'err\n'), frame(1, 'c\n')])), [
      { stream: 'stdout', line: 'a' },
      { stream: 'stderr', line: 'err' },
      { stream: 'stdout', line: 'bc' },
    ]);
    assert.deepEqual(demuxLines(Buffer.from('tty line\n')), [{ stream: 'stdout', line: 'tty line' }]);
  });

  void it('answers ping and reports the engine version', async () => {
    await adapter.ping();
    assert.match(await adapter.serverVersion(), /^\d+\.\d+/);
  });

  void it('creates with our labels and only the read-only staging mount; logs are followed and demultiplexed', async () => {
    const s = spec([
      'sh',
      '-c',
      'cat /etc/krakend/krakend.json; echo; echo to-stderr >&2; if touch /etc/krakend/probe 2>/dev/null; then echo WRITABLE; else echo read-only; fi; trap "echo got-term; exit 0" TERM; while true; do sleep 0.1; done',
    ]);
    const id = await adapter.create(s);
    const info = await raw.getContainer(id).inspect();
    assert.equal(info.Config.Labels[OWNED_LABEL], 'true');
    assert.equal(info.Config.Labels[FOLDER_LABEL], s.Labels[FOLDER_LABEL]);
    assert.equal(info.Config.Labels[CONFIG_LABEL], 'krakend.json');
    assert.equal(info.HostConfig.NetworkMode, 'host');
    assert.deepEqual(
      info.Mounts.map((m) => ({ Source: m.Source, Destination: m.Destination, RW: m.RW })),
      [{ Source: stagingDir, Destination: '/etc/krakend', RW: false }],
    );
    assert.ok(info.Config.Env.includes('USAGE_DISABLE=1'));
    await adapter.start(id);
    const out: string[] = [];
    const err: string[] = [];
    let wake: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => {
      wake = () => {
        if (out.includes('read-only') && out.includes('{"version":3}') && err.includes('to-stderr')) resolve();
      };
    });
    const follow = await adapter.followLogs(id, {
      stdout: (l) => {
        out.push(l);
        wake();
      },
      stderr: (l) => {
        err.push(l);
        wake();
      },
    });
    try {
      await withTimeout(seen, T, `the container's lines (stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(err)})`);
      assert.ok(!out.includes('WRITABLE'), 'the staging mount must be read-only');
      assert.ok(!out.includes('to-stderr') && !err.includes('read-only'), 'stdout and stderr are not mixed');
    } finally {
      follow.dispose();
    }
  });

  void it('stop sends SIGTERM and waits for the process to finish (exit 0, not a SIGKILL 137)', async () => {
    const id = await adapter.create(spec(['sh', '-c', 'trap "echo got-term; exit 0" TERM; echo ready; while true; do sleep 0.1; done']));
    await adapter.start(id);
    const died = nextEvent(events, waiters, (e) => e.id === id && e.action === 'die');
    const t0 = Date.now();
    await adapter.stop(id, 10);
    const elapsed = Date.now() - t0;
    const ev = await withTimeout(died, T, 'the die event');
    assert.equal(ev.exitCode, 0);
    const st = await adapter.inspectOwned(id);
    assert.equal(st.running, false);
    assert.equal(st.exitCode, 0);
    assert.ok(elapsed < 9000, `the trap ended it well before the 10 s grace (${elapsed} ms)`);
    assert.ok((await adapter.logTail(id, 5)).includes('got-term'));
  });

  void it('restart keeps the container, changes StartedAt and sends SIGTERM first', async () => {
    const id = await adapter.create(spec(['sh', '-c', 'trap "echo got-term; exit 0" TERM; echo ready; while true; do sleep 0.1; done']));
    await adapter.start(id);
    const first = await adapter.inspectOwned(id);
    const restarted = nextEvent(events, waiters, (e) => e.id === id && e.action === 'restart');
    await adapter.restart(id, 10);
    await withTimeout(restarted, T, 'the restart event');
    const second = await adapter.inspectOwned(id);
    assert.equal(second.id, first.id);
    assert.equal(second.running, true);
    assert.notEqual(second.startedAt, first.startedAt);
    assert.ok((await adapter.logTail(id, 10)).includes('got-term'));
    await adapter.kill(id, 'SIGKILL');
  });

  void it('observes a die event with the exit code, and reads the log tail after the exit', async () => {
    const id = await adapter.create(spec(['sh', '-c', 'echo line-1; echo line-2 >&2; exit 3']));
    const died = nextEvent(events, waiters, (e) => e.id === id && e.action === 'die');
    await adapter.start(id);
    const ev = await withTimeout(died, T, 'the die event');
    assert.equal(ev.exitCode, 3);
    assert.ok(ev.name.length > 0);
    // Docker copies stdout and stderr on separate pipes: their relative order is not kept.
    assert.deepEqual((await adapter.logTail(id, 10)).sort(), ['line-1', 'line-2']);
    assert.equal((await adapter.logTail(id, 1)).length, 1);
  });

  void it('a container that cannot bind its port (host network, port taken) exits at once with the reason in its log', async () => {
    const { port, server } = await occupyPort();
    try {
      assert.equal(await isPortOpen('127.0.0.1', port, 1000), true);
      const id = await adapter.create(spec(['httpd', '-f', '-p', `127.0.0.1:${port}`]));
      const died = nextEvent(events, waiters, (e) => e.id === id && e.action === 'die');
      await adapter.start(id);
      const ev = await withTimeout(died, T, 'the die event');
      assert.notEqual(ev.exitCode, 0);
      assert.match((await adapter.logTail(id, 5)).join('\n'), /Address already in use/);
    } finally {
      server.close();
    }
  });

  void it('the health poll gets 200 from a real container on the host network, and stops when it exits', async () => {
    const port = await freePort();
    const id = await adapter.create(spec(['httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', '/etc/krakend']));
    await adapter.start(id);
    const target = { host: '127.0.0.1', port, path: '/__health', tcpOnly: false };
    const ok = await waitHealthy({ target, timeoutMs: T, intervalMs: 20, alive: async () => (await adapter.inspectOwned(id)).running });
    assert.equal(ok.kind, 'healthy');
    assert.equal(ok.kind === 'healthy' && ok.body, 'ok');
    const exited = await adapter.create(spec(['sh', '-c', 'exit 1']));
    await adapter.start(exited);
    const gone = await waitHealthy({ target: { ...target, port: await freePort() }, timeoutMs: T, intervalMs: 20, alive: async () => (await adapter.inspectOwned(exited)).running });
    assert.equal(gone.kind, 'exited');
    await adapter.kill(id, 'SIGKILL');
  });

  void it('never touches a container without our label', async () => {
    const name = `krakend-live-foreign-${run}`;
    const foreign = await raw.createContainer({ name, Image: image, Cmd: ['sh', '-c', 'sleep 30'], Labels: { ...NOT_OURS, [labels.test]: run }, HostConfig: { NetworkMode: 'host' } });
    const ops: [string, () => Promise<unknown>][] = [
      ['inspectOwned', () => adapter.inspectOwned(foreign.id)],
      ['findOwned', () => adapter.findOwned(name)],
      ['start', () => adapter.start(foreign.id)],
      ['stop', () => adapter.stop(foreign.id, 1)],
      ['restart', () => adapter.restart(foreign.id, 1)],
      ['kill', () => adapter.kill(foreign.id, 'SIGKILL')],
      ['remove', () => adapter.remove(foreign.id)],
      ['logTail', () => adapter.logTail(foreign.id, 5)],
      ['followLogs', () => adapter.followLogs(foreign.id, { stdout: () => undefined, stderr: () => undefined })],
    ];
    for (const [what, op] of ops) {
      await assert.rejects(op(), (e: unknown) => e instanceof DockerError && e.kind === 'notOwned' && /not created by KrakenD Live/.test(e.message), what);
    }
    const still = await foreign.inspect();
    assert.equal(still.State.Status, 'created', 'it was never started, stopped or removed');
    const unlabelled = { ...spec(['true']), Labels: { [labels.test]: run } };
    await assert.rejects(adapter.create(unlabelled), (e: unknown) => e instanceof DockerError && e.kind === 'notOwned');
  });

  void it('cleans up by label: removes ours, leaves the rest', async () => {
    const a = await adapter.create(spec(['sh', '-c', 'sleep 30']));
    const b = await adapter.create(spec(['sh', '-c', 'sleep 30']));
    await adapter.start(b);
    const foreign = await raw.createContainer({ Image: image, Cmd: ['true'], Labels: { ...NOT_OURS, [labels.test]: run } });
    const before = await adapter.listOwned({ [labels.test]: run });
    assert.ok(before.some((c) => c.id === a) && before.some((c) => c.id === b));
    assert.ok(!before.some((c) => c.id === foreign.id));
    const removed = await adapter.removeOwned({ [labels.test]: run });
    assert.equal(removed, before.length);
    assert.deepEqual(await adapter.listOwned({ [labels.test]: run }), []);
    assert.equal((await foreign.inspect()).Id, foreign.id);
  });

  void it('a daemon that is not there is a typed error, not a hang', async () => {
    const gone = new DockerAdapter({ kind: 'socket', socketPath: join(root, 'no-such-dir', 'docker.sock'), description: 'unix:///nowhere' }, { timeoutMs: 5000 });
    try {
      await assert.rejects(gone.ping(), (e: unknown) => e instanceof DockerError && e.kind === 'dockerUnavailable' && /not reachable/.test(e.message));
    } finally {
      gone.dispose();
    }
    const closed = new DockerAdapter({ kind: 'tcp', host: '127.0.0.1', port: await freePort(), protocol: 'http', description: 'tcp://127.0.0.1' }, { timeoutMs: 5000 });
    try {
      await assert.rejects(closed.ping(), (e: unknown) => e instanceof DockerError && e.kind === 'dockerUnavailable');
    } finally {
      closed.dispose();
    }
  });

  // ---- the controller's Docker-side faults (no KrakenD runs in these) ----------------------------

  async function controllerFor(settings: Partial<GatewaySettings>, configPort = 8080, extra: Partial<ControllerDeps> = {}): Promise<{ ctrl: GatewayController; log: ReturnType<typeof collectingLogger>; folder: string }> {
    n++;
    const folder = join(root, `ctl${n}`);
    await mkdir(folder, { recursive: true });
    const configPath = join(folder, 'krakend.json');
    await writeFile(configPath, JSON.stringify({ version: 3, port: configPort }));
    const log = collectingLogger();
    const ctrl = new GatewayController({
      folder: { path: folder, name: `ctl${n}` },
      configPath,
      configRelativePath: 'krakend.json',
      stagingDir: join(root, `ctl${n}-staging`),
      settings: () => ({ ...DEFAULT_GATEWAY_SETTINGS, image, network: 'host', dockerHost: `unix://${socket}`, healthTimeout: 5, reload: 'restart', ...settings }),
      env: {},
      platform: process.platform,
      log,
      healthIntervalMs: 20,
      extraLabels: testLabels(run),
      ...extra,
    });
    await ctrl.checked(passingCheck(`file://${configPath}`));
    return { ctrl, log, folder };
  }

  void it('controller: Docker unavailable is a visible, recoverable state', async () => {
    const { ctrl } = await controllerFor({ dockerHost: `unix://${join(root, 'nope.sock')}` });
    try {
      assert.equal(ctrl.start().refusal, undefined);
      await withTimeout(ctrl.whenIdle(), T, 'the start to fail');
      const s = ctrl.lifecycle;
      assert.equal(s.phase, 'dockerUnavailable');
      assert.equal(s.fault?.kind, 'dockerUnavailable');
      // A socket the setting names: the message says which engine to start (engine/errors.ts).
      assert.match(s.fault?.message ?? '', /No Docker engine answers at unix:\/\/.*nope\.sock, the endpoint of the krakend\.docker\.host setting/);
      assert.deepEqual(ctrl.start().state.phase, 'starting', 'Start is allowed again');
      await withTimeout(ctrl.whenIdle(), T, 'the second start to fail');
    } finally {
      ctrl.dispose();
    }
  });

  void it('controller: port in use on the host network is refused before anything is created', async () => {
    const { port, server } = await occupyPort();
    const { ctrl, folder } = await controllerFor({}, port);
    try {
      ctrl.start();
      await withTimeout(ctrl.whenIdle(), T, 'the start to fail');
      assert.equal(ctrl.lifecycle.phase, 'failed');
      assert.equal(ctrl.lifecycle.fault?.kind, 'portInUse');
      assert.match(ctrl.lifecycle.fault?.message ?? '', new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
      assert.deepEqual(await adapter.listOwned({ [FOLDER_LABEL]: folder }), []);
    } finally {
      ctrl.dispose();
      server.close();
    }
  });

  void it('controller: a missing image that cannot be pulled says why (no registry here)', async () => {
    const { ctrl } = await controllerFor({ image: 'krakend-live/not-built-anywhere:0' });
    try {
      ctrl.start();
      await withTimeout(ctrl.whenIdle(), 90_000, 'the pull to fail');
      assert.equal(ctrl.lifecycle.phase, 'failed');
      const kind = ctrl.lifecycle.fault?.kind;
      assert.ok(kind === 'registryUnreachable' || kind === 'imageNotFound', `fault ${kind}: ${ctrl.lifecycle.fault?.message}`);
      assert.match(ctrl.lifecycle.fault?.message ?? '', /krakend-live\/not-built-anywhere:0/);
    } finally {
      ctrl.dispose();
    }
  });

  void it('controller: takes over a container left running by an earlier session, and its background probe follows health', async () => {
    // Docker-side behaviour only: the container is busybox httpd serving the staged file as the
    // health path, so "healthy" here means "the probe got 200", not anything about KrakenD.
    n++;
    const name = `adopt${n}`;
    const folder = join(root, name);
    await mkdir(folder, { recursive: true });
    const port = await freePort();
    const configPath = join(folder, 'krakend.json');
    await writeFile(configPath, JSON.stringify({ version: 3, port, router: { health_path: '/krakend.json' } }));
    const stagingDir2 = join(root, `${name}-staging`);
    await new Staging(stagingDir2).stage(await collectConfigFiles(configPath));
    const settings = { ...DEFAULT_GATEWAY_SETTINGS, image, network: 'host' as const, dockerHost: `unix://${socket}`, reload: 'restart' as const };
    const plan = buildPlan({
      settings,
      env: {},
      platform: process.platform,
      folder: { path: folder, name },
      configRelativePath: 'krakend.json',
      configFileName: 'krakend.json',
      config: { port, healthPath: '/krakend.json', healthDisabled: false },
      stagingDir: stagingDir2,
      extraLabels: testLabels(run),
    });
    const earlier = await adapter.create({ ...plan.spec, Cmd: ['httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', '/etc/krakend'] });
    await adapter.start(earlier);
    const log = collectingLogger();
    const ctrl = new GatewayController({
      folder: { path: folder, name },
      configPath,
      configRelativePath: 'krakend.json',
      stagingDir: stagingDir2,
      settings: () => settings,
      env: {},
      platform: process.platform,
      log,
      healthIntervalMs: 20,
      monitorIntervalMs: 50,
      extraLabels: testLabels(run),
    });
    try {
      const healthyAgain = (want: string): Promise<void> =>
        withTimeout(
          new Promise<void>((resolve) => {
            const sub = ctrl.onDidChange((snap) => {
              if (snap.state.phase === want) {
                sub.dispose();
                resolve();
              }
            });
          }),
          T,
          `phase ${want}`,
        );
      // A probe answers 200 before adoption, so the process is up.
      await waitHealthy({ target: plan.health, timeoutMs: T, intervalMs: 20 });
      assert.equal(await ctrl.adopt(), true, log.lines.join('\n'));
      assert.equal(ctrl.lifecycle.phase, 'healthy');
      assert.equal(ctrl.container, earlier);
      const down = healthyAgain('unhealthy');
      await raw.getContainer(earlier).pause();
      await down;
      const up = healthyAgain('healthy');
      await raw.getContainer(earlier).unpause();
      await up;
      assert.equal(ctrl.lifecycle.crashes, 0, 'a pause is not a crash');
    } finally {
      ctrl.dispose();
    }
  });

  void it('controller: Stop while the start still waits for health stops at once, not after the health timeout', async () => {
    // The plan's Cmd (`run -c krakend.json`) means nothing to busybox; this adapter swaps in a
    // process that runs but never answers health, so the start sits in its health wait.
    class SilentGateway extends DockerAdapter {
      override create(s: ContainerSpec): Promise<string> {
        return super.create({ ...s, Cmd: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done'] });
      }
    }
    const { ctrl: ctl, log, folder } = await controllerFor({ healthTimeout: 120 }, await freePort(), { createAdapter: (c) => new SilentGateway(c) });
    try {
      const name = containerName(folder, `ctl${n}`, 'krakend.json');
      const started = nextEvent(events, waiters, (e) => e.action === 'start' && e.name === name);
      assert.equal(ctl.start().refusal, undefined);
      await withTimeout(started, T, 'the container to start');
      assert.equal(ctl.lifecycle.phase, 'starting');
      const t0 = Date.now();
      assert.equal(ctl.stop().refusal, undefined);
      await withTimeout(ctl.whenIdle(), 15_000, () => `the stop (phase ${ctl.lifecycle.phase})\n${log.lines.join('\n')}`);
      assert.equal(ctl.lifecycle.phase, 'stopped');
      assert.ok(Date.now() - t0 < 15_000);
      // Stop removes the container: nothing of this gateway is left in `docker ps -a`.
      assert.equal(ctl.container, undefined);
      assert.deepEqual((await adapter.listOwned({ [FOLDER_LABEL]: folder })).map((c) => c.name), []);
    } finally {
      ctl.dispose();
    }
  });

  void it('controller: an event stream lost during a reload is re-established, so a later crash is still seen', async () => {
    // busybox httpd serves the staged config as the health path: "healthy" means "the probe got
    // 200", nothing about KrakenD. The adapter is real; only the container's command is swapped.
    const port = await freePort();
    class HttpdGateway extends DockerAdapter {
      override create(s: ContainerSpec): Promise<string> {
        return super.create({ ...s, Cmd: ['httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', '/etc/krakend'] });
      }
    }
    let made: HttpdGateway | undefined;
    const { ctrl, log, folder } = await controllerFor({ gracePeriod: 1, maxCrashRestarts: 3 }, port, {
      createAdapter: (c) => (made = new HttpdGateway(c)),
      monitorIntervalMs: 600_000,
    });
    await writeFile(join(folder, 'krakend.json'), JSON.stringify({ version: 3, port, router: { health_path: '/krakend.json' } }));
    await ctrl.checked(passingCheck(`file://${join(folder, 'krakend.json')}`));
    try {
      ctrl.start();
      await withTimeout(ctrl.whenIdle(), T, 'the start');
      assert.equal(ctrl.lifecycle.phase, 'healthy', log.lines.join('\n'));
      const streams = (made as unknown as { streams: Set<{ destroy(): void }> }).streams;
      assert.equal(streams.size, 1, 'one event stream, nothing else followed');
      ctrl.restart();
      // The daemon connection drops while the reload runs (the real stream, destroyed).
      for (const st of streams) st.destroy();
      await withTimeout(ctrl.whenIdle(), T, 'the reload');
      assert.equal(ctrl.lifecycle.phase, 'healthy', log.lines.join('\n'));
      assert.ok(log.lines.some((l) => /Lost the connection to Docker/.test(l)), 'the drop was noticed');
      const restarted = withTimeout(
        new Promise<void>((resolve) => {
          const sub = ctrl.onDidChange((snap) => {
            if (snap.state.crashes === 1) {
              sub.dispose();
              resolve();
            }
          });
        }),
        T,
        () => `the crash to be seen\n${log.lines.join('\n')}`,
      );
      await raw.getContainer(ctrl.container ?? '').kill({ signal: 'SIGKILL' });
      await restarted;
      await withTimeout(ctrl.whenIdle(), T, 'the automatic restart');
      assert.ok(log.lines.some((l) => /exited with code 137/.test(l)), log.lines.join('\n'));
    } finally {
      ctrl.dispose();
    }
  });

  void it('controller: a container that has our name but not our label is left alone', async () => {
    const { ctrl, folder } = await controllerFor({}, await freePort());
    const name = containerName(folder, `ctl${n}`, 'krakend.json');
    const foreign = await raw.createContainer({ name, Image: image, Cmd: ['sh', '-c', 'sleep 30'], Labels: { ...NOT_OURS, [labels.test]: run } });
    try {
      ctrl.start();
      await withTimeout(ctrl.whenIdle(), T, 'the start to fail');
      assert.equal(ctrl.lifecycle.phase, 'failed');
      assert.equal(ctrl.lifecycle.fault?.kind, 'notOwned');
      assert.equal((await foreign.inspect()).State.Status, 'created');
    } finally {
      ctrl.dispose();
    }
  });
});

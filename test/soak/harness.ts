/**
 * The load-and-fault soak: a real KrakenD under steady traffic while saves (valid and invalid, in a
 * seeded random order) and faults come in, for our two reload modes and for the `:watch` image,
 * one after the other in one run. Everything talks to loopback only, and every part is bounded in
 * count and time. `npm run test:soak` runs the full version (test/soak/run.ts) and
 * test/integration/soak.test.ts a short one.
 *
 * What "the user sees" is the status bar text and tooltip our view renders for the controller's
 * state (client/src/statusBar/view.ts), read at the fault's steady moment; the `:watch` image has
 * no UI, so for it we say what the container did.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type Docker from 'dockerode';
import { GatewayController } from '../../client/src/gateway/controller';
import type { Logger } from '../../client/src/gateway/controller';
import type { LifecycleState } from '../../client/src/gateway/lifecycle';
import { colorStagingDir } from '../../client/src/gateway/plan';
import { renderStatus } from '../../client/src/statusBar/view';
import type { CheckResultParams } from '../../shared/protocol';
import { DEFAULT_GATEWAY_SETTINGS } from '../../shared/settings';
import type { ReloadMode } from '../../shared/settings';
import { LogWatcher, freePort, gatewayConfig, get, removeTestResources, startGateway, testLabels, withTimeout } from '../support/docker';
import type { Backend, StartedGateway } from '../support/docker';
import { loadEnv, requireComponent } from '../support/env';
import { mulberry32 } from '../support/mulberry32';
import type { ComposeStack } from '../support/composeStack';

export type Outcome = 'ok' | 'refused' | 'cut' | 'status5xx' | 'otherStatus';
export type Counts = Record<Outcome, number>;

const zero = (): Counts => ({ ok: 0, refused: 0, cut: 0, status5xx: 0, otherStatus: 0 });

function minus(a: Counts, b: Counts): Counts {
  return { ok: a.ok - b.ok, refused: a.refused - b.refused, cut: a.cut - b.cut, status5xx: a.status5xx - b.status5xx, otherStatus: a.otherStatus - b.otherStatus };
}

/**
 * Steady traffic: `rps` GET /hello per second, open loop (a slow answer does not slow the sender),
 * over at most `connections` keep-alive connections, as a client library with a pool would send it.
 */
export class Traffic {
  readonly counts = zero();
  private readonly agent: Agent;
  private readonly timer: NodeJS.Timeout;
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly port: number, rps: number, connections: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
    this.timer = setInterval(() => {
      const p = this.one().then((o) => {
        this.counts[o]++;
        this.inflight.delete(p);
      });
      this.inflight.add(p);
    }, 1000 / rps);
  }

  snapshot(): Counts {
    return { ...this.counts };
  }

  private one(): Promise<Outcome> {
    return new Promise((resolve) => {
      let connected = false;
      const req = request({ host: '127.0.0.1', port: this.port, path: '/hello', agent: this.agent, timeout: 15_000 }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200 ? 'ok' : (res.statusCode ?? 0) >= 500 ? 'status5xx' : 'otherStatus'));
        res.on('error', () => resolve('cut'));
      });
      req.on('socket', (s) => {
        // A pooled socket is connected already; a new one is once it says so. (A listener on a
        // socket that has connected would never fire, and a later error would read as refused.)
        if (req.reusedSocket || !s.connecting) connected = true;
        else s.once('connect', () => (connected = true));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e: NodeJS.ErrnoException) => resolve(!connected && e.code === 'ECONNREFUSED' ? 'refused' : 'cut'));
      req.end();
    });
  }

  async stop(): Promise<Counts> {
    clearInterval(this.timer);
    await Promise.all([...this.inflight]);
    this.agent.destroy();
    return this.snapshot();
  }
}


export type FaultName = 'daemonRestarted' | 'containerKilled' | 'portTaken' | 'stagingUnwritable' | 'configDeleted' | 'configExitsAtStart';

export const ALL_FAULTS: readonly FaultName[] = ['containerKilled', 'configDeleted', 'configExitsAtStart', 'stagingUnwritable', 'portTaken', 'daemonRestarted'];

export interface FaultResult {
  readonly fault: FaultName;
  /** Traffic during the fault and its recovery. */
  readonly traffic: Counts;
  /** What the user sees while the fault holds. */
  readonly during: string;
  /** What the user sees once it has settled. */
  readonly after: string;
  /** Healthy on the last valid config again, or a clear stopped state with its reason. */
  readonly recovered: 'healthy on the last valid config' | 'stopped, with its reason' | 'no' | 'not applicable';
  readonly note?: string;
}

export interface ModeResult {
  readonly mode: string;
  readonly saves: { readonly valid: number; readonly invalid: number };
  /** Traffic during the saves. */
  readonly traffic: Counts;
  /** KrakenD processes started by the saves (ours: reloads; :watch: reflex restarts). */
  readonly restarts: number;
  readonly lastValidServing: boolean;
  readonly faults: readonly FaultResult[];
  /** Containers of this mode still there after cleanup (must be 0). */
  readonly leftContainers: number;
}

export interface SoakOptions {
  readonly docker: Docker;
  readonly run: string;
  readonly backend: Backend;
  /**
   * The address the backend listens on: the default bridge's gateway (bridgeGateway), which our
   * gateways reach as host.docker.internal on either network, and the `:watch` container by address.
   */
  readonly backendAddress: string;
  /** Our gateway's network: bridge (the users' default, the main variant) or host. */
  readonly network?: 'bridge' | 'host';
  /**
   * A compose stack whose krakend_ce mounts the config: ours stands in for that service (its port,
   * its network and name) instead of running on `network`.
   */
  readonly compose?: ComposeStack;
  readonly validSaves: number;
  readonly invalidSaves: number;
  /** Between two saves, as a user saving in a hurry. */
  readonly saveEveryMs: number;
  readonly rps: number;
  readonly connections: number;
  readonly faults: readonly FaultName[];
  readonly seed: number;
  readonly log?: (line: string) => void;
}

const T = 90_000;

/** The save order: `valid` true/false, shuffled with the seed, and each valid one's version. */
export function saveOrder(valid: number, invalid: number, random: () => number): boolean[] {
  const order = [...Array.from({ length: valid }, () => true), ...Array.from({ length: invalid }, () => false)];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const brokenConfig = (port: number, i: number): string => `{"version": 3, "port": ${port}, "endpoints": [{"endpoint": "/hello", "backend": [${i}`;

/** A config that passes every check but makes KrakenD exit at start: its TLS files do not exist. */
function exitingConfig(port: number, backendPort: number, backendHost: string): string {
  const c = JSON.parse(gatewayConfig(port, backendPort, '/v0', backendHost)) as Record<string, unknown>;
  c.tls = { public_key: '/etc/krakend/missing.pem', private_key: '/etc/krakend/missing-key.pem' };
  return JSON.stringify(c, null, 2);
}

async function answers(port: number, version: string): Promise<boolean> {
  try {
    const r = await get(port, '/hello', 3000);
    return r.status === 200 && r.body.includes(`"message":"${version}"`);
  } catch {
    return false;
  }
}

/** Makes a folder unwritable even for root (the immutable attribute), or by mode for anyone else. */
function setWritable(dir: string, writable: boolean): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) {
    const r = spawnSync('chattr', [writable ? '-i' : '+i', dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`chattr ${writable ? '-i' : '+i'} ${dir}: ${r.stderr || r.error?.message}`);
  } else {
    spawnSync('chmod', [writable ? '755' : '555', dir]);
  }
}

/** Another process's listener on the port: it accepts and drops every connection. */
function takePort(port: number): Promise<{ close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const s: Server = createServer((c) => c.destroy());
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve({ close: () => new Promise<void>((r) => s.close(() => r())) }));
  });
}

/**
 * Restarts the Docker daemon the way a user's daemon restarts: SIGTERM, wait until it is gone,
 * then the setup script starts it again (the one place that knows how). Only where test-env
 * started it; elsewhere we do not own the daemon and say so.
 */
async function restartDaemon(log: (l: string) => void): Promise<string | undefined> {
  const docker = requireComponent('docker');
  if (!docker.startedBy.startsWith('test-env') || docker.socket !== '/var/run/docker.sock') return `the daemon was ${docker.startedBy}, not started by test-env, so it is not ours to restart`;
  const pid = Number(readFileSync('/var/run/docker.pid', 'utf8').trim());
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (existsSync(`/proc/${pid}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (existsSync(`/proc/${pid}`)) throw new Error(`dockerd (pid ${pid}) did not exit within 60 s of SIGTERM`);
  log('  dockerd stopped; starting it again through scripts/test-env.sh');
  const root = resolve(__dirname, '..', '..');
  const r = spawnSync('bash', ['scripts/test-env.sh'], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (!/^ready\s+docker\s/m.test(r.stdout)) throw new Error(`test-env did not bring the daemon back:\n${r.stdout}\n${r.stderr}`);
  return undefined;
}

function statusLine(ctrl: GatewayController): string {
  const v = renderStatus({ trusted: true, hasConfig: true, gateways: [ctrl.snapshot()], now: Date.now() });
  const text = v.text.replace(/^\$\([a-z~-]+\)\s*/, '');
  const fault = ctrl.lifecycle.fault?.message;
  return fault ? `${text} — "${fault.split('\n')[0]}"` : text;
}

function until(ctrl: GatewayController, what: string, pred: (s: LifecycleState) => boolean, ms = T): Promise<void> {
  if (pred(ctrl.lifecycle) && ctrl.lifecycle.op === undefined) return Promise.resolve();
  let sub: { dispose(): void } | undefined;
  const p = new Promise<void>((resolve) => {
    sub = ctrl.onDidChange((s) => {
      if (pred(s.state) && s.state.op === undefined) resolve();
    });
  });
  return withTimeout(p, ms, what).finally(() => sub?.dispose());
}

function result(uri: string, ok: boolean): CheckResultParams {
  return { uri, ok, errors: ok ? 0 : 1, warnings: 0, schema: { origin: 'bundled' }, trigger: 'save', durationMs: 0 };
}

/** Our controller, in one reload mode, through the saves and the faults. */
export async function soakOurs(o: SoakOptions, reload: ReloadMode): Promise<ModeResult> {
  const say = o.log ?? (() => undefined);
  const stack = o.compose;
  const network = stack ? 'compose stack' : (o.network ?? 'bridge');
  const image = requireComponent('krakend-images').image;
  const socket = requireComponent('docker').socket;
  const root = join(tmpdir(), `krakend-live-soak-${o.run}-${reload}-${network.replace(' ', '-')}`);
  const folder = stack ? stack.dir : join(root, 'ws');
  mkdirSync(folder, { recursive: true });
  const stagingDir = join(root, 'staging');
  const configPath = stack ? stack.configPath : join(folder, 'krakend.json');
  const uri = `file://${configPath}`;
  // The traffic's port; in a stack, the one krakend_ce publishes for the 8080 KrakenD listens on inside.
  const port = stack ? stack.port : await freePort();
  const listenPort = stack ? 8080 : port;
  const config = (path: string): string => gatewayConfig(listenPort, o.backend.port, path, 'host.docker.internal');
  const lines: string[] = [];
  const log: Logger = { debug: () => undefined, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
  const ctrl = new GatewayController({
    folder: { path: folder, name: `soak-${reload}` },
    configPath,
    configRelativePath: relative(folder, configPath),
    stagingDir,
    settings: () => ({ ...DEFAULT_GATEWAY_SETTINGS, image, network: o.network ?? 'bridge', port, gracePeriod: 10, healthTimeout: 20, dockerHost: `unix://${socket}`, reload, maxCrashRestarts: 3 }),
    env: {},
    platform: process.platform,
    log,
    healthIntervalMs: 25,
    monitorIntervalMs: 500,
    dockerRetryMs: 500,
    extraLabels: testLabels(o.run),
  });
  let lastValid = 'v1';
  let version = 1;
  const save = async (text: string, ok: boolean): Promise<void> => {
    writeFileSync(configPath, text);
    await ctrl.checked(result(uri, ok));
  };
  const saveValid = async (): Promise<void> => {
    lastValid = `v${++version}`;
    await save(config(`/${lastValid}`), true);
  };
  // Healthy is enough: the last save of the random order may have been invalid, which the gateway
  // rightly keeps showing ("config invalid, serving last good").
  const settledHealthy = (what: string): Promise<void> => until(ctrl, what, (s) => s.phase === 'healthy');
  const recovered = async (): Promise<FaultResult['recovered']> => {
    const s = ctrl.lifecycle;
    if (s.phase === 'healthy' && (await answers(port, lastValid))) return 'healthy on the last valid config';
    if ((s.phase === 'stopped' || s.phase === 'failed' || s.phase === 'exited' || s.phase === 'dockerUnavailable') && s.fault) return 'stopped, with its reason';
    return 'no';
  };
  const faults: FaultResult[] = [];
  let traffic: Traffic | undefined;
  try {
    await save(config(`/${lastValid}`), true);
    ctrl.start();
    await withTimeout(ctrl.whenIdle(), T, `the ${reload} gateway to start`);
    if (ctrl.lifecycle.phase !== 'healthy') throw new Error(`the ${reload} gateway did not start: ${statusLine(ctrl)}\n${lines.join('\n')}`);
    say(`  ${reload}: started on ${port}`);
    traffic = new Traffic(port, o.rps, o.connections);
    const reloads0 = ctrl.lifecycle.reloads;
    const order = saveOrder(o.validSaves, o.invalidSaves, mulberry32(o.seed));
    let invalid = 0;
    for (const valid of order) {
      const t0 = performance.now();
      if (valid) await saveValid();
      else await save(brokenConfig(listenPort, invalid++), false);
      const wait = o.saveEveryMs - (performance.now() - t0);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await withTimeout(ctrl.whenIdle(), T, 'the last reload');
    // The last save may have been invalid: the gateway then serves the last valid one.
    const savesTraffic = traffic.snapshot();
    const restarts = ctrl.lifecycle.reloads - reloads0;
    const lastValidServing = await answers(port, lastValid);
    say(`  ${reload}: saves done, ${restarts} reloads, last valid ${lastValid} serving: ${lastValidServing}`);

    for (const fault of o.faults) {
      const before = traffic.snapshot();
      let during = '';
      let note: string | undefined;
      say(`  ${reload}: ${fault}…`);
      switch (fault) {
        case 'containerKilled': {
          const crashes = ctrl.lifecycle.crashes;
          const saw = new Promise<void>((resolve) => {
            const sub = ctrl.onDidChange((s) => {
              if (s.state.crashes > crashes) {
                during = statusLine(ctrl);
                sub.dispose();
                resolve();
              }
            });
          });
          await o.docker.getContainer(ctrl.container!).kill({ signal: 'SIGKILL' });
          await withTimeout(saw, T, 'the crash to be seen');
          await settledHealthy('the restart after the crash');
          break;
        }
        case 'configDeleted': {
          unlinkSync(configPath);
          ctrl.configDeleted();
          during = statusLine(ctrl);
          await saveValid();
          await settledHealthy('the reload after the config came back');
          break;
        }
        case 'configExitsAtStart': {
          await save(exitingConfig(listenPort, o.backend.port, 'host.docker.internal'), true);
          await withTimeout(ctrl.whenIdle(), T, 'the reload of a config that exits');
          during = statusLine(ctrl);
          await saveValid();
          await settledHealthy('the reload after the fix');
          break;
        }
        case 'stagingUnwritable': {
          const dirs = [stagingDir, colorStagingDir(stagingDir, 'blue'), colorStagingDir(stagingDir, 'green')];
          for (const d of dirs) setWritable(d, false);
          try {
            await saveValid();
            await withTimeout(ctrl.whenIdle(), T, 'the reload into an unwritable staging folder');
            during = statusLine(ctrl);
            // That save was not applied: the last *applied* one is what must be serving meanwhile.
            if (!(await answers(port, `v${version - 1}`))) note = 'the previous config did not keep serving';
          } finally {
            for (const d of dirs) setWritable(d, true);
          }
          await saveValid();
          await settledHealthy('the reload once staging is writable again');
          break;
        }
        case 'portTaken': {
          ctrl.stop();
          await withTimeout(ctrl.whenIdle(), T, 'the stop');
          const squatter = await takePort(port);
          try {
            ctrl.start();
            await withTimeout(ctrl.whenIdle(), T, 'the start on a taken port');
            during = statusLine(ctrl);
          } finally {
            await squatter.close();
          }
          ctrl.start();
          await settledHealthy('the start once the port is free');
          break;
        }
        case 'daemonRestarted': {
          const lost = new Promise<void>((resolve) => {
            const sub = ctrl.onDidChange((s) => {
              if (s.state.phase === 'dockerUnavailable') {
                during = statusLine(ctrl);
                sub.dispose();
                resolve();
              }
            });
          });
          const why = await restartDaemon(say);
          if (why) {
            note = `not run: ${why}`;
            break;
          }
          await withTimeout(lost, T, 'the lost daemon to be seen');
          await settledHealthy('the gateway to come back with the daemon');
          break;
        }
      }
      const after = statusLine(ctrl);
      const r: FaultResult = { fault, traffic: minus(traffic.snapshot(), before), during, after, recovered: await recovered(), ...(note ? { note } : {}) };
      say(`  ${reload}: ${fault}: during "${r.during}", after "${r.after}", ${r.recovered}${note ? ` (${note})` : ''}`);
      faults.push(r);
    }
    await traffic.stop();
    traffic = undefined;
    ctrl.stop();
    await withTimeout(ctrl.whenIdle(), T, 'the final stop');
    await ctrl.removeContainer();
    const left = await o.docker.listContainers({ all: true, filters: JSON.stringify({ label: [`dev.krakend-live.folder=${folder}`] }) });
    return { mode: `ours, ${reload}${network === 'bridge' ? '' : ` (${stack ? network : `${network} network`})`}`, saves: { valid: o.validSaves, invalid: o.invalidSaves }, traffic: savesTraffic, restarts, lastValidServing, faults, leftContainers: left.length };
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- controller log (${reload}) ---\n${lines.slice(-40).join('\n')}`);
  } finally {
    await traffic?.stop();
    ctrl.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}

/** The `:watch` image as people use it: the folder mounted, every write seen by reflex. */
export async function soakWatch(o: SoakOptions): Promise<ModeResult> {
  const say = o.log ?? (() => undefined);
  const watchImage = requireComponent('krakend-images').watchImage;
  const dir = join(tmpdir(), `krakend-live-soak-${o.run}-watch`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'krakend.json');
  const port = await freePort();
  let lastValid = 'v1';
  let version = 1;
  writeFileSync(file, gatewayConfig(port, o.backend.port, `/${lastValid}`, o.backendAddress));
  let gw: StartedGateway | undefined;
  let traffic: Traffic | undefined;
  const starts = /Starting service/g;
  const writeValid = (): void => {
    lastValid = `v${++version}`;
    writeFileSync(file, gatewayConfig(port, o.backend.port, `/${lastValid}`, o.backendAddress));
  };
  const state = async (): Promise<string> => {
    const info = await o.docker.getContainer(gw!.container.id).inspect();
    if (!info.State.Running) return `container exited (${info.State.ExitCode}); no UI says so`;
    return (await answers(port, lastValid)) ? 'serving the last write' : 'container running, KrakenD not serving (reflex waits for the next change); no UI says so';
  };
  try {
    gw = await startGateway(o.docker, o.run, { image: watchImage, dir, port, cmd: ['run', '-c', 'krakend.json'] }, T);
    traffic = new Traffic(port, o.rps, o.connections);
    const starts0 = gw.logs.occurrences(starts);
    let invalid = 0;
    for (const valid of saveOrder(o.validSaves, o.invalidSaves, mulberry32(o.seed))) {
      if (valid) writeValid();
      else writeFileSync(file, brokenConfig(port, invalid++));
      await new Promise((r) => setTimeout(r, o.saveEveryMs));
    }
    // reflex batches for 300 ms, then needs about a second to replace KrakenD.
    const deadline = performance.now() + 10_000;
    let lastValidServing = false;
    while (performance.now() < deadline && !(lastValidServing = await answers(port, lastValid))) await new Promise((r) => setTimeout(r, 100));
    const savesTraffic = traffic.snapshot();
    const restarts = gw.logs.occurrences(starts) - starts0;
    say(`  :watch: saves done, ${restarts} restarts, last write serving: ${lastValidServing}`);
    const faults: FaultResult[] = [];
    for (const fault of o.faults) {
      const before = traffic.snapshot();
      let during = '';
      let note: string | undefined;
      if (fault === 'containerKilled') {
        await gw.container.kill({ signal: 'SIGKILL' });
        await gw.container.wait();
        // Everything the killed container printed: the new attach replays exactly this, then the new run.
        const printed = gw.logs.occurrences(starts);
        during = await state();
        note = 'nothing restarts it; the soak started it again by hand to go on';
        // What a :watch user does once they notice: start it again (and we follow its new output).
        gw.logs.close();
        gw.logs = await LogWatcher.follow(gw.container);
        await gw.container.start();
        await gw.logs.waitFor(starts, 30_000, printed + 1);
      } else if (fault === 'configDeleted') {
        const seen = gw.logs.occurrences(starts);
        unlinkSync(file);
        await gw.logs.waitFor(starts, 10_000, seen + 1).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 1500));
        during = await state();
      } else if (fault === 'configExitsAtStart') {
        const seen = gw.logs.occurrences(starts);
        writeFileSync(file, exitingConfig(port, o.backend.port, o.backendAddress));
        await gw.logs.waitFor(starts, 10_000, seen + 1).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 1500));
        during = await state();
      } else {
        faults.push({ fault, traffic: zero(), during: 'n/a', after: 'n/a', recovered: 'not applicable', note: fault === 'daemonRestarted' ? 'the container dies with the daemon and nothing restarts it' : ':watch has no staging folder and no start of its own' });
        continue;
      }
      // Recovery as a :watch user does it: a valid write (a killed container needs a docker run).
      if ((await o.docker.getContainer(gw.container.id).inspect()).State.Running) {
        writeValid();
        const until = performance.now() + 10_000;
        while (performance.now() < until && !(await answers(port, lastValid))) await new Promise((r) => setTimeout(r, 100));
      }
      const after = await state();
      const ok = after === 'serving the last write' && fault !== 'containerKilled';
      faults.push({ fault, traffic: minus(traffic.snapshot(), before), during, after, recovered: ok ? 'healthy on the last valid config' : 'no', ...(note ? { note } : {}) });
      say(`  :watch: ${fault}: during "${during}", after "${after}"`);
    }
    await traffic.stop();
    traffic = undefined;
    gw.logs.close();
    await gw.container.remove({ force: true });
    const left = await o.docker.listContainers({ all: true, filters: JSON.stringify({ label: [`dev.krakend-live.test=${o.run}`], ancestor: [watchImage] }) });
    return { mode: ':watch', saves: { valid: o.validSaves, invalid: o.invalidSaves }, traffic: savesTraffic, restarts, lastValidServing, faults, leftContainers: left.length };
  } finally {
    await traffic?.stop();
    gw?.logs.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every container of this run, gone (also after a failure). */
export async function cleanup(docker: Docker, run: string): Promise<void> {
  await removeTestResources(docker, run);
}

/** For reports: the cache dir, so the full run can note where KrakenD came from. */
export function krakendSource(): string {
  const k = loadEnv().components.krakend;
  return k ? `${k.source ?? '?'} (KrakenD ${k.version ?? '?'})` : 'unknown';
}

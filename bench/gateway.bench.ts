// Gateway reloads, ours and `:watch` side by side in one run (docs/benchmarks.md, "Gateway"):
//  1. save → new config answering: from the save (ours: the server's passing check result reaches
//     the controller; `:watch`: the file is written in the mounted folder) until GET /hello answers
//     with the body of the backend path the new config names. BENCH_RUNS saves (default 5).
//  2. in-flight requests cut by a reload: 20 concurrent 3-second requests in flight, then a valid
//     save; how many of the 20 did not end with a 200. BENCH_RUNS rounds.
//  3. open-loop traffic (50 req/s) during the saves of 1: requests refused (the restart gap) or cut.
//  4. restarts caused by 10 invalid saves (target: 0 for ours).
// Needs Docker and a real KrakenD (npm run test:env finds one); without KrakenD it measures only
// the Docker restart floor and says what it did not measure.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { GatewayController } from '../client/src/gateway/controller';
import type { Logger } from '../client/src/gateway/controller';
import type { CheckResultParams } from '../shared/protocol';
import { DEFAULT_GATEWAY_SETTINGS } from '../shared/settings';
import type { ReloadMode } from '../shared/settings';
import { benchCanRun, requireComponent } from '../test/support/env';
import { connectDocker, freePort, gatewayConfig, get, newRunId, removeTestResources, settle, slowMs, startBackend, startGateway, testLabels, withTimeout } from '../test/support/docker';
import type { Backend, StartedGateway } from '../test/support/docker';
import { answersWith, median, summary } from './support/gateway';

const NAME = 'gateway';
const needs = ['docker', 'krakend', 'krakend-images'] as const;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const IN_FLIGHT = 20;
const INVALID_SAVES = 10;
const RPS = 50;

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: (m) => console.log(`  warn: ${m}`), error: (m) => console.log(`  error: ${m}`) };

function result(uri: string, ok: boolean): CheckResultParams {
  return { uri, ok, errors: ok ? 0 : 1, warnings: 0, schema: { origin: 'bundled' }, trigger: 'save', durationMs: 0 };
}

/** One raw GET, classified the way the benchmark reports it. */
function probe(port: number, path: string): Promise<'ok' | 'refused' | 'cut' | 'status'> {
  return new Promise((resolve) => {
    let connected = false;
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? 'ok' : 'status'));
      res.on('error', () => resolve('cut'));
    });
    req.on('socket', (s) => s.once('connect', () => (connected = true)));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(!connected && e.code === 'ECONNREFUSED' ? 'refused' : 'cut'));
    req.end();
  });
}

type Counts = Record<'ok' | 'refused' | 'cut' | 'status', number>;

/** RPS requests per second, open loop (a slow answer does not slow the sender). */
function load(port: number, path: string): { stop(): Promise<Counts> } {
  const counts: Counts = { ok: 0, refused: 0, cut: 0, status: 0 };
  const inflight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const p = probe(port, path).then((r) => {
      counts[r]++;
      inflight.delete(p);
    });
    inflight.add(p);
  }, 1000 / RPS);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...inflight]);
      return counts;
    },
  };
}

/** Resolves (performance.now()) once GET /hello answers with the backend's body for `version`. */
/** One way of running the gateway: how a save reaches it, and how to wait until it has settled. */
interface Side {
  readonly label: string;
  readonly port: number;
  save(version: string, valid: boolean): Promise<void>;
  /** Resolves once the gateway is done with the last save (reload finished, or nothing to do). */
  settled(): Promise<void>;
  /** Restarts caused so far by saves that were not valid. */
  invalidRestarts(): number;
  close(): Promise<void>;
}

interface Measured {
  saveToAnswerMs: number[];
  cutPerRound: number[];
  traffic: Counts;
  invalidRestarts: number;
}

async function measure(side: Side, backend: Backend): Promise<Measured> {
  const saveToAnswerMs: number[] = [];
  const traffic = load(side.port, '/__health');
  let version = 1;
  for (let i = 0; i < RUNS; i++) {
    const v = `v${++version}`;
    const t0 = performance.now();
    await side.save(v, true);
    saveToAnswerMs.push((await answersWith(side.port, v, 60_000)) - t0);
    await side.settled();
  }
  const trafficCounts = await traffic.stop();
  const cutPerRound: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const reached = backend.nextRequest('/slow', IN_FLIGHT);
    const pending = Array.from({ length: IN_FLIGHT }, () => settle(get(side.port, '/slow', slowMs + 30_000)));
    await withTimeout(reached, 10_000, `the backend to receive ${IN_FLIGHT} slow requests`);
    const v = `v${++version}`;
    await side.save(v, true);
    const ended = await Promise.all(pending);
    cutPerRound.push(ended.filter((e) => !e.ok || e.value.status !== 200).length);
    await answersWith(side.port, v, 60_000);
    await side.settled();
  }
  const before = side.invalidRestarts();
  for (let i = 0; i < INVALID_SAVES; i++) {
    await side.save('', false);
    await side.settled();
  }
  return { saveToAnswerMs, cutPerRound, traffic: trafficCounts, invalidRestarts: side.invalidRestarts() - before };
}

async function ours(run: string, backend: Backend, image: string, root: string, socket: string, reload: ReloadMode): Promise<Side> {
  const folder = join(root, `ours-${reload}`);
  mkdirSync(folder, { recursive: true });
  const port = await freePort();
  const configPath = join(folder, 'krakend.json');
  const uri = `file://${configPath}`;
  const ctrl = new GatewayController({
    folder: { path: folder, name: `bench-${reload}` },
    configPath,
    configRelativePath: 'krakend.json',
    stagingDir: join(root, `ours-${reload}-staging`),
    settings: () => ({ ...DEFAULT_GATEWAY_SETTINGS, image, network: 'host', gracePeriod: 10, healthTimeout: 30, dockerHost: `unix://${socket}`, reload }),
    env: {},
    platform: process.platform,
    log: quiet,
    healthIntervalMs: 10,
    extraLabels: testLabels(run),
  });
  let invalidSeen = 0;
  const save = async (version: string, valid: boolean): Promise<void> => {
    writeFileSync(configPath, valid ? gatewayConfig(port, backend.port, `/${version}`) : `{"version": 3, "port": ${port}, "endpoints": [${invalidSeen++}`);
    await ctrl.checked(result(uri, valid));
  };
  await save('v1', true);
  ctrl.start();
  await withTimeout(ctrl.whenIdle(), 60_000, 'our gateway to start');
  if (ctrl.lifecycle.phase !== 'healthy') throw new Error(`our gateway is ${ctrl.lifecycle.phase}: ${ctrl.lifecycle.fault?.message ?? ''}`);
  let reloadsAtInvalid = 0;
  return {
    label: reload === 'blue-green' ? `ours, blue-green (${image} behind the proxy)` : `ours, restart (${image}, graceful)`,
    port,
    save: async (version, valid) => {
      if (!valid && invalidSeen === 0) reloadsAtInvalid = ctrl.lifecycle.reloads;
      await save(version, valid);
    },
    settled: () => withTimeout(ctrl.whenIdle(), 60_000, 'our reload'),
    invalidRestarts: () => (invalidSeen === 0 ? 0 : ctrl.lifecycle.reloads - reloadsAtInvalid),
    close: () => {
      ctrl.dispose();
      return Promise.resolve();
    },
  };
}

async function watch(docker: Docker, run: string, backend: Backend, watchImage: string, root: string): Promise<Side> {
  // The way :watch is used: the config folder itself mounted, every write is seen by reflex.
  const dir = join(root, 'watch');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const file = join(dir, 'krakend.json');
  writeFileSync(file, gatewayConfig(port, backend.port, '/v1'));
  const gw: StartedGateway = await startGateway(docker, run, { image: watchImage, dir, port, cmd: ['run', '-c', 'krakend.json'] }, 60_000);
  // reflex prints "Starting service" each time it (re)starts KrakenD, whatever the config.
  const exits = /Starting service/g;
  let invalid = 0;
  let pendingExit: Promise<void> | undefined;
  let restarts = 0;
  return {
    label: `:watch (${watchImage}, reflex)`,
    port,
    save: (version, valid) => {
      if (!valid) {
        const seen = gw.logs.occurrences(exits);
        pendingExit = gw.logs.waitFor(exits, 10_000, seen + 1).then(
          () => void restarts++,
          // No restart within 10 s (reflex batches for 300 ms): counted as none.
          () => undefined,
        );
      }
      writeFileSync(file, valid ? gatewayConfig(port, backend.port, `/${version}`) : `{"version": 3, "port": ${port}, "endpoints": [${invalid++}`);
      return Promise.resolve();
    },
    settled: async () => {
      if (pendingExit) await pendingExit;
      pendingExit = undefined;
    },
    invalidRestarts: () => restarts,
    close: () => {
      gw.logs.close();
      return Promise.resolve();
    },
  };
}

/**
 * What Docker alone adds to our restart gap, measurable without KrakenD: `docker restart` (t=10)
 * of a container whose process exits at once on SIGTERM, through our adapter (ownership inspect
 * included), until the new process runs. The test image is busybox; no KrakenD is involved.
 */
async function dockerFloor(): Promise<void> {
  let d: ReturnType<typeof requireComponent<'docker'>>;
  try {
    d = requireComponent('docker');
  } catch (err) {
    console.log(`${NAME}: docker restart floor not measured: ${(err as Error).message}`);
    return;
  }
  const { DockerAdapter } = await import('../client/src/gateway/docker');
  const { OWNED_LABEL } = await import('../client/src/gateway/plan');
  const run = newRunId('bench-gateway-floor');
  const docker = connectDocker();
  const adapter = new DockerAdapter({ kind: 'socket', socketPath: d.socket, description: d.socket });
  const times: number[] = [];
  try {
    const id = await adapter.create({
      name: `krakend-live-bench-floor-${run}`,
      Image: d.testImage,
      Cmd: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.05; done'],
      Env: [],
      Labels: { ...testLabels(run), [OWNED_LABEL]: 'true' },
      WorkingDir: '/',
      ExposedPorts: {},
      StopSignal: 'SIGTERM',
      StopTimeout: 10,
      HostConfig: { NetworkMode: 'host', Mounts: [], PortBindings: {}, ExtraHosts: [], Init: false, RestartPolicy: { Name: 'no' } },
    });
    await adapter.start(id);
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      await adapter.restart(id, 10);
      times.push(performance.now() - t0);
    }
  } finally {
    adapter.dispose();
    await removeTestResources(docker, run);
  }
  console.log(`${NAME}: docker restart floor (busybox, exits on SIGTERM at once, 10 restarts): ${summary(times)}`);
}

async function main(): Promise<void> {
  await dockerFloor();
  if (!benchCanRun(NAME, needs)) return;
  const images = requireComponent('krakend-images');
  const socket = requireComponent('docker').socket;
  const docker = connectDocker();
  const run = newRunId('bench-gateway');
  const backend = await startBackend();
  const root = mkdtempSync(join(tmpdir(), 'krakend-live-bench-gw-'));
  const results: { side: Side; m: Measured }[] = [];
  try {
    const sides = [
      () => ours(run, backend, images.image, root, socket, 'restart'),
      () => ours(run, backend, images.image, root, socket, 'blue-green'),
      () => watch(docker, run, backend, images.watchImage, root),
    ];
    for (const make of sides) {
      const side = await make();
      try {
        results.push({ side, m: await measure(side, backend) });
      } finally {
        await side.close();
      }
    }
  } finally {
    await removeTestResources(docker, run);
    await backend.close();
    rmSync(root, { recursive: true, force: true });
  }
  console.log(`${NAME}: KrakenD ${images.version}; ${RUNS} saves and ${RUNS} rounds of ${IN_FLIGHT} in-flight ${slowMs / 1000}-second requests per side; ${RPS} req/s on /__health during the saves; ${INVALID_SAVES} invalid saves`);
  console.log('| mode | save → new config answering | in-flight requests cut per reload (of 20) | refused / cut of the open-loop traffic | restarts from invalid saves |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const { side, m } of results) {
    const t = m.traffic;
    console.log(`| ${side.label} | ${summary(m.saveToAnswerMs)} | median ${median(m.cutPerRound)} (${m.cutPerRound.join(', ')}) | ${t.refused} / ${t.cut} of ${t.ok + t.refused + t.cut + t.status} | ${m.invalidRestarts} |`);
  }
  // The promises of the controller: nothing cut and no restart from an invalid save; with
  // blue/green, nothing refused and no 5xx either.
  const [restart, blueGreen] = results.map((r) => r.m);
  if (!restart || restart.cutPerRound.some((c) => c !== 0) || restart.invalidRestarts !== 0) process.exitCode = 1;
  if (!blueGreen || blueGreen.cutPerRound.some((c) => c !== 0) || blueGreen.invalidRestarts !== 0 || blueGreen.traffic.refused + blueGreen.traffic.cut + blueGreen.traffic.status !== 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

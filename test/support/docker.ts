// Shared helpers for tests and benchmarks that use the real Docker daemon: our labels, a
// cleanup that removes everything a test run created (call it from `after`, so it runs even when a
// test fails), log watching without sleeps, and the KrakenD smoke scenario's backend and config.
import Docker from 'dockerode';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { requireComponent } from './env';

/** Label keys. `owned` marks everything KrakenD Live creates; `test` marks what one test run created. */
export const labels = {
  owned: 'dev.krakend-live.owned',
  test: 'dev.krakend-live.test',
} as const;

/** A fresh id for one test file's run; every resource it creates carries it as the `test` label. */
export function newRunId(name: string): string {
  return `${name}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/** The labels to put on every container, image and network a test run creates. */
export function testLabels(run: string): Record<string, string> {
  return { [labels.owned]: 'true', [labels.test]: run };
}

/**
 * The engine socket tests use: the daemon the setup script found, or KRAKEND_LIVE_ENGINE_SOCKET, a
 * second engine's Docker-compatible socket (test/integration/podman.test.ts runs suites on Podman).
 */
export function engineSocket(): string {
  const docker = requireComponent('docker').socket;
  return process.env.KRAKEND_LIVE_ENGINE_SOCKET || docker;
}

/** A dockerode client on the engine socket (fails clearly when Docker is not ready). */
export function connectDocker(): Docker {
  return new Docker({ socketPath: engineSocket() });
}

export interface Removed {
  containers: number;
  images: number;
  networks: number;
}

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number }).statusCode === 404;
}

/**
 * Removes every container, network and image labelled with this run's id; with no run, every one
 * carrying the test label at all (a sweep of leftovers, for when no other test process shares the
 * daemon). Collects errors and throws them together at the end, so one stuck resource does not
 * keep the others alive. The setup script's images carry only the owned label and are never hit.
 */
export async function removeTestResources(docker: Docker, run?: string): Promise<Removed> {
  const filters = JSON.stringify({ label: [run === undefined ? labels.test : `${labels.test}=${run}`] });
  const removed: Removed = { containers: 0, images: 0, networks: 0 };
  const errors: string[] = [];
  for (const info of await docker.listContainers({ all: true, filters })) {
    try {
      await docker.getContainer(info.Id).remove({ force: true, v: true });
      removed.containers++;
    } catch (err) {
      if (!isNotFound(err)) errors.push(`container ${info.Id.slice(0, 12)}: ${(err as Error).message}`);
    }
  }
  for (const info of await docker.listNetworks({ filters })) {
    try {
      await docker.getNetwork(info.Id).remove();
      removed.networks++;
    } catch (err) {
      if (!isNotFound(err)) errors.push(`network ${info.Name}: ${(err as Error).message}`);
    }
  }
  for (const info of await docker.listImages({ filters })) {
    try {
      await docker.getImage(info.Id).remove({ force: true });
      removed.images++;
    } catch (err) {
      if (!isNotFound(err)) errors.push(`image ${info.Id.slice(0, 19)}: ${(err as Error).message}`);
    }
  }
  if (errors.length > 0) throw new Error(`cleanup of test run ${run ?? '(all)'} left resources behind: ${errors.join('; ')}`);
  return removed;
}

/** Rejects with a message naming what was awaited when `ms` passes first. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    const describe = (): string => (typeof what === 'string' ? what : what());
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${describe()}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A free loopback port: the product's own helper (the gateway's blue/green ports come from it). */
export { freeLoopbackPort as freePort } from '../../client/src/gateway/proxy';

interface Waiter {
  pattern: RegExp;
  count: number;
  resolve: () => void;
}

/**
 * Follows a container's stdout and stderr from its start. Attach it before triggering what should
 * be logged, then await `waitFor`, which resolves as soon as the pattern has appeared `count`
 * times in total (it also sees lines logged before the call).
 */
export class LogWatcher {
  stdout = '';
  stderr = '';
  private readonly waiters: Waiter[] = [];
  private source: Duplex | undefined;

  private constructor(private readonly container: Docker.Container) {}

  static async follow(container: Docker.Container): Promise<LogWatcher> {
    const watcher = new LogWatcher(container);
    // attach, not logs: attaching before start is what `docker run` does, so nothing is missed, and
    // `logs: true` replays what was printed before an attach to a running container.
    const stream = (await container.attach({ stream: true, stdout: true, stderr: true, logs: true })) as Duplex;
    watcher.source = stream;
    let pending = Buffer.alloc(0);
    stream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      let frame: Frame | undefined;
      while ((frame = nextFrame(pending))) {
        watcher.append(frame.stream, frame.payload);
        pending = pending.subarray(frame.end);
      }
    });
    return watcher;
  }

  /** Both streams, stdout first: enough for pattern checks. */
  get text(): string {
    return `${this.stdout}${this.stderr}`;
  }

  occurrences(pattern: RegExp): number {
    return (this.text.match(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`)) ?? []).length;
  }

  waitFor(pattern: RegExp, timeoutMs: number, count = 1): Promise<void> {
    const done = new Promise<void>((resolve) => {
      this.waiters.push({ pattern, count, resolve });
      this.check();
    });
    return withTimeout(done, timeoutMs, () => `${count}× ${String(pattern)} in the logs of ${this.container.id.slice(0, 12)}; logs so far:\n${this.text}`);
  }

  close(): void {
    this.source?.destroy();
  }

  private append(which: 'stdout' | 'stderr', chunk: Buffer): void {
    this[which] += chunk.toString('utf8');
    this.check();
  }

  private check(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i];
      if (w && this.occurrences(w.pattern) >= w.count) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }
}

export interface Completed {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a container to its end (host networking, our labels) and returns its exit code and output. */
export async function runToCompletion(
  docker: Docker,
  run: string,
  options: { image: string; cmd?: string[]; binds?: string[]; env?: string[] },
  timeoutMs: number,
): Promise<Completed> {
  const container = await docker.createContainer({
    Image: options.image,
    ...(options.cmd ? { Cmd: options.cmd } : {}),
    Env: options.env ?? [],
    Labels: testLabels(run),
    HostConfig: { NetworkMode: 'host', Binds: options.binds ?? [] },
  });
  await container.start();
  // Waiting after start is race-free: not-running (the default) also answers for an exit that
  // already happened, whereas a wait sent before start may reach the daemon after a quick exit.
  const exited = container.wait() as Promise<{ StatusCode: number }>;
  const { StatusCode } = await withTimeout(exited, timeoutMs, `container ${options.image} ${(options.cmd ?? []).join(' ')} to exit`);
  const [stdout, stderr] = await containerOutput(container);
  return { exitCode: StatusCode, stdout, stderr };
}

/** A stopped or running container's stdout and stderr so far, demultiplexed. */
export async function containerOutput(container: Docker.Container): Promise<[string, string]> {
  let buf = await container.logs({ follow: false, stdout: true, stderr: true });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let frame: Frame | undefined;
  while ((frame = nextFrame(buf))) {
    (frame.stream === 'stderr' ? err : out).push(frame.payload);
    buf = buf.subarray(frame.end);
  }
  return [Buffer.concat(out).toString('utf8'), Buffer.concat(err).toString('utf8')];
}

interface Frame {
  stream: 'stdout' | 'stderr';
  payload: Buffer;
  end: number;
}

/**
 * The first complete frame of Docker's multiplexed output (containers without a TTY): one byte
 * stream id (1 stdout, 2 stderr), three of padding, a big-endian 32-bit length, then the payload.
 */
function nextFrame(buf: Buffer): Frame | undefined {
  if (buf.length < 8) return undefined;
  const size = buf.readUInt32BE(4);
  if (buf.length < 8 + size) return undefined;
  return { stream: buf[0] === 2 ? 'stderr' : 'stdout', payload: buf.subarray(8, 8 + size), end: 8 + size };
}

/** A network error's root cause (fetch wraps it as "fetch failed"), for messages. */
export function errorText(err: Error): string {
  const cause = err.cause;
  return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
}

// --- the KrakenD smoke scenario (test/integration/krakend.test.ts and bench/watchAnchor.bench.ts) ---

/** How long the slow backend endpoint takes: longer than reflex's ~1 s kill, shorter than the drain bound. */
export const slowMs = 3000;

export interface Backend {
  port: number;
  /**
   * Resolves when the backend has received `count` more requests for `path` (default one).
   * Attach before triggering.
   */
  nextRequest(path: string, count?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The default bridge's gateway address on this host (docker0), where a gateway container on a
 * bridge network reaches the host as `host.docker.internal` (ExtraHosts host-gateway). A backend
 * for bridge tests listens there, never on every interface. Only our own daemon's range is accepted.
 */
export async function bridgeGateway(docker: Docker): Promise<string> {
  const bridge = (await docker.getNetwork('bridge').inspect()) as { IPAM?: { Config?: { Gateway?: string }[] } };
  const gateway = bridge.IPAM?.Config?.find((c) => c.Gateway)?.Gateway;
  if (!gateway || !/^198\.(18|19)\./.test(gateway)) throw new Error(`the default bridge's gateway is ${gateway ?? 'unknown'}, not in 198.18.0.0/15: start dockerd with scripts/test-env.sh`);
  return gateway;
}

/**
 * A local HTTP backend (on loopback unless `host` says otherwise, e.g. the bridge gateway): /hello and /v<N> answer JSON at once (`{"message":"vN"}`),
 * /slow answers after slowMs. KrakenD proxies to it, so a changed response proves which config the
 * gateway runs.
 */
export async function startBackend(host = '127.0.0.1'): Promise<Backend> {
  const listeners: { path: string; left: number; resolve: () => void }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    for (let i = listeners.length - 1; i >= 0; i--) {
      const l = listeners[i];
      if (l && l.path === path && --l.left === 0) {
        listeners.splice(i, 1);
        l.resolve();
      }
    }
    const reply = (body: unknown): void => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/hello') reply({ message: 'hello' });
    else if (/^\/v\d+$/.test(path)) reply({ message: path.slice(1) });
    else if (path === '/slow') {
      const t = setTimeout(() => {
        timers.delete(t);
        reply({ slow: true });
      }, slowMs);
      timers.add(t);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    nextRequest: (path, count = 1) => new Promise<void>((resolve) => listeners.push({ path, left: count, resolve })),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const fixtureDir = join(__dirname, '..', 'fixtures', 'env');

/**
 * The two-endpoint gateway config (test/fixtures/env/twoEndpoints.json) on `port`, proxying to the
 * backend; `helloPath` is the backend path behind /hello, so a rewrite with another path is visible.
 * `backendHost` is `host.docker.internal` for a gateway on a bridge network.
 */
export function gatewayConfig(port: number, backendPort: number, helloPath = '/hello', backendHost = '127.0.0.1'): string {
  const config = JSON.parse(readFileSync(join(fixtureDir, 'twoEndpoints.json'), 'utf8')) as {
    port: number;
    host: string[];
    endpoints: { endpoint: string; backend: { url_pattern: string }[] }[];
  };
  config.port = port;
  config.host = [`http://${backendHost}:${backendPort}`];
  const hello = config.endpoints.find((e) => e.endpoint === '/hello');
  if (!hello?.backend[0]) throw new Error('twoEndpoints.json lost its /hello endpoint');
  hello.backend[0].url_pattern = helloPath;
  return `${JSON.stringify(config, null, 2)}\n`;
}

export interface HttpResult {
  status: number;
  body: string;
}

/** GET on loopback. Rejects on a network error (for example a connection cut by a restart). */
export async function get(port: number, path: string, timeoutMs: number): Promise<HttpResult> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text() };
}

/** The outcome of a request that may be cut, with the moment it settled (performance.now()). */
export type Settled = { ok: true; value: HttpResult; at: number } | { ok: false; error: Error; at: number };

/** Never rejects: lets a test start a request, do other things, and look at how it ended later. */
export function settle(p: Promise<HttpResult>): Promise<Settled> {
  return p.then(
    (value) => ({ ok: true as const, value, at: performance.now() }),
    (error: unknown) => ({ ok: false as const, error: error instanceof Error ? error : new Error(String(error)), at: performance.now() }),
  );
}

/**
 * Resolves on the first 200 from the health endpoint. KrakenD logs "Listening on port" just
 * before it binds, so a request right after that line can be refused; only refusals are retried.
 */
export async function waitHealthy(port: number, timeoutMs: number): Promise<HttpResult> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no attempt';
  while (performance.now() < deadline) {
    try {
      const r = await get(port, '/__health', 2000);
      if (r.status === 200) return r;
      last = `status ${r.status}: ${r.body}`;
    } catch (err) {
      last = String((err as { cause?: unknown }).cause ?? err);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`GET /__health on 127.0.0.1:${port} did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}

/** KrakenD's readiness log line for `port`. */
export function listening(port: number): RegExp {
  return new RegExp(`Listening on port: ${port}\\b`);
}

export interface StartedGateway {
  container: Docker.Container;
  logs: LogWatcher;
}

/** Starts a KrakenD container with host networking and our labels, mounting `dir` at /etc/krakend. */
export async function startGateway(
  docker: Docker,
  run: string,
  options: { image: string; dir: string; port: number; cmd?: string[] },
  timeoutMs: number,
): Promise<StartedGateway> {
  const container = await docker.createContainer({
    Image: options.image,
    ...(options.cmd ? { Cmd: options.cmd } : {}),
    Env: ['USAGE_DISABLE=1'],
    Labels: testLabels(run),
    HostConfig: { NetworkMode: 'host', Binds: [`${options.dir}:/etc/krakend:ro`] },
  });
  const logs = await LogWatcher.follow(container);
  await container.start();
  await logs.waitFor(listening(options.port), timeoutMs);
  await waitHealthy(options.port, timeoutMs);
  return { container, logs };
}

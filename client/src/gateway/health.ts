/**
 * Health of a running gateway: HTTP GET on KrakenD's health endpoint (`/__health` or
 * `router.health_path`), polled until 200 or a deadline, and a TCP probe for "is this port
 * taken?" before a host-network start. Every timer and socket is released when a poll ends.
 */
import { request } from 'node:http';
import type { RequestOptions } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { HealthTarget } from './plan';

/**
 * Opens the probe's TCP connection somewhere other than here: on an `ssh://` engine's machine
 * (engine/sshForward.ts), for a target with `via: 'engine'`. Absent: a plain connect from here.
 */
export type Connector = (host: string, port: number) => Promise<Duplex>;

export interface ProbeResult {
  readonly ok: boolean;
  readonly status?: number;
  readonly body?: string;
  readonly error?: string;
}

/** One GET. Never rejects: a refused connection is a result, not an exception. */
export function probeHealth(target: HealthTarget, timeoutMs: number, connector?: Connector): Promise<ProbeResult> {
  if (target.tcpOnly) {
    if (connector) return openThrough(connector, target, timeoutMs).then((r) => (r.ok ? { ok: true } : { ok: false, error: r.error }));
    return isPortOpen(target.host, target.port, timeoutMs).then((open) => (open ? { ok: true } : { ok: false, error: 'port closed' }));
  }
  // Node's http takes a stream of our making through createConnection's callback form (it returns
  // nothing and calls back later; Node's types only know the synchronous form).
  const through: Pick<RequestOptions, 'createConnection'> = connector
    ? {
        createConnection: ((_o: unknown, done: (err: Error | null, stream?: Duplex) => void): undefined => {
          connector(target.host, target.port).then(
            (s) => done(null, socketLike(s)),
            (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
          );
          return undefined;
        }) as unknown as RequestOptions['createConnection'],
      }
    : {};
  return new Promise((settle) => {
    const resolve = (r: ProbeResult): void => {
      clearTimeout(deadline);
      settle(r);
    };
    // Through a connector the deadline is ours: the channel has no socket timeout to set.
    const deadline = connector ? setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs) : undefined;
    // No agent with a connector: Node uses createConnection only then (one request, `connection: close`).
    const req = request({ host: target.host, port: target.port, path: target.path, method: 'GET', ...(connector ? through : { timeout: timeoutMs, agent: false }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ ok: res.statusCode === 200, status: res.statusCode ?? 0, body });
      });
      res.on('error', (e) => resolve({ ok: false, error: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, error: e.code ?? e.message }));
    req.end();
  });
}

/**
 * Node's http client treats its connection as a net.Socket and sets timeouts and Nagle on it; a
 * forwarded ssh channel has no such knobs, and needs none (the probe has its own deadline).
 */
function socketLike(s: Duplex): Duplex {
  const knobs = s as Duplex & { setTimeout?: unknown; setNoDelay?: unknown; setKeepAlive?: unknown };
  for (const k of ['setTimeout', 'setNoDelay', 'setKeepAlive'] as const) {
    if (typeof knobs[k] !== 'function') Object.defineProperty(s, k, { value: () => s, configurable: true });
  }
  return s;
}

/** Closes a probe's stream; what destroying it may emit (an abort) is nobody's business. */
function close(s: Duplex): void {
  s.on('error', () => undefined);
  s.destroy();
}

/** A TCP probe through a connector: open, then close at once. */
async function openThrough(connector: Connector, target: HealthTarget, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
  });
  const opening = connector(target.host, target.port);
  try {
    close(await Promise.race([opening, late]));
    return { ok: true };
  } catch (err) {
    // One that opens after the deadline is closed when it does.
    opening.then(close, () => undefined);
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * KrakenD's health body carries Go's `time.Now().String()`, whose monotonic suffix `m=+12.345`
 * is the process uptime in seconds.
 */
export function processUptimeSeconds(body: string | undefined): number | undefined {
  if (!body) return undefined;
  const m = /m=\+(\d+(?:\.\d+)?)/.exec(body);
  return m ? Number(m[1]) : undefined;
}

/**
 * When the KrakenD process that wrote this health body started, in epoch milliseconds: the wall
 * clock of its `now` minus its uptime (`m=+…`), both read by Go in the same call, so no clock of
 * ours takes part. It identifies a process: a `:watch` image restarts KrakenD inside the same
 * container (whose StartedAt never changes), and only a different start tells the new process
 * from the old one, however young the old one is.
 */
export function processStartMs(body: string | undefined): number | undefined {
  if (!body) return undefined;
  const m = /"now":"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))? ([+-])(\d\d)(\d\d) [^"]*? m=\+(\d+(?:\.\d+)?)"/.exec(body);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac, sign, oh, om, up] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)) + Number(`0.${frac ?? '0'}`) * 1000;
  const offsetMs = (Number(oh) * 60 + Number(om)) * 60_000 * (sign === '-' ? -1 : 1);
  return utc - offsetMs - Number(up) * 1000;
}

export type WaitResult =
  | { readonly kind: 'healthy'; readonly ms: number; readonly body?: string }
  | { readonly kind: 'timeout'; readonly ms: number; readonly last: ProbeResult }
  | { readonly kind: 'exited'; readonly ms: number }
  | { readonly kind: 'aborted'; readonly ms: number };

export interface WaitOptions {
  readonly target: HealthTarget;
  readonly timeoutMs: number;
  /** Pause between probes; tests set a few ms. */
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
  /** Called between probes; return false when the container is gone, to stop waiting early. */
  readonly alive?: () => Promise<boolean>;
  /** Extra condition on a 200 (e.g. "is this the new process?"). */
  readonly accept?: (r: ProbeResult) => boolean;
  readonly now?: () => number;
  /** Where the probe's connection is opened (a target `via: 'engine'`); see Connector. */
  readonly connector?: Connector;
}

/** Polls until 200 (and `accept`), the container exits, the deadline passes or the signal aborts. */
export async function waitHealthy(o: WaitOptions): Promise<WaitResult> {
  const now = o.now ?? Date.now;
  const t0 = now();
  const interval = o.intervalMs ?? 200;
  let last: ProbeResult = { ok: false, error: 'not probed' };
  for (;;) {
    if (o.signal?.aborted) return { kind: 'aborted', ms: now() - t0 };
    last = await probeHealth(o.target, Math.min(2000, Math.max(100, o.timeoutMs)), o.connector);
    if (last.ok && (o.accept ? o.accept(last) : true)) return { kind: 'healthy', ms: now() - t0, ...(last.body !== undefined ? { body: last.body } : {}) };
    if (o.alive && !(await o.alive())) return { kind: 'exited', ms: now() - t0 };
    if (now() - t0 >= o.timeoutMs) return { kind: 'timeout', ms: now() - t0, last };
    await pause(interval, o.signal);
  }
}

/** A timer that an abort signal cancels, so no poll outlives its owner. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The only module that talks to the Docker daemon. It executes what plan.ts describes, with a
 * timeout on every request, typed errors (DockerError.kind), and the ownership rule: every
 * operation on an existing container first inspects it and refuses unless it carries our label.
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import { COMPOSE_LABELS } from './compose';
import type { InspectedContainer } from './compose';
import { apiVersionProblem, engineProblem, plainHttpToTlsProblem, podmanInitProblem } from './engine/errors';
import type { EngineFacts } from './engine/paths';
import { sshConnectOptions } from './engine/sshAuth';
import type { FaultKind } from './lifecycle';
import { OWNED_LABEL } from './plan';
import type { ContainerSpec, DockerConnection } from './plan';
import { tarFiles } from './tarball';
import type { TarFile } from './tarball';

export class DockerError extends Error {
  override readonly name = 'DockerError';
  constructor(
    readonly kind: FaultKind | 'notFound' | 'conflict',
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export interface Disposable {
  dispose(): void;
}

export interface ContainerState {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly running: boolean;
  readonly status: string;
  readonly exitCode: number;
  readonly oomKilled: boolean;
  /** Docker's StartedAt, unchanged unless the process was (re)started. */
  readonly startedAt: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ContainerEvent {
  readonly action: string;
  readonly id: string;
  readonly name: string;
  readonly exitCode?: number;
  /** Unix time in ms. */
  readonly time: number;
}

export interface LogSink {
  stdout(line: string): void;
  stderr(line: string): void;
}

export interface AdapterOptions {
  /** Per-request timeout; pulls and followed streams are not bounded by it. */
  readonly timeoutMs?: number;
  /** Where the adapter reports what it drops (torn event lines, stream errors). */
  readonly warn?: (message: string) => void;
}

/**
 * Turns the plan's connection into dockerode options, explicitly, so DOCKER_HOST cannot override
 * it. `onHostKeyRefused` hears why an ssh host key was refused (see engine/sshAuth.ts).
 */
export function dockerodeOptions(c: DockerConnection, onHostKeyRefused: (message: string) => void = () => undefined): Docker.DockerOptions {
  switch (c.kind) {
    case 'socket':
      return { socketPath: c.socketPath, host: undefined, port: undefined, protocol: 'http' };
    case 'tcp': {
      if (c.protocol === 'https' && c.tls) {
        // A docker context: each file is optional, and SkipTLSVerify needs an agent of its own
        // (docker-modem passes ca/cert/key per request but has no option to skip verification).
        const t = c.tls;
        const files = { ...(t.ca ? { ca: readFileSync(t.ca) } : {}), ...(t.cert ? { cert: readFileSync(t.cert) } : {}), ...(t.key ? { key: readFileSync(t.key) } : {}) };
        return { host: c.host, port: c.port, protocol: 'https', socketPath: undefined, ...files, ...(t.skipVerify ? { agent: new HttpsAgent({ ...files, rejectUnauthorized: false }) } : {}) };
      }
      const tls = c.protocol === 'https' && c.certPath
        ? { ca: readFileSync(join(c.certPath, 'ca.pem')), cert: readFileSync(join(c.certPath, 'cert.pem')), key: readFileSync(join(c.certPath, 'key.pem')) }
        : {};
      return { host: c.host, port: c.port, protocol: c.protocol, socketPath: undefined, ...tls };
    }
    case 'ssh':
      return {
        host: c.host,
        port: c.port,
        protocol: 'ssh',
        socketPath: undefined,
        ...(c.username ? { username: c.username } : {}),
        sshOptions: sshConnectOptions(c, onHostKeyRefused),
      };
  }
}

/** Maps a dockerode/Node error to what the user needs to hear. */
export function classifyError(err: unknown, where: string, target: string): DockerError {
  if (err instanceof DockerError) return err;
  const e = err as { code?: string; statusCode?: number; message?: string; json?: { message?: string } };
  const detail = e.json?.message ?? e.message ?? String(err);
  switch (e.code) {
    case 'ENOENT':
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
    case 'ENOTFOUND':
      return new DockerError('dockerUnavailable', `Docker is not reachable at ${target} (${e.code}). Is the Docker daemon running?`, err);
    case 'EACCES':
    case 'EPERM':
      return new DockerError('dockerPermission', `Permission denied on the Docker socket ${target}. Add your user to the "docker" group (then log in again) or set krakend.docker.host.`, err);
    case 'ETIMEDOUT':
      return new DockerError('timeout', `Docker did not answer ${where} in time (${target}).`, err);
  }
  if (/port is already allocated|address already in use/i.test(detail)) {
    return new DockerError('portInUse', `The gateway port is already in use: ${detail}`, err);
  }
  if (e.statusCode === 404) {
    if (/no such image/i.test(detail)) return new DockerError('imageNotFound', `Image not found: ${detail}`, err);
    return new DockerError('notFound', `${where}: ${detail}`, err);
  }
  if (e.statusCode === 409) return new DockerError('conflict', `${where}: ${detail}`, err);
  return new DockerError('unknown', `${where} failed: ${detail}`, err);
}

/** Pull errors come inside the progress stream; these are the words the registry and daemon use. */
export function classifyPullError(message: string, image: string): DockerError {
  if (/manifest unknown|not found|pull access denied|repository does not exist|no matching manifest/i.test(message)) {
    return new DockerError('imageNotFound', `Image ${image} was not found in its registry (${message}). Check krakend.gateway.image, or build it locally.`);
  }
  if (/dial tcp|lookup |i\/o timeout|connection refused|no such host|TLS handshake|Client\.Timeout|network is unreachable|EOF/i.test(message)) {
    return new DockerError('registryUnreachable', `The registry for ${image} is unreachable (${message}). Check your network or proxy, or build the image locally.`);
  }
  return new DockerError('unknown', `Pulling ${image} failed: ${message}`);
}

/** Splits a byte stream into lines, keeping a partial last line until more arrives. */
export class LineSplitter {
  private rest = '';
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: Buffer | string): void {
    const text = this.rest + chunk.toString('utf8');
    const lines = text.split(/\r?\n/);
    this.rest = lines.pop() ?? '';
    for (const l of lines) this.onLine(l);
  }
  flush(): void {
    if (this.rest !== '') this.onLine(this.rest);
    this.rest = '';
  }
}

/**
 * Parses a non-followed, multiplexed log body (8-byte frame headers: stream, 0,0,0, size BE)
 * into lines in the order Docker stored them. A TTY container's logs have no headers.
 */
export function demuxLines(buf: Buffer): { readonly stream: 'stdout' | 'stderr'; readonly line: string }[] {
  const out: { stream: 'stdout' | 'stderr'; line: string }[] = [];
  const framed = buf.length >= 8 && (buf[0] === 0 || buf[0] === 1 || buf[0] === 2) && buf[1] === 0 && buf[2] === 0 && buf[3] === 0;
  if (!framed) {
    for (const line of buf.toString('utf8').split(/\r?\n/)) if (line !== '') out.push({ stream: 'stdout', line });
    return out;
  }
  let i = 0;
  const partial = { stdout: '', stderr: '' };
  while (i + 8 <= buf.length) {
    const stream = buf[i] === 2 ? 'stderr' : 'stdout';
    const size = buf.readUInt32BE(i + 4);
    const parts = (partial[stream] + buf.subarray(i + 8, i + 8 + size).toString('utf8')).split(/\r?\n/);
    partial[stream] = parts.pop() ?? '';
    for (const line of parts) out.push({ stream, line });
    i += 8 + size;
  }
  for (const stream of ['stdout', 'stderr'] as const) if (partial[stream] !== '') out.push({ stream, line: partial[stream] });
  return out;
}

export class DockerAdapter implements Disposable {
  private readonly docker: Docker;
  private readonly timeoutMs: number;
  private readonly streams = new Set<Readable>();
  private disposed = false;
  private readonly warn: (message: string) => void;
  /** Why the last ssh host key was refused; ssh2's own error does not say. */
  private hostKeyRefusal: string | undefined;
  /** The engine's API version passed the check once (see ping). */
  private versionChecked = false;
  /** What /version said about the engine (Docker Desktop, a WSL kernel…), once pinged. */
  engineFacts: EngineFacts | undefined;

  constructor(readonly connection: DockerConnection, options: AdapterOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.warn = options.warn ?? (() => undefined);
    try {
      this.docker = new Docker(
        dockerodeOptions(connection, (m) => {
          this.hostKeyRefusal = m;
        }),
      );
    } catch (err) {
      // dockerode parses DOCKER_HOST itself in its constructor and throws on a malformed one.
      throw new DockerError('plan', `Cannot use Docker host ${connection.description}: ${(err as Error).message}`, err);
    }
  }

  private async call<T>(where: string, f: () => Promise<T>, timeoutMs = this.timeoutMs): Promise<T> {
    if (this.disposed) throw new DockerError('unknown', `${where}: the Docker adapter was disposed.`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DockerError('timeout', `Docker did not answer ${where} within ${timeoutMs} ms (${this.connection.description}).`)), timeoutMs);
    });
    try {
      return await Promise.race([f(), timeout]);
    } catch (err) {
      if (this.hostKeyRefusal !== undefined && /Host denied|verification failed/i.test((err as Error).message)) {
        throw new DockerError('dockerUnavailable', this.hostKeyRefusal, err);
      }
      const e = err as { json?: { message?: string }; message?: string };
      const detail = e.json?.message ?? e.message ?? '';
      const problem = engineProblem(err, this.connection) ?? plainHttpToTlsProblem(detail, this.connection) ?? podmanInitProblem(detail);
      if (problem && !(err instanceof DockerError)) throw new DockerError(problem.kind, problem.message, err);
      throw classifyError(err, where, this.connection.description);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Fails with a typed error when the daemon is down, forbidden or slow, and (once per adapter)
   * when its API is older than we need.
   */
  async ping(): Promise<void> {
    await this.call('ping', () => this.docker.ping());
    this.hostKeyRefusal = undefined;
    if (this.versionChecked) return;
    const v = await this.call('version', () => this.docker.version());
    const problem = apiVersionProblem(v.ApiVersion, v.Version, this.connection);
    if (problem) throw new DockerError(problem.kind, problem.message);
    this.versionChecked = true;
    const extra = v as { Platform?: { Name?: string }; Components?: { Name?: string }[] };
    const podman = (extra.Components ?? []).some((c) => /podman/i.test(c.Name ?? ''));
    this.engineFacts = {
      engine: podman ? 'podman' : 'docker',
      engineVersion: v.Version,
      ...(extra.Platform?.Name ? { platformName: extra.Platform.Name } : {}),
      kernelVersion: v.KernelVersion,
      os: v.Os,
    };
  }

  async serverVersion(): Promise<string> {
    const v = await this.call('version', () => this.docker.version());
    return v.Version;
  }

  async hasImage(reference: string): Promise<boolean> {
    try {
      await this.call(`inspect image ${reference}`, () => this.docker.getImage(reference).inspect());
      return true;
    } catch (err) {
      if (err instanceof DockerError && (err.kind === 'notFound' || err.kind === 'imageNotFound')) return false;
      throw err;
    }
  }

  /** Pulls an image, reporting progress lines; errors are classified (not found, registry unreachable). */
  async pull(reference: string, onProgress: (status: string) => void, signal?: AbortSignal): Promise<void> {
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.call(`pull ${reference}`, () => this.docker.pull(reference), 60_000);
    } catch (err) {
      // The daemon answers the create request itself with the registry's error (500 or 404).
      if (err instanceof DockerError && (err.kind === 'unknown' || err.kind === 'notFound' || err.kind === 'imageNotFound')) {
        throw classifyPullError(err.message, reference);
      }
      throw err;
    }
    const readable = stream as Readable;
    this.streams.add(readable);
    const onAbort = (): void => {
      readable.destroy();
    };
    signal?.addEventListener('abort', onAbort);
    try {
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(
          stream,
          (err: Error | null) => (err ? reject(classifyPullError(err.message, reference)) : resolve()),
          (ev: { status?: string; progress?: string; id?: string; error?: string }) => {
            if (ev.status) onProgress(`${ev.id ? `${ev.id}: ` : ''}${ev.status}${ev.progress ? ` ${ev.progress}` : ''}`);
          },
        );
        readable.once('close', () => {
          if (signal?.aborted) reject(new DockerError('unknown', `Pulling ${reference} was cancelled.`));
        });
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.streams.delete(readable);
    }
  }

  private toState(info: Docker.ContainerInspectInfo): ContainerState {
    return {
      id: info.Id,
      name: info.Name.replace(/^\//, ''),
      image: info.Config.Image,
      running: info.State.Running,
      status: info.State.Status,
      exitCode: info.State.ExitCode,
      oomKilled: info.State.OOMKilled,
      startedAt: info.State.StartedAt,
      labels: info.Config.Labels ?? {},
    };
  }

  /**
   * Inspects a container and returns its state only if we own it. Throws `notOwned` for anyone
   * else's container and `notFound` when it does not exist. Every mutating call goes through it.
   */
  async inspectOwned(idOrName: string): Promise<ContainerState> {
    const info = await this.call(`inspect ${idOrName}`, () => this.docker.getContainer(idOrName).inspect());
    const state = this.toState(info);
    if (state.labels[OWNED_LABEL] !== 'true') {
      throw new DockerError('notOwned', `Container ${state.name} was not created by KrakenD Live (no ${OWNED_LABEL} label); it is left alone. Remove or rename it, or use another workspace.`);
    }
    return state;
  }

  /** The owned container with this name, undefined when there is none; `notOwned` if someone else's. */
  async findOwned(name: string): Promise<ContainerState | undefined> {
    try {
      return await this.inspectOwned(name);
    } catch (err) {
      if (err instanceof DockerError && err.kind === 'notFound') return undefined;
      throw err;
    }
  }

  async listOwned(extraLabels: Readonly<Record<string, string>> = {}): Promise<ContainerState[]> {
    const label = [`${OWNED_LABEL}=true`, ...Object.entries(extraLabels).map(([k, v]) => `${k}=${v}`)];
    const list = await this.call('list containers', () => this.docker.listContainers({ all: true, filters: { label } }));
    const out: ContainerState[] = [];
    for (const c of list) {
      const s = await this.findOwned(c.Id);
      if (s) out.push(s);
    }
    return out;
  }

  /**
   * Creates a container from the plan's spec; refuses a spec without our label. Engines before
   * API 1.44 take one network at create, so the spec's other networks are joined right after.
   */
  async create(spec: ContainerSpec): Promise<string> {
    if (spec.Labels[OWNED_LABEL] !== 'true') throw new DockerError('notOwned', `Refusing to create ${spec.name} without the ${OWNED_LABEL} label.`);
    const endpoints = Object.entries(spec.NetworkingConfig?.EndpointsConfig ?? {});
    const body = structuredClone(spec) as unknown as Docker.ContainerCreateOptions;
    if (endpoints.length > 1) body.NetworkingConfig = { EndpointsConfig: Object.fromEntries(endpoints.slice(0, 1).map(([n, e]) => [n, { Aliases: [...e.Aliases] }])) };
    const c = await this.call(`create ${spec.name}`, () => this.docker.createContainer(body));
    for (const [network, e] of endpoints.slice(1)) {
      await this.call(`connect ${spec.name} to ${network}`, () => this.docker.getNetwork(network).connect({ Container: c.id, EndpointConfig: { Aliases: [...e.Aliases] } }));
    }
    return c.id;
  }

  /**
   * Archive delivery (plan.ts configDelivery): puts `files` into our container below `dir`,
   * through the engine's archive API, so it works wherever the API does (ssh, tcp). A created
   * container takes them before it starts, a running one before its restart. Files are root-owned,
   * 0644 (tarball.ts); the API adds and replaces, never deletes.
   */
  async putFiles(id: string, files: readonly TarFile[], dir: string): Promise<void> {
    const s = await this.inspectOwned(id);
    const archive = tarFiles(files, { root: dir, mtime: Math.floor(Date.now() / 1000) });
    // At `/` with the folder in the names: Docker creates a folder the image lacks, root-owned 0755.
    await this.call(`copy the configuration into ${s.name}`, () => this.docker.getContainer(id).putArchive(archive, { path: '/' }));
  }

  /** Takes our container off these networks (a blue/green color leaving a compose stack after draining). */
  async leaveNetworks(id: string, networks: readonly string[]): Promise<void> {
    await this.inspectOwned(id);
    for (const network of networks) {
      await this.call(`disconnect ${id} from ${network}`, () => this.docker.getNetwork(network).disconnect({ Container: id }));
    }
  }

  /** Every container of a compose stack (any project), as `docker inspect` shows it; read only. */
  async listComposeContainers(): Promise<InspectedContainer[]> {
    const list = await this.call('list compose containers', () => this.docker.listContainers({ all: true, filters: { label: [COMPOSE_LABELS.project] } }));
    const out: InspectedContainer[] = [];
    for (const c of list) {
      try {
        out.push(await this.call(`inspect ${c.Id}`, () => this.docker.getContainer(c.Id).inspect()));
      } catch (err) {
        // Removed between the list and the inspect: it is not there to stand in for.
        if (!(err instanceof DockerError && err.kind === 'notFound')) throw err;
      }
    }
    return out;
  }

  /**
   * The one exception to the ownership rule: the container of the compose service our gateway
   * stands in for is stopped while ours runs and started again after. Only that: it must still
   * carry the compose labels it was found by (and not ours), and it is never removed or changed.
   */
  async stopComposeService(id: string, expect: { readonly project: string; readonly service: string }, graceSeconds: number): Promise<void> {
    if (!(await this.composeServiceRunning(id, expect))) return;
    await this.call(`stop ${id}`, () => this.docker.getContainer(id).stop({ t: graceSeconds }), this.timeoutMs + graceSeconds * 1000).catch((err: unknown) => {
      if (!((err as DockerError).cause && (err as { cause: { statusCode?: number } }).cause.statusCode === 304)) throw err;
    });
  }

  /** Starts the compose service's container again (see stopComposeService). */
  async startComposeService(id: string, expect: { readonly project: string; readonly service: string }): Promise<void> {
    if (await this.composeServiceRunning(id, expect)) return;
    await this.call(`start ${id}`, () => this.docker.getContainer(id).start());
  }

  private async composeServiceRunning(id: string, expect: { readonly project: string; readonly service: string }): Promise<boolean> {
    const info = await this.call(`inspect ${id}`, () => this.docker.getContainer(id).inspect());
    const labels = info.Config.Labels ?? {};
    if (labels[OWNED_LABEL] === 'true' || labels[COMPOSE_LABELS.project] !== expect.project || labels[COMPOSE_LABELS.service] !== expect.service) {
      throw new DockerError('notOwned', `Container ${info.Name.replace(/^\//, '')} is no longer the compose service ${expect.service} of ${expect.project}; it is left alone.`);
    }
    return info.State.Running;
  }

  async start(id: string): Promise<void> {
    await this.inspectOwned(id);
    await this.call(`start ${id}`, () => this.docker.getContainer(id).start());
  }

  /** docker stop: StopSignal (SIGTERM), then SIGKILL after `graceSeconds`. */
  async stop(id: string, graceSeconds: number): Promise<void> {
    const s = await this.inspectOwned(id);
    if (!s.running) return;
    try {
      await this.call(`stop ${id}`, () => this.docker.getContainer(id).stop({ t: graceSeconds }), this.timeoutMs + graceSeconds * 1000);
    } catch (err) {
      // 304: it stopped on its own between the inspect and the stop.
      if ((err as DockerError).cause && (err as { cause: { statusCode?: number } }).cause.statusCode === 304) return;
      throw err;
    }
  }

  /** docker restart: the daemon stops (SIGTERM, grace, SIGKILL) and starts in one request. */
  async restart(id: string, graceSeconds: number): Promise<void> {
    await this.inspectOwned(id);
    await this.call(`restart ${id}`, () => this.docker.getContainer(id).restart({ t: graceSeconds }), this.timeoutMs + graceSeconds * 1000);
  }

  async kill(id: string, signal: string): Promise<void> {
    await this.inspectOwned(id);
    await this.call(`kill ${id}`, () => this.docker.getContainer(id).kill({ signal }));
  }

  async remove(id: string): Promise<void> {
    await this.inspectOwned(id);
    await this.call(`remove ${id}`, () => this.docker.getContainer(id).remove({ force: true, v: true }));
  }

  /** Removes every container with our label (and the extra labels); returns how many. */
  async removeOwned(extraLabels: Readonly<Record<string, string>> = {}): Promise<number> {
    const list = await this.listOwned(extraLabels);
    for (const c of list) await this.remove(c.id);
    return list.length;
  }

  /** The last `lines` lines of stdout and stderr, interleaved as Docker stored them. */
  async logTail(id: string, lines: number): Promise<string[]> {
    await this.inspectOwned(id);
    const body = await this.call(`logs ${id}`, () => this.docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false, tail: lines }));
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(String(body));
    return demuxLines(buf)
      .map((l) => l.line)
      .slice(-lines);
  }

  /** Follows a container's output, demultiplexed into lines. Dispose to stop. */
  async followLogs(id: string, sink: LogSink, options: { tail?: number; sinceSeconds?: number } = {}): Promise<Disposable> {
    const state = await this.inspectOwned(id);
    const stream = (await this.call(`logs ${id}`, () =>
      this.docker.getContainer(state.id).logs({ stdout: true, stderr: true, follow: true, tail: options.tail ?? 100, ...(options.sinceSeconds ? { since: options.sinceSeconds } : {}) }),
    )) as unknown as Readable;
    const out = new PassThrough();
    const err = new PassThrough();
    const outLines = new LineSplitter((l) => sink.stdout(l));
    const errLines = new LineSplitter((l) => sink.stderr(l));
    out.on('data', (c: Buffer) => outLines.push(c));
    err.on('data', (c: Buffer) => errLines.push(c));
    this.docker.modem.demuxStream(stream, out, err);
    stream.on('end', () => {
      outLines.flush();
      errLines.flush();
    });
    // A dropped connection ends the stream; it is reported, never thrown into the event loop.
    stream.on('error', (e: Error) => this.warn(`log stream of ${state.name} failed: ${e.message}`));
    this.streams.add(stream);
    return {
      dispose: () => {
        this.streams.delete(stream);
        stream.destroy();
        out.destroy();
        err.destroy();
      },
    };
  }

  /**
   * Follows Docker events for containers carrying our label. `onEnd` is called once if the
   * stream ends without dispose() (the daemon went away).
   */
  async events(onEvent: (e: ContainerEvent) => void, onEnd: (err?: Error) => void, extraLabels: Readonly<Record<string, string>> = {}): Promise<Disposable> {
    const label = [`${OWNED_LABEL}=true`, ...Object.entries(extraLabels).map(([k, v]) => `${k}=${v}`)];
    const stream = (await this.call('events', () =>
      // Podman filters on its own event names ("died") and only reports them as Docker's ("die").
      this.docker.getEvents({ filters: { type: ['container'], label, event: ['die', 'died', 'oom', 'restart', 'start', 'kill', 'stop'] } }),
    )) as unknown as Readable;
    let disposed = false;
    let ended = false;
    const lines = new LineSplitter((line) => {
      if (line.trim() === '') return;
      try {
        const j = JSON.parse(line) as { Action?: string; status?: string; id?: string; time?: number; timeNano?: number; Actor?: { ID?: string; Attributes?: Record<string, string> } };
        const attrs = j.Actor?.Attributes ?? {};
        // Docker says exitCode, on die only; Podman says containerExitCode, on every event.
        const action = j.Action ?? j.status ?? '';
        const rawCode = attrs.exitCode ?? (action === 'die' || action === 'died' ? attrs.containerExitCode : undefined);
        const code = rawCode === undefined ? undefined : Number(rawCode);
        onEvent({
          action: action === 'died' ? 'die' : action,
          id: j.Actor?.ID ?? j.id ?? '',
          name: attrs.name ?? '',
          ...(code === undefined || Number.isNaN(code) ? {} : { exitCode: code }),
          time: j.timeNano ? Math.floor(j.timeNano / 1e6) : (j.time ?? 0) * 1000,
        });
      } catch (err) {
        // Docker writes one JSON object per line; a torn line is reported, not fatal.
        this.warn(`ignored an unreadable Docker event line (${(err as Error).message}): ${line.slice(0, 200)}`);
      }
    });
    const finish = (err?: Error): void => {
      if (ended || disposed) return;
      ended = true;
      this.streams.delete(stream);
      onEnd(err);
    };
    stream.on('data', (c: Buffer) => lines.push(c));
    stream.on('end', () => finish());
    stream.on('close', () => finish());
    stream.on('error', (e: Error) => finish(e));
    this.streams.add(stream);
    return {
      dispose: () => {
        disposed = true;
        this.streams.delete(stream);
        stream.destroy();
      },
    };
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.streams) s.destroy();
    this.streams.clear();
  }
}

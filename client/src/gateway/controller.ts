/**
 * One gateway (one workspace folder's config): it feeds events to the lifecycle machine and
 * executes the machine's effects with the Docker adapter, staging and health polling.
 * No `vscode` here, so the integration tests drive exactly this class against a real daemon;
 * manager.ts is the thin editor glue around it.
 */
import { basename } from 'node:path';
import type { GatewaySettings } from '../../../shared/settings';
import type { CheckResultParams, RenderedConfigResult } from '../../../shared/protocol';
import type { GatewaySnapshot } from '../statusBar/view';
import { DockerAdapter, DockerError } from './docker';
import type { ContainerEvent, Disposable, LogSink } from './docker';
import { isPortOpen, pause, probeHealth, processStartMs, processUptimeSeconds, waitHealthy } from './health';
import { initialState, transition } from './lifecycle';
import type { Effect, Fault, LifecycleEvent, LifecycleState, Op, Transition } from './lifecycle';
import { describeOrigin } from './engine/context';
import type { ReadTextFile } from './engine/context';
import { readTextFile } from './engine/nodeFs';
import { PlanError, buildPlan, colorHealth, colorSpec, colorStagingDir, configFacts, isLocalEngine, otherColor, parseDockerHost, UPSTREAM_LABEL, COLOR_LABEL } from './plan';
import type { Color, ContainerSpec, DockerConnection, GatewayPlan, HealthTarget } from './plan';
import { GatewayProxy, freeLoopbackPort } from './proxy';
import { Staging, collectConfigFiles, flexibleFoldersIn } from './staging';
import type { StageReport, StagedFile } from './staging';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ControllerDeps {
  readonly folder: { readonly path: string; readonly name: string };
  /** Absolute path of the config file. */
  readonly configPath: string;
  /** Relative to the folder, forward slashes. */
  readonly configRelativePath: string;
  readonly stagingDir: string;
  readonly settings: () => GatewaySettings;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: string;
  /** Reads docker's config.json and context store (engine/context.ts); the real files by default. */
  readonly readFile?: ReadTextFile;
  readonly log: Logger;
  readonly now?: () => number;
  /** Tests and the manager may share or wrap adapters; the default makes one per connection. */
  readonly createAdapter?: (c: DockerConnection) => DockerAdapter;
  /** Wraps an image pull in progress UI. The default just runs it and logs progress. */
  readonly withPullProgress?: (image: string, pull: (report: (line: string) => void) => Promise<void>) => Promise<void>;
  /** Health poll interval; tests use a few ms. */
  readonly healthIntervalMs?: number;
  /** Lines of container output kept for the "exited" state. */
  readonly logTailLines?: number;
  /** Extra container labels (tests mark their run with them). */
  readonly extraLabels?: Readonly<Record<string, string>>;
  /** How often a running gateway's health is probed in the background. */
  readonly monitorIntervalMs?: number;
  /** How often Docker is pinged after it went away under a running gateway. */
  readonly dockerRetryMs?: number;
  /** The rendered configuration of a Flexible Configuration template (the server renders it). */
  readonly renderedConfig?: () => Promise<RenderedConfigResult | undefined>;
}

/** Tries of a container start that fails with a daemon-internal error (see createAndStart). */
const START_ATTEMPTS = 3;

/** How long a gateway that lost Docker waits for it to come back before it stays down. */
const DOCKER_BACK_LIMIT_MS = 10 * 60_000;

const DEFAULT_TAIL = 20;

/** Staging a color's files failed: told apart from Docker's errors, because nothing was started. */
class StagingError extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export class GatewayController implements Disposable {
  private state: LifecycleState;
  private readonly listeners = new Set<(s: GatewaySnapshot) => void>();
  private adapter: DockerAdapter | undefined;
  private adapterKey = '';
  private eventsSub: Disposable | undefined;
  private eventsPending: { readonly docker: DockerAdapter; readonly done: Promise<void> } | undefined;
  private containerId: string | undefined;
  private plan: GatewayPlan | undefined;
  private readonly staging: Staging;
  /** The files of the latest passing save, captured when its check result arrived. */
  private goodFiles: StagedFile[] | undefined;
  private current: Promise<void> | undefined;
  private opAbort: AbortController | undefined;
  /** The render of the last passing Flexible Configuration save (for its port and health path). */
  private rendered: { readonly text: string; readonly format: 'json' | 'yaml' } | undefined;
  /** How the check parsed that render; KrakenD needs an FC_OUT with the same extension. */
  private flexibleFormat: 'json' | 'yaml' | undefined;
  /** Serialises check results, so a slow file read cannot reorder a valid and an invalid save. */
  private checks: Promise<void> = Promise.resolve();
  private oomSeen = false;
  /** The background health probe of a running gateway; aborted whenever an op runs. */
  private monitor: AbortController | undefined;
  private disposed = false;
  private readonly now: () => number;
  /** Plan warnings already logged (see preparePlan). */
  private readonly warned = new Set<string>();
  /** Pings Docker after it was lost under a running gateway (see awaitDockerBack). */
  private dockerBack: AbortController | undefined;
  /** Blue/green: the proxy that owns the user's port while the gateway runs, and the active color. */
  private proxy: GatewayProxy | undefined;
  private color: Color | undefined;

  constructor(private readonly deps: ControllerDeps) {
    this.now = deps.now ?? Date.now;
    this.state = initialState(deps.settings().maxCrashRestarts);
    this.staging = new Staging(deps.stagingDir);
  }

  get configPath(): string {
    return this.deps.configPath;
  }

  get lifecycle(): LifecycleState {
    return this.state;
  }

  /** The container of this gateway, once created. */
  get container(): string | undefined {
    return this.containerId;
  }

  get currentPlan(): GatewayPlan | undefined {
    return this.plan;
  }

  onDidChange(listener: (s: GatewaySnapshot) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  snapshot(): GatewaySnapshot {
    const p = this.plan;
    const binding = p?.spec.HostConfig.PortBindings;
    const upstream = this.proxy?.upstream;
    const ports = p
      ? p.proxy
        ? `proxy ${p.proxy.host}:${p.proxy.port}${upstream ? ` → ${upstream.label} on 127.0.0.1:${upstream.port}` : ''}`
        : p.spec.HostConfig.NetworkMode === 'host'
          ? `host network, :${p.health.port}`
          : Object.entries(binding ?? {}).map(([cport, b]) => `${b[0]?.HostIp ?? ''}:${b[0]?.HostPort ?? ''} → ${cport}`).join(', ')
      : undefined;
    return {
      folderName: this.deps.folder.name,
      configRelativePath: this.deps.configRelativePath,
      state: this.state,
      ...(p
        ? {
            image: p.image.reference,
            reload: p.reload,
            ports,
            healthUrl: `http://${p.health.host}:${p.health.port}${p.health.path}`,
            containerName: p.proxy && this.color ? `${p.spec.name}-${this.color}` : p.spec.name,
            dockerHost: p.connection.description,
            dockerSource: describeOrigin(p.connection.origin),
          }
        : {}),
    };
  }

  // ---- inputs -------------------------------------------------------------------------------

  start(): Transition {
    // The crash limit is a setting; a user start is when a changed value takes effect.
    this.state = { ...this.state, maxCrashRestarts: this.deps.settings().maxCrashRestarts };
    return this.dispatch({ type: 'startRequested' });
  }

  stop(): Transition {
    const busy = this.state.op;
    const t = this.dispatch({ type: 'stopRequested' });
    // The stop is queued behind a start or reload; without this it would wait for that op's
    // health poll (up to krakend.gateway.healthTimeout) while the status says "starting".
    if ((busy === 'start' || busy === 'reload') && t.state.queued === 'stop') this.opAbort?.abort();
    return t;
  }

  /** The Restart command; the caller has checked the file first (see `accept`). */
  restart(): Transition {
    return this.dispatch({ type: 'restartRequested' });
  }

  /**
   * A check result for this gateway's config. For a passing save, the files are captured now
   * (with `checkedText`, the exact text that was checked, when the editor has it) and the
   * machine decides whether to reload. Resolves once the result has been applied.
   */
  checked(result: CheckResultParams, checkedText?: string): Promise<void> {
    const run = async (): Promise<void> => {
      if (result.ok && (result.trigger === 'save' || result.trigger === 'request')) {
        try {
          this.goodFiles = await collectConfigFiles(this.deps.configPath, checkedText, result.flexible);
          // A template's port and health path are only known from its render.
          if (result.flexible) {
            this.rendered = await this.renderedNow();
            this.flexibleFormat = result.flexible.format;
          }
        } catch (err) {
          this.deps.log.error(`reading ${this.deps.configRelativePath} after a passing check failed: ${String(err)}`);
          this.dispatch({ type: 'configDeleted' });
          return;
        }
      }
      if (!result.ok && result.trigger === 'save') {
        this.deps.log.info(`${this.deps.configRelativePath}: saved with ${result.errors} error(s); the gateway keeps the last good config`);
      }
      this.dispatch({ type: 'checked', ok: result.ok, errors: result.errors, warnings: result.warnings, trigger: result.trigger });
    };
    this.checks = this.checks.then(run, run);
    return this.checks;
  }

  configDeleted(): void {
    this.goodFiles = undefined;
    this.deps.log.warn(`${this.deps.configRelativePath} was deleted; the gateway keeps serving the last good config`);
    this.dispatch({ type: 'configDeleted' });
  }

  /** Resolves when no operation is running or queued. */
  async whenIdle(): Promise<void> {
    await this.checks;
    while (this.current) await this.current;
  }

  /** Stops waiting for health (deactivation, disposal); the op then finishes quickly. */
  cancelWaits(): void {
    this.opAbort?.abort();
  }

  // ---- the machine ----------------------------------------------------------------------------

  private dispatch(e: LifecycleEvent): Transition {
    if (this.disposed) return { state: this.state, effects: [], refusal: 'The gateway controller was disposed.' };
    const t = transition(this.state, e, this.now());
    const before = this.state;
    this.state = t.state;
    if (before.phase !== t.state.phase) this.deps.log.debug(`gateway ${this.deps.folder.name}: ${before.phase} → ${t.state.phase} (${e.type})`);
    if (t.refusal) this.deps.log.info(`gateway ${this.deps.folder.name}: ${t.refusal}`);
    this.emit();
    for (const effect of t.effects) this.execute(effect);
    this.syncMonitor();
    if (this.state.resumeOnDocker && this.state.phase === 'dockerUnavailable' && this.state.op === undefined) this.awaitDockerBack();
    return t;
  }

  private syncMonitor(): void {
    const s = this.state;
    const want = !this.disposed && s.op === undefined && (s.phase === 'healthy' || s.phase === 'unhealthy') && this.plan !== undefined;
    if (want && !this.monitor) {
      const ac = new AbortController();
      this.monitor = ac;
      this.runMonitor(ac.signal).catch((err: unknown) => this.deps.log.warn(`the health monitor of ${this.deps.folder.name} stopped: ${String(err)}`));
    } else if (!want && this.monitor) {
      this.monitor.abort();
      this.monitor = undefined;
    }
  }

  /** Probes a running gateway; two failures in a row make it unhealthy, one success healthy again. */
  private async runMonitor(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      await pause(this.deps.monitorIntervalMs ?? 5000, signal);
      const plan = this.plan;
      if (signal.aborted || !plan) return;
      const r = await probeHealth(plan.health, 2000);
      if (signal.aborted) return;
      failures = r.ok ? 0 : failures + 1;
      if (r.ok && this.state.phase === 'unhealthy') this.dispatch({ type: 'healthChanged', healthy: true });
      if (failures === 2 && this.state.phase === 'healthy') {
        this.deps.log.warn(`gateway ${this.deps.folder.name}: ${plan.health.path} stopped answering 200 (${r.status ?? r.error ?? '?'})`);
        this.dispatch({ type: 'healthChanged', healthy: false });
      }
    }
  }

  /**
   * On activation: takes over our container when an earlier session left it running
   * (onDeactivate "keep") and it still runs the image the settings ask for. Quietly does nothing
   * when Docker is not there: the user has not asked for the gateway yet.
   */
  async adopt(): Promise<boolean> {
    if (this.state.phase !== 'stopped' || this.state.op !== undefined) return false;
    if (!(await this.staging.has(basename(this.deps.configPath)))) return false;
    try {
      const plan = await this.preparePlan();
      const docker = this.docker(plan.connection);
      await docker.ping();
      const existing = plan.proxy ? await this.runningColor(docker, plan) : await docker.findOwned(plan.spec.name);
      if (!existing?.running || existing.image !== plan.image.reference) return false;
      if (this.state.phase !== 'stopped' || this.state.op !== undefined) return false;
      await this.ensureEvents(docker);
      this.plan = plan;
      this.containerId = existing.id;
      if (plan.proxy) {
        // The proxy died with the last session; the container it fed is still there.
        const color = existing.labels[COLOR_LABEL] === 'green' ? 'green' : 'blue';
        await this.ensureProxy(plan);
        this.color = color;
        await this.proxy?.switchTo({ host: '127.0.0.1', port: Number(existing.labels[UPSTREAM_LABEL]), label: existing.name }, 0);
      }
      const r = await probeHealth(plan.health, 2000);
      const started = Date.parse(existing.startedAt);
      this.deps.log.info(`gateway ${this.deps.folder.name}: took over the running container ${existing.name}`);
      this.dispatch({ type: 'adopted', healthy: r.ok, startedAt: Number.isNaN(started) ? this.now() : started });
      // Read through the getter: the dispatch above changed the phase.
      const phase = this.lifecycle.phase;
      return phase === 'healthy' || phase === 'unhealthy';
    } catch (err) {
      this.deps.log.debug(`gateway ${this.deps.folder.name}: nothing to take over (${err instanceof Error ? err.message : String(err)})`);
      return false;
    }
  }

  /**
   * Asks the daemon whether it is there, so the status bar can say "Docker unavailable"
   * before the user tries to start anything. Only changes an idle, stopped gateway.
   */
  async probeDocker(): Promise<void> {
    if (this.state.op !== undefined || (this.state.phase !== 'stopped' && this.state.phase !== 'dockerUnavailable')) return;
    try {
      const connection = parseDockerHost(this.deps.settings().dockerHost, this.deps.env, this.deps.platform, this.deps.readFile ?? readTextFile);
      await this.docker(connection).ping();
      this.dispatch({ type: 'dockerProbed', available: true, message: '' });
    } catch (err) {
      // A docker context that cannot be used (PlanError) leaves Docker as unusable as a dead socket.
      const unavailable = (err instanceof DockerError && (err.kind === 'dockerUnavailable' || err.kind === 'dockerPermission')) || err instanceof PlanError;
      this.deps.log.debug(`gateway ${this.deps.folder.name}: Docker probe: ${err instanceof Error ? err.message : String(err)}`);
      if (unavailable) this.dispatch({ type: 'dockerProbed', available: false, message: err.message });
    }
  }

  private emit(): void {
    const s = this.snapshot();
    for (const l of this.listeners) {
      try {
        l(s);
      } catch (err) {
        this.deps.log.error(`gateway listener failed: ${String(err)}`);
      }
    }
  }

  private execute(effect: Effect): void {
    const abort = new AbortController();
    this.opAbort = abort;
    const op = effect.op;
    const work = async (): Promise<LifecycleEvent> => {
      try {
        if (op === 'start') return await this.doStart(abort.signal, effect.auto === true);
        if (op === 'reload') return await this.doReload(abort.signal);
        return await this.doStop();
      } catch (err) {
        return { type: 'opFailed', op, fault: this.toFault(err) };
      }
    };
    const p = work().then((ev) => {
      if (this.current === p) this.current = undefined;
      if (ev.type === 'opFailed') this.deps.log.error(`gateway ${this.deps.folder.name}: ${op} failed: ${ev.fault.message}${ev.fault.logTail?.length ? `\n${ev.fault.logTail.join('\n')}` : ''}`);
      // The next op (if any) is started by this dispatch and becomes `current`.
      this.dispatch(ev);
    });
    p.catch((err: unknown) => this.deps.log.error(`gateway ${this.deps.folder.name}: handling the end of ${op} failed: ${String(err)}`));
    this.current = p;
  }

  private toFault(err: unknown): Fault {
    if (err instanceof DockerError) {
      const kind = err.kind === 'notFound' || err.kind === 'conflict' ? 'unknown' : err.kind;
      return { kind, message: err.message };
    }
    if (err instanceof PlanError) return { kind: 'plan', message: err.message };
    return { kind: 'unknown', message: err instanceof Error ? err.message : String(err) };
  }

  // ---- operations -----------------------------------------------------------------------------

  /** The plan for the staged config, or for `config` (the files about to be staged) when given. */
  private async preparePlan(files?: readonly StagedFile[]): Promise<GatewayPlan> {
    const name = basename(this.deps.configPath);
    const staged = files ? files.find((f) => f.name === name)?.content : await this.staging.read(name);
    if (staged === undefined) {
      throw new DockerError('configMissing', `Nothing valid of ${this.deps.configRelativePath} has been staged yet: save it without errors (or run Check Configuration) first.`);
    }
    const text = staged.toString('utf8');
    const names = files ? files.map((f) => f.name) : await this.staging.list();
    const fc = flexibleFoldersIn(names);
    // A template is Flexible Configuration by its actions or by the folders staged with it.
    const flexible = fc.settings || fc.partials || fc.templates || text.includes('{{');
    const out = this.flexibleFormat ?? this.rendered?.format ?? 'json';
    const settings = this.deps.settings();
    const plan = buildPlan({
      settings,
      env: this.deps.env,
      platform: this.deps.platform,
      readFile: this.deps.readFile ?? readTextFile,
      ...(this.adapter?.engineFacts ? { engineFacts: this.adapter.engineFacts } : {}),
      folder: this.deps.folder,
      configRelativePath: this.deps.configRelativePath,
      configFileName: name,
      // The port, health path and $schema are the rendered config's, when it is a template.
      config: flexible && this.rendered ? configFacts(this.rendered.text, this.rendered.format === 'yaml' ? 'rendered.yml' : 'rendered.json') : configFacts(text, name),
      stagingDir: this.deps.stagingDir,
      ...(this.deps.extraLabels ? { extraLabels: this.deps.extraLabels } : {}),
      ...(flexible ? { flexible: { ...fc, out } } : {}),
    });
    // Once each: the plan is rebuilt on every reload, and the same advice every save is noise.
    for (const w of plan.warnings) {
      if (this.warned.has(w)) continue;
      this.warned.add(w);
      this.deps.log.warn(w);
    }
    return plan;
  }

  private docker(c: DockerConnection): DockerAdapter {
    const key = JSON.stringify(c);
    if (!this.adapter || this.adapterKey !== key) {
      this.eventsSub?.dispose();
      this.eventsSub = undefined;
      this.adapter?.dispose();
      this.adapter = this.deps.createAdapter ? this.deps.createAdapter(c) : new DockerAdapter(c, { warn: (m) => this.deps.log.warn(m) });
      this.adapterKey = key;
      this.deps.log.info(`Docker engine: ${c.description}, from ${describeOrigin(c.origin)}`);
    }
    return this.adapter;
  }

  /**
   * Subscribes once per adapter. Concurrent callers (adoption racing a start) share one
   * subscription; a second one would double every event and, when its stream ended, clear the
   * live one and report Docker as lost.
   */
  private ensureEvents(docker: DockerAdapter): Promise<void> {
    if (this.eventsSub) return Promise.resolve();
    if (this.eventsPending?.docker !== docker) {
      const pending = {
        docker,
        done: this.subscribeEvents(docker).finally(() => {
          if (this.eventsPending === pending) this.eventsPending = undefined;
        }),
      };
      this.eventsPending = pending;
    }
    return this.eventsPending.done;
  }

  private async subscribeEvents(docker: DockerAdapter): Promise<void> {
    // The end handler may in principle run before `events` resolves; it then finds no sub.
    const mine: { sub?: Disposable } = {};
    const sub = await docker.events(
      (e) => this.onDockerEvent(e),
      (err) => {
        // Only the live subscription's end means anything; a discarded one just goes.
        if (mine.sub === undefined || this.eventsSub !== mine.sub) return;
        this.eventsSub = undefined;
        if (this.disposed) return;
        const msg = `Lost the connection to Docker${err ? ` (${err.message})` : ''}.`;
        this.deps.log.warn(msg);
        this.dispatch({ type: 'dockerLost', message: msg });
      },
    );
    if (this.disposed || this.adapter !== docker) {
      // The adapter was replaced (or we were disposed) while subscribing.
      sub.dispose();
      return;
    }
    mine.sub = sub;
    this.eventsSub = sub;
  }

  /**
   * After Docker went away under a running gateway: pings it every few seconds (for at most
   * DOCKER_BACK_LIMIT_MS) and, once it answers, lets the machine start the gateway again.
   */
  private awaitDockerBack(): void {
    if (this.dockerBack || this.disposed) return;
    let docker: DockerAdapter;
    try {
      docker = this.docker(this.plan?.connection ?? parseDockerHost(this.deps.settings().dockerHost, this.deps.env, this.deps.platform, this.deps.readFile ?? readTextFile));
    } catch (err) {
      this.deps.log.warn(`waiting for Docker: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const ac = new AbortController();
    this.dockerBack = ac;
    const began = this.now();
    const loop = async (): Promise<void> => {
      while (!ac.signal.aborted && this.state.resumeOnDocker && this.now() - began < DOCKER_BACK_LIMIT_MS) {
        await pause(this.deps.dockerRetryMs ?? 2000, ac.signal);
        if (ac.signal.aborted || !this.state.resumeOnDocker) return;
        try {
          await docker.ping();
        } catch {
          continue;
        }
        this.deps.log.info(`Docker answers again; starting the gateway of ${this.deps.folder.name} again`);
        this.dispatch({ type: 'dockerBack' });
        return;
      }
    };
    loop()
      .catch((err: unknown) => this.deps.log.warn(`waiting for Docker failed: ${String(err)}`))
      .finally(() => {
        if (this.dockerBack === ac) this.dockerBack = undefined;
      });
  }

  private onDockerEvent(e: ContainerEvent): void {
    if (!this.containerId || e.id !== this.containerId) return;
    this.deps.log.debug(`docker event ${e.action} ${e.name}${e.exitCode === undefined ? '' : ` exit ${e.exitCode}`}`);
    if (e.action === 'oom') this.oomSeen = true;
    if (e.action !== 'die') return;
    // Our own stop/restart also die; the machine ignores `died` while an op runs.
    if (this.state.op !== undefined) return;
    const oom = this.oomSeen;
    this.oomSeen = false;
    const id = this.containerId;
    void this.diedForGood(id).then((gone) => {
      if (!gone) return;
      return this.tail(id).then((logTail) => {
      this.deps.log.error(`gateway ${this.deps.folder.name} exited with code ${e.exitCode ?? '?'}${oom ? ' (out of memory)' : ''}:\n${logTail.join('\n')}`);
        this.dispatch({ type: 'died', exitCode: e.exitCode ?? -1, oom, logTail });
      });
    }).catch((err: unknown) => this.deps.log.error(`handling the exit of ${id} failed: ${String(err)}`));
  }

  /**
   * A `die` can arrive late, after our own restart already finished; only a container that is
   * still down is a crash. When Docker cannot tell us, we assume it is down (the visible choice).
   */
  private async diedForGood(id: string): Promise<boolean> {
    try {
      return this.adapter ? !(await this.adapter.inspectOwned(id)).running : true;
    } catch (err) {
      this.deps.log.warn(`inspecting ${id} after it exited failed: ${String(err)}`);
      return true;
    }
  }

  private async tail(id: string): Promise<string[]> {
    try {
      return await (this.adapter ? this.adapter.logTail(id, this.deps.logTailLines ?? DEFAULT_TAIL) : Promise.resolve([]));
    } catch (err) {
      this.deps.log.warn(`reading the log tail of ${id} failed: ${String(err)}`);
      return [];
    }
  }

  private async doStart(signal: AbortSignal, auto: boolean): Promise<LifecycleEvent> {
    const began = this.now();
    if (this.goodFiles && !auto) {
      const report = await this.staging.stage(this.goodFiles);
      this.deps.log.info(`staged ${report.written.join(', ') || 'nothing new'} for ${this.deps.configRelativePath}`);
    }
    const plan = await this.preparePlan();
    const docker = this.docker(plan.connection);
    await docker.ping();
    await this.ensureEvents(docker);
    if (!(await docker.hasImage(plan.image.reference))) {
      const pull = async (report: (line: string) => void): Promise<void> => docker.pull(plan.image.reference, report, signal);
      this.deps.log.info(`pulling ${plan.image.reference}`);
      if (this.deps.withPullProgress) await this.deps.withPullProgress(plan.image.reference, pull);
      else await pull((l) => this.deps.log.debug(l));
    }
    if (plan.proxy) return this.startBlueGreen(plan, docker, signal);
    await this.closeProxy(0);
    await this.removeLeftovers(docker, plan);
    if (isLocalEngine(plan.connection) && (await isPortOpen(plan.health.host, plan.health.port, 500))) {
      throw new DockerError(
        'portInUse',
        `Port ${plan.health.port} on ${plan.health.host} is already in use by another process. Stop it, or change krakend.gateway.port${plan.spec.HostConfig.NetworkMode === 'host' ? " (with host networking: the config's \"port\")" : ''}.`,
      );
    }
    this.plan = plan;
    this.oomSeen = false;
    this.containerId = await this.createAndStart(docker, plan.spec, signal);
    this.deps.log.info(`started ${plan.spec.name} (${plan.image.reference}, ${plan.reload} reloads) in ${this.now() - began} ms; waiting for ${plan.health.path}`);
    return this.awaitHealth(plan, signal, 'start');
  }

  /**
   * Creates and starts a container. A daemon that has just come back (restarted under a running
   * gateway) can answer its ping before it can run containers, and fail a start with an internal
   * error; such a start is tried again, a few times, a second apart. Faults of ours (a name taken by
   * someone else, a missing image) are not.
   */
  private async createAndStart(docker: DockerAdapter, spec: ContainerSpec, signal: AbortSignal): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      let id: string | undefined;
      try {
        id = await docker.create(spec);
        await docker.start(id);
        return id;
      } catch (err) {
        const transient = err instanceof DockerError && err.kind === 'unknown';
        if (!transient || attempt >= START_ATTEMPTS || signal.aborted) throw err;
        this.deps.log.warn(`starting ${spec.name} failed (${err.message}); trying again (${attempt + 1} of ${START_ATTEMPTS})`);
        if (id) await docker.remove(id).catch(() => undefined);
        await pause(1000, signal);
      }
    }
  }

  private async awaitHealth(
    plan: GatewayPlan,
    signal: AbortSignal,
    op: Op,
    accept?: (body: string | undefined) => boolean,
    on: { readonly id?: string; readonly target?: HealthTarget } = {},
  ): Promise<LifecycleEvent> {
    const docker = this.docker(plan.connection);
    // The event stream may have dropped during the op (dockerLost is ignored while one runs);
    // without it a later crash would never be seen.
    await this.ensureEvents(docker);
    const id = on.id ?? this.containerId;
    const result = await waitHealthy({
      target: on.target ?? plan.health,
      timeoutMs: plan.healthTimeoutMs,
      intervalMs: this.deps.healthIntervalMs ?? 200,
      signal,
      now: this.now,
      alive: async () => (id ? (await docker.inspectOwned(id)).running : false),
      ...(accept ? { accept: (r) => accept(r.body) } : {}),
    });
    if (result.kind === 'healthy') {
      this.deps.log.info(`gateway ${this.deps.folder.name} healthy after ${result.ms} ms of polling`);
      return { type: 'opSucceeded', op, healthy: true };
    }
    if (result.kind === 'exited' && id) {
      const st = await docker.inspectOwned(id);
      const logTail = await this.tail(id);
      return {
        type: 'opFailed',
        op,
        fault: { kind: 'exitedAtStart', message: `KrakenD exited at once with code ${st.exitCode}${st.oomKilled ? ' (out of memory)' : ''}.`, exitCode: st.exitCode, logTail },
      };
    }
    if (result.kind === 'aborted') this.deps.log.info('stopped waiting for health (cancelled)');
    else if (result.kind === 'timeout') this.deps.log.warn(`gateway ${this.deps.folder.name}: no 200 from ${plan.health.path} within ${plan.healthTimeoutMs} ms (last: ${result.last.status ?? result.last.error ?? '?'})`);
    return { type: 'opSucceeded', op, healthy: false };
  }

  private async doReload(signal: AbortSignal): Promise<LifecycleEvent> {
    const files = this.goodFiles;
    const old = this.plan;
    if (old?.proxy && this.proxy) return this.reloadBlueGreen(old, signal);
    const watch = old?.reload === 'watch';
    // Which KrakenD process serves now, so a `:watch` reload can wait for a different one.
    const before = watch ? processStartMs((await probeHealth(old.health, 2000)).body) : undefined;
    // The manual Restart of a `:watch` image rewrites the config so reflex fires.
    let report: StageReport | undefined;
    try {
      report = files ? await this.staging.stage(files, watch) : undefined;
    } catch (err) {
      // Nothing was restarted: the gateway still serves the last good config.
      return this.stagingFailed(err);
    }
    const stagedAt = this.now();
    if (report) this.deps.log.info(`staged ${report.written.join(', ') || 'nothing new'}${report.removed.length ? `, removed ${report.removed.join(', ')}` : ''}`);
    const plan = await this.preparePlan();
    const id = this.containerId;
    if (!old || !id || old.reload !== plan.reload || JSON.stringify(old.spec) !== JSON.stringify(plan.spec) || JSON.stringify(old.connection) !== JSON.stringify(plan.connection)) {
      // Port, image or settings changed: a restart cannot apply that, a new container can.
      this.deps.log.info('the container options changed; recreating the container');
      const ev = await this.doStart(signal, true);
      return ev.type === 'opSucceeded' ? { ...ev, op: 'reload' } : ev.type === 'opFailed' ? { ...ev, op: 'reload' } : ev;
    }
    this.plan = plan;
    const docker = this.docker(plan.connection);
    if (plan.reload === 'watch') {
      if (report && report.written.length === 0 && report.removed.length === 0) return { type: 'opSucceeded', op: 'reload', healthy: true };
      // reflex restarts KrakenD inside the same container, so wait for a process that started
      // after the staging (its uptime is shorter than the time since) and, because the old one
      // may itself be that young when saves come fast, is not the process that served before.
      return this.awaitHealth(plan, signal, 'reload', (body) => {
        const up = processUptimeSeconds(body);
        const started = processStartMs(body);
        if (up === undefined || started === undefined) return this.now() - stagedAt > 1500;
        return up * 1000 <= this.now() - stagedAt + 100 && (before === undefined || Math.abs(started - before) > 1);
      });
    }
    // Graceful: the daemon sends SIGTERM, KrakenD drains in-flight requests (http.Server.Shutdown),
    // and only after it exits (or the grace period ends: SIGKILL) starts it again.
    await docker.restart(id, plan.graceSeconds);
    return this.awaitHealth(plan, signal, 'reload');
  }

  private async doStop(): Promise<LifecycleEvent> {
    const plan = this.plan;
    const id = this.containerId;
    // New connections are refused from now on; requests already in the proxy finish first.
    await this.closeProxy((plan?.graceSeconds ?? 0) * 1000);
    if (!plan || !id) return { type: 'opSucceeded', op: 'stop', healthy: false };
    const docker = this.docker(plan.connection);
    try {
      await docker.stop(id, plan.graceSeconds);
    } catch (err) {
      if (!(err instanceof DockerError && err.kind === 'notFound')) throw err;
    }
    this.deps.log.info(`stopped ${plan.spec.name}`);
    return { type: 'opSucceeded', op: 'stop', healthy: false };
  }

  /** A reload whose files could not be staged: nothing stopped, so the last good config still serves. */
  private stagingFailed(err: unknown): LifecycleEvent {
    const why = err instanceof Error ? err.message : String(err);
    this.deps.log.error(`gateway ${this.deps.folder.name}: staging the new config failed (${why}); the gateway keeps serving the last good one`);
    return { type: 'reloadRejected', fault: { kind: 'staging', message: `Staging the new config failed: ${why}` } };
  }

  private async renderedNow(): Promise<{ text: string; format: 'json' | 'yaml' } | undefined> {
    try {
      const r = await this.deps.renderedConfig?.();
      if (r && 'text' in r) return r;
      if (r) this.deps.log.warn(`the rendered ${this.deps.configRelativePath} is not available (${r.error}); the gateway uses the template's defaults`);
    } catch (err) {
      this.deps.log.warn(`asking for the rendered ${this.deps.configRelativePath} failed: ${String(err)}`);
    }
    return undefined;
  }

  // ---- blue/green ------------------------------------------------------------------------------

  /** The running container of either color, if any (the one a proxy should feed). */
  private async runningColor(docker: DockerAdapter, plan: GatewayPlan): Promise<Awaited<ReturnType<DockerAdapter['findOwned']>>> {
    for (const color of ['blue', 'green'] as const) {
      const c = await docker.findOwned(`${plan.spec.name}-${color}`);
      if (c?.running) return c;
    }
    return undefined;
  }

  /** Makes sure our proxy listens where the plan says; a taken port is the user's to free. */
  private async ensureProxy(plan: GatewayPlan): Promise<GatewayProxy> {
    const at = plan.proxy!;
    if (this.proxy && this.proxy.listenOn.host === at.host && this.proxy.listenOn.port === at.port && this.proxy.listening) return this.proxy;
    await this.closeProxy(plan.graceSeconds * 1000);
    const proxy = new GatewayProxy(at, { debug: (m) => this.deps.log.debug(m), warn: (m) => this.deps.log.warn(m) });
    try {
      await proxy.listen();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new DockerError('portInUse', `Port ${at.port} on ${at.host} is already in use by another process. Stop it, or change krakend.gateway.port${plan.spec.HostConfig.NetworkMode === 'host' ? " (with host networking: the config's \"port\")" : ''}.`);
      }
      throw err;
    }
    this.proxy = proxy;
    return proxy;
  }

  private async closeProxy(drainMs: number): Promise<void> {
    const proxy = this.proxy;
    this.proxy = undefined;
    this.color = undefined;
    await proxy?.close(drainMs);
  }

  /**
   * Starts one color's container on the given files and waits for its health. Resolves with the
   * container and the health result; the caller decides whether the proxy switches to it.
   */
  private async launchColor(plan: GatewayPlan, docker: DockerAdapter, color: Color, files: readonly StagedFile[], signal: AbortSignal, op: Op): Promise<{ id: string; port: number; name: string; result: LifecycleEvent }> {
    const staging = new Staging(colorStagingDir(this.deps.stagingDir, color));
    await staging.stage(files).catch((err: unknown) => {
      throw new StagingError(err);
    });
    const port = await freeLoopbackPort();
    const spec = colorSpec(plan, color, port, this.deps.stagingDir);
    const leftover = await docker.findOwned(spec.name);
    if (leftover) {
      if (leftover.running) await docker.stop(leftover.id, plan.graceSeconds);
      await docker.remove(leftover.id);
    }
    const id = await this.createAndStart(docker, spec, signal);
    this.deps.log.info(`started ${spec.name} (${plan.image.reference}) on 127.0.0.1:${port}; waiting for ${plan.health.path}`);
    const result = await this.awaitHealth(plan, signal, op, undefined, { id, target: colorHealth(plan, port) });
    return { id, port, name: spec.name, result };
  }

  /** Before a start: whatever ran before goes, in either mode (the plain container, both colors). */
  private async removeLeftovers(docker: DockerAdapter, plan: GatewayPlan): Promise<void> {
    for (const name of [plan.spec.name, `${plan.spec.name}-blue`, `${plan.spec.name}-green`]) {
      const c = await docker.findOwned(name);
      if (!c) continue;
      if (c.running) await docker.stop(c.id, plan.graceSeconds);
      await docker.remove(c.id);
    }
  }

  private async startBlueGreen(plan: GatewayPlan, docker: DockerAdapter, signal: AbortSignal): Promise<LifecycleEvent> {
    await this.removeLeftovers(docker, plan);
    const proxy = await this.ensureProxy(plan);
    this.plan = plan;
    const files = await this.staging.snapshot(basename(this.deps.configPath));
    const color = this.color ? otherColor(this.color) : 'blue';
    this.oomSeen = false;
    const launched = await this.launchColor(plan, docker, color, files, signal, 'start');
    this.containerId = launched.id;
    // Unhealthy but running is still the only KrakenD there is, as with a restart: it gets the traffic.
    if (launched.result.type === 'opSucceeded') {
      this.color = color;
      await proxy.switchTo({ host: '127.0.0.1', port: launched.port, label: launched.name }, 0);
    }
    return launched.result;
  }

  /**
   * The blue/green reload: the other color starts on the new files while the active one serves;
   * only once it is healthy does the proxy send new requests to it. Then the old one finishes the
   * requests it was given (bounded by the grace period) and is stopped. A new config that never
   * becomes healthy is removed, and nothing else changes.
   */
  private async reloadBlueGreen(old: GatewayPlan, signal: AbortSignal): Promise<LifecycleEvent> {
    const mainName = basename(this.deps.configPath);
    const files = this.goodFiles ?? (await this.staging.snapshot(mainName));
    const plan = await this.preparePlan(files);
    const proxy = this.proxy;
    if (!proxy || !plan.proxy || plan.proxy.host !== old.proxy?.host || plan.proxy.port !== old.proxy.port || JSON.stringify(plan.connection) !== JSON.stringify(old.connection)) {
      // The public address moved (a new port, say): a new proxy, so a fresh start.
      this.deps.log.info('the gateway address or Docker engine changed; starting it afresh');
      await this.doStop();
      await this.staging.stage(files);
      const ev = await this.doStart(signal, true);
      return ev.type === 'opSucceeded' || ev.type === 'opFailed' ? { ...ev, op: 'reload' } : ev;
    }
    const docker = this.docker(plan.connection);
    await docker.ping();
    if (!(await docker.hasImage(plan.image.reference))) await docker.pull(plan.image.reference, (l) => this.deps.log.debug(l), signal);
    const previous = { id: this.containerId, color: this.color ?? 'blue' };
    const next = otherColor(previous.color);
    let launched: Awaited<ReturnType<GatewayController['launchColor']>>;
    try {
      launched = await this.launchColor(plan, docker, next, files, signal, 'reload');
    } catch (err) {
      if (err instanceof StagingError) return this.stagingFailed(err.cause);
      throw err;
    }
    const r = launched.result;
    if (r.type !== 'opSucceeded' || !r.healthy) {
      const tail = await this.tail(launched.id);
      await docker.stop(launched.id, 0).catch(() => undefined);
      await docker.remove(launched.id).catch((err: unknown) => this.deps.log.warn(`removing ${launched.name} failed: ${String(err)}`));
      const why = r.type === 'opFailed' ? r.fault.message : `Its health endpoint did not answer 200 within ${plan.healthTimeoutMs / 1000} s.`;
      this.deps.log.error(`gateway ${this.deps.folder.name}: the new config did not start (${why}); ${previous.color} keeps serving the last good one${tail.length ? `\n${tail.join('\n')}` : ''}`);
      return { type: 'reloadRejected', fault: { kind: r.type === 'opFailed' ? r.fault.kind : 'timeout', message: `The new config did not start: ${why}`, ...(r.type === 'opFailed' && r.fault.exitCode !== undefined ? { exitCode: r.fault.exitCode } : {}), logTail: tail } };
    }
    this.plan = plan;
    this.containerId = launched.id;
    this.color = next;
    const switched = proxy.switchTo({ host: '127.0.0.1', port: launched.port, label: launched.name }, plan.graceSeconds * 1000);
    // The plan's own folder records what runs, for the next start after a crash.
    await this.staging.stage(files).catch((err: unknown) => this.deps.log.warn(`recording the running config in ${this.deps.stagingDir} failed: ${String(err)}`));
    const left = await switched;
    if (left > 0) this.deps.log.warn(`${left} request(s) were still running on ${previous.color} after ${plan.graceSeconds} s; stopping it anyway`);
    if (previous.id) {
      await docker.stop(previous.id, plan.graceSeconds).catch((err: unknown) => this.deps.log.warn(`stopping the ${previous.color} container failed: ${String(err)}`));
      await docker.remove(previous.id).catch((err: unknown) => this.deps.log.warn(`removing the ${previous.color} container failed: ${String(err)}`));
    }
    return { type: 'opSucceeded', op: 'reload', healthy: true };
  }

  /** Streams the container's stdout/stderr, demultiplexed, into `sink`. */
  async followLogs(sink: LogSink, tail = 200, sinceSeconds?: number): Promise<Disposable> {
    const id = this.containerId;
    const plan = this.plan ?? (await this.preparePlan());
    const docker = this.docker(plan.connection);
    const target = id ?? (await docker.findOwned(plan.spec.name))?.id;
    if (!target) throw new DockerError('notFound', `The gateway for ${this.deps.folder.name} has no container yet: start it first.`);
    return docker.followLogs(target, sink, { tail, ...(sinceSeconds ? { sinceSeconds } : {}) });
  }

  /** Deactivation: stop the container now with a short grace, bypassing queued work. */
  async shutdown(graceSeconds: number): Promise<void> {
    this.cancelWaits();
    const plan = this.plan;
    const id = this.containerId;
    const grace = Math.min(graceSeconds, plan?.graceSeconds ?? graceSeconds);
    await this.closeProxy(grace * 1000);
    if (!plan || !id || !this.adapter) return;
    await this.adapter.stop(id, grace);
  }

  /**
   * Deactivation with `onDeactivate: keep`: the containers stay, but the proxy lives in this
   * process and goes with it; the next session takes the running color over (see adopt).
   */
  async detach(): Promise<void> {
    await this.closeProxy(0);
  }

  /** Removes this gateway's container (by label), e.g. for tests and "clean up". */
  async removeContainer(): Promise<void> {
    const plan = this.plan;
    if (!plan) return;
    await this.docker(plan.connection).removeOwned({ 'dev.krakend-live.folder': this.deps.folder.path });
    this.containerId = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.dockerBack?.abort();
    const proxy = this.proxy;
    this.proxy = undefined;
    proxy?.close(0).catch((err: unknown) => this.deps.log.warn(`closing the gateway proxy failed: ${String(err)}`));
    this.opAbort?.abort();
    this.monitor?.abort();
    this.monitor = undefined;
    this.eventsSub?.dispose();
    this.eventsSub = undefined;
    this.adapter?.dispose();
    this.adapter = undefined;
    this.listeners.clear();
  }
}

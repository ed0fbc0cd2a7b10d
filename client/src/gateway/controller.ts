/**
 * One gateway (one workspace folder's config): it feeds events to the lifecycle machine and
 * executes the machine's effects with the Docker adapter, staging and health polling.
 * No `vscode` here, so the integration tests drive exactly this class against a real daemon;
 * manager.ts is the thin editor glue around it.
 */
import { basename, dirname } from 'node:path';
import type { GatewaySettings } from '../../../shared/settings';
import type { CheckResultParams, RenderedConfigResult } from '../../../shared/protocol';
import type { GatewaySnapshot } from '../statusBar/view';
import { DockerError } from './docker';
import type { ContainerEvent, DockerAdapter, Disposable, LogSink } from './docker';
import { DockerWatch } from './dockerWatch';
import { pause, probeHealth, waitHealthy } from './health';
import type { Connector, ProbeResult } from './health';
import { SshForwarder } from './engine/sshForward';
import { initialState, transition } from './lifecycle';
import type { Effect, Fault, LifecycleEvent, LifecycleState, Op, Transition } from './lifecycle';
import { describeStandIn, findComposeService, standInPlan } from './compose';
import type { ComposeService } from './compose';
import { describeOrigin } from './engine/context';
import type { ReadTextFile } from './engine/context';
import type { EngineFacts } from './engine/paths';
import { readTextFile } from './engine/nodeFs';
import { COMPOSE_CONTAINER_LABEL, CONTAINER_CONFIG_DIR, FOLDER_LABEL, PlanError, buildPlan, configFacts, isLocalEngine, parseDockerHost } from './plan';
import type { ContainerSpec, DockerConnection, GatewayPlan, HealthTarget } from './plan';
import { Staging, collectConfigFiles, flexibleFoldersIn } from './staging';
import type { StagedFile } from './staging';
import { BlueGreenStrategy } from './strategies/blueGreen';
import { RestartStrategy } from './strategies/restart';
import type { Logger, ReloadStrategy, StrategyHost } from './strategies/strategy';
import { WatchImageStrategy } from './strategies/watchImage';

export type { Logger } from './strategies/strategy';

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
  /** How a probe reaches an ssh:// engine's side; the default is an ssh connection (engine/sshForward.ts). Unit tests connect here. */
  readonly engineConnector?: (c: DockerConnection) => Connector;
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

const DEFAULT_TAIL = 20;

export class GatewayController implements Disposable {
  private state: LifecycleState;
  private readonly listeners = new Set<(s: GatewaySnapshot) => void>();
  /** The adapter, its Docker events and the wait for Docker to come back. */
  private readonly watch: DockerWatch;
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
  /** One instance of each reload strategy; the plan in force says which one acts. */
  private readonly restartStrategy: RestartStrategy;
  private readonly watchStrategy: WatchImageStrategy;
  private readonly blueGreen: BlueGreenStrategy;
  /** The compose service whose container we stopped to stand in for it (compose.ts). */
  private standIn: ComposeService | undefined;
  /** Health probes of an ssh:// engine's gateway open their connections on its machine (connectorFor). */
  private forwarder: SshForwarder | undefined;

  constructor(private readonly deps: ControllerDeps) {
    this.now = deps.now ?? Date.now;
    this.state = initialState(deps.settings().maxCrashRestarts);
    this.staging = new Staging(deps.stagingDir);
    this.watch = new DockerWatch({
      log: deps.log,
      now: this.now,
      retryMs: deps.dockerRetryMs ?? 2000,
      ...(deps.createAdapter ? { createAdapter: deps.createAdapter } : {}),
      onEvent: (e) => this.onDockerEvent(e),
      onLost: (message) => {
        if (!this.disposed) this.dispatch({ type: 'dockerLost', message });
      },
      stillWaiting: () => this.state.resumeOnDocker === true,
      onBack: () => {
        this.deps.log.info(`Docker answers again; starting the gateway of ${this.deps.folder.name} again`);
        this.dispatch({ type: 'dockerBack' });
      },
    });
    const host = this.strategyHost();
    this.restartStrategy = new RestartStrategy(host);
    this.watchStrategy = new WatchImageStrategy(host);
    this.blueGreen = new BlueGreenStrategy(host);
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
    const view = p ? this.strategyFor(p).describe(p) : undefined;
    return {
      folderName: this.deps.folder.name,
      configRelativePath: this.deps.configRelativePath,
      state: this.state,
      ...(p && view
        ? {
            image: p.image.reference,
            reload: p.reload,
            ports: view.ports,
            healthUrl: `http://${p.health.host}:${p.health.port}${p.health.path}`,
            containerName: view.containerName,
            dockerHost: p.connection.description,
            // Only while the service's own container is down for ours: once its place is given back
            // (a stop, a failure), the gateway stands in for nothing, though the plan still names it.
            ...(p.compose && this.standIn ? { standsInFor: { project: p.compose.project, service: p.compose.service } } : {}),
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

  /** Start Gateway is checking the config (`true`) or stopped short of starting (`false`). */
  startChecking(on: boolean): void {
    this.dispatch({ type: 'startChecking', on });
  }

  /** The Restart command; the caller has checked the file first (see `accept`). */
  restart(): Transition {
    return this.dispatch({ type: 'restartRequested' });
  }

  /**
   * A check result for this gateway's config. For a passing save, the files are captured now
   * (with `checkedText`, the exact text that was checked, when the editor has it) and the
   * machine decides whether to reload. `autoSaved`: the save was VS Code's own and
   * `krakend.gateway.reloadOn` says not to apply it. Resolves once the result has been applied.
   */
  checked(result: CheckResultParams, checkedText?: string, autoSaved = false): Promise<void> {
    const run = async (): Promise<void> => {
      // An auto-save that must not reload leaves the last deliberate save's files as the good ones.
      if (result.ok && (result.trigger === 'save' || result.trigger === 'request') && !autoSaved) {
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
      this.dispatch({ type: 'checked', ok: result.ok, errors: result.errors, warnings: result.warnings, trigger: result.trigger, autoSaved });
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
    this.syncStandIn();
    if (this.state.resumeOnDocker && this.state.phase === 'dockerUnavailable' && this.state.op === undefined) this.awaitDockerBack();
    return t;
  }

  /** A gateway that failed or gave up after crashes no longer stands in: the compose service comes back. */
  private syncStandIn(): void {
    const s = this.state;
    if (!this.standIn || this.disposed || s.op !== undefined || (s.phase !== 'failed' && s.phase !== 'exited')) return;
    this.giveComposePlaceBack().catch((err: unknown) => this.deps.log.warn(`giving the compose service its place back failed: ${String(err)}`));
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
      const r = await this.probe(plan, 2000);
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
      const strategy = this.strategyFor(plan);
      const existing = await strategy.findRunning(docker, plan);
      if (!existing?.running || existing.image !== plan.image.reference) return false;
      if (this.state.phase !== 'stopped' || this.state.op !== undefined) return false;
      await this.watch.ensureEvents(docker);
      this.plan = plan;
      this.containerId = existing.id;
      await strategy.takeOver(plan, existing);
      const r = await this.probe(plan, 2000);
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
    const readFile = this.deps.readFile ?? readTextFile;
    const engineFacts = await this.engineFacts(parseDockerHost(settings.dockerHost, this.deps.env, this.deps.platform, readFile));
    // The port, health path and $schema are the rendered config's, when it is a template.
    const facts = flexible && this.rendered ? configFacts(this.rendered.text, this.rendered.format === 'yaml' ? 'rendered.yml' : 'rendered.json') : configFacts(text, name);
    const built = buildPlan({
      settings,
      env: this.deps.env,
      platform: this.deps.platform,
      readFile,
      ...(engineFacts ? { engineFacts } : {}),
      folder: this.deps.folder,
      configRelativePath: this.deps.configRelativePath,
      configFileName: name,
      config: facts,
      stagingDir: this.deps.stagingDir,
      ...(this.deps.extraLabels ? { extraLabels: this.deps.extraLabels } : {}),
      ...(flexible ? { flexible: { ...fc, out } } : {}),
    });
    const svc = await this.composeService(built);
    const plan = svc ? standInPlan(built, svc, facts.port, name) : built;
    // Once each: the plan is rebuilt on every reload, and the same advice every save is noise.
    for (const w of plan.warnings) {
      if (this.warned.has(w)) continue;
      this.warned.add(w);
      this.deps.log.warn(w);
    }
    return plan;
  }

  private docker(c: DockerConnection): DockerAdapter {
    return this.watch.adapterFor(c);
  }

  /**
   * Where a health probe opens its connection: on the engine's machine, through an ssh connection
   * of its own, for a target `via: 'engine'` (plan.ts); from here otherwise. One forwarder per
   * engine, closed when the gateway stops.
   */
  private connectorFor(plan: GatewayPlan, target: HealthTarget = plan.health): Connector | undefined {
    const c = plan.connection;
    if (target.via !== 'engine' || c.kind !== 'ssh') return undefined;
    if (this.deps.engineConnector) return this.deps.engineConnector(c);
    if (this.forwarder && JSON.stringify(this.forwarder.connection) !== JSON.stringify(c)) this.closeForwarder();
    const fwd = this.forwarder ?? new SshForwarder(c);
    if (!this.forwarder) {
      this.forwarder = fwd;
      this.deps.log.info(`gateway ${this.deps.folder.name}: health is probed on the engine's machine, through an ssh connection to ${c.description}`);
    }
    return (host, port) => fwd.connect(host, port);
  }

  private closeForwarder(): void {
    this.forwarder?.dispose();
    this.forwarder = undefined;
  }

  /** One health probe of the plan's gateway, from where its port is. */
  private probe(plan: GatewayPlan, timeoutMs: number): Promise<ProbeResult> {
    return probeHealth(plan.health, timeoutMs, this.connectorFor(plan));
  }

  /**
   * What the engine's /version says, asked before the plan is built: it decides what the plan
   * asks for (no host-gateway on a Podman before 5.3, a WSL engine's /mnt/c paths), and a plan
   * built before the first ping would give the first container, or the first blue/green color,
   * the answer for an unknown engine.
   */
  private async engineFacts(c: DockerConnection): Promise<EngineFacts | undefined> {
    const adapter = this.docker(c);
    if (!adapter.engineFacts) await adapter.ping();
    return adapter.engineFacts;
  }

  /**
   * The running compose service whose container mounts the config's folder, if any: the gateway
   * stands in for it. Only on a local engine that reads our files (the mount's path is this
   * machine's) and off host networking (there is no stack network to join). Once we stand in, it stays the one until we
   * give its place back; a stack that is down is said once, and the gateway runs standalone.
   */
  private async composeService(plan: GatewayPlan): Promise<ComposeService | undefined> {
    if (this.standIn) return this.standIn;
    if (!isLocalEngine(plan.connection) || plan.configDelivery !== 'bind' || plan.spec.HostConfig.NetworkMode === 'host') return undefined;
    try {
      const docker = this.docker(plan.connection);
      const containers = await docker.listComposeContainers();
      if (containers.length === 0) return undefined;
      // A container of ours from an earlier session may already stand in for one (onDeactivate "keep").
      const ours = new Set((await docker.listOwned({ [FOLDER_LABEL]: this.deps.folder.path })).filter((c) => c.running).map((c) => c.labels[COMPOSE_CONTAINER_LABEL] ?? '').filter((id) => id !== ''));
      const found = findComposeService(containers, dirname(this.deps.configPath), ours);
      if (found.kind === 'down') {
        const key = `down ${found.service.containerId}`;
        if (!this.warned.has(key)) {
          this.warned.add(key);
          this.deps.log.warn(`The ${describeStandIn(found.service)} mounts ${found.service.mount.source}, but the stack is down (${found.service.containerName} is not running): the gateway runs standalone.`);
        }
        return undefined;
      }
      return found.kind === 'found' ? found.service : undefined;
    } catch (err) {
      this.deps.log.debug(`gateway ${this.deps.folder.name}: looking for a compose service failed (${err instanceof Error ? err.message : String(err)}); running standalone`);
      return undefined;
    }
  }

  /** Before our container starts: the compose service's container goes, so its port and alias are free. */
  private async takeComposePlace(plan: GatewayPlan, docker: DockerAdapter): Promise<void> {
    const c = plan.compose;
    if (!c) return;
    const svc = await this.composeService(plan);
    if (!svc || svc.containerId !== c.containerId) return;
    await docker.stopComposeService(c.containerId, c, plan.graceSeconds);
    if (this.standIn?.containerId !== svc.containerId) this.deps.log.info(`gateway ${this.deps.folder.name} stands in for the ${describeStandIn(c)}: stopped ${c.containerName}; it starts again when the gateway stops`);
    this.standIn = svc;
  }

  /** Once ours is down for good: the compose service's container starts again. */
  private async giveComposePlaceBack(): Promise<void> {
    const svc = this.standIn;
    if (!svc) return;
    this.standIn = undefined;
    const plan = this.plan;
    const docker = this.docker(plan?.connection ?? parseDockerHost(this.deps.settings().dockerHost, this.deps.env, this.deps.platform));
    try {
      await docker.startComposeService(svc.containerId, svc);
      this.deps.log.info(`started ${svc.containerName} again: the ${describeStandIn(svc)} is back`);
    } catch (err) {
      this.deps.log.error(`starting ${svc.containerName} of the ${describeStandIn(svc)} again failed: ${err instanceof Error ? err.message : String(err)}; start it with docker compose`);
    }
  }

  /** After Docker went away under a running gateway: the watch pings it until it answers. */
  private awaitDockerBack(): void {
    if (this.disposed) return;
    try {
      this.watch.awaitBack(this.plan?.connection ?? parseDockerHost(this.deps.settings().dockerHost, this.deps.env, this.deps.platform, this.deps.readFile ?? readTextFile));
    } catch (err) {
      // A docker context that cannot be used: nothing to wait for until the user fixes it.
      this.deps.log.warn(`waiting for Docker: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The strategy that owns the container dance of this plan. */
  private strategyFor(plan: GatewayPlan): ReloadStrategy {
    return plan.reload === 'blueGreen' ? this.blueGreen : plan.reload === 'watch' ? this.watchStrategy : this.restartStrategy;
  }

  /** What the strategies may use of the controller (see strategies/strategy.ts). */
  private strategyHost(): StrategyHost {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the host is a view of this controller's fields
    const self = this;
    return {
      folderName: this.deps.folder.name,
      configFileName: basename(this.deps.configPath),
      stagingDir: this.deps.stagingDir,
      staging: this.staging,
      log: this.deps.log,
      now: this.now,
      get goodFiles() {
        return self.goodFiles;
      },
      get plan() {
        return self.plan;
      },
      set plan(p) {
        self.plan = p;
      },
      get containerId() {
        return self.containerId;
      },
      set containerId(id) {
        self.containerId = id;
      },
      freshContainer: () => {
        this.oomSeen = false;
      },
      docker: (c) => this.docker(c),
      preparePlan: (files) => this.preparePlan(files),
      createAndStart: (docker, spec, signal, files) => this.createAndStart(docker, spec, signal, files),
      awaitHealth: (plan, signal, op, accept, on) => this.awaitHealth(plan, signal, op, accept, on),
      tail: (id) => this.tail(id),
      probe: (plan, timeoutMs) => this.probe(plan, timeoutMs),
      stagingFailed: (err) => this.stagingFailed(err),
      switched: () => void this.dispatch({ type: 'switched' }),
      stopGateway: async () => {
        await this.doStop();
      },
      startAfresh: async (signal) => {
        const ev = await this.doStart(signal, true);
        return ev.type === 'opSucceeded' || ev.type === 'opFailed' ? { ...ev, op: 'reload' } : ev;
      },
    };
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
      const adapter = this.watch.current;
      return adapter ? !(await adapter.inspectOwned(id)).running : true;
    } catch (err) {
      this.deps.log.warn(`inspecting ${id} after it exited failed: ${String(err)}`);
      return true;
    }
  }

  private async tail(id: string): Promise<string[]> {
    try {
      const adapter = this.watch.current;
      return await (adapter ? adapter.logTail(id, this.deps.logTailLines ?? DEFAULT_TAIL) : Promise.resolve([]));
    } catch (err) {
      this.deps.log.warn(`reading the log tail of ${id} failed: ${String(err)}`);
      return [];
    }
  }

  private async doStart(signal: AbortSignal, auto: boolean): Promise<LifecycleEvent> {
    if (this.goodFiles && !auto) {
      const report = await this.staging.stage(this.goodFiles);
      this.deps.log.info(`staged ${report.written.join(', ') || 'nothing new'} for ${this.deps.configRelativePath}`);
    }
    const plan = await this.preparePlan();
    const docker = this.docker(plan.connection);
    await docker.ping();
    await this.watch.ensureEvents(docker);
    if (!(await docker.hasImage(plan.image.reference))) {
      const pull = async (report: (line: string) => void): Promise<void> => docker.pull(plan.image.reference, report, signal);
      this.deps.log.info(`pulling ${plan.image.reference}`);
      if (this.deps.withPullProgress) await this.deps.withPullProgress(plan.image.reference, pull);
      else await pull((l) => this.deps.log.debug(l));
    }
    await this.takeComposePlace(plan, docker);
    const strategy = this.strategyFor(plan);
    // A strategy that ran before lets go of what it kept (the blue/green proxy) at once.
    for (const other of [this.blueGreen, this.restartStrategy, this.watchStrategy]) if (other !== strategy) await other.release(0);
    return strategy.start(plan, docker, signal);
  }

  /**
   * Creates and starts a container. A daemon that has just come back (restarted under a running
   * gateway) can answer its ping before it can run containers, and fail a start with an internal
   * error; such a start is tried again, a few times, a second apart. Faults of ours (a name taken by
   * someone else, a missing image) are not.
   */
  private async createAndStart(docker: DockerAdapter, spec: ContainerSpec, signal: AbortSignal, files?: readonly StagedFile[]): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      let id: string | undefined;
      try {
        id = await docker.create(spec);
        if (files) {
          await docker.putFiles(id, files, CONTAINER_CONFIG_DIR);
          this.deps.log.info(`copied ${files.length} staged file(s) into ${spec.name}:${CONTAINER_CONFIG_DIR} through the engine's API`);
        }
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
    await this.watch.ensureEvents(docker);
    const id = on.id ?? this.containerId;
    const target = on.target ?? plan.health;
    const connector = this.connectorFor(plan, target);
    const result = await waitHealthy({
      target,
      ...(connector ? { connector } : {}),
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
    const old = this.plan;
    // Blue/green switches colors only behind its live proxy; without one it restarts in place.
    if (old?.proxy && this.blueGreen.active) return this.blueGreen.reload(old, signal);
    return (old?.reload === 'watch' ? this.watchStrategy : this.restartStrategy).reload(old, signal);
  }

  private async doStop(): Promise<LifecycleEvent> {
    const plan = this.plan;
    const id = this.containerId;
    await this.releaseAll((plan?.graceSeconds ?? 0) * 1000);
    if (!plan || !id) {
      await this.giveComposePlaceBack();
      return { type: 'opSucceeded', op: 'stop', healthy: false };
    }
    const docker = this.docker(plan.connection);
    try {
      await docker.stop(id, plan.graceSeconds);
      // A stopped gateway leaves nothing behind (`docker ps -a`); its log was followed already.
      await docker.remove(id);
    } catch (err) {
      if (!(err instanceof DockerError && err.kind === 'notFound')) throw err;
    }
    if (this.containerId === id) this.containerId = undefined;
    this.closeForwarder();
    this.deps.log.info(`stopped and removed ${plan.spec.name}`);
    await this.giveComposePlaceBack();
    return { type: 'opSucceeded', op: 'stop', healthy: false };
  }

  /** Every strategy lets go of what it keeps in this process (only blue/green keeps anything: its proxy). */
  private async releaseAll(drainMs: number): Promise<void> {
    for (const s of [this.blueGreen, this.restartStrategy, this.watchStrategy]) await s.release(drainMs);
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
    await this.releaseAll(grace * 1000);
    const adapter = this.watch.current;
    if (!plan || !id || !adapter) return;
    await adapter.stop(id, grace);
    await this.giveComposePlaceBack();
  }

  /**
   * Deactivation with `onDeactivate: keep`: the containers stay, but the proxy lives in this
   * process and goes with it; the next session takes the running color over (see adopt).
   */
  async detach(): Promise<void> {
    await this.releaseAll(0);
    this.closeForwarder();
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
    for (const s of [this.blueGreen, this.restartStrategy, this.watchStrategy]) s.dispose();
    this.opAbort?.abort();
    this.monitor?.abort();
    this.monitor = undefined;
    this.closeForwarder();
    this.watch.dispose();
    this.listeners.clear();
  }
}

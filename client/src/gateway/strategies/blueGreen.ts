/**
 * The blue/green strategy: a loopback proxy of ours owns the user's port, and each reload starts
 * the other color's container on the new files while the active one serves. Only once the new
 * one is healthy does the proxy send new requests to it; the old one then finishes the requests
 * it was given (bounded by the grace period) and is stopped. A new config that never becomes
 * healthy is removed, and nothing else changes.
 */
import type { ContainerState, DockerAdapter } from '../docker';
import type { LifecycleEvent, Op } from '../lifecycle';
import { COLOR_LABEL, UPSTREAM_LABEL, colorHealth, colorSpec, colorStagingDir, otherColor } from '../plan';
import type { Color, GatewayPlan } from '../plan';
import { GatewayProxy, freeLoopbackPort } from '../proxy';
import { Staging } from '../staging';
import type { StagedFile } from '../staging';
import { portInUse, removeLeftovers } from './restart';
import type { ReloadStrategy, StrategyHost } from './strategy';

/** Staging a color's files failed: told apart from Docker's errors, because nothing was started. */
class StagingError extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

interface Launched {
  readonly id: string;
  readonly port: number;
  readonly name: string;
  readonly result: LifecycleEvent;
}

export class BlueGreenStrategy implements ReloadStrategy {
  /** The proxy that owns the user's port while the gateway runs, and the active color. */
  private proxy: GatewayProxy | undefined;
  private color: Color | undefined;

  constructor(private readonly host: StrategyHost) {}

  /** True while our proxy is up: only then can a reload switch colors behind it. */
  get active(): boolean {
    return this.proxy !== undefined;
  }

  async start(plan: GatewayPlan, docker: DockerAdapter, signal: AbortSignal): Promise<LifecycleEvent> {
    const h = this.host;
    await removeLeftovers(docker, plan);
    const proxy = await this.ensureProxy(plan);
    h.plan = plan;
    const files = await h.staging.snapshot(h.configFileName);
    const color = this.color ? otherColor(this.color) : 'blue';
    h.freshContainer();
    const launched = await this.launchColor(plan, docker, color, files, signal, 'start');
    h.containerId = launched.id;
    // Unhealthy but running is still the only KrakenD there is, as with a restart: it gets the traffic.
    if (launched.result.type === 'opSucceeded') {
      this.color = color;
      await proxy.switchTo({ host: '127.0.0.1', port: launched.port, label: launched.name }, 0);
    }
    return launched.result;
  }

  async reload(old: GatewayPlan | undefined, signal: AbortSignal): Promise<LifecycleEvent> {
    const h = this.host;
    const files = h.goodFiles ?? (await h.staging.snapshot(h.configFileName));
    const plan = await h.preparePlan(files);
    const proxy = this.proxy;
    if (!proxy || !plan.proxy || plan.proxy.host !== old?.proxy?.host || plan.proxy.port !== old.proxy.port || JSON.stringify(plan.connection) !== JSON.stringify(old.connection)) {
      // The public address moved (a new port, say): a new proxy, so a fresh start.
      h.log.info('the gateway address or Docker engine changed; starting it afresh');
      await h.stopGateway();
      await h.staging.stage(files);
      return h.startAfresh(signal);
    }
    const docker = h.docker(plan.connection);
    await docker.ping();
    if (!(await docker.hasImage(plan.image.reference))) await docker.pull(plan.image.reference, (l) => h.log.debug(l), signal);
    const previous = { id: h.containerId, color: this.color ?? 'blue' };
    const next = otherColor(previous.color);
    let launched: Launched;
    try {
      launched = await this.launchColor(plan, docker, next, files, signal, 'reload');
    } catch (err) {
      if (err instanceof StagingError) return h.stagingFailed(err.cause);
      throw err;
    }
    const r = launched.result;
    if (r.type !== 'opSucceeded' || !r.healthy) {
      const tail = await h.tail(launched.id);
      await docker.stop(launched.id, 0).catch(() => undefined);
      await docker.remove(launched.id).catch((err: unknown) => h.log.warn(`removing ${launched.name} failed: ${String(err)}`));
      const why = r.type === 'opFailed' ? r.fault.message : `Its health endpoint did not answer 200 within ${plan.healthTimeoutMs / 1000} s.`;
      h.log.error(`gateway ${h.folderName}: the new config did not start (${why}); ${previous.color} keeps serving the last good one${tail.length ? `\n${tail.join('\n')}` : ''}`);
      return { type: 'reloadRejected', fault: { kind: r.type === 'opFailed' ? r.fault.kind : 'timeout', message: `The new config did not start: ${why}`, ...(r.type === 'opFailed' && r.fault.exitCode !== undefined ? { exitCode: r.fault.exitCode } : {}), logTail: tail } };
    }
    h.plan = plan;
    h.containerId = launched.id;
    this.color = next;
    const switched = proxy.switchTo({ host: '127.0.0.1', port: launched.port, label: launched.name }, plan.graceSeconds * 1000);
    // The status must not say "reloading" while the new config serves and the old one drains.
    h.switched();
    // The plan's own folder records what runs, for the next start after a crash.
    await h.staging.stage(files).catch((err: unknown) => h.log.warn(`recording the running config in ${h.stagingDir} failed: ${String(err)}`));
    const left = await switched;
    if (left > 0) h.log.warn(`${left} request(s) were still running on ${previous.color} after ${plan.graceSeconds} s; stopping it anyway`);
    if (previous.id) {
      // In a compose stack the old color leaves the networks first, so the service name resolves to the new one only.
      if (plan.compose) await docker.leaveNetworks(previous.id, plan.compose.networks).catch((err: unknown) => h.log.warn(`taking the ${previous.color} container off the compose networks failed: ${String(err)}`));
      await docker.stop(previous.id, plan.graceSeconds).catch((err: unknown) => h.log.warn(`stopping the ${previous.color} container failed: ${String(err)}`));
      await docker.remove(previous.id).catch((err: unknown) => h.log.warn(`removing the ${previous.color} container failed: ${String(err)}`));
    }
    return { type: 'opSucceeded', op: 'reload', healthy: true };
  }

  /** The running container of either color, if any (the one a proxy should feed). */
  async findRunning(docker: DockerAdapter, plan: GatewayPlan): Promise<ContainerState | undefined> {
    for (const color of ['blue', 'green'] as const) {
      const c = await docker.findOwned(`${plan.spec.name}-${color}`);
      if (c?.running) return c;
    }
    return undefined;
  }

  /** The proxy died with the last session; the container it fed is still there. */
  async takeOver(plan: GatewayPlan, existing: ContainerState): Promise<void> {
    const color = existing.labels[COLOR_LABEL] === 'green' ? 'green' : 'blue';
    await this.ensureProxy(plan);
    this.color = color;
    await this.proxy?.switchTo({ host: '127.0.0.1', port: Number(existing.labels[UPSTREAM_LABEL]), label: existing.name }, 0);
  }

  /** New connections are refused from now on; requests already in the proxy finish first. */
  async release(drainMs: number): Promise<void> {
    const proxy = this.proxy;
    this.proxy = undefined;
    this.color = undefined;
    await proxy?.close(drainMs);
  }

  describe(plan: GatewayPlan): { readonly ports: string; readonly containerName: string } {
    const at = plan.proxy;
    const upstream = this.proxy?.upstream;
    return {
      ports: at ? `proxy ${at.host}:${at.port}${upstream ? ` → ${upstream.label} on 127.0.0.1:${upstream.port}` : ''}` : '',
      containerName: this.color ? `${plan.spec.name}-${this.color}` : plan.spec.name,
    };
  }

  dispose(): void {
    const proxy = this.proxy;
    this.proxy = undefined;
    proxy?.close(0).catch((err: unknown) => this.host.log.warn(`closing the gateway proxy failed: ${String(err)}`));
  }

  /** Makes sure our proxy listens where the plan says; a taken port is the user's to free. */
  private async ensureProxy(plan: GatewayPlan): Promise<GatewayProxy> {
    const at = plan.proxy!;
    if (this.proxy && this.proxy.listenOn.host === at.host && this.proxy.listenOn.port === at.port && this.proxy.listening) return this.proxy;
    await this.release(plan.graceSeconds * 1000);
    const proxy = new GatewayProxy(at, { debug: (m) => this.host.log.debug(m), warn: (m) => this.host.log.warn(m) });
    try {
      await proxy.listen();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw await portInUse(plan, this.host.docker(plan.connection), at.port, at.host);
      throw err;
    }
    this.proxy = proxy;
    return proxy;
  }

  /**
   * Starts one color's container on the given files and waits for its health. Resolves with the
   * container and the health result; the caller decides whether the proxy switches to it.
   */
  private async launchColor(plan: GatewayPlan, docker: DockerAdapter, color: Color, files: readonly StagedFile[], signal: AbortSignal, op: Op): Promise<Launched> {
    const h = this.host;
    const staging = new Staging(colorStagingDir(h.stagingDir, color));
    await staging.stage(files).catch((err: unknown) => {
      throw new StagingError(err);
    });
    const port = await freeLoopbackPort();
    const spec = colorSpec(plan, color, port, h.stagingDir);
    const leftover = await docker.findOwned(spec.name);
    if (leftover) {
      if (leftover.running) await docker.stop(leftover.id, plan.graceSeconds);
      await docker.remove(leftover.id);
    }
    // Archive delivery: the color's files go in through the engine's API before it starts.
    const id = await h.createAndStart(docker, spec, signal, plan.configDelivery === 'archive' ? files : undefined);
    h.log.info(`started ${spec.name} (${plan.image.reference}) on 127.0.0.1:${port}; waiting for ${plan.health.path}`);
    const result = await h.awaitHealth(plan, signal, op, undefined, { id, target: colorHealth(plan, port) });
    return { id, port, name: spec.name, result };
  }
}

/**
 * The restart strategy: one container, and a reload is `docker restart` on the new staged files.
 * The daemon sends SIGTERM, KrakenD drains in-flight requests (http.Server.Shutdown), and only
 * after it exits (or the grace period ends: SIGKILL) starts it again. The `:watch` image shares
 * its start and its in-place staging (watchImage.ts).
 */
import { DockerError } from '../docker';
import type { ContainerState, DockerAdapter } from '../docker';
import { isPortOpen } from '../health';
import type { LifecycleEvent } from '../lifecycle';
import { CONFIG_LABEL, CONTAINER_CONFIG_DIR, FOLDER_LABEL, isLocalEngine, portInUseMessage } from '../plan';
import type { GatewayPlan } from '../plan';
import type { StagedFile, StageReport } from '../staging';
import type { ReloadStrategy, StrategyHost } from './strategy';

/** Before a start: whatever ran before goes, in either mode (the plain container, both colors). */
export async function removeLeftovers(docker: DockerAdapter, plan: GatewayPlan): Promise<void> {
  for (const name of [plan.spec.name, `${plan.spec.name}-blue`, `${plan.spec.name}-green`]) {
    const c = await docker.findOwned(name);
    if (!c) continue;
    if (c.running) await docker.stop(c.id, plan.graceSeconds);
    await docker.remove(c.id);
  }
}

/** The error for a taken port, naming our own gateway of another window when the containers' labels say it is one. */
export async function portInUse(plan: GatewayPlan, docker: DockerAdapter, port: number, host: string): Promise<DockerError> {
  const running = await docker.listOwned().then(
    (list) => list.filter((c) => c.running).map((c) => c.labels),
    () => [],
  );
  const own = { folder: plan.spec.Labels[FOLDER_LABEL] ?? '', config: plan.spec.Labels[CONFIG_LABEL] ?? '' };
  return new DockerError('portInUse', portInUseMessage({ host, port }, plan.spec.HostConfig.NetworkMode === 'host', running, own));
}

/** Archive delivery: the staged files a new container gets before it starts; none with a bind mount. */
export async function filesToDeliver(plan: GatewayPlan, host: StrategyHost): Promise<readonly StagedFile[] | undefined> {
  return plan.configDelivery === 'archive' ? host.staging.snapshot(host.configFileName) : undefined;
}

/** A reload staged in place: the plan and container to apply it to, or the event that already ends it. */
export type InPlace =
  | { readonly done: LifecycleEvent }
  | { readonly done?: undefined; readonly plan: GatewayPlan; readonly docker: DockerAdapter; readonly id: string; readonly report: StageReport | undefined; readonly stagedAt: number };

export class RestartStrategy implements ReloadStrategy {
  constructor(protected readonly host: StrategyHost) {}

  async start(plan: GatewayPlan, docker: DockerAdapter, signal: AbortSignal): Promise<LifecycleEvent> {
    const began = this.host.now();
    await removeLeftovers(docker, plan);
    if (isLocalEngine(plan.connection) && (await isPortOpen(plan.health.host, plan.health.port, 500))) throw await portInUse(plan, docker, plan.health.port, plan.health.host);
    this.host.plan = plan;
    this.host.freshContainer();
    this.host.containerId = await this.host.createAndStart(docker, plan.spec, signal, await filesToDeliver(plan, this.host));
    this.host.log.info(`started ${plan.spec.name} (${plan.image.reference}, ${plan.reload} reloads) in ${this.host.now() - began} ms; waiting for ${plan.health.path}`);
    return this.host.awaitHealth(plan, signal, 'start');
  }

  async reload(old: GatewayPlan | undefined, signal: AbortSignal): Promise<LifecycleEvent> {
    const r = await this.stageInPlace(old, signal, false);
    if (r.done) return r.done;
    await r.docker.restart(r.id, r.plan.graceSeconds);
    return this.host.awaitHealth(r.plan, signal, 'reload');
  }

  /**
   * Stages the latest passing save into the running container's folder (`touch`: rewrite even
   * unchanged files, so reflex fires). When the container options changed (port, image, settings),
   * a restart cannot apply them and a new container is started instead.
   *
   * Archive delivery: the staged files are then put into the running container, as staging into a
   * mounted folder would change them under it; KrakenD reads them when the restart starts it again
   * (reflex, in a `:watch` image, sees the write). The archive API adds and replaces but cannot
   * delete, so a save that dropped a file (a partial, a sibling) gets a new container instead,
   * which holds exactly the staged files. The local staging folder stays the record of what the
   * container holds: each put sends all of it, so one that failed is made good by the next.
   */
  protected async stageInPlace(old: GatewayPlan | undefined, signal: AbortSignal, touch: boolean): Promise<InPlace> {
    const h = this.host;
    const files = h.goodFiles;
    let report: StageReport | undefined;
    try {
      report = files ? await h.staging.stage(files, touch) : undefined;
    } catch (err) {
      // Nothing was restarted: the gateway still serves the last good config.
      return { done: h.stagingFailed(err) };
    }
    const stagedAt = h.now();
    if (report) h.log.info(`staged ${report.written.join(', ') || 'nothing new'}${report.removed.length ? `, removed ${report.removed.join(', ')}` : ''}`);
    const plan = await h.preparePlan();
    const id = h.containerId;
    if (!old || !id || old.reload !== plan.reload || JSON.stringify(old.spec) !== JSON.stringify(plan.spec) || JSON.stringify(old.connection) !== JSON.stringify(plan.connection)) {
      h.log.info('the container options changed; recreating the container');
      return { done: await h.startAfresh(signal) };
    }
    const docker = h.docker(plan.connection);
    if (plan.configDelivery === 'archive' && report) {
      if (report.removed.length > 0) {
        h.log.info(`${report.removed.join(', ')} left the configuration, and the engine's archive API cannot delete files; recreating the container`);
        return { done: await h.startAfresh(signal) };
      }
      const files = await h.staging.snapshot(h.configFileName);
      await docker.putFiles(id, files, CONTAINER_CONFIG_DIR);
      h.log.info(`copied ${files.length} staged file(s) into ${plan.spec.name}:${CONTAINER_CONFIG_DIR} through the engine's API`);
    }
    h.plan = plan;
    return { plan, docker, id, report, stagedAt };
  }

  findRunning(docker: DockerAdapter, plan: GatewayPlan): Promise<ContainerState | undefined> {
    return docker.findOwned(plan.spec.name);
  }

  takeOver(): Promise<void> {
    return Promise.resolve();
  }

  release(): Promise<void> {
    return Promise.resolve();
  }

  describe(plan: GatewayPlan): { readonly ports: string; readonly containerName: string } {
    const binding = plan.spec.HostConfig.PortBindings;
    const ports = plan.spec.HostConfig.NetworkMode === 'host'
      ? `host network, :${plan.health.port}`
      : Object.entries(binding).map(([cport, b]) => `${b[0]?.HostIp ?? ''}:${b[0]?.HostPort ?? ''} → ${cport}`).join(', ');
    return { ports, containerName: plan.spec.name };
  }

  dispose(): void {
    // Nothing of a restart gateway lives in this process.
  }
}

/**
 * The `:watch` image strategy: reflex inside the container restarts KrakenD when the staged
 * files change, so a reload is staging the files and waiting for a new KrakenD process. It
 * starts like the restart strategy; the manual Restart command rewrites the files so reflex fires.
 */
import { processStartMs, processUptimeSeconds } from '../health';
import type { LifecycleEvent } from '../lifecycle';
import type { GatewayPlan } from '../plan';
import { RestartStrategy } from './restart';

export class WatchImageStrategy extends RestartStrategy {
  override async reload(old: GatewayPlan | undefined, signal: AbortSignal): Promise<LifecycleEvent> {
    // Which KrakenD process serves now, so the reload can wait for a different one.
    const before = old ? processStartMs((await this.host.probe(old, 2000)).body) : undefined;
    const r = await this.stageInPlace(old, signal, true);
    if (r.done) return r.done;
    if (r.report && r.report.written.length === 0 && r.report.removed.length === 0) return { type: 'opSucceeded', op: 'reload', healthy: true };
    // reflex restarts KrakenD inside the same container, so wait for a process that started
    // after the staging (its uptime is shorter than the time since) and, because the old one
    // may itself be that young when saves come fast, is not the process that served before.
    const now = this.host.now;
    return this.host.awaitHealth(r.plan, signal, 'reload', (body) => {
      const up = processUptimeSeconds(body);
      const started = processStartMs(body);
      if (up === undefined || started === undefined) return now() - r.stagedAt > 1500;
      return up * 1000 <= now() - r.stagedAt + 100 && (before === undefined || Math.abs(started - before) > 1);
    });
  }
}

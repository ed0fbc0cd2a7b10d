// The blue/green proxy alone in a process of its own, for bench/proxy.bench.ts: the load generator
// must not share its event loop. Spoken to over IPC: it answers `ready` with its port, and on
// `measure` starts a fresh event-loop delay histogram and CPU count, on `report` sends them.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { freeLoopbackPort } from '../../client/src/gateway/proxy';
import type { GatewayProxy } from '../../client/src/gateway/proxy';

export interface ProxyReport {
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
  /** CPU time (user + system) since `measure`, in ms. */
  readonly cpuMs: number;
  /** Since `measure`. */
  readonly stats: { clientConnections: number; upstreamConnections: number; requests: number };
}

export type ProxyCommand = { readonly type: 'measure' } | { readonly type: 'report' } | { readonly type: 'stop' };

async function main(): Promise<void> {
  const upstreamPort = Number(process.argv[2]);
  const port = await freeLoopbackPort();
  // BENCH_PROXY_MODULE: another proxy with the same API (an earlier design, say) to compare.
  const { GatewayProxy: Proxy } = (await import(process.env.BENCH_PROXY_MODULE ?? '../../client/src/gateway/proxy')) as { GatewayProxy: typeof GatewayProxy };
  const proxy = new Proxy({ host: '127.0.0.1', port }, { debug: () => undefined, warn: (m) => console.error(m) });
  await proxy.listen();
  await proxy.switchTo({ host: '127.0.0.1', port: upstreamPort, label: 'bench' }, 0);
  // The histogram holds each sampling interval including the resolution itself (an idle loop
  // reads about 1.1 ms at 1 ms), so the resolution is taken off what is reported.
  const RESOLUTION_MS = 1;
  const lag = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const late = (ns: number): number => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  let cpu = process.cpuUsage();
  let atMeasure = { clientConnections: 0, upstreamConnections: 0, requests: 0 };
  process.on('message', (m: ProxyCommand) => {
    if (m.type === 'measure') {
      lag.disable();
      lag.reset();
      lag.enable();
      cpu = process.cpuUsage();
      atMeasure = { ...(proxy.stats ?? { clientConnections: NaN, upstreamConnections: NaN, requests: NaN }) };
      process.send?.({ type: 'measuring' });
    } else if (m.type === 'report') {
      const used = process.cpuUsage(cpu);
      const stats = proxy.stats ?? { clientConnections: NaN, upstreamConnections: NaN, requests: NaN };
      const report: ProxyReport = {
        lagP50Ms: late(lag.percentile(50)),
        lagP99Ms: late(lag.percentile(99)),
        lagMaxMs: late(lag.max),
        cpuMs: (used.user + used.system) / 1000,
        stats: { clientConnections: stats.clientConnections - atMeasure.clientConnections, upstreamConnections: stats.upstreamConnections - atMeasure.upstreamConnections, requests: stats.requests - atMeasure.requests },
      };
      process.send?.(report);
    } else {
      lag.disable();
      void proxy.close(1000).then(() => process.exit(0));
    }
  });
  process.send?.({ type: 'ready', port });
  // The parent's end is ours too.
  process.on('disconnect', () => process.exit(0));
}

void main();

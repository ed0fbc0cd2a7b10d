// The blue/green proxy's cost (docs/benchmarks.md, "The proxy's cost"): one real KrakenD answering
// its own /__health (no backend, access log off), called at 50 keep-alive connections for 10 s
// direct and 10 s through the proxy, in one run. The proxy runs in a process of its own
// (bench/support/proxyProcess.ts), as it would in the extension host, apart from the load
// generator (bench/support/load.ts); its event-loop delay is measured there.
// BENCH_PROXY_SECONDS changes the 10 s, BENCH_PROXY_CONNECTIONS the 50; BENCH_PROXY_MODULE names
// another module exporting GatewayProxy (an earlier design) to run in its place.
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '../client/src/gateway/proxy';
import { benchCanRun } from '../test/support/env';
import { krakendCli } from '../test/support/krakend';
import { runLoad } from './support/load';
import type { LoadResult } from './support/load';
import type { ProxyCommand, ProxyReport } from './support/proxyProcess';

const NAME = 'proxy';
const SECONDS = Number(process.env.BENCH_PROXY_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_PROXY_CONNECTIONS ?? 50);
const WARMUP_MS = 1000;
/** Paced runs after the closed-loop ones: offered loads as fractions of what KrakenD answered direct. */
const RATES = (process.env.BENCH_PROXY_RATES ?? '0.25,0.5,0.75').split(',').filter(Boolean).map(Number);
const PACED_SECONDS = 5;
const PATH = '/__health';

function fmt(n: number, digits = 2): string {
  return n.toFixed(digits);
}

/** CPU seconds (user + system) a process used so far, from /proc; undefined when not readable. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function waitHealthy(port: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}${PATH}`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > until) throw new Error(`KrakenD did not answer ${PATH} on ${port} within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function ask<T>(child: ChildProcess, command: ProxyCommand | undefined, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the proxy process did not answer')), timeoutMs);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m as T);
    });
    if (command) child.send(command);
  });
}

async function main(): Promise<void> {
  if (!benchCanRun(NAME, ['krakend'])) return;
  const krakend = krakendCli();
  const dir = mkdtempSync(join(tmpdir(), 'krakend-live-proxy-bench-'));
  const children: ChildProcess[] = [];
  try {
    const port = await freeLoopbackPort();
    const config = {
      version: 3,
      port,
      listen_ip: '127.0.0.1',
      endpoints: [],
      extra_config: { router: { disable_access_log: true }, 'telemetry/logging': { level: 'ERROR', stdout: true } },
    };
    writeFileSync(join(dir, 'krakend.json'), JSON.stringify(config));
    const c = krakend.command(['run', '-c', join(dir, 'krakend.json')], { cwd: dir });
    const gateway = spawn(c.file, c.args, { cwd: dir, env: c.env, stdio: 'ignore' });
    children.push(gateway);
    await waitHealthy(port, 30_000);

    const proxyProcess = fork(join(__dirname, 'support', 'proxyProcess.ts'), [String(port)], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROXY_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROXY_PROFILE}`] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(proxyProcess);
    const { port: proxyPort } = await ask<{ port: number }>(proxyProcess, undefined);

    console.log(`KrakenD ${krakend.version} (${krakend.description}) on :${port}, proxy on :${proxyPort}; ${CONNECTIONS} connections, ${SECONDS} s each after ${WARMUP_MS} ms of warm-up; ${cpus().length} cores, load average ${loadavg().map((l) => fmt(l)).join(' ')}`);
    const load = (p: number, ms: number): Promise<LoadResult> => runLoad({ port: p, path: PATH, connections: CONNECTIONS, durationMs: ms });

    await load(port, WARMUP_MS);
    const k0 = cpuSeconds(gateway.pid);
    const direct = await load(port, SECONDS * 1000);
    const k1 = cpuSeconds(gateway.pid);

    await load(proxyPort, WARMUP_MS);
    await ask(proxyProcess, { type: 'measure' }).catch(() => undefined);
    const k2 = cpuSeconds(gateway.pid);
    const proxied = await load(proxyPort, SECONDS * 1000);
    const k3 = cpuSeconds(gateway.pid);
    const report = await ask<ProxyReport>(proxyProcess, { type: 'report' });

    for (const [name, r, k] of [['direct', direct, k0 !== undefined && k1 !== undefined ? k1 - k0 : undefined], ['proxied', proxied, k2 !== undefined && k3 !== undefined ? k3 - k2 : undefined]] as const) {
      console.log(`  ${name.padEnd(8)} ${fmt(r.rps, 0).padStart(7)} req/s  p50 ${fmt(r.p50Ms)} ms  p99 ${fmt(r.p99Ms)} ms  ${r.requests} answers, ${r.non2xx} not 2xx, ${r.errors} errors${k !== undefined ? `; KrakenD CPU ${fmt((k / SECONDS) * 100, 0)}% of a core` : ''}`);
    }
    console.log(`  proxy process: CPU ${fmt((report.cpuMs / 1000 / SECONDS) * 100, 0)}% of a core, ${fmt((report.cpuMs * 1000) / Math.max(1, proxied.requests), 1)} µs per answer; event-loop lag p50 ${fmt(report.lagP50Ms)} ms, p99 ${fmt(report.lagP99Ms)} ms, max ${fmt(report.lagMaxMs)} ms; ${report.stats.clientConnections} client connections and ${report.stats.upstreamConnections} new ones to KrakenD during the run`);
    console.log(`  load average after: ${loadavg().map((l) => fmt(l)).join(' ')}`);
    console.log(
      `proxy: direct ${fmt(direct.rps, 0)} req/s, proxied ${fmt(proxied.rps, 0)} req/s (ratio ${fmt(proxied.rps / direct.rps)}), p50 +${fmt(proxied.p50Ms - direct.p50Ms)} ms, p99 +${fmt(proxied.p99Ms - direct.p99Ms)} ms, event-loop lag p99 ${fmt(report.lagP99Ms)} ms`,
    );

    // Below saturation: the same offered load direct and proxied; the proxy should answer all of it.
    for (const fraction of RATES) {
      const rate = Math.round(direct.rps * fraction);
      const paced = (p: number): Promise<LoadResult> => runLoad({ port: p, path: PATH, connections: CONNECTIONS, durationMs: PACED_SECONDS * 1000, rate });
      const d = await paced(port);
      await ask(proxyProcess, { type: 'measure' });
      const p = await paced(proxyPort);
      const r = await ask<ProxyReport>(proxyProcess, { type: 'report' });
      console.log(
        `  paced ${rate} req/s (${fmt(fraction * 100, 0)}% of direct max), ${PACED_SECONDS} s: direct ${fmt(d.rps, 0)} req/s p50 ${fmt(d.p50Ms)} p99 ${fmt(d.p99Ms)} ms; proxied ${fmt(p.rps, 0)} req/s (ratio ${fmt(p.rps / d.rps)}) p50 ${fmt(p.p50Ms)} p99 ${fmt(p.p99Ms)} ms; proxy CPU ${fmt((r.cpuMs / 1000 / PACED_SECONDS) * 100, 0)}%, lag p99 ${fmt(r.lagP99Ms)} ms`,
      );
    }
    await ask(proxyProcess, { type: 'stop' }, 5000).catch(() => undefined);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

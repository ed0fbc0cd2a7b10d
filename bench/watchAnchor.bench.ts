// The anchor KrakenD Live must beat (docs/benchmarks.md): what happens to a 3-second request in
// flight when the gateway restarts.
//  - drain: krakend:2.13 gets SIGTERM (a graceful restart); the request should finish with 200.
//  - cut:   krakend:watch sees a file change; reflex kills KrakenD after about 1 s and the request dies.
// Also measured: how long the :watch gateway is unreachable around a reflex restart.
// Needs a real KrakenD (npm run test:env finds one); without it, it says what it did not measure.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { benchCanRun, requireComponent } from '../test/support/env';
import {
  connectDocker,
  errorText,
  freePort,
  gatewayConfig,
  get,
  listening,
  newRunId,
  removeTestResources,
  settle,
  slowMs,
  startBackend,
  startGateway,
  waitHealthy,
  withTimeout,
} from '../test/support/docker';
import type { Backend } from '../test/support/docker';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const needs = ['docker', 'krakend', 'krakend-images'] as const;


interface Round {
  drainMs: number;
  drainStatus: string;
  cutMs: number;
  cutHow: string;
  watchDowntimeMs: number;
}

async function round(docker: Docker, run: string, backend: Backend, images: { image: string; watchImage: string }, dir: string): Promise<Round> {
  // Drain: SIGTERM to the plain image (krakend is PID 1 there).
  const port = await freePort();
  writeFileSync(join(dir, 'krakend.json'), gatewayConfig(port, backend.port));
  const plain = await startGateway(docker, run, { image: images.image, dir, port }, 30_000);
  let reached = backend.nextRequest('/slow');
  let pending = settle(get(port, '/slow', slowMs + 15_000));
  await withTimeout(reached, 5000, 'the backend to receive /slow');
  const signalled = performance.now();
  await plain.container.kill({ signal: 'SIGTERM' });
  const drained = await pending;
  plain.logs.close();
  await withTimeout(plain.container.wait(), 15_000, 'the plain gateway to exit');

  // Cut: a file change under the :watch image.
  const wport = await freePort();
  const wdir = mkdtempSync(join(tmpdir(), 'krakend-live-bench-'));
  try {
    writeFileSync(join(wdir, 'krakend.json'), gatewayConfig(wport, backend.port));
    const watch = await startGateway(docker, run, { image: images.watchImage, dir: wdir, port: wport, cmd: ['run', '-c', 'krakend.json'] }, 30_000);
    reached = backend.nextRequest('/slow');
    pending = settle(get(wport, '/slow', slowMs + 15_000));
    await withTimeout(reached, 5000, 'the backend to receive /slow');
    const restarted = watch.logs.waitFor(listening(wport), 30_000, watch.logs.occurrences(listening(wport)) + 1);
    const changed = performance.now();
    writeFileSync(join(wdir, 'touched.txt'), `${Date.now()}\n`);
    const cut = await pending;
    await restarted;
    await waitHealthy(wport, 30_000);
    const back = performance.now();
    watch.logs.close();
    await watch.container.remove({ force: true });
    return {
      drainMs: drained.at - signalled,
      drainStatus: drained.ok ? String(drained.value.status) : errorText(drained.error),
      cutMs: cut.at - changed,
      cutHow: cut.ok ? `status ${cut.value.status}` : errorText(cut.error),
      watchDowntimeMs: back - changed,
    };
  } finally {
    rmSync(wdir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!benchCanRun('watchAnchor', needs)) return;
  const images = requireComponent('krakend-images');
  const docker = connectDocker();
  const run = newRunId('bench-anchor');
  const backend = await startBackend();
  const dir = mkdtempSync(join(tmpdir(), 'krakend-live-bench-'));
  const results: Round[] = [];
  try {
    for (let i = 0; i < rounds; i++) results.push(await round(docker, run, backend, images, dir));
  } finally {
    await removeTestResources(docker, run);
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  console.log(`watchAnchor: ${rounds} rounds, backend takes ${slowMs} ms, krakend ${images.version}`);
  console.log('| round | SIGTERM drain: signal → answer | reflex cut: change → request ended | :watch downtime: change → healthy |');
  console.log('| --- | --- | --- | --- |');
  results.forEach((r, i) => {
    console.log(`| ${i + 1} | ${Math.round(r.drainMs)} ms, ${r.drainStatus} | ${Math.round(r.cutMs)} ms, ${r.cutHow} | ${Math.round(r.watchDowntimeMs)} ms |`);
  });
  console.log(
    `median drain ${Math.round(median(results.map((r) => r.drainMs)))} ms, cut ${Math.round(median(results.map((r) => r.cutMs)))} ms, downtime ${Math.round(median(results.map((r) => r.watchDowntimeMs)))} ms`,
  );
  if (results.some((r) => r.drainStatus !== '200')) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

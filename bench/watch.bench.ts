// `krakend-live watch`: a change on disk → the new config serving (docs/benchmarks.md, "watch").
// `node dist/cli.js watch` runs as a user runs it (a child process, blue/green, the found KrakenD
// image), on the default bridge network and on host networking. Each of BENCH_RUNS changes
// (default 5) renames a new config over the file, as editors save; the time runs from the rename
// until GET /hello on 127.0.0.1 answers with the body the new config names. The status line's own
// figure (first event seen → serving) is printed beside it. Needs `npm run build` (npm run bench
// builds) and a real KrakenD; without one it says what it did not measure.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchCanRun, requireComponent } from '../test/support/env';
import { bridgeGateway, connectDocker, freePort, gatewayConfig, startBackend } from '../test/support/docker';
import { Lines } from '../test/support/lines';
import { answersWith, summary } from './support/gateway';

const NAME = 'watch';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CLI = resolve('dist/cli.js');
const T = 60_000;

async function side(network: 'bridge' | 'host', image: string, backendPort: number): Promise<{ changeToServing: number[]; statusLine: number[]; startMs: number }> {
  const root = mkdtempSync(join(tmpdir(), `krakend-live-bench-watch-${network}-`));
  const folder = join(root, 'gateway');
  mkdirSync(folder);
  const port = await freePort();
  const file = join(folder, 'krakend.json');
  const config = (path: string): string => gatewayConfig(network === 'host' ? port : 8080, backendPort, path, 'host.docker.internal');
  writeFileSync(file, config('/v1'));
  const began = performance.now();
  const child = spawn(process.execPath, [CLI, 'watch', '--port', String(port), '--image', image, '--network', network, 'krakend.json'], {
    cwd: folder,
    env: { ...process.env, XDG_CACHE_HOME: join(root, 'cache') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const out = new Lines(child.stdout, T);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    await out.next(/serving krakend\.json/, 'the gateway to start');
    await answersWith(port, 'v1', T);
    const startMs = performance.now() - began;
    const changeToServing: number[] = [];
    const statusLine: number[] = [];
    for (let i = 2; i < RUNS + 2; i++) {
      const reloaded = out.next(/reloaded in \d+ ms/, `the reload to v${i}`);
      writeFileSync(join(folder, '.krakend.json.tmp'), config(`/v${i}`));
      const t0 = performance.now();
      renameSync(join(folder, '.krakend.json.tmp'), file);
      changeToServing.push((await answersWith(port, `v${i}`, T)) - t0);
      statusLine.push(Number(/reloaded in (\d+) ms/.exec(await reloaded)?.[1]));
    }
    return { changeToServing, statusLine, startMs };
  } finally {
    child.kill('SIGINT');
    const code = await exited;
    if (code !== 0) process.exitCode = 1;
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!benchCanRun(NAME, ['docker', 'krakend', 'krakend-images'])) return;
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: npm run build');
  const { image, version } = requireComponent('krakend-images');
  const backend = await startBackend(await bridgeGateway(connectDocker()));
  const rows: string[] = [];
  try {
    for (const network of ['bridge', 'host'] as const) {
      const r = await side(network, image, backend.port);
      rows.push(`| ${network} | ${summary(r.changeToServing)} | ${summary(r.statusLine)} | ${Math.round(r.startMs)} ms |`);
    }
  } finally {
    await backend.close();
  }
  console.log(`${NAME}: KrakenD ${version}; node dist/cli.js watch, blue/green, ${RUNS} changes per network (rename over the file)`);
  console.log('| network | change on disk → new config answering on 127.0.0.1 | the status line\'s "reloaded in" | start → first answer |');
  console.log('| --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

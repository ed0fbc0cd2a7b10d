// The CLI's cold start (issue 11): whole fresh processes, side by side in one run, medians of
// BENCH_RUNS (default 5, at least 5) per size, the tools taking turns so load from other work
// falls on all of them alike:
//   - `node dist/cli.js check --format json FILE` with an empty cache (a clean machine: the
//     bundled schema lints, through its validator precompiled at build time);
//   - the same with the official v2.13 schema cached, as after the first download, whose
//     validator the first run compiled and kept next to it (that first run is not timed);
//   - a bare Node process that reads the file and JSON.parses it: the floor, and the ratio's base;
//   - the real `krakend check -c FILE` and `krakend check -t -c FILE` (-t serves the config's
//     port for about a second: each run gets a free port), when test-env found KrakenD.
// BENCH_CLI=path times another build of the CLI instead; BENCH_BASELINE=path adds one more
// build (say, one from before a change) as two more columns of the same run.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { officialSchemaUrl } from '../server/src/core/schema/url';
import { SchemaStore } from '../server/src/node/schemaStore';
import { benchCanRun } from '../test/support/env';
import { krakendCli } from '../test/support/krakend';
import type { KrakendCli } from '../test/support/krakend';
import { upstreamSchemaPath } from '../test/support/reference';
import { SIZES, generateConfig, percentile } from './support/generate';
import { freeLoopbackPort } from '../client/src/gateway/proxy';

const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 5));
const CLI = resolve(process.env.BENCH_CLI ?? 'dist/cli.js');
const BASELINE = process.env.BENCH_BASELINE ? resolve(process.env.BENCH_BASELINE) : undefined;
const dir = mkdtempSync(join(tmpdir(), 'krakend-live-cold-'));
const BARE = "JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'))";

interface Run {
  readonly ms: number;
  readonly status: number | null;
  readonly stderr: string;
}

function timed(file: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd = dir): Run {
  const t = performance.now();
  const r = spawnSync(file, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t;
  if (r.error) throw new Error(`${file} ${args.join(' ')}: ${r.error.message}`);
  return { ms, status: r.status, stderr: r.stderr };
}


/** An XDG cache home with the official v2.13 schema where the CLI's store looks for it. */
function cachedHome(name: string): string | undefined {
  const upstream = upstreamSchemaPath('v2.13');
  const home = join(dir, name);
  const storageDir = join(home, 'krakend-live', 'schemas');
  mkdirSync(storageDir, { recursive: true });
  try {
    const url = officialSchemaUrl('2.13');
    const file = new SchemaStore({ storageDir }).cachePath(url);
    copyFileSync(upstream, file);
    // Builds before the cache names moved to hashText named it by SHA-256: a baseline from
    // then must find the same schema.
    copyFileSync(upstream, join(storageDir, `${createHash('sha256').update(url).digest('hex').slice(0, 16)}${basename(file).slice(16)}`));
  } catch (e) {
    console.log(`NOT MEASURED the CLI with the cached v2.13 schema: ${(e as Error).message}`);
    return undefined;
  }
  return home;
}

type Tool = 'bare' | 'cli' | 'cliCached' | 'base' | 'baseCached' | 'krakend' | 'krakendT';

async function main(): Promise<void> {
  console.log(`CLI: ${CLI}${BASELINE ? `; baseline: ${BASELINE}` : ''}; ${RUNS} cold processes per tool and size, taking turns; Node ${process.version}`);
  const emptyHome = join(dir, 'empty-home');
  mkdirSync(emptyHome);
  const cached = cachedHome('cached-home');
  const baseCached = BASELINE ? cachedHome('baseline-home') : undefined;
  let krakend: KrakendCli | undefined;
  if (benchCanRun('cold start: krakend check', ['krakend'])) {
    krakend = krakendCli();
    console.log(`KrakenD ${krakend.version}: ${krakend.description}`);
  }
  const node = (args: string[], home: string) => timed(process.execPath, args, { ...process.env, XDG_CACHE_HOME: home });
  const rows: string[] = [];
  const results = new Map<string, Map<Tool, number>>();
  for (const n of SIZES) {
    const text = generateConfig(n);
    const file = join(dir, `krakend-${n}.json`);
    writeFileSync(file, text);
    // The first use of the cached schema compiles it and keeps its validator: not timed. The
    // baseline has a cache home of its own, so it never sees that file.
    if (cached) node([CLI, 'check', '--format', 'json', file], cached);
    const samples = new Map<Tool, Run[]>();
    const add = (tool: Tool, r: Run): void => {
      samples.set(tool, [...(samples.get(tool) ?? []), r]);
    };
    for (let i = 0; i < RUNS; i++) {
      add('bare', node(['-e', BARE, file], emptyHome));
      add('cli', node([CLI, 'check', '--format', 'json', file], emptyHome));
      if (cached) add('cliCached', node([CLI, 'check', '--format', 'json', file], cached));
      if (BASELINE) add('base', node([BASELINE, 'check', '--format', 'json', file], emptyHome));
      if (BASELINE && baseCached) add('baseCached', node([BASELINE, 'check', '--format', 'json', file], baseCached));
      if (krakend) {
        const c = krakend.command(['check', '-c', file], { cwd: dir });
        add('krakend', timed(c.file, c.args, c.env));
        const port = await freeLoopbackPort();
        const tFile = join(dir, `krakend-${n}-t${i}.json`);
        writeFileSync(tFile, text.replace('"port": 8080', `"port": ${port}`));
        const t = krakend.command(['check', '-t', '-c', tFile], { cwd: dir });
        add('krakendT', timed(t.file, t.args, t.env));
      }
    }
    const median = new Map<Tool, number>();
    for (const [tool, runs] of samples) {
      // Our CLI exits 0 (clean) here; KrakenD 0 (Syntax OK!). Anything else is a broken measurement.
      const bad = runs.find((r) => r.status !== 0);
      if (bad) throw new Error(`${tool} at ${n} endpoints exited ${bad.status}: ${bad.stderr.slice(0, 500)}`);
      median.set(tool, percentile(runs.map((r) => r.ms), 50));
    }
    results.set(String(n), median);
    const f = (t: Tool): string => (median.has(t) ? median.get(t)!.toFixed(0) : '—');
    const ratio = (median.get('cli')! / median.get('bare')!).toFixed(1);
    const base = BASELINE ? ` ${f('base')} (${(median.get('base')! / median.get('bare')!).toFixed(1)}×) | ${f('baseCached')} |` : '';
    rows.push(`| ${n.toLocaleString('en-US')} | ${text.length.toLocaleString('en-US')} | ${f('bare')} |${base} **${f('cli')}** | ${ratio}× | ${f('cliCached')} | ${f('krakend')} | ${f('krakendT')} |`);
  }
  const baseHead = BASELINE ? ' baseline CLI, bundled schema | baseline CLI, cached v2.13 |' : '';
  console.log(`\n| endpoints | bytes | bare node read + \`JSON.parse\` |${baseHead} our CLI, bundled schema | ratio to bare | our CLI, cached v2.13 | \`krakend check -c\` | \`krakend check -t -c\` |`);
  console.log(`| --- | --- | --- |${BASELINE ? ' --- | --- |' : ''} --- | --- | --- | --- | --- |`);
  for (const r of rows) console.log(r);
  const big = results.get('5000')!;
  console.log(`\nratio at 5,000 endpoints: ${(big.get('cli')! / big.get('bare')!).toFixed(2)} (target ≤ 4)`);
  if (krakend) {
    for (const n of SIZES) {
      const m = results.get(String(n))!;
      console.log(`${n} endpoints: our CLI ${m.get('cli')!.toFixed(0)} ms vs krakend check -c ${m.get('krakend')!.toFixed(0)} ms: ${m.get('cli')! < m.get('krakend')! ? 'faster' : 'slower'}`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

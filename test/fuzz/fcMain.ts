// `npm run fuzz:fc [-- options]`: the Flexible Configuration differential. Generates FC projects
// and renders each with the real KrakenD (FC_OUT) and with KrakenD Live's engine; every project
// must come out byte for byte the same, or fail with the same Go error text.
//
//   --count N    projects to run (default 1000)
//   --seed S     the run's seed (default: a fresh one, printed)
//   --start I    the first project number (default 0)
//   --jobs J     KrakenD processes at a time (default 2)
//   --print      print each project's files (with --count 1 to look at one)
//   --save DIR   write each disagreeing project to DIR/p<I>/ to look at by hand
// Exit status: 0 when every project agreed, 1 when one did not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { krakendCli } from '../support/krakend';
import { runMany, writeProject } from './fc/differential';
import { generateProject } from './fc/generate';
import { freshSeed } from './random';

interface Args {
  count: number;
  seed: number;
  start: number;
  jobs: number;
  print: boolean;
  save?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { count: 1000, seed: freshSeed(), start: 0, jobs: 2, print: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${a} takes a non-negative integer`);
      return v;
    };
    if (a === '--count') args.count = num();
    else if (a === '--seed') args.seed = num() >>> 0;
    else if (a === '--start') args.start = num();
    else if (a === '--jobs') args.jobs = Math.max(1, num());
    else if (a === '--print') args.print = true;
    else if (a === '--save') args.save = resolve(argv[++i] ?? '.');
    else throw new Error(`unknown option ${a}`);
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.print) {
    for (let i = args.start; i < args.start + args.count; i++) console.log(JSON.stringify(generateProject(args.seed, i), null, 2));
    return 0;
  }
  const cli = krakendCli();
  const root = mkdtempSync(join(tmpdir(), 'krakend-live-fuzz-fc-'));
  console.log(`fuzz:fc seed ${args.seed}, projects ${args.start}..${args.start + args.count - 1}, ${args.jobs} jobs, KrakenD ${cli.version} (${cli.description})`);
  const started = performance.now();
  let done = 0;
  let failed = 0;
  try {
    const results = await runMany(cli, root, args.seed, args.start, args.count, args.jobs, generateProject, (r) => {
      done++;
      if (r.disagreement) {
        failed++;
        console.log(`\nproject ${r.index} (--seed ${args.seed} --start ${r.index} --count 1): ${r.disagreement}`);
        if (args.save) writeProject(join(args.save, `p${r.index}`), generateProject(args.seed, r.index));
      }
      if (done % 100 === 0) console.log(`${done} projects, ${failed} disagreeing, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    });
    const seconds = (performance.now() - started) / 1000;
    const rendered = results.filter((r) => r.rendered).length;
    console.log(`\nfuzz:fc seed ${args.seed}: ${results.length - failed}/${results.length} projects agree (${rendered} rendered by KrakenD, ${results.length - rendered} failed on both sides or disagreed) in ${seconds.toFixed(1)} s, ${(results.length / seconds).toFixed(1)} projects/s`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);

// `npm run fuzz [-- options]`: the checker fuzzer. Bounded by count and/or time, seeded and
// reproducible: the seed is printed, and `--seed S --start I --count 1 --print` shows input I.
//
//   --count N    inputs to run (default 100000)
//   --time S     stop after S seconds, whichever bound comes first
//   --seed S     the run's seed (default: a fresh one, printed)
//   --start I    the first input number (default 0)
//   --shrink     shrink each finding's input before reporting it (default on; --no-shrink)
//   --save       write each finding's (shrunk) input to test/fixtures/fuzz/
//   --print      print every input's recipe and text (with --count 1 to look at one)
// Exit status: 0 when nothing broke, 1 when something did.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { loadSeeds } from './corpus';
import { generateInput } from './generate';
import { runFuzz } from './engine';
import type { Finding } from './engine';
import { freshSeed } from './random';
import { standardTargets } from './targets';

const REPO_ROOT = resolve(__dirname, '..', '..');

interface Args {
  count?: number;
  timeMs?: number;
  seed: number;
  start: number;
  shrink: boolean;
  save: boolean;
  print: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { seed: freshSeed(), start: 0, shrink: true, save: false, print: false };
  let count: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} takes a non-negative number`);
      return v;
    };
    if (a === '--count') count = num();
    else if (a === '--time') args.timeMs = num() * 1000;
    else if (a === '--seed') args.seed = num() >>> 0;
    else if (a === '--start') args.start = num();
    else if (a === '--shrink') args.shrink = true;
    else if (a === '--no-shrink') args.shrink = false;
    else if (a === '--save') args.save = true;
    else if (a === '--print') args.print = true;
    else throw new Error(`unknown option ${a}`);
  }
  // A time bound alone runs until the time is up; otherwise the count bounds the run.
  if (count !== undefined || args.timeMs === undefined) args.count = count ?? 100_000;
  return args;
}

function show(f: Finding): string {
  const text = f.shrunk ?? f.input.text;
  const preview = text.length > 400 ? `${JSON.stringify(text.slice(0, 400))}… (${text.length} units)` : JSON.stringify(text);
  return [
    `FINDING ${f.signature}`,
    `  first at input ${f.index} (${f.input.kind}): ${f.input.recipe.join(' → ')}`,
    ...f.violations.map((v) => `  ${v.target} ${v.kind}: ${v.message}`),
    `  ${f.shrunk !== undefined ? 'shrunk' : 'input'}: ${preview}`,
  ].join('\n');
}

function save(f: Finding): string {
  const text = f.shrunk ?? f.input.text;
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'fuzz');
  mkdirSync(dir, { recursive: true });
  const name = `found-${createHash('sha256').update(text).digest('hex').slice(0, 10)}.${f.input.kind}`;
  writeFileSync(join(dir, name), text);
  return join('test', 'fixtures', 'fuzz', name);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const seeds = loadSeeds(REPO_ROOT);
  const bounds = [args.count !== undefined ? `${args.count} inputs` : '', args.timeMs !== undefined ? `${args.timeMs / 1000} s` : ''].filter(Boolean).join(' or ');
  console.log(`fuzz: seed ${args.seed}, inputs from ${args.start}, bounded by ${bounds}; ${seeds.length} seeds from test/fixtures`);
  console.log(`fuzz: reproduce with: npm run fuzz -- --seed ${args.seed} --start ${args.start}${args.count !== undefined ? ` --count ${args.count}` : ''}`);
  if (args.print) {
    for (let i = args.start; i < args.start + (args.count ?? 1); i++) {
      const input = generateInput(args.seed, i, seeds);
      console.log(`--- input ${i} (${input.kind}): ${input.recipe.join(' → ')}\n${input.text}`);
    }
  }
  const t = performance.now();
  const targets = await standardTargets(REPO_ROOT);
  console.log(`fuzz: targets ${targets.map((x) => x.name).join(', ')} ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const report = await runFuzz({
    seed: args.seed,
    start: args.start,
    count: args.count,
    timeMs: args.timeMs,
    seeds,
    targets,
    shrink: args.shrink,
    onProgress: (done, ms) => console.log(`fuzz: ${done} inputs, ${((done * 1000) / ms).toFixed(0)} inputs/s`),
    onFinding: (f) => {
      console.log(show(f));
      if (args.save) console.log(`  saved as ${save(f)}`);
    },
  });
  const rate = (report.inputs * 1000) / report.ms;
  console.log(`fuzz: ${report.inputs} inputs in ${(report.ms / 1000).toFixed(1)} s (${rate.toFixed(0)} inputs/s), seed ${report.seed}, ${report.findings.length} distinct findings`);
  console.log(`fuzz: strategies ${Object.entries(report.strategies).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`fuzz: slowest inputs: ${report.slowest.map((s) => `#${s.index} ${s.ms.toFixed(0)} ms (${s.bytes} units: ${s.recipe.join(" → ")})`).join('; ')}`);
  for (const f of report.findings) console.log(`fuzz: ${f.count}× ${f.signature}`);
  return report.findings.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 2;
  },
);

/**
 * The fuzz loop: generate input i of the run, run it through every target that takes its kind,
 * collect what broke, group findings by cause and shrink one input per cause.
 */
import type { Seed } from './corpus';
import { generateInput } from './generate';
import type { FuzzInput } from './generate';
import { lineLengths, runTarget } from './targets';
import type { FuzzTarget, Violation } from './targets';

export interface FuzzOptions {
  readonly seed: number;
  /** Stop after this many inputs. */
  readonly count?: number;
  /** Stop after this many milliseconds. */
  readonly timeMs?: number;
  /** Start at this input number (to resume, or with count 1 to replay one input). */
  readonly start?: number;
  readonly seeds: readonly Seed[];
  readonly targets: readonly FuzzTarget[];
  /** Shrink each new finding's input to a smaller one that still shows it. */
  readonly shrink?: boolean;
  /** Stop once this many distinct findings are known. */
  readonly maxFindings?: number;
  readonly onProgress?: (done: number, elapsedMs: number) => void;
  readonly onFinding?: (finding: Finding) => void;
}

export interface Finding {
  /** Target, kind and the message with numbers blanked out: one per bug, roughly. */
  readonly signature: string;
  readonly index: number;
  readonly input: FuzzInput;
  readonly violations: readonly Violation[];
  /** The shrunk text, when shrinking was asked for. */
  readonly shrunk?: string;
  /** How many inputs showed this signature. */
  count: number;
}

export interface FuzzReport {
  readonly seed: number;
  readonly start: number;
  readonly inputs: number;
  readonly ms: number;
  readonly findings: readonly Finding[];
  /** The slowest inputs, for a look at pathological cases (not a failure). */
  readonly slowest: readonly { index: number; ms: number; bytes: number; recipe: readonly string[] }[];
  /** Inputs per strategy, to see the generator's spread. */
  readonly strategies: Readonly<Record<string, number>>;
}

export function signatureOf(v: Violation): string {
  const msg = v.message
    .replace(/\(.*\)$/, '') // stack frames: the same bug reached from several places is one finding
    .replace(/'[^']*'|"[^"]*"|`[^`]*`/g, 'S')
    .replace(/\d+/g, 'N');
  return `${v.target} ${v.kind}: ${msg.slice(0, 160)}`;
}

/** All violations of one input across the targets that take its kind. */
export async function checkInput(input: FuzzInput, targets: readonly FuzzTarget[]): Promise<Violation[]> {
  const lines = lineLengths(input.text);
  const out: Violation[] = [];
  for (const t of targets) if (t.kinds.includes(input.kind)) out.push(...(await runTarget(t, input, lines)));
  return out;
}

/**
 * Deletes chunks of the text, halving the chunk size, while the signature still shows; then
 * lines. Bounded by attempts so a slow input cannot stall the run.
 */
export async function shrinkInput(input: FuzzInput, signature: string, targets: readonly FuzzTarget[], maxAttempts = 1500): Promise<string> {
  const relevant = targets.filter((t) => signature.startsWith(`${t.name} `));
  const still = async (text: string): Promise<boolean> => (await checkInput({ ...input, text }, relevant)).some((v) => signatureOf(v) === signature);
  let text = input.text;
  let attempts = 0;
  for (let chunk = Math.max(1, text.length >> 1); chunk >= 1 && attempts < maxAttempts; chunk = chunk === 1 ? 0 : chunk >> 1) {
    for (let i = 0; i < text.length && attempts < maxAttempts; ) {
      const candidate = text.slice(0, i) + text.slice(i + chunk);
      attempts++;
      if (candidate !== text && (await still(candidate))) text = candidate;
      else i += chunk;
    }
  }
  return text;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const start = options.start ?? 0;
  const end = options.count === undefined ? Number.POSITIVE_INFINITY : start + options.count;
  const deadline = options.timeMs === undefined ? Number.POSITIVE_INFINITY : started + options.timeMs;
  const findings = new Map<string, Finding>();
  const slowest: { index: number; ms: number; bytes: number; recipe: readonly string[] }[] = [];
  const strategies: Record<string, number> = {};
  let lastProgress = started;
  let i = start;
  for (; i < end && performance.now() < deadline; i++) {
    let input: FuzzInput;
    try {
      input = generateInput(options.seed, i, options.seeds);
    } catch (e) {
      // A bug of the fuzzer's own, reported like any finding so a long run is not lost to it.
      const v: Violation = { target: 'generate', kind: 'throw', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
      const signature = signatureOf(v);
      const known = findings.get(signature);
      if (known) known.count++;
      else findings.set(signature, { signature, index: i, input: { kind: 'json', text: '', recipe: ['(not generated)'] }, violations: [v], count: 1 });
      continue;
    }
    const strategy = input.recipe.find((r) => /^(tree|text|scratch|nest|tree\+text|seed)$/.test(r)) ?? '?';
    strategies[strategy] = (strategies[strategy] ?? 0) + 1;
    const t = performance.now();
    const violations = await checkInput(input, options.targets);
    const ms = performance.now() - t;
    if (slowest.length < 5 || ms > slowest[slowest.length - 1]!.ms) {
      slowest.push({ index: i, ms, bytes: input.text.length, recipe: input.recipe });
      slowest.sort((a, b) => b.ms - a.ms);
      slowest.length = Math.min(slowest.length, 5);
    }
    for (const v of violations) {
      const signature = signatureOf(v);
      const known = findings.get(signature);
      if (known) {
        known.count++;
        continue;
      }
      const shrunk = options.shrink ? await shrinkInput(input, signature, options.targets) : undefined;
      const finding: Finding = { signature, index: i, input, violations: violations.filter((x) => signatureOf(x) === signature), count: 1, ...(shrunk !== undefined ? { shrunk } : {}) };
      findings.set(signature, finding);
      options.onFinding?.(finding);
    }
    if (options.maxFindings !== undefined && findings.size >= options.maxFindings) {
      i++;
      break;
    }
    const now = performance.now();
    if (options.onProgress && now - lastProgress > 10_000) {
      lastProgress = now;
      options.onProgress(i + 1 - start, now - started);
    }
  }
  return { seed: options.seed, start, inputs: i - start, ms: performance.now() - started, findings: [...findings.values()], slowest, strategies };
}

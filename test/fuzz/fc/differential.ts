/**
 * One generated FC project, rendered twice: by the real KrakenD (`FC_ENABLE=1 krakend check -c`,
 * the output read back from FC_OUT as bytes) and by the server's render path (renderProject with
 * in-memory readers), then compared byte for byte, or error against error with Go's error text.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderProject } from '../../../server/src/core/flexible';
import { goStringBytes } from '../../../server/src/core/go/utf8';
import type { KrakendCli } from '../../support/krakend';
import type { FcProject } from './generate';

/** What Go's runtime prints when a goroutine's stack passes its 1 GB limit; KrakenD dies. */
const GO_OVERFLOW = 'fatal error: stack overflow';

/**
 * Our report that KrakenD would die there (GoStackOverflow in value.ts), by what it says Go
 * was doing, and the Go function that then fills KrakenD's stack trace: the same condition.
 */
const OVERFLOWS: readonly { readonly ours: string; readonly goFrame: string }[] = [
  { ours: 'so printing it never ends', goFrame: 'fmt.(*pp).printValue(' },
  { ours: 'so merging it never ends', goFrame: 'mergo.deepMerge(' },
  { ours: 'so copying it never ends', goFrame: 'copystructure' },
];

/**
 * A value that contains itself, deep-copied: Go's copystructure takes many minutes to reach the
 * stack limit, so KrakenD is still working when our timeout ends it.
 */
function sameHang(real: Outcome, ours: string): boolean {
  return !real.ok && real.ended === 'timeout' && ours.startsWith('template: ') && ours.includes('so copying it never ends');
}

/** A sequence too long for us (RenderLimit): KrakenD tries to build it and runs out of memory. */
function sameExhaustion(real: Outcome, ours: string): boolean {
  if (real.ok || !ours.startsWith('template: ') || !ours.includes('may run out of memory')) return false;
  return real.ended === 'killed' || real.error.includes('fatal error: out of memory') || real.error.includes('fatal error: runtime: out of memory');
}

/**
 * KrakenD's address space, in KiB (ulimit -v): a template that builds without end then ends
 * in Go's "fatal error: out of memory" within seconds, instead of filling a shared machine's
 * memory until the kernel kills something.
 */
const KRAKEND_MEMORY_KIB = 8_000_000;

/** Whether both sides overflow Go's stack, and for the same reason. */
function sameOverflow(real: Buffer, ours: string): boolean {
  if (!real.includes(GO_OVERFLOW) || !ours.startsWith('template: ') || !ours.includes(GO_OVERFLOW)) return false;
  const o = OVERFLOWS.find((x) => ours.includes(x.ours));
  return o !== undefined && real.includes(o.goFrame);
}

/**
 * What one side made of a project: the rendered bytes, or the error text; for KrakenD also
 * how its process ended when it did not exit by itself (our timeout, or a kill from outside,
 * such as the kernel's when memory runs out).
 */
export type Outcome = { readonly ok: true; readonly out: Buffer } | { readonly ok: false; readonly error: Buffer; readonly ended?: 'timeout' | 'killed' };

/** The codes of problems that stop KrakenD before FC_OUT is written. */
const FATAL = new Set(['template/syntax', 'template/exec', 'template/settings', 'template/unsupported-function', 'internal/error']);

function normalize(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}

/** Our render of the project, through the same entry point the language server uses, at `now`. */
export function renderOurs(p: FcProject, now: Date = new Date()): Outcome {
  const files = new Map(Object.entries(p.files).map(([k, v]) => [normalize(k), v]));
  const r = renderProject({
    mainPath: p.main,
    mainText: p.files[p.main]!,
    options: p.folders,
    readers: {
      listDir: (d) => {
        const prefix = `${normalize(d)}/`;
        const names = new Set<string>();
        for (const k of files.keys()) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
        return names.size > 0 ? [...names] : undefined;
      },
      readFile: (path) => files.get(normalize(path)),
      env: (n) => p.env[n],
      now: () => now,
    },
  });
  if (r.result) return { ok: true, out: Buffer.from(goStringBytes(r.result.output)) };
  const fatal = r.problems.find((x) => FATAL.has(x.problem.code) || (x.problem.code === 'template/missing-file' && !x.problem.message.startsWith('include ')));
  // Go's error texts may hold raw bytes (an invalid regexp), so they are compared as bytes.
  return { ok: false, error: Buffer.from(goStringBytes(fatal?.problem.message ?? `no output and no error: ${r.problems.map((x) => x.problem.code).join(', ')}`)) };
}

/** Writes the project under `dir` (which must not exist yet). */
export function writeProject(dir: string, p: FcProject): void {
  for (const [path, text] of Object.entries(p.files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  // An empty folder is still a folder to both sides.
  for (const f of Object.values(p.folders)) if (f && f !== 'missing-folder') mkdirSync(join(dir, f), { recursive: true });
}

/** KrakenD's render: FC_OUT's bytes, or the template or settings error it logged. */
export function runKrakend(cli: KrakendCli, dir: string, p: FcProject, timeoutMs = 120_000): Promise<Outcome> {
  const out = join(dir, 'fc-out.json');
  const env: Record<string, string> = { FC_ENABLE: '1', FC_OUT: out, ...p.env };
  if (p.folders.settings) env.FC_SETTINGS = p.folders.settings;
  if (p.folders.partials) env.FC_PARTIALS = p.folders.partials;
  if (p.folders.templates) env.FC_TEMPLATES = p.folders.templates;
  const c = cli.command(['check', '-c', p.main], { cwd: dir, env });
  // Only what the project sets: the binary must not see this process's FC_* or TZ.
  const docker = c.file.endsWith('docker');
  const childEnv = docker ? c.env : { PATH: process.env.PATH ?? '/usr/bin:/bin', USAGE_DISABLE: '1', ...env };
  const [file, args] = docker ? [c.file, c.args] : ['/bin/sh', ['-c', `ulimit -v ${KRAKEND_MEMORY_KIB} && exec "$0" "$@"`, c.file, ...c.args]];
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: dir, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stderr.on('data', (d: Buffer) => chunks.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      if (existsSync(out)) resolve({ ok: true, out: readFileSync(out) });
      else if (timedOut || signal === 'SIGKILL') resolve({ ok: false, error: Buffer.concat(chunks), ended: timedOut ? 'timeout' : 'killed' });
      else resolve({ ok: false, error: Buffer.concat(chunks) });
    });
  });
}

/** Why the two outcomes differ, or undefined when they agree. */
export function compareOutcomes(real: Outcome, ours: Outcome): string | undefined {
  if (real.ok && ours.ok) {
    if (real.out.equals(ours.out)) return undefined;
    let i = 0;
    while (i < real.out.length && i < ours.out.length && real.out[i] === ours.out[i]) i++;
    const around = (b: Buffer): string => JSON.stringify(b.subarray(Math.max(0, i - 40), i + 60).toString('latin1'));
    return `output differs at byte ${i}:\n  krakend: ${around(real.out)}\n  ours:    ${around(ours.out)}`;
  }
  const text = (b: Buffer): string => b.toString('utf8').trim();
  if (real.ok) return `KrakenD rendered, we failed:\n  ours: ${text((ours as { error: Buffer }).error)}`;
  if (ours.ok) return `we rendered, KrakenD failed:\n  krakend: ${text(real.error)}`;
  // A value that contains itself (`set $m "k" $m`) overflows Go's stack and KrakenD dies with a
  // trace rather than an error; ours must say that it would, and why.
  if (sameOverflow(real.error, text(ours.error)) || sameHang(real, text(ours.error)) || sameExhaustion(real, text(ours.error))) return undefined;
  // KrakenD logs Go's error verbatim (after a timestamp); ours must be that text.
  return real.error.includes(ours.error) ? undefined : `errors differ:\n  krakend: ${text(real.error)}\n  ours:    ${text(ours.error)}`;
}

export interface ProjectResult {
  readonly index: number;
  readonly disagreement?: string;
  /** Whether KrakenD rendered it (false: an error on both sides, or a disagreement). */
  readonly rendered: boolean;
}

/** Renders one project both ways in a fresh folder under `root`; removes the folder after. */
export async function differential(cli: KrakendCli, root: string, index: number, p: FcProject): Promise<ProjectResult> {
  const dir = join(root, `p${index}`);
  rmSync(dir, { recursive: true, force: true });
  writeProject(dir, p);
  try {
    // KrakenD's clock read somewhere in [before, after]: a template that prints the time (date
    // falls back to now) agrees if ours agrees at either end.
    const before = new Date();
    const real = await runKrakend(cli, dir, p);
    const after = new Date();
    let d = compareOutcomes(real, renderOurs(p, after));
    if (d !== undefined && compareOutcomes(real, renderOurs(p, before)) === undefined) d = undefined;
    return d === undefined ? { index, rendered: real.ok } : { index, rendered: real.ok, disagreement: d };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `count` projects from `start`, `jobs` KrakenD processes at a time. */
export async function runMany(cli: KrakendCli, root: string, seed: number, start: number, count: number, jobs: number, generate: (seed: number, i: number) => FcProject, onResult?: (r: ProjectResult) => void): Promise<ProjectResult[]> {
  const results: ProjectResult[] = [];
  let next = start;
  const worker = async (): Promise<void> => {
    while (next < start + count) {
      const i = next++;
      const r = await differential(cli, root, i, generate(seed, i));
      results.push(r);
      onResult?.(r);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return results.sort((a, b) => a.index - b.index);
}

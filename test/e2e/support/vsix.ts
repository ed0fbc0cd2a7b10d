/**
 * The .vsix under test is the one users install: `npm run package` (production bundles + vsce).
 * It is built once per change of its inputs; the stamp lets the e2e files (one process each) share it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './processes';
import { ensureArtifactsDir, repoRoot } from './paths';

const inputs = ['client/src', 'server/src', 'shared', 'schemas', 'syntaxes', 'media', 'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'esbuild.mjs'];

function listFiles(path: string, out: string[]): void {
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (!st.isDirectory()) {
    out.push(`${path}:${st.size}:${st.mtimeMs}`);
    return;
  }
  for (const name of readdirSync(path).sort()) listFiles(join(path, name), out);
}

function inputsHash(): string {
  const entries: string[] = [];
  for (const input of inputs) listFiles(join(repoRoot, input), entries);
  return createHash('sha256').update(entries.join('\n')).digest('hex');
}

export function vsixPath(): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  return join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
}

/** Builds `krakend-live-<version>.vsix` unless an up-to-date one exists (or $KRAKEND_E2E_VSIX names one); returns its path. */
export async function ensureVsix(): Promise<string> {
  // Testing a package built elsewhere (a release candidate, a CI artifact) instead of this tree.
  const given = process.env.KRAKEND_E2E_VSIX;
  if (given) {
    if (!existsSync(given)) throw new Error(`KRAKEND_E2E_VSIX=${given} does not exist`);
    return given;
  }
  const path = vsixPath();
  const stampFile = join(ensureArtifactsDir(), '.vsix-stamp');
  const hash = inputsHash();
  if (existsSync(path) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) return path;
  await run('npm', ['run', 'package'], { cwd: repoRoot, timeoutMs: 240_000 });
  if (!existsSync(path)) throw new Error(`npm run package did not produce ${path}`);
  writeFileSync(stampFile, hash);
  return path;
}

/** The files `vsce ls` says the package holds, sorted. */
export async function vsceList(): Promise<string[]> {
  const out = await run('npx', ['--no-install', 'vsce', 'ls', '--no-dependencies'], { cwd: repoRoot, timeoutMs: 60_000 });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .sort();
}

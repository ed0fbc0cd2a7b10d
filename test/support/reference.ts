// The shared reference material (upstream schemas, KrakenD's behaviour notes) lives in `shared/`
// next to the checkout: ../shared for the main checkout, ../../shared for a worktree under
// /work/wt/<name>. Tests read it from there and never copy it into the repository.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..');

/** The nearest `shared/reference` above the repository, or the ../shared one (missing) when none exists. */
export function referenceDir(): string {
  for (let dir = dirname(REPO_ROOT); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'reference');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return resolve(REPO_ROOT, '..', 'shared', 'reference');
  }
}

/** The upstream KrakenD schema of a version folder (`v2.13`, `v2.0`). */
export function upstreamSchemaPath(version: string): string {
  return join(referenceDir(), 'krakend-schema', version, 'krakend.json');
}

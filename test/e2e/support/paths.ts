/** Fixed locations used by the e2e harness. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..', '..');
/** Git-ignored: screenshots, logs, durations. */
export const artifactsDir = join(repoRoot, 'test', 'e2e', 'artifacts');
export const examplesDir = join(repoRoot, 'examples');

export function ensureArtifactsDir(): string {
  mkdirSync(artifactsDir, { recursive: true });
  return artifactsDir;
}

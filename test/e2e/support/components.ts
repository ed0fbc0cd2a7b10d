/**
 * Where the real code-server and Chromium are. They come from the test-environment setup
 * (scripts/test-env.sh → test/.env.json, read through test/support/env.ts); a missing one fails
 * the test with that module's message instead of being skipped.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { requireComponent } from '../../support/env';

export interface EditorComponents {
  /** code-server's `out/node/entry.js`, run with this Node. */
  readonly codeServerEntry: string;
  readonly chromium: string;
}

function pathFrom(value: unknown, keys: readonly string[]): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    for (const key of keys) {
      const v = (value as Record<string, unknown>)[key];
      if (typeof v === 'string') return v;
    }
  }
  return undefined;
}

/** The code-server entry script, whether the environment names the entry or the install folder. */
function entryOf(path: string): string {
  if (path.endsWith('.js')) return path;
  for (const candidate of [
    join(path, 'out', 'node', 'entry.js'),
    join(path, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  return path;
}

export function editorComponents(): EditorComponents {
  const codeServer = requireComponent('code-server') as unknown;
  const chromium = requireComponent('chromium') as unknown;
  const entry = pathFrom(codeServer, ['entry', 'path', 'dir', 'home']);
  const browser = pathFrom(chromium, ['path', 'executable', 'bin']);
  if (!entry || !existsSync(entryOf(entry))) throw new Error(`code-server from test/.env.json has no usable entry.js: ${JSON.stringify(codeServer)}`);
  if (!browser || !existsSync(browser)) throw new Error(`chromium from test/.env.json is not an executable path: ${JSON.stringify(chromium)}`);
  return { codeServerEntry: entryOf(entry), chromium: browser };
}

// The real test environment, as `npm run test:env` (scripts/test-env.sh) found it. Tests ask for the
// parts they need with requireComponent, which fails with the setup script's reason instead of
// letting a test trip over a missing binary or image somewhere deeper.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a component's setup left it. `detail` says what is ready; `reason` says why it is not. */
export interface ComponentBase {
  status: 'ready' | 'failed';
  detail: string;
  reason: string;
}

/** The fields scripts/test-env.sh records for each component, beyond ComponentBase. */
export interface ComponentFields {
  apt: { packages: string };
  /** The daemon answers GET /_ping and the test image exists (no image can be pulled here). */
  docker: { socket: string; engineVersion: string; apiVersion: string; startedBy: string; testImage: string };
  'test-image': { image: string };
  krakend: { binary: string; version: string };
  reflex: { binary: string; version: string };
  /** krakend:2.13 (official-image shape) and krakend:watch (krakend-watch shape), built locally. */
  'krakend-images': { image: string; watchImage: string; version: string };
  'code-server': { entry: string; dir: string; version: string; node: string };
  chromium: { executable: string; version: string };
  playwright: { version: string };
}

export type ComponentName = keyof ComponentFields;
export type Component<K extends ComponentName> = ComponentBase & ComponentFields[K];

interface EnvFile {
  generatedAt: string;
  cache: string;
  components: Partial<Record<string, ComponentBase & Record<string, string>>>;
}

/** test/.env.json, or the file KRAKEND_LIVE_TEST_ENV names (the runner passes the same override on). */
export const envFilePath = process.env.KRAKEND_LIVE_TEST_ENV ?? join(__dirname, '..', '.env.json');
const setupHint = 'run `npm run test:env`';

let cached: EnvFile | undefined;

/** Reads test/.env.json once per process. Throws with the setup hint when it is missing or unreadable. */
export function loadEnv(): EnvFile {
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(envFilePath, 'utf8');
  } catch (err) {
    throw new Error(`test environment unknown: ${envFilePath} cannot be read (${(err as Error).message}); ${setupHint}`);
  }
  const parsed = JSON.parse(text) as EnvFile;
  if (typeof parsed.components !== 'object') throw new Error(`${envFilePath} has no components; ${setupHint}`);
  cached = parsed;
  return parsed;
}

/**
 * The named component's details when the setup script found it ready. Otherwise throws an Error
 * naming the component and the setup script's exact reason, so the failing test says what is
 * missing and how to get it.
 */
export function requireComponent<K extends ComponentName>(name: K): Component<K> {
  const env = loadEnv();
  const c = env.components[name];
  if (!c) {
    throw new Error(`component ${name} is not in ${envFilePath} (written ${env.generatedAt}); ${setupHint}`);
  }
  if (c.status !== 'ready') {
    throw new Error(`component ${name} is not available: ${c.reason || 'no reason recorded'}; ${setupHint} (state from ${env.generatedAt})`);
  }
  return c as unknown as Component<K>;
}

interface Blocked {
  readonly issue: number;
  readonly reason: string;
}

/**
 * For benchmarks, which run outside the test runner: true when every component in `needs` is
 * ready. Otherwise prints one BLOCKED or FAILED line per missing component and sets the exit
 * code: 0 when each missing one is listed in test/blocked.json (nothing to measure on this
 * machine), 1 when one is missing that should be there.
 */
export function benchCanRun(bench: string, needs: readonly ComponentName[]): boolean {
  const blockedPath = process.env.KRAKEND_LIVE_BLOCKED ?? join(__dirname, '..', 'blocked.json');
  let blocked: Partial<Record<string, Blocked>> = {};
  try {
    blocked = JSON.parse(readFileSync(blockedPath, 'utf8')) as Record<string, Blocked>;
  } catch {
    // No blocked.json: every missing component is a failure.
  }
  let env: EnvFile | undefined;
  try {
    env = loadEnv();
  } catch (err) {
    console.log(`${bench}: ${(err as Error).message}`);
  }
  let ok = true;
  let unexpected = false;
  for (const name of needs) {
    const c = env?.components[name];
    if (c?.status === 'ready') continue;
    ok = false;
    const block = blocked[name];
    const why = c?.reason || block?.reason || 'unknown state';
    if (block) {
      console.log(`BLOCKED ${bench}: needs ${name} — ${why} (issue #${block.issue})`);
    } else {
      unexpected = true;
      console.log(`FAILED ${bench}: needs ${name} — ${why}; ${setupHint}`);
    }
  }
  if (!ok) {
    console.log(unexpected ? `${bench} did not run: a component it needs is missing.` : `${bench} did not run: nothing was measured on this machine.`);
    process.exitCode = unexpected ? 1 : 0;
  }
  return ok;
}

// The real test environment, as `npm run test:env` (scripts/test-env.sh) found it. Tests ask for the
// parts they need with requireComponent, which fails with the setup script's reason instead of
// letting a test trip over a missing binary or image somewhere deeper.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a component's setup left it. `detail` says what is ready; `reason` says why it is not. */
export interface ComponentBase {
  /**
   * `missing`: a part the project only finds and never installs (KrakenD) is not on this machine,
   * or an optional engine (sshd, podman) cannot be installed or cannot run here.
   */
  status: 'ready' | 'failed' | 'missing';
  detail: string;
  reason: string;
}

/** The fields scripts/test-env.sh records for each component, beyond ComponentBase. */
export interface ComponentFields {
  apt: { packages: string };
  /** The daemon answers GET /_ping and the test image exists (no image can be pulled here). */
  docker: { socket: string; engineVersion: string; apiVersion: string; startedBy: string; testImage: string };
  'test-image': { image: string };
  /**
   * A real KrakenD, as test-env found it: `binary` when a binary was found (KRAKEND_BIN, the cache,
   * the Go module proxy), else '' and `image` runs it (a local or pulled image). Run it through
   * test/support/krakend.ts, which handles both.
   */
  krakend: { binary: string; image: string; source: string; version: string };
  reflex: { binary: string; version: string };
  /** krakend:2.13 (found, or built around the found binary) and krakend:watch (reflex on top of it). */
  'krakend-images': { image: string; watchImage: string; version: string };
  /** docker compose (Debian's docker-compose 1.29), found on PATH; never installed by test-env. */
  compose: { binary: string; version: string };
  'code-server': { entry: string; dir: string; version: string; node: string };
  chromium: { executable: string; version: string };
  playwright: { version: string };
  /** OpenSSH's server (tests start their own) and the user ssh:// engines log in as, in the docker group. */
  sshd: { binary: string; user: string; version: string };
  /** Podman, rootful: tests start `podman system service` with CONTAINERS_CONF=`conf`; our images are loaded. */
  podman: { version: string; image: string; watchImage: string; conf: string };
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

/**
 * For benchmarks, which run outside the test runner: true when every component in `needs` is
 * ready. Otherwise prints one line per component that is not: `NOT MEASURED` for one the project
 * only finds (KrakenD; the exit code stays 0, there is nothing to measure on this machine) and
 * `FAILED` for one the setup should have installed (the exit code becomes 1).
 */
export function benchCanRun(bench: string, needs: readonly ComponentName[]): boolean {
  let env: EnvFile | undefined;
  try {
    env = loadEnv();
  } catch (err) {
    console.log(`${bench}: ${(err as Error).message}`);
  }
  let ok = true;
  for (const name of needs) {
    const c = env?.components[name];
    if (c?.status === 'ready') continue;
    ok = false;
    const why = c?.reason || 'unknown state';
    if (c?.status === 'missing') {
      console.log(`NOT MEASURED ${bench}: needs ${name} — ${why}`);
    } else {
      process.exitCode = 1;
      console.log(`FAILED ${bench}: needs ${name} — ${why}; ${setupHint}`);
    }
  }
  return ok;
}

/**
 * The few Docker facts the gateway scenarios check, through the docker CLI. Only containers with
 * the extension's label and a mount inside this session's folders are looked at or removed, so
 * other tests' containers are never touched.
 */
import { spawnSync } from 'node:child_process';
import { run } from './processes';

export const OWNED_LABEL = 'dev.krakend-live.owned=true';

interface Inspected {
  readonly Id: string;
  readonly State: { readonly Running: boolean; readonly StartedAt: string };
  readonly Mounts: readonly { readonly Source: string }[];
  readonly Config: { readonly Labels: Readonly<Record<string, string>> | null };
}

async function inspectOwned(): Promise<Inspected[]> {
  const ids = (await run('docker', ['ps', '-aq', '--filter', `label=${OWNED_LABEL}`], { timeoutMs: 15_000 })).split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  try {
    return JSON.parse(await run('docker', ['inspect', ...ids], { timeoutMs: 15_000 })) as Inspected[];
  } catch {
    // Another suite's container went between the listing and the inspect (`No such object`, exit 1):
    // inspect them one by one and leave out the ones that are gone.
    const found: Inspected[] = [];
    for (const id of ids) {
      const one = await run('docker', ['inspect', id], { timeoutMs: 15_000 }).catch(() => undefined);
      if (one !== undefined) found.push(...(JSON.parse(one) as Inspected[]));
    }
    return found;
  }
}

/** Our containers whose mounts come from `home` (the session's user data or workspace). */
export async function sessionContainers(home: string): Promise<Inspected[]> {
  return (await inspectOwned()).filter((c) => c.Mounts.some((m) => m.Source.startsWith(home)));
}

/** `<id>@<StartedAt>` of the session's one running gateway, or undefined when none runs. */
export async function runningGateway(home: string): Promise<string | undefined> {
  const running = (await sessionContainers(home)).filter((c) => c.State.Running);
  if (running.length > 1) throw new Error(`more than one gateway container runs for this session: ${running.map((c) => c.Id).join(', ')}`);
  const c = running[0];
  return c ? `${c.Id.slice(0, 12)}@${c.State.StartedAt}` : undefined;
}

/** Blue/green: the loopback port the session's running KrakenD serves on behind the proxy (its upstream label). */
export async function runningUpstreamPort(home: string): Promise<number> {
  const running = (await sessionContainers(home)).filter((c) => c.State.Running);
  const port = Number(running[0]?.Config.Labels?.['dev.krakend-live.upstream']);
  if (running.length !== 1 || !Number.isInteger(port) || port <= 0) throw new Error(`expected one running blue/green gateway with an upstream port, found ${running.length}`);
  return port;
}

export async function removeSessionContainers(home: string): Promise<void> {
  const ids = (await sessionContainers(home)).map((c) => c.Id);
  if (ids.length > 0) await run('docker', ['rm', '-f', ...ids], { timeoutMs: 60_000 });
}

/** The same as removeSessionContainers, synchronously, for a test process that is being killed. */
export function removeSessionContainersSync(home: string): void {
  const ps = spawnSync('docker', ['ps', '-aq', '--filter', `label=${OWNED_LABEL}`], { encoding: 'utf8', timeout: 10_000 });
  const ids = ps.status === 0 ? ps.stdout.split('\n').filter(Boolean) : [];
  if (ids.length === 0) return;
  const inspect = spawnSync('docker', ['inspect', ...ids], { encoding: 'utf8', timeout: 10_000 });
  if (inspect.status !== 0) return;
  const ours = (JSON.parse(inspect.stdout) as Inspected[]).filter((c) => c.Mounts.some((m) => m.Source.startsWith(home))).map((c) => c.Id);
  if (ours.length > 0) spawnSync('docker', ['rm', '-f', ...ours], { timeout: 30_000 });
}

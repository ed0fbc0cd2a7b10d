/**
 * The docker compose CLI on KrakenD's playground stack (test/support/composeStack.ts writes it) in a
 * session's workspace: a backend service called by name (`fake_api`) and a `krakend_ce` service
 * that mounts `./config/krakend`; the integration tests drive the same stack through the controller.
 *
 * Every container and the stack's network carry the run's test label, so teardown removes exactly
 * them (never by the bare label; other suites share the daemon). The services say
 * `dev.krakend-live.owned: "false"`: the images the test environment builds carry our owned label,
 * a user's stack does not, and the gateway must treat these as the user's.
 */
import { spawnSync } from 'node:child_process';
import { labels } from '../../support/docker';
import { run } from './processes';

/** `docker inspect` of a compose service's container: the part the scenarios read. */
export interface ServiceContainer {
  readonly Id: string;
  readonly State: { readonly Running: boolean; readonly StartedAt: string };
}

/** The compose CLI on one project in one folder, on the test environment's engine. */
export class ComposeStack {
  constructor(
    readonly binary: string,
    readonly dir: string,
    readonly project: string,
    readonly dockerSocket: string,
  ) {}

  /** `docker-compose -p <project> …` in the project's folder, bounded. */
  cmd(args: readonly string[], timeoutMs = 120_000): Promise<string> {
    return run(this.binary, ['-p', this.project, ...args], { cwd: this.dir, timeoutMs, env: { ...process.env, DOCKER_HOST: `unix://${this.dockerSocket}` } });
  }

  /** The container of `service` as compose knows it (running or not). */
  async container(service: string): Promise<ServiceContainer> {
    const id = (await this.cmd(['ps', '-q', service], 30_000)).trim();
    if (!id) throw new Error(`compose service ${service} of ${this.project} has no container`);
    const [c] = JSON.parse(await run('docker', ['inspect', id], { timeoutMs: 15_000 })) as ServiceContainer[];
    if (!c) throw new Error(`docker inspect ${id} returned nothing`);
    return c;
  }
}

/**
 * Removes the run's containers and networks (the stack's, and any of ours the session left) with
 * the docker CLI: it needs no compose file, so it works after the workspace is gone, and
 * synchronously, for a test process that is being killed.
 */
export function removeRunResourcesSync(run: string): void {
  const filter = `label=${labels.test}=${run}`;
  const ids = (args: string[]): string[] => {
    const r = spawnSync('docker', args, { encoding: 'utf8', timeout: 15_000 });
    return r.status === 0 ? r.stdout.split('\n').filter(Boolean) : [];
  };
  const containers = ids(['ps', '-aq', '--filter', filter]);
  if (containers.length > 0) spawnSync('docker', ['rm', '-f', '-v', ...containers], { timeout: 60_000 });
  const networks = ids(['network', 'ls', '-q', '--filter', filter]);
  if (networks.length > 0) spawnSync('docker', ['network', 'rm', ...networks], { timeout: 30_000 });
}

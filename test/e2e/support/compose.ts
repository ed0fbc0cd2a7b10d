/**
 * A docker compose stack shaped like KrakenD's playground, written into a session's workspace: a
 * backend service called by name (`fake_api`, busybox httpd serving `data/`) and a `krakend_ce`
 * service that mounts `./config/krakend` at `/etc/krakend` and publishes 8080 on 127.0.0.1. The same
 * shape as test/integration/compose.test.ts, which drives the controller directly.
 *
 * Every container and the stack's network carry the run's test label, so teardown removes exactly
 * them (never by the bare label; other suites share the daemon). The services say
 * `dev.krakend-live.owned: "false"`: the images the test environment builds carry our owned label,
 * a user's stack does not, and the gateway must treat these as the user's.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labels } from '../../support/docker';
import { run } from './processes';

export interface PlaygroundOptions {
  /** The compose project name (`-p`); compose v1 keeps it as given when it is lower case. */
  readonly project: string;
  /** The host port `krakend_ce` publishes 8080 on, on 127.0.0.1. */
  readonly port: number;
  readonly krakendImage: string;
  /** An image with busybox (the test environment's `test-image`). */
  readonly backendImage: string;
  /** The test run id, put on every container and the network as the `test` label. */
  readonly run: string;
  /** The stack network's subnet, in the benchmarking range (198.18.0.0/15) and of its own. */
  readonly subnet: string;
}

/** The config the stack's KrakenD (and then ours) serves: each endpoint calls `http://fake_api:8080/hello.json`. */
export function playgroundConfig(endpoints: readonly string[]): string {
  const config = {
    version: 3,
    port: 8080,
    timeout: '3s',
    endpoints: endpoints.map((e) => ({ endpoint: e, backend: [{ host: ['http://fake_api:8080'], url_pattern: '/hello.json', encoding: 'json' }] })),
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export function playgroundComposeFile(o: PlaygroundOptions): string {
  const ours = `{ ${labels.test}: "${o.run}", ${labels.owned}: "false" }`;
  return `version: "2.4"
services:
  fake_api:
    image: ${o.backendImage}
    command: ["busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
    volumes: ["./data:/www:ro"]
    labels: ${ours}
  krakend_ce:
    image: ${o.krakendImage}
    command: ["run", "-d", "-c", "krakend.json"]
    volumes: ["./config/krakend:/etc/krakend:ro"]
    ports: ["127.0.0.1:${o.port}:8080"]
    environment: { USAGE_DISABLE: "1" }
    depends_on: [fake_api]
    labels: ${ours}
networks:
  default:
    labels: { ${labels.test}: "${o.run}" }
    ipam:
      config:
        - subnet: ${o.subnet}
`;
}

/** Writes the playground into `dir`; returns the config's path (`config/krakend/krakend.json`). */
export function writePlayground(dir: string, o: PlaygroundOptions, endpoints: readonly string[] = ['/api']): string {
  mkdirSync(join(dir, 'config', 'krakend'), { recursive: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'data', 'hello.json'), '{"from":"fake_api"}\n');
  const config = join(dir, 'config', 'krakend', 'krakend.json');
  writeFileSync(config, playgroundConfig(endpoints));
  writeFileSync(join(dir, 'docker-compose.yml'), playgroundComposeFile(o));
  return config;
}

/**
 * A /24 of the benchmarking range that no network of the daemon uses, from 198.18.232.0/24 up (the
 * integration stack pins 198.18.231.0/24; the daemon's default pool hands out from the bottom). A
 * fixed one would collide when the suite runs twice at once on one daemon ("Pool overlaps").
 */
export async function freeSubnet(): Promise<string> {
  const ids = (await run('docker', ['network', 'ls', '-q'], { timeoutMs: 15_000 })).split('\n').filter(Boolean);
  const used = new Set(
    ids.length === 0 ? [] : (await run('docker', ['network', 'inspect', '-f', '{{range .IPAM.Config}}{{.Subnet}} {{end}}', ...ids], { timeoutMs: 15_000 })).split(/\s+/).filter(Boolean),
  );
  const free: string[] = [];
  for (let x = 232; x <= 254; x++) if (!used.has(`198.18.${x}.0/24`)) free.push(`198.18.${x}.0/24`);
  if (free.length === 0) throw new Error('no free /24 left in 198.18.232.0–198.18.254.0 for the compose stack');
  // Two runs starting together would pick the same first one: spread them.
  return free[Math.floor(Math.random() * free.length)]!;
}

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

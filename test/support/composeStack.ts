/**
 * A real docker compose stack shaped like KrakenD's playground, for the tests that stand in for its
 * gateway: a backend service called by name (`fake_api`, busybox httpd serving data/hello.json) and
 * a `krakend_ce` service that mounts ./config/krakend at /etc/krakend and publishes 8080 on
 * 127.0.0.1. Real docker-compose (the test-env's `compose` component) against the test daemon.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { freePort, get, labels } from './docker';
import { requireComponent } from './env';

const run$ = promisify(execFile);
const T = 90_000;

/** The stack's KrakenD config (and then ours): each endpoint calls `http://fake_api:8080/hello.json` by service name. */
export function playgroundConfig(endpoints: readonly string[]): string {
  const config = {
    version: 3,
    port: 8080,
    timeout: '3s',
    endpoints: endpoints.map((e) => ({ endpoint: e, backend: [{ host: ['http://fake_api:8080'], url_pattern: '/hello.json', encoding: 'json' }] })),
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

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
  /** The stack network's subnet, in the benchmarking range (freeSubnet). */
  readonly subnet: string;
}

/**
 * The compose file. The test images carry our owned label (the test-env builds them); a user's
 * stack does not, so the services say "false": the gateway must treat them as the user's.
 * `KRAKEND_LIVE_TEST` shows whether the service's environment comes along to our container.
 */
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
    environment: { USAGE_DISABLE: "1", KRAKEND_LIVE_TEST: "${o.project}" }
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

/** Polls until `f` resolves true, bounded by `ms`; a short pause between tries. */
export async function eventually(what: string, f: () => Promise<boolean>, ms = T): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await f().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A /24 of 198.18.224.0–198.18.254.0 (the benchmarking range our dockerd uses) that no network of
 * the daemon has, picked at random among the free ones so that two stacks starting at once rarely
 * pick the same; a stack that still loses that race fails at `up` with "Pool overlaps".
 */
export async function freeSubnet(docker: Docker): Promise<string> {
  const used = new Set((await docker.listNetworks()).flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet)));
  const free: string[] = [];
  for (let x = 224; x <= 254; x++) if (!used.has(`198.18.${x}.0/24`)) free.push(`198.18.${x}.0/24`);
  if (free.length === 0) throw new Error('no free /24 left in 198.18.224.0–198.18.254.0 for a compose stack');
  return free[Math.floor(Math.random() * free.length)]!;
}

export interface ComposeStack {
  /** The project folder (docker-compose.yml, config/krakend/krakend.json, data/). */
  readonly dir: string;
  readonly project: string;
  /** The port krakend_ce publishes on 127.0.0.1. */
  readonly port: number;
  readonly configPath: string;
  /** Runs docker-compose on this project against the test daemon. */
  compose(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** krakend_ce's container as the daemon sees it now. */
  serviceContainer(docker: Docker): Promise<Docker.ContainerInspectInfo>;
  /** `down` and the folder removed; failures are logged, not thrown (it runs in `after`). */
  remove(): Promise<void>;
}

/**
 * Writes the project, brings it up and waits until the stack's own KrakenD answers through the
 * backend on its published port: the stack works before a test touches it. Every container carries
 * the `test` label `run`; its network gets a free subnet of the benchmarking range (freeSubnet).
 */
export async function startComposeStack(docker: Docker, o: { name: string; run: string; endpoints: readonly string[] }): Promise<ComposeStack> {
  const binary = requireComponent('compose').binary;
  const image = requireComponent('krakend-images').image;
  const testImage = requireComponent('test-image').image;
  const project = `kl-${o.name}-${process.pid}`;
  const dir = await mkdtemp(join(tmpdir(), `krakend-${o.name}-`));
  const port = await freePort();
  const configPath = join(dir, 'config', 'krakend', 'krakend.json');
  const compose = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
    run$(binary, ['-p', project, ...args], { cwd: dir, timeout: T, env: { ...process.env, DOCKER_HOST: `unix://${requireComponent('docker').socket}` } });
  const stack: ComposeStack = {
    dir,
    project,
    port,
    configPath,
    compose,
    async serviceContainer(docker) {
      const id = (await compose('ps', '-q', 'krakend_ce')).stdout.trim();
      if (!id) throw new Error(`krakend_ce of ${project} has no container`);
      return docker.getContainer(id).inspect();
    },
    async remove() {
      await compose('down', '-v', '--remove-orphans').catch((err: unknown) => console.error(`docker-compose down: ${String(err)}`));
      await rm(dir, { recursive: true, force: true });
    },
  };
  writePlayground(dir, { project, port, krakendImage: image, backendImage: testImage, run: o.run, subnet: await freeSubnet(docker) }, o.endpoints);
  try {
    await compose('up', '-d');
    await eventually('the stack to answer on its published port', async () => (await get(port, o.endpoints[0] ?? '/', 2000)).status === 200);
  } catch (err) {
    await stack.remove();
    throw err;
  }
  return stack;
}

// needs: docker, krakend, krakend-images, compose
// (integration) The gateway standing in for a service of a real docker compose stack, shaped like
// KrakenD's playground: a backend service called by name (busybox httpd) and a krakend_ce service
// that mounts the config folder and publishes 8080 on 127.0.0.1. Start Gateway takes krakend_ce's
// place (network alias, published port, flags), blue/green reloads keep serving there, and Stop
// gives the place back. Real docker-compose (Debian's 1.29), real dockerd, real KrakenD.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type Docker from 'dockerode';
import { GatewayController } from '../../client/src/gateway/controller';
import type { Logger } from '../../client/src/gateway/controller';
import { OWNED_LABEL } from '../../client/src/gateway/plan';
import type { CheckResultParams } from '../../shared/protocol';
import { DEFAULT_GATEWAY_SETTINGS } from '../../shared/settings';
import { connectDocker, freePort, get, labels, newRunId, removeTestResources, settle, testLabels, withTimeout } from '../support/docker';
import { requireComponent } from '../support/env';

const run$ = promisify(execFile);
const T = 90_000;
/** A subnet of the benchmarking range of its own, so this stack never meets another test's. */
const SUBNET = '198.18.231.0/24';

function logger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (level: string) => (m: string): void => {
    lines.push(`${level} ${m}`);
  };
  return { lines, debug: add('debug'), info: add('info'), warn: add('warn'), error: add('error') };
}

function result(uri: string): CheckResultParams {
  return { uri, ok: true, errors: 0, warnings: 0, schema: { origin: 'bundled' }, trigger: 'save', durationMs: 1 };
}

function config(endpoints: readonly string[]): string {
  return `${JSON.stringify(
    {
      version: 3,
      port: 8080,
      timeout: '3s',
      endpoints: endpoints.map((e) => ({ endpoint: e, backend: [{ host: ['http://fake_api:8080'], url_pattern: '/hello.json', encoding: 'json' }] })),
    },
    null,
    2,
  )}\n`;
}

/**
 * The test images carry our owned label (the test-env builds them); a user's stack does not, so the
 * services say "false": the gateway must treat them as the user's, which is what this test is about.
 */
function composeFile(project: string, port: number, image: string, testImage: string, run: string): string {
  return `version: "2.4"
services:
  fake_api:
    image: ${testImage}
    command: ["busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
    volumes: ["./data:/www:ro"]
    labels: { ${labels.test}: "${run}", ${labels.owned}: "false" }
  krakend_ce:
    image: ${image}
    command: ["run", "-d", "-c", "krakend.json"]
    volumes: ["./config/krakend:/etc/krakend:ro"]
    ports: ["127.0.0.1:${port}:8080"]
    environment: { USAGE_DISABLE: "1", KRAKEND_LIVE_TEST: "${project}" }
    depends_on: [fake_api]
    labels: { ${labels.test}: "${run}", ${labels.owned}: "false" }
networks:
  default:
    ipam:
      config:
        - subnet: ${SUBNET}
`;
}

/** Polls until `f` resolves true (bounded); no sleeps in between beyond a short pause per try. */
async function eventually(what: string, f: () => Promise<boolean>, ms = T): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await f().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

void describe('compose stack: the gateway stands in for krakend_ce (integration)', () => {
  const run = newRunId('compose');
  const project = `kl-compose-${process.pid}`;
  let compose: string;
  let docker: Docker;
  let dir: string;
  let port: number;
  let ctrl: GatewayController;
  const log = logger();
  let configPath: string;

  const composeCmd = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
    run$(compose, ['-p', project, ...args], { cwd: dir, timeout: T, env: { ...process.env, DOCKER_HOST: `unix://${requireComponent('docker').socket}` } });
  const serviceContainer = async (): Promise<Docker.ContainerInspectInfo> => {
    const id = (await composeCmd('ps', '-q', 'krakend_ce')).stdout.trim();
    assert.ok(id, 'krakend_ce has a container');
    return docker.getContainer(id).inspect();
  };

  before(async () => {
    compose = requireComponent('compose').binary;
    const images = requireComponent('krakend-images');
    const testImage = requireComponent('test-image').image;
    docker = connectDocker();
    dir = await mkdtemp(join(tmpdir(), 'krakend-compose-'));
    port = await freePort();
    await mkdir(join(dir, 'config', 'krakend'), { recursive: true });
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'hello.json'), '{"from":"fake_api"}\n');
    configPath = join(dir, 'config', 'krakend', 'krakend.json');
    await writeFile(configPath, config(['/api']));
    await writeFile(join(dir, 'docker-compose.yml'), composeFile(project, port, images.image, testImage, run));
    await composeCmd('up', '-d');
    // The stack's own KrakenD answers through the backend first: the stack works before we touch it.
    await eventually('the stack to answer on its published port', async () => (await get(port, '/api', 2000)).status === 200);
    ctrl = new GatewayController({
      folder: { path: dir, name: 'shop' },
      configPath,
      configRelativePath: 'config/krakend/krakend.json',
      stagingDir: join(dir, '.staging'),
      settings: () => ({ ...DEFAULT_GATEWAY_SETTINGS, image: images.image, network: 'bridge', reload: 'blue-green', port: 1, gracePeriod: 2, healthTimeout: 30, dockerHost: `unix://${requireComponent('docker').socket}` }),
      env: {},
      platform: process.platform,
      log,
      healthIntervalMs: 50,
      extraLabels: testLabels(run),
    });
  });

  after(async () => {
    ctrl?.dispose();
    if (dir && compose) await composeCmd('down', '-v', '--remove-orphans').catch((err: unknown) => console.error(`docker-compose down: ${String(err)}`));
    if (docker) await removeTestResources(docker, run);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  void it('Start takes the service’s place: its published 127.0.0.1 port, its network alias, the backend by service name', async () => {
    await ctrl.checked(result(`file://${configPath}`));
    assert.equal(ctrl.start().refusal, undefined);
    await withTimeout(ctrl.whenIdle(), T, () => `the gateway to start\n${log.lines.join('\n')}`);
    assert.equal(ctrl.lifecycle.phase, 'healthy', log.lines.join('\n'));
    const snap = ctrl.snapshot();
    assert.deepEqual(snap.standsInFor, { project, service: 'krakend_ce' });
    assert.ok(log.lines.some((l) => l.includes(`service krakend_ce of compose stack ${project}`)), 'the log says which service it stands in for');
    assert.equal((await serviceContainer()).State.Running, false, 'the compose container is stopped while ours runs');
    const ours = await docker.getContainer(ctrl.container ?? '').inspect();
    assert.equal(ours.Config.Labels[OWNED_LABEL], 'true');
    assert.ok((ours.NetworkSettings.Networks[`${project}_default`]?.Aliases as string[] | undefined)?.includes('krakend_ce'), 'ours answers to the service name in the stack');
    assert.deepEqual(ours.Config.Cmd, ['run', '-d', '-c', 'krakend.json'], 'the service’s -d flag comes along');
    assert.ok(ours.Config.Env.includes(`KRAKEND_LIVE_TEST=${project}`), 'the service’s environment comes along');
    const r = await get(port, '/api', 5000);
    assert.equal(r.status, 200);
    assert.match(r.body, /fake_api/, 'the backend is reached by its service name');
  });

  void it('a blue/green reload inside the stack keeps serving: no failed request through it', async () => {
    const reloads = ctrl.lifecycle.reloads;
    const before = ctrl.container;
    let stop = false;
    const failures: string[] = [];
    let sent = 0;
    const deadline = Date.now() + 60_000;
    const loop = async (): Promise<void> => {
      // Bounded in count and time; sequential per worker, four workers.
      while (!stop && sent < 3000 && Date.now() < deadline) {
        sent++;
        const s = await settle(get(port, '/api', 5000));
        if (!s.ok) failures.push(s.error.message);
        else if (s.value.status !== 200) failures.push(`HTTP ${s.value.status}`);
      }
    };
    const workers = [loop(), loop(), loop(), loop()];
    await writeFile(configPath, config(['/api', '/api2']));
    await ctrl.checked(result(`file://${configPath}`));
    await withTimeout(ctrl.whenIdle(), T, () => `the reload\n${log.lines.join('\n')}`);
    stop = true;
    await Promise.all(workers);
    assert.equal(ctrl.lifecycle.reloads, reloads + 1, log.lines.join('\n'));
    assert.notEqual(ctrl.container, before, 'a new color serves');
    assert.ok(sent > 0);
    assert.deepEqual(failures, [], `${failures.length} of ${sent} requests failed`);
    assert.equal((await get(port, '/api2', 5000)).status, 200, 'the new config serves');
    const running = await docker.listContainers({ filters: { label: [`${OWNED_LABEL}=true`, `${labels.test}=${run}`] } });
    assert.equal(running.length, 1, 'the old color is gone');
    const next = await docker.getContainer(ctrl.container ?? '').inspect();
    assert.ok((next.NetworkSettings.Networks[`${project}_default`]?.Aliases as string[] | undefined)?.includes('krakend_ce'), 'the new color took the alias');
  });

  void it('Stop gives the place back: the compose container runs again, and no container of ours is left', async () => {
    assert.equal(ctrl.stop().refusal, undefined);
    await withTimeout(ctrl.whenIdle(), T, () => `the stop\n${log.lines.join('\n')}`);
    assert.equal(ctrl.lifecycle.phase, 'stopped');
    assert.equal((await serviceContainer()).State.Running, true, 'the compose container was started again');
    await eventually('the stack’s own KrakenD to answer again', async () => (await get(port, '/api', 2000)).status === 200);
    await ctrl.removeContainer();
    const ours = await docker.listContainers({ all: true, filters: { label: [`${OWNED_LABEL}=true`, `${labels.test}=${run}`] } });
    assert.deepEqual(ours.map((c) => c.Names[0]), []);
  });
});

// needs: docker, krakend, krakend-images, compose
// (integration) The gateway standing in for a service of a real docker compose stack, shaped like
// KrakenD's playground: a backend service called by name (busybox httpd) and a krakend_ce service
// that mounts the config folder and publishes 8080 on 127.0.0.1. Start Gateway takes krakend_ce's
// place (network alias, published port, flags), blue/green reloads keep serving there, and Stop
// gives the place back. Real docker-compose (Debian's 1.29), real dockerd, real KrakenD.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Docker from 'dockerode';
import { GatewayController } from '../../client/src/gateway/controller';
import { OWNED_LABEL } from '../../client/src/gateway/plan';
import type { CheckResultParams } from '../../shared/protocol';
import { DEFAULT_GATEWAY_SETTINGS } from '../../shared/settings';
import { connectDocker, get, labels, newRunId, removeTestResources, settle, testLabels, withTimeout } from '../support/docker';
import { eventually, playgroundConfig, startComposeStack } from '../support/composeStack';
import type { ComposeStack } from '../support/composeStack';
import { requireComponent } from '../support/env';
import { recordingLogger } from '../support/controller';

const T = 90_000;

function result(uri: string): CheckResultParams {
  return { uri, ok: true, errors: 0, warnings: 0, schema: { origin: 'bundled' }, trigger: 'save', durationMs: 1 };
}

void describe('compose stack: the gateway stands in for krakend_ce (integration)', () => {
  const run = newRunId('compose');
  let stack: ComposeStack;
  let project: string;
  let docker: Docker;
  let port: number;
  let ctrl: GatewayController;
  const log = recordingLogger();
  let configPath: string;
  const serviceContainer = (): Promise<Docker.ContainerInspectInfo> => stack.serviceContainer(docker);

  before(async () => {
    const images = requireComponent('krakend-images');
    docker = connectDocker();
    stack = await startComposeStack(docker, { name: 'compose', run, endpoints: ['/api'] });
    ({ project, port, configPath } = stack);
    ctrl = new GatewayController({
      folder: { path: stack.dir, name: 'shop' },
      configPath,
      configRelativePath: 'config/krakend/krakend.json',
      stagingDir: join(stack.dir, '.staging'),
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
    if (stack) await stack.remove();
    if (docker) await removeTestResources(docker, run);
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
    await writeFile(configPath, playgroundConfig(['/api', '/api2']));
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
    assert.equal(ctrl.snapshot().standsInFor, undefined, 'once the place is given back, the status no longer names the service');
    assert.equal((await serviceContainer()).State.Running, true, 'the compose container was started again');
    await eventually('the stack’s own KrakenD to answer again', async () => (await get(port, '/api', 2000)).status === 200);
    await ctrl.removeContainer();
    const ours = await docker.listContainers({ all: true, filters: { label: [`${OWNED_LABEL}=true`, `${labels.test}=${run}`] } });
    assert.deepEqual(ours.map((c) => c.Names[0]), []);
  });
});

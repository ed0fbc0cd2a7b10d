// needs: code-server, chromium, docker, krakend, krakend-images, compose, test-image
/**
 * The gateway standing in for a docker compose service, driven from code-server (issue 14). The
 * session's workspace is a project shaped like KrakenD's playground (test/e2e/support/compose.ts):
 * `fake_api`, called by name, and `krakend_ce`, which mounts `./config/krakend` and publishes a port
 * on 127.0.0.1. With the stack up (a real `docker-compose up -d`), Start Gateway takes krakend_ce's
 * place: the status bar names the stack and service, the compose container is stopped, ours answers
 * to the service name on the stack's network and on its published port, and reaches the backend by
 * its service name. A valid save reloads it there. Stop Gateway gives the place back: the compose
 * container runs and answers on its port again.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { connectDocker, newRunId, removeTestResources } from '../support/docker';
import { requireComponent } from '../support/env';
import { ComposeStack, removeRunResourcesSync } from './support/compose';
import { freeSubnet, writePlayground } from '../support/composeStack';
import { removeSessionContainers, removeSessionContainersSync, runningGateway } from './support/docker';
import { endpointText, lastEndpointCloseLine, offlineSchemaSettings } from './support/example';
import { FAULT, restartedSince } from './support/gatewaySession';
import { get } from './support/http';
import { artifactsDir } from './support/paths';
import { freePort, onAbnormalExit, run as runCmd, waitFor } from './support/processes';
import { Chain, scenario } from './support/scenario';
import { STATUS_ITEM } from './support/workbench';
import { Session } from './support/session';

const SERVICE = 'krakend_ce';

interface Attached {
  readonly NetworkSettings: { readonly Networks: Readonly<Record<string, { readonly Aliases: readonly string[] | null } | undefined>> };
}

void describe('e2e: Start Gateway stands in for a docker compose service (Docker + KrakenD + docker-compose)', () => {
  const runId = newRunId('e2e-compose');
  const project = `kl-e2e-compose-${process.pid}`;
  let s: Session | undefined;
  let stack: ComposeStack | undefined;
  let port = 0;
  let configPath = '';
  let lastStart = '';
  const session = (): Session | undefined => s;
  const chain = new Chain();
  const url = (path: string): string => `http://127.0.0.1:${port}${path}`;
  /** The status bar's text standing in: the state and its detail (`healthy (started in 900 ms)`), then `· stack/service`. */
  const standIn = (state: string): RegExp => new RegExp(`KrakenD ${state}[^|]* · ${project}/${SERVICE}`);
  let unregister: (() => void) | undefined;

  /** Polls the stack's published port until `path` answers 200 with the backend's body. */
  const answers = (path: string, ms = 90_000): Promise<string> =>
    waitFor(`GET ${url(path)} → 200 from fake_api`, async () => {
      const r = await get(url(path), 3_000);
      return r.status === 200 && r.body.includes('fake_api') ? r.body : undefined;
    }, ms);

  /** The aliases of our running gateway on the stack's network. */
  async function ourAliases(home: string): Promise<readonly string[]> {
    const running = await runningGateway(home);
    assert.ok(running, 'a gateway of ours runs');
    const [c] = JSON.parse(await runCmd('docker', ['inspect', running.slice(0, running.indexOf('@'))], { timeoutMs: 15_000 })) as Attached[];
    return c?.NetworkSettings.Networks[`${project}_default`]?.Aliases ?? [];
  }

  before(async () => {
    const compose = requireComponent('compose').binary;
    const dockerSocket = requireComponent('docker').socket;
    const { image } = requireComponent('krakend-images');
    const backendImage = requireComponent('test-image').image;
    port = await freePort();
    const settingsPort = await freePort();
    // The stack's network gets a subnet of the benchmarking range that no other network uses.
    const subnet = await freeSubnet(connectDocker());
    unregister = onAbnormalExit(() => removeRunResourcesSync(runId));
    s = await Session.start({
      name: 'compose',
      settings: {
        ...offlineSchemaSettings(),
        'krakend.gateway.image': image,
        'krakend.gateway.network': 'bridge',
        // Not the stack's port: standing in, the gateway publishes what the service publishes.
        'krakend.gateway.port': settingsPort,
        'krakend.gateway.healthTimeout': 60,
        'krakend.gateway.gracePeriod': 2,
      },
      // The workspace is the compose project alone: the example's files make way for it.
      prepareWorkspace: (dir) => {
        for (const f of ['krakend.json', 'backend.mjs', 'flexible']) rmSync(join(dir, f), { recursive: true, force: true });
        configPath = writePlayground(dir, { project, port, krakendImage: image, backendImage, run: runId, subnet });
      },
    });
    const home = s.home;
    const unregisterOurs = onAbnormalExit(() => removeSessionContainersSync(home));
    s.onStop('remove the session\'s gateway containers', async () => {
      await removeSessionContainers(home);
      unregisterOurs();
    });
    stack = new ComposeStack(compose, s.workspace, project, dockerSocket);
    await stack.cmd(['up', '-d']);
    // The stack works on its own before the editor touches it: its KrakenD calls fake_api by name.
    await answers('/api');
    await s.wb.waitReady();
    await s.wb.openFile('krakend.json');
  });

  after(async () => {
    try {
      await s?.stop();
    } finally {
      // The stack goes by its run label (its compose file went with the workspace), and so do any
      // of ours the session missed.
      await removeSessionContainers(s?.home ?? '/nonexistent').catch(() => undefined);
      await removeTestResources(connectDocker(), runId);
      unregister?.();
    }
  });

  scenario('compose-stands-in', session, async ({ wb, page, home }) => {
    await wb.waitForStatus(/krakend/i, 60_000);
    await wb.runCommand('KrakenD: Start Gateway');
    await wb.waitForStatus(standIn('healthy'), 120_000, FAULT);
    lastStart = await restartedSince(home, '');
    // The compose container made way for ours; ours answers to the service's name in the stack.
    assert.equal((await stack!.container(SERVICE)).State.Running, false, 'the compose container is stopped while ours runs');
    assert.ok((await ourAliases(home)).includes(SERVICE), `ours is ${SERVICE} on ${project}_default`);
    // Through the service's published port on 127.0.0.1, to fake_api by its service name.
    const body = await answers('/api', 30_000);
    assert.match(body, /"from":\s*"fake_api"/);
    // The tooltip says what the bar abbreviates.
    await page.hover(STATUS_ITEM);
    const tip = page.locator('.workbench-hover, .monaco-hover', { hasText: 'Stands in for' }).first();
    await tip.waitFor({ state: 'visible', timeout: 15_000 });
    const tipText = (await tip.textContent()) ?? '';
    assert.match(tipText, new RegExp(`Stands in for: service ${SERVICE} of compose stack ${project}`));
    // Blue/green's proxy took the service's published port, not krakend.gateway.port.
    assert.match(tipText, new RegExp(`Health: http://127\\.0\\.0\\.1:${port}/__health`));
    // For the README: the tooltip and the status bar it belongs to, not the whole window.
    const [box, item] = [await tip.boundingBox(), await page.locator(STATUS_ITEM).boundingBox()];
    if (box && item) {
      const x = Math.max(0, Math.min(box.x, item.x) - 8);
      const y = Math.max(0, box.y - 8);
      await page.screenshot({ path: join(artifactsDir, 'compose-status-bar.png'), clip: { x, y, width: Math.max(box.x + box.width, item.x + item.width) + 8 - x, height: item.y + item.height - y } });
    } else {
      await wb.screenshot(join(artifactsDir, 'compose-status-bar.png'));
    }
    await page.mouse.move(640, 300);
    await tip.waitFor({ state: 'hidden', timeout: 15_000 });
  }, { chain, timeoutMs: 240_000 });

  scenario('compose-valid-save-reloads', session, async ({ wb, home }) => {
    await wb.gotoLineEnd(lastEndpointCloseLine(readFileSync(configPath, 'utf8')));
    await wb.typeText(endpointText('/api2', '/hello.json', 'http://fake_api:8080'));
    await wb.save();
    await wb.waitForProblems('an empty Problems panel', (r) => r.length === 0);
    lastStart = await restartedSince(home, lastStart);
    await wb.waitForStatus(standIn('healthy'), 90_000, FAULT);
    assert.match(await answers('/api2', 30_000), /fake_api/);
    // Still in the compose container's place: the new gateway took the alias, the service stays down.
    assert.ok((await ourAliases(home)).includes(SERVICE), `the reloaded gateway is ${SERVICE} on ${project}_default`);
    assert.equal((await stack!.container(SERVICE)).State.Running, false);
  }, { chain, timeoutMs: 180_000 });

  scenario('compose-stop-gives-back', session, async ({ wb, home }) => {
    const before = await stack!.container(SERVICE);
    await wb.runCommand('KrakenD: Stop Gateway');
    await wb.waitForStatus(/KrakenD stopped/, 60_000, FAULT);
    assert.doesNotMatch(await wb.statusText(), new RegExp(`${project}/${SERVICE}`), 'no longer standing in');
    const again = await waitFor('the compose container to run again', async () => {
      const c = await stack!.container(SERVICE);
      return c.State.Running ? c : undefined;
    }, 60_000);
    assert.equal(again.Id, before.Id, 'the compose service\'s own container, started again');
    assert.equal(await runningGateway(home), undefined, 'no gateway of ours runs');
    // The stack's own KrakenD serves the saved config from the mounted folder, /api2 included.
    assert.match(await answers('/api2'), /fake_api/);
  }, { chain, timeoutMs: 180_000 });
});

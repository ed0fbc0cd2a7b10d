// needs: docker, krakend, krakend-images
// (integration) The gateway controller end to end against a real KrakenD: the locally built
// krakend:2.13 (official-image shape) and krakend:watch images, on the default bridge network (the
// users' default: ports published on 127.0.0.1, the backend on the host reached as
// host.docker.internal), with blue/green on host networking as the second variant. The check results are fed in as the language server would send them after a save; the
// checker itself is tested in test/lsp. Nothing here replaces KrakenD.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Docker from 'dockerode';
import { GatewayController } from '../../client/src/gateway/controller';
import { DockerAdapter } from '../../client/src/gateway/docker';
import { FOLDER_LABEL, OWNED_LABEL } from '../../client/src/gateway/plan';
import type { LifecycleState } from '../../client/src/gateway/lifecycle';
import type { CheckResultParams } from '../../shared/protocol';
import { DEFAULT_GATEWAY_SETTINGS } from '../../shared/settings';
import type { GatewaySettings } from '../../shared/settings';
import { bridgeGateway, connectDocker, engineSocket, freePort, gatewayConfig, get, labels, newRunId, removeTestResources, settle, slowMs, startBackend, testLabels, withTimeout } from '../support/docker';
import type { Backend } from '../support/docker';
import { requireComponent } from '../support/env';
import { checkFlexibleProject } from '../../server/src/core/flexible';
import { recordingLogger } from '../support/controller';

const T = 60_000;

function result(uri: string, ok: boolean, trigger: CheckResultParams['trigger'] = 'save'): CheckResultParams {
  return { uri, ok, errors: ok ? 0 : 1, warnings: 0, schema: { origin: 'bundled' }, trigger, durationMs: 1 };
}

interface Gateway {
  ctrl: GatewayController;
  log: ReturnType<typeof recordingLogger>;
  folder: string;
  configPath: string;
  stagingDir: string;
  port: number;
}

/** Set by podman.test.ts: Podman before 5.3 has no host-gateway, so the backend is called by the bridge's address. */
const BACKEND_BY_ADDRESS = process.env.KRAKEND_LIVE_TEST_BACKEND_BY_ADDRESS === '1';
void describe('gateway controller with a real KrakenD (integration)', () => {
  const run = newRunId('gateway');
  let docker: Docker;
  let socket: string;
  let images: { image: string; watchImage: string };
  let backend: Backend;
  let backendAddress: string;
  let root: string;
  const made: GatewayController[] = [];

  before(async () => {
    requireComponent('krakend');
    images = requireComponent('krakend-images');
    socket = engineSocket();
    docker = connectDocker();
    // The backend listens where a bridge container reaches the host (host.docker.internal), which
    // a host-network container reaches too; never on every interface.
    backendAddress = await bridgeGateway(docker);
    backend = await startBackend(backendAddress);
    root = await mkdtemp(join(tmpdir(), 'krakend-gateway-'));
  });

  after(async () => {
    for (const c of made) c.dispose();
    if (docker) await removeTestResources(docker, run);
    if (backend) await backend.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** The test config, calling the backend as a container on either network reaches the host. */
  function config(port: number, helloPath = '/hello'): string {
    // Podman before 5.3 has no host-gateway (the plan leaves host.docker.internal out there and
    // warns), so its run of this suite (podman.test.ts) calls the backend by the bridge's address.
    return gatewayConfig(port, backend.port, helloPath, backendHost());
  }

  function backendHost(): string {
    return BACKEND_BY_ADDRESS ? backendAddress : 'host.docker.internal';
  }

  async function gateway(name: string, image: string, settings: Partial<GatewaySettings> = {}): Promise<Gateway> {
    const folder = join(root, name);
    await mkdir(folder, { recursive: true });
    const port = await freePort();
    const configPath = join(folder, 'krakend.json');
    const stagingDir = join(root, `${name}-staging`);
    const log = recordingLogger();
    const ctrl = new GatewayController({
      folder: { path: folder, name },
      configPath,
      configRelativePath: 'krakend.json',
      stagingDir,
      // The published port is the test's own; the config uses the same one, which host networking needs.
      settings: () => ({ ...DEFAULT_GATEWAY_SETTINGS, image, network: 'bridge', port, gracePeriod: 10, healthTimeout: 30, dockerHost: `unix://${socket}`, ...settings }),
      env: {},
      platform: process.platform,
      log,
      healthIntervalMs: 50,
      extraLabels: testLabels(run),
    });
    made.push(ctrl);
    return { ctrl, log, folder, configPath, stagingDir, port };
  }

  /** Writes the file and delivers the server's check result for that save; resolves once applied. */
  async function save(g: Gateway, text: string, ok: boolean): Promise<void> {
    await writeFile(g.configPath, text);
    await g.ctrl.checked(result(`file://${g.configPath}`, ok));
  }

  async function startedAt(g: Gateway): Promise<string> {
    const id = g.ctrl.container;
    assert.ok(id, 'the controller has a container');
    return (await docker.getContainer(id).inspect()).State.StartedAt;
  }

  function until(g: Gateway, what: string, pred: (s: LifecycleState) => boolean): Promise<LifecycleState> {
    if (pred(g.ctrl.lifecycle)) return Promise.resolve(g.ctrl.lifecycle);
    let sub: { dispose(): void } | undefined;
    const p = new Promise<LifecycleState>((resolve) => {
      sub = g.ctrl.onDidChange((s) => {
        if (pred(s.state)) resolve(s.state);
      });
    });
    return withTimeout(p, T, what).finally(() => sub?.dispose());
  }

  void describe('krakend:2.13 (graceful restarts)', () => {
    let g: Gateway;

    before(async () => {
      g = await gateway('plain', images.image, { reload: 'restart' });
    });

    void it('start → healthy, and the endpoint answers on loopback', async () => {
      await save(g, config(g.port), true);
      assert.equal(g.ctrl.start().refusal, undefined);
      await withTimeout(g.ctrl.whenIdle(), T, 'the gateway to start');
      assert.equal(g.ctrl.lifecycle.phase, 'healthy', g.log.lines.join('\n'));
      const info = await docker.getContainer(g.ctrl.container!).inspect();
      assert.equal(info.Config.Labels[OWNED_LABEL], 'true');
      assert.deepEqual(info.Config.Cmd, ['run', '-c', 'krakend.json']);
      assert.ok(info.Config.Env.includes('USAGE_DISABLE=1'));
      assert.deepEqual(info.Mounts.map((m) => [m.Source, m.Destination, m.RW]), [[g.stagingDir, '/etc/krakend', false]]);
      const r = await get(g.port, '/hello', 5000);
      assert.equal(r.status, 200);
      assert.match(r.body, /"message":"hello"/);
    });

    void it('an invalid save: no restart (same StartedAt), staging unchanged, the old endpoint still answers', async () => {
      const before = await startedAt(g);
      const staged = await readFile(join(g.stagingDir, 'krakend.json'), 'utf8');
      const reloads = g.ctrl.lifecycle.reloads;
      await save(g, '{"version": 3, "port": ' + String(g.port) + ', "endpoints": [{"endpoint": "/hello"', false);
      await withTimeout(g.ctrl.whenIdle(), T, 'idle');
      assert.equal(g.ctrl.lifecycle.configIssue, 'invalid');
      assert.equal(g.ctrl.lifecycle.phase, 'healthy');
      assert.equal(g.ctrl.lifecycle.reloads, reloads);
      assert.equal(await startedAt(g), before);
      assert.equal(await readFile(join(g.stagingDir, 'krakend.json'), 'utf8'), staged);
      const r = await get(g.port, '/hello', 5000);
      assert.equal(r.status, 200);
      assert.match(r.body, /"message":"hello"/);
    });

    void it('a valid save: restart, and the new endpoint answers on loopback', async () => {
      const before = await startedAt(g);
      const reloads = g.ctrl.lifecycle.reloads;
      await save(g, config(g.port, '/v2'), true);
      await withTimeout(g.ctrl.whenIdle(), T, 'the reload');
      assert.equal(g.ctrl.lifecycle.phase, 'healthy', g.log.lines.join('\n'));
      assert.equal(g.ctrl.lifecycle.configIssue, undefined);
      assert.equal(g.ctrl.lifecycle.reloads, reloads + 1);
      assert.notEqual(await startedAt(g), before);
      const r = await get(g.port, '/hello', 5000);
      assert.equal(r.status, 200);
      assert.match(r.body, /"message":"v2"/);
    });

    void it('a 3-second request in flight during a valid-save restart completes with 200', async () => {
      const reached = backend.nextRequest('/slow');
      const pending = settle(get(g.port, '/slow', slowMs + 15_000));
      await withTimeout(reached, 5000, 'the backend to receive /slow');
      await save(g, config(g.port, '/hello'), true);
      const done = await pending;
      assert.ok(done.ok, `the in-flight request was cut: ${done.ok ? '' : done.error.message}`);
      assert.equal(done.value.status, 200);
      await withTimeout(g.ctrl.whenIdle(), T, 'the reload');
      assert.equal(g.ctrl.lifecycle.phase, 'healthy');
      assert.match((await get(g.port, '/hello', 5000)).body, /"message":"hello"/);
    });

    void it('rapid valid saves coalesce: one reload for the first, one for all the rest', async () => {
      const reloads = g.ctrl.lifecycle.reloads;
      for (const path of ['/v2', '/hello', '/v2', '/hello', '/v2']) await save(g, config(g.port, path), true);
      await withTimeout(g.ctrl.whenIdle(), T, 'the reloads');
      assert.equal(g.ctrl.lifecycle.reloads, reloads + 2);
      assert.match((await get(g.port, '/hello', 5000)).body, /"message":"v2"/, 'the last save is what runs');
    });

    void it('a crash of the running gateway is seen (die event), logged with its tail, and restarted', async () => {
      const id = g.ctrl.container!;
      const back = until(g, 'the automatic restart after the crash', (s) => s.crashes === 1 && s.phase === 'healthy' && s.op === undefined);
      await docker.getContainer(id).kill({ signal: 'SIGKILL' });
      const s = await back;
      assert.equal(s.crashes, 1);
      assert.ok(g.log.lines.some((l) => /exited with code 137/.test(l)), g.log.lines.join('\n'));
      assert.equal((await get(g.port, '/hello', 5000)).status, 200);
    });

    void it('stop leaves nothing behind', async () => {
      g.ctrl.stop();
      await withTimeout(g.ctrl.whenIdle(), T, 'the stop');
      assert.equal(g.ctrl.lifecycle.phase, 'stopped');
      const adapter = new DockerAdapter({ kind: 'socket', socketPath: socket, description: socket });
      try {
        // Stop removes the container itself: no Exited container is left for a cleanup to find.
        assert.equal(g.ctrl.container, undefined);
        assert.deepEqual(await adapter.listOwned({ [FOLDER_LABEL]: g.folder, [labels.test]: run }), []);
      } finally {
        adapter.dispose();
      }
    });
  });

  for (const network of ['bridge', 'host'] as const) {
  void describe(`krakend:2.13 with blue/green reloads behind the proxy (${network} network)`, () => {
    let g: Gateway;
    const running = async (): Promise<string[]> =>
      (await docker.listContainers({ filters: JSON.stringify({ label: [`${FOLDER_LABEL}=${g.folder}`, `${labels.test}=${run}`] }) })).map((c) => c.Names[0]!.replace(/^\//, '')).sort();

    before(async () => {
      g = await gateway(`bluegreen-${network}`, images.image, { reload: 'blue-green', network });
    });

    void it('start: the proxy owns the config\'s port and feeds the blue container, which serves on a loopback port of its own', async () => {
      await save(g, config(g.port), true);
      g.ctrl.start();
      await withTimeout(g.ctrl.whenIdle(), T, 'the gateway to start');
      assert.equal(g.ctrl.lifecycle.phase, 'healthy', g.log.lines.join('\n'));
      assert.equal(g.ctrl.currentPlan?.reload, 'blueGreen');
      const names = await running();
      assert.equal(names.length, 1);
      assert.match(names[0]!, /-blue$/);
      const info = await docker.getContainer(g.ctrl.container!).inspect();
      assert.deepEqual(info.Mounts.map((m) => [m.Source, m.Destination, m.RW]), [[`${g.stagingDir}-blue`, '/etc/krakend', false]]);
      assert.equal(info.HostConfig.NetworkMode, network);
      // Podman reports the ExtraHosts it was given whatever it made of them (host-gateway is literal
      // before 5.3); the plan's unit tests cover what it asks Podman for.
      if (!BACKEND_BY_ADDRESS) assert.deepEqual(info.HostConfig.ExtraHosts, ['host.docker.internal:host-gateway']);
      if (network === 'host') assert.ok(info.Config.Env.includes('KRAKEND_LISTEN_IP=127.0.0.1'), info.Config.Env.join(' '));
      // Podman lists the image's exposed ports too, unbound (null): only the bound ones count.
      else assert.deepEqual(Object.fromEntries(Object.entries((info.HostConfig.PortBindings ?? {}) as Record<string, unknown>).filter(([, b]) => b !== null)), { [`${g.port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: info.Config.Labels['dev.krakend-live.upstream'] }] });
      const upstream = Number(info.Config.Labels['dev.krakend-live.upstream']);
      assert.notEqual(upstream, g.port);
      assert.match((await get(upstream, '/hello', 5000)).body, /"message":"hello"/, 'KrakenD itself answers on its own port');
      assert.match((await get(g.port, '/hello', 5000)).body, /"message":"hello"/, 'and through the proxy on the config\'s port');
    });

    void it('a valid save under load: 20 requests in flight and steady traffic, none refused, cut or answered 5xx; then green serves alone', async () => {
      const reached = backend.nextRequest('/slow', 20);
      const slow = Array.from({ length: 20 }, () => settle(get(g.port, '/slow', slowMs + 30_000)));
      await withTimeout(reached, 10_000, 'the backend to receive 20 slow requests');
      // Steady traffic on a fresh connection each time, through the whole reload.
      let stop = false;
      const outcomes: string[] = [];
      const traffic = (async () => {
        while (!stop) {
          const r = await settle(get(g.port, '/hello', 10_000));
          outcomes.push(r.ok ? String(r.value.status) : r.error.message);
        }
      })();
      await save(g, config(g.port, '/v2'), true);
      await withTimeout(g.ctrl.whenIdle(), T, 'the blue/green reload');
      stop = true;
      await traffic;
      const ended = await Promise.all(slow);
      assert.deepEqual(ended.map((e) => (e.ok ? e.value.status : e.error.message)), Array.from({ length: 20 }, () => 200));
      assert.ok(outcomes.length > 0);
      assert.deepEqual(outcomes.filter((o) => o !== '200'), [], 'every request during the reload got a 200');
      assert.equal(g.ctrl.lifecycle.phase, 'healthy', g.log.lines.join('\n'));
      assert.match((await get(g.port, '/hello', 5000)).body, /"message":"v2"/);
      const names = await running();
      assert.equal(names.length, 1, names.join(', '));
      assert.match(names[0]!, /-green$/);
    });

    void it('a valid config that makes KrakenD exit is thrown away: the old one keeps serving, and the user sees why', async () => {
      const reloads = g.ctrl.lifecycle.reloads;
      const broken = JSON.parse(config(g.port, '/hello')) as Record<string, unknown>;
      broken.tls = { public_key: '/etc/krakend/missing.pem', private_key: '/etc/krakend/missing-key.pem' };
      await save(g, JSON.stringify(broken), true);
      await withTimeout(g.ctrl.whenIdle(), T, 'the rejected reload');
      const s = g.ctrl.lifecycle;
      assert.equal(s.phase, 'healthy');
      assert.equal(s.configIssue, 'rejected');
      assert.equal(s.reloads, reloads);
      assert.match((s.fault?.logTail ?? []).join('\n'), /missing\.pem|missing-key\.pem/);
      assert.match((await get(g.port, '/hello', 5000)).body, /"message":"v2"/, 'the last good config still serves');
      const names = await running();
      assert.equal(names.length, 1, names.join(', '));
      assert.match(names[0]!, /-green$/);
    });

    void it('a crash of the active container is restarted on the other color behind the same port', async () => {
      await save(g, config(g.port, '/v2'), true);
      await withTimeout(g.ctrl.whenIdle(), T, 'the reload after the fix');
      const id = g.ctrl.container!;
      const back = until(g, 'the automatic restart after the crash', (st) => st.crashes === 1 && st.phase === 'healthy' && st.op === undefined);
      await docker.getContainer(id).kill({ signal: 'SIGKILL' });
      await back;
      assert.notEqual(g.ctrl.container, id);
      assert.equal((await get(g.port, '/hello', 5000)).status, 200);
    });

    void it('stop: the port is released and no container of this gateway runs', async () => {
      g.ctrl.stop();
      await withTimeout(g.ctrl.whenIdle(), T, 'the stop');
      assert.equal(g.ctrl.lifecycle.phase, 'stopped');
      assert.deepEqual(await running(), []);
      await assert.rejects(get(g.port, '/hello', 2000), 'nothing listens on the port any more');
    });
  });
  }

  for (const reload of ['restart', 'blue-green'] as const) {
    void it(`a Flexible Configuration template (${reload}): staged with its folders, rendered by KrakenD itself, and a saved partial reloads it`, async () => {
      const g = await gateway(`fc-${reload}`, images.image, { reload });
      const template = join(g.folder, 'krakend.tmpl');
      const partial = join(g.folder, 'partials', 'hello.json');
      await mkdir(join(g.folder, 'settings'), { recursive: true });
      await mkdir(join(g.folder, 'partials'), { recursive: true });
      await writeFile(join(g.folder, 'settings', 'service.json'), JSON.stringify({ port: g.port, backend: `http://${backendHost()}:${backend.port}` }));
      await writeFile(partial, '{ "endpoint": "/hello", "backend": [{ "url_pattern": "/hello" }] }');
      await writeFile(template, '{\n  "version": 3,\n  "port": {{ .service.port }},\n  "host": [{{ .service.backend | quote }}],\n  "endpoints": [ {{ include "hello.json" }} ]\n}\n');
      const flexible = { settings: join(g.folder, 'settings'), partials: join(g.folder, 'partials'), format: 'json' as const };
      // What the language server does for the gateway: render with our engine, from the same files.
      const render = (): { text: string; format: 'json' } => {
        const readFileOrNone = (p: string): string | undefined => {
          try {
            return readFileSync(p, 'utf8');
          } catch {
            return undefined;
          }
        };
        const r = checkFlexibleProject({
          mainPath: template,
          mainText: readFileSync(template, 'utf8'),
          options: flexible,
          readers: { listDir: (d) => (existsSync(d) ? readdirSync(d) : undefined), readFile: readFileOrNone, env: () => undefined, now: () => new Date() },
        });
        assert.equal(r.errors, 0, JSON.stringify([...r.files].map(([f, d]) => [f, d.diagnostics])));
        return { text: r.render.result!.output, format: 'json' };
      };
      const ctrl = new GatewayController({
        folder: { path: g.folder, name: `fc-${reload}` },
        configPath: template,
        configRelativePath: 'krakend.tmpl',
        stagingDir: `${g.stagingDir}-fc`,
        settings: () => ({ ...DEFAULT_GATEWAY_SETTINGS, image: images.image, network: 'bridge', port: g.port, gracePeriod: 10, healthTimeout: 30, dockerHost: `unix://${socket}`, reload }),
        env: {},
        platform: process.platform,
        log: g.log,
        healthIntervalMs: 50,
        extraLabels: testLabels(run),
        renderedConfig: () => Promise.resolve(render()),
      });
      made.push(ctrl);
      const checked = (): Promise<void> => ctrl.checked({ ...result(`file://${template}`, true), flexible });
      await checked();
      ctrl.start();
      await withTimeout(ctrl.whenIdle(), T, 'the FC gateway to start');
      assert.equal(ctrl.lifecycle.phase, 'healthy', g.log.lines.join('\n'));
      const info = await docker.getContainer(ctrl.container!).inspect();
      assert.ok(info.Config.Env.includes('FC_ENABLE=1') && info.Config.Env.includes('FC_SETTINGS=/etc/krakend/settings') && info.Config.Env.includes('FC_PARTIALS=/etc/krakend/partials'), info.Config.Env.join(' '));
      assert.deepEqual(info.Config.Cmd, ['run', '-c', 'krakend.tmpl']);
      assert.match((await get(g.port, '/hello', 5000)).body, /"message":"hello"/);
      // A save of the partial: the server re-checks the template and reports it as saved.
      await writeFile(partial, '{ "endpoint": "/hello", "backend": [{ "url_pattern": "/v2" }] }');
      await checked();
      await withTimeout(ctrl.whenIdle(), T, 'the reload after the partial changed');
      assert.equal(ctrl.lifecycle.phase, 'healthy', g.log.lines.join('\n'));
      assert.equal(ctrl.lifecycle.reloads, 1);
      assert.match((await get(g.port, '/hello', 5000)).body, /"message":"v2"/);
      ctrl.stop();
      await withTimeout(ctrl.whenIdle(), T, 'the stop');
    });
  }

  void it('a config that exits at start is reported with its log tail', async () => {
    const g = await gateway('exits', images.image);
    const broken = JSON.parse(config(g.port)) as Record<string, unknown>;
    // Passes a schema check, but KrakenD cannot load the certificate and stops at once.
    broken.tls = { public_key: '/etc/krakend/missing.pem', private_key: '/etc/krakend/missing-key.pem' };
    await save(g, JSON.stringify(broken), true);
    g.ctrl.start();
    await withTimeout(g.ctrl.whenIdle(), T, 'the start to fail');
    const s = g.ctrl.lifecycle;
    assert.equal(s.phase, 'exited', g.log.lines.join('\n'));
    assert.equal(s.fault?.kind, 'exitedAtStart');
    assert.match((s.fault?.logTail ?? []).join('\n'), /missing\.pem|missing-key\.pem/);
  });

  void it('krakend:watch: an invalid save restarts nothing; a valid save is picked up by reflex', async () => {
    const g = await gateway('watch', images.watchImage);
    await save(g, config(g.port), true);
    g.ctrl.start();
    await withTimeout(g.ctrl.whenIdle(), T, 'the watch gateway to start');
    assert.equal(g.ctrl.lifecycle.phase, 'healthy', g.log.lines.join('\n'));
    assert.equal(g.ctrl.currentPlan?.reload, 'watch');
    const first = await get(g.port, '/__health', 5000);
    const up0 = Number(/m=\+(\d+(?:\.\d+)?)/.exec(first.body)?.[1]);
    await save(g, '{"version": 3, "endpoints": [', false);
    await withTimeout(g.ctrl.whenIdle(), T, 'idle');
    const same = await get(g.port, '/__health', 5000);
    assert.ok(Number(/m=\+(\d+(?:\.\d+)?)/.exec(same.body)?.[1]) >= up0, 'the same KrakenD process still runs');
    await save(g, config(g.port, '/v2'), true);
    await withTimeout(g.ctrl.whenIdle(), T, 'the reflex reload');
    assert.equal(g.ctrl.lifecycle.reloads, 1);
    assert.match((await get(g.port, '/hello', 5000)).body, /"message":"v2"/, g.log.lines.join('\n'));
  });
});

// needs: docker, krakend, krakend-images, sshd
// (integration) An ssh:// engine through a real docker context: a real OpenSSH server on 127.0.0.1
// (its own config, host key and port), key auth as a user of its own (test-env.sh made it, in the
// docker group), and the remote side's `docker system dial-stdio` (Debian's /usr/bin/docker) in
// front of the test daemon. An ssh:// engine is remote for files, even at 127.0.0.1: the gateway's
// configuration goes into the container through the engine's archive API, never by a bind mount
// (plan.ts configDelivery), for graceful restarts, blue/green (the ports are on this machine's
// loopback, so the proxy reaches the colors) and a Flexible Configuration with its folders. An
// untrusted or changed host key and a refused login each say what to do.
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Docker from 'dockerode';
import type { ControllerDeps, GatewayController } from '../../client/src/gateway/controller';
import { DockerAdapter } from '../../client/src/gateway/docker';
import { fingerprint } from '../../client/src/gateway/engine/ssh';
import { readTextFile } from '../../client/src/gateway/engine/nodeFs';
import { FOLDER_LABEL, parseDockerHost } from '../../client/src/gateway/plan';
import { checkFlexibleProject } from '../../server/src/core/flexible';
import type { CheckResultParams } from '../../shared/protocol';
import type { GatewaySettings } from '../../shared/settings';
import { bridgeGateway, connectDocker, freePort, gatewayConfig, get, labels, newRunId, removeTestResources, startBackend, withTimeout } from '../support/docker';
import type { Backend } from '../support/docker';
import { containerFile, dockerCliOk, dockerError, startSshd } from '../support/engines';
import type { Sshd } from '../support/engines';
import { requireComponent } from '../support/env';
import type { recordingLogger } from '../support/controller';
import { testGateway } from '../support/controller';

const T = 90_000;

void describe('an ssh:// engine through a real sshd (integration)', () => {
  const run = newRunId('engines-ssh');
  let docker: Docker;
  let image: string;
  let watchImage: string;
  let backend: Backend;
  /** On the default bridge's gateway, where a bridge container reaches the host as host.docker.internal. */
  let bridged: Backend;
  let root: string;
  let config: string;
  let sshd: Sshd | undefined;
  const made: GatewayController[] = [];

  /** A home of its own: ~/.ssh with the authorized key and the given known_hosts text. */
  function home(name: string, knownHosts: string, withKey = true): string {
    const h = join(root, name);
    mkdirSync(join(h, '.ssh'), { recursive: true, mode: 0o700 });
    if (withKey && sshd) copyFileSync(sshd.clientKey, join(h, '.ssh', 'id_ed25519'));
    writeFileSync(join(h, '.ssh', 'known_hosts'), knownHosts);
    return h;
  }

  before(async () => {
    requireComponent('krakend');
    ({ image, watchImage } = requireComponent('krakend-images'));
    const ssh = requireComponent('sshd');
    docker = connectDocker();
    backend = await startBackend();
    bridged = await startBackend(await bridgeGateway(docker));
    root = await mkdtemp(join(tmpdir(), 'krakend-engines-ssh-'));
    // sshd reads the authorized keys as the test user, who must be able to walk down to them.
    chmodSync(root, 0o755);
    config = join(root, 'docker-config');
    mkdirSync(config);
    sshd = await startSshd(join(root, 'sshd'), ssh.binary, ssh.user);
    await dockerCliOk(config, ['context', 'create', 'kl-ssh', '--docker', `host=ssh://${ssh.user}@127.0.0.1:${sshd.port}`]);
  });

  after(async () => {
    for (const c of made) c.dispose();
    if (docker) await removeTestResources(docker, run);
    if (sshd) await sshd.close();
    if (backend) await backend.close();
    if (bridged) await bridged.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  void it('DOCKER_CONTEXT → ssh://: the gateway starts and reloads through sshd and the remote docker system dial-stdio', async () => {
    assert.ok(sshd);
    const env = { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'kl-ssh', HOME: home('trusting', `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`) };
    const c = parseDockerHost('', env, 'linux', readTextFile);
    assert.ok(c.kind === 'ssh' && c.port === sshd.port && c.username === sshd.user, JSON.stringify(c));
    const port = await freePort();
    const { ctrl, log, configPath } = testGateway({ root, name: 'gw', run, env, settings: { image, network: 'host', reload: 'restart' } });
    made.push(ctrl);
    const result = { uri: `file://${configPath}`, ok: true, errors: 0, warnings: 0, schema: { origin: 'bundled' as const }, trigger: 'save' as const, durationMs: 1 };
    await writeFile(configPath, gatewayConfig(port, backend.port));
    await ctrl.checked(result);
    ctrl.start();
    await withTimeout(ctrl.whenIdle(), T, 'the gateway to start over ssh');
    assert.equal(ctrl.lifecycle.phase, 'healthy', `${log.lines.join('\n')}\nsshd: ${sshd.log()}`);
    assert.equal((await get(port, '/hello', 5000)).status, 200);
    // sshd logged our key login as the test user: the requests really went through it.
    assert.match(sshd.log(), new RegExp(`Accepted publickey for ${sshd.user} from 127\\.0\\.0\\.1`));
    assert.equal(ctrl.snapshot().dockerSource, 'docker context "kl-ssh" (DOCKER_CONTEXT)');
    await writeFile(configPath, gatewayConfig(port, backend.port, '/v2'));
    await ctrl.checked(result);
    await withTimeout(ctrl.whenIdle(), T, 'the reload over ssh');
    assert.equal(ctrl.lifecycle.reloads, 1, log.lines.join('\n'));
    assert.match((await get(port, '/hello', 5000)).body, /"message":"v2"/);
    ctrl.stop();
    await withTimeout(ctrl.whenIdle(), T, 'the stop');
  });

  interface SshGateway {
    readonly ctrl: GatewayController;
    readonly log: ReturnType<typeof recordingLogger>;
    readonly folder: string;
    readonly configPath: string;
    readonly stagingDir: string;
    readonly port: number;
  }

  /** A gateway of its own folder through the kl-ssh context, on a bridge, publishing a free port on 127.0.0.1. */
  async function sshGateway(name: string, settings: Partial<GatewaySettings>, configFile = 'krakend.json', renderedConfig?: ControllerDeps['renderedConfig']): Promise<SshGateway> {
    assert.ok(sshd);
    const env = { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'kl-ssh', HOME: home('trusting', `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`) };
    const port = await freePort();
    const g = testGateway({ root, name, run, env, configFile, settings: { image, network: 'bridge', port, ...settings }, ...(renderedConfig ? { renderedConfig } : {}) });
    const { ctrl, log, folder, configPath, stagingDir } = g;
    made.push(ctrl);
    return { ctrl, log, folder, configPath, stagingDir, port };
  }

  const checkResult = (g: SshGateway, ok: boolean, over: Partial<CheckResultParams> = {}): CheckResultParams => ({
    uri: `file://${g.configPath}`, ok, errors: ok ? 0 : 1, warnings: 0, schema: { origin: 'bundled' }, trigger: 'save', durationMs: 1, ...over,
  });

  /** Writes the file and hands the controller the check result of that save; resolves once it was applied. */
  async function save(g: SshGateway, text: string, ok: boolean): Promise<void> {
    await writeFile(g.configPath, text);
    await g.ctrl.checked(checkResult(g, ok));
    await withTimeout(g.ctrl.whenIdle(), T, `the save of ${g.configPath} to be applied`);
  }

  /** The test config on KrakenD's default port inside the bridge, calling the backend on the host. */
  const bridgeConfig = (helloPath = '/hello'): string => gatewayConfig(8080, bridged.port, helloPath, 'host.docker.internal');

  /** Our containers of this gateway that run now, by name. */
  async function running(g: SshGateway): Promise<string[]> {
    const list = await docker.listContainers({ filters: JSON.stringify({ label: [`${FOLDER_LABEL}=${g.folder}`, `${labels.test}=${run}`] }) });
    return list.map((c) => c.Names[0]!.replace(/^\//, '')).sort();
  }

  /** No bind mount, no volume: the container holds its configuration itself. */
  async function assertNoMount(id: string): Promise<void> {
    const info = await docker.getContainer(id).inspect();
    assert.deepEqual(info.Mounts, [], JSON.stringify(info.Mounts));
    assert.deepEqual(info.HostConfig.Mounts ?? [], []);
    assert.deepEqual(info.HostConfig.Binds ?? [], []);
  }

  void it('archive delivery with graceful restarts: no mount; the files are root-owned in the container; a valid save restarts it on new files, an invalid one changes nothing, a dropped file gets a new container', async () => {
    const g = await sshGateway('archive-restart', { reload: 'restart' });
    // A sibling data file is staged with the config (and so delivered with it).
    await writeFile(join(g.folder, 'extra.json'), '{ "a": 1 }\n');
    await save(g, bridgeConfig(), true);
    g.ctrl.start();
    await withTimeout(g.ctrl.whenIdle(), T, 'the gateway to start over ssh');
    assert.equal(g.ctrl.lifecycle.phase, 'healthy', `${g.log.lines.join('\n')}\nsshd: ${sshd?.log() ?? ''}`);
    const plan = g.ctrl.currentPlan;
    assert.equal(plan?.configDelivery, 'archive');
    assert.equal(plan?.reload, 'graceful');
    // Health is probed where the port is published: on the engine's side of the ssh connection.
    assert.deepEqual(plan?.health, { host: '127.0.0.1', port: g.port, path: '/__health', tcpOnly: false, via: 'engine' });
    assert.ok(g.log.lines.some((l) => /health is probed on the engine's machine, through an ssh connection to ssh:\/\//.test(l)), g.log.lines.join('\n'));
    const id = g.ctrl.container!;
    await assertNoMount(id);
    const info = await docker.getContainer(id).inspect();
    assert.deepEqual(info.HostConfig.PortBindings, { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(g.port) }] });
    // Served through the port the engine published on 127.0.0.1 (the engine's machine is this one).
    assert.match((await get(g.port, '/hello', 5000)).body, /"message":"hello"/);
    const main = await containerFile(docker.getContainer(id), '/etc/krakend/krakend.json');
    assert.deepEqual(main, { uid: 0, gid: 0, mode: 0o644, content: bridgeConfig() }, 'root-owned, not writable by the official image\'s uid 1000');
    assert.equal((await containerFile(docker.getContainer(id), '/etc/krakend/extra.json'))?.content, '{ "a": 1 }\n');
    assert.ok(g.log.lines.some((l) => /copied 2 staged file\(s\) into krakend-live-archive-restart-\w+:\/etc\/krakend through the engine's API/.test(l)), g.log.lines.join('\n'));

    // A valid save: the new files go into the running container, then the graceful restart.
    const startedAt = info.State.StartedAt;
    await save(g, bridgeConfig('/v2'), true);
    assert.equal(g.ctrl.lifecycle.phase, 'healthy', g.log.lines.join('\n'));
    assert.equal(g.ctrl.lifecycle.reloads, 1);
    assert.equal(g.ctrl.container, id, 'restarted in place, not recreated');
    assert.notEqual((await docker.getContainer(id).inspect()).State.StartedAt, startedAt, 'the process started again');
    assert.match((await get(g.port, '/hello', 5000)).body, /"message":"v2"/);
    assert.equal((await containerFile(docker.getContainer(id), '/etc/krakend/krakend.json'))?.content, bridgeConfig('/v2'));

    // An invalid save: nothing is delivered or restarted, the last good config keeps serving.
    await save(g, '{ "version": 3, "endpoints": [ oops', false);
    assert.equal(g.ctrl.lifecycle.phase, 'healthy');
    assert.equal(g.ctrl.lifecycle.reloads, 1);
    assert.equal(g.ctrl.container, id);
    assert.match((await get(g.port, '/hello', 5000)).body, /"message":"v2"/);
    assert.equal((await containerFile(docker.getContainer(id), '/etc/krakend/krakend.json'))?.content, bridgeConfig('/v2'));

    // A file left the configuration: the archive API cannot delete it, so a new container holds exactly the staged files.
    await rm(join(g.folder, 'extra.json'));
    await save(g, bridgeConfig('/v3'), true);
    assert.equal(g.ctrl.lifecycle.phase, 'healthy', g.log.lines.join('\n'));
    assert.equal(g.ctrl.lifecycle.reloads, 2);
    const recreated = g.ctrl.container;
    assert.ok(recreated !== undefined && recreated !== id, 'a new container');
    await assertNoMount(recreated);
    assert.equal(await containerFile(docker.getContainer(recreated), '/etc/krakend/extra.json'), undefined);
    assert.match((await get(g.port, '/hello', 5000)).body, /"message":"v3"/);
    assert.equal((await running(g)).length, 1, 'the old container is gone');
    g.ctrl.stop();
    await withTimeout(g.ctrl.whenIdle(), T, 'the stop');
    assert.deepEqual(await running(g), []);
  });

  void it('blue/green through ssh:// to this machine: each color gets its files by archive, the proxy switches to a valid save, and a config KrakenD rejects is thrown away', async () => {
    const g = await sshGateway('archive-bluegreen', { reload: 'blue-green' });
    await save(g, bridgeConfig(), true);
    g.ctrl.start();
    await withTimeout(g.ctrl.whenIdle(), T, 'the blue/green gateway to start over ssh');
    assert.equal(g.ctrl.lifecycle.phase, 'healthy', g.log.lines.join('\n'));
    assert.equal(g.ctrl.currentPlan?.reload, 'blueGreen');
    assert.equal(g.ctrl.currentPlan?.configDelivery, 'archive');
    assert.match((await running(g))[0] ?? '', /-blue$/);
    await assertNoMount(g.ctrl.container!);
    assert.match((await get(g.port, '/hello', 5000)).body, /"message":"hello"/, 'through our proxy on 127.0.0.1');

    await save(g, bridgeConfig('/v2'), true);
    assert.equal(g.ctrl.lifecycle.phase, 'healthy', g.log.lines.join('\n'));
    assert.equal(g.ctrl.lifecycle.reloads, 1);
    const green = g.ctrl.container!;
    assert.deepEqual((await running(g)).map((n) => n.replace(/^.*-/, '')), ['green']);
    await assertNoMount(green);
    assert.equal((await containerFile(docker.getContainer(green), '/etc/krakend/krakend.json'))?.content, bridgeConfig('/v2'));
    assert.match((await get(g.port, '/hello', 5000)).body, /"message":"v2"/);

    // Passes a check, but KrakenD cannot load the certificate and exits: the new color goes, green keeps serving.
    const broken = JSON.parse(bridgeConfig('/v3')) as Record<string, unknown>;
    broken.tls = { public_key: '/etc/krakend/missing.pem', private_key: '/etc/krakend/missing-key.pem' };
    await save(g, JSON.stringify(broken), true);
    const s = g.ctrl.lifecycle;
    assert.equal(s.phase, 'healthy');
    assert.equal(s.configIssue, 'rejected');
    assert.equal(s.reloads, 1);
    assert.match((s.fault?.logTail ?? []).join('\n'), /missing\.pem|missing-key\.pem/);
    assert.equal(g.ctrl.container, green);
    assert.match((await get(g.port, '/hello', 5000)).body, /"message":"v2"/, 'the last good config still serves');
    assert.deepEqual((await running(g)).map((n) => n.replace(/^.*-/, '')), ['green']);
    g.ctrl.stop();
    await withTimeout(g.ctrl.whenIdle(), T, 'the stop');
    assert.deepEqual(await running(g), []);
  });

  void it('a :watch image through ssh://: reflex sees the files the archive API writes into the running container, and Docker restarts nothing', async () => {
    const g = await sshGateway('archive-watch', { image: watchImage, reload: 'restart' });
    await save(g, bridgeConfig(), true);
    g.ctrl.start();
    await withTimeout(g.ctrl.whenIdle(), T, 'the watch gateway to start over ssh');
    assert.equal(g.ctrl.lifecycle.phase, 'healthy', g.log.lines.join('\n'));
    assert.equal(g.ctrl.currentPlan?.reload, 'watch');
    const id = g.ctrl.container!;
    await assertNoMount(id);
    const startedAt = (await docker.getContainer(id).inspect()).State.StartedAt;
    await save(g, bridgeConfig('/v2'), true);
    assert.equal(g.ctrl.lifecycle.reloads, 1);
    assert.match((await get(g.port, '/hello', 5000)).body, /"message":"v2"/, g.log.lines.join('\n'));
    assert.equal(g.ctrl.container, id);
    assert.equal((await docker.getContainer(id).inspect()).State.StartedAt, startedAt, 'reflex restarted KrakenD inside the container');
    g.ctrl.stop();
    await withTimeout(g.ctrl.whenIdle(), T, 'the stop');
  });

  void it('a Flexible Configuration through ssh://: its settings and partials go into the container at the FC_* folders, and a saved partial reloads it', async () => {
    const folder = join(root, 'archive-fc');
    mkdirSync(join(folder, 'settings'), { recursive: true });
    mkdirSync(join(folder, 'partials'), { recursive: true });
    const template = join(folder, 'krakend.tmpl');
    const partial = join(folder, 'partials', 'hello.json');
    writeFileSync(join(folder, 'settings', 'service.json'), JSON.stringify({ backend: `http://host.docker.internal:${bridged.port}` }));
    writeFileSync(partial, '{ "endpoint": "/hello", "backend": [{ "url_pattern": "/hello" }] }');
    writeFileSync(template, '{\n  "version": 3,\n  "port": 8080,\n  "host": [{{ .service.backend | quote }}],\n  "endpoints": [ {{ include "hello.json" }} ]\n}\n');
    const flexible = { settings: join(folder, 'settings'), partials: join(folder, 'partials'), format: 'json' as const };
    // What the language server does for the gateway: render with our engine, from the same files.
    const render = (): { text: string; format: 'json' } => {
      const r = checkFlexibleProject({
        mainPath: template,
        mainText: readFileSync(template, 'utf8'),
        options: flexible,
        readers: { listDir: (d) => (existsSync(d) ? readdirSync(d) : undefined), readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined), env: () => undefined, now: () => new Date() },
      });
      assert.equal(r.errors, 0);
      return { text: r.render.result!.output, format: 'json' };
    };
    const g = await sshGateway('archive-fc', { reload: 'restart' }, 'krakend.tmpl', () => Promise.resolve(render()));
    const checked = async (): Promise<void> => {
      await g.ctrl.checked(checkResult(g, true, { flexible }));
      await withTimeout(g.ctrl.whenIdle(), T, 'the FC save to be applied');
    };
    await checked();
    g.ctrl.start();
    await withTimeout(g.ctrl.whenIdle(), T, 'the FC gateway to start over ssh');
    assert.equal(g.ctrl.lifecycle.phase, 'healthy', g.log.lines.join('\n'));
    const id = g.ctrl.container!;
    await assertNoMount(id);
    const info = await docker.getContainer(id).inspect();
    assert.ok(info.Config.Env.includes('FC_SETTINGS=/etc/krakend/settings') && info.Config.Env.includes('FC_PARTIALS=/etc/krakend/partials'), info.Config.Env.join(' '));
    assert.equal((await containerFile(docker.getContainer(id), '/etc/krakend/partials/hello.json'))?.mode, 0o644);
    assert.match((await get(g.port, '/hello', 5000)).body, /"message":"hello"/, 'KrakenD rendered the template from the delivered folders');
    writeFileSync(partial, '{ "endpoint": "/hello", "backend": [{ "url_pattern": "/v2" }] }');
    await checked();
    assert.equal(g.ctrl.lifecycle.reloads, 1, g.log.lines.join('\n'));
    assert.equal(g.ctrl.container, id);
    assert.match((await get(g.port, '/hello', 5000)).body, /"message":"v2"/);
    g.ctrl.stop();
    await withTimeout(g.ctrl.whenIdle(), T, 'the stop');
  });

  void it('health goes through the engine\'s sshd: where it refuses to forward, the gateway runs but is not seen healthy, and the log says what to allow', async () => {
    const ssh = requireComponent('sshd');
    const closed = await startSshd(join(root, 'sshd-no-forwarding'), ssh.binary, ssh.user, ['AllowTcpForwarding no']);
    try {
      await dockerCliOk(config, ['context', 'create', 'kl-ssh-noforward', '--docker', `host=ssh://${ssh.user}@127.0.0.1:${closed.port}`]);
      const h = join(root, 'noforward-home');
      mkdirSync(join(h, '.ssh'), { recursive: true, mode: 0o700 });
      copyFileSync(closed.clientKey, join(h, '.ssh', 'id_ed25519'));
      writeFileSync(join(h, '.ssh', 'known_hosts'), `[127.0.0.1]:${closed.port} ${closed.hostKey}\n`);
      const port = await freePort();
      const { ctrl, log, configPath } = testGateway({
        root,
        name: 'noforward',
        run,
        env: { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'kl-ssh-noforward', HOME: h },
        settings: { image, network: 'bridge', port, healthTimeout: 3, reload: 'restart' },
      });
      made.push(ctrl);
      await writeFile(configPath, bridgeConfig());
      await ctrl.checked({ uri: `file://${configPath}`, ok: true, errors: 0, warnings: 0, schema: { origin: 'bundled' }, trigger: 'save', durationMs: 1 });
      ctrl.start();
      await withTimeout(ctrl.whenIdle(), T, 'the start through an sshd that does not forward');
      // The engine's API needs no forwarding (docker system dial-stdio is a command): the gateway runs and answers here…
      assert.match((await get(port, '/hello', 5000)).body, /"message":"hello"/);
      // …but the probe, which only goes through sshd's forwarding, never reaches it.
      assert.equal(ctrl.lifecycle.phase, 'unhealthy', log.lines.join('\n'));
      assert.ok(log.lines.some((l) => /did not open 127\.0\.0\.1:\d+ on its side .*AllowTcpForwarding/.test(l)), log.lines.join('\n'));
      ctrl.stop();
      await withTimeout(ctrl.whenIdle(), T, 'the stop');
    } finally {
      await closed.close();
    }
  });

  void it('a host key that is not in known_hosts is refused, with its fingerprint and the ssh command to accept it', async () => {
    assert.ok(sshd);
    const env = { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'kl-ssh', HOME: home('stranger', '') };
    const adapter = new DockerAdapter(parseDockerHost('', env, 'linux', readTextFile), { timeoutMs: 20_000 });
    const err = await dockerError(adapter.ping());
    adapter.dispose();
    assert.equal(err.kind, 'dockerUnavailable');
    const fp = fingerprint(Buffer.from(sshd.hostKey.split(' ')[1] ?? '', 'base64'));
    assert.ok(err.message.includes(fp), err.message);
    assert.match(err.message, new RegExp(`not trusted.*ssh -p ${sshd.port} ${sshd.user}@127\\.0\\.0\\.1`));
  });

  void it('a changed host key is refused as CHANGED, with the ssh-keygen -R to run', async () => {
    assert.ok(sshd);
    const other = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINxKFmwH/NsfbmZo54DqgsP73TFCQE0I4ARV5hBF4BwR';
    const env = { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'kl-ssh', HOME: home('changed', `[127.0.0.1]:${sshd.port} ${other}\n`) };
    const adapter = new DockerAdapter(parseDockerHost('', env, 'linux', readTextFile), { timeoutMs: 20_000 });
    const err = await dockerError(adapter.ping());
    adapter.dispose();
    assert.match(err.message, /CHANGED/);
    assert.ok(err.message.includes(`ssh-keygen -R "[127.0.0.1]:${sshd.port}"`), err.message);
  });

  void it('a login without a usable key says to load it into the agent', async () => {
    assert.ok(sshd);
    const env = { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'kl-ssh', HOME: home('keyless', `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`, false) };
    const adapter = new DockerAdapter(parseDockerHost('', env, 'linux', readTextFile), { timeoutMs: 20_000 });
    const err = await dockerError(adapter.ping());
    adapter.dispose();
    assert.equal(err.kind, 'dockerUnavailable');
    assert.match(err.message, /SSH login to ssh:\/\/.*was refused.*ssh-add/);
  });
});

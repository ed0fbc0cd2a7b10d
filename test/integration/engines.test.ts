// needs: docker, krakend, krakend-images
// (integration) The engine found through real docker contexts, made by the real docker CLI
// (`docker context create`, `docker context use`) in a DOCKER_CONFIG of our own, in front of the one
// test daemon: a unix socket at another path, and a TLS endpoint on 127.0.0.1 with certificates
// made by openssl. The gateway runs through each, blue/green over TLS. Then each engine problem is
// met for real and must say what to do. (ssh:// is in enginesSsh.test.ts, which needs sshd.)
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Docker from 'dockerode';
import type { GatewayController } from '../../client/src/gateway/controller';
import { DockerAdapter } from '../../client/src/gateway/docker';
import { readTextFile } from '../../client/src/gateway/engine/nodeFs';
import { parseDockerHost } from '../../client/src/gateway/plan';
import type { CheckResultParams } from '../../shared/protocol';
import type { GatewaySettings } from '../../shared/settings';
import { connectDocker, freePort, gatewayConfig, get, newRunId, removeTestResources, startBackend, withTimeout } from '../support/docker';
import type { Backend } from '../support/docker';
import { dockerCli, dockerCliOk, dockerError, makeCerts, oldApiProxy, tlsProxy, unixProxy } from '../support/engines';
import type { Certs, Closable } from '../support/engines';
import { requireComponent } from '../support/env';
import type { recordingLogger } from '../support/controller';
import { testGateway } from '../support/controller';

const T = 60_000;

function result(uri: string): CheckResultParams {
  return { uri, ok: true, errors: 0, warnings: 0, schema: { origin: 'bundled' }, trigger: 'save', durationMs: 1 };
}

void describe('engines through real docker contexts (integration)', () => {
  const run = newRunId('engines');
  let docker: Docker;
  let socket: string;
  let image: string;
  let backend: Backend;
  let root: string;
  let config: string;
  let certs: Certs;
  let unix: Closable & { connections(): number };
  let tls: Closable & { port: number };
  const closables: Closable[] = [];
  const made: GatewayController[] = [];

  before(async () => {
    requireComponent('krakend');
    image = requireComponent('krakend-images').image;
    socket = requireComponent('docker').socket;
    docker = connectDocker();
    backend = await startBackend();
    root = await mkdtemp(join(tmpdir(), 'krakend-engines-'));
    config = join(root, 'docker-config');
    mkdirSync(config);
    unix = await unixProxy(socket, join(root, 'engine.sock'));
    closables.push(unix);
    certs = makeCerts(join(root, 'certs'));
    tls = await tlsProxy(socket, certs);
    closables.push(tls);
    // The CLI writes the store; we only read it. Each context is checked with the CLI itself first.
    await dockerCliOk(config, ['context', 'create', 'kl-unix', '--docker', `host=unix://${join(root, 'engine.sock')}`]);
    await dockerCliOk(config, ['context', 'create', 'kl-tls', '--docker', `host=tcp://127.0.0.1:${tls.port},ca=${certs.ca},cert=${certs.clientCert},key=${certs.clientKey}`]);
    await dockerCliOk(config, ['context', 'create', 'kl-badca', '--docker', `host=tcp://127.0.0.1:${tls.port},ca=${certs.otherCa},cert=${certs.clientCert},key=${certs.clientKey}`]);
    await dockerCliOk(config, ['context', 'create', 'kl-gone', '--docker', `host=unix://${join(root, 'gone.sock')}`]);
  });

  after(async () => {
    for (const c of made) c.dispose();
    if (docker) await removeTestResources(docker, run);
    for (const c of closables) await c.close();
    if (backend) await backend.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  function gateway(name: string, env: Record<string, string>, settings: Partial<GatewaySettings> = {}): { ctrl: GatewayController; log: ReturnType<typeof recordingLogger>; configPath: string; port: Promise<number> } {
    const { ctrl, log, configPath } = testGateway({ root, name, run, env, settings: { image, network: 'host', ...settings } });
    made.push(ctrl);
    return { ctrl, log, configPath, port: freePort() };
  }

  void it('the CLI itself reaches the daemon through the unix and TLS contexts, and refuses the bad CA', async () => {
    assert.match(await dockerCliOk(config, ['--context', 'kl-unix', 'version', '--format', '{{.Server.APIVersion}}']), /^1\.\d+/);
    assert.match(await dockerCliOk(config, ['--context', 'kl-tls', 'version', '--format', '{{.Server.APIVersion}}']), /^1\.\d+/);
    const bad = await dockerCli(config, ['--context', 'kl-badca', 'version', '--format', '{{.Server.APIVersion}}']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /certificate/i);
  });

  void it('currentContext (docker context use) → a unix socket at another path: the gateway runs through it, and the source is in the log and the tooltip', async () => {
    await dockerCliOk(config, ['context', 'use', 'kl-unix']);
    const env = { DOCKER_CONFIG: config };
    const c = parseDockerHost('', env, 'linux', readTextFile);
    assert.ok(c.kind === 'socket' && c.socketPath === join(root, 'engine.sock'), JSON.stringify(c));
    const before = unix.connections();
    const g = gateway('unix', env, { reload: 'restart' });
    const port = await g.port;
    await writeFile(g.configPath, gatewayConfig(port, backend.port));
    await g.ctrl.checked(result(`file://${g.configPath}`));
    g.ctrl.start();
    await withTimeout(g.ctrl.whenIdle(), T, 'the gateway to start through the unix context');
    assert.equal(g.ctrl.lifecycle.phase, 'healthy', g.log.lines.join('\n'));
    assert.equal((await get(port, '/hello', 5000)).status, 200);
    assert.ok(unix.connections() > before, 'the requests went through the context\'s socket');
    const snap = g.ctrl.snapshot();
    assert.equal(snap.dockerHost, `unix://${join(root, 'engine.sock')}`);
    assert.equal(snap.dockerSource, `docker context "kl-unix" (currentContext in ${join(config, 'config.json')})`);
    assert.ok(g.log.lines.some((l) => l.includes('Docker engine:') && l.includes('docker context "kl-unix"')), g.log.lines.join('\n'));
    g.ctrl.stop();
    await withTimeout(g.ctrl.whenIdle(), T, 'the stop');
    await dockerCliOk(config, ['context', 'use', 'default']);
  });

  void it('DOCKER_CONTEXT → tcp with the context\'s TLS files: blue/green start and reload through it', async () => {
    const env = { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'kl-tls' };
    const c = parseDockerHost('', env, 'linux', readTextFile);
    assert.ok(c.kind === 'tcp' && c.protocol === 'https' && c.tls?.ca !== undefined, JSON.stringify(c));
    const g = gateway('tls', env, { reload: 'blue-green' });
    const port = await g.port;
    await writeFile(g.configPath, gatewayConfig(port, backend.port));
    await g.ctrl.checked(result(`file://${g.configPath}`));
    g.ctrl.start();
    await withTimeout(g.ctrl.whenIdle(), T, 'the gateway to start through the TLS context');
    assert.equal(g.ctrl.lifecycle.phase, 'healthy', g.log.lines.join('\n'));
    assert.equal(g.ctrl.currentPlan?.reload, 'blueGreen');
    const reloads = g.ctrl.lifecycle.reloads;
    await writeFile(g.configPath, gatewayConfig(port, backend.port, '/v2'));
    await g.ctrl.checked(result(`file://${g.configPath}`));
    await withTimeout(g.ctrl.whenIdle(), T, 'the blue/green reload');
    assert.equal(g.ctrl.lifecycle.reloads, reloads + 1, g.log.lines.join('\n'));
    assert.match((await get(port, '/hello', 5000)).body, /"message":"v2"/);
    assert.equal(g.ctrl.snapshot().dockerSource, 'docker context "kl-tls" (DOCKER_CONTEXT)');
    g.ctrl.stop();
    await withTimeout(g.ctrl.whenIdle(), T, 'the stop');
  });

  void it('a TLS verification failure says which CA and how to fix the context', async () => {
    const c = parseDockerHost('', { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'kl-badca' }, 'linux', readTextFile);
    const adapter = new DockerAdapter(c, { timeoutMs: 10_000 });
    const err = await dockerError(adapter.ping());
    adapter.dispose();
    assert.equal(err.kind, 'dockerUnavailable');
    assert.match(err.message, /TLS verification of the Docker engine at https:\/\/127\.0\.0\.1:\d+ \(docker context "kl-badca" \(DOCKER_CONTEXT\)\) failed/);
    assert.match(err.message, /docker context update kl-badca/);
  });

  void it('a context that does not exist, and one whose endpoint has nothing behind it, say what to do', async () => {
    const g = gateway('nocontext', { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'kl-nope' });
    await g.ctrl.probeDocker();
    assert.equal(g.ctrl.lifecycle.phase, 'dockerUnavailable');
    assert.match(g.ctrl.lifecycle.fault?.message ?? '', /docker context "kl-nope", which does not exist.*docker context ls/s);
    const c = parseDockerHost('', { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'kl-gone' }, 'linux', readTextFile);
    const adapter = new DockerAdapter(c, { timeoutMs: 10_000 });
    const err = await dockerError(adapter.ping());
    adapter.dispose();
    assert.equal(err.kind, 'dockerUnavailable');
    assert.match(err.message, /No Docker engine answers at unix:\/\/.*gone\.sock, the endpoint of docker context "kl-gone".*docker context use default/);
  });

  void it('permission denied on the socket (a user outside the docker group) names the docker group', async () => {
    // Root passes any file mode, so the adapter runs as `nobody` against a socket only root may open.
    const locked = join(root, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o755);
    const path = join(locked, 'docker.sock');
    closables.push(await unixProxy(socket, path, 0o600));
    const script = [
      "const { DockerAdapter } = require('./client/src/gateway/docker');",
      `const a = new DockerAdapter({ kind: 'socket', socketPath: ${JSON.stringify(path)}, description: 'unix://${path}', origin: { kind: 'setting' } });`,
      'a.ping().then(() => console.log(JSON.stringify({ ok: true })), (e) => console.log(JSON.stringify({ kind: e.kind, message: e.message }))).finally(() => a.dispose());',
    ].join('\n');
    const r = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', '-e', script],
        { cwd: join(__dirname, '..', '..'), uid: 65534, gid: 65534, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' }, encoding: 'utf8', timeout: 60_000 },
        (_err, stdout, stderr) => resolve({ stdout, stderr }),
      );
    });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    assert.ok(line.startsWith('{'), `the child printed no result: ${r.stderr.slice(0, 1500)}`);
    const out = JSON.parse(line) as { ok?: boolean; kind?: string; message?: string };
    assert.equal(out.kind, 'dockerPermission', line);
    assert.match(out.message ?? '', /Permission denied on the Docker socket .*usermod -aG docker/);
  });

  void it('an engine too old for API 1.25 is refused with the versions and what to do', async () => {
    const path = join(root, 'old.sock');
    closables.push(await oldApiProxy(socket, path, '1.24'));
    const adapter = new DockerAdapter({ kind: 'socket', socketPath: path, description: `unix://${path}`, origin: { kind: 'setting' } });
    const err = await dockerError(adapter.ping());
    adapter.dispose();
    assert.equal(err.kind, 'plan');
    assert.match(err.message, /too old: it speaks Engine API 1\.24 .*needs API 1\.25/);
    // The same proxy with a current API passes: the refusal is the version, not the proxy.
    const ok = join(root, 'new.sock');
    closables.push(await oldApiProxy(socket, ok, '1.41'));
    const fine = new DockerAdapter({ kind: 'socket', socketPath: ok, description: `unix://${ok}` });
    await fine.ping();
    fine.dispose();
  });
});

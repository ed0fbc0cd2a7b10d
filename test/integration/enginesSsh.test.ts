// needs: docker, krakend, krakend-images, sshd
// (integration) An ssh:// engine through a real docker context: a real OpenSSH server on 127.0.0.1
// (its own config, host key and port), key auth as a user of its own (test-env.sh made it, in the
// docker group), and the remote side's `docker system dial-stdio` (Debian's /usr/bin/docker) in
// front of the test daemon. The gateway starts and reloads through it; an untrusted or changed host
// key and a refused login each say what to do.
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Docker from 'dockerode';
import { GatewayController } from '../../client/src/gateway/controller';
import type { Logger } from '../../client/src/gateway/controller';
import { DockerAdapter, DockerError } from '../../client/src/gateway/docker';
import { fingerprint } from '../../client/src/gateway/engine/ssh';
import { readTextFile } from '../../client/src/gateway/engine/nodeFs';
import { parseDockerHost } from '../../client/src/gateway/plan';
import { DEFAULT_GATEWAY_SETTINGS } from '../../shared/settings';
import { connectDocker, freePort, gatewayConfig, get, newRunId, removeTestResources, startBackend, testLabels, withTimeout } from '../support/docker';
import type { Backend } from '../support/docker';
import { dockerCliOk, startSshd } from '../support/engines';
import type { Sshd } from '../support/engines';
import { requireComponent } from '../support/env';

const T = 90_000;

function logger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (level: string) => (m: string): void => {
    lines.push(`${level} ${m}`);
  };
  return { lines, debug: add('debug'), info: add('info'), warn: add('warn'), error: add('error') };
}

async function dockerError(p: Promise<unknown>): Promise<DockerError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DockerError, `expected a DockerError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

void describe('an ssh:// engine through a real sshd (integration)', () => {
  const run = newRunId('engines-ssh');
  let docker: Docker;
  let image: string;
  let backend: Backend;
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
    image = requireComponent('krakend-images').image;
    const ssh = requireComponent('sshd');
    docker = connectDocker();
    backend = await startBackend();
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
    if (root) await rm(root, { recursive: true, force: true });
  });

  void it('DOCKER_CONTEXT → ssh://: the gateway starts and reloads through sshd and the remote docker system dial-stdio', async () => {
    assert.ok(sshd);
    const env = { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'kl-ssh', HOME: home('trusting', `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`) };
    const c = parseDockerHost('', env, 'linux', readTextFile);
    assert.ok(c.kind === 'ssh' && c.port === sshd.port && c.username === sshd.user, JSON.stringify(c));
    const folder = join(root, 'gw');
    mkdirSync(folder);
    const port = await freePort();
    const configPath = join(folder, 'krakend.json');
    const log = logger();
    const ctrl = new GatewayController({
      folder: { path: folder, name: 'ssh' },
      configPath,
      configRelativePath: 'krakend.json',
      stagingDir: join(root, 'gw-staging'),
      settings: () => ({ ...DEFAULT_GATEWAY_SETTINGS, image, network: 'host', gracePeriod: 10, healthTimeout: 30, dockerHost: '', reload: 'restart' }),
      env,
      platform: process.platform,
      readFile: readTextFile,
      log,
      healthIntervalMs: 50,
      extraLabels: testLabels(run),
    });
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

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  COLOR_LABEL,
  CONFIG_LABEL,
  FOLDER_LABEL,
  OWNED_LABEL,
  PlanError,
  buildPlan,
  chooseImage,
  configFacts,
  containerName,
  imageTag,
  isWatchImage,
  parseDockerHost,
  schemaMinor,
  UPSTREAM_LABEL,
  colorHealth,
  colorSpec,
  colorStagingDir,
  flexibleEnv,
  isLocalEngine,
  stagingMounts,
  otherColor,
  PORT_LABEL,
  portInUseMessage,
} from '../../client/src/gateway/plan';
import type { PlanInput } from '../../client/src/gateway/plan';
import { DEFAULT_GATEWAY_SETTINGS } from '../../shared/settings';
import type { GatewaySettings } from '../../shared/settings';

const SCHEMA_213 = 'https://www.krakend.io/schema/v2.13/krakend.json';

function input(settings: Partial<GatewaySettings> = {}, over: Partial<PlanInput> = {}): PlanInput {
  return {
    // Most of these are about the container itself: the restart mode's plan (blue/green has its own tests).
    settings: { ...DEFAULT_GATEWAY_SETTINGS, reload: 'restart', ...settings },
    env: {},
    platform: 'linux',
    folder: { path: '/home/ana/gw', name: 'gw' },
    configRelativePath: 'krakend.json',
    configFileName: 'krakend.json',
    config: { schemaUrl: SCHEMA_213, port: 8080, healthPath: '/__health', healthDisabled: false },
    stagingDir: '/home/ana/.vscode/globalStorage/krakend-live/staging/abc',
    ...over,
  };
}

// ---- Docker host ---------------------------------------------------------------------------

void test('no setting and no DOCKER_HOST: the default unix socket', () => {
  assert.deepEqual(parseDockerHost('', {}, 'linux'), { kind: 'socket', socketPath: '/var/run/docker.sock', description: 'unix:///var/run/docker.sock' });
});

void test('windows default is the named pipe', () => {
  const c = parseDockerHost('', {}, 'win32');
  assert.equal(c.kind, 'socket');
  assert.equal(c.kind === 'socket' && c.socketPath, '//./pipe/docker_engine');
});

void test('DOCKER_HOST unix:// path, and an empty unix:// falls back to the default', () => {
  const c = parseDockerHost('', { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, 'linux');
  assert.equal(c.kind === 'socket' && c.socketPath, '/run/user/1000/docker.sock');
  const d = parseDockerHost('unix://', {}, 'linux');
  assert.equal(d.kind === 'socket' && d.socketPath, '/var/run/docker.sock');
});

void test('the krakend.docker.host setting wins over DOCKER_HOST', () => {
  const c = parseDockerHost('unix:///tmp/mine.sock', { DOCKER_HOST: 'tcp://10.0.0.1:2375' }, 'linux');
  assert.equal(c.kind === 'socket' && c.socketPath, '/tmp/mine.sock');
});

void test('tcp: plain http on 2375, https on 2376 or with DOCKER_TLS_VERIFY, certs from DOCKER_CERT_PATH', () => {
  assert.deepEqual(parseDockerHost('tcp://build.local:2375', {}, 'linux'), {
    kind: 'tcp', host: 'build.local', port: 2375, protocol: 'http', description: 'tcp://build.local:2375',
  });
  const tls = parseDockerHost('tcp://build.local:2376', { DOCKER_CERT_PATH: '/certs' }, 'linux');
  assert.equal(tls.kind === 'tcp' && tls.protocol, 'https');
  assert.equal(tls.kind === 'tcp' && tls.certPath, '/certs');
  const verify = parseDockerHost('', { DOCKER_HOST: 'tcp://h:1234', DOCKER_TLS_VERIFY: '1' }, 'linux');
  assert.equal(verify.kind === 'tcp' && verify.protocol, 'https');
  assert.equal(verify.kind === 'tcp' && verify.port, 1234);
});

void test('a bare host:port is tcp, like the docker CLI', () => {
  const c = parseDockerHost('localhost:2375', {}, 'linux');
  assert.equal(c.kind, 'tcp');
  assert.equal(c.kind === 'tcp' && c.host, 'localhost');
});

void test('ssh with user, port and the SSH agent', () => {
  assert.deepEqual(parseDockerHost('ssh://deploy@docker.example:2222', { SSH_AUTH_SOCK: '/tmp/agent' }, 'linux'), {
    kind: 'ssh', host: 'docker.example', port: 2222, username: 'deploy', agent: '/tmp/agent', description: 'ssh://deploy@docker.example:2222',
  });
  const d = parseDockerHost('ssh://docker.example', {}, 'linux');
  assert.equal(d.kind === 'ssh' && d.port, 22);
  assert.equal(d.kind === 'ssh' && d.username, undefined);
});

void test('unsupported schemes and garbage are PlanErrors', () => {
  assert.throws(() => parseDockerHost('fd://', {}, 'linux'), PlanError);
  assert.throws(() => parseDockerHost('http://[bad', {}, 'linux'), PlanError);
});

// ---- image -----------------------------------------------------------------------------------

void test('schemaMinor reads the version folder of a krakend.io schema URL', () => {
  assert.equal(schemaMinor(SCHEMA_213), '2.13');
  assert.equal(schemaMinor('https://www.krakend.io/schema/v2.1/krakend.json'), '2.1');
  assert.equal(schemaMinor('https://www.krakend.io/schema/krakend.json'), undefined);
  assert.equal(schemaMinor('https://example.com/schema/v2.13/krakend.json'), undefined);
  assert.equal(schemaMinor(undefined), undefined);
});

void test('default image: the $schema minor, else latest; the setting always wins', () => {
  assert.deepEqual(chooseImage('', SCHEMA_213), { reference: 'krakend:2.13', watch: false, origin: 'schema' });
  assert.deepEqual(chooseImage('', undefined), { reference: 'krakend:latest', watch: false, origin: 'latest' });
  assert.deepEqual(chooseImage('  ', 'https://example.com/x.json'), { reference: 'krakend:latest', watch: false, origin: 'latest' });
  assert.deepEqual(chooseImage('krakend:watch', SCHEMA_213), { reference: 'krakend:watch', watch: true, origin: 'setting' });
  assert.deepEqual(chooseImage('my/krakend:2.12', SCHEMA_213), { reference: 'my/krakend:2.12', watch: false, origin: 'setting' });
});

void test('watch images are recognised by tag, registry ports are not tags', () => {
  assert.equal(isWatchImage('krakend:watch'), true);
  assert.equal(isWatchImage('devopsfaith/krakend:2.1-watch'), true);
  assert.equal(isWatchImage('registry:5000/krakend'), false);
  assert.equal(imageTag('registry:5000/krakend'), 'latest');
  assert.equal(imageTag('krakend:2.13@sha256:abc'), '2.13');
  assert.equal(isWatchImage('krakend:2.13'), false);
});

// ---- config facts ----------------------------------------------------------------------------

void test('configFacts reads $schema, port and router.health_path from JSON and YAML', () => {
  assert.deepEqual(configFacts(`\uFEFF{"$schema":"${SCHEMA_213}","version":3,"port":9090,"router":{"health_path":"/ready"}}`, 'krakend.json'), {
    schemaUrl: SCHEMA_213, port: 9090, healthPath: '/ready', healthDisabled: false,
  });
  assert.deepEqual(configFacts('version: 3\nport: 8081\nrouter:\n  disable_health: true\n  health_path: ping\n', 'krakend.yaml'), {
    port: 8081, healthPath: '/ping', healthDisabled: true,
  });
});

void test('configFacts falls back to KrakenD defaults for missing or nonsense values', () => {
  assert.deepEqual(configFacts('{"version":3,"port":"80"}', 'krakend.json'), { port: 8080, healthPath: '/__health', healthDisabled: false });
  assert.deepEqual(configFacts('not json', 'krakend.json'), { port: 8080, healthPath: '/__health', healthDisabled: false });
  assert.deepEqual(configFacts('{"port":70000}', 'krakend.json').port, 8080);
});

// ---- container name --------------------------------------------------------------------------

void test('container names follow Docker grammar, are stable, and differ per folder and config', () => {
  const a = containerName('/home/ana/My Gateway!', 'My Gateway!', 'krakend.json');
  assert.match(a, /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/);
  assert.match(a, /^krakend-live-my-gateway-[0-9a-f]{8}$/);
  assert.equal(a, containerName('/home/ana/My Gateway!', 'My Gateway!', 'krakend.json'));
  assert.notEqual(a, containerName('/home/bob/My Gateway!', 'My Gateway!', 'krakend.json'));
  assert.notEqual(a, containerName('/home/ana/My Gateway!', 'My Gateway!', 'sub/krakend.json'));
  assert.match(containerName('/x/ü', 'ü', 'k.json'), /^krakend-live-workspace-[0-9a-f]{8}$/);
});

// ---- the plan --------------------------------------------------------------------------------

void test('default plan: krakend:<schema minor>, run -c, USAGE_DISABLE, labels, 127.0.0.1:8080, read-only staging only', () => {
  const p = buildPlan(input());
  assert.equal(p.image.reference, 'krakend:2.13');
  assert.equal(p.spec.Image, 'krakend:2.13');
  assert.deepEqual(p.spec.Cmd, ['run', '-c', 'krakend.json']);
  assert.deepEqual(p.spec.Env, ['USAGE_DISABLE=1']);
  assert.deepEqual(p.spec.Labels, { [OWNED_LABEL]: 'true', [FOLDER_LABEL]: '/home/ana/gw', [CONFIG_LABEL]: 'krakend.json', [PORT_LABEL]: '8080' });
  assert.equal(p.spec.WorkingDir, '/etc/krakend');
  assert.deepEqual(p.spec.HostConfig.Mounts, [
    { Type: 'bind', Source: '/home/ana/.vscode/globalStorage/krakend-live/staging/abc', Target: '/etc/krakend', ReadOnly: true },
  ]);
  assert.equal(p.spec.HostConfig.NetworkMode, 'bridge');
  assert.deepEqual(p.spec.HostConfig.PortBindings, { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] });
  assert.deepEqual(p.spec.ExposedPorts, { '8080/tcp': {} });
  assert.equal(p.spec.StopSignal, 'SIGTERM');
  assert.equal(p.spec.StopTimeout, 10);
  assert.equal(p.spec.HostConfig.Init, false);
  assert.deepEqual(p.spec.HostConfig.RestartPolicy, { Name: 'no' });
  assert.deepEqual(p.spec.HostConfig.ExtraHosts, ['host.docker.internal:host-gateway'], 'a Linux engine resolves host.docker.internal as Docker Desktop does');
  assert.deepEqual(p.health, { host: '127.0.0.1', port: 8080, path: '/__health', tcpOnly: false });
  assert.equal(p.reload, 'graceful');
  assert.equal(p.healthTimeoutMs, 30_000);
  assert.deepEqual(p.warnings, []);
});

void test('extra env is passed, and cannot turn usage reporting back on', () => {
  const p = buildPlan(input({ env: { FC_ENABLE: '1', USAGE_DISABLE: '0', A: 'b=c' } }));
  assert.deepEqual(p.spec.Env, ['FC_ENABLE=1', 'A=b=c', 'USAGE_DISABLE=1']);
});

void test('custom port and host IP; the container port is the config port', () => {
  const p = buildPlan(input({ port: 18080, hostIp: '0.0.0.0' }, { config: { port: 9090, healthPath: '/ready', healthDisabled: false } }));
  assert.deepEqual(p.spec.HostConfig.PortBindings, { '9090/tcp': [{ HostIp: '0.0.0.0', HostPort: '18080' }] });
  assert.deepEqual(p.spec.ExposedPorts, { '9090/tcp': {} });
  // 0.0.0.0 includes loopback; polling "0.0.0.0" would not be portable.
  assert.deepEqual(p.health, { host: '127.0.0.1', port: 18080, path: '/ready', tcpOnly: false });
  assert.equal(p.image.reference, 'krakend:latest');
});

void test('host network: no port bindings, no exposed ports, health on the config port, a warning when the port setting differs', () => {
  const p = buildPlan(input({ network: 'host', port: 18080 }, { config: { port: 9090, healthPath: '/__health', healthDisabled: false } }));
  assert.equal(p.spec.HostConfig.NetworkMode, 'host');
  assert.deepEqual(p.spec.HostConfig.PortBindings, {});
  assert.deepEqual(p.spec.ExposedPorts, {});
  assert.deepEqual(p.spec.HostConfig.ExtraHosts, ['host.docker.internal:host-gateway'], 'host networking too: the same config works in both modes');
  assert.deepEqual(p.health, { host: '127.0.0.1', port: 9090, path: '/__health', tcpOnly: false });
  assert.equal(p.warnings.length, 2);
  assert.match(p.warnings[1]!, /krakend\.gateway\.port \(18080\) does not apply/);
  assert.equal(buildPlan(input({ network: 'host' })).warnings.length, 1, 'same port: only the interface warning');
});

void test('host network: warns that the 127.0.0.1 default does not apply (KrakenD binds every interface unless listen_ip)', () => {
  for (const hostIp of ['', '127.0.0.1', '192.0.2.1']) {
    const w = buildPlan(input({ network: 'host', hostIp })).warnings;
    assert.equal(w.length, 1, hostIp);
    assert.match(w[0]!, /krakend\.gateway\.hostIp \((127\.0\.0\.1|192\.0\.2\.1)\) does not apply/);
    assert.match(w[0]!, /every interface/);
    assert.match(w[0]!, /listen_ip/);
  }
  assert.deepEqual(buildPlan(input({ network: 'bridge' })).warnings, [], 'bridge publishes on 127.0.0.1: nothing to warn');
});

void test('watch image: reflex reloads, tini as PID 1 so SIGTERM is not ignored by sh, and a warning', () => {
  const p = buildPlan(input({ image: 'krakend:watch' }));
  assert.equal(p.reload, 'watch');
  assert.equal(p.spec.HostConfig.Init, true);
  assert.deepEqual(p.spec.Cmd, ['run', '-c', 'krakend.json']);
  assert.match(p.warnings.join('\n'), /reflex/);
});

void test('disable_health: the health check is a TCP probe', () => {
  const p = buildPlan(input({}, { config: { port: 8080, healthPath: '/__health', healthDisabled: true } }));
  assert.equal(p.health.tcpOnly, true);
});

void test('a YAML config runs with its own name', () => {
  const p = buildPlan(input({}, { configFileName: 'krakend.yaml', configRelativePath: 'gw/krakend.yaml' }));
  assert.deepEqual(p.spec.Cmd, ['run', '-c', 'krakend.yaml']);
  assert.equal(p.spec.Labels[CONFIG_LABEL], 'gw/krakend.yaml');
});

void test('a remote engine: the files go by archive, health goes to the remote host, and a warning says where the port is published', () => {
  const p = buildPlan(input({ dockerHost: 'tcp://docker.example:2375' }));
  assert.equal(p.connection.kind, 'tcp');
  assert.equal(p.configDelivery, 'archive');
  assert.deepEqual(p.spec.HostConfig.Mounts, []);
  assert.equal(p.mountRule, undefined);
  assert.equal(p.health.host, 'docker.example');
  // The 127.0.0.1 default publishes on that machine's loopback: the note says so and both ways out.
  const note = p.warnings.join('\n');
  assert.match(note, /published there, on docker\.example, not on this machine: 127\.0\.0\.1:8080 there/);
  assert.ok(note.includes('`ssh -N -L 8080:127.0.0.1:8080 docker.example`'), note);
  assert.match(note, /set krakend\.gateway\.hostIp to "0\.0\.0\.0" to publish it at http:\/\/docker\.example:8080/);
  assert.doesNotMatch(note, /must exist at the same path/, 'no bind mount, so no path to share');
  const open = buildPlan(input({ dockerHost: 'ssh://ana@build.example:2222', hostIp: '0.0.0.0', port: 9000 }));
  assert.deepEqual(open.warnings, ["The Docker engine at ssh://ana@build.example:2222 is on another machine: the gateway's port is published there, on build.example, not on this machine: http://build.example:9000 (krakend.gateway.hostIp 0.0.0.0 publishes it on every interface there)."]);
  assert.match(buildPlan(input({ dockerHost: 'ssh://ana@build.example:2222' })).warnings.join('\n'), /`ssh -N -L 8080:127\.0\.0\.1:8080 -p 2222 ana@build\.example`/);
  assert.match(buildPlan(input({ dockerHost: 'ssh://build.example', network: 'host' })).warnings.join('\n'), /with host networking KrakenD listens on build\.example:8080/);
  const local = buildPlan(input({ dockerHost: 'tcp://127.0.0.1:2375' }));
  assert.equal(local.health.host, '127.0.0.1');
  assert.equal(local.configDelivery, 'bind');
  assert.deepEqual(local.warnings, []);
});

void test('an ssh:// engine\'s gateway is probed on the engine\'s machine, where its port is published; blue/green\'s proxy and every other engine from here', () => {
  const remote = buildPlan(input({ dockerHost: 'ssh://ana@build.example' }));
  assert.deepEqual(remote.health, { host: '127.0.0.1', port: 8080, path: '/__health', tcpOnly: false, via: 'engine' });
  assert.match(remote.warnings.join('\n'), /the health check opens its connection there, through the engine's ssh connection/);
  assert.deepEqual(buildPlan(input({ dockerHost: 'ssh://ana@build.example', hostIp: '0.0.0.0', port: 9000 })).health, { host: '127.0.0.1', port: 9000, path: '/__health', tcpOnly: false, via: 'engine' });
  assert.equal(buildPlan(input({ dockerHost: 'ssh://ana@build.example', hostIp: '198.51.100.7' })).health.host, '198.51.100.7', 'an address of that machine');
  const hostNet = buildPlan(input({ dockerHost: 'ssh://build.example', network: 'host' }, { config: { port: 9090, healthPath: '/ready', healthDisabled: true } }));
  assert.deepEqual(hostNet.health, { host: '127.0.0.1', port: 9090, path: '/ready', tcpOnly: true, via: 'engine' });
  assert.equal(buildPlan(input({ dockerHost: 'ssh://ana@127.0.0.1:2222' })).health.via, 'engine', 'the rule does not look at the address');
  assert.equal(buildPlan(input({ dockerHost: 'ssh://ana@127.0.0.1:2222', reload: 'blue-green' })).health.via, undefined, 'the proxy is ours, here');
  for (const dockerHost of ['', 'tcp://127.0.0.1:2375', 'tcp://docker.example:2375']) assert.equal(buildPlan(input({ dockerHost })).health.via, undefined, dockerHost);
  assert.equal(buildPlan(input({ dockerHost: 'tcp://docker.example:2375' })).health.host, 'docker.example');
});

void test('config delivery for each engine kind: a bind mount where the engine reads our files, an archive elsewhere (ssh:// always)', () => {
  const cases: readonly [string, string, string, 'bind' | 'archive', boolean][] = [
    // [what, krakend.docker.host, platform, delivery, ports on this machine's loopback]
    ['the default unix socket', '', 'linux', 'bind', true],
    ['a unix socket elsewhere (rootless, Colima, a context)', 'unix:///run/user/1000/docker.sock', 'linux', 'bind', true],
    ['the Windows named pipe', '', 'win32', 'bind', true],
    ['tcp to 127.0.0.1: the same machine', 'tcp://127.0.0.1:2375', 'linux', 'bind', true],
    ['tcp to localhost', 'tcp://localhost:2376', 'linux', 'bind', true],
    ['tcp to [::1]', 'tcp://[::1]:2375', 'linux', 'bind', true],
    ['tcp to 127.0.0.2, loopback too', 'tcp://127.0.0.2:2375', 'linux', 'bind', true],
    ['tcp to another host by name', 'tcp://docker.example:2375', 'linux', 'archive', false],
    ['tcp to another host by address', 'tcp://192.0.2.10:2376', 'linux', 'archive', false],
    ['ssh to another host', 'ssh://ana@docker.example', 'linux', 'archive', false],
    ['ssh to 127.0.0.1: files over ssh, ports here', 'ssh://ana@127.0.0.1:2222', 'linux', 'archive', true],
    ['ssh to localhost', 'ssh://localhost', 'darwin', 'archive', true],
  ];
  for (const [what, dockerHost, platform, delivery, local] of cases) {
    const p = buildPlan(input({ dockerHost }, { platform }));
    assert.equal(p.configDelivery, delivery, what);
    assert.equal(p.spec.HostConfig.Mounts.length, delivery === 'bind' ? 1 : 0, what);
    assert.equal(isLocalEngine(p.connection), local, what);
    // Probed from here at 127.0.0.1 when the ports are ours; an ssh:// engine's from its own side.
    assert.equal(p.health.via === 'engine' || p.health.host === '127.0.0.1', local || dockerHost.startsWith('ssh:'), `${what}: health at ${p.health.host}`);
    if (delivery === 'bind') assert.deepEqual(p.spec.HostConfig.Mounts[0], { Type: 'bind', Source: input().stagingDir, Target: '/etc/krakend', ReadOnly: true }, what);
  }
});

void test('impossible ports are PlanErrors', () => {
  assert.throws(() => buildPlan(input({ port: 0 })), PlanError);
  assert.throws(() => buildPlan(input({ port: 65536 })), PlanError);
  assert.throws(() => buildPlan(input({ port: 80.5 })), PlanError);
});

void test('every setting combination keeps the invariants', () => {
  let n = 0;
  for (const network of ['bridge', 'host'] as const) {
    for (const image of ['', 'krakend:2.12', 'krakend:watch', 'r:5000/k:2.13-watch']) {
      for (const hostIp of ['127.0.0.1', '0.0.0.0', '']) {
        for (const dockerHost of ['', 'unix:///tmp/d.sock', 'tcp://127.0.0.1:2375', 'ssh://u@remote']) {
          for (const schemaUrl of [SCHEMA_213, undefined]) {
            for (const env of [{}, { X: '1' }] as Record<string, string>[]) {
              const p = buildPlan(input({ network, image, hostIp, dockerHost, env, gracePeriod: 3 }, { config: { ...(schemaUrl ? { schemaUrl } : {}), port: 8080, healthPath: '/__health', healthDisabled: false } }));
              n++;
              // Only the staging folder, always read-only, always at /etc/krakend; nothing where the files go by archive.
              assert.equal(p.configDelivery, dockerHost.startsWith('ssh:') ? 'archive' : 'bind');
              if (p.configDelivery === 'bind') {
                assert.equal(p.spec.HostConfig.Mounts.length, 1);
                assert.equal(p.spec.HostConfig.Mounts[0]!.ReadOnly, true);
                assert.equal(p.spec.HostConfig.Mounts[0]!.Source, input().stagingDir);
                assert.equal(p.spec.HostConfig.Mounts[0]!.Target, '/etc/krakend');
              } else {
                assert.deepEqual(p.spec.HostConfig.Mounts, []);
              }
              assert.equal(p.spec.Labels[OWNED_LABEL], 'true');
              assert.equal(p.spec.Env.at(-1), 'USAGE_DISABLE=1');
              assert.deepEqual(p.spec.Cmd.slice(0, 2), ['run', '-c']);
              assert.equal(p.spec.StopTimeout, 3);
              assert.equal(p.reload, isWatchImage(p.image.reference) ? 'watch' : 'graceful');
              assert.equal(p.spec.HostConfig.Init, p.reload === 'watch');
              if (image === '') assert.equal(p.image.reference, schemaUrl ? 'krakend:2.13' : 'krakend:latest');
              if (network === 'host') {
                assert.deepEqual(p.spec.HostConfig.PortBindings, {});
              } else {
                const b = p.spec.HostConfig.PortBindings['8080/tcp'];
                assert.deepEqual(b, [{ HostIp: hostIp || '127.0.0.1', HostPort: '8080' }]);
              }
            }
          }
        }
      }
    }
  }
  assert.equal(n, 2 * 4 * 3 * 4 * 2 * 2);
});

void test('extra labels are added, but cannot override ours', () => {
  const p = buildPlan(input({}, { extraLabels: { 'dev.krakend-live.test': 'run-1', [OWNED_LABEL]: 'false' } }));
  assert.equal(p.spec.Labels['dev.krakend-live.test'], 'run-1');
  assert.equal(p.spec.Labels[OWNED_LABEL], 'true');
});

// ---- blue/green ------------------------------------------------------------------------------

void test('blue/green on a bridge: the proxy takes the published address, each color publishes the config port on a loopback port of its own', () => {
  const p = buildPlan(input({ reload: 'blue-green', hostIp: '0.0.0.0', port: 9000 }));
  assert.equal(p.reload, 'blueGreen');
  assert.deepEqual(p.proxy, { host: '0.0.0.0', port: 9000 });
  assert.equal(p.health.port, 9000);
  const blue = colorSpec(p, 'blue', 41000, '/s/abc');
  assert.equal(blue.name, `${p.spec.name}-blue`);
  assert.deepEqual(blue.HostConfig.PortBindings, { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '41000' }] });
  assert.deepEqual(blue.HostConfig.Mounts, [{ Type: 'bind', Source: '/s/abc-blue', Target: '/etc/krakend', ReadOnly: true }]);
  assert.equal(blue.Labels[COLOR_LABEL], 'blue');
  assert.equal(blue.Labels[UPSTREAM_LABEL], '41000');
  assert.deepEqual(blue.HostConfig.ExtraHosts, ['host.docker.internal:host-gateway'], 'every color resolves host.docker.internal');
  assert.ok(!blue.Env.some((e) => e.startsWith('KRAKEND_PORT=')), 'inside a bridge KrakenD keeps its own port');
  assert.deepEqual(colorHealth(p, 41000), { host: '127.0.0.1', port: 41000, path: '/__health', tcpOnly: false });
  assert.equal(colorSpec(p, 'green', 41001, '/s/abc').HostConfig.Mounts[0]?.Source, '/s/abc-green');
});

void test('blue/green with host networking: KrakenD is moved to a loopback port by env; the proxy listens on the config port at hostIp, so the hostIp warning does not apply', () => {
  const p = buildPlan(input({ reload: 'blue-green', network: 'host', env: { KRAKEND_PORT: '1', FOO: 'bar' } }, { config: { port: 9090, healthPath: '/ready', healthDisabled: false } }));
  assert.equal(p.reload, 'blueGreen');
  assert.deepEqual(p.proxy, { host: '127.0.0.1', port: 9090 });
  assert.deepEqual(p.warnings, []);
  const green = colorSpec(p, 'green', 42000, '/s/abc');
  assert.deepEqual(green.HostConfig.PortBindings, {});
  assert.deepEqual(green.Env, ['FOO=bar', 'USAGE_DISABLE=1', 'KRAKEND_PORT=42000', 'KRAKEND_LISTEN_IP=127.0.0.1']);
});

void test('blue/green falls back to graceful restarts for a :watch image and a remote engine, and says why', () => {
  const watch = buildPlan(input({ reload: 'blue-green', image: 'krakend:watch' }));
  assert.equal(watch.reload, 'watch');
  assert.equal(watch.proxy, undefined);
  assert.ok(watch.warnings.some((w) => /does not apply to a :watch image/.test(w)));
  const remote = buildPlan(input({ reload: 'blue-green', dockerHost: 'ssh://ana@docker.example' }));
  assert.equal(remote.reload, 'graceful');
  assert.equal(remote.proxy, undefined);
  assert.ok(
    remote.warnings.includes(
      'krakend.gateway.reload "blue-green" needs a local Docker engine: our proxy reaches each color\'s container on this machine\'s 127.0.0.1, and the engine at ssh://ana@docker.example publishes ports on docker.example. That engine gets graceful restarts.',
    ),
    remote.warnings.join('\n'),
  );
  assert.ok(remote.warnings.some((w) => /published there, on docker\.example/.test(w)), 'and where the port is');
});

void test('blue/green through ssh:// to this machine: the files go by archive, the colors have no mount, and the proxy reaches them on loopback', () => {
  const p = buildPlan(input({ reload: 'blue-green', dockerHost: 'ssh://ana@127.0.0.1:2222' }));
  assert.equal(p.reload, 'blueGreen');
  assert.equal(p.configDelivery, 'archive');
  assert.deepEqual(p.warnings, []);
  const blue = colorSpec(p, 'blue', 41000, '/s/abc');
  assert.deepEqual(blue.HostConfig.Mounts, []);
  assert.deepEqual(blue.HostConfig.PortBindings, { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '41000' }] });
});

void test('blue/green colors mount their folder as the engine names it: one rule with the plan (a WSL engine sees /mnt/c)', () => {
  const win = input({ reload: 'blue-green', dockerHost: 'tcp://localhost:2375' }, {
    platform: 'win32',
    env: { USERPROFILE: 'C:\\Users\\ana' },
    engineFacts: { engine: 'docker', platformName: 'Docker Engine - Community', kernelVersion: '5.15.153.1-microsoft-standard-WSL2', os: 'linux' },
    stagingDir: 'C:\\Users\\ana\\AppData\\Roaming\\Code\\staging\\abc',
  });
  const p = buildPlan(win);
  assert.equal(p.reload, 'blueGreen');
  assert.deepEqual(p.mountRule, { engine: 'wslEngine', home: 'C:\\Users\\ana' });
  assert.equal(p.spec.HostConfig.Mounts[0]?.Source, '/mnt/c/Users/ana/AppData/Roaming/Code/staging/abc');
  assert.deepEqual(colorSpec(p, 'green', 41000, win.stagingDir).HostConfig.Mounts, [{ Type: 'bind', Source: '/mnt/c/Users/ana/AppData/Roaming/Code/staging/abc-green', Target: '/etc/krakend', ReadOnly: true }]);
  // The function both use.
  assert.deepEqual(stagingMounts(p, 'C:\\x\\s-blue').mounts, [{ Type: 'bind', Source: '/mnt/c/x/s-blue', Target: '/etc/krakend', ReadOnly: true }]);
  assert.deepEqual(stagingMounts({ configDelivery: 'archive' }, '/s').mounts, []);
  // Docker Desktop on Windows takes the Windows path as it is, for the colors too.
  const dd = buildPlan({ ...win, engineFacts: { engine: 'docker', platformName: 'Docker Desktop 4.36.0 (175267)', kernelVersion: '5.15.153.1-microsoft-standard-WSL2', os: 'linux' } });
  assert.equal(colorSpec(dd, 'blue', 41000, win.stagingDir).HostConfig.Mounts[0]?.Source, 'C:\\Users\\ana\\AppData\\Roaming\\Code\\staging\\abc-blue');
});

void test('blue/green colors on Podman before 5.3 get no host-gateway, as the restart container does; from 5.3 and on Docker they do', () => {
  const old = buildPlan(input({ reload: 'blue-green' }, { engineFacts: { engine: 'podman', engineVersion: '4.3.1' } }));
  assert.equal(old.reload, 'blueGreen');
  assert.deepEqual(old.spec.HostConfig.ExtraHosts, []);
  assert.deepEqual(colorSpec(old, 'blue', 41000, '/s/abc').HostConfig.ExtraHosts, []);
  assert.ok(old.warnings.some((w) => /host\.containers\.internal/.test(w)));
  const restart = buildPlan(input({}, { engineFacts: { engine: 'podman', engineVersion: '4.3.1' } }));
  assert.deepEqual(restart.spec.HostConfig.ExtraHosts, colorSpec(old, 'green', 41001, '/s/abc').HostConfig.ExtraHosts);
  for (const engineFacts of [{ engine: 'podman' as const, engineVersion: '5.3.0' }, { engine: 'docker' as const, engineVersion: '20.10.24' }]) {
    const p = buildPlan(input({ reload: 'blue-green' }, { engineFacts }));
    assert.deepEqual(colorSpec(p, 'blue', 41000, '/s/abc').HostConfig.ExtraHosts, ['host.docker.internal:host-gateway'], engineFacts.engine);
  }
});

void test('the other color, and the color staging folders beside the plan\'s own', () => {
  assert.equal(otherColor('blue'), 'green');
  assert.equal(otherColor('green'), 'blue');
  assert.equal(colorStagingDir('/s/abc', 'green'), '/s/abc-green');
});

void test('a Flexible Configuration runs with FC_* pointing at the staged folders and its output in /tmp; the user\'s FC_* env cannot move them', () => {
  const p = buildPlan(input({ env: { FC_OUT: '/etc/krakend/out.json', FOO: '1' } }, { flexible: { settings: true, partials: true, templates: false, out: 'json' } }));
  assert.deepEqual(p.spec.Env, ['FOO=1', 'FC_ENABLE=1', 'FC_SETTINGS=/etc/krakend/settings', 'FC_PARTIALS=/etc/krakend/partials', 'FC_OUT=/tmp/krakend-live-rendered.json', 'USAGE_DISABLE=1']);
  assert.deepEqual(flexibleEnv({ settings: false, partials: false, templates: true, out: 'yaml' }), ['FC_ENABLE=1', 'FC_TEMPLATES=/etc/krakend/templates', 'FC_OUT=/tmp/krakend-live-rendered.yml']);
  assert.ok(!buildPlan(input()).spec.Env.some((e) => e.startsWith('FC_')));
});

void test('blue/green is the default: a plan from the default settings reloads behind the proxy on 127.0.0.1:8080', () => {
  assert.equal(DEFAULT_GATEWAY_SETTINGS.reload, 'blue-green');
  const p = buildPlan({ ...input(), settings: DEFAULT_GATEWAY_SETTINGS });
  assert.equal(p.reload, 'blueGreen');
  assert.deepEqual(p.proxy, { host: '127.0.0.1', port: 8080 });
  assert.deepEqual(p.warnings, []);
});

// ---- a taken port ----------------------------------------------------------------------------

void test('containers are labelled with the port users reach the gateway on', () => {
  assert.equal(buildPlan(input({ port: 9000 })).spec.Labels[PORT_LABEL], '9000');
  assert.equal(buildPlan(input({ port: 9000, network: 'host' }, { config: { schemaUrl: SCHEMA_213, port: 8081, healthPath: '/__health', healthDisabled: false } })).spec.Labels[PORT_LABEL], '8081', 'host networking: the config port');
  assert.equal(buildPlan(input({ port: 9000, reload: 'blue-green' })).spec.Labels[PORT_LABEL], '9000', 'blue/green: the proxy port');
});

void test('a taken port names our own gateway of another window when its labels say so; else another process', () => {
  const at = { host: '127.0.0.1', port: 8080 };
  const own = { folder: '/home/ana/gw', config: 'krakend.json' };
  const other = buildPlan(input({}, { folder: { path: '/home/ana/flexible', name: 'flexible' }, configRelativePath: 'krakend.tmpl' })).spec.Labels;
  const ours = portInUseMessage(at, false, [other], own);
  assert.match(ours, /KrakenD Live's own gateway of flexible \(krakend\.tmpl, \/home\/ana\/flexible\)/);
  assert.doesNotMatch(ours, /another process/);
  assert.match(portInUseMessage(at, false, [], own), /in use by another process/);
  assert.match(portInUseMessage(at, false, [{ ...other, [PORT_LABEL]: '9090' }], own), /another process/, 'a gateway on another port');
  assert.match(portInUseMessage(at, false, [buildPlan(input()).spec.Labels], own), /another process/, 'our own container is not another window');
  assert.match(portInUseMessage(at, true, [], own), /with host networking/);
});

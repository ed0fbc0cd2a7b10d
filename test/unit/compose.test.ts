// Compose stacks as data: which service's container mounts the config's folder, and the plan that
// stands in for it. `docker inspect`-shaped fixtures, as docker-compose 1.29 leaves them on engine 20.10.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPOSE_LABELS, describeStandIn, findComposeService, runFlags, standInPlan } from '../../client/src/gateway/compose';
import type { InspectedContainer } from '../../client/src/gateway/compose';
import { COMPOSE_CONTAINER_LABEL, COMPOSE_SERVICE_LABEL, OWNED_LABEL, buildPlan, colorSpec } from '../../client/src/gateway/plan';
import type { GatewayPlan } from '../../client/src/gateway/plan';
import { DEFAULT_GATEWAY_SETTINGS } from '../../shared/settings';
import type { GatewaySettings } from '../../shared/settings';

function container(over: { id?: string; service?: string; project?: string; running?: boolean; source?: string; target?: string; ports?: Record<string, { HostIp: string; HostPort: string }[]>; env?: string[]; cmd?: string[]; networks?: string[]; oneoff?: boolean } = {}): InspectedContainer {
  const service = over.service ?? 'krakend_ce';
  const project = over.project ?? 'shop';
  return {
    Id: over.id ?? `${service}-id`,
    Name: `/${project}_${service}_1`,
    State: { Running: over.running ?? true },
    Config: {
      Env: over.env ?? ['PATH=/usr/local/sbin:/usr/bin', 'KRAKEND_NAME=shop', 'FC_ENABLE=1', 'FC_SETTINGS=/etc/krakend/settings/dev'],
      Cmd: over.cmd ?? ['run', '-d', '-c', '/etc/krakend/krakend.json'],
      Labels: {
        [COMPOSE_LABELS.project]: project,
        [COMPOSE_LABELS.service]: service,
        [COMPOSE_LABELS.configFiles]: '/home/ana/shop/docker-compose.yml',
        [COMPOSE_LABELS.workingDir]: '/home/ana/shop',
        [COMPOSE_LABELS.oneoff]: over.oneoff ? 'True' : 'False',
      },
    },
    HostConfig: { PortBindings: over.ports ?? { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }] }, NetworkMode: `${project}_default` },
    Mounts: over.source === '' ? [] : [{ Type: 'bind', Source: over.source ?? '/home/ana/shop/config/krakend', Destination: over.target ?? '/etc/krakend' }],
    NetworkSettings: { Networks: Object.fromEntries((over.networks ?? [`${project}_default`]).map((n) => [n, { Aliases: [service, 'abc123'] }])) },
  };
}

const backend = container({ service: 'fake_api', source: '/home/ana/shop/data', ports: {} });

function plan(settings: Partial<GatewaySettings> = {}, flexible = false): GatewayPlan {
  return buildPlan({
    settings: { ...DEFAULT_GATEWAY_SETTINGS, reload: 'restart', image: 'krakend:2.13', ...settings },
    env: {},
    platform: 'linux',
    folder: { path: '/home/ana/shop', name: 'shop' },
    configRelativePath: 'config/krakend/krakend.json',
    configFileName: 'krakend.json',
    config: { port: 8080, healthPath: '/__health', healthDisabled: false },
    stagingDir: '/tmp/staging',
    ...(flexible ? { flexible: { settings: true, partials: false, templates: false, out: 'json' } } : {}),
  });
}

void test('compose: the service that bind-mounts the config folder is found, with its stack, networks, ports, env and command', () => {
  const f = findComposeService([backend, container()], '/home/ana/shop/config/krakend');
  assert.equal(f.kind, 'found');
  if (f.kind !== 'found') return;
  assert.equal(f.service.project, 'shop');
  assert.equal(f.service.service, 'krakend_ce');
  assert.equal(f.service.containerName, 'shop_krakend_ce_1');
  assert.deepEqual(f.service.networks, ['shop_default']);
  assert.deepEqual(f.service.configFiles, ['/home/ana/shop/docker-compose.yml']);
  assert.deepEqual(f.service.mount, { source: '/home/ana/shop/config/krakend', target: '/etc/krakend' });
  assert.equal(describeStandIn(f.service), 'service krakend_ce of compose stack shop');
});

void test('compose: a mount of a folder above the config counts; the deepest mount wins; a sibling folder does not', () => {
  const above = container({ id: 'above', service: 'gw_all', source: '/home/ana/shop' });
  const exact = container({ id: 'exact' });
  assert.equal(findComposeService([above], '/home/ana/shop/config/krakend').kind, 'found');
  const f = findComposeService([above, exact], '/home/ana/shop/config/krakend/');
  assert.equal(f.kind === 'found' ? f.service.containerId : undefined, 'exact');
  // `/home/ana/shop/config/krakend-old` is not under `/home/ana/shop/config/krakend`.
  assert.equal(findComposeService([container({ source: '/home/ana/shop/config/krakend-old' })], '/home/ana/shop/config/krakend').kind, 'none');
  assert.equal(findComposeService([container({ source: '' })], '/home/ana/shop/config/krakend').kind, 'none');
});

void test('compose: one-off `run` containers and containers without compose labels are not services', () => {
  assert.equal(findComposeService([container({ oneoff: true })], '/home/ana/shop/config/krakend').kind, 'none');
  const plain = { ...container(), Config: { ...container().Config, Labels: {} } };
  assert.equal(findComposeService([plain], '/home/ana/shop/config/krakend').kind, 'none');
});

void test('compose: a stopped service is the stack being down, unless it is the one we stopped to stand in for it', () => {
  const stopped = container({ running: false });
  assert.equal(findComposeService([stopped], '/home/ana/shop/config/krakend').kind, 'down');
  assert.equal(findComposeService([stopped], '/home/ana/shop/config/krakend', new Set([stopped.Id])).kind, 'found');
  // A running one wins over a stopped one of another project.
  const f = findComposeService([stopped, container({ id: 'other', project: 'shop2' })], '/home/ana/shop/config/krakend');
  assert.equal(f.kind === 'found' ? f.service.project : undefined, 'shop2');
});

void test('compose: run flags keep -d and drop the config and port flags, in every spelling', () => {
  assert.deepEqual(runFlags(['run', '-d', '-c', 'krakend.json']).flags, ['-d']);
  assert.deepEqual(runFlags(['run', '-dc', 'krakend.json']).flags, ['-d']);
  assert.deepEqual(runFlags(['run', '-c=krakend.json']).flags, []);
  assert.deepEqual(runFlags(['krakend', 'run', '--config', 'x.json', '--debug', '-p', '9000']), { flags: ['--debug'], dropped: ['--config x.json', '-p 9000'] });
  assert.deepEqual(runFlags(['run', '--config=x.json', '-d']).flags, ['-d']);
  assert.deepEqual(runFlags(['check', '-c', 'x']).flags, []);
});

void test('compose: the stand-in plan joins the networks with the service alias, publishes its port, and keeps its env and flags', () => {
  const f = findComposeService([container({ networks: ['shop_default', 'shop_edge'] })], '/home/ana/shop/config/krakend');
  assert.equal(f.kind, 'found');
  if (f.kind !== 'found') return;
  const p = standInPlan(plan(), f.service, 8080, 'krakend.json');
  assert.equal(p.spec.HostConfig.NetworkMode, 'shop_default');
  assert.deepEqual(p.spec.NetworkingConfig, { EndpointsConfig: { shop_default: { Aliases: ['krakend_ce'] }, shop_edge: { Aliases: ['krakend_ce'] } } });
  assert.deepEqual(p.spec.HostConfig.PortBindings, { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }] });
  assert.deepEqual(p.health, { ...plan().health, host: '127.0.0.1', port: 18080 });
  assert.deepEqual(p.spec.Cmd, ['run', '-d', '-c', 'krakend.json']);
  assert.ok(p.spec.Env.includes('KRAKEND_NAME=shop'));
  assert.ok(!p.spec.Env.some((e) => e.startsWith('PATH=')), 'the image PATH is the image’s own');
  // Not a template here: the service's FC variables come along as it had them.
  assert.ok(p.spec.Env.includes('FC_SETTINGS=/etc/krakend/settings/dev'));
  assert.equal(p.spec.Env.at(-1), 'USAGE_DISABLE=1');
  assert.equal(p.spec.Labels[OWNED_LABEL], 'true');
  assert.equal(p.spec.Labels[COMPOSE_SERVICE_LABEL], 'krakend_ce');
  assert.equal(p.spec.Labels[COMPOSE_CONTAINER_LABEL], f.service.containerId);
  assert.ok(!Object.keys(p.spec.Labels).some((k) => k.startsWith('com.docker.compose.')), 'compose must not take our container for one of its own');
  assert.deepEqual(p.compose, { project: 'shop', service: 'krakend_ce', containerId: f.service.containerId, containerName: 'shop_krakend_ce_1', networks: ['shop_default', 'shop_edge'] });
});

void test('compose: with a template, our FC variables (the staged folders) replace the service’s', () => {
  const f = findComposeService([container()], '/home/ana/shop/config/krakend');
  if (f.kind !== 'found') return assert.fail('not found');
  const p = standInPlan(plan({}, true), f.service, 8080, 'krakend.json');
  assert.deepEqual(p.spec.Env.filter((e) => e.startsWith('FC_')), ['FC_ENABLE=1', 'FC_SETTINGS=/etc/krakend/settings', 'FC_OUT=/tmp/krakend-live-rendered.json']);
});

void test('compose: a port published on every interface is published the same; health goes to loopback; other ports come along', () => {
  const f = findComposeService([container({ ports: { '8080/tcp': [{ HostIp: '', HostPort: '8080' }], '9091/tcp': [{ HostIp: '127.0.0.1', HostPort: '9091' }] } })], '/home/ana/shop/config/krakend');
  if (f.kind !== 'found') return assert.fail('not found');
  const p = standInPlan(plan(), f.service, 8080, 'krakend.json');
  assert.deepEqual(p.spec.HostConfig.PortBindings, { '8080/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }], '9091/tcp': [{ HostIp: '127.0.0.1', HostPort: '9091' }] });
  assert.deepEqual(Object.keys(p.spec.ExposedPorts), ['8080/tcp', '9091/tcp']);
  assert.equal(p.health.host, '127.0.0.1');
});

void test('compose: blue/green puts the proxy on the service’s published port, and each color joins the stack with the alias', () => {
  const f = findComposeService([container()], '/home/ana/shop/config/krakend');
  if (f.kind !== 'found') return assert.fail('not found');
  const p = standInPlan(plan({ reload: 'blue-green' }), f.service, 8080, 'krakend.json');
  assert.equal(p.reload, 'blueGreen');
  assert.deepEqual(p.proxy, { host: '127.0.0.1', port: 18080 });
  const green = colorSpec(p, 'green', 40001, '/tmp/staging');
  assert.equal(green.HostConfig.NetworkMode, 'shop_default');
  assert.deepEqual(green.NetworkingConfig, { EndpointsConfig: { shop_default: { Aliases: ['krakend_ce'] } } });
  assert.deepEqual(green.HostConfig.PortBindings, { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '40001' }] });
});

void test('compose: a service that publishes no port keeps the setting’s port, and says so', () => {
  const f = findComposeService([container({ ports: {} })], '/home/ana/shop/config/krakend');
  if (f.kind !== 'found') return assert.fail('not found');
  const base = plan({ port: 8099 });
  const p = standInPlan(base, f.service, 8080, 'krakend.json');
  assert.deepEqual(p.spec.HostConfig.PortBindings, base.spec.HostConfig.PortBindings);
  assert.equal(p.health.port, 8099);
  assert.ok(p.warnings.some((w) => w.includes('publishes no port')));
});

// Engine resolution as the docker CLI does it (docker/cli resolveContextName and the context
// store), as data: a made-up file system in, the connection and its origin out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { contextDirName, describeOrigin, dockerConfigDir, resolveEndpoint } from '../../client/src/gateway/engine/context';
import type { ReadTextFile } from '../../client/src/gateway/engine/context';
import { PlanError, buildPlan, parseDockerHost } from '../../client/src/gateway/plan';
import { DEFAULT_GATEWAY_SETTINGS } from '../../shared/settings';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A context store on a made-up disk under /home/ana/.docker. */
function disk(files: Record<string, string>): ReadTextFile & { reads: string[] } {
  const reads: string[] = [];
  const f = ((path: string) => {
    reads.push(path);
    return files[path];
  }) as ReadTextFile & { reads: string[] };
  f.reads = reads;
  return f;
}

function meta(name: string, host: string, skip = false): string {
  return JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: skip } } });
}

const HOME = '/home/ana';
const CFG = `${HOME}/.docker`;
const metaPath = (root: string, name: string): string => `${root}/contexts/meta/${sha(name)}/meta.json`;
const tlsPath = (root: string, name: string, f: string): string => `${root}/contexts/tls/${sha(name)}/docker/${f}`;

const store = {
  [`${CFG}/config.json`]: JSON.stringify({ auths: {}, currentContext: 'colima' }),
  [metaPath(CFG, 'colima')]: meta('colima', `unix://${HOME}/.colima/default/docker.sock`),
  [metaPath(CFG, 'remote')]: meta('remote', 'ssh://deploy@build.example:2222'),
  [metaPath(CFG, 'secure')]: meta('secure', 'tcp://127.0.0.1:2376'),
  [tlsPath(CFG, 'secure', 'ca.pem')]: 'CA',
  [tlsPath(CFG, 'secure', 'cert.pem')]: 'CERT',
  [tlsPath(CFG, 'secure', 'key.pem')]: 'KEY',
  [metaPath(CFG, 'insecure')]: meta('insecure', 'tcp://127.0.0.1:2376', true),
  [metaPath(CFG, 'plain')]: meta('plain', 'tcp://127.0.0.1:2375'),
  [metaPath(CFG, 'k8s-only')]: JSON.stringify({ Name: 'k8s-only', Metadata: {}, Endpoints: { kubernetes: {} } }),
  [metaPath(CFG, 'broken')]: '{ not json',
};

void test('the store keys a context by the sha256 of its name, as digest.FromString does', () => {
  assert.equal(contextDirName('default'), '37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f');
  assert.equal(contextDirName('colima'), sha('colima'));
});

void test('DOCKER_CONFIG, else ~/.docker (USERPROFILE on Windows)', () => {
  assert.equal(dockerConfigDir({ HOME, DOCKER_CONFIG: '/etc/dc' }, 'linux'), '/etc/dc');
  assert.equal(dockerConfigDir({ HOME }, 'linux'), CFG);
  assert.equal(dockerConfigDir({ USERPROFILE: 'C:\\Users\\ana', HOME: '/x' }, 'win32'), 'C:\\Users\\ana\\.docker');
  assert.equal(dockerConfigDir({}, 'linux'), undefined);
});

interface Case {
  readonly name: string;
  readonly setting?: string;
  readonly env: Record<string, string>;
  readonly files?: Record<string, string>;
  readonly host: string;
  readonly origin: string;
  readonly notes?: number;
}

const cases: readonly Case[] = [
  { name: 'the setting beats everything', setting: 'unix:///tmp/mine.sock', env: { HOME, DOCKER_HOST: 'tcp://h:1', DOCKER_CONTEXT: 'remote' }, host: 'unix:///tmp/mine.sock', origin: 'the krakend.docker.host setting' },
  { name: 'DOCKER_HOST beats DOCKER_CONTEXT, with a note', env: { HOME, DOCKER_HOST: 'tcp://h:1', DOCKER_CONTEXT: 'remote' }, host: 'tcp://h:1', origin: 'DOCKER_HOST', notes: 1 },
  { name: 'DOCKER_HOST beats config.json currentContext, with a note', env: { HOME, DOCKER_HOST: 'unix:///run/d.sock' }, host: 'unix:///run/d.sock', origin: 'DOCKER_HOST', notes: 1 },
  { name: 'DOCKER_CONTEXT beats config.json', env: { HOME, DOCKER_CONTEXT: 'remote' }, host: 'ssh://deploy@build.example:2222', origin: 'docker context "remote" (DOCKER_CONTEXT)' },
  { name: 'config.json currentContext', env: { HOME }, host: `unix://${HOME}/.colima/default/docker.sock`, origin: `docker context "colima" (currentContext in ${CFG}/config.json)` },
  { name: 'DOCKER_CONTEXT=default is the platform socket even with a currentContext', env: { HOME, DOCKER_CONTEXT: 'default' }, host: '', origin: 'the platform default' },
  { name: 'DOCKER_CONFIG moves the whole store', env: { HOME, DOCKER_CONFIG: '/cfg' }, files: { '/cfg/config.json': '{"currentContext":"x1"}', [metaPath('/cfg', 'x1')]: meta('x1', 'unix:///x1.sock') }, host: 'unix:///x1.sock', origin: 'docker context "x1" (currentContext in /cfg/config.json)' },
  { name: 'no config.json: the platform default', env: { HOME: '/nobody' }, host: '', origin: 'the platform default' },
  { name: 'config.json without currentContext', env: { HOME }, files: { [`${CFG}/config.json`]: '{"auths":{}}' }, host: '', origin: 'the platform default' },
  { name: 'no HOME and no DOCKER_CONFIG: the platform default', env: {}, host: '', origin: 'the platform default' },
  { name: 'a context with an empty Host is the platform default address', env: { HOME, DOCKER_CONTEXT: 'empty' }, files: { [metaPath(CFG, 'empty')]: meta('empty', '') }, host: '', origin: 'docker context "empty" (DOCKER_CONTEXT)' },
];

for (const c of cases) {
  void test(`resolution: ${c.name}`, () => {
    const ep = resolveEndpoint(c.setting ?? '', c.env, 'linux', disk({ ...store, ...c.files }));
    assert.equal(ep.host, c.host);
    assert.equal(describeOrigin(ep.origin), c.origin);
    assert.equal(ep.notes.length, c.notes ?? 0, ep.notes.join('\n'));
  });
}

void test('a context with TLS files: https, with each file, the DOCKER_TLS_VERIFY/DOCKER_CERT_PATH of the default context ignored', () => {
  const c = parseDockerHost('', { HOME, DOCKER_CONTEXT: 'secure', DOCKER_CERT_PATH: '/elsewhere' }, 'linux', disk(store));
  assert.equal(c.kind, 'tcp');
  if (c.kind !== 'tcp') return;
  assert.equal(c.protocol, 'https');
  assert.equal(c.certPath, undefined);
  assert.deepEqual(c.tls, { ca: tlsPath(CFG, 'secure', 'ca.pem'), cert: tlsPath(CFG, 'secure', 'cert.pem'), key: tlsPath(CFG, 'secure', 'key.pem'), skipVerify: false });
  assert.equal(c.description, 'https://127.0.0.1:2376');
  assert.equal(c.origin?.kind, 'context');
});

void test('SkipTLSVerify alone turns TLS on; a context without TLS data is plain tcp, even on 2376 with DOCKER_TLS_VERIFY', () => {
  const skip = parseDockerHost('', { HOME, DOCKER_CONTEXT: 'insecure' }, 'linux', disk(store));
  assert.ok(skip.kind === 'tcp' && skip.protocol === 'https' && skip.tls?.skipVerify === true);
  const plain = parseDockerHost('', { HOME, DOCKER_CONTEXT: 'plain', DOCKER_TLS_VERIFY: '1' }, 'linux', disk(store));
  assert.ok(plain.kind === 'tcp' && plain.protocol === 'http' && plain.tls === undefined);
});

void test('an ssh context gets the OpenSSH default known_hosts and identity files of HOME', () => {
  const c = parseDockerHost('', { HOME, DOCKER_CONTEXT: 'remote' }, 'linux', disk(store));
  assert.ok(c.kind === 'ssh');
  if (c.kind !== 'ssh') return;
  assert.deepEqual([c.host, c.port, c.username], ['build.example', 2222, 'deploy']);
  assert.deepEqual(c.knownHosts, [`${HOME}/.ssh/known_hosts`, `${HOME}/.ssh/known_hosts2`, '/etc/ssh/ssh_known_hosts']);
  assert.equal(c.identities?.[0], `${HOME}/.ssh/id_ed25519`);
});

void test('unusable contexts are PlanErrors that say what to do', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ HOME, DOCKER_CONTEXT: 'nope' }, /docker context "nope", which does not exist.*docker context ls.*docker context use/s],
    [{ HOME, DOCKER_CONTEXT: 'k8s-only' }, /has no docker endpoint/],
    [{ HOME, DOCKER_CONTEXT: 'broken' }, /not valid JSON/],
    [{ DOCKER_CONTEXT: 'x' }, /neither DOCKER_CONFIG nor HOME/],
  ];
  for (const [env, re] of cases) {
    assert.throws(() => parseDockerHost('', env, 'linux', disk(store)), (err: unknown) => err instanceof PlanError && re.test(err.message), JSON.stringify(env));
  }
  // config.json's currentContext naming a removed context fails the same way.
  assert.throws(() => parseDockerHost('', { HOME }, 'linux', disk({ [`${CFG}/config.json`]: '{"currentContext":"gone"}' })), /currentContext|config\.json selects the docker context "gone"/);
  assert.throws(() => parseDockerHost('', { HOME }, 'linux', disk({ [`${CFG}/config.json`]: '{oops' })), /config\.json is not valid JSON/);
});

void test('a broken config.json does not matter when DOCKER_HOST is set (the CLI never reads a context then)', () => {
  const c = parseDockerHost('', { HOME, DOCKER_HOST: 'unix:///d.sock' }, 'linux', disk({ [`${CFG}/config.json`]: '{oops' }));
  assert.ok(c.kind === 'socket' && c.socketPath === '/d.sock');
});

void test('without a reader, contexts are not consulted (the old behaviour, kept for callers that pass none)', () => {
  const c = parseDockerHost('', { HOME, DOCKER_CONTEXT: 'remote' }, 'linux');
  assert.ok(c.kind === 'socket' && c.socketPath === '/var/run/docker.sock');
  assert.equal(c.origin, undefined);
});

void test('the plan carries the origin and logs the DOCKER_HOST override once, as a warning', () => {
  const input = {
    settings: DEFAULT_GATEWAY_SETTINGS,
    env: { HOME, DOCKER_HOST: 'unix:///d.sock' },
    platform: 'linux',
    readFile: disk(store),
    folder: { path: '/w', name: 'w' },
    configRelativePath: 'krakend.json',
    configFileName: 'krakend.json',
    config: { port: 8080, healthPath: '/__health', healthDisabled: false },
    stagingDir: '/s',
  };
  const p = buildPlan(input);
  assert.equal(p.connection.origin?.kind, 'DOCKER_HOST');
  assert.match(p.warnings.join('\n'), /DOCKER_HOST \(unix:\/\/\/d\.sock\) overrides the docker context "colima"/);
  const viaContext = buildPlan({ ...input, env: { HOME } });
  assert.equal(describeOrigin(viaContext.connection.origin), `docker context "colima" (currentContext in ${CFG}/config.json)`);
});

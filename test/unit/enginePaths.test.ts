// Where each engine can mount the staging folder from (engine/paths.ts), as data per platform.
// These rules come from Docker's and each product's documentation; no Windows, macOS or WSL
// machine ran them (see the README's engines table).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyEngine, configDelivery, isLoopbackHost, mountSource, windowsToWsl } from '../../client/src/gateway/engine/paths';
import type { EngineFacts, EngineHost } from '../../client/src/gateway/engine/paths';
import { buildPlan } from '../../client/src/gateway/plan';
import type { DockerConnection } from '../../client/src/gateway/plan';
import { DEFAULT_GATEWAY_SETTINGS } from '../../shared/settings';

const sock = (socketPath: string): DockerConnection => ({ kind: 'socket', socketPath, description: `unix://${socketPath}` });
const tcp = (host: string): DockerConnection => ({ kind: 'tcp', host, port: 2375, protocol: 'http', description: `tcp://${host}:2375` });
const ssh = (host: string): DockerConnection => ({ kind: 'ssh', host, port: 22, description: `ssh://${host}` });
const DD_WIN: EngineFacts = { platformName: 'Docker Desktop 4.36.0 (175267)', kernelVersion: '5.15.153.1-microsoft-standard-WSL2', os: 'linux' };
const WSL_DOCKERD: EngineFacts = { platformName: 'Docker Engine - Community', kernelVersion: '5.15.153.1-microsoft-standard-WSL2', os: 'linux' };

const kinds: readonly [string, string, DockerConnection, EngineFacts | undefined, EngineHost][] = [
  ['Linux, the system socket', 'linux', sock('/var/run/docker.sock'), undefined, 'native'],
  ['Linux, rootless', 'linux', sock('/run/user/1000/docker.sock'), undefined, 'native'],
  ['Linux, Docker Desktop socket', 'linux', sock('/home/ana/.docker/desktop/docker.sock'), undefined, 'dockerDesktopLinux'],
  ['Windows, the named pipe', 'win32', sock('//./pipe/docker_engine'), undefined, 'dockerDesktopWindows'],
  ['Windows, tcp to Docker Desktop', 'win32', tcp('localhost'), DD_WIN, 'dockerDesktopWindows'],
  ['Windows, tcp to a dockerd in WSL', 'win32', tcp('localhost'), WSL_DOCKERD, 'wslEngine'],
  ['macOS, Docker Desktop', 'darwin', sock('/Users/ana/.docker/run/docker.sock'), undefined, 'dockerDesktopMac'],
  ['macOS, /var/run/docker.sock', 'darwin', sock('/var/run/docker.sock'), undefined, 'dockerDesktopMac'],
  ['macOS, Colima', 'darwin', sock('/Users/ana/.colima/default/docker.sock'), undefined, 'colima'],
  ['macOS, OrbStack', 'darwin', sock('/Users/ana/.orbstack/run/docker.sock'), undefined, 'orbstack'],
  ['macOS, Rancher Desktop', 'darwin', sock('/Users/ana/.rd/docker.sock'), undefined, 'rancherDesktop'],
  ['any, a remote tcp engine', 'linux', tcp('build.example'), undefined, 'remote'],
  ['any, tcp to [::1]', 'linux', tcp('[::1]'), undefined, 'native'],
  ['any, tcp to 127.0.0.2', 'linux', tcp('127.0.0.2'), undefined, 'native'],
  ['any, ssh to another host', 'linux', ssh('build.example'), undefined, 'remote'],
  // Files over ssh are another account's, often another machine's: remote for files even on loopback.
  ['any, ssh to 127.0.0.1', 'linux', ssh('127.0.0.1'), undefined, 'remote'],
  ['macOS, ssh to localhost', 'darwin', ssh('localhost'), undefined, 'remote'],
];
for (const [name, platform, c, facts, kind] of kinds) {
  void test(`engine kind: ${name}`, () => assert.equal(classifyEngine(platform, c, facts), kind));
}

void test('config delivery: a bind mount for every engine on this machine, an archive for the remote kind only', () => {
  for (const [, platform, c, facts, kind] of kinds) assert.equal(configDelivery(classifyEngine(platform, c, facts)), kind === 'remote' ? 'archive' : 'bind', kind);
  assert.equal(configDelivery('remote'), 'archive');
  for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.255.0.9', '::1', '[::1]']) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ['', 'localhost.example', '128.0.0.1', '127.0.0', '0.0.0.0', '::', 'docker.example']) assert.equal(isLoopbackHost(host), false, host);
});

void test('Windows paths as a WSL engine sees them', () => {
  assert.equal(windowsToWsl('C:\\Users\\ana\\AppData\\Roaming\\Code\\staging'), '/mnt/c/Users/ana/AppData/Roaming/Code/staging');
  assert.equal(windowsToWsl('d:/work/x/'), '/mnt/d/work/x');
  assert.equal(windowsToWsl('C:\\'), '/mnt/c');
  assert.equal(windowsToWsl('C:\\Users\\ana', '/'), '/c/Users/ana', 'a custom [automount] root');
  assert.equal(windowsToWsl('\\\\wsl$\\Ubuntu\\home\\ana\\s'), '/home/ana/s');
  assert.equal(windowsToWsl('\\\\wsl.localhost\\Ubuntu-22.04\\tmp\\s'), '/tmp/s');
  assert.equal(windowsToWsl('\\\\server\\share\\s'), undefined);
  assert.equal(windowsToWsl('/already/linux'), undefined);
});

const mounts: readonly [string, string, EngineHost, string | RegExp, boolean][] = [
  ['native: as is', '/home/ana/.config/Code/User/globalStorage/x/staging/abc', 'native', '/home/ana/.config/Code/User/globalStorage/x/staging/abc', false],
  ['Docker Desktop on Windows: the Windows path', 'C:\\Users\\ana\\AppData\\Roaming\\Code\\User\\globalStorage\\x\\staging\\abc', 'dockerDesktopWindows', 'C:\\Users\\ana\\AppData\\Roaming\\Code\\User\\globalStorage\\x\\staging\\abc', false],
  ['Docker Desktop on Windows: a UNC path cannot be mounted', '\\\\server\\share\\staging', 'dockerDesktopWindows', '\\\\server\\share\\staging', true],
  ['WSL engine: /mnt/c', 'C:\\Users\\ana\\AppData\\Roaming\\Code\\staging\\abc', 'wslEngine', '/mnt/c/Users/ana/AppData/Roaming/Code/staging/abc', false],
  ['WSL engine: a UNC share it cannot see', '\\\\server\\share\\staging', 'wslEngine', '\\\\server\\share\\staging', true],
  ['Docker Desktop on macOS: under /Users is shared', '/Users/ana/Library/Application Support/Code/User/globalStorage/x/staging/abc', 'dockerDesktopMac', '/Users/ana/Library/Application Support/Code/User/globalStorage/x/staging/abc', false],
  ['Docker Desktop on macOS: /var/folders is shared', '/var/folders/zz/abc/T/staging', 'dockerDesktopMac', '/var/folders/zz/abc/T/staging', false],
  ['Docker Desktop on macOS: /opt is not', '/opt/krakend/staging', 'dockerDesktopMac', '/opt/krakend/staging', true],
  ['Docker Desktop on macOS: /Usersfoo is not /Users', '/Usersfoo/staging', 'dockerDesktopMac', '/Usersfoo/staging', true],
  ['Colima: the home folder', '/Users/ana/Library/x/staging', 'colima', '/Users/ana/Library/x/staging', false],
  ['Colima: outside home', '/Volumes/ext/staging', 'colima', '/Volumes/ext/staging', true],
  ['OrbStack: anything', '/Volumes/ext/staging', 'orbstack', '/Volumes/ext/staging', false],
  ['Rancher Desktop: outside home', '/opt/staging', 'rancherDesktop', '/opt/staging', true],
  ['Docker Desktop on Linux: home is shared', '/Users/ana/.config/x', 'dockerDesktopLinux', '/Users/ana/.config/x', false],
  ['Docker Desktop on Linux: /srv is not', '/srv/x', 'dockerDesktopLinux', '/srv/x', true],
  ['remote: the same path must exist there', '/home/ana/s', 'remote', '/home/ana/s', true],
];
for (const [name, staging, host, source, warns] of mounts) {
  void test(`mount source: ${name}`, () => {
    const m = mountSource(staging, host, { home: '/Users/ana' });
    assert.equal(m.source, source);
    assert.equal(m.warning !== undefined, warns, m.warning);
  });
}

void test('the outside-the-shares warning says where to add the folder', () => {
  assert.match(mountSource('/opt/s', 'dockerDesktopMac').warning ?? '', /Settings > Resources > File sharing/);
  assert.match(mountSource('/opt/s', 'colima', { home: '/Users/ana' }).warning ?? '', /colima start --mount/);
});

void test('the plan mounts what the engine can see: a WSL engine gets /mnt/c, and a shares warning reaches the plan', () => {
  const input = {
    settings: { ...DEFAULT_GATEWAY_SETTINGS, dockerHost: 'tcp://localhost:2375' },
    env: { USERPROFILE: 'C:\\Users\\ana' },
    platform: 'win32',
    engineFacts: WSL_DOCKERD,
    folder: { path: 'C:\\work\\gw', name: 'gw' },
    configRelativePath: 'krakend.json',
    configFileName: 'krakend.json',
    config: { port: 8080, healthPath: '/__health', healthDisabled: false },
    stagingDir: 'C:\\Users\\ana\\AppData\\Roaming\\Code\\staging\\abc',
  };
  assert.equal(buildPlan(input).spec.HostConfig.Mounts[0]?.Source, '/mnt/c/Users/ana/AppData/Roaming/Code/staging/abc');
  assert.equal(buildPlan({ ...input, engineFacts: DD_WIN }).spec.HostConfig.Mounts[0]?.Source, input.stagingDir);
  const mac = buildPlan({ ...input, settings: DEFAULT_GATEWAY_SETTINGS, platform: 'darwin', env: { HOME: '/Users/ana' }, engineFacts: {}, stagingDir: '/opt/s' });
  assert.match(mac.warnings.join('\n'), /Docker Desktop shares only/);
});

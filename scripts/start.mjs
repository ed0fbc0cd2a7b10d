// `npm start`: try KrakenD Live in a real VS Code (code-server) on 127.0.0.1, with the freshly
// packaged .vsix installed and a copy of examples/ (a two-endpoint krakend.json and its backend).
// Usage: npm start [-- --port 8443] [-- --fresh]   Ctrl-C stops everything it started.
//
// Everything lives under ~/.cache/krakend-live/try-it; the repository's files are never modified.
import { spawn, spawnSync } from 'node:child_process';
import { runQuietly } from './quietRun.mjs';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CODE_SERVER_VERSION = '4.100.3';
const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'krakend-live');
const tryIt = join(cache, 'try-it');
const args = process.argv.slice(2);
const fresh = args.includes('--fresh');
const portArg = args.indexOf('--port');
const wantedPort = portArg >= 0 ? Number(args[portArg + 1]) : 8443;
const BACKEND_PORT = 8081;
const OWNED_LABEL = 'dev.krakend-live.owned=true';

function step(message) {
  console.log(`\x1b[36m›\x1b[0m ${message}`);
}

function fail(message) {
  console.error(`\x1b[31mnpm start: ${message}\x1b[0m`);
  process.exit(1);
}

function runOrFail(what, cmd, cmdArgs, options = {}) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', ...options });
  if (r.status !== 0) fail(`${what} failed (${cmd} ${cmdArgs.join(' ')} exited with ${r.status ?? r.signal})`);
}

// --- 1. code-server: $KRAKEND_CODE_SERVER (its entry.js or a code-server executable), the shared
// cached install, a `code-server` on PATH, or else install it into the cache.
// Returns how to launch it: a command and the arguments that come before ours.
function codeServerLauncher() {
  const given = process.env.KRAKEND_CODE_SERVER;
  if (given) return given.endsWith('.js') ? [process.execPath, given] : [given];
  const dir = join(cache, `code-server-${CODE_SERVER_VERSION}`);
  const entry = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (existsSync(join(dir, '.ready')) && existsSync(entry)) return [process.execPath, entry];
  const onPath = spawnSync('code-server', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (onPath.status === 0) {
    step(`using code-server ${onPath.stdout.split('\n')[0]} from PATH`);
    return ['code-server'];
  }
  ensureBuildPrerequisites();
  step(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (once; about a minute)`);
  runOrFail('installing code-server', 'bash', [join(root, 'scripts', 'testEnv', 'codeServer.sh'), dir, CODE_SERVER_VERSION]);
  return [process.execPath, entry];
}

// code-server's native modules build against Kerberos headers, and its search uses ripgrep; on a
// fresh Debian machine neither is there. Install them when we can (root with apt), else say which.
function ensureBuildPrerequisites() {
  const missing = [];
  if (!existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  if (!existsSync('/usr/bin/rg')) missing.push('ripgrep');
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
    fail(`code-server needs these packages first: ${missing.join(' ')} (for example: sudo apt-get install -y ${missing.join(' ')})`);
  }
  step(`installing ${missing.join(' ')} with apt-get`);
  runOrFail('apt-get update', 'apt-get', ['update']);
  runOrFail(`installing ${missing.join(' ')}`, 'apt-get', ['install', '-y', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

// --- 2. the .vsix, rebuilt when any of its inputs is newer.
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((n) => newestMtime(join(path, n))));
}

function ensureVsix() {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = join(root, `${manifest.name}-${manifest.version}.vsix`);
  const inputs = ['client/src', 'server/src', 'shared', 'schemas', 'syntaxes', 'media', 'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'esbuild.mjs'];
  const newest = Math.max(...inputs.map((i) => newestMtime(join(root, i))));
  if (existsSync(vsix) && statSync(vsix).mtimeMs >= newest) return vsix;
  step('packaging the extension (npm run package)');
  if (runQuietly('npm', ['run', 'package'], { cwd: root }) !== 0) fail('npm run package failed (its output is above)');
  return vsix;
}

/**
 * The settings to write: `defaults` for a new file, the file's values over them when it lacks one;
 * undefined (leave the file alone) when it has them all or is not plain JSON (a user's comments).
 */
function withDefaults(file, defaults) {
  if (!existsSync(file)) return defaults;
  try {
    const current = JSON.parse(readFileSync(file, 'utf8'));
    return Object.keys(defaults).every((k) => k in current) ? undefined : { ...defaults, ...current };
  } catch {
    return undefined;
  }
}

function portFree(port) {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });
}

function anyPort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** Starts a process in its own group and resolves once a line of its output matches `ready`. */
function startGroup(name, cmd, cmdArgs, ready, options = {}) {
  const child = spawn(cmd, cmdArgs, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const started = new Promise((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`${name} did not start within 60 s:\n${out.slice(-2000)}`)), 60_000);
    const onData = (d) => {
      out = (out + d.toString()).slice(-20_000);
      if (ready.test(out)) {
        clearTimeout(timer);
        res();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`${name} exited with ${code}:\n${out.slice(-2000)}`));
    });
  });
  return { child, started };
}

function killGroup(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Removes gateway containers the extension started for this try-it folder (our label, our staging mount). */
function removeTryItContainers() {
  const ps = spawnSync('docker', ['ps', '-aq', '--filter', `label=${OWNED_LABEL}`], { encoding: 'utf8', timeout: 10_000 });
  if (ps.status !== 0 || !ps.stdout.trim()) return;
  for (const id of ps.stdout.trim().split('\n')) {
    const inspect = spawnSync('docker', ['inspect', '--format', '{{range .Mounts}}{{.Source}}\n{{end}}', id], { encoding: 'utf8', timeout: 10_000 });
    if (inspect.status === 0 && inspect.stdout.split('\n').some((m) => m.startsWith(tryIt))) {
      spawnSync('docker', ['rm', '-f', id], { stdio: 'ignore', timeout: 30_000 });
    }
  }
}

const [csCommand, ...csPrefix] = codeServerLauncher();
const vsix = ensureVsix();

const userData = join(tryIt, 'user-data');
const extensions = join(tryIt, 'extensions');
const workspace = join(tryIt, 'workspace');
if (fresh) rmSync(tryIt, { recursive: true, force: true });
mkdirSync(join(userData, 'User'), { recursive: true });
mkdirSync(extensions, { recursive: true });
if (!existsSync(workspace)) {
  step(`copying examples/ to ${workspace}`);
  cpSync(join(root, 'examples'), workspace, { recursive: true });
} else {
  step(`reusing your workspace copy at ${workspace} (npm start -- --fresh resets it)`);
}
const settingsFile = join(userData, 'User', 'settings.json');
// Browser VS Code auto-saves after a second by default; desktop VS Code does not, and the try-it
// should behave like the editor users have. Workspace trust stays on: the user decides whether
// this folder may start containers.
const DESKTOP_DEFAULTS = { 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'files.autoSave': 'off' };
const settings = withDefaults(settingsFile, DESKTOP_DEFAULTS);
if (settings) writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);

step('installing the .vsix into the try-it code-server');
const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
runOrFail('installing the extension', csCommand, [...csPrefix, ...common, '--install-extension', vsix, '--force'], { stdio: ['ignore', 'ignore', 'inherit'] });

const port = (await portFree(wantedPort)) ? wantedPort : await anyPort();
if (port !== wantedPort) step(`port ${wantedPort} is busy; using ${port}`);

const children = [];
let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  for (const c of children) killGroup(c, 'SIGTERM');
  const force = setTimeout(() => children.forEach((c) => killGroup(c, 'SIGKILL')), 5_000);
  Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() => {
    clearTimeout(force);
    removeTryItContainers();
    process.exit(code);
  });
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

try {
  if (await portFree(BACKEND_PORT)) {
    const backend = startGroup('example backend', process.execPath, [join(workspace, 'backend.mjs'), String(BACKEND_PORT)], /listening/);
    children.push(backend.child);
    await backend.started;
    // The gateway container calls it as http://host.docker.internal:8081 (examples/krakend.json).
    step(`example backend on port ${BACKEND_PORT} (127.0.0.1, and the Docker bridge's address for host.docker.internal)`);
  } else {
    step(`port ${BACKEND_PORT} is in use; the example backend was not started (krakend.json points there)`);
  }
  const cs = startGroup(
    'code-server',
    csCommand,
    [...csPrefix, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', ...common, workspace],
    /HTTP server listening on/,
  );
  children.push(cs.child);
  await cs.started;
} catch (e) {
  console.error(String(e instanceof Error ? e.message : e));
  stopAll(1);
}

for (const c of children) {
  c.once('exit', (code) => {
    if (!stopping) {
      console.error(`a child process exited unexpectedly (${code}); stopping.`);
      stopAll(1);
    }
  });
}

if (!stopping) {
  console.log(`
KrakenD Live is running in code-server:

    \x1b[1mhttp://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}\x1b[0m

Open krakend.json, break something and save: the Problems panel shows it.
Click the KrakenD item in the status bar (or run "KrakenD: Start Gateway") to run the gateway in Docker;
then try http://127.0.0.1:8080/greeting. Press Ctrl-C to stop.`);
}

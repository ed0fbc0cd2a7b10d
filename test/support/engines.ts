// Real ways to reach the one test daemon as if it were another engine: a unix socket at another
// path, a TLS endpoint on 127.0.0.1 with certificates made by openssl, a real sshd, and the
// docker CLI's own `docker context create`. Never a second dockerd: it would fight the first one
// for the same data-root. Everything started here has a close() the test calls in `after`.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request } from 'node:http';
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { DockerError } from '../../client/src/gateway/docker';
import { freePort, withTimeout } from './docker';

/** Debian's client: it matches the daemon's API (another docker on PATH may be newer). */
export const DOCKER_CLI = '/usr/bin/docker';

/**
 * Runs the docker CLI with its own DOCKER_CONFIG (and nothing of ours in its environment).
 * Asynchronous: the proxies it may talk to live in this process and must keep serving.
 * Resolves with its exit code and output; a CLI that fails is data for the test, not a throw.
 */
export function dockerCli(configDir: string, args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      DOCKER_CLI,
      args,
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', DOCKER_CONFIG: configDir, ...env }, encoding: 'utf8', timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** dockerCli that must succeed; returns its stdout. */
export async function dockerCliOk(configDir: string, args: readonly string[], env: Record<string, string> = {}): Promise<string> {
  const r = await dockerCli(configDir, args, env);
  if (r.code !== 0) throw new Error(`docker ${args.join(' ')} exited with ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

export interface Closable {
  close(): Promise<void>;
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

function pipeTo(target: string, client: Socket, sockets: Set<Socket>): void {
  const upstream = connect(target);
  sockets.add(upstream);
  upstream.on('close', () => sockets.delete(upstream));
  client.pipe(upstream).pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
}

/** A unix socket at `path` that forwards every connection to `target`; counts the connections. */
export async function unixProxy(target: string, path: string, mode = 0o660): Promise<Closable & { connections(): number }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server = createServer((client) => {
    count++;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    pipeTo(target, client, sockets);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, mode);
  return { connections: () => count, close: () => closeServer(server, sockets) };
}

export interface Certs {
  readonly dir: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A CA that signed nothing here: a context with it fails TLS verification. */
  readonly otherCa: string;
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made by openssl. */
export function makeCerts(dir: string): Certs {
  mkdirSync(dir, { recursive: true });
  const f = (n: string): string => join(dir, n);
  const ssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'ignore', timeout: 30_000 });
  };
  for (const ca of ['ca', 'other-ca']) {
    ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f(`${ca}-key.pem`), '-out', f(`${ca}.pem`), '-days', '2', '-subj', `/CN=krakend-live test ${ca}`);
  }
  const leaf = (name: string, ext: string): void => {
    ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f(`${name}-key.pem`), '-out', f(`${name}.csr`), '-subj', `/CN=${name}`);
    writeFileSync(f(`${name}.ext`), ext);
    ssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.pem'), '-CAkey', f('ca-key.pem'), '-CAcreateserial', '-out', f(`${name}.pem`), '-days', '2', '-extfile', f(`${name}.ext`));
  };
  leaf('server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  leaf('client', 'extendedKeyUsage=clientAuth\n');
  return { dir, ca: f('ca.pem'), serverCert: f('server.pem'), serverKey: f('server-key.pem'), clientCert: f('client.pem'), clientKey: f('client-key.pem'), otherCa: f('other-ca.pem') };
}

/**
 * A TLS endpoint on 127.0.0.1 in front of the daemon's socket, as `dockerd --tlsverify` would be:
 * it presents the server certificate and accepts only clients whose certificate the CA signed.
 */
export async function tlsProxy(target: string, certs: Certs): Promise<Closable & { port: number }> {
  const sockets = new Set<Socket>();
  const server = createTlsServer(
    { cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey), ca: readFileSync(certs.ca), requestCert: true, rejectUnauthorized: true },
    (client) => {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      pipeTo(target, client, sockets);
    },
  );
  // A refused handshake is what some tests are about; it must not crash the process.
  server.on('tlsClientError', () => undefined);
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  return { port, close: () => closeServer(server, sockets) };
}

/**
 * An engine that says it speaks an old API: GET …/version answers `apiVersion`, everything else
 * goes to the real daemon. The only way to meet "an engine too old" without installing one.
 */
export async function oldApiProxy(target: string, path: string, apiVersion: string): Promise<Closable> {
  const sockets = new Set<Socket>();
  const server = createHttpServer((req, res) => {
    if (/^(\/v[\d.]+)?\/version(\?|$)/.test(req.url ?? '')) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Api-Version': apiVersion });
      res.end(JSON.stringify({ Version: '1.12.6', ApiVersion: apiVersion, MinAPIVersion: '1.12', Os: 'linux', Arch: 'amd64' }));
      return;
    }
    const up = request({ socketPath: target, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return { close: () => closeServer(server, sockets) };
}

export interface Sshd extends Closable {
  readonly port: number;
  /** `ssh-ed25519 AAAA…`, the host key sshd presents. */
  readonly hostKey: string;
  /** The private key authorized for `user`. */
  readonly clientKey: string;
  readonly user: string;
  /** sshd's own log (-e), for failure messages. */
  log(): string;
}

/**
 * A real OpenSSH server on 127.0.0.1 with a config, host key and authorized key of its own, for
 * `user` (test-env.sh made that user, in the docker group), plus `extraConfig` lines
 * (`AllowTcpForwarding no`, say). Resolves once sshd says it listens.
 */
export async function startSshd(dir: string, binary: string, user: string, extraConfig: readonly string[] = []): Promise<Sshd> {
  mkdirSync(dir, { recursive: true });
  // sshd reads the authorized keys as the user, so the folder and file must be readable by it.
  chmodSync(dir, 0o755);
  const f = (n: string): string => join(dir, n);
  for (const k of ['host', 'client']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', f(k)], { stdio: 'ignore' });
  writeFileSync(f('authorized_keys'), readFileSync(f('client.pub')));
  chmodSync(f('authorized_keys'), 0o644);
  const port = await freePort();
  writeFileSync(
    f('sshd_config'),
    [
      // First: sshd takes the first value it reads for a keyword.
      ...extraConfig,
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${f('host')}`,
      `PidFile ${f('sshd.pid')}`,
      `AuthorizedKeysFile ${f('authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      `AllowUsers ${user}`,
      'PermitRootLogin no',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(binary, ['-D', '-e', '-f', f('sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const listening = new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (c: Buffer) => {
      log += c.toString();
      if (/Server listening on/.test(log)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`sshd exited with ${code}: ${log}`)));
  });
  try {
    await withTimeout(listening, 15_000, 'sshd to listen');
  } catch (err) {
    child.kill();
    throw err;
  }
  const hostKey = readFileSync(f('host.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  return {
    port,
    hostKey,
    clientKey: f('client'),
    user,
    log: () => log,
    close: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await withTimeout(gone, 10_000, 'sshd to exit');
    },
  };
}

/** One file of a container, as the engine's archive API hands it out: its tar header and bytes. */
export interface ContainerFile {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  readonly content: string;
}

interface TarHeader {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  type: string;
}
interface TarExtract {
  on(event: 'entry', cb: (h: TarHeader, stream: NodeJS.ReadableStream, next: () => void) => void): void;
  on(event: 'finish', cb: () => void): void;
  on(event: 'error', cb: (err: Error) => void): void;
}

/**
 * Reads one file out of a container (`GET /containers/{id}/archive`), running or not, with the
 * owner and mode the engine stored; undefined when it is not there. tar-stream is dockerode's own
 * reader (through tar-fs), not ours.
 */
export async function containerFile(container: { getArchive(opts: { path: string }): Promise<NodeJS.ReadableStream> }, path: string): Promise<ContainerFile | undefined> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await container.getArchive({ path });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
  const tar = createRequire(__filename)('tar-stream') as { extract(): TarExtract & NodeJS.WritableStream };
  const ex = tar.extract();
  let found: ContainerFile | undefined;
  const done = new Promise<void>((resolve, reject) => {
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  ex.on('entry', (h, s, next) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => {
      if (h.type === 'file' && !found) found = { uid: h.uid, gid: h.gid, mode: h.mode & 0o7777, content: Buffer.concat(chunks).toString('utf8') };
      next();
    });
  });
  stream.pipe(ex);
  await withTimeout(done, 30_000, `reading ${path} out of the container`);
  return found;
}

/** The DockerError a promise rejects with (fails the test when it resolves or throws anything else). */
export async function dockerError(p: Promise<unknown>): Promise<DockerError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DockerError, `expected a DockerError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

/**
 * Which Docker engine to use, found the way the docker CLI finds it (docker/cli
 * cli/command/cli.go resolveContextName, cli/context/store): the `krakend.docker.host` setting
 * (our `--host`), then DOCKER_HOST, then DOCKER_CONTEXT, then `currentContext` in
 * $DOCKER_CONFIG/config.json (default ~/.docker), read from the context store. The context
 * "default", like no context at all, is the platform socket.
 *
 * Pure: the files are read through an injected `readFile`, so every case is a unit test.
 */
import { createHash } from 'node:crypto';
import { posix, win32 } from 'node:path';

/** Reads a text file; undefined when it does not exist. Other errors (permissions) throw. */
export type ReadTextFile = (path: string) => string | undefined;

/** Where the engine address came from, for the logs, the tooltip and error messages. */
export type EngineOrigin =
  | { readonly kind: 'setting' }
  | { readonly kind: 'DOCKER_HOST' }
  | { readonly kind: 'context'; readonly name: string; readonly via: 'DOCKER_CONTEXT' | 'config.json'; readonly store: string }
  | { readonly kind: 'default' };

/** A context's TLS material (files of its store) and its SkipTLSVerify flag. */
export interface TlsFiles {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly skipVerify: boolean;
}

export interface EngineEndpoint {
  /** The address as the CLI would use it; '' for the platform default. */
  readonly host: string;
  readonly origin: EngineOrigin;
  /** Only for a context: its TLS files; DOCKER_TLS_VERIFY/DOCKER_CERT_PATH then do not apply. */
  readonly tls?: TlsFiles;
  /** Things worth one log line (DOCKER_HOST hiding a context, as the CLI's own warning says). */
  readonly notes: readonly string[];
}

/** The context name the CLI reserves for "DOCKER_HOST or the platform socket". */
export const DEFAULT_CONTEXT = 'default';

/** A context problem: no such context, a context without a docker endpoint, an unreadable store. */
export class EngineContextError extends Error {
  override readonly name = 'EngineContextError';
}

function pathApi(platform: string): typeof posix {
  return platform === 'win32' ? win32 : posix;
}

/** $DOCKER_CONFIG, else ~/.docker (os.UserHomeDir: HOME, USERPROFILE on Windows). */
export function dockerConfigDir(env: Readonly<Record<string, string | undefined>>, platform: string): string | undefined {
  const explicit = env.DOCKER_CONFIG?.trim();
  if (explicit) return explicit;
  const home = platform === 'win32' ? env.USERPROFILE : env.HOME;
  return home ? pathApi(platform).join(home, '.docker') : undefined;
}

/** The store keys a context's folders by the sha256 of its name (digest.FromString(name).Encoded()). */
export function contextDirName(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

/** Describes the origin in a few words, e.g. `docker context "colima" (DOCKER_CONTEXT)`. */
export function describeOrigin(o: EngineOrigin | undefined): string {
  switch (o?.kind) {
    case 'setting':
      return 'the krakend.docker.host setting';
    case 'DOCKER_HOST':
      return 'DOCKER_HOST';
    case 'context':
      return `docker context "${o.name}" (${o.via === 'DOCKER_CONTEXT' ? 'DOCKER_CONTEXT' : `currentContext in ${o.store}`})`;
    case 'default':
    case undefined:
      return 'the platform default';
  }
}

interface ContextMeta {
  readonly Name?: unknown;
  readonly Endpoints?: Record<string, { readonly Host?: unknown; readonly SkipTLSVerify?: unknown } | undefined>;
}

/**
 * Resolves the engine endpoint. Throws EngineContextError, with what to do, for a context that
 * does not exist or has no docker endpoint, and for a config.json that is not JSON (the CLI
 * refuses to run then too).
 */
export function resolveEndpoint(setting: string, env: Readonly<Record<string, string | undefined>>, platform: string, readFile: ReadTextFile): EngineEndpoint {
  const s = setting.trim();
  if (s !== '') return { host: s, origin: { kind: 'setting' }, notes: [] };
  const p = pathApi(platform);
  const configDir = dockerConfigDir(env, platform);
  const configFile = configDir ? p.join(configDir, 'config.json') : undefined;
  const dockerHost = env.DOCKER_HOST?.trim() ?? '';
  const fromEnv = env.DOCKER_CONTEXT?.trim() ?? '';
  const readCurrent = (): string => {
    if (!configFile) return '';
    const text = readFile(configFile);
    if (text === undefined) return '';
    let doc: unknown;
    try {
      doc = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new EngineContextError(`${configFile} is not valid JSON (${(err as Error).message}); the docker CLI cannot read it either. Fix or remove it, or set krakend.docker.host.`);
    }
    const cur = (doc as { currentContext?: unknown } | null)?.currentContext;
    return typeof cur === 'string' ? cur.trim() : '';
  };
  if (dockerHost !== '') {
    // The CLI: DOCKER_HOST means the default context, whatever DOCKER_CONTEXT or config.json say.
    let hidden = fromEnv;
    if (hidden === '') {
      try {
        hidden = readCurrent();
      } catch {
        hidden = '';
      }
    }
    const notes = hidden !== '' && hidden !== DEFAULT_CONTEXT ? [`DOCKER_HOST (${dockerHost}) overrides the docker context "${hidden}", as it does for the docker CLI.`] : [];
    return { host: dockerHost, origin: { kind: 'DOCKER_HOST' }, notes };
  }
  const via = fromEnv !== '' ? 'DOCKER_CONTEXT' : 'config.json';
  const name = fromEnv !== '' ? fromEnv : readCurrent();
  if (name === '' || name === DEFAULT_CONTEXT) return { host: '', origin: { kind: 'default' }, notes: [] };
  const store = configDir ? p.join(configDir, 'contexts') : undefined;
  const origin: EngineOrigin = { kind: 'context', name, via, store: configFile ?? '~/.docker/config.json' };
  const where = via === 'DOCKER_CONTEXT' ? 'DOCKER_CONTEXT names' : `${configFile ?? 'config.json'} selects`;
  const fix = 'Run `docker context ls` to see the contexts and `docker context use NAME` to pick one (`default` is the local socket), or set krakend.docker.host.';
  if (!store) throw new EngineContextError(`${where} the docker context "${name}", but neither DOCKER_CONFIG nor HOME is set, so its store cannot be found. ${fix}`);
  const id = contextDirName(name);
  const metaFile = p.join(store, 'meta', id, 'meta.json');
  const text = readFile(metaFile);
  if (text === undefined) throw new EngineContextError(`${where} the docker context "${name}", which does not exist (no ${metaFile}). ${fix}`);
  let meta: ContextMeta;
  try {
    meta = JSON.parse(text) as ContextMeta;
  } catch (err) {
    throw new EngineContextError(`The docker context "${name}" is unreadable: ${metaFile} is not valid JSON (${(err as Error).message}). Recreate it with \`docker context create\`, or set krakend.docker.host.`);
  }
  const ep = meta.Endpoints?.docker;
  if (!ep || typeof ep !== 'object') {
    throw new EngineContextError(`The docker context "${name}" has no docker endpoint (${metaFile}). Recreate it with \`docker context create ${name} --docker host=…\`, or pick another one. ${fix}`);
  }
  const host = typeof ep.Host === 'string' ? ep.Host.trim() : '';
  const tlsDir = p.join(store, 'tls', id, 'docker');
  const file = (n: string): string | undefined => {
    const f = p.join(tlsDir, n);
    return readFile(f) === undefined ? undefined : f;
  };
  const ca = file('ca.pem');
  const cert = file('cert.pem');
  const key = file('key.pem');
  const skipVerify = ep.SkipTLSVerify === true;
  // As the CLI's Endpoint.tlsConfig: TLS when the context has TLS data or skips verification.
  const tls = ca || cert || key || skipVerify ? { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), skipVerify } : undefined;
  return { host, origin, ...(tls ? { tls } : {}), notes: [] };
}

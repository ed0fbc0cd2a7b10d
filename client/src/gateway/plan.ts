/**
 * The gateway plan: everything the controller will ask Docker to do, computed as data from the
 * settings, the environment and the staged configuration. Pure (no I/O, no `process.env`), so
 * every setting combination is a unit test and docker.ts only executes what is written here.
 */
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import type { GatewaySettings } from '../../../shared/settings';
import { EngineContextError, resolveEndpoint } from './engine/context';
import type { EngineOrigin, ReadTextFile, TlsFiles } from './engine/context';
import { classifyEngine, configDelivery, isLoopbackHost, mountSource } from './engine/paths';
import { extraHostsFor } from './engine/podman';
import type { EngineFacts, EngineHost } from './engine/paths';

/** The label on everything we create. The adapter refuses to touch containers without it. */
export const OWNED_LABEL = 'dev.krakend-live.owned';
export const FOLDER_LABEL = 'dev.krakend-live.folder';
export const CONFIG_LABEL = 'dev.krakend-live.config';
/** Blue/green: which of the two containers this is, and the loopback port its KrakenD serves on. */
export const COLOR_LABEL = 'dev.krakend-live.color';
export const UPSTREAM_LABEL = 'dev.krakend-live.upstream';
/** Compose: the stack, service and container ours stands in for (compose.ts), so a later session knows too. */
export const COMPOSE_PROJECT_LABEL = 'dev.krakend-live.compose.project';
export const COMPOSE_SERVICE_LABEL = 'dev.krakend-live.compose.service';
export const COMPOSE_CONTAINER_LABEL = 'dev.krakend-live.compose.container';
/** The port users reach the gateway on (the proxy's, in blue/green), so another window can tell who holds it. */
export const PORT_LABEL = 'dev.krakend-live.port';
/** Where the staging folder is mounted inside the container (the image's WORKDIR). */
export const CONTAINER_CONFIG_DIR = '/etc/krakend';
export const DEFAULT_HEALTH_PATH = '/__health';
/** KrakenD's listener when the config has no `port`. */
export const KRAKEND_DEFAULT_PORT = 8080;
/**
 * Docker Desktop resolves `host.docker.internal` to the host in every container; a Linux engine
 * only when asked (`--add-host host.docker.internal:host-gateway`, engine 20.10+). Asked always,
 * so a config that calls a backend on the host works the same on both.
 */
export const HOST_GATEWAY_ALIAS = 'host.docker.internal:host-gateway';

/** How to reach the Docker engine, shaped like dockerode's constructor options. */
export type DockerConnection = (
  | { readonly kind: 'socket'; readonly socketPath: string; readonly description: string }
  | {
      readonly kind: 'tcp';
      readonly host: string;
      readonly port: number;
      readonly protocol: 'http' | 'https';
      /** DOCKER_CERT_PATH when TLS is on; docker.ts reads ca.pem/cert.pem/key.pem from it. */
      readonly certPath?: string;
      /** A docker context's TLS files and SkipTLSVerify (instead of certPath). */
      readonly tls?: TlsFiles;
      readonly description: string;
    }
  | {
      readonly kind: 'ssh';
      readonly host: string;
      readonly port: number;
      readonly username?: string;
      /** SSH_AUTH_SOCK, so the user's agent authenticates as the `docker` CLI would. */
      readonly agent?: string;
      /** known_hosts files to check the host key against, as OpenSSH's defaults (engine/ssh.ts). */
      readonly knownHosts?: readonly string[];
      /** Private keys tried after the agent, as `ssh` tries ~/.ssh/id_*. */
      readonly identities?: readonly string[];
      readonly description: string;
    }
) & {
  /** Where the address came from (engine/context.ts); absent when only a host string was parsed. */
  readonly origin?: EngineOrigin;
};

export class PlanError extends Error {
  override readonly name = 'PlanError';
}

/**
 * The engine of `krakend.docker.host`, else `DOCKER_HOST`, else (when `readFile` is given) the
 * docker context of DOCKER_CONTEXT or config.json, else the platform default socket, as the docker
 * CLI resolves it (engine/context.ts). Explicit on every field so dockerode's own DOCKER_HOST
 * defaults cannot leak in. Throws PlanError for a context that cannot be used.
 */
export function parseDockerHost(setting: string, env: Readonly<Record<string, string | undefined>>, platform: string, readFile?: ReadTextFile): DockerConnection {
  if (!readFile) return parseHost(setting.trim() || (env.DOCKER_HOST ?? '').trim(), env, platform);
  let ep: ReturnType<typeof resolveEndpoint>;
  try {
    ep = resolveEndpoint(setting, env, platform, readFile);
  } catch (err) {
    // The controller shows a PlanError as a failed plan with its message, which says what to do.
    if (err instanceof EngineContextError) throw new PlanError(err.message);
    throw err;
  }
  if (ep.origin.kind !== 'context') return { ...parseHost(ep.host, env, platform), origin: ep.origin };
  // A context carries its own TLS; the DOCKER_TLS_VERIFY/DOCKER_CERT_PATH of the default context do not apply.
  const { DOCKER_TLS_VERIFY: _v, DOCKER_CERT_PATH: _p, ...rest } = env;
  const c = parseHost(ep.host, rest, platform);
  if (c.kind === 'tcp' && ep.tls) {
    const { certPath: _c, ...tcp } = c;
    return { ...tcp, protocol: 'https', tls: ep.tls, description: `https://${c.host}:${c.port}`, origin: ep.origin };
  }
  return { ...c, origin: ep.origin };
}

/** Notes of the resolution worth a log line (DOCKER_HOST hiding a context). */
export function engineNotes(setting: string, env: Readonly<Record<string, string | undefined>>, platform: string, readFile: ReadTextFile): readonly string[] {
  try {
    return resolveEndpoint(setting, env, platform, readFile).notes;
  } catch {
    return [];
  }
}

function parseHost(raw: string, env: Readonly<Record<string, string | undefined>>, platform: string): DockerConnection {
  const defaultSocket = platform === 'win32' ? '//./pipe/docker_engine' : '/var/run/docker.sock';
  if (raw === '') return { kind: 'socket', socketPath: defaultSocket, description: `${platform === 'win32' ? 'npipe' : 'unix'}://${defaultSocket}` };
  if (raw.startsWith('unix://')) {
    const socketPath = raw.slice('unix://'.length) || defaultSocket;
    return { kind: 'socket', socketPath, description: `unix://${socketPath}` };
  }
  if (raw.startsWith('npipe://')) {
    const socketPath = raw.slice('npipe://'.length) || '//./pipe/docker_engine';
    return { kind: 'socket', socketPath, description: `npipe://${socketPath}` };
  }
  // `host:2375` without a scheme is how the docker CLI accepts tcp too.
  const withScheme = raw.includes('://') ? raw : `tcp://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new PlanError(`Docker host "${raw}" is not a valid address (expected unix:///path, tcp://host:port or ssh://user@host).`);
  }
  if (url.hostname === '') throw new PlanError(`Docker host "${raw}" has no host name.`);
  if (url.protocol === 'ssh:') {
    const port = url.port === '' ? 22 : Number(url.port);
    const home = platform === 'win32' ? env.USERPROFILE : env.HOME;
    const join = (...parts: string[]): string => parts.join(platform === 'win32' ? '\\' : '/');
    return {
      kind: 'ssh',
      host: url.hostname,
      port,
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(env.SSH_AUTH_SOCK ? { agent: env.SSH_AUTH_SOCK } : {}),
      // OpenSSH's defaults: UserKnownHostsFile, GlobalKnownHostsFile and the IdentityFile list.
      ...(home
        ? {
            knownHosts: [join(home, '.ssh', 'known_hosts'), join(home, '.ssh', 'known_hosts2'), ...(platform === 'win32' ? [] : ['/etc/ssh/ssh_known_hosts'])],
            identities: ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((k) => join(home, '.ssh', k)),
          }
        : {}),
      description: `ssh://${url.username ? `${url.username}@` : ''}${url.hostname}${url.port ? `:${url.port}` : ''}`,
    };
  }
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
    const port = url.port === '' ? (url.protocol === 'https:' ? 2376 : 2375) : Number(url.port);
    // Same rule as the docker CLI: TLS when asked for, or on the conventional TLS port.
    const tls = url.protocol === 'https:' || env.DOCKER_TLS_VERIFY === '1' || port === 2376;
    return {
      kind: 'tcp',
      host: url.hostname,
      port,
      protocol: tls ? 'https' : 'http',
      ...(tls && env.DOCKER_CERT_PATH ? { certPath: env.DOCKER_CERT_PATH } : {}),
      description: `${tls ? 'https' : 'tcp'}://${url.hostname}:${port}`,
    };
  }
  throw new PlanError(`Docker host "${raw}" uses an unsupported scheme "${url.protocol}" (use unix, tcp or ssh).`);
}

/**
 * True when the engine's published ports are on this machine's loopback: a socket, or tcp/ssh to
 * a loopback address. Whether it also reads this machine's files is another question
 * (GatewayPlan.configDelivery: ssh:// never counts for that).
 */
export function isLocalEngine(c: DockerConnection): boolean {
  if (c.kind === 'socket') return true;
  return isLoopbackHost(c.host);
}

export interface ImageChoice {
  readonly reference: string;
  /** `:watch` images restart KrakenD themselves (reflex) when the staged files change. */
  readonly watch: boolean;
  /** Where the choice came from, for the tooltip and the log. */
  readonly origin: 'setting' | 'schema' | 'latest';
}

/** `https://www.krakend.io/schema/v2.13/krakend.json` → `2.13`; anything else → undefined. */
export function schemaMinor(schemaUrl: string | undefined): string | undefined {
  if (!schemaUrl) return undefined;
  const m = /krakend\.io\/schema\/v?(\d+)\.(\d+)(?:\.\d+)?\//.exec(schemaUrl);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** A watch image is any tag that is `watch` or ends in `-watch` (the old `2.x-watch` tags too). */
export function isWatchImage(reference: string): boolean {
  const tag = imageTag(reference);
  return tag === 'watch' || tag.endsWith('-watch') || tag.startsWith('watch-');
}

/** The tag of a reference, `latest` when absent. A registry port (`host:5000/x`) is not a tag. */
export function imageTag(reference: string): string {
  const noDigest = reference.split('@')[0] ?? reference;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(colon + 1) : 'latest';
}

/** The setting wins; else the official image matching the config's `$schema` minor; else latest. */
export function chooseImage(setting: string, schemaUrl: string | undefined): ImageChoice {
  const s = setting.trim();
  if (s !== '') return { reference: s, watch: isWatchImage(s), origin: 'setting' };
  const minor = schemaMinor(schemaUrl);
  return minor ? { reference: `krakend:${minor}`, watch: false, origin: 'schema' } : { reference: 'krakend:latest', watch: false, origin: 'latest' };
}

/** The parts of the staged configuration the plan depends on. */
export interface ConfigFacts {
  readonly schemaUrl?: string;
  /** The port KrakenD listens on inside the container. */
  readonly port: number;
  readonly healthPath: string;
  /** `router.disable_health: true`: no HTTP health endpoint, only a TCP probe is possible. */
  readonly healthDisabled: boolean;
}

/**
 * Reads `$schema`, `port` and `router.health_path` from a configuration that already passed the
 * check. A file that cannot be read gives the defaults: the check, not the plan, reports syntax.
 */
export function configFacts(text: string, fileName: string): ConfigFacts {
  let doc: unknown;
  try {
    doc = /\.ya?ml$/i.test(fileName) ? parseYaml(text) : JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    doc = undefined;
  }
  const root = isRecord(doc) ? doc : {};
  const router = isRecord(root.router) ? root.router : {};
  const port = typeof root.port === 'number' && Number.isInteger(root.port) && root.port > 0 && root.port < 65536 ? root.port : KRAKEND_DEFAULT_PORT;
  const rawPath = typeof router.health_path === 'string' && router.health_path !== '' ? router.health_path : DEFAULT_HEALTH_PATH;
  return {
    ...(typeof root.$schema === 'string' ? { schemaUrl: root.$schema } : {}),
    port,
    healthPath: rawPath.startsWith('/') ? rawPath : `/${rawPath}`,
    healthDisabled: router.disable_health === true,
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Docker's container-name grammar is `[a-zA-Z0-9][a-zA-Z0-9_.-]+`. */
export function containerName(folderPath: string, folderName: string, configRelativePath: string): string {
  const slug = folderName.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '').slice(0, 40) || 'workspace';
  // The hash keeps two folders with the same name (or two clones) from fighting over one name.
  const hash = createHash('sha256').update(`${folderPath}\0${configRelativePath}`).digest('hex').slice(0, 8);
  return `krakend-live-${slug}-${hash}`;
}

export interface StagingMount {
  readonly Type: 'bind';
  readonly Source: string;
  readonly Target: string;
  readonly ReadOnly: true;
}

/** Bind delivery: which product's file sharing turns a staging folder into a mount source (engine/paths.ts). */
export interface MountRule {
  readonly engine: EngineHost;
  /** The user's home, where the product shares it (Colima, Rancher Desktop, Docker Desktop on Linux). */
  readonly home?: string;
}

/**
 * The mounts of a container that runs the files of `stagingDir`: the folder read-only at
 * /etc/krakend as the engine must name it (Docker Desktop's Windows paths, a WSL engine's /mnt/c…),
 * with the warning of a folder the product does not share; nothing with archive delivery. The
 * plan's container and each blue/green color get their mounts from here.
 */
export function stagingMounts(delivery: { readonly configDelivery: 'bind' | 'archive'; readonly mountRule?: MountRule }, stagingDir: string): { readonly mounts: readonly StagingMount[]; readonly warning?: string } {
  if (delivery.configDelivery === 'archive' || !delivery.mountRule) return { mounts: [] };
  const m = mountSource(stagingDir, delivery.mountRule.engine, delivery.mountRule.home === undefined ? {} : { home: delivery.mountRule.home });
  return { mounts: [{ Type: 'bind', Source: m.source, Target: CONTAINER_CONFIG_DIR, ReadOnly: true }], ...(m.warning ? { warning: m.warning } : {}) };
}

/** The Docker Engine API body for `POST /containers/create`, as data. */
export interface ContainerSpec {
  readonly name: string;
  readonly Image: string;
  readonly Cmd: readonly string[];
  readonly Env: readonly string[];
  readonly Labels: Readonly<Record<string, string>>;
  readonly WorkingDir: string;
  readonly ExposedPorts: Readonly<Record<string, Record<string, never>>>;
  readonly StopSignal: string;
  readonly StopTimeout: number;
  readonly HostConfig: {
    /** `bridge`, `host`, or a compose stack's network (compose.ts). */
    readonly NetworkMode: string;
    /** The staging folder, read-only, with `bind` delivery; none with `archive` (see GatewayPlan.configDelivery). */
    readonly Mounts: readonly StagingMount[];
    readonly PortBindings: Readonly<Record<string, readonly { readonly HostIp: string; readonly HostPort: string }[]>>;
    /** `host.docker.internal:host-gateway`: see HOST_GATEWAY_ALIAS. */
    readonly ExtraHosts: readonly string[];
    /** `:watch` images run `sh` as PID 1, which ignores SIGTERM; tini forwards it. */
    readonly Init: boolean;
    readonly RestartPolicy: { readonly Name: 'no' };
  };
  /** Compose: every network to join, with the service name as alias; docker.ts joins all but the first after create. */
  readonly NetworkingConfig?: { readonly EndpointsConfig: Readonly<Record<string, { readonly Aliases: readonly string[] }>> };
}

export interface HealthTarget {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  /** No HTTP health endpoint (`router.disable_health`): a TCP connect is the best signal. */
  readonly tcpOnly: boolean;
  /**
   * `engine`: `host` is an address on the engine's machine, and the probe's connection is opened
   * there, through the `ssh://` engine's own connection (engine/sshForward.ts), as `ssh -L` would.
   * The port is published on that machine, on its loopback by default, where nothing else reaches.
   */
  readonly via?: 'engine';
}

export interface GatewayPlan {
  readonly connection: DockerConnection;
  readonly image: ImageChoice;
  /** The container; with blue/green the template of both (see colorSpec). */
  readonly spec: ContainerSpec;
  /** Where users reach the gateway: KrakenD itself, or with blue/green the proxy in front of it. */
  readonly health: HealthTarget;
  /**
   * `graceful`: docker restart (SIGTERM, wait up to the grace period, start). `watch`: staging
   * triggers reflex. `blueGreen`: a second container, then the proxy switches to it.
   */
  readonly reload: 'graceful' | 'watch' | 'blueGreen';
  /**
   * How the staged files reach the container (engine/paths.ts configDelivery). `bind`: the staging
   * folder is mounted read-only, and staging is delivery. `archive`: the engine cannot see this
   * machine's files, so the container has no mount and the staged files are put into it through
   * the engine's API (at /etc/krakend, root-owned) before it starts and before each restart.
   */
  readonly configDelivery: 'bind' | 'archive';
  /** `bind` only: how a staging folder's path is named for the engine (see stagingMounts). */
  readonly mountRule?: MountRule;
  /** Blue/green only: the address the loopback proxy listens on (the user's port). */
  readonly proxy?: { readonly host: string; readonly port: number };
  readonly graceSeconds: number;
  readonly healthTimeoutMs: number;
  readonly maxCrashRestarts: number;
  /** Things the user should know before starting (shown once in the log). */
  readonly warnings: readonly string[];
  /** The compose service this gateway stands in for (compose.ts), if any. */
  readonly compose?: { readonly project: string; readonly service: string; readonly containerId: string; readonly containerName: string; readonly networks: readonly string[] };
}

export interface PlanInput {
  readonly settings: GatewaySettings;
  /** Environment of the extension host: DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, SSH_AUTH_SOCK. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: string;
  /** Reads docker's config.json and context store; without it, contexts are not consulted. */
  readonly readFile?: ReadTextFile;
  /** What the engine's /version said (Docker Desktop, WSL kernel…), for where it can mount from. */
  readonly engineFacts?: EngineFacts;
  readonly folder: { readonly path: string; readonly name: string };
  /** The config file relative to the folder, forward slashes. */
  readonly configRelativePath: string;
  /** The staged config's base name: the container runs `run -c <this>`. */
  readonly configFileName: string;
  readonly config: ConfigFacts;
  /** Host path of the staging folder: the only mount. */
  readonly stagingDir: string;
  /** More labels (tests mark their run); ours are applied after and cannot be overridden. */
  readonly extraLabels?: Readonly<Record<string, string>>;
  /**
   * A Flexible Configuration: which of its folders were staged (under the names of staging.ts)
   * and the format of its output. The container then renders the template as KrakenD does.
   */
  readonly flexible?: { readonly settings: boolean; readonly partials: boolean; readonly templates: boolean; readonly out: 'json' | 'yaml' };
}

/**
 * The FC_* variables of a Flexible Configuration gateway: the staged folders, and the rendered
 * output in the container's /tmp, because /etc/krakend is mounted read-only and an FC_OUT inside
 * it would also wake a `:watch` image's reflex on every render.
 */
export function flexibleEnv(fc: NonNullable<PlanInput['flexible']>): string[] {
  return [
    'FC_ENABLE=1',
    ...(fc.settings ? [`FC_SETTINGS=${CONTAINER_CONFIG_DIR}/settings`] : []),
    ...(fc.partials ? [`FC_PARTIALS=${CONTAINER_CONFIG_DIR}/partials`] : []),
    ...(fc.templates ? [`FC_TEMPLATES=${CONTAINER_CONFIG_DIR}/templates`] : []),
    `FC_OUT=/tmp/krakend-live-rendered.${fc.out === 'yaml' ? 'yml' : 'json'}`,
  ];
}

/** Builds the whole plan. Throws PlanError for settings that cannot work (bad host, bad port). */
export function buildPlan(input: PlanInput): GatewayPlan {
  const { settings, config } = input;
  const connection = parseDockerHost(settings.dockerHost, input.env, input.platform, input.readFile);
  const image = chooseImage(settings.image, config.schemaUrl);
  if (!Number.isInteger(settings.port) || settings.port < 1 || settings.port > 65535) {
    throw new PlanError(`krakend.gateway.port must be a whole number from 1 to 65535, not ${settings.port}.`);
  }
  const warnings: string[] = input.readFile ? [...engineNotes(settings.dockerHost, input.env, input.platform, input.readFile)] : [];
  const name = containerName(input.folder.path, input.folder.name, input.configRelativePath);
  const containerPort = `${config.port}/tcp`;
  const host = settings.network === 'host';
  if (image.watch) {
    warnings.push('A :watch image restarts KrakenD with reflex, which kills in-flight requests after about 1 s. A non-watch image gives graceful restarts.');
  }
  let reload: GatewayPlan['reload'] = image.watch ? 'watch' : 'graceful';
  if (settings.reload === 'blue-green') {
    if (image.watch) warnings.push('krakend.gateway.reload "blue-green" does not apply to a :watch image, which reloads itself.');
    else if (!isLocalEngine(connection)) {
      warnings.push(
        `krakend.gateway.reload "blue-green" needs a local Docker engine: our proxy reaches each color's container on this machine's 127.0.0.1, and the engine at ${connection.description} publishes ports on ${connection.kind === 'socket' ? 'its own machine' : connection.host}. That engine gets graceful restarts.`,
      );
    } else reload = 'blueGreen';
  }
  if (host && reload !== 'blueGreen') {
    // Nothing publishes the port, so the 127.0.0.1 default cannot protect it: KrakenD binds what
    // its config's listen_ip says, every interface when unset, and other machines can reach it.
    warnings.push(
      `With host networking there is no port publishing, so krakend.gateway.hostIp (${settings.hostIp.trim() || '127.0.0.1'}) does not apply: KrakenD listens on every interface of the Docker host unless the config sets "listen_ip" (e.g. "127.0.0.1").`,
    );
  }
  if (host && settings.port !== config.port && reload !== 'blueGreen') {
    warnings.push(`With host networking KrakenD listens on its own port ${config.port}; krakend.gateway.port (${settings.port}) does not apply.`);
  }
  // A bind mount where the engine reads our files (named as the product needs: engine/paths.ts),
  // else an archive through the engine's API.
  const engineHost = classifyEngine(input.platform, connection, input.engineFacts);
  const delivery = configDelivery(engineHost);
  const home = input.platform === 'win32' ? input.env.USERPROFILE : input.env.HOME;
  const mountRule: MountRule | undefined = delivery === 'bind' ? { engine: engineHost, ...(home === undefined ? {} : { home }) } : undefined;
  const mounts = stagingMounts({ configDelivery: delivery, ...(mountRule ? { mountRule } : {}) }, input.stagingDir);
  if (mounts.warning) warnings.push(mounts.warning);
  // Ours last, so extra env cannot re-enable usage reporting or point FC elsewhere.
  const env = Object.entries(settings.env)
    .filter(([k]) => k !== 'USAGE_DISABLE' && !(input.flexible && k.startsWith('FC_')))
    .map(([k, v]) => `${k}=${v}`);
  if (input.flexible) env.push(...flexibleEnv(input.flexible));
  env.push('USAGE_DISABLE=1');
  // Podman before 5.3 would write host-gateway into /etc/hosts literally (engine/podman.ts).
  const extraHosts = extraHostsFor([HOST_GATEWAY_ALIAS], input.engineFacts);
  if (extraHosts.warning) warnings.push(extraHosts.warning);
  const bindIp = settings.hostIp.trim() || '127.0.0.1';
  const spec: ContainerSpec = {
    name,
    Image: image.reference,
    Cmd: ['run', '-c', input.configFileName],
    Env: env,
    Labels: {
      ...input.extraLabels,
      [OWNED_LABEL]: 'true',
      [FOLDER_LABEL]: input.folder.path,
      [CONFIG_LABEL]: input.configRelativePath,
      [PORT_LABEL]: String(host && reload !== 'blueGreen' ? config.port : settings.port),
    },
    WorkingDir: CONTAINER_CONFIG_DIR,
    ExposedPorts: host ? {} : { [containerPort]: {} },
    StopSignal: 'SIGTERM',
    StopTimeout: settings.gracePeriod,
    HostConfig: {
      NetworkMode: host ? 'host' : 'bridge',
      Mounts: mounts.mounts,
      PortBindings: host ? {} : { [containerPort]: [{ HostIp: bindIp, HostPort: String(settings.port) }] },
      ExtraHosts: extraHosts.entries,
      Init: image.watch,
      // We restart it ourselves, counting crashes; Docker's policy would hide them.
      RestartPolicy: { Name: 'no' },
    },
  };
  const publicPort = host ? config.port : settings.port;
  if (!isLocalEngine(connection) && connection.kind !== 'socket') warnings.push(remotePortNote(connection, host ? undefined : bindIp, publicPort));
  // An ssh:// engine's gateway is probed from the engine's side, where its port is (blue/green's
  // proxy is ours, here, and so are the colors' ports: it only runs where they are on our loopback).
  const viaEngine = connection.kind === 'ssh' && reload !== 'blueGreen';
  return {
    connection,
    image,
    spec,
    health: {
      host: viaEngine ? loopbackFor(host ? '127.0.0.1' : bindIp) : healthHost(connection, host && reload !== 'blueGreen' ? '127.0.0.1' : bindIp),
      port: publicPort,
      path: config.healthPath,
      tcpOnly: config.healthDisabled,
      ...(viaEngine ? { via: 'engine' as const } : {}),
    },
    reload,
    configDelivery: delivery,
    ...(mountRule ? { mountRule } : {}),
    ...(reload === 'blueGreen' ? { proxy: { host: bindIp, port: publicPort } } : {}),
    graceSeconds: settings.gracePeriod,
    healthTimeoutMs: Math.max(1, settings.healthTimeout) * 1000,
    maxCrashRestarts: settings.maxCrashRestarts,
    warnings,
  };
}

/**
 * Where users reach a gateway whose engine is on another machine: the port is published there,
 * not here. On that machine's loopback (the 127.0.0.1 default) nothing off it reaches the port,
 * our health check included, so the note says both ways out.
 */
function remotePortNote(c: Extract<DockerConnection, { kind: 'tcp' | 'ssh' }>, bindIp: string | undefined, port: number): string {
  const at = `The Docker engine at ${c.description} is on another machine: the gateway's port is published there, on ${c.host}, not on this machine`;
  if (bindIp === undefined) return `${at}; with host networking KrakenD listens on ${c.host}:${port} (every interface there unless the config sets "listen_ip").`;
  if (bindIp === '0.0.0.0' || bindIp === '::' || bindIp === '') return `${at}: http://${c.host}:${port} (krakend.gateway.hostIp ${bindIp || '0.0.0.0'} publishes it on every interface there).`;
  const ssh = c.kind === 'ssh' ? `ssh -N -L ${port}:${bindIp}:${port}${c.port === 22 ? '' : ` -p ${c.port}`} ${c.username ? `${c.username}@` : ''}${c.host}` : `ssh -N -L ${port}:${bindIp}:${port} ${c.host}`;
  return `${at}: ${bindIp}:${port} there (krakend.gateway.hostIp), which only that machine reaches${c.kind === 'ssh' ? ' (the health check opens its connection there, through the engine\'s ssh connection)' : ', and so the health check from here cannot'}. Reach it through a tunnel (\`${ssh}\`), or set krakend.gateway.hostIp to "0.0.0.0" to publish it at http://${c.host}:${port}.`;
}

function healthHost(connection: DockerConnection, bindIp: string): string {
  if (!isLocalEngine(connection) && connection.kind !== 'socket') return connection.host;
  return loopbackFor(bindIp);
}

/** Where a port published on `bindIp` is reached on its own machine: 0.0.0.0 / :: publish on every interface, loopback is one of them. */
function loopbackFor(bindIp: string): string {
  if (bindIp === '0.0.0.0' || bindIp === '::' || bindIp === '') return '127.0.0.1';
  return bindIp;
}

export type Color = 'blue' | 'green';

export function otherColor(c: Color): Color {
  return c === 'blue' ? 'green' : 'blue';
}

/** Blue/green: the staging folder of one color, beside the plan's own (which keeps the last good files). */
export function colorStagingDir(stagingDir: string, color: Color): string {
  return `${stagingDir}-${color}`;
}

/**
 * Blue/green: one color's container, from the plan's template. Its KrakenD serves on
 * `upstreamPort` on loopback only, where the proxy (and nothing else) reaches it: with host
 * networking through KrakenD's own env overrides of `port` and `listen_ip`, with a bridge by
 * publishing the config's port on 127.0.0.1. It mounts its own staging folder, read-only (with
 * archive delivery its files are put into it instead), and has the plan's ExtraHosts, which
 * already follow the engine's rule (engine/podman.ts).
 */
export function colorSpec(plan: GatewayPlan, color: Color, upstreamPort: number, stagingDir: string): ContainerSpec {
  const s = plan.spec;
  const host = s.HostConfig.NetworkMode === 'host';
  const exposed = Object.keys(s.ExposedPorts);
  return {
    ...s,
    name: `${s.name}-${color}`,
    Env: [...s.Env.filter((e) => !/^KRAKEND_(PORT|LISTEN_IP)=/.test(e)), ...(host ? [`KRAKEND_PORT=${upstreamPort}`, 'KRAKEND_LISTEN_IP=127.0.0.1'] : [])],
    Labels: { ...s.Labels, [COLOR_LABEL]: color, [UPSTREAM_LABEL]: String(upstreamPort) },
    HostConfig: {
      ...s.HostConfig,
      // The color's own folder, named for the engine by the same rule as the plan's (archive: none).
      Mounts: stagingMounts(plan, colorStagingDir(stagingDir, color)).mounts,
      PortBindings: host ? {} : Object.fromEntries(exposed.map((p) => [p, [{ HostIp: '127.0.0.1', HostPort: String(upstreamPort) }]])),
    },
  };
}

/** Blue/green: the health endpoint of one color's KrakenD, on its loopback port. */
export function colorHealth(plan: GatewayPlan, upstreamPort: number): HealthTarget {
  return { ...plan.health, host: '127.0.0.1', port: upstreamPort };
}

/**
 * The message for a gateway port that is taken. A running container of ours labelled with that
 * port belongs to KrakenD Live's gateway of another folder or window (its blue/green proxy holds
 * the port in that window's extension host); anything else is another process.
 */
export function portInUseMessage(at: { readonly host: string; readonly port: number }, hostNetwork: boolean, running: readonly (Readonly<Record<string, string>>)[], own: { readonly folder: string; readonly config: string }): string {
  const change = `change krakend.gateway.port${hostNetwork ? " (with host networking: the config's \"port\")" : ''}`;
  const ours = running.find((l) => l[OWNED_LABEL] === 'true' && l[PORT_LABEL] === String(at.port) && (l[FOLDER_LABEL] !== own.folder || l[CONFIG_LABEL] !== own.config));
  if (ours) {
    const folder = ours[FOLDER_LABEL] ?? '';
    const name = folder.split(/[\\/]/).filter(Boolean).pop() ?? folder;
    return `Port ${at.port} on ${at.host} is already used by KrakenD Live's own gateway of ${name} (${ours[CONFIG_LABEL] ?? 'its config'}, ${folder}), started from another VS Code window. Stop that gateway there, or ${change}.`;
  }
  return `Port ${at.port} on ${at.host} is already in use by another process. Stop it, or ${change}.`;
}

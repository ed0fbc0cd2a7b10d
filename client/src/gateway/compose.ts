/**
 * Docker compose stacks: finds the compose service whose container mounts the configuration's
 * folder, and turns a gateway plan into one that stands in for that service (same networks with
 * the service name as alias, same published ports, environment and `run` flags). Pure: it reads
 * `docker inspect`-shaped data and returns data; docker.ts lists the containers, the controller
 * stops and starts the service's container around ours.
 */
import { COMPOSE_CONTAINER_LABEL, COMPOSE_PROJECT_LABEL, COMPOSE_SERVICE_LABEL } from './plan';
import type { ContainerSpec, GatewayPlan } from './plan';

/** The labels docker compose (v1 and v2 alike) puts on the containers of a stack. */
export const COMPOSE_LABELS = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  configFiles: 'com.docker.compose.project.config_files',
  workingDir: 'com.docker.compose.project.working_dir',
  oneoff: 'com.docker.compose.oneoff',
} as const;

type Binding = { readonly HostIp: string; readonly HostPort: string };

/** The part of `docker inspect <container>` the discovery reads. */
export interface InspectedContainer {
  readonly Id: string;
  readonly Name: string;
  readonly State: { readonly Running: boolean; readonly Status?: string };
  readonly Config: { readonly Env?: readonly string[] | null; readonly Cmd?: readonly string[] | null; readonly Labels?: Readonly<Record<string, string>> | null };
  readonly HostConfig: { readonly PortBindings?: Readonly<Record<string, readonly Binding[] | null>> | null; readonly NetworkMode?: string };
  readonly Mounts?: readonly { readonly Type?: string; readonly Source?: string; readonly Destination?: string }[] | null;
  readonly NetworkSettings?: { readonly Networks?: Readonly<Record<string, { readonly Aliases?: readonly string[] | null } | null>> | null };
}

/** A compose service the gateway can stand in for. */
export interface ComposeService {
  readonly project: string;
  readonly service: string;
  readonly containerId: string;
  readonly containerName: string;
  readonly running: boolean;
  readonly configFiles: readonly string[];
  readonly workingDir: string;
  /** The host folder the service mounts (the config's folder or one above it), and where. */
  readonly mount: { readonly source: string; readonly target: string };
  /** The stack networks it is attached to, in a stable order. */
  readonly networks: readonly string[];
  /** Published ports as Docker reports them: `8080/tcp` → bindings. */
  readonly ports: Readonly<Record<string, readonly Binding[]>>;
  readonly env: readonly string[];
  readonly cmd: readonly string[];
}

export type ComposeFinding =
  | { readonly kind: 'none' }
  /** Its container exists but is not running, and not because we stand in for it: the stack is down. */
  | { readonly kind: 'down'; readonly service: ComposeService }
  | { readonly kind: 'found'; readonly service: ComposeService };

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

function serviceOf(c: InspectedContainer, configDir: string): ComposeService | undefined {
  const labels = c.Config.Labels ?? {};
  const project = labels[COMPOSE_LABELS.project];
  const service = labels[COMPOSE_LABELS.service];
  // `docker compose run` containers are one-offs, not the service.
  if (!project || !service || labels[COMPOSE_LABELS.oneoff] === 'True') return undefined;
  const dir = trimSlash(configDir);
  let mount: ComposeService['mount'] | undefined;
  for (const m of c.Mounts ?? []) {
    if (m.Type !== 'bind' || !m.Source || !m.Destination) continue;
    const src = trimSlash(m.Source);
    if (dir !== src && !dir.startsWith(src === '/' ? '/' : `${src}/`)) continue;
    // The deepest mount is the one that carries the config.
    if (!mount || src.length > mount.source.length) mount = { source: src, target: m.Destination };
  }
  if (!mount) return undefined;
  const ports: Record<string, readonly Binding[]> = {};
  for (const [k, v] of Object.entries(c.HostConfig.PortBindings ?? {})) if (v && v.length) ports[k] = v;
  return {
    project,
    service,
    containerId: c.Id,
    containerName: c.Name.replace(/^\//, ''),
    running: c.State.Running,
    configFiles: (labels[COMPOSE_LABELS.configFiles] ?? '').split(',').filter((f) => f !== ''),
    workingDir: labels[COMPOSE_LABELS.workingDir] ?? '',
    mount,
    networks: Object.keys(c.NetworkSettings?.Networks ?? {}).sort(),
    ports,
    env: [...(c.Config.Env ?? [])],
    cmd: [...(c.Config.Cmd ?? [])],
  };
}

/**
 * The compose service whose container bind-mounts `configDir` (or a folder above it). A running
 * one wins; `standingIn` names the containers we stopped ourselves, which count as running.
 */
export function findComposeService(containers: readonly InspectedContainer[], configDir: string, standingIn: ReadonlySet<string> = new Set()): ComposeFinding {
  const found = containers.map((c) => serviceOf(c, configDir)).filter((s): s is ComposeService => s !== undefined);
  const live = (s: ComposeService): boolean => s.running || standingIn.has(s.containerId);
  const best = [...found].sort((a, b) => Number(live(b)) - Number(live(a)) || b.mount.source.length - a.mount.source.length || a.containerName.localeCompare(b.containerName))[0];
  if (!best) return { kind: 'none' };
  return live(best) ? { kind: 'found', service: best } : { kind: 'down', service: best };
}

/**
 * The flags of the service's `run` command that our `run -c <staged file>` keeps: `-d` and the
 * like. `-c`/`--config` name the service's file, and `-p`/`--port` would move KrakenD off the port
 * that is published; both go. A command that is not `run` gives no flags.
 */
export function runFlags(cmd: readonly string[]): { readonly flags: string[]; readonly dropped: string[] } {
  const flags: string[] = [];
  const dropped: string[] = [];
  const args = cmd[0] === 'krakend' ? cmd.slice(1) : cmd;
  if (args[0] !== 'run') return { flags, dropped: [...args] };
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    const long = /^(?:--(?:config|port)|-[cp])(=.*)?$/.exec(a);
    if (long) {
      dropped.push(long[1] || i + 1 >= args.length ? a : `${a} ${args[++i]!}`);
      continue;
    }
    if (/^-[a-zA-Z]+$/.test(a)) {
      // Short flags combine (`-dc file`); the value of -c or -p is the next word or the rest of this one.
      const letters = a.slice(1);
      const at = letters.search(/[cp]/);
      if (at < 0) {
        flags.push(a);
        continue;
      }
      if (at > 0) flags.push(`-${letters.slice(0, at)}`);
      const rest = letters.slice(at + 1);
      dropped.push(rest !== '' ? `-${letters.slice(at)}` : i + 1 < args.length ? `-${letters[at]!} ${args[++i]!}` : `-${letters[at]!}`);
      continue;
    }
    flags.push(a);
  }
  return { flags, dropped };
}

/** Variables the service's image sets for itself; ours sets its own. */
const IMAGE_ENV = /^(PATH|HOSTNAME|HOME)=/;

const keyOf = (e: string): string => e.split('=', 1)[0] ?? e;

/**
 * The plan that stands in for `svc`: our container joins the service's networks with the service
 * name as alias, publishes the service's port for KrakenD's (the config's) port, and runs with its
 * environment and `run` flags. Our settings and FC variables win over the service's environment,
 * because they point at the staged files. With blue/green the proxy takes the published port.
 */
export function standInPlan(plan: GatewayPlan, svc: ComposeService, configPort: number, configFileName: string): GatewayPlan {
  const key = `${configPort}/tcp`;
  const warnings = [...plan.warnings];
  const first = Object.entries(svc.ports)[0];
  const bindings = svc.ports[key] ?? first?.[1];
  if (!bindings) warnings.push(`The compose service ${svc.service} publishes no port; the gateway publishes on krakend.gateway.port (${plan.health.port}).`);
  else if (!svc.ports[key] && first) warnings.push(`The compose service ${svc.service} publishes ${first[0]}, not KrakenD's port ${key}; the gateway publishes that host port for ${key}.`);
  const main = bindings?.[0];
  const hostIp = main ? main.HostIp || '0.0.0.0' : (plan.proxy?.host ?? plan.health.host);
  const hostPort = main ? Number(main.HostPort) : plan.health.port;
  const blueGreen = plan.reload === 'blueGreen';
  const portBindings: Record<string, readonly Binding[]> = {};
  const exposed: Record<string, Record<string, never>> = {};
  portBindings[key] = bindings ? bindings.map((b) => ({ HostIp: b.HostIp || '0.0.0.0', HostPort: b.HostPort })) : (plan.spec.HostConfig.PortBindings[key] ?? []);
  exposed[key] = {};
  // Other published ports (metrics, say) come along, except with blue/green: two colors cannot share them.
  if (!blueGreen) {
    for (const [k, v] of Object.entries(svc.ports)) {
      if (k === key || v === bindings) continue;
      portBindings[k] = v.map((b) => ({ HostIp: b.HostIp || '0.0.0.0', HostPort: b.HostPort }));
      exposed[k] = {};
    }
  } else if (Object.keys(svc.ports).length > 1) {
    warnings.push(`With blue/green only KrakenD's port ${hostPort} is published for the compose service ${svc.service}; its other ports are not.`);
  }
  const ours = new Set(plan.spec.Env.map(keyOf));
  const env = [...svc.env.filter((e) => !IMAGE_ENV.test(e) && !ours.has(keyOf(e)) && !(keyOf(e).startsWith('FC_') && ours.has('FC_ENABLE'))), ...plan.spec.Env];
  const { flags } = runFlags(svc.cmd);
  const networks = svc.networks.length ? svc.networks : ['bridge'];
  const spec: ContainerSpec = {
    ...plan.spec,
    Cmd: ['run', ...flags, '-c', configFileName],
    Env: env,
    Labels: { ...plan.spec.Labels, [COMPOSE_PROJECT_LABEL]: svc.project, [COMPOSE_SERVICE_LABEL]: svc.service, [COMPOSE_CONTAINER_LABEL]: svc.containerId },
    ExposedPorts: exposed,
    HostConfig: { ...plan.spec.HostConfig, NetworkMode: networks[0]!, PortBindings: portBindings },
    NetworkingConfig: { EndpointsConfig: Object.fromEntries(networks.map((n) => [n, { Aliases: [svc.service] }])) },
  };
  const healthHost = hostIp === '0.0.0.0' || hostIp === '::' ? '127.0.0.1' : hostIp;
  return {
    ...plan,
    spec,
    health: { ...plan.health, host: healthHost, port: hostPort },
    ...(blueGreen ? { proxy: { host: hostIp, port: hostPort } } : {}),
    compose: { project: svc.project, service: svc.service, containerId: svc.containerId, containerName: svc.containerName, networks },
    warnings,
  };
}

/** "service krakend_ce of compose stack shop": how the log, the status bar and `watch` name it. */
export function describeStandIn(c: { readonly project: string; readonly service: string }): string {
  return `service ${c.service} of compose stack ${c.project}`;
}

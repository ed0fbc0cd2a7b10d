/**
 * The status bar as a pure function: gateway snapshots in, text / tooltip markdown / colours
 * out. statusBar.ts only copies the result onto a vscode.StatusBarItem, so every state's look
 * is a unit test.
 */
import type { LifecycleState } from '../gateway/lifecycle';

/** What the controller exposes about one gateway (one workspace folder). */
export interface GatewaySnapshot {
  readonly folderName: string;
  readonly configRelativePath: string;
  readonly state: LifecycleState;
  readonly image?: string;
  readonly reload?: 'graceful' | 'watch' | 'blueGreen';
  readonly ports?: string;
  readonly healthUrl?: string;
  readonly containerName?: string;
  readonly dockerHost?: string;
  /** The compose service this gateway stands in for. */
  readonly standsInFor?: { readonly project: string; readonly service: string };
  /** Where the engine address came from: the setting, DOCKER_HOST, a docker context. */
  readonly dockerSource?: string;
}

export interface StatusInput {
  readonly trusted: boolean;
  /** False when no workspace folder has a KrakenD config. */
  readonly hasConfig: boolean;
  readonly gateways: readonly GatewaySnapshot[];
  readonly now: number;
}

/** The distinct looks. `failed` covers faults with no running container (port in use, image missing…). */
export type DisplayKind =
  | 'untrusted'
  | 'noConfig'
  | 'stopped'
  | 'starting'
  | 'healthy'
  | 'unhealthy'
  | 'exited'
  | 'configInvalid'
  | 'failed'
  | 'dockerUnavailable';

export interface StatusView {
  readonly kind: DisplayKind;
  readonly text: string;
  /** Markdown. */
  readonly tooltip: string;
  /** A ThemeColor id for the foreground, if any. */
  readonly color?: string;
  /** A ThemeColor id for the background (VS Code allows only the error and warning ones). */
  readonly backgroundColor?: string;
  readonly command: string;
}

const ICON: Record<DisplayKind, string> = {
  untrusted: '$(workspace-untrusted)',
  noConfig: '$(circle-slash)',
  stopped: '$(circle-large-outline)',
  starting: '$(sync~spin)',
  healthy: '$(pass-filled)',
  unhealthy: '$(warning)',
  exited: '$(error)',
  configInvalid: '$(alert)',
  failed: '$(close)',
  dockerUnavailable: '$(debug-disconnect)',
};

const ERROR_BG = 'statusBarItem.errorBackground';
const WARNING_BG = 'statusBarItem.warningBackground';

const LOOK: Record<DisplayKind, { color?: string; backgroundColor?: string }> = {
  untrusted: {},
  noConfig: {},
  stopped: {},
  starting: { color: 'charts.blue' },
  healthy: { color: 'charts.green' },
  unhealthy: { backgroundColor: WARNING_BG },
  exited: { backgroundColor: ERROR_BG },
  configInvalid: { backgroundColor: WARNING_BG },
  failed: { backgroundColor: ERROR_BG },
  dockerUnavailable: { backgroundColor: ERROR_BG },
};

/** Worst first: the status bar shows the gateway that needs attention. */
const SEVERITY: readonly DisplayKind[] = ['dockerUnavailable', 'failed', 'exited', 'unhealthy', 'configInvalid', 'starting', 'healthy', 'stopped'];

export function displayKind(s: LifecycleState): DisplayKind {
  if (s.startChecking && s.op === undefined && s.phase !== 'healthy' && s.phase !== 'unhealthy') return 'starting';
  switch (s.phase) {
    case 'stopped':
      return 'stopped';
    case 'starting':
    case 'reloading':
    case 'stopping':
      return 'starting';
    case 'healthy':
      return s.configIssue ? 'configInvalid' : 'healthy';
    case 'unhealthy':
      return 'unhealthy';
    case 'exited':
      return 'exited';
    case 'failed':
      return 'failed';
    case 'dockerUnavailable':
      return 'dockerUnavailable';
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.floor(s % 60)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

const FAULT_SHORT: Record<string, string> = {
  dockerPermission: 'Docker permission denied',
  portInUse: 'port in use',
  imageNotFound: 'image not found',
  registryUnreachable: 'registry unreachable',
  notOwned: 'name taken by another container',
  configMissing: 'nothing valid staged',
  plan: 'settings error',
  timeout: 'Docker timed out',
};

function shortText(kind: DisplayKind, g: GatewaySnapshot): string {
  const s = g.state;
  switch (kind) {
    case 'stopped':
      return 'stopped';
    case 'starting':
      if (s.phase === 'starting' && s.opAuto) return `restarting after exit ${s.exit?.code ?? '?'}`;
      if (s.op === undefined && s.startChecking) return 'checking the config';
      return s.phase === 'reloading' ? 'reloading' : s.phase === 'stopping' ? 'stopping' : 'starting';
    case 'healthy':
      if (s.unapplied) return 'healthy, auto-save not applied';
      // Blue/green: the new config serves while the old container finishes its requests.
      if (s.switchedAt !== undefined && s.opStartedAt !== undefined) return `healthy (reload ${formatDuration(s.switchedAt - s.opStartedAt)})`;
      if (!s.lastReload) return 'healthy';
      return s.lastReload.op === 'reload' ? `healthy (reload ${formatDuration(s.lastReload.durationMs)})` : `healthy (started in ${formatDuration(s.lastReload.durationMs)})`;
    case 'unhealthy':
      return 'unhealthy';
    case 'exited':
      return s.fault?.kind === 'crashLoop' ? `crash loop (exit ${s.exit?.code ?? '?'})` : `exited (${s.exit?.code ?? '?'})`;
    case 'configInvalid':
      return s.configIssue === 'deleted'
        ? 'config deleted, serving last good'
        : s.configIssue === 'rejected'
          ? 'new config not applied, serving last good'
          : 'config invalid, serving last good';
    case 'failed':
      return FAULT_SHORT[s.fault?.kind ?? ''] ?? 'failed';
    case 'dockerUnavailable':
      return s.fault?.kind === 'dockerPermission' ? 'Docker permission denied' : 'Docker unavailable';
    default:
      return kind;
  }
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

function fence(lines: readonly string[]): string {
  // Four backticks: a log line with three cannot close the block.
  return ['````text', ...lines, '````'].join('\n');
}

const RELOAD_NOTE: Record<string, string> = {
  watch: ' (reflex reloads: in-flight requests are cut after ~1 s)',
  graceful: ' (graceful reloads)',
  blueGreen: ' (blue/green reloads behind a loopback proxy)',
};

function gatewayTooltip(g: GatewaySnapshot, now: number): string {
  const s = g.state;
  const kind = displayKind(s);
  const out: string[] = [];
  out.push(`**${escapeMd(g.folderName)}** · \`${g.configRelativePath}\``);
  out.push('');
  out.push(`${ICON[kind]} **${escapeMd(shortText(kind, g))}**`);
  const rows: string[] = [];
  if (g.image) rows.push(`Image: \`${g.image}\`${RELOAD_NOTE[g.reload ?? ''] ?? ''}`);
  if (g.ports) rows.push(`Ports: ${escapeMd(g.ports)}`);
  if (g.healthUrl) rows.push(`Health: ${escapeMd(g.healthUrl)}`);
  if (s.startedAt !== undefined && (s.phase === 'healthy' || s.phase === 'unhealthy')) rows.push(`Uptime: ${formatDuration(now - s.startedAt)}`);
  if (s.lastReload) rows.push(`Last ${s.lastReload.op}: ${formatDuration(now - s.lastReload.at)} ago, took ${formatDuration(s.lastReload.durationMs)}`);
  if (s.lastCheck) {
    const c = s.lastCheck;
    const what = c.ok ? `ok${c.warnings ? `, ${c.warnings} warning(s)` : ''}` : `${c.errors} error(s), ${c.warnings} warning(s)`;
    rows.push(`Last check: ${what} (${c.trigger}, ${formatDuration(now - c.at)} ago)`);
  }
  if (g.dockerHost) rows.push(`Docker: ${escapeMd(g.dockerHost)}${g.dockerSource ? ` (from ${escapeMd(g.dockerSource)})` : ''}`);
  if (g.standsInFor) rows.push(`Stands in for: service \`${g.standsInFor.service}\` of compose stack \`${g.standsInFor.project}\` (its container starts again when the gateway stops)`);
  if (rows.length) out.push('', rows.map((r) => `- ${r}`).join('\n'));
  if (s.configIssue && kind !== 'configInvalid') out.push('', `The saved config is ${s.configIssue}; the gateway keeps the last good one.`);
  if (s.configIssue === 'rejected') out.push('', 'The last valid save could not be applied (see below); the gateway keeps serving the previous config.');
  if (s.unapplied) out.push('', 'The last save was an auto-save: the config is valid but not applied (`krakend.gateway.reloadOn`). Save it yourself (Ctrl+S) to reload.');
  if (s.fault) out.push('', escapeMd(s.fault.message));
  const crashed = s.exit !== undefined && s.crashes > 0 && kind !== 'exited' && kind !== 'failed';
  if (crashed) {
    out.push('', `KrakenD exited unexpectedly with code ${s.exit.code}${s.exit.oom ? ' (out of memory)' : ''} and was restarted automatically (${s.crashes} of ${s.maxCrashRestarts} restarts used).`);
  }
  const tail = s.exit?.logTail ?? s.fault?.logTail;
  if ((kind === 'exited' || kind === 'failed' || crashed || s.configIssue === 'rejected') && tail && tail.length) out.push('', 'Last log lines:', '', fence(tail));
  return out.join('\n');
}

/** The whole status item. */
export function renderStatus(input: StatusInput): StatusView {
  const command = 'krakend.showMenu';
  if (!input.trusted) {
    return {
      kind: 'untrusted',
      text: `${ICON.untrusted} KrakenD`,
      tooltip: '**KrakenD Live** · restricted mode\n\nThe workspace is not trusted, so the gateway (Docker) is off. Configuration checks still run.',
      command,
    };
  }
  if (!input.hasConfig || input.gateways.length === 0) {
    return {
      kind: 'noConfig',
      text: `${ICON.noConfig} KrakenD`,
      tooltip: '**KrakenD Live**\n\nNo KrakenD configuration in this workspace (setting `krakend.configFiles`).',
      command,
    };
  }
  const ranked = [...input.gateways].sort((a, b) => SEVERITY.indexOf(displayKind(a.state)) - SEVERITY.indexOf(displayKind(b.state)));
  const first = ranked[0]!;
  const kind = displayKind(first.state);
  const prefix = input.gateways.length > 1 ? `${first.folderName}: ` : '';
  const more = input.gateways.length > 1 ? ` (+${input.gateways.length - 1})` : '';
  const tooltip = ['**KrakenD gateway**', ...input.gateways.map((g) => gatewayTooltip(g, input.now))].join('\n\n---\n\n');
  return {
    kind,
    text: `${ICON[kind]} KrakenD ${prefix}${shortText(kind, first)}${first.standsInFor ? ` · ${first.standsInFor.project}/${first.standsInFor.service}` : ''}${more}`,
    tooltip,
    ...LOOK[kind],
    command,
  };
}

/**
 * The editor glue for the gateways: one GatewayController per workspace folder that has a
 * KrakenD config, the status bar item, the gateway commands, workspace trust, settings and
 * file watchers. Everything Docker-related goes through the controllers (and so docker.ts).
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CheckResultParams, RenderedConfigResult } from '../../../shared/protocol';
import { DEFAULT_GATEWAY_SETTINGS } from '../../../shared/settings';
import type { GatewayNetwork, GatewaySettings, OnDeactivate, ReloadMode, ReloadOn } from '../../../shared/settings';
import { SaveReasons } from './saveReasons';
import { findConfigFiles } from '../commands/checkConfiguration';
import type { GatewayCommandHost, GatewayHandle } from '../commands/gatewayCommon';
import { showError } from '../commands/gatewayCommon';
import { startGateway } from '../commands/gatewayStart';
import { stopGateway } from '../commands/gatewayStop';
import { restartGateway } from '../commands/gatewayRestart';
import { showGatewayLogs } from '../commands/gatewayLogs';
import { showGatewayMenu } from '../commands/gatewayMenu';
import { COMMAND } from '../commands/ids';
import { GatewayStatusBar } from '../statusBar/statusBar';
import { displayKind } from '../statusBar/view';
import type { GatewaySnapshot } from '../statusBar/view';
import { GatewayController } from './controller';
import type { Disposable } from './docker';
import { LatestStream } from './follow';
import { imageTag } from './plan';

export interface GatewayManagerDeps {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  /** Asks the language server to check a file now; undefined when the server is not running. */
  readonly checkFile: (uri: vscode.Uri) => Promise<CheckResultParams | undefined>;
  /** The language server's render of a Flexible Configuration template. */
  readonly renderedConfig?: (uri: vscode.Uri) => Promise<RenderedConfigResult | undefined>;
  /** Environment for DOCKER_HOST and friends; defaults to the extension host's. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

interface Entry extends GatewayHandle {
  readonly subscription: Disposable;
  /** The fault last announced, so one fault gives one notification. */
  announced?: string;
  lastKind?: string;
}

/** How long deactivation may spend stopping containers (VS Code gives deactivate a few seconds). */
const DEACTIVATE_GRACE_SECONDS = 3;

export function readGatewaySettings(scope: vscode.ConfigurationScope | undefined): GatewaySettings {
  const c = vscode.workspace.getConfiguration('krakend', scope);
  const d = DEFAULT_GATEWAY_SETTINGS;
  const env = c.get<Record<string, unknown>>('gateway.env', {});
  return {
    image: c.get<string>('gateway.image', d.image),
    port: c.get<number>('gateway.port', d.port),
    hostIp: c.get<string>('gateway.hostIp', d.hostIp),
    network: c.get<GatewayNetwork>('gateway.network', d.network) === 'host' ? 'host' : 'bridge',
    env: Object.fromEntries(Object.entries(env ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string')),
    gracePeriod: c.get<number>('gateway.gracePeriod', d.gracePeriod),
    healthTimeout: c.get<number>('gateway.healthTimeout', d.healthTimeout),
    onDeactivate: c.get<OnDeactivate>('gateway.onDeactivate', d.onDeactivate) === 'keep' ? 'keep' : 'stop',
    maxCrashRestarts: c.get<number>('gateway.maxCrashRestarts', d.maxCrashRestarts),
    dockerHost: c.get<string>('docker.host', d.dockerHost),
    reload: c.get<ReloadMode>('gateway.reload', d.reload) === 'blue-green' ? 'blue-green' : 'restart',
    reloadOn: c.get<ReloadOn>('gateway.reloadOn', d.reloadOn) === 'everySave' ? 'everySave' : 'save',
  };
}

export class GatewayManager implements vscode.Disposable, GatewayCommandHost {
  private readonly disposables: vscode.Disposable[] = [];
  /** Why each document was last saved: `krakend.gateway.reloadOn` tells deliberate saves from auto-saves. */
  private readonly saveReasons = new SaveReasons();
  private readonly gateways = new Map<string, Entry>();
  private status: GatewayStatusBar | undefined;
  private gatewayChannel: vscode.LogOutputChannel | undefined;
  private readonly logFollow = new LatestStream();
  /** The gateway whose output the "KrakenD Gateway" channel follows. */
  private followed: Entry | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private discovering: Promise<void> = Promise.resolve();
  private watchNoticeShown = false;
  private disposed = false;

  constructor(private readonly deps: GatewayManagerDeps) {}

  get log(): vscode.LogOutputChannel {
    return this.deps.log;
  }

  readonly checkFile = (uri: vscode.Uri): Promise<CheckResultParams | undefined> => this.deps.checkFile(uri);

  /** Registers the gateway commands and the status bar item (id `krakend.status`). */
  activate(): void {
    this.status = new GatewayStatusBar();
    this.disposables.push(
      this.status,
      vscode.commands.registerCommand(COMMAND.startGateway, () => this.guard('Start Gateway', startGateway(this))),
      vscode.commands.registerCommand(COMMAND.stopGateway, () => this.guard('Stop Gateway', stopGateway(this))),
      vscode.commands.registerCommand(COMMAND.restartGateway, () => this.guard('Restart Gateway', restartGateway(this))),
      vscode.commands.registerCommand(COMMAND.showGatewayLogs, () => this.guard('Show Gateway Logs', showGatewayLogs(this))),
      vscode.commands.registerCommand(COMMAND.showMenu, () => this.guard('Show Gateway Menu', showGatewayMenu())),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.deps.log.info('workspace trusted: the gateway commands are available');
        for (const g of this.gateways.values()) this.adopt(g);
        this.render();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rediscover()),
      vscode.workspace.onWillSaveTextDocument((e) => this.saveReasons.willSave(e.document.uri.toString(), e.reason === vscode.TextDocumentSaveReason.Manual ? 'manual' : 'auto')),
      vscode.workspace.onDidCloseTextDocument((doc) => this.saveReasons.forget(doc.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((e) => this.onSettingsChanged(e)),
    );
    for (const glob of configGlobs()) {
      const w = vscode.workspace.createFileSystemWatcher(glob);
      this.disposables.push(
        w,
        w.onDidCreate(() => this.rediscover()),
        w.onDidDelete((uri) => this.onConfigDeleted(uri)),
      );
    }
    // Uptime in the tooltip goes stale otherwise; cheap, and cleared in dispose().
    this.refreshTimer = setInterval(() => this.render(), 15_000);
    this.render();
    this.rediscover();
  }

  /** Runs a command body; anything it throws becomes a logged, visible error. */
  private guard(what: string, p: Promise<void>): Promise<void> {
    return p.catch((err: unknown) => {
      void showError(this.deps.log, `${what} failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  // ---- discovery --------------------------------------------------------------------------------

  private rediscover(): void {
    // Never left rejected: commands await it before picking a gateway.
    this.discovering = this.discovering
      .then(() => this.discover())
      .catch((err: unknown) => this.deps.log.error(`finding KrakenD configs failed: ${String(err)}`));
  }

  private async discover(): Promise<void> {
    if (this.disposed) return;
    const files = await findConfigFiles();
    const byFolder = new Map<string, { folder: vscode.WorkspaceFolder; uris: vscode.Uri[] }>();
    for (const uri of files) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) continue;
      const k = folder.uri.toString();
      const e = byFolder.get(k) ?? { folder, uris: [] };
      e.uris.push(uri);
      byFolder.set(k, e);
    }
    for (const [k, { folder, uris }] of byFolder) {
      if (this.gateways.has(k)) continue;
      // One gateway per folder: the config nearest the folder root, then by name.
      const chosen = [...uris].sort((a, b) => depth(folder, a) - depth(folder, b) || a.fsPath.localeCompare(b.fsPath))[0]!;
      if (uris.length > 1) this.deps.log.info(`${folder.name}: ${uris.length} KrakenD configs; the gateway runs ${vscode.workspace.asRelativePath(chosen, false)}`);
      this.addGateway(folder, chosen);
    }
    for (const [k, e] of this.gateways) {
      if (!vscode.workspace.workspaceFolders?.some((f) => f.uri.toString() === k)) {
        // The folder was removed from the workspace: its gateway goes with it.
        e.subscription.dispose();
        e.controller.cancelWaits();
        const t = e.controller.stop();
        this.deps.log.info(`${e.folder.name} left the workspace; stopping its gateway${t.refusal ? ` (${t.refusal})` : ''}`);
        // Disposed even when the last operation's end failed, so its adapter and event stream go too.
        void e.controller
          .whenIdle()
          .catch((err: unknown) => this.deps.log.error(`gateway ${e.folder.name}: the last operation failed while leaving: ${String(err)}`))
          .finally(() => e.controller.dispose());
        this.gateways.delete(k);
      }
    }
    this.render();
  }

  private addGateway(folder: vscode.WorkspaceFolder, configUri: vscode.Uri): void {
    const rel = path.relative(folder.uri.fsPath, configUri.fsPath).split(path.sep).join('/');
    const id = createHash('sha256').update(`${folder.uri.fsPath}\0${rel}`).digest('hex').slice(0, 16);
    const stagingDir = path.join(this.deps.context.globalStorageUri.fsPath, 'staging', id);
    const controller = new GatewayController({
      folder: { path: folder.uri.fsPath, name: folder.name },
      configPath: configUri.fsPath,
      configRelativePath: rel,
      stagingDir,
      settings: () => readGatewaySettings(folder),
      env: this.deps.env ?? process.env,
      platform: process.platform,
      log: this.deps.log,
      ...(this.deps.renderedConfig ? { renderedConfig: () => this.deps.renderedConfig!(configUri) } : {}),
      withPullProgress: (image, pull) =>
        Promise.resolve(
          vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `KrakenD: pulling ${image}` }, (progress) =>
            pull((line) => progress.report({ message: line })),
          ),
        ),
    });
    const entry: Entry = {
      folder,
      configUri,
      controller,
      subscription: controller.onDidChange((s) => this.onGatewayChanged(entry, s)),
    };
    this.gateways.set(folder.uri.toString(), entry);
    this.deps.log.info(`gateway for ${folder.name}: ${rel} (staging ${stagingDir})`);
    this.adopt(entry);
  }

  /** A container kept running by an earlier session is shown as it is (trusted workspaces only). */
  private adopt(entry: Entry): void {
    if (!vscode.workspace.isTrusted) return;
    entry.controller
      .adopt()
      .then((adopted) => (adopted ? undefined : entry.controller.probeDocker()))
      .catch((err: unknown) => this.deps.log.warn(`taking over the gateway of ${entry.folder.name} failed: ${String(err)}`));
  }

  // ---- inputs -----------------------------------------------------------------------------------

  /** Every krakend/checkResult from the server. */
  handleCheckResult(result: CheckResultParams): void {
    const entry = [...this.gateways.values()].find((e) => e.configUri.toString() === result.uri);
    if (!entry) {
      // A new config in a folder without a gateway yet.
      if (result.trigger === 'save') this.rediscover();
      return;
    }
    void this.accept(entry, result);
  }

  /** Hands a check result to the controller with the exact text that was checked, when the editor has it. */
  async accept(handle: GatewayHandle, result: CheckResultParams): Promise<void> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === handle.configUri.toString());
    const text = doc && result.version !== undefined && doc.version === result.version ? doc.getText() : undefined;
    const autoSaved = result.trigger === 'save' && result.ok && !this.saveReasons.applies(result.uri, readGatewaySettings(handle.configUri).reloadOn, result.fromDisk === true);
    if (autoSaved) this.deps.log.info(`${vscode.workspace.asRelativePath(handle.configUri)}: auto-saved and valid; not applied (krakend.gateway.reloadOn: save)`);
    try {
      await handle.controller.checked(result, text, autoSaved);
    } catch (err) {
      this.deps.log.error(`applying the check of ${handle.configUri.fsPath} failed: ${String(err)}`);
    }
  }

  private onConfigDeleted(uri: vscode.Uri): void {
    for (const e of this.gateways.values()) {
      if (e.configUri.toString() === uri.toString()) e.controller.configDeleted();
    }
  }

  private onSettingsChanged(e: vscode.ConfigurationChangeEvent): void {
    if (e.affectsConfiguration('krakend.configFiles')) this.rediscover();
    if (!e.affectsConfiguration('krakend.gateway') && !e.affectsConfiguration('krakend.docker')) return;
    const running = [...this.gateways.values()].filter((g) => ['healthy', 'unhealthy'].includes(g.controller.lifecycle.phase));
    this.deps.log.info('gateway settings changed; they apply at the next start or restart');
    if (running.length === 0) return;
    void vscode.window.showInformationMessage('KrakenD gateway settings changed. Restart the gateway to apply them.', 'Restart Gateway').then(
      (pick) => (pick ? vscode.commands.executeCommand(COMMAND.restartGateway) : undefined),
      (err: unknown) => this.deps.log.error(`settings notification failed: ${String(err)}`),
    );
  }

  // ---- state → UI -------------------------------------------------------------------------------

  private onGatewayChanged(entry: Entry, s: GatewaySnapshot): void {
    this.render();
    const kind = displayKind(s.state);
    const wasHealthy = entry.lastKind === 'healthy' || entry.lastKind === 'configInvalid';
    entry.lastKind = kind;
    if (this.followed === entry && (kind === 'healthy' || kind === 'configInvalid') && !wasHealthy) {
      // A restart ends Docker's log stream (and a recreate changes the container): follow again,
      // from when the operation began, so nothing is repeated or lost.
      const began = s.state.lastReload ? Math.floor((s.state.lastReload.at - s.state.lastReload.durationMs) / 1000) : undefined;
      void this.follow(entry, 10_000, began).catch((err: unknown) => this.deps.log.warn(`following the gateway logs again failed: ${String(err)}`));
    }
    if (s.reload === 'watch' && !this.watchNoticeShown && (kind === 'starting' || kind === 'healthy')) {
      this.watchNoticeShown = true;
      void this.offerGracefulMode(entry, s);
    }
    const fault = s.state.fault;
    if (!fault || !(kind === 'exited' || kind === 'failed' || kind === 'dockerUnavailable' || kind === 'unhealthy')) {
      entry.announced = undefined;
      return;
    }
    const key = `${fault.kind}:${fault.message}`;
    if (entry.announced === key) return;
    entry.announced = key;
    const tail = fault.logTail?.length ? ` Last log line: ${fault.logTail[fault.logTail.length - 1] ?? ''}` : '';
    const actions = kind === 'exited' ? ['Show Gateway Logs'] : ['Start Gateway'];
    void showError(this.deps.log, `KrakenD gateway (${entry.folder.name}): ${fault.message}${tail}`, ...actions).then(
      (pick) => {
        if (pick === 'Show Gateway Logs') return vscode.commands.executeCommand(COMMAND.showGatewayLogs);
        if (pick === 'Start Gateway') return vscode.commands.executeCommand(COMMAND.startGateway);
        return undefined;
      },
      (err: unknown) => this.deps.log.error(`fault notification failed: ${String(err)}`),
    );
  }

  /** `:watch` images restart with reflex (SIGINT, SIGKILL after ~1 s): say so and offer the graceful mode. */
  private async offerGracefulMode(entry: Entry, s: GatewaySnapshot): Promise<void> {
    const pick = await vscode.window.showWarningMessage(
      `The gateway image ${s.image ?? ''} is a :watch image: reflex restarts KrakenD on every staged change and kills in-flight requests after about 1 s. KrakenD Live's graceful mode (a non-watch image) drains them instead.`,
      'Use Graceful Mode',
      'Keep :watch',
    );
    if (pick !== 'Use Graceful Mode') return;
    const current = readGatewaySettings(entry.folder).image;
    // `x:2.13-watch` → `x:2.13`; plain `krakend:watch` → the default (official image for `$schema`).
    const tag = imageTag(current);
    const next = tag.endsWith('-watch') ? current.slice(0, current.length - '-watch'.length) : '';
    try {
      await vscode.workspace.getConfiguration('krakend', entry.folder).update('gateway.image', next, vscode.ConfigurationTarget.WorkspaceFolder);
      this.deps.log.info(`krakend.gateway.image set to "${next}" for ${entry.folder.name}`);
      const t = entry.controller.restart();
      if (t.refusal) void vscode.window.showInformationMessage(t.refusal);
    } catch (err) {
      await showError(this.deps.log, `Could not switch krakend.gateway.image to "${next}": ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private render(): void {
    if (!this.status || this.disposed) return;
    this.status.update({
      trusted: vscode.workspace.isTrusted,
      hasConfig: this.gateways.size > 0,
      gateways: [...this.gateways.values()].map((g) => g.controller.snapshot()),
      now: Date.now(),
    });
    this.changed.fire();
  }

  // ---- read-only view for other features (the "try" code lenses) ---------------------------------

  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires whenever the gateways are rendered: a state changed, or gateways came or went. */
  readonly onDidChangeGateways = this.changed.event;

  /** The snapshot of the gateway of the workspace folder holding `uri`, if that folder has one. */
  snapshotFor(uri: vscode.Uri): GatewaySnapshot | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.gateways.get(folder.uri.toString())?.controller.snapshot() : undefined;
  }

  // ---- command host -----------------------------------------------------------------------------

  async pickGateway(purpose: string): Promise<GatewayHandle | undefined> {
    await this.discovering;
    const all = [...this.gateways.values()];
    if (all.length === 0) {
      void vscode.window.showWarningMessage('No KrakenD configuration found in this workspace (setting krakend.configFiles), so there is no gateway to run.');
      return undefined;
    }
    if (all.length === 1) return all[0];
    const active = vscode.window.activeTextEditor?.document.uri;
    const activeFolder = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
    const preferred = activeFolder ? all.find((g) => g.folder.uri.toString() === activeFolder.uri.toString()) : undefined;
    const items = all.map((g) => ({
      label: g.folder.name,
      description: vscode.workspace.asRelativePath(g.configUri),
      detail: displayKind(g.controller.lifecycle),
      g,
    }));
    if (preferred) items.sort((a, b) => (a.g === preferred ? -1 : b.g === preferred ? 1 : 0));
    const pick = await vscode.window.showQuickPick(items, { placeHolder: purpose });
    return pick?.g;
  }

  async showContainerLogs(handle: GatewayHandle): Promise<void> {
    const entry = [...this.gateways.values()].find((e) => e.controller === handle.controller);
    if (!entry) return;
    const channel = await this.follow(entry, 200);
    channel.show(true);
  }

  private async follow(entry: Entry, tail: number, sinceSeconds?: number): Promise<vscode.LogOutputChannel> {
    this.gatewayChannel ??= vscode.window.createOutputChannel('KrakenD Gateway', { log: true });
    const channel = this.gatewayChannel;
    this.followed = entry;
    channel.info(`--- ${entry.folder.name}: following the container's output`);
    await this.logFollow.replace(() =>
      entry.controller.followLogs(
        {
          stdout: (line) => channel.info(line),
          stderr: (line) => channel.warn(line),
        },
        tail,
        sinceSeconds,
      ),
    );
    return channel;
  }

  // ---- shutdown ---------------------------------------------------------------------------------

  /** Stops or keeps containers as krakend.gateway.onDeactivate says. */
  async deactivate(): Promise<void> {
    const setting = vscode.workspace.getConfiguration('krakend').get<OnDeactivate>('gateway.onDeactivate', 'stop');
    const results = await Promise.allSettled(
      [...this.gateways.values()].map(async (g) => {
        g.controller.cancelWaits();
        if (setting === 'stop' && vscode.workspace.isTrusted) await g.controller.shutdown(DEACTIVATE_GRACE_SECONDS);
        else await g.controller.detach();
      }),
    );
    for (const r of results) if (r.status === 'rejected') this.deps.log.error(`stopping a gateway on deactivate failed: ${String(r.reason)}`);
    if (setting === 'keep') this.deps.log.info('krakend.gateway.onDeactivate is "keep": gateway containers keep running (a blue/green gateway is unreachable until the next session takes it over: its proxy lives in VS Code)');
  }

  dispose(): void {
    this.disposed = true;
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.logFollow.dispose();
    for (const g of this.gateways.values()) {
      g.subscription.dispose();
      g.controller.dispose();
    }
    this.gateways.clear();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
    this.gatewayChannel?.dispose();
    this.changed.dispose();
  }
}

function configGlobs(): readonly string[] {
  const v = vscode.workspace.getConfiguration('krakend').get<unknown>('configFiles');
  return Array.isArray(v) && v.every((x) => typeof x === 'string') && v.length > 0 ? v : ['**/krakend*.json', '**/krakend*.{yml,yaml}'];
}

function depth(folder: vscode.WorkspaceFolder, uri: vscode.Uri): number {
  return path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).length;
}

/**
 * The extension's one context object: it owns the log, the language client, the gateway
 * manager, the commands and every disposable, so deactivation releases all of them.
 */
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CheckFileRequest, CheckResultNotification, RenderedConfigRequest } from '../../shared/protocol';
import type { CheckFileParams, CheckResultParams, RenderedConfigParams, RenderedConfigResult } from '../../shared/protocol';
import { ClientSlot } from './clientSlot';
import { checkConfiguration } from './commands/checkConfiguration';
import { COMMAND } from './commands/ids';
import { RenderedDocuments, showRenderedConfig } from './commands/showRenderedConfig';
import { tryEndpoint } from './commands/tryEndpoint';
import { GatewayManager } from './gateway/manager';
import { createLanguageClient, diskWatchers } from './languageClient';
import { registerTemplateLanguage } from './templateLanguage';
import { TryLenses } from './tryEndpoint/lenses';
import { TryResponses } from './tryEndpoint/responses';

export class Ctx implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** The language client and its listeners; restarts replace both, one at a time. */
  private readonly server: ClientSlot<LanguageClient>;
  /** The disk watchers of each language client (synchronize.fileEvents), disposed with it. */
  private readonly clientWatchers = new Map<LanguageClient, vscode.FileSystemWatcher[]>();
  readonly gateway: GatewayManager;
  /** The "try" code lenses and the documents that show their responses. */
  private readonly tryLenses: TryLenses;
  private readonly tryResponses: TryResponses;
  /** "Show Rendered Configuration" documents. */
  private readonly rendered: RenderedDocuments;

  private constructor(
    private readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.gateway = new GatewayManager({ context, log, checkFile: (uri) => this.checkFile(uri), renderedConfig: (uri) => this.renderedConfig(uri) });
    this.disposables.push(this.gateway);
    this.rendered = new RenderedDocuments({ render: (uri) => this.renderedConfig(uri), log });
    this.disposables.push(this.rendered);
    this.tryResponses = new TryResponses();
    this.tryLenses = new TryLenses(this.gateway, () => this.server.client);
    this.disposables.push(this.tryResponses, this.tryLenses);
    this.server = new ClientSlot<LanguageClient>({
      create: () => {
        const watchers = diskWatchers();
        const client = createLanguageClient(
          this.context,
          this.log,
          (why) => {
            this.server.setRunning(client, false);
            void vscode.window.showErrorMessage(why, 'Show Logs').then((pick) => {
              if (pick === 'Show Logs') this.log.show();
            });
          },
          this.tryLenses.middleware,
          watchers,
        );
        this.clientWatchers.set(client, watchers);
        return client;
      },
      wire: (client, isCurrent) => [
        client.onNotification(CheckResultNotification, (result: CheckResultParams) => {
          // A client being replaced may still deliver a late notification; the new one re-checks.
          if (isCurrent()) this.onCheckResult(result);
        }),
        client.onDidChangeState((e) => this.server.setRunning(client, e.newState === State.Running)),
        {
          dispose: () => {
            for (const w of this.clientWatchers.get(client) ?? []) w.dispose();
            this.clientWatchers.delete(client);
          },
        },
      ],
    });
  }

  /** Creates everything and starts the language server. Throws when the server cannot start. */
  static async start(context: vscode.ExtensionContext): Promise<Ctx> {
    const log = vscode.window.createOutputChannel('KrakenD Live', { log: true });
    context.subscriptions.push(log);
    const ctx = new Ctx(context, log);
    context.subscriptions.push(ctx);
    ctx.registerCommands();
    ctx.disposables.push(registerTemplateLanguage(log));
    ctx.gateway.activate();
    await ctx.startClient();
    log.info(`KrakenD Live ${String((context.extension.packageJSON as { version?: unknown }).version)} started (workspace trusted: ${vscode.workspace.isTrusted})`);
    return ctx;
  }

  private registerCommands(): void {
    this.disposables.push(
      vscode.commands.registerCommand(COMMAND.checkConfiguration, (uri?: unknown) =>
        checkConfiguration({ checkFile: (u) => this.checkFile(u), log: this.log }, uri instanceof vscode.Uri ? uri : undefined),
      ),
      vscode.commands.registerCommand(COMMAND.showLogs, () => this.log.show()),
      vscode.commands.registerCommand(COMMAND.showRenderedConfig, (uri?: unknown) =>
        showRenderedConfig({ render: (u) => this.renderedConfig(u), log: this.log }, this.rendered, uri instanceof vscode.Uri ? uri : undefined).catch((e: unknown) => {
          this.log.error(`Show Rendered Configuration failed: ${String(e)}`);
          void vscode.window.showErrorMessage(`Show Rendered Configuration failed: ${e instanceof Error ? e.message : String(e)}`);
        }),
      ),
      vscode.commands.registerCommand(COMMAND.tryEndpoint, (arg?: unknown) =>
        tryEndpoint({ lenses: this.tryLenses, responses: this.tryResponses, log: this.log }, arg).catch((e: unknown) => {
          this.log.error(`Try Endpoint failed: ${e instanceof Error ? e.message : String(e)}`);
          void vscode.window.showErrorMessage(`Try Endpoint failed: ${e instanceof Error ? e.message : String(e)}`, 'Show Logs').then((pick) => {
            if (pick === 'Show Logs') this.log.show();
          });
        }),
      ),
      // A changed list of config files (or FC folders) changes the client's document selector: restart it.
      vscode.workspace.onDidChangeConfiguration((e) => {
        const folders = ['settings', 'partials', 'templates'].some((k) => e.affectsConfiguration(`krakend.flexibleConfig.${k}`));
        if (e.affectsConfiguration('krakend.configFiles') || folders) void this.restartClient();
      }),
    );
  }

  private async startClient(): Promise<void> {
    await this.server.start();
  }

  private async restartClient(): Promise<void> {
    try {
      await this.server.restart();
      this.log.info('language server restarted for the new krakend.configFiles or krakend.flexibleConfig folders');
    } catch (e) {
      this.log.error(`restarting the language server failed: ${String(e)}`);
    }
  }

  private onCheckResult(result: CheckResultParams): void {
    const what = result.failure ? `failed: ${result.failure}` : result.ok ? 'ok' : `${result.errors} error(s)`;
    this.log.debug(`check ${result.trigger} ${result.uri} v${result.version ?? '-'}: ${what}, ${result.warnings} warning(s), schema ${result.schema.origin}, ${result.durationMs} ms`);
    this.gateway.handleCheckResult(result);
    this.rendered.refresh(result.uri);
  }

  /** Asks the server to check a file now; undefined when the server is not running. */
  async checkFile(uri: vscode.Uri): Promise<CheckResultParams | undefined> {
    const client = this.server.client;
    if (!client || !this.server.running) return undefined;
    const params: CheckFileParams = { uri: uri.toString() };
    return client.sendRequest<CheckResultParams>(CheckFileRequest, params);
  }

  /** The rendered configuration of a template; undefined when the server is not running. */
  async renderedConfig(uri: vscode.Uri): Promise<RenderedConfigResult | undefined> {
    const client = this.server.client;
    if (!client || !this.server.running) return undefined;
    const params: RenderedConfigParams = { uri: uri.toString() };
    return client.sendRequest<RenderedConfigResult>(RenderedConfigRequest, params);
  }

  async deactivate(): Promise<void> {
    await this.gateway.deactivate();
    await this.server.stop();
  }

  dispose(): void {
    // deactivate() normally stopped it already; then this is a no-op.
    this.server.stop().catch((e: unknown) => this.log.error(`stopping the language server failed: ${String(e)}`));
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        void d.dispose();
      } catch (e) {
        this.log.error(`dispose failed: ${String(e)}`);
      }
    }
  }
}

/**
 * The "try" code lenses in VS Code. The server sends one per endpoint (it knows the paths,
 * params and methods exactly, in JSON and YAML); this middleware shows them only while the
 * folder's gateway is healthy and runs this file, and marks the ones whose last try failed.
 * When the gateway's health changes or a try ends, it asks VS Code to fetch the lenses again.
 */
import * as vscode from 'vscode';
import { CodeLensRequest } from 'vscode-languageclient/node';
import type { LanguageClient, Middleware } from 'vscode-languageclient/node';
import type { TryEndpointArgs } from '../../../shared/protocol';
import type { GatewaySnapshot } from '../statusBar/view';
import { ServedEndpoints, TryHistory, endpointKey, lensTitle, textIsServed, tryTarget } from './lensView';

export interface GatewayView {
  snapshotFor(uri: vscode.Uri): GatewaySnapshot | undefined;
  readonly onDidChangeGateways: vscode.Event<void>;
}

export class TryLenses implements vscode.Disposable {
  readonly history = new TryHistory();
  private readonly served = new ServedEndpoints();
  private readonly subscription: vscode.Disposable;
  /** What each folder's gateway looked like to the lenses, to refresh only on a real change. */
  private seen = '';

  constructor(
    private readonly gateways: GatewayView,
    private readonly client: () => LanguageClient | undefined,
  ) {
    this.subscription = gateways.onDidChangeGateways(() => {
      const now = this.fingerprint();
      if (now === this.seen) return;
      this.seen = now;
      this.refresh();
    });
  }

  /** Where tries of this document go, or undefined when its gateway is not healthy. */
  targetFor(uri: vscode.Uri): string | undefined {
    return tryTarget(this.gateways.snapshotFor(uri), vscode.workspace.asRelativePath(uri, false));
  }

  readonly middleware: Middleware = {
    provideCodeLenses: async (document, token, next) => {
      if (!this.targetFor(document.uri)) return [];
      const all = (await next(document, token)) ?? [];
      const argsOf = (lens: vscode.CodeLens): TryEndpointArgs | undefined => lens.command?.arguments?.[0] as TryEndpointArgs | undefined;
      const keyOf = (lens: vscode.CodeLens): string | undefined => {
        const a = argsOf(lens);
        return a ? `${a.method} ${a.path}` : undefined;
      };
      const lenses = this.served.filter(document.uri.toString(), all, keyOf, textIsServed(this.gateways.snapshotFor(document.uri), document.isDirty));
      for (const lens of lenses) {
        const args = lens.command?.arguments?.[0] as TryEndpointArgs | undefined;
        if (!lens.command || !args) continue;
        lens.command.title = lensTitle(lens.command.title, this.history.get(endpointKey(args.uri, args.method, args.path)));
      }
      return lenses;
    },
  };

  /** Asks VS Code to fetch the lenses of the visible configs again. */
  refresh(): void {
    const client = this.client();
    if (!client) return;
    const feature = client.getFeature(CodeLensRequest.method);
    const fired = new Set<unknown>();
    for (const editor of vscode.window.visibleTextEditors) {
      const provider = feature?.getProvider(editor.document);
      if (provider && !fired.has(provider)) {
        fired.add(provider);
        provider.onDidChangeCodeLensEmitter.fire();
      }
    }
  }

  private fingerprint(): string {
    // Whether the text is what runs counts too: a finished reload makes the saved lenses the served ones.
    return vscode.window.visibleTextEditors
      .map((e) => `${e.document.uri.toString()}=${this.targetFor(e.document.uri) ?? '-'}:${textIsServed(this.gateways.snapshotFor(e.document.uri), e.document.isDirty)}`)
      .join('|');
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

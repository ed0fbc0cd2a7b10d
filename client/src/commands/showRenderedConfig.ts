/**
 * "KrakenD: Show Rendered Configuration": the configuration a Flexible Configuration template
 * renders to, exactly as the language server rendered it for its check, in a read-only virtual
 * document (`krakend-rendered:`) that follows the template: saving the template, a partial or a
 * settings file refreshes it.
 */
import * as vscode from 'vscode';
import type { RenderedConfigResult } from '../../../shared/protocol';
import { CONFIG_LANGUAGE } from '../templateLanguageChoice';
import { chooseConfigFile } from './checkConfiguration';

export const RENDERED_SCHEME = 'krakend-rendered';

export interface RenderedDeps {
  /** Undefined when the language server is not running. */
  readonly render: (uri: vscode.Uri) => Promise<RenderedConfigResult | undefined>;
  readonly log: vscode.LogOutputChannel;
}

/** Serves `krakend-rendered:` documents; one per template, refreshed on demand. */
export class RenderedDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;
  /** The template behind each open rendered document. */
  private readonly sources = new Map<string, vscode.Uri>();

  constructor(private readonly deps: RenderedDeps) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(RENDERED_SCHEME, this);
  }

  /** The virtual document of a template: its path, with the rendered format's extension. */
  uriFor(source: vscode.Uri, format: 'json' | 'yaml'): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: RENDERED_SCHEME, path: `${source.path}.rendered.${format === 'yaml' ? 'yml' : 'json'}`, query: source.toString() });
    this.sources.set(uri.toString(), source);
    return uri;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = this.sources.get(uri.toString()) ?? vscode.Uri.parse(uri.query);
    const r = await this.deps.render(source);
    if (!r) return '// The KrakenD language server is not running, so nothing can be rendered.\n';
    if ('error' in r) return `// ${vscode.workspace.asRelativePath(source)} does not render:\n// ${r.error.split('\n').join('\n// ')}\n`;
    return r.text;
  }

  /** A check result came in for `source`: refresh its rendered document if one is open. */
  refresh(source: string): void {
    for (const [uri, s] of this.sources) if (s.toString() === source) this.changed.fire(vscode.Uri.parse(uri));
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

export async function showRenderedConfig(deps: RenderedDeps, docs: RenderedDocuments, target?: vscode.Uri): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const source = target ?? (active?.scheme === 'file' ? active : undefined) ?? (await chooseConfigFile());
  if (!source) return;
  const r = await deps.render(source);
  if (!r) {
    void vscode.window.showErrorMessage('The KrakenD language server is not running, so nothing can be rendered.');
    return;
  }
  if ('error' in r) {
    deps.log.info(`Show Rendered Configuration: ${source.fsPath}: ${r.error}`);
    void vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(source)}: ${r.error}`);
    return;
  }
  const doc = await vscode.workspace.openTextDocument(docs.uriFor(source, r.format));
  // Not `json`: VS Code's JSON service would validate the rendered text's `$schema` on its own
  // and fill the Problems panel with problems of a file no one edits; ours are in the template.
  await vscode.languages.setTextDocumentLanguage(doc, r.format === 'yaml' ? 'yaml' : CONFIG_LANGUAGE);
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
}

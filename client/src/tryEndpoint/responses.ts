/** The read-only documents that show tries: one per endpoint (`krakend-try:`), updated on each try. */
import * as vscode from 'vscode';

export const TRY_SCHEME = 'krakend-try';

export class TryResponses implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(TRY_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Puts `text` in the endpoint's document and shows it beside the config, without taking focus. */
  async show(method: string, path: string, text: string): Promise<vscode.TextEditor> {
    // One tab per endpoint: trying again refreshes it instead of piling up tabs. A tab shows the
    // last path segment, so the endpoint's slashes become DIVISION SLASH (U+2215) to keep it whole.
    const uri = vscode.Uri.from({ scheme: TRY_SCHEME, path: `/${method} ${path.replace(/\//g, '\u2215')}` });
    this.contents.set(uri.toString(), text);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

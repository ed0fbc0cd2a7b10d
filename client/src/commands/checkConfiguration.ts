/** "KrakenD: Check Configuration": checks the active config (or picks one) and says what was found. */
import * as vscode from 'vscode';
import type { CheckResultParams } from '../../../shared/protocol';
import { configFileGlobs, documentSelector } from '../languageClient';

export interface CheckDeps {
  readonly checkFile: (uri: vscode.Uri) => Promise<CheckResultParams | undefined>;
  readonly log: vscode.LogOutputChannel;
}

export async function checkConfiguration(deps: CheckDeps, target?: vscode.Uri): Promise<CheckResultParams | undefined> {
  const uri = target ?? (await chooseConfigFile());
  if (!uri) return undefined;
  const name = vscode.workspace.asRelativePath(uri);
  let result: CheckResultParams | undefined;
  try {
    result = await deps.checkFile(uri);
  } catch (e) {
    deps.log.error(`Check Configuration of ${name} failed: ${String(e)}`);
    await showError(`Checking ${name} failed: ${e instanceof Error ? e.message : String(e)}`, deps.log);
    return undefined;
  }
  if (!result) {
    await showError('The KrakenD language server is not running, so the configuration cannot be checked.', deps.log);
    return undefined;
  }
  const schema = result.schema.origin === 'bundled' ? ' (offline: KrakenD Live\'s bundled schema)' : '';
  if (result.failure) {
    await showError(`Checking ${name} failed: ${result.failure}`, deps.log);
  } else if (result.ok) {
    const warn = result.warnings > 0 ? ` ${result.warnings} warning(s).` : '';
    void vscode.window.showInformationMessage(`${name}: the configuration is valid.${warn}${schema}`);
  } else {
    const pick = await vscode.window.showErrorMessage(
      `${name}: ${result.errors} error(s), ${result.warnings} warning(s). KrakenD would refuse this configuration.${schema}`,
      'Show Problems',
    );
    if (pick === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
  }
  return result;
}

export async function chooseConfigFile(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active && vscode.languages.match(documentSelector(), active) > 0) return active.uri;
  const found = await findConfigFiles();
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    void vscode.window.showWarningMessage(
      `No KrakenD configuration file found. KrakenD Live checks files matching ${configFileGlobs().join(', ')} (setting krakend.configFiles).`,
    );
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: 'Which KrakenD configuration?' },
  );
  return pick?.uri;
}

export async function findConfigFiles(): Promise<vscode.Uri[]> {
  const all = await Promise.all(configFileGlobs().map((g) => vscode.workspace.findFiles(g, '**/node_modules/**', 50)));
  const seen = new Map<string, vscode.Uri>();
  for (const uri of all.flat()) seen.set(uri.toString(), uri);
  return [...seen.values()].sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

async function showError(message: string, log: vscode.LogOutputChannel): Promise<void> {
  const pick = await vscode.window.showErrorMessage(message, 'Show Logs');
  if (pick === 'Show Logs') log.show();
}

/**
 * What the gateway commands share: the host interface the manager implements, the trust gate,
 * the "check before you touch the gateway" step, and error messages that offer "Show Logs".
 */
import * as vscode from 'vscode';
import type { CheckResultParams } from '../../../shared/protocol';
import type { GatewayController } from '../gateway/controller';
import type { Transition } from '../gateway/lifecycle';

/** One workspace folder's gateway, as the commands see it. */
export interface GatewayHandle {
  readonly folder: vscode.WorkspaceFolder;
  readonly configUri: vscode.Uri;
  readonly controller: GatewayController;
}

export interface GatewayCommandHost {
  readonly log: vscode.LogOutputChannel;
  readonly checkFile: (uri: vscode.Uri) => Promise<CheckResultParams | undefined>;
  /** Resolves the gateway to act on (asks when several folders have one); explains and returns undefined otherwise. */
  pickGateway(purpose: string): Promise<GatewayHandle | undefined>;
  /** Hands a passing check to the controller with the exact text that was checked. */
  accept(handle: GatewayHandle, result: CheckResultParams): Promise<void>;
  /** Streams the chosen gateway's container output into the "KrakenD Gateway" channel. */
  showContainerLogs(handle: GatewayHandle): Promise<void>;
}

export async function showError(log: vscode.LogOutputChannel, message: string, ...actions: string[]): Promise<string | undefined> {
  log.error(message);
  const pick = await vscode.window.showErrorMessage(message, ...actions, 'Show Logs');
  if (pick === 'Show Logs') log.show();
  return pick;
}

/** In an untrusted workspace nothing touches Docker; say so and offer the trust editor. */
export async function requireTrust(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const pick = await vscode.window.showWarningMessage(
    `${what} needs Docker, which KrakenD Live does not use in an untrusted workspace (the image, env and Docker host settings could run anything).`,
    'Manage Workspace Trust',
  );
  if (pick === 'Manage Workspace Trust') await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

/**
 * Checks the gateway's config now. Returns the result only when it passed; otherwise tells the
 * user why the command refuses (with "Show Problems" for errors) and returns undefined.
 */
export async function checkBeforeGateway(host: GatewayCommandHost, handle: GatewayHandle, action: string, onChecked?: (ok: boolean) => void): Promise<CheckResultParams | undefined> {
  const name = vscode.workspace.asRelativePath(handle.configUri);
  let result: CheckResultParams | undefined;
  try {
    result = await host.checkFile(handle.configUri);
    // Before any message: a notification waits for the user, the status must not.
    onChecked?.(result !== undefined && !result.failure && result.ok);
  } catch (err) {
    onChecked?.(false);
    await showError(host.log, `${action}: checking ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
  if (!result) {
    await showError(host.log, `${action}: the KrakenD language server is not running, so ${name} cannot be checked, and only checked configs reach the gateway.`);
    return undefined;
  }
  if (result.failure) {
    await showError(host.log, `${action}: checking ${name} failed: ${result.failure}`);
    return undefined;
  }
  if (!result.ok) {
    host.log.warn(`${action} refused: ${name} has ${result.errors} error(s)`);
    const pick = await vscode.window.showErrorMessage(
      `${action} refused: ${name} has ${result.errors} error(s). The gateway keeps its last good configuration.`,
      'Show Problems',
      'Show Logs',
    );
    if (pick === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
    if (pick === 'Show Logs') host.log.show();
    return undefined;
  }
  await host.accept(handle, result);
  return result;
}

/** A refusal from the state machine is information, not an error. */
export function reportRefusal(t: Transition): void {
  if (t.refusal) void vscode.window.showInformationMessage(t.refusal);
}

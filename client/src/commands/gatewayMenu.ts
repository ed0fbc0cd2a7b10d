/** "KrakenD: Show Gateway Menu": the status bar item's click, a quick pick of what can be done. */
import * as vscode from 'vscode';
import { COMMAND } from './ids';

interface MenuItem extends vscode.QuickPickItem {
  readonly command: string;
}

export async function showGatewayMenu(): Promise<void> {
  const trusted = vscode.workspace.isTrusted;
  const items: MenuItem[] = [
    ...(trusted
      ? [
          { label: '$(play) Start Gateway', command: COMMAND.startGateway },
          { label: '$(debug-restart) Restart Gateway', description: 'checks first; graceful', command: COMMAND.restartGateway },
          { label: '$(debug-stop) Stop Gateway', command: COMMAND.stopGateway },
          { label: '$(output) Show Gateway Logs', description: 'container stdout/stderr', command: COMMAND.showGatewayLogs },
        ]
      : [{ label: '$(workspace-untrusted) Manage Workspace Trust', description: 'the gateway needs a trusted workspace', command: 'workbench.trust.manage' }]),
    { label: '$(check) Check Configuration', command: COMMAND.checkConfiguration },
    { label: '$(list-flat) Show Extension Logs', command: COMMAND.showLogs },
  ];
  const pick = await vscode.window.showQuickPick(items, { placeHolder: 'KrakenD gateway' });
  if (pick) await vscode.commands.executeCommand(pick.command);
}

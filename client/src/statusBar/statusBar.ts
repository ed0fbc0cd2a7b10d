/** The vscode side of the status bar: copies view.ts's pure result onto one StatusBarItem. */
import * as vscode from 'vscode';
import { renderStatus } from './view';
import type { StatusInput, StatusView } from './view';

export class GatewayStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private last: StatusView | undefined;

  constructor() {
    this.item = vscode.window.createStatusBarItem('krakend.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'KrakenD Gateway';
  }

  update(input: StatusInput): StatusView {
    const v = renderStatus(input);
    this.last = v;
    this.item.text = v.text;
    const md = new vscode.MarkdownString(v.tooltip, true);
    md.isTrusted = false;
    this.item.tooltip = md;
    this.item.color = v.color ? new vscode.ThemeColor(v.color) : undefined;
    this.item.backgroundColor = v.backgroundColor ? new vscode.ThemeColor(v.backgroundColor) : undefined;
    this.item.command = v.command;
    this.item.accessibilityInformation = { label: v.text.replace(/\$\([^)]+\)\s*/g, '') };
    this.item.show();
    return v;
  }

  get current(): StatusView | undefined {
    return this.last;
  }

  dispose(): void {
    this.item.dispose();
  }
}

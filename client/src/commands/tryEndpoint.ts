/**
 * "KrakenD: Try Endpoint" (the "→ try" code lens): sends a request for one endpoint to the
 * folder's local gateway, asking for its path params (and a body for POST/PUT/PATCH), and shows
 * status, latency, X-Krakend-Completed, headers and body in a read-only document beside it.
 * From the palette, without an endpoint, it offers the lenses of the active config.
 */
import * as vscode from 'vscode';
import type { TryEndpointArgs } from '../../../shared/protocol';
import type { TryLenses } from '../tryEndpoint/lenses';
import { endpointKey } from '../tryEndpoint/lensView';
import { buildTryUrl, formatTryResult, pathInputs, summaryLine, takesBody, tryFailed } from '../tryEndpoint/request';
import type { TryResponses } from '../tryEndpoint/responses';
import { sendTry } from '../tryEndpoint/send';

export interface TryDeps {
  readonly lenses: TryLenses;
  readonly responses: TryResponses;
  readonly log: vscode.LogOutputChannel;
}

/** Values typed for params and bodies, per endpoint, offered again next time. */
const remembered = new Map<string, string>();

function isArgs(v: unknown): v is TryEndpointArgs {
  const a = v as Partial<TryEndpointArgs> | undefined;
  return typeof a === 'object' && a !== null && typeof a.uri === 'string' && typeof a.method === 'string' && typeof a.path === 'string' && Array.isArray(a.params);
}

export async function tryEndpoint(deps: TryDeps, arg?: unknown): Promise<void> {
  const args = isArgs(arg) ? arg : await pickEndpoint(deps);
  if (!args) return;
  const uri = vscode.Uri.parse(args.uri);
  const origin = deps.lenses.targetFor(uri);
  if (!origin) {
    const pick = await vscode.window.showWarningMessage(
      `The gateway for ${vscode.workspace.asRelativePath(uri)} is not running (or runs another config), so there is nothing to try ${args.method} ${args.path} against.`,
      'Start Gateway',
    );
    if (pick) await vscode.commands.executeCommand('krakend.startGateway');
    return;
  }
  const key = endpointKey(args.uri, args.method, args.path);
  const values: Record<string, string> = {};
  for (const input of pathInputs(args.path, args.params)) {
    const memo = `${key}|${input.name}`;
    const value = await vscode.window.showInputBox({
      title: `${args.method} ${args.path}`,
      prompt: input.prompt,
      value: remembered.get(memo) ?? '',
      ignoreFocusOut: true,
      validateInput: (v) => (input.name !== '*' && v === '' ? 'A path param cannot be empty' : undefined),
    });
    if (value === undefined) return;
    remembered.set(memo, value);
    values[input.name] = value;
  }
  let body: string | undefined;
  if (takesBody(args.method)) {
    const memo = `${key}|body`;
    body = await vscode.window.showInputBox({ title: `${args.method} ${args.path}`, prompt: 'Request body (JSON); empty for none', value: remembered.get(memo) ?? '', ignoreFocusOut: true });
    if (body === undefined) return;
    remembered.set(memo, body);
  }
  const url = buildTryUrl(origin, args.path, args.params, values);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `KrakenD: ${args.method} ${url}` }, () =>
    sendTry({ method: args.method, url, ...(body ? { body } : {}) }),
  );
  deps.lenses.history.record(key, result);
  deps.log.info(`try ${args.method} ${url}: ${summaryLine(result)}`);
  deps.lenses.refresh();
  await deps.responses.show(args.method, args.path, formatTryResult(result));
  if (tryFailed(result) && !result.response) void vscode.window.showWarningMessage(`${args.method} ${url} ${summaryLine(result)}`);
}

/** From the palette: the endpoints of the active config, as its lenses list them. */
async function pickEndpoint(deps: TryDeps): Promise<TryEndpointArgs | undefined> {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc) {
    void vscode.window.showInformationMessage('Open a KrakenD configuration to try one of its endpoints.');
    return undefined;
  }
  if (!deps.lenses.targetFor(doc.uri)) {
    void vscode.window.showInformationMessage('Start the gateway for this configuration (KrakenD: Start Gateway) to try its endpoints.');
    return undefined;
  }
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[] | undefined>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
  const endpoints = lenses.map((l): unknown => l.command?.arguments?.[0]).filter(isArgs);
  if (endpoints.length === 0) {
    void vscode.window.showInformationMessage('This configuration has no endpoint KrakenD would route.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    endpoints.map((e) => ({ label: `${e.method} ${e.path}`, description: `line ${e.line + 1}`, e })),
    { placeHolder: 'Which endpoint?' },
  );
  return pick?.e;
}

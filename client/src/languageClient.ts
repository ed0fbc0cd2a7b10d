/** Starts the KrakenD language server (dist/server.js) and connects it to VS Code. */
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { CloseHandlerResult, ErrorHandler, ErrorHandlerResult, LanguageClientOptions, Middleware, ServerOptions } from 'vscode-languageclient/node';
import { DEFAULT_SERVER_SETTINGS } from '../../shared/settings';
import { flexibleFileGlobs, partialsGlob } from './flexibleFiles';
import { SERVER_NODE_FLAGS } from './serverFlags';

/** Restarts allowed within RESTART_WINDOW_MS before the extension gives up and says so. */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60_000;

export function configFileGlobs(): readonly string[] {
  const v = vscode.workspace.getConfiguration('krakend').get<unknown>('configFiles');
  return Array.isArray(v) && v.every((x) => typeof x === 'string') && v.length > 0 ? v : DEFAULT_SERVER_SETTINGS.configFiles;
}

/** The documents the server checks: files matching `krakend.configFiles`, whatever their language. */
export function documentSelector(): { scheme: string; pattern: string }[] {
  return configFileGlobs().map((pattern) => ({ scheme: 'file', pattern }));
}

/**
 * What the language client syncs and asks features for: the configurations plus the files a
 * Flexible Configuration reads (partials, settings, sub-templates), whose unsaved text and
 * saves the server needs; it checks only files matching `krakend.configFiles` as configurations.
 */
export function syncSelector(): { scheme: string; pattern: string }[] {
  const globs = flexibleFileGlobs({ settings: folder('settings'), partials: folder('partials'), templates: folder('templates') });
  // The audit's ignore file, so editing it (or its quick fix) re-checks the configurations beside it.
  return [...documentSelector(), ...globs.map((pattern) => ({ scheme: 'file', pattern })), { scheme: 'file', pattern: '**/.krakend-audit-ignore' }];
}

/** A `krakend.flexibleConfig.*` folder setting, '' when unset or not a string. */
function folder(key: 'settings' | 'partials' | 'templates'): string {
  const v = vscode.workspace.getConfiguration('krakend.flexibleConfig').get<unknown>(key);
  return typeof v === 'string' ? v : '';
}

/** The files in Flexible Configuration partials folders. */
export function partialsSelector(): { scheme: string; pattern: string } {
  return { scheme: 'file', pattern: partialsGlob(folder('partials')) };
}

/**
 * Watchers of the same files on disk, so a change made outside the editor (a `git checkout`, another
 * editor, a script) reaches the server as workspace/didChangeWatchedFiles. The server decides what
 * it means: it alone knows which configurations read a partial or a settings file. The caller
 * disposes them with the client.
 */
export function diskWatchers(): vscode.FileSystemWatcher[] {
  return syncSelector().map((s) => vscode.workspace.createFileSystemWatcher(s.pattern));
}

export function createLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, onGiveUp: (why: string) => void, middleware?: Middleware, fileEvents: readonly vscode.FileSystemWatcher[] = []): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: syncSelector(),
    synchronize: { configurationSection: 'krakend', fileEvents: [...fileEvents] },
    outputChannel: log,
    // tryEndpointLenses: this client runs krakend.tryEndpoint, so the server may offer "try" lenses.
    initializationOptions: { storagePath: vscode.Uri.joinPath(context.globalStorageUri, 'schemas').fsPath, tryEndpointLenses: true },
    errorHandler: boundedRestarts(log, onGiveUp),
    ...(middleware ? { middleware } : {}),
  };
  return new LanguageClient('krakend', 'KrakenD Language Server', serverOptions, clientOptions);
}

/** Restart a crashed server a few times, then stop and tell the user instead of looping. */
function boundedRestarts(log: vscode.LogOutputChannel, onGiveUp: (why: string) => void): ErrorHandler {
  const restarts: number[] = [];
  return {
    error(error, _message, count): ErrorHandlerResult {
      log.error(`language server connection error (${count ?? 0}): ${error.message}`);
      return { action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
    },
    closed(): CloseHandlerResult {
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && now - restarts[0]! > RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length > MAX_RESTARTS) {
        const why = `The KrakenD language server crashed ${restarts.length} times in 3 minutes and will not be restarted.`;
        log.error(why);
        onGiveUp(why);
        return { action: CloseAction.DoNotRestart, handled: true };
      }
      log.warn(`the language server stopped; restarting (${restarts.length}/${MAX_RESTARTS})`);
      return { action: CloseAction.Restart, handled: true };
    },
  };
}

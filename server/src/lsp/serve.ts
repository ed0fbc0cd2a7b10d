/**
 * The LSP layer: the only code that touches the Connection. It decides when to check
 * (open, save, typing), which files are KrakenD configurations, and publishes what the
 * core found. Everything it needs from the outside world is injected, so tests run it in
 * process over a pair of streams.
 */
import { fileURLToPath } from 'node:url';
import { basename } from 'node:path';
import { ResponseError, TextDocuments, TextDocumentSyncKind, ErrorCodes } from 'vscode-languageserver/node';
import type { Connection, InitializeResult, WorkspaceFolder } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CheckFileRequest, CheckResultNotification } from '../../../shared/protocol';
import type { CheckFileParams, CheckResultParams } from '../../../shared/protocol';
import { checkText } from '../checker';
import type { SchemaResolver } from '../checker';
import type { CheckOutput } from '../core/check';
import { matchesAnyGlob } from '../core/glob';
import { formatOf } from '../core/types';
import type { Position } from '../core/types';
import { listConfigCandidates } from '../files';
import type { FileStamp } from '../files';
import { toLspDiagnostic } from './convert';
import { intelCapabilities, registerIntel } from './intel';
import type { IntelInitOptions } from './intel';
import { SettingsCache } from './settings';

/** What the client passes in `initializationOptions`. */
export interface InitOptions extends IntelInitOptions {
  /** Where downloaded schemas are cached (the extension's global storage). */
  readonly storagePath?: string;
}

export interface ServeOptions {
  /** Delay before an onType check; tests set a few milliseconds. */
  readonly typingDelayMs: number;
  readonly readFile: (path: string) => Promise<string>;
  /**
   * Whether the file on disk starts with a UTF-8 BOM. Editors strip it from the text they
   * send, but KrakenD refuses a JSON file that has one, so the server looks at the bytes.
   */
  readonly startsWithBom?: (path: string) => Promise<boolean>;
  /**
   * Builds the schema resolver once `initialize` has said where storage is. `recheck` asks
   * the server to check every open document again (a schema download has finished).
   */
  readonly createResolver: (init: InitOptions, log: (message: string) => void, recheck: () => void) => SchemaResolver;
  readonly now?: () => number;
  /** The `.json`/`.yml`/`.yaml` files under a folder, for workspace symbols; defaults to a real walk. */
  readonly listFiles?: (folderPath: string) => Promise<FileStamp[]>;
}

type Trigger = CheckResultParams['trigger'];

interface PerDocument {
  /** Increases with every check started, so a slow, older check never overwrites a newer one. */
  run: number;
  timer?: NodeJS.Timeout;
  /** The run of the latest save's check: only that save's verdict may reach the gateway. */
  lastSaveRun: number;
  /** didOpen is followed by a content change that the open check already covers. */
  skipNextChange: boolean;
  /** Whether the client may be showing problems of ours for this document. */
  published: boolean;
  /**
   * The document closed while a check held this state. The check then publishes nothing (the
   * close cleared the problems, and a reopened document has its own state), but a save still
   * reports its result, so the gateway hears of a save followed at once by a close.
   */
  closed: boolean;
}

export function serve(connection: Connection, options: ServeOptions): void {
  const documents = new TextDocuments(TextDocument);
  const state = new Map<string, PerDocument>();
  const now = options.now ?? (() => performance.now());
  let folders: WorkspaceFolder[] = [];
  let settings: SettingsCache | undefined;
  let resolver: SchemaResolver | undefined;

  const log = (message: string): void => connection.console.log(message);

  connection.onInitialize((params): InitializeResult => {
    folders = params.workspaceFolders ?? [];
    const init = (params.initializationOptions ?? {}) as InitOptions;
    settings = new SettingsCache(connection, params.capabilities.workspace?.configuration === true);
    resolver = options.createResolver(init, log, () => {
      for (const doc of documents.all()) schedule(doc.uri, 'request', 0);
    });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        ...intelCapabilities(init),
      },
      serverInfo: { name: 'krakend-live' },
    };
  });

  connection.onInitialized(() => {
    if (folders.length > 0) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        folders = folders.filter((f) => !e.removed.some((r) => r.uri === f.uri)).concat(e.added);
      });
    }
  });

  connection.onDidChangeConfiguration(() => {
    settings?.forget();
    for (const doc of documents.all()) schedule(doc.uri, 'request', 0);
  });

  documents.onDidOpen((e) => {
    stateOf(e.document.uri).skipNextChange = true;
    schedule(e.document.uri, 'open', 0);
  });
  documents.onDidSave((e) => schedule(e.document.uri, 'save', 0));
  documents.onDidChangeContent((e) => {
    const s = state.get(e.document.uri);
    if (s?.skipNextChange) {
      s.skipNextChange = false;
      return;
    }
    void typing(e.document.uri);
  });
  documents.onDidClose((e) => {
    const s = state.get(e.document.uri);
    if (s?.timer) clearTimeout(s.timer);
    if (s) s.closed = true;
    state.delete(e.document.uri);
    settings?.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onRequest(CheckFileRequest, async (params: CheckFileParams) => {
    try {
      return await runCheck(params.uri, 'request', true);
    } catch (e) {
      throw new ResponseError(ErrorCodes.InternalError, `checking ${params.uri} failed: ${String(e)}`);
    }
  });

  async function typing(uri: string): Promise<void> {
    const s = await settings?.get(uri);
    // The settings may arrive after the document closed; checking then would read the file
    // from disk and publish problems for a document that is no longer open.
    if (!documents.get(uri)) return;
    if (s?.validate.run === 'onType') schedule(uri, 'change', options.typingDelayMs);
  }

  function schedule(uri: string, trigger: Trigger, delayMs: number): void {
    const s = stateOf(uri);
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = undefined;
      runCheck(uri, trigger, false).catch((e: unknown) => connection.console.error(`check of ${uri} failed: ${String(e)}`));
    }, delayMs);
  }

  function stateOf(uri: string): PerDocument {
    let s = state.get(uri);
    if (!s) {
      s = { run: 0, lastSaveRun: 0, skipNextChange: false, published: false, closed: false };
      state.set(uri, s);
    }
    return s;
  }

  async function runCheck(uri: string, trigger: Trigger, force: boolean): Promise<CheckResultParams> {
    const s = stateOf(uri);
    const run = ++s.run;
    if (trigger === 'save') s.lastSaveRun = run;
    const started = now();
    const doc = documents.get(uri);
    const version = doc?.version;
    const cfg = await settingsFor(uri);
    const base = { uri, ...(version !== undefined ? { version } : {}) };
    if (!force && !isConfigFile(uri, cfg.configFiles)) {
      // The file may have been a config until krakend.configFiles changed: take its problems away.
      if (s.published && run === s.run) {
        s.published = false;
        await connection.sendDiagnostics({ uri, diagnostics: [] });
      }
      return { ...base, ok: true, errors: 0, warnings: 0, schema: { origin: 'none' }, trigger, durationMs: 0 };
    }
    let result: CheckResultParams;
    let closed = false;
    try {
      const path = pathOf(uri);
      const text = doc ? doc.getText() : await options.readFile(fileURLToPath(uri));
      const hiddenBom = doc !== undefined && uri.startsWith('file:') && formatOf(path) === 'json' && !text.startsWith('\uFEFF') && (await options.startsWithBom?.(path)) === true;
      const checked = await checkText(hiddenBom ? `\uFEFF${text}` : text, path, resolver, cfg.schema);
      const { schema } = checked;
      const output = hiddenBom ? withoutBomColumn(checked.output) : checked.output;
      result = {
        ...base,
        ok: output.errors === 0,
        errors: output.errors,
        warnings: output.warnings,
        schema,
        trigger,
        durationMs: Math.round((now() - started) * 100) / 100,
      };
      if (run !== s.run && !force) {
        // A newer check owns the Problems panel. A save's verdict still matters to the gateway,
        // unless a newer save will give its own: it describes the saved version, not the edits since.
        if (trigger === 'save' && run === s.lastSaveRun) await connection.sendNotification(CheckResultNotification, result);
        return superseded(uri, trigger);
      }
      closed = s.closed && !force;
      if (!closed) {
        s.published = output.diagnostics.length > 0;
        await connection.sendDiagnostics({ uri, ...(version !== undefined ? { version } : {}), diagnostics: output.diagnostics.map(toLspDiagnostic) });
      }
    } catch (e) {
      // A failed check leaves no stale problems behind, and says so.
      connection.console.error(`check of ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (run !== s.run && !force) return superseded(uri, trigger);
      closed = s.closed && !force;
      if (!closed) {
        s.published = false;
        await connection.sendDiagnostics({ uri, diagnostics: [] });
      }
      result = {
        ...base,
        ok: false,
        errors: 0,
        warnings: 0,
        failure: e instanceof Error ? e.message : String(e),
        schema: { origin: 'none' },
        trigger,
        durationMs: Math.round((now() - started) * 100) / 100,
      };
    }
    // Of a closed document's checks only a save still matters (to the gateway).
    if (closed && result.trigger !== 'save') return result;
    await connection.sendNotification(CheckResultNotification, result);
    return result;
  }

  function superseded(uri: string, trigger: Trigger): CheckResultParams {
    return { uri, ok: false, errors: 0, warnings: 0, failure: 'superseded by a newer check', schema: { origin: 'none' }, trigger, durationMs: 0 };
  }

  async function settingsFor(uri: string) {
    if (!settings) throw new Error('the server is not initialised');
    return settings.get(uri);
  }

  function isConfigFile(uri: string, globs: readonly string[]): boolean {
    return matchesAnyGlob(relativePath(uri), globs);
  }

  function relativePath(uri: string): string {
    const folder = folders
      .filter((f) => uri.startsWith(f.uri.endsWith('/') ? f.uri : `${f.uri}/`))
      .sort((a, b) => b.uri.length - a.uri.length)[0];
    if (folder) return decodeURIComponent(uri.slice(folder.uri.replace(/\/$/, '').length + 1));
    return basename(pathOf(uri));
  }

  function pathOf(uri: string): string {
    try {
      return uri.startsWith('file:') ? fileURLToPath(uri) : decodeURIComponent(new URL(uri).pathname);
    } catch {
      return uri;
    }
  }

  // Hover, completion, quick fixes, symbols and code lenses (lsp/intel.ts and its feature files).
  registerIntel(connection, {
    documents,
    settings: settingsFor,
    resolver: () => resolver,
    folders: () => folders,
    isConfigFile,
    pathOf,
    readFile: options.readFile,
    listFiles: options.listFiles ?? ((dir) => listConfigCandidates(dir)),
    log,
  });

  documents.listen(connection);
  connection.listen();
}

/** Maps positions of a check run on BOM + text back to the editor's text, which has no BOM. */
function withoutBomColumn(output: CheckOutput): CheckOutput {
  const shift = (p: Position): Position => (p.line === 0 ? { line: 0, character: Math.max(0, p.character - 1) } : p);
  return { ...output, diagnostics: output.diagnostics.map((d) => ({ ...d, range: { start: shift(d.range.start), end: shift(d.range.end) } })) };
}

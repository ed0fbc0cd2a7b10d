/**
 * The LSP layer: the only code that touches the Connection. It decides when to check
 * (open, save, typing), which files are KrakenD configurations, and publishes what the
 * core found. Everything it needs from the outside world is injected, so tests run it in
 * process over a pair of streams.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { FileChangeType, ResponseError, TextDocuments, TextDocumentSyncKind, ErrorCodes } from 'vscode-languageserver/node';
import type { Connection, Diagnostic as LspDiagnostic, FileEvent, InitializeResult, WorkspaceFolder } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CheckFileRequest, CheckResultNotification, RenderedConfigRequest } from '../../../shared/protocol';
import type { CheckFileParams, CheckResultParams, FlexibleCheckInfo, RenderedConfigParams, RenderedConfigResult } from '../../../shared/protocol';
import type { ServerSettings } from '../../../shared/settings';
import { checkFlexible, checkText } from '../node/checker';
import type { SchemaResolver } from '../node/checker';
import type { CheckOutput } from '../core/check';
import { parseIgnoreFile } from '../core/audit';
import type { AuditOptions } from '../core/audit';
import { flexibleEnv, flexibleSetup, renderDependencies, renderProject, setupFormat } from '../core/flexible';
import type { FlexibleReaders, FlexibleRender, FlexibleSetup } from '../core/flexible';
import { matchesAnyGlob } from '../core/glob';
import { LineIndex } from '../core/positions';
import { formatOf } from '../core/types';
import type { Diagnostic, Position } from '../core/types';
import { listConfigCandidates } from '../node/files';
import type { FileStamp } from '../node/files';
import { flexibleReaders, nodeFlexibleFs } from '../node/flexibleFs';
import type { FlexibleFs } from '../node/flexibleFs';
import { toLspDiagnostic } from './convert';
import { intelCapabilities, registerIntel } from './intel';
import type { IntelInitOptions } from './intel';
import type { FlexibleProject } from './intelContext';
import { DependencyIndex, Publications } from './publications';
import type { Dependencies } from './publications';
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
  /** The file access of Flexible Configuration renders (synchronous); defaults to the real file system. */
  readonly flexibleFs?: FlexibleFs;
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
  /**
   * The document closed while a check held this state. The check then publishes nothing (the
   * close cleared the problems, and a reopened document has its own state), but a save still
   * reports its result, so the gateway hears of a save followed at once by a close.
   */
  closed: boolean;
}

/** A configuration set up for a Flexible Configuration render: how, and with what file access. */
interface FlexibleContext {
  readonly path: string;
  readonly setup: FlexibleSetup;
  readonly readers: FlexibleReaders;
  /** Files whose unsaved editor text the readers returned, filled in as the render reads. */
  readonly unsaved: Set<string>;
}

/** What one check found, ready to publish and report. */
interface Outcome {
  readonly errors: number;
  readonly warnings: number;
  readonly schema: CheckResultParams['schema'];
  /** Problems per file URI (the checked file is always there). */
  readonly files: Map<string, LspDiagnostic[]>;
  readonly flexible?: FlexibleCheckInfo;
  readonly dependencies?: Dependencies;
}

export function serve(connection: Connection, options: ServeOptions): void {
  const documents = new TextDocuments(TextDocument);
  const state = new Map<string, PerDocument>();
  const now = options.now ?? (() => performance.now());
  const fcFs = options.flexibleFs ?? nodeFlexibleFs;
  /** Problems per file and per configuration that reported them (FC checks report in many files). */
  const publications = new Publications();
  /** Which files and folders each Flexible Configuration's last render read. */
  const dependencies = new DependencyIndex();
  /** Each configuration's audit ignore file (krakend.audit.ignoreFile), so an edit of it re-checks the configuration. */
  const auditIgnoreFiles = new Map<string, string>();
  /** The version of each open document at its last save (or open): a later version is unsaved. */
  const savedVersion = new Map<string, number>();
  /**
   * Open documents whose file changed on disk while the editor showed the saved text: the editor
   * reloads them, and that reload (a content change with exactly this text) is the new saved text.
   */
  const reloading = new Map<string, string>();
  /** Versions a disk change already counted as saved, so the editor's own didSave is not a second save. */
  const savedFromDisk = new Map<string, number>();
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
    savedVersion.set(e.document.uri, e.document.version);
    stateOf(e.document.uri).skipNextChange = true;
    schedule(e.document.uri, 'open', 0);
    background(dependencyEvent(e.document, 'open'));
  });
  documents.onDidSave((e) => {
    if (savedFromDisk.get(e.document.uri) === e.document.version) {
      savedFromDisk.delete(e.document.uri);
      return;
    }
    savedVersion.set(e.document.uri, e.document.version);
    schedule(e.document.uri, 'save', 0);
    background(dependencyEvent(e.document, 'save'));
  });
  documents.onDidChangeContent((e) => {
    if (reloading.get(e.document.uri) === e.document.getText()) {
      // The editor took the file's new text from disk: a save made outside it.
      reloading.delete(e.document.uri);
      savedVersion.set(e.document.uri, e.document.version);
      savedFromDisk.set(e.document.uri, e.document.version);
      background(changedOnDisk(e.document.uri));
      return;
    }
    const s = state.get(e.document.uri);
    if (s?.skipNextChange) {
      s.skipNextChange = false;
      return;
    }
    void typing(e.document.uri);
    background(dependencyEvent(e.document, 'change'));
  });
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    const s = state.get(uri);
    if (s?.timer) clearTimeout(s.timer);
    if (s) s.closed = true;
    state.delete(uri);
    settings?.forget(uri);
    const unsaved = isUnsaved(e.document);
    savedVersion.delete(uri);
    reloading.delete(uri);
    savedFromDisk.delete(uri);
    // Its problems go, and so do those it reported in partials and settings; problems that
    // open configurations report in this file stay (it is still part of their check).
    background(publish(publications.clear(uri, publications.reportedByOthers(uri, uri) ? undefined : uri)));
    // The configurations using it read its unsaved text; now they read the disk again.
    if (unsaved) background(dependencyEvent(e.document, 'close'));
  });

  // Files changed on disk outside the editor (git checkout, another editor, a script): the client
  // watches the configurations and the Flexible Configuration folders (synchronize.fileEvents).
  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) background(fileEvent(change));
  });

  connection.onRequest(CheckFileRequest, async (params: CheckFileParams) => {
    try {
      return await runCheck(params.uri, 'request', true);
    } catch (e) {
      throw new ResponseError(ErrorCodes.InternalError, `checking ${params.uri} failed: ${String(e)}`);
    }
  });

  connection.onRequest(RenderedConfigRequest, async (params: RenderedConfigParams): Promise<RenderedConfigResult> => {
    try {
      return await renderedConfig(params.uri);
    } catch (e) {
      connection.console.error(`rendering ${params.uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      throw new ResponseError(ErrorCodes.InternalError, `rendering ${params.uri} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  });

  /**
   * A document changed, saved, opened or closed that Flexible Configurations may read (a
   * partial, a settings file, a sub-template, or a new file in their folders): re-check them.
   * A save is reported to the gateway as a save of each configuration that uses the file.
   */
  async function dependencyEvent(doc: TextDocument, kind: 'open' | 'change' | 'save' | 'close'): Promise<void> {
    if (!doc.uri.startsWith('file:')) return;
    const path = pathOf(doc.uri);
    // An audit ignore file only changes advice: its configurations are checked again, but as an
    // edit, so the gateway does not reload for it.
    for (const [config, ignorePath] of auditIgnoreFiles) {
      if (ignorePath === path && kind !== 'open') schedule(config, 'change', kind === 'change' ? options.typingDelayMs : 0);
    }
    for (const config of dependencies.dependents(path, dirname(path))) {
      if (config === doc.uri) continue;
      if (kind === 'save') schedule(config, 'save', 0);
      else if (kind === 'close') schedule(config, 'change', 0);
      else if (kind === 'open') {
        // Opening changes nothing unless the editor holds other text than the check read.
        if (dependencies.get(config)?.texts.get(path) !== doc.getText()) schedule(config, 'change', 0);
      } else {
        const s = await settings?.get(config);
        if (s?.validate.run === 'onType') schedule(config, 'change', options.typingDelayMs);
      }
    }
  }

  /**
   * One file created, changed or deleted on disk. A file open in the editor counts only when the
   * editor shows what is now on disk: the didSave of the editor's own save has counted it already,
   * an editor with unsaved edits keeps them (VS Code does not reload it), and an editor that has
   * not reloaded yet counts when it does (onDidChangeContent).
   */
  async function fileEvent(change: FileEvent): Promise<void> {
    if (!change.uri.startsWith('file:')) return;
    const doc = openDocumentsByPath().get(pathOf(change.uri));
    if (doc && change.type !== FileChangeType.Deleted) {
      let disk: string;
      try {
        // Editors do not show a BOM; the text is what they compare.
        disk = (await options.readFile(pathOf(change.uri))).replace(/^\uFEFF/, '');
      } catch {
        return;
      }
      const text = doc.getText();
      if (text === disk) {
        if (savedVersion.get(doc.uri) === doc.version) return;
        savedVersion.set(doc.uri, doc.version);
        savedFromDisk.set(doc.uri, doc.version);
      } else {
        if (!isUnsaved(doc)) reloading.set(doc.uri, disk);
        return;
      }
    }
    await changedOnDisk(doc?.uri ?? change.uri, change.type === FileChangeType.Deleted);
  }

  /**
   * A file's saved text changed outside the editor: it is checked as a save when it is a
   * configuration, and so is every configuration whose last render read it. The gateway reloads
   * on those results as on an editor save.
   */
  async function changedOnDisk(uri: string, deleted = false): Promise<void> {
    const path = pathOf(uri);
    // A deleted configuration is the gateway's to notice (it keeps the last good one).
    if (!deleted && isConfigFile(uri, (await settingsFor(uri)).configFiles)) schedule(uri, 'save', 0, true);
    for (const config of dependencies.dependents(path, dirname(path))) if (config !== uri) schedule(config, 'save', 0, true);
  }

  /** Work started from a notification: a failure is logged, never an unhandled rejection. */
  function background(work: Promise<unknown>): void {
    work.catch((e: unknown) => {
      try {
        connection.console.error(`background work failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      } catch {
        // The connection is gone (the client quit): there is no one left to tell.
      }
    });
  }

  function isUnsaved(doc: TextDocument): boolean {
    const saved = savedVersion.get(doc.uri);
    return saved !== undefined && doc.version !== saved;
  }

  async function typing(uri: string): Promise<void> {
    const s = await settings?.get(uri);
    // The settings may arrive after the document closed; checking then would read the file
    // from disk and publish problems for a document that is no longer open.
    if (!documents.get(uri)) return;
    if (s?.validate.run === 'onType') schedule(uri, 'change', options.typingDelayMs);
  }

  /** `fromDisk`: the check follows a change on disk, not a save in the editor (see CheckResultParams). */
  function schedule(uri: string, trigger: Trigger, delayMs: number, fromDisk = false): void {
    const s = stateOf(uri);
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = undefined;
      runCheck(uri, trigger, false, fromDisk).catch((e: unknown) => connection.console.error(`check of ${uri} failed: ${String(e)}`));
    }, delayMs);
  }

  function stateOf(uri: string): PerDocument {
    let s = state.get(uri);
    if (!s) {
      s = { run: 0, lastSaveRun: 0, skipNextChange: false, closed: false };
      state.set(uri, s);
    }
    return s;
  }

  async function runCheck(uri: string, trigger: Trigger, force: boolean, fromDisk = false): Promise<CheckResultParams> {
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
      dependencies.delete(uri);
      if (run === s.run) await publish(publications.clear(uri));
      return { ...base, ok: true, errors: 0, warnings: 0, schema: { origin: 'none' }, trigger, durationMs: 0 };
    }
    let result: CheckResultParams;
    let closed = false;
    try {
      const path = pathOf(uri);
      const text = doc ? doc.getText() : await options.readFile(fileURLToPath(uri));
      const hiddenBom = doc !== undefined && uri.startsWith('file:') && formatOf(path) === 'json' && !text.startsWith('\uFEFF') && (await options.startsWithBom?.(path)) === true;
      const fc = flexibleContext(uri, text, cfg);
      const audit = await auditOptions(uri, path, cfg);
      const outcome = fc ? await checkFlexibleDocument(uri, text, hiddenBom, fc, cfg, audit) : await checkPlainDocument(uri, path, text, hiddenBom, cfg, audit);
      // A save's verdict describes what is on disk; if the check read unsaved text of a partial
      // or settings file, it is not that, so it is reported as an edit (the gateway waits).
      const reported: Trigger = trigger === 'save' && fc && [...fc.unsaved].some((p) => p !== fc.path) ? 'change' : trigger;
      result = {
        ...base,
        ok: outcome.errors === 0,
        errors: outcome.errors,
        warnings: outcome.warnings,
        schema: outcome.schema,
        trigger: reported,
        ...(fromDisk && reported === 'save' ? { fromDisk: true as const } : {}),
        durationMs: Math.round((now() - started) * 100) / 100,
        ...(outcome.flexible ? { flexible: outcome.flexible } : {}),
      };
      if (run !== s.run && !force) {
        // A newer check owns the Problems panel. A save's verdict still matters to the gateway,
        // unless a newer save will give its own: it describes the saved version, not the edits since.
        if (trigger === 'save' && run === s.lastSaveRun) await connection.sendNotification(CheckResultNotification, result);
        return superseded(uri, trigger);
      }
      // Kept for closed configurations too: the gateway may run one, and a partial's save must reach it.
      if (outcome.dependencies) dependencies.set(uri, outcome.dependencies);
      else dependencies.delete(uri);
      closed = s.closed && !force;
      if (!closed) await publish(publications.set(uri, outcome.files, uri), uri, version);
    } catch (e) {
      // A failed check leaves no stale problems behind, and says so.
      connection.console.error(`check of ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (run !== s.run && !force) return superseded(uri, trigger);
      dependencies.delete(uri);
      closed = s.closed && !force;
      if (!closed) await publish(publications.clear(uri, uri));
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

  /**
   * What the audit reports for a configuration: nothing when it is off, else the settings' `-s`
   * and `-i`, plus the rule ids of the ignore file (`-I`) when it exists. An unreadable ignore file
   * is as good as none: the audit is advice, and its absence is the usual case.
   */
  async function auditOptions(uri: string, path: string, cfg: ServerSettings): Promise<AuditOptions | undefined> {
    if (!cfg.audit.enable) return undefined;
    let fromFile: string[] = [];
    if (cfg.audit.ignoreFile !== '' && isAbsolute(path)) {
      const ignorePath = resolve(dirname(path), cfg.audit.ignoreFile);
      auditIgnoreFiles.set(uri, ignorePath);
      const open = openDocumentsByPath().get(ignorePath);
      try {
        fromFile = parseIgnoreFile(open ? open.getText() : await options.readFile(ignorePath));
      } catch {
        // No ignore file: nothing ignored beyond the setting.
      }
    }
    return { severities: cfg.audit.severities, ignore: [...cfg.audit.ignore, ...fromFile] };
  }

  async function checkPlainDocument(uri: string, path: string, text: string, hiddenBom: boolean, cfg: ServerSettings, audit: AuditOptions | undefined): Promise<Outcome> {
    const checked = await checkText(hiddenBom ? `\uFEFF${text}` : text, path, resolver, cfg.schema, audit);
    const output = hiddenBom ? withoutBomColumn(checked.output) : checked.output;
    return { errors: output.errors, warnings: output.warnings, schema: checked.schema, files: new Map([[uri, output.diagnostics.map(toLspDiagnostic)]]) };
  }

  async function checkFlexibleDocument(uri: string, text: string, hiddenBom: boolean, fc: FlexibleContext, cfg: ServerSettings, audit: AuditOptions | undefined): Promise<Outcome> {
    const checked = await checkFlexible({ mainPath: fc.path, mainText: hiddenBom ? `\uFEFF${text}` : text, setup: fc.setup, readers: fc.readers, ...(audit ? { audit } : {}) }, resolver, cfg.schema);
    const { output } = checked;
    const base = dirname(fc.path);
    const abs = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
    const byPath = openDocumentsByPath();
    const files = new Map<string, LspDiagnostic[]>();
    for (const [file, { diagnostics }] of output.files) {
      const main = file === fc.path;
      const list = main && hiddenBom ? diagnostics.map(withoutBom) : diagnostics;
      files.set(main ? uri : uriOfPath(abs(file), byPath), list.map(toLspDiagnostic));
    }
    const r = output.render;
    const read = [...r.texts.keys()].map(abs);
    const deps: Dependencies = { ...renderDependencies(r, fc.setup.options, abs), texts: new Map([...r.texts].map(([p, t]) => [abs(p), t])) };
    const unsaved = [...fc.unsaved].filter((p) => p !== fc.path);
    const flexible: FlexibleCheckInfo = { ...flexibleEnv(fc.setup), format: setupFormat(fc.setup), files: read, ...(unsaved.length > 0 ? { unsaved } : {}) };
    return { errors: output.errors, warnings: output.warnings, schema: checked.schema, files, flexible, dependencies: deps };
  }

  /**
   * How a configuration is rendered, when it is a Flexible Configuration by the settings (and
   * auto-detection). Relative paths are the configuration's folder's, as KrakenD's are in the
   * gateway container; a file open in the editor is read from the editor, saved or not.
   */
  function flexibleContext(uri: string, text: string, cfg: ServerSettings): FlexibleContext | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const path = pathOf(uri);
    const dir = dirname(path);
    const setup = flexibleSetup({ text, enable: cfg.flexibleConfig.enable, folders: cfg.flexibleConfig, configFormat: formatOf(path), resolve: (p) => resolve(dir, p), hasDir: (p) => fcFs.isDir(p) });
    if (!setup) return undefined;
    const byPath = openDocumentsByPath();
    const unsaved = new Set<string>();
    const overlay = (p: string): string | undefined => {
      const d = byPath.get(p);
      if (!d) return undefined;
      if (isUnsaved(d)) unsaved.add(p);
      return d.getText();
    };
    const env = (name: string): string | undefined => cfg.gatewayEnv[name];
    return { path, setup, readers: flexibleReaders(fcFs, { baseDir: dir, overlay, env }), unsaved };
  }

  /** The render of a Flexible Configuration, for the rendered-config request and the editor features. */
  async function renderFor(uri: string): Promise<{ fc: FlexibleContext; render: FlexibleRender } | undefined> {
    const doc = documents.get(uri);
    const text = doc ? doc.getText() : await options.readFile(fileURLToPath(uri));
    const fc = flexibleContext(uri, text, await settingsFor(uri));
    if (!fc) return undefined;
    return { fc, render: renderProject({ mainPath: fc.path, mainText: text, options: fc.setup.options, readers: fc.readers }) };
  }

  async function renderedConfig(uri: string): Promise<RenderedConfigResult> {
    const cfg = await settingsFor(uri);
    const rendered = await renderFor(uri);
    if (!rendered) {
      const why = cfg.flexibleConfig.enable === 'off' ? 'krakend.flexibleConfig.enable is "off"' : 'it has no template actions and no settings/, partials/ or templates/ folder beside it';
      return { error: `${basename(pathOf(uri))} is not a Flexible Configuration: ${why}.` };
    }
    const { fc, render } = rendered;
    if (render.result) return { text: render.result.output, format: setupFormat(fc.setup) };
    const first = render.problems.find((p) => p.problem.code !== 'template/detected' && p.problem.code !== 'template/no-value') ?? render.problems[0];
    if (!first) return { error: 'the configuration could not be rendered' };
    const text = render.texts.get(first.file) ?? '';
    const at = new LineIndex(text).positionAt(first.problem.span.offset);
    const base = dirname(fc.path);
    const shown = relative(base, isAbsolute(first.file) ? first.file : resolve(base, first.file));
    return { error: `${shown}:${at.line + 1}:${at.character + 1}: ${first.problem.message}` };
  }

  function openDocumentsByPath(): Map<string, TextDocument> {
    const out = new Map<string, TextDocument>();
    for (const d of documents.all()) if (d.uri.startsWith('file:')) out.set(pathOf(d.uri), d);
    return out;
  }

  /** An open document's own URI (the editor's spelling of it), else the path's file URI. */
  function uriOfPath(path: string, byPath: ReadonlyMap<string, TextDocument>): string {
    return byPath.get(path)?.uri ?? pathToFileURL(path).href;
  }

  async function publish(lists: ReadonlyMap<string, LspDiagnostic[]>, self?: string, version?: number): Promise<void> {
    for (const [uri, diagnostics] of lists) {
      await connection.sendDiagnostics({ uri, ...(uri === self && version !== undefined ? { version } : {}), diagnostics });
    }
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
    flexible: flexibleProject,
  });

  /**
   * The Flexible Configuration a document belongs to, freshly rendered, for hover, completion
   * and definition: the document itself when it is one, else the first configuration whose last
   * check read it (a partial, a settings file, a sub-template).
   */
  async function flexibleProject(uri: string): Promise<FlexibleProject | undefined> {
    if (!uri.startsWith('file:')) return undefined;
    const cfg = await settingsFor(uri);
    const path = pathOf(uri);
    const configs = isConfigFile(uri, cfg.configFiles) ? [uri] : [];
    configs.push(...dependencies.dependents(path, dirname(path)).filter((c) => c !== uri));
    for (const config of configs) {
      const rendered = await renderFor(config).catch(() => undefined);
      if (!rendered) continue;
      const base = dirname(rendered.fc.path);
      return { configUri: config, path, baseDir: base, setup: rendered.fc.setup, render: rendered.render, readers: rendered.fc.readers };
    }
    return undefined;
  }

  documents.listen(connection);
  connection.listen();
}

/** Maps positions of a check run on BOM + text back to the editor's text, which has no BOM. */
function withoutBomColumn(output: CheckOutput): CheckOutput {
  return { ...output, diagnostics: output.diagnostics.map(withoutBom) };
}

function withoutBom(d: Diagnostic): Diagnostic {
  const shift = (p: Position): Position => (p.line === 0 ? { line: 0, character: Math.max(0, p.character - 1) } : p);
  return { ...d, range: { start: shift(d.range.start), end: shift(d.range.end) } };
}

/**
 * The editor features beyond diagnostics (hover, completion, quick fixes, symbols, code lenses),
 * registered from serve.ts, which owns the documents and the settings. The logic is in
 * core/intel; each feature file here only turns positions into offsets and data into LSP.
 *
 * The schema a feature reads is the one the check uses: the same resolver, asked the same way
 * (by the document's `$schema` and the `krakend.schema.*` settings), so a hover or a completion
 * never disagrees with a diagnostic.
 */
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Connection, ServerCapabilities, TextDocuments, WorkspaceFolder } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerSettings } from '../../../shared/settings';
import type { SchemaResolver } from '../checker';
import type { ValueNode } from '../core/ast';
import { schemaOnlyRoot } from '../core/intel/declaredSchema';
import { SchemaIndex } from '../core/intel/schemaNav';
import { parseJsonLoose } from '../core/intel/looseJson';
import { parseConfig } from '../core/parse';
import { LineIndex } from '../core/positions';
import { formatOf } from '../core/types';
import type { ConfigFormat } from '../core/types';
import type { FileStamp } from '../files';
import { registerCodeActions } from './codeActions';
import { registerCodeLens } from './codeLens';
import { registerCompletion, COMPLETION_TRIGGERS } from './completion';
import { registerDocumentSymbols } from './documentSymbols';
import { registerHover } from './hover';
import { registerWorkspaceSymbols } from './workspaceSymbols';

/** What serve.ts lends the features. */
export interface IntelHost {
  readonly documents: TextDocuments<TextDocument>;
  settings(uri: string): Promise<ServerSettings>;
  /** Undefined until `initialize`. */
  resolver(): SchemaResolver | undefined;
  folders(): readonly WorkspaceFolder[];
  /** Whether the file is a KrakenD configuration by `krakend.configFiles`. */
  isConfigFile(uri: string, globs: readonly string[]): boolean;
  /** The file-system path (or URL path) of a document URI. */
  pathOf(uri: string): string;
  readFile(path: string): Promise<string>;
  listFiles(folderPath: string): Promise<FileStamp[]>;
  log(message: string): void;
}

/** The options of `initialize` the features read. */
export interface IntelInitOptions {
  /** The client can run `krakend.tryEndpoint`, so the server offers "try" code lenses. */
  readonly tryEndpointLenses?: boolean;
}

/** The capabilities the features add to `initialize`'s answer. */
export function intelCapabilities(init: IntelInitOptions): ServerCapabilities {
  return {
    hoverProvider: true,
    completionProvider: { triggerCharacters: [...COMPLETION_TRIGGERS], resolveProvider: false },
    codeActionProvider: { codeActionKinds: ['quickfix'] },
    documentSymbolProvider: { label: 'KrakenD' },
    workspaceSymbolProvider: true,
    ...(init.tryEndpointLenses === true ? { codeLensProvider: { resolveProvider: false } } : {}),
  };
}

/** One version of one open document, with what the features derive from it, computed once. */
export class DocView {
  readonly format: ConfigFormat;
  readonly index: LineIndex;
  private loose: ValueNode | undefined | null = null;
  private strict: ValueNode | undefined | null = null;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    path: string,
  ) {
    this.format = formatOf(path);
    this.index = new LineIndex(text);
  }

  /** The tolerant tree (JSON), for text that may be half typed. */
  looseTree(): ValueNode | undefined {
    if (this.loose === null) this.loose = this.format === 'json' ? parseJsonLoose(this.text) : this.strictRoot();
    return this.loose;
  }

  /** The tree as KrakenD reads it, when the text parses. */
  strictRoot(): ValueNode | undefined {
    if (this.strict === null) this.strict = parseConfig(this.text, this.format).root;
    return this.strict;
  }

  /** The best tree there is: the strict one, else (JSON) the tolerant one. */
  anyTree(): ValueNode | undefined {
    return this.strictRoot() ?? (this.format === 'json' ? this.looseTree() : undefined);
  }
}

/** The shared state of the features: document views, schemas, and the host. */
export class IntelContext {
  private readonly views = new Map<string, DocView>();
  /** One index per schema object: indexing is cheap, but its memo of paths is worth keeping. */
  private readonly indexes = new WeakMap<object, SchemaIndex>();

  constructor(readonly host: IntelHost) {
    host.documents.onDidClose((e) => this.views.delete(e.document.uri));
  }

  /** The view of an open configuration, or undefined for other documents. */
  async view(uri: string): Promise<DocView | undefined> {
    const doc = this.host.documents.get(uri);
    if (!doc) return undefined;
    const settings = await this.host.settings(uri);
    if (!this.host.isConfigFile(uri, settings.configFiles)) return undefined;
    const cached = this.views.get(uri);
    if (cached?.version === doc.version) return cached;
    const view = new DocView(uri, doc.version, doc.getText(), this.host.pathOf(uri));
    this.views.set(uri, view);
    return view;
  }

  /**
   * The schema the check uses for this document, as an index; undefined when there is none.
   * The resolver is asked exactly as the check asks it; it reads only `$schema` from the tree,
   * so it gets a root with just that (a YAML file is not parsed whole for one line).
   */
  async schemaFor(view: DocView): Promise<SchemaIndex | undefined> {
    const resolver = this.host.resolver();
    if (!resolver) return undefined;
    const settings = await this.host.settings(view.uri);
    const root = schemaOnlyRoot(view.text, view.format, view.format === 'json' ? view.looseTree() : undefined);
    const docs = (await resolver.prepare(root, settings.schema)).schema;
    if (!docs) return undefined;
    let index = this.indexes.get(docs.root);
    if (!index) {
      index = new SchemaIndex(docs);
      this.indexes.set(docs.root, index);
    }
    return index;
  }
}

/**
 * Runs a request handler; an exception becomes a logged ResponseError, so one bad document
 * never takes the server down and the client sees why the request failed.
 */
export async function guarded<T>(host: IntelHost, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    host.log(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    throw new ResponseError(ErrorCodes.InternalError, `${what} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Registers every feature on the connection. */
export function registerIntel(connection: Connection, host: IntelHost): void {
  const ctx = new IntelContext(host);
  registerHover(connection, ctx);
  registerCompletion(connection, ctx);
  registerCodeActions(connection, ctx);
  registerDocumentSymbols(connection, ctx);
  registerWorkspaceSymbols(connection, ctx);
  registerCodeLens(connection, ctx);
}

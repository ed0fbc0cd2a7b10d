/**
 * The shared state of the editor features: what serve.ts lends them (IntelHost), the views of
 * open documents, the schema a document is checked with, and `guarded` for every handler. A file
 * of its own so that each feature file imports it without importing intel.ts, which registers
 * the features (and so imports every one of them).
 */
import { isAbsolute, resolve } from 'node:path';
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { TextDocuments, WorkspaceFolder } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerSettings } from '../../../shared/settings';
import type { SchemaResolver } from '../node/checker';
import type { ValueNode } from '../core/ast';
import { setupFormat } from '../core/flexible';
import type { FlexibleReaders, FlexibleRender, FlexibleSetup } from '../core/flexible';
import { outputPlace, renderedFile } from '../core/flexible/navigation';
import type { OutputPlace, RenderedFile } from '../core/flexible/navigation';
import { schemaOnlyRoot } from '../core/intel/declaredSchema';
import { SchemaIndex } from '../core/intel/schemaNav';
import { parseJsonLoose } from '../core/intel/looseJson';
import { parseConfig } from '../core/parse';
import { LineIndex } from '../core/positions';
import { formatOf } from '../core/types';
import type { ConfigFormat, Position } from '../core/types';
import type { FileStamp } from '../node/files';

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
  /** The Flexible Configuration the document is part of (as the configuration or a file it reads), freshly rendered. */
  flexible(uri: string): Promise<FlexibleProject | undefined>;
}

/** A document's Flexible Configuration, rendered as the check renders it. */
export interface FlexibleProject {
  /** The configuration (the -c file) the render is of. */
  readonly configUri: string;
  /** The document's own path. */
  readonly path: string;
  /** Where relative paths of the render are read from (the configuration's folder). */
  readonly baseDir: string;
  readonly setup: FlexibleSetup;
  readonly render: FlexibleRender;
  /** The render's file access (the editor's unsaved text first). */
  readonly readers: FlexibleReaders;
}

/** The cursor of a template or partial, moved into the rendered configuration. */
export interface RenderedCursor {
  /** The rendered output as a document (format by FC_OUT). */
  readonly view: DocView;
  /** The cursor's offset in the output. */
  readonly offset: number;
  /** The stretch of the document the output copied 1:1, for mapping spans back. */
  readonly place: OutputPlace;
  /** Positions in the edited document. */
  readonly source: LineIndex;
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

  /** The last rendered output per configuration, as a view (parsed once per output). */
  private readonly renderedViews = new Map<string, DocView>();

  constructor(readonly host: IntelHost) {
    host.documents.onDidClose((e) => {
      this.views.delete(e.document.uri);
      this.renderedViews.delete(e.document.uri);
    });
  }

  /**
   * For a document of a Flexible Configuration: `flexible` is true, and `cursor` is where the
   * position's text went in the rendered output, when it was copied there 1:1 (not inside an
   * action, not in a branch the render did not take, and only when the render succeeded).
   */
  async flexibleCursor(uri: string, position: Position): Promise<{ flexible: false } | { flexible: true; cursor?: RenderedCursor }> {
    const doc = this.host.documents.get(uri);
    if (!doc) return { flexible: false };
    const project = await this.host.flexible(uri);
    if (!project) return { flexible: false };
    const result = project.render.result;
    if (!result) return { flexible: true };
    const file: RenderedFile = renderedFile(project.render, (p) => this.absolute(project, p) === project.path);
    const source = new LineIndex(doc.getText());
    const place = outputPlace(project.render, file, source.offsetAt(position));
    if (!place) return { flexible: true };
    let view = this.renderedViews.get(project.configUri);
    if (view?.text !== result.output) {
      view = new DocView(project.configUri, 0, result.output, setupFormat(project.setup) === 'yaml' ? 'rendered.yaml' : 'rendered.json');
      this.renderedViews.set(project.configUri, view);
    }
    return { flexible: true, cursor: { view, offset: place.output, place, source } };
  }

  /** A path of the render (relative ones are the configuration folder's) made absolute. */
  absolute(project: FlexibleProject, p: string): string {
    return isAbsolute(p) ? p : resolve(project.baseDir, p);
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

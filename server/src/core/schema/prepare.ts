/**
 * Choosing, loading and compiling the schema for one document, as data flow only: the store
 * that reads caches and downloads is injected (server/src/schemaStore.ts), so this stays pure
 * and the language server and the CLI share it.
 */
import { getProperty } from '../ast';
import type { ValueNode } from '../ast';
import type { SchemaOrigin } from '../../../../shared/protocol';
import type { Problem } from '../types';
import { SchemaCompiler } from './compile';
import type { CompiledSchema } from './compile';
import type { AjvValidate } from './dialect';
import { lint } from './lint';
import { schemaUrlFor } from './url';
import type { SchemaChoice } from './url';

/** The download policy, from the `krakend.schema.*` settings. */
export interface SchemaPolicy {
  readonly download: boolean;
  readonly allowedHosts: readonly string[];
  /**
   * With `download: false`: downloads are allowed, just not in this call, because the caller
   * runs one in the background. The fallback reason then says so instead of "turned off".
   */
  readonly deferDownload?: boolean;
}

/** Where a schema came from; `bundled` is KrakenD Live's own schemas/krakend.json. */
export type SchemaSourceOrigin = 'setting' | 'cache' | 'download' | 'bundled';

export interface SchemaSourceResult {
  readonly schema: object;
  readonly origin: SchemaSourceOrigin;
  /** The URL the schema is registered under (a `file:` URL for local files). */
  readonly url: string;
  /** Why the requested schema was not used, when `origin` is `bundled`. */
  readonly fallbackReason?: string;
  /** The schema's validator, compiled before (standalone code); then Ajv is not needed. */
  readonly precompiled?: AjvValidate;
  /** Whether the source keeps standalone code for this schema (see SchemaSource.keepPrecompiled). */
  readonly keepsPrecompiled?: boolean;
}

/** What prepare needs from the store. `get` never rejects; `load` (for `$ref`s) may. */
export interface SchemaSource {
  get(url: string, policy: SchemaPolicy): Promise<SchemaSourceResult>;
  load(url: string, policy: SchemaPolicy): Promise<object>;
  bundled(): Promise<SchemaSourceResult>;
  /**
   * Keeps a schema's validator as standalone code, so the next process (the next CLI run, the
   * next editor session) does not compile it again. Never rejects.
   */
  keepPrecompiled?(result: SchemaSourceResult, code: string): Promise<void>;
}

/**
 * The schema a document was linted with, as plain JSON, for the editor features that read it
 * (hover, completion): the same schema the check used, so there is no second truth.
 */
export interface SchemaDocuments {
  /** Where the root schema is registered (its `$ref`s resolve against it). */
  readonly url: string;
  readonly root: object;
  /** The schemas its `$ref`s loaded, by absolute URL (the modular pre-2.7 trees). */
  readonly refs: ReadonlyMap<string, object>;
}

export interface PreparedSchemaLint {
  readonly lint?: (root: ValueNode, plain?: () => unknown) => readonly Problem[];
  /** At most one `schema/bundled` note. */
  readonly extra: readonly Problem[];
  readonly origin: SchemaOrigin;
  /** The schema actually used. */
  readonly url?: string;
  /** The schema the document or the setting asked for. */
  readonly wanted: string;
  /** The KrakenD minor version the wanted schema is for, when known (`2.13`). */
  readonly version?: string;
  /** The schema used, as JSON; absent when nothing could be compiled. */
  readonly schema?: SchemaDocuments;
}

/**
 * The note shown when our bundled schema stood in for the official one: information level,
 * on the `$schema` value when there is one, else at the start of the file.
 */
export function bundledSchemaNote(root: ValueNode | undefined, wanted: string, reason?: string, source: SchemaChoice['source'] = 'document'): Problem {
  let span = { offset: 0, length: 0 };
  let ignored: string | undefined;
  if (root?.kind === 'object') {
    const p = getProperty(root, '$schema');
    if (p) span = { offset: p.value.offset, length: p.value.length };
    // The note sits on $schema; when that value was not followed, say so, or the note names a
    // URL the user never wrote.
    if (p && source === 'default') ignored = p.value.kind === 'string' ? `'${p.value.value}'` : 'this value';
  }
  const why = reason ? ` (${reason})` : '';
  const what = source === 'setting' ? `the schema ${wanted} set by krakend.schema.url or --schema` : `the official schema ${wanted}`;
  const tail = ignored ? `; $schema ${ignored} is not a krakend.io schema URL, so the newest known version was wanted` : '';
  return {
    code: 'schema/bundled',
    message: `Linted with KrakenD Live's bundled schema for KrakenD CE 2.13, because ${what} is not available${why}${tail}.`,
    span,
  };
}

function isFileUrl(url: string): boolean {
  return url.startsWith('file:');
}

/**
 * Compiles each schema once and hands out lint functions. Local schemas (the setting) may
 * `$ref` local files; a schema from the network may only `$ref` the network, through the same
 * allowlist, so a downloaded schema can never make us read a local file. Calls with different
 * policies (say, an offline first look and a background download) may share one instance.
 */
export class SchemaLinting {
  private readonly compiler = new SchemaCompiler();
  /** Work started in the background (keeping a compiled validator), until it settles. */
  private readonly pending = new Set<Promise<unknown>>();
  /** The `$ref` targets each compiled schema loaded, by root URL (compilation loads them once). */
  private readonly refsByRoot = new Map<string, Map<string, object>>();

  constructor(
    private readonly source: SchemaSource,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** Settles when the background work started so far has (so a command can exit at once). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Chooses the schema for a parsed document and returns its lint. Never rejects. */
  async prepare(root: ValueNode, settings: SchemaPolicy & { readonly url: string }): Promise<PreparedSchemaLint> {
    const policy: SchemaPolicy = { download: settings.download, allowedHosts: settings.allowedHosts, deferDownload: settings.deferDownload };
    const choice = schemaUrlFor(root, settings.url);
    const base = choice.version ? { wanted: choice.url, version: choice.version } : { wanted: choice.url };
    const got = await this.source.get(choice.url, policy);
    let reason = got.fallbackReason;
    if (got.origin !== 'bundled') {
      const remote = !isFileUrl(got.url);
      let refs = this.refsByRoot.get(got.url);
      if (!refs) {
        refs = new Map();
        this.refsByRoot.set(got.url, refs);
      }
      const seen = refs;
      const loadRef = async (ref: string): Promise<object> => {
        if (remote && isFileUrl(ref)) throw new Error(`a remote schema may not reference the local file ${ref}`);
        const loaded = await this.source.load(ref, policy);
        seen.set(ref.replace(/#.*$/, ''), loaded);
        return loaded;
      };
      try {
        const keep = got.keepsPrecompiled === true && !got.precompiled && this.source.keepPrecompiled !== undefined;
        const compiled = await this.compiler.compile(got.url, got.schema, loadRef, { precompiled: got.precompiled, standalone: keep });
        if (keep && compiled.standalone !== undefined) {
          // In the background: the check does not wait for the file.
          const kept = this.source.keepPrecompiled?.(got, compiled.standalone);
          if (kept) {
            this.pending.add(kept);
            void kept.finally(() => this.pending.delete(kept));
          }
        }
        const schema: SchemaDocuments = { url: got.url, root: got.schema, refs };
        return { ...base, lint: linter(compiled), extra: [], origin: got.origin, url: got.url, schema };
      } catch (e) {
        reason = `cannot compile ${got.url}: ${e instanceof Error ? e.message : String(e)}`;
        this.log(`schema: ${reason}; using the bundled schema`);
      }
    }
    const bundled = got.origin === 'bundled' ? got : await this.source.bundled();
    try {
      // Our schema is self-contained: no loader. Precompiled at build time in the bundles.
      const compiled = await this.compiler.compile(bundled.url, bundled.schema, undefined, { precompiled: bundled.precompiled });
      const schema: SchemaDocuments = { url: bundled.url, root: bundled.schema, refs: new Map() };
      return { ...base, lint: linter(compiled), extra: [bundledSchemaNote(root, choice.url, reason, choice.source)], origin: 'bundled', url: bundled.url, schema };
    } catch (e) {
      // Our own schema failing to compile is a bug; the other checks still run without a lint.
      this.log(`schema: the bundled schema does not compile: ${e instanceof Error ? e.message : String(e)}`);
      return { ...base, extra: [], origin: 'none' };
    }
  }
}

function linter(compiled: CompiledSchema): (root: ValueNode, plain?: () => unknown) => readonly Problem[] {
  return (root, plain) => lint(root, compiled, plain);
}

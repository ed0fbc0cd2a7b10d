/**
 * Where schemas come from (the I/O half of the schema lint; the pure half is core/schema).
 *
 * In order: a local file named by the `krakend.schema.url` setting; a copy cached under the
 * extension's global storage; a download from an allowlisted host (www.krakend.io by
 * default), cached atomically; and finally KrakenD Live's own bundled schema. `get` never
 * rejects: every failure falls back to the bundled schema and says why.
 *
 * fetch and the file system are injected so tests never touch the network.
 */
import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import bundledSchema from '../../../schemas/krakend.json';
import { hashText } from '../core/hash';
import type { AjvValidate } from '../core/schema/dialect';
import { SchemaLinting } from '../core/schema/prepare';
import type { SchemaPolicy, SchemaSource, SchemaSourceResult } from '../core/schema/prepare';
import { loadBundledValidator, loadPrecompiled, precompiledHeader, standaloneLoadable } from './precompiled';

/** The file-system calls the store makes. */
export interface StoreFs {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  writeFile(path: string, data: string, encoding: 'utf8'): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  rm(path: string, options: { force: true }): Promise<void>;
}

export type FetchLike = (url: string, init: { signal: AbortSignal; redirect: 'follow'; headers: Record<string, string> }) => Promise<Response>;

export interface SchemaStoreOptions {
  /** Directory for downloaded schemas (the extension's globalStorage, or a CLI cache dir). */
  readonly storageDir: string;
  readonly fetch?: FetchLike;
  readonly fs?: StoreFs;
  /** Our fallback schema; defaults to schemas/krakend.json, inlined by the bundler. */
  readonly bundled?: object;
  /**
   * The bundled schema's precompiled validator; defaults to the build's dist/bundledValidator.js
   * when it was made from the same schema. `null`: always compile.
   */
  readonly bundledValidator?: AjvValidate | null;
  /** Whole-download timeout, as `krakend check -l` uses: 10 s. */
  readonly timeoutMs?: number;
  /** Largest schema accepted; v2.13 is 0.6 MB. */
  readonly maxBytes?: number;
  /** After a failed download, how long to use the bundled schema before trying again. */
  readonly retryAfterMs?: number;
  readonly now?: () => number;
  readonly log?: (message: string) => void;
}

/** A schema held in memory, by URL. */
interface MemoryEntry {
  readonly schema: object;
  /** The text it was parsed from (for cached and downloaded schemas). */
  readonly text?: string;
  /** Its validator, loaded from the file kept next to the cache. */
  readonly precompiled?: AjvValidate;
  /** Its validator has been handed to keepPrecompiled already: once per process is enough. */
  kept?: boolean;
}

/** The `$id` of schemas/krakend.json. */
export const BUNDLED_SCHEMA_ID = 'https://krakend-live.dev/schema/krakend.json';

export interface StoreResult extends SchemaSourceResult {
  /** The URL that was asked for (differs from `url` when the bundled schema stood in). */
  readonly requested: string;
}

class SchemaUnavailable extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function message(e: unknown): string {
  if (e instanceof Error) {
    // fetch wraps the interesting part (ENOTFOUND, ECONNREFUSED) in `cause`.
    const cause = (e as { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message}: ${cause.message}` : e.message;
  }
  return String(e);
}

/** An absolute path or a `file:` URL becomes a `file:` URL; anything else is returned as is. */
export function toSchemaUrl(raw: string): string {
  if (/^[a-zA-Z]:[\\/]/.test(raw) || raw.startsWith('/') || raw.startsWith('\\\\')) return pathToFileURL(raw).href;
  return raw;
}

export class SchemaStore implements SchemaSource {
  private readonly fetch: FetchLike;
  private readonly fs: StoreFs;
  private readonly bundledSchema: object;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly retryAfterMs: number;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  /**
   * Parsed schemas by URL, so repeated checks hand the compiler the same object; with the text
   * they were parsed from, and their precompiled validator when one was found.
   */
  private readonly memory = new Map<string, MemoryEntry>();
  private bundledValidatorCache: AjvValidate | null | undefined;
  private readonly failures = new Map<string, { until: number; reason: string }>();
  private readonly inFlight = new Map<string, Promise<object>>();

  constructor(private readonly options: SchemaStoreOptions) {
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.fs = options.fs ?? nodeFs;
    this.bundledSchema = options.bundled ?? bundledSchema;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
    this.retryAfterMs = options.retryAfterMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => undefined);
  }

  /** The schema at `url`, or the bundled one with the reason. Never rejects. */
  async get(url: string, policy: SchemaPolicy): Promise<StoreResult> {
    const target = toSchemaUrl(url);
    try {
      return { ...(await this.resolve(target, policy)), requested: url };
    } catch (e) {
      const reason = message(e);
      if (!(e instanceof SchemaUnavailable)) this.log(`schema: ${target}: ${reason}`);
      return { ...this.bundledResult(), fallbackReason: reason, requested: url };
    }
  }

  /** A schema referenced by `$ref` from another one: same sources, but no fallback. */
  async load(url: string, policy: SchemaPolicy): Promise<object> {
    return (await this.resolve(toSchemaUrl(url), policy)).schema;
  }

  bundled(): Promise<SchemaSourceResult> {
    return Promise.resolve(this.bundledResult());
  }

  /** The cache file for a URL: a hash for uniqueness plus the file name for people. */
  cachePath(url: string): string {
    const hash = hashText(url);
    const tail = (url.replace(/[?#].*$/, '').split('/').filter(Boolean).slice(-2).join('-') || 'schema').replace(/[^A-Za-z0-9._-]+/g, '_');
    return join(this.options.storageDir, `${hash}-${tail}`);
  }

  private bundledResult(): SchemaSourceResult {
    if (this.bundledValidatorCache === undefined) {
      this.bundledValidatorCache = this.options.bundledValidator !== undefined ? this.options.bundledValidator : (loadBundledValidator(this.bundledSchema, this.log) ?? null);
    }
    const precompiled = this.bundledValidatorCache ?? undefined;
    return precompiled ? { schema: this.bundledSchema, origin: 'bundled', url: BUNDLED_SCHEMA_ID, precompiled } : { schema: this.bundledSchema, origin: 'bundled', url: BUNDLED_SCHEMA_ID };
  }

  /** The file next to a cached schema that holds its precompiled validator. */
  precompiledPath(url: string): string {
    return `${this.cachePath(url)}.validator.js`;
  }

  /**
   * Writes the validator of a cached or downloaded schema next to it (temp + rename), with the
   * header that ties it to the schema's text. Never rejects; a failure only costs the next
   * process a compile.
   */
  async keepPrecompiled(result: SchemaSourceResult, code: string): Promise<void> {
    const entry = this.memory.get(result.url);
    const text = entry?.text;
    if ((result.origin !== 'cache' && result.origin !== 'download') || !entry || text === undefined || entry.kept) return;
    // Once, whatever happens: a failed write costs the next process a compile, not every check a write.
    entry.kept = true;
    if (!standaloneLoadable(code)) {
      this.log(`schema: the compiled validator of ${result.url} needs Ajv helpers that are not bundled; it is compiled on every start`);
      return;
    }
    const final = this.precompiledPath(result.url);
    const tmp = temporaryName(final);
    try {
      await this.fs.mkdir(this.options.storageDir, { recursive: true });
      await this.fs.writeFile(tmp, precompiledHeader(text) + code, 'utf8');
      await this.fs.rename(tmp, final);
    } catch (e) {
      this.log(`schema: cannot keep the compiled validator of ${result.url}: ${message(e)}`);
      await this.fs.rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  /** A remote schema's result: with its precompiled validator, or marked for keeping one. */
  private remoteResult(url: string, origin: 'cache' | 'download', entry: MemoryEntry): SchemaSourceResult {
    if (entry.precompiled) return { schema: entry.schema, origin, url, precompiled: entry.precompiled };
    return entry.text !== undefined && !entry.kept ? { schema: entry.schema, origin, url, keepsPrecompiled: true } : { schema: entry.schema, origin, url };
  }

  private async resolve(url: string, policy: SchemaPolicy): Promise<SchemaSourceResult> {
    if (url.startsWith('file:')) return { schema: await this.readLocal(url), origin: 'setting', url };
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SchemaUnavailable(`'${url}' is neither a URL nor an absolute path`);
    }
    const memo = this.memory.get(url);
    if (memo) return this.remoteResult(url, 'cache', memo);
    const cached = await this.readCache(url);
    if (cached) return this.remoteResult(url, 'cache', cached);
    if (parsed.protocol !== 'https:') throw new SchemaUnavailable(`only https schemas are downloaded, not ${url}`);
    if (!policy.download && !policy.deferDownload) throw new SchemaUnavailable('downloads are off: krakend.schema.download in the editor, --download on the command line');
    if (!hostAllowed(parsed, policy.allowedHosts)) throw new SchemaUnavailable(`${parsed.host} is not in krakend.schema.allowedHosts`);
    const failed = this.failures.get(url);
    if (failed && failed.until > this.now()) throw new SchemaUnavailable(failed.reason);
    if (!policy.download) throw new SchemaUnavailable('it is being downloaded; the file is checked again when it arrives');
    let pending = this.inFlight.get(url);
    if (!pending) {
      pending = this.download(url, policy).finally(() => this.inFlight.delete(url));
      this.inFlight.set(url, pending);
    }
    try {
      const schema = await pending;
      return this.remoteResult(url, 'download', this.memory.get(url) ?? { schema });
    } catch (e) {
      const reason = `cannot download ${url}: ${message(e)}`;
      this.failures.set(url, { until: this.now() + this.retryAfterMs, reason });
      this.log(`schema: ${reason}`);
      throw new SchemaUnavailable(reason);
    }
  }

  /** Local files are re-read on every check so edits apply; unchanged text keeps its object. */
  private async readLocal(url: string): Promise<object> {
    const path = fileURLToPath(url);
    let text: string;
    try {
      text = await this.fs.readFile(path, 'utf8');
    } catch (e) {
      throw new SchemaUnavailable(`cannot read ${path}: ${message(e)}`);
    }
    const memo = this.memory.get(url);
    if (memo?.text === text) return memo.schema;
    const schema = parseSchema(text, path);
    this.memory.set(url, { schema, text });
    return schema;
  }

  private async readCache(url: string): Promise<MemoryEntry | undefined> {
    let text: string;
    try {
      text = await this.fs.readFile(this.cachePath(url), 'utf8');
    } catch {
      return undefined; // not cached yet
    }
    try {
      const schema = parseSchema(text, url);
      const precompiled = await this.readPrecompiled(url, text);
      const entry: MemoryEntry = precompiled ? { schema, text, precompiled } : { schema, text };
      this.memory.set(url, entry);
      return entry;
    } catch (e) {
      // A damaged cache file is dropped and downloaded again.
      this.log(`schema: discarding the cached copy of ${url}: ${message(e)}`);
      await this.fs.rm(this.cachePath(url), { force: true }).catch(() => undefined);
      return undefined;
    }
  }

  /** The validator kept next to a cached schema, when there is one made from this very text. */
  private async readPrecompiled(url: string, schemaText: string): Promise<AjvValidate | undefined> {
    const path = this.precompiledPath(url);
    let fileText: string;
    try {
      fileText = await this.fs.readFile(path, 'utf8');
    } catch {
      return undefined; // not kept yet: compiled on this use, and kept for the next
    }
    const { validate, reason } = loadPrecompiled(path, fileText, schemaText);
    if (!validate) this.log(`schema: not using ${path}: ${reason ?? 'unknown reason'}; compiling ${url}`);
    return validate;
  }

  private async download(url: string, policy: SchemaPolicy): Promise<object> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
    let text: string;
    try {
      const res = await this.fetch(url, { signal: controller.signal, redirect: 'follow', headers: { accept: 'application/schema+json, application/json' } });
      if (res.url) {
        const final = new URL(res.url);
        if (!hostAllowed(final, policy.allowedHosts)) throw new Error(`redirected to ${final.host}, which is not allowed`);
      }
      if (res.status !== 200) throw new Error(`${url} returned status code ${res.status}`);
      text = await readCapped(res, this.maxBytes, controller.signal);
    } catch (e) {
      throw controller.signal.aborted && controller.signal.reason instanceof Error ? controller.signal.reason : e;
    } finally {
      clearTimeout(timer);
    }
    const schema = parseSchema(text, url);
    await this.writeCache(url, text);
    // A validator kept for an earlier copy of this URL is used again only if it was made from
    // this very text (its header says which), so nothing needs removing here.
    this.memory.set(url, { schema, text });
    return schema;
  }

  /** Write to a temporary file, then rename: a reader never sees half a schema. */
  private async writeCache(url: string, text: string): Promise<void> {
    const final = this.cachePath(url);
    const tmp = temporaryName(final);
    try {
      await this.fs.mkdir(this.options.storageDir, { recursive: true });
      await this.fs.writeFile(tmp, text, 'utf8');
      await this.fs.rename(tmp, final);
    } catch (e) {
      // Not fatal: the schema is in memory; the next session downloads it again.
      this.log(`schema: cannot cache ${url}: ${message(e)}`);
      await this.fs.rm(tmp, { force: true }).catch(() => undefined);
    }
  }
}

let temporaries = 0;

/** A name next to `final` no other writer uses: this process's id and a counter. */
function temporaryName(final: string): string {
  return `${final}.${process.pid}.${Date.now().toString(36)}.${(temporaries++).toString(36)}.tmp`;
}

function hostAllowed(url: URL, allowed: readonly string[]): boolean {
  const host = url.host.toLowerCase();
  const name = url.hostname.toLowerCase();
  return allowed.some((a) => {
    const h = a.trim().toLowerCase();
    return h === host || h === name;
  });
}

function parseSchema(text: string, where: string): object {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new Error(`${where} is not JSON: ${message(e)}`);
  }
  if (!isObject(value)) throw new Error(`${where} is not a JSON schema (not an object)`);
  return value;
}

async function readCapped(res: Response, maxBytes: number, signal: AbortSignal): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw new Error(`the schema is ${declared} bytes, more than the ${maxBytes}-byte limit`);
  if (!res.body) return '';
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const onAbort = (): void => {
    reader.cancel().catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
      if (chunk.done || !chunk.value) break;
      const value = chunk.value;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new Error(`the schema is larger than the ${maxBytes}-byte limit`);
      }
      chunks.push(value);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * The schema side of a check, ready for the checker: a store over `storageDir` plus the
 * compile cache. Its `prepare(root, settings)` never rejects.
 */
export function createSchemaLinting(options: SchemaStoreOptions): SchemaLinting {
  return new SchemaLinting(new SchemaStore(options), options.log);
}

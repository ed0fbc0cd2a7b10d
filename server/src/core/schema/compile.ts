/**
 * Compiling JSON schemas with Ajv, once per schema. The official v2.13 schema is 589 KB and
 * takes about 0.4 s to compile, while validating a large config takes milliseconds, so every
 * compiled validator is cached and reused for every check, and a validator that was compiled
 * before (standalone code: the bundled schema's from the build, a cached schema's from its
 * first use) is used as it is, without loading Ajv at all.
 *
 * Pure: schemas referenced by `$ref` (the modular pre-2.7 schemas) come through an injected
 * async loader; nothing here reads files or the network.
 */
import type { ErrorObject } from 'ajv';
import type * as AjvCompile from './ajvCompile';
import { dialectOf } from './dialect';
import type { AjvValidate, Dialect, SchemaLoader } from './dialect';

export interface ValidationOutcome {
  readonly valid: boolean;
  readonly errors: readonly ErrorObject[];
  /** Instance paths (JSON pointers) of values whose schema says `deprecated: true`. */
  readonly deprecated: readonly string[];
}

/** A compiled schema, ready to validate plain JSON values (see ast.ts toValue). */
export interface CompiledSchema {
  readonly url: string;
  readonly dialect: Dialect;
  /** How long compiling took, in milliseconds (for logs and the benchmark); 0 when precompiled. */
  readonly compileMs: number;
  /** Whether the validator came precompiled (standalone code) rather than from Ajv in this process. */
  readonly precompiled: boolean;
  /** The validator as standalone code, when it was asked for (to keep it next to a cached schema). */
  readonly standalone?: string;
  validate(value: unknown): ValidationOutcome;
}

let ajvModule: typeof AjvCompile | undefined;

/**
 * Ajv is loaded the first time a schema has to be compiled: with a precompiled validator (the
 * bundled schema, a cached one) a check never loads it. In the bundles it is a file of its own,
 * dist/ajvCompile.js (esbuild.mjs).
 */
function ajvCompile(): typeof AjvCompile {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (ajvModule ??= require('./ajvCompile') as typeof AjvCompile);
}

/** Wraps a validate function, compiled or precompiled, as a CompiledSchema. */
export function compiledFrom(url: string, dialect: Dialect, fn: AjvValidate, compileMs: number, precompiled: boolean, standalone?: string): CompiledSchema {
  return {
    url,
    dialect,
    compileMs,
    precompiled,
    ...(standalone !== undefined ? { standalone } : {}),
    validate(value: unknown): ValidationOutcome {
      const sink = { deprecated: [] as string[] };
      const valid = fn.call(sink, value);
      return { valid, errors: fn.errors ?? [], deprecated: [...new Set(sink.deprecated)] };
    },
  };
}

/**
 * Compiles one schema. `url` is where it came from: relative `$ref`s resolve against it (or
 * against its own `$id`) and are fetched through `loadRef`. With `standalone`, the result also
 * carries the validator as standalone code (when the schema loaded no other schema).
 */
export async function compileSchema(
  url: string,
  schema: object,
  loadRef?: SchemaLoader,
  now: () => number = () => performance.now(),
  options: { readonly standalone?: boolean } = {},
): Promise<CompiledSchema> {
  const started = now();
  const dialect = dialectOf(schema);
  const { validate, code } = await ajvCompile().compileWithAjv(url, schema, dialect, loadRef, options.standalone === true);
  return compiledFrom(url, dialect, validate, now() - started, false, code);
}

/**
 * A cache of compiled schemas keyed by URL. A second request for the same URL and the same
 * schema object reuses the compiled one (concurrent requests share one compilation); a
 * different object under the same URL (a schema file that changed) is compiled afresh.
 */
export class SchemaCompiler {
  private readonly cache = new Map<string, { schema: object; compiled: Promise<CompiledSchema> }>();

  constructor(
    private readonly defaultLoader?: SchemaLoader,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * The compiled schema. `loadRef` serves this compilation's `$ref`s (so each caller applies
   * its own download policy); a cached result is returned whatever loader is passed.
   * `precompiled` is the schema's validator from standalone code, used instead of compiling;
   * `standalone` asks for the standalone code of a schema that has to be compiled.
   */
  compile(
    url: string,
    schema: object,
    loadRef: SchemaLoader | undefined = this.defaultLoader,
    options: { readonly precompiled?: AjvValidate; readonly standalone?: boolean } = {},
  ): Promise<CompiledSchema> {
    const hit = this.cache.get(url);
    if (hit?.schema === schema) return hit.compiled;
    if (options.precompiled) {
      const ready = Promise.resolve(compiledFrom(url, dialectOf(schema), options.precompiled, 0, true));
      this.cache.set(url, { schema, compiled: ready });
      return ready;
    }
    let loadFailed = false;
    const loader = loadRef
      ? async (ref: string): Promise<object> => {
          try {
            return await loadRef(ref);
          } catch (e) {
            loadFailed = true;
            throw e;
          }
        }
      : undefined;
    const compiled = compileSchema(url, schema, loader, this.now, { standalone: options.standalone === true });
    this.cache.set(url, { schema, compiled });
    // A broken schema stays cached as broken: recompiling 600 KB on every save would cost
    // 0.4 s each time. A failure to load a `$ref` may be transient (offline, downloads off),
    // so that one is forgotten and the next call tries again.
    compiled.catch(() => {
      if (loadFailed && this.cache.get(url)?.compiled === compiled) this.cache.delete(url);
    });
    return compiled;
  }

  /** Whether a compiled (or compiling) schema for this URL and object is cached. */
  has(url: string, schema: object): boolean {
    return this.cache.get(url)?.schema === schema;
  }
}

/**
 * Compiling JSON schemas with Ajv, once per schema. The official v2.13 schema is 589 KB and
 * takes about 0.4 s to compile, while validating a large config takes milliseconds, so every
 * compiled validator is cached and reused for every check.
 *
 * Pure: schemas referenced by `$ref` (the modular pre-2.7 schemas) come through an injected
 * async loader; nothing here reads files or the network.
 */
import { Ajv } from 'ajv';
import type { AnySchemaObject, ErrorObject, Options } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019';
import { Ajv2020 } from 'ajv/dist/2020';

export type Dialect = 'draft-07' | '2019-09' | '2020-12';

/** Loads the schema a `$ref` points at (an absolute URL). May reject; compilation then fails. */
export type SchemaLoader = (url: string) => Promise<object>;

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
  /** How long compiling took, in milliseconds (for logs and the benchmark). */
  readonly compileMs: number;
  validate(value: unknown): ValidationOutcome;
}

/** The dialect a schema declares with `$schema`; draft-07 when it declares none (KrakenD ≤ 2.12). */
export function dialectOf(schema: object): Dialect {
  const declared = (schema as { $schema?: unknown }).$schema;
  if (typeof declared === 'string') {
    if (declared.includes('2019-09')) return '2019-09';
    if (declared.includes('2020-12')) return '2020-12';
  }
  return 'draft-07';
}

function ajvFor(dialect: Dialect, options: Options): Ajv {
  switch (dialect) {
    case '2019-09':
      return new Ajv2019(options);
    case '2020-12':
      return new Ajv2020(options);
    default:
      return new Ajv(options);
  }
}

/**
 * Some published schemas carry an `$id` that differs from the URL they are served at (v2.0's
 * `backend/pubsub/publisher.json` says it is `subscriber.json`, `security/bot-detector.json`
 * has a fragment-only id). Ajv would then register one schema twice and refuse to compile, so
 * every schema is registered under the URL it was loaded from (a shallow copy; the caller's
 * object is never changed).
 */
function pinId(loaded: object, url: string): AnySchemaObject {
  const schema = loaded as AnySchemaObject;
  const id: unknown = schema.$id;
  let resolved: string | undefined;
  if (typeof id === 'string') {
    try {
      resolved = new URL(id, url).href.replace(/#.*$/, '');
    } catch {
      resolved = undefined;
    }
  }
  return resolved === url.replace(/#.*$/, '') ? schema : { ...schema, $id: url };
}

/**
 * Compiles one schema. `url` is where it came from: relative `$ref`s resolve against it (or
 * against its own `$id`) and are fetched through `loadRef`.
 */
export async function compileSchema(url: string, schema: object, loadRef?: SchemaLoader, now: () => number = () => performance.now()): Promise<CompiledSchema> {
  const started = now();
  const dialect = dialectOf(schema);
  // Written into by the `deprecated` keyword during one synchronous validate call.
  let sink: string[] = [];
  const ajv = ajvFor(dialect, {
    strict: false,
    allErrors: true,
    // Parent schemas let the lint list the allowed property names for suggestions.
    verbose: true,
    // KrakenD's patterns are Go RE2 (`\&`, `\%`), invalid escapes in a `u`-mode RegExp.
    unicodeRegExp: false,
    // santhosh-tekuri/jsonschema, which `krakend check` uses, treats `format` as an annotation.
    validateFormats: false,
    logger: false,
    loadSchema: loadRef ? async (ref: string) => pinId(await loadRef(ref), ref) : undefined,
  });
  // `deprecated` is an annotation to Ajv; we turn it into a warning by recording where it applied.
  ajv.removeKeyword('deprecated');
  ajv.addKeyword({
    keyword: 'deprecated',
    schemaType: 'boolean',
    errors: false,
    validate: (flag: boolean, _data: unknown, _parent?: AnySchemaObject, cxt?: { instancePath: string }) => {
      if (flag && cxt) sink.push(cxt.instancePath);
      return true;
    },
  });
  // Pinned like the referenced ones, so a local copy of a modular schema resolves its relative
  // `$ref`s next to the file rather than on krakend.io.
  const root = pinId(schema, url);
  const validateFn = loadRef ? await ajv.compileAsync(root) : ajv.compile(root);
  const compileMs = now() - started;
  return {
    url,
    dialect,
    compileMs,
    validate(value: unknown): ValidationOutcome {
      sink = [];
      const valid = validateFn(value) as boolean;
      const deprecated = [...new Set(sink)];
      sink = [];
      return { valid, errors: validateFn.errors ?? [], deprecated };
    },
  };
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
   */
  compile(url: string, schema: object, loadRef: SchemaLoader | undefined = this.defaultLoader): Promise<CompiledSchema> {
    const hit = this.cache.get(url);
    if (hit?.schema === schema) return hit.compiled;
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
    const compiled = compileSchema(url, schema, loader, this.now);
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

/**
 * The only module that loads Ajv. It is loaded on first use (see compile.ts) and bundled into
 * a file of its own (dist/ajvCompile.js), because a check with a precompiled validator, the
 * CLI's usual case, never needs Ajv, and loading it is a large part of a cold start.
 *
 * It also writes standalone code: the validator as a JavaScript module that runs without Ajv.
 * esbuild.mjs makes one for the bundled schema at build time; the schema store keeps one next
 * to every downloaded schema it caches.
 */
import { Ajv } from 'ajv';
import type { AnySchemaObject, KeywordCxt, Options } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019';
import { Ajv2020 } from 'ajv/dist/2020';
import { _, strConcat } from 'ajv/dist/compile/codegen';
import names from 'ajv/dist/compile/names';
import standaloneCode from 'ajv/dist/standalone';
import type { AjvValidate, Dialect, SchemaLoader } from './dialect';

/** For esbuild.mjs, which makes the bundled schema's validator with this module. */
export { PRECOMPILED_FORMAT } from './standalone';
export { hashText } from '../hash';

const OPTIONS: Options = {
  strict: false,
  allErrors: true,
  // Parent schemas let the lint list the allowed property names for suggestions.
  verbose: true,
  // KrakenD's patterns are Go RE2 (`\&`, `\%`), invalid escapes in a `u`-mode RegExp.
  unicodeRegExp: false,
  // santhosh-tekuri/jsonschema, which `krakend check` uses, treats `format` as an annotation.
  validateFormats: false,
  logger: false,
  // `this` carries the sink the `deprecated` keyword writes to (see below) through every call.
  passContext: true,
};

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
 * `deprecated` is an annotation to Ajv; we turn it into a warning by recording where it
 * applied. Generated code rather than a callback, so standalone code carries it too: it pushes
 * the value's instance path onto `this.deprecated` of the validate call.
 */
function deprecatedKeyword(cxt: KeywordCxt): void {
  if (cxt.schema !== true) return;
  const path = strConcat(names.instancePath, cxt.it.errorPath);
  cxt.gen.if(_`${names.this} && ${names.this}.deprecated`, () => cxt.gen.code(_`${names.this}.deprecated.push(${path})`));
}

export interface AjvCompiled {
  readonly validate: AjvValidate;
  /** The standalone module (CommonJS), when asked for and the schema loaded no other schema. */
  readonly code?: string;
}

/**
 * Compiles one schema. `url` is where it came from: relative `$ref`s resolve against it (or
 * against its own `$id`) and are fetched through `loadRef`. With `standalone`, also returns the
 * validator as standalone code, unless compiling loaded other schemas through `$ref` (those are
 * cached on their own, and a precompiled file could not tell when one of them changed).
 */
export async function compileWithAjv(url: string, schema: object, dialect: Dialect, loadRef: SchemaLoader | undefined, standalone: boolean): Promise<AjvCompiled> {
  let loadedRefs = 0;
  const ajv = ajvFor(dialect, {
    ...OPTIONS,
    code: { source: standalone },
    loadSchema: loadRef
      ? async (ref: string) => {
          loadedRefs++;
          return pinId(await loadRef(ref), ref);
        }
      : undefined,
  });
  ajv.removeKeyword('deprecated');
  ajv.addKeyword({ keyword: 'deprecated', schemaType: 'boolean', code: deprecatedKeyword });
  // Pinned like the referenced ones, so a local copy of a modular schema resolves its relative
  // `$ref`s next to the file rather than on krakend.io.
  const root = pinId(schema, url);
  const validate = (loadRef ? await ajv.compileAsync(root) : ajv.compile(root)) as unknown as AjvValidate;
  const code = standalone && loadedRefs === 0 ? standaloneCode(ajv, validate as never) : undefined;
  return code === undefined ? { validate } : { validate, code };
}

/**
 * What both schema compilers share: the JSON-schema dialects, the `$ref` loader and the shape of
 * an Ajv validate function. A file of its own so that compile.ts (which loads Ajv lazily) and
 * ajvCompile.ts (which is Ajv) import it, and not each other both ways.
 */
import type { ErrorObject } from 'ajv';

export type Dialect = 'draft-07' | '2019-09' | '2020-12';

/** Loads the schema a `$ref` points at (an absolute URL). May reject; compilation then fails. */
export type SchemaLoader = (url: string) => Promise<object>;

/**
 * A validate function as Ajv generates it, compiled in this process or loaded from standalone
 * code. `this` must carry the array the `deprecated` keyword writes to (see ajvCompile.ts).
 */
export interface AjvValidate {
  (this: { deprecated: string[] }, data: unknown): boolean;
  errors?: ErrorObject[] | null;
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

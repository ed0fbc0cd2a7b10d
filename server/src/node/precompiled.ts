/**
 * Validators compiled before this process started, as standalone code (see
 * core/schema/ajvCompile.ts): the bundled schema's, made at build time (esbuild.mjs →
 * dist/bundledValidator.js), and each cached official schema's, written next to the cached
 * schema the first time it is compiled. Loading one costs a few milliseconds where compiling
 * the schema with Ajv costs tens (the bundled schema) to hundreds (v2.13) and loading Ajv itself
 * tens more, which is most of the CLI's cold start.
 *
 * Every precompiled file says which schema it was made from (its text's length and hash) and
 * with which Ajv; one that does not match is ignored and the schema compiled as before.
 */
import { compileFunction } from 'node:vm';
import { version as ajvVersion } from 'ajv/package.json';
import { hashText } from '../core/hash';
import type { AjvValidate } from '../core/schema/dialect';
import { PRECOMPILED_FORMAT } from '../core/schema/standalone';

/** The first line of a precompiled file: what it was made from. */
export function precompiledHeader(schemaText: string): string {
  return `// krakend-live precompiled validator: format ${PRECOMPILED_FORMAT}, ajv ${ajvVersion}, schema ${schemaText.length} ${hashText(schemaText)}\n`;
}

/**
 * Ajv's runtime helpers that standalone code requires by name. Only these are provided: the
 * code is evaluated here, not loaded by Node, and the bundles carry no node_modules.
 */
const RUNTIME: Readonly<Record<string, () => unknown>> = {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when generated code asks */
  'ajv/dist/runtime/equal': () => require('ajv/dist/runtime/equal') as unknown,
  'ajv/dist/runtime/ucs2length': () => require('ajv/dist/runtime/ucs2length') as unknown,
  'ajv/dist/runtime/validation_error': () => require('ajv/dist/runtime/validation_error') as unknown,
  /* eslint-enable @typescript-eslint/no-require-imports */
};

/** Whether standalone code requires only what RUNTIME provides, so it is worth keeping. */
export function standaloneLoadable(code: string): boolean {
  for (const m of code.matchAll(/\brequire\("([^"]+)"\)/g)) if (!(m[1]! in RUNTIME)) return false;
  return true;
}

function runtimeRequire(name: string): unknown {
  const load = RUNTIME[name];
  if (!load) throw new Error(`precompiled validator needs ${name}, which KrakenD Live does not provide`);
  return load();
}

/**
 * Evaluates standalone validator code (a CommonJS module exporting the validate function).
 * Throws when the code does not evaluate to a function.
 */
export function evaluateStandalone(code: string, filename: string): AjvValidate {
  const module = { exports: {} as unknown };
  const fn = compileFunction(code, ['require', 'module', 'exports'], { filename }) as (r: typeof runtimeRequire, m: typeof module, e: unknown) => void;
  fn(runtimeRequire, module, module.exports);
  if (typeof module.exports !== 'function') throw new Error(`${filename} does not export a validate function`);
  return module.exports as AjvValidate;
}

/**
 * A precompiled file's validator when its header matches `schemaText` and this build (format
 * and Ajv version); otherwise undefined with the reason.
 */
export function loadPrecompiled(file: string, fileText: string, schemaText: string): { validate?: AjvValidate; reason?: string } {
  const newline = fileText.indexOf('\n');
  const header = newline < 0 ? fileText : fileText.slice(0, newline + 1);
  if (header !== precompiledHeader(schemaText)) return { reason: 'it was made from another schema text, format or Ajv version' };
  try {
    return { validate: evaluateStandalone(fileText.slice(header.length), file) };
  } catch (e) {
    return { reason: e instanceof Error ? e.message : String(e) };
  }
}

/** What esbuild.mjs writes as dist/bundledValidator.js. */
export interface BundledValidatorModule {
  /** hashText(JSON.stringify(schema)) of the schema it was made from. */
  readonly schemaHash: string;
  readonly format: number;
  readonly validate: AjvValidate;
}

/**
 * The build's precompiled validator for `schema` (our bundled one), when it was made from that
 * same schema. Under tsx (tests, benchmarks) there is no such file and the schema is compiled.
 */
export function loadBundledValidator(schema: object, log: (message: string) => void = () => undefined): AjvValidate | undefined {
  let mod: BundledValidatorModule;
  try {
    // Next to dist/cli.js and dist/server.js; esbuild leaves this require alone (esbuild.mjs).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file of the build, not a module
    mod = require('./bundledValidator.js') as BundledValidatorModule;
  } catch {
    return undefined;
  }
  if (mod.format !== PRECOMPILED_FORMAT || mod.schemaHash !== hashText(JSON.stringify(schema))) {
    log('schema: dist/bundledValidator.js was made from another bundled schema; compiling it instead (rebuild with npm run build)');
    return undefined;
  }
  return mod.validate;
}

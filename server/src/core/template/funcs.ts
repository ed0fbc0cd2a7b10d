/**
 * How template functions are declared: a Go signature (text/template checks argument counts
 * and types against it, with Go's messages) plus the implementation.
 */
import type { Node } from './nodes';
import type { GoType } from './value';
import { BYTES, MAP_STRING_IFACE, MAP_STRING_STRING, SLICE_IFACE, SLICE_INT, SLICE_STRING, T } from './value';

/** Where a value came from: a key of a data container, or a partial read by `include`. */
export type ValueOrigin =
  | { readonly kind: 'data'; readonly container: object; readonly key: string | number; readonly isKey?: boolean }
  /** A partial's text; `map` when it went through functions (trim, indent…), else the text as read. */
  | { readonly kind: 'partial'; readonly path: string; readonly map?: TextMap };

/** A stretch of a string value copied from the partial at `src` (offsets UTF-16, end exclusive). */
export interface TextPiece {
  readonly start: number;
  readonly end: number;
  readonly src: number;
}

/**
 * Where a string value's characters are in the partial it was made from: the copied pieces, and
 * the span of the partial that the whole value stands for (offsets in no piece fall back to it).
 */
export interface TextMap {
  readonly pieces: readonly TextPiece[];
  readonly span: { readonly offset: number; readonly length: number };
}

/**
 * A value during evaluation (Go's reflect.Value): the value, whether Go holds it in an
 * `interface{}` (it came out of a `map[string]interface{}` or `[]interface{}`, which only shows
 * in error texts), and where it came from.
 */
export interface RV {
  readonly v: unknown;
  readonly boxed: boolean;
  readonly origin?: ValueOrigin;
  /** For a string made from data (marshal, toJson): which stretches came from which data value. */
  readonly parts?: readonly ValuePart[];
}

/** A stretch of a string value that came from one data value. */
export interface ValuePart {
  readonly start: number;
  readonly end: number;
  readonly origin: ValueOrigin;
}

export const INVALID: RV = { v: undefined, boxed: false };

export function rv(v: unknown, origin?: ValueOrigin): RV {
  return origin ? { v, boxed: false, origin } : { v, boxed: false };
}

/** A note the renderer passes to the caller (missing partials, `<no value>`). */
export interface CallNote {
  readonly kind: 'missing-partial';
  readonly path: string;
  readonly node: Node;
}

/** What a function may use besides its arguments; injected, so the engine stays pure. */
export interface CallContext {
  /** The command or identifier node being called, for notes. */
  readonly node: Node;
  env(name: string): string | undefined;
  now(): Date;
  readPartial(path: string): string | undefined;
  note(n: CallNote): void;
}

export interface FuncDef {
  /** Parameter types; when variadic, the last one is the element type of the `...` parameter. */
  readonly params: readonly GoType[];
  readonly variadic: boolean;
  /** The first result's type (a second result, when present, is `error`). */
  readonly result: GoType;
  /** Plain implementation: concrete argument values in, a value out; throws GoPanic/GoError. */
  readonly impl?: (args: unknown[], ctx: CallContext) => unknown;
  /** reflect.Value-level implementation (Go's builtins): sees boxing and origins. */
  readonly rvImpl?: (args: RV[], ctx: CallContext) => RV;
  /** A function KrakenD Live cannot reproduce without I/O or heavy crypto: calling it is an error. */
  readonly unsupported?: boolean;
}

const TYPES: Record<string, GoType> = {
  'interface {}': T.iface,
  any: T.iface,
  string: T.string,
  int: T.int,
  int64: T.int64,
  uint8: T.uint8,
  uint32: T.uint32,
  float64: T.float64,
  bool: T.bool,
  'reflect.Value': T.reflectValue,
  'map[string]interface {}': MAP_STRING_IFACE,
  'map[string]string': MAP_STRING_STRING,
  '[]interface {}': SLICE_IFACE,
  '[]string': SLICE_STRING,
  '[]int': SLICE_INT,
  '[]byte': BYTES,
};

/** Registers extra named types (time.Time, *semver.Version) for signatures. */
export function registerType(t: GoType): void {
  TYPES[t.name] = t;
}

function typeNamed(name: string): GoType {
  const t = TYPES[name.trim()];
  if (!t) throw new Error(`unknown Go type in signature: ${name}`);
  return t;
}

function splitParams(params: string): string[] {
  return params.trim() === '' ? [] : params.split(',').map((p) => p.trim());
}

/**
 * A function from a Go-like signature: `fn('int, string', 'string', impl)`;
 * `...T` as the last parameter makes it variadic.
 */
export function fn(params: string, result: string, impl: (args: unknown[], ctx: CallContext) => unknown): FuncDef {
  const ps = splitParams(params);
  const variadic = ps.length > 0 && ps[ps.length - 1]!.startsWith('...');
  const types = ps.map((p) => typeNamed(p.replace(/^\.\.\./, '')));
  return { params: types, variadic, result: typeNamed(result), impl };
}

/** A builtin working on reflect.Values. */
export function rvFn(params: string, result: string, rvImpl: (args: RV[], ctx: CallContext) => RV): FuncDef {
  const ps = splitParams(params);
  const variadic = ps.length > 0 && ps[ps.length - 1]!.startsWith('...');
  const types = ps.map((p) => typeNamed(p.replace(/^\.\.\./, '')));
  return { params: types, variadic, result: typeNamed(result), rvImpl };
}

/** A function whose signature is Go's but which the renderer refuses to run. */
export function unsupported(params: string, result: string): FuncDef {
  return { ...fn(params, result, () => undefined), unsupported: true };
}

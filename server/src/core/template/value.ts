/**
 * Go values as the template engine sees them, in JavaScript.
 *
 * Go's text/template works on `reflect.Value`s and its output depends on Go's static types:
 * `printf "%d"` of a float64 prints `%!d(float64=3)`, `repeat .n "x"` fails when `.n` is a
 * float64 rather than an int, `div 7 2` is an int64 `3`, and a JSON number read from a settings
 * file is always a float64, so `1000000` prints as `1e+06`. The model keeps exactly the
 * distinctions that change output or errors:
 *
 * | Go                                   | JavaScript                                        |
 * | ------------------------------------ | ------------------------------------------------- |
 * | invalid `reflect.Value` (missing key) | `undefined`                                      |
 * | nil `interface{}`                    | `null`                                            |
 * | `string`                             | `string` (Go counts bytes; see go/utf8.ts)        |
 * | `bool`                               | `boolean`                                         |
 * | `float64`                            | `number` (every JSON number, every float literal) |
 * | `int`, `int64`, `uint8`, …           | {@link GoInt} (a bigint and its Go type)          |
 * | `complex128`                         | {@link GoComplex}                                 |
 * | `map[string]interface{}`             | a plain object (own enumerable keys)              |
 * | `map[string]string`, …               | a plain object tagged with {@link withType}       |
 * | `[]interface{}`                      | an array                                          |
 * | `[]string`, `[]int`, …               | an array tagged with {@link withType}             |
 * | `time.Time`, `*semver.Version`       | a {@link GoObject} with Go methods                |
 *
 * A value read out of a `map[string]interface{}` or `[]interface{}` is, in Go, an interface
 * value wrapping the concrete one; only error texts show the difference (`can't evaluate field x
 * in type interface {}`), so the evaluator tracks that "boxed" flag beside the value rather than
 * in it.
 */
import { isAscii, utf8Decode, utf8Encode, utf8Length } from '../go/utf8';

export type Kind =
  | 'bool'
  | 'int'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'uintptr'
  | 'float32'
  | 'float64'
  | 'complex128'
  | 'string'
  | 'map'
  | 'slice'
  | 'interface'
  | 'struct'
  | 'ptr'
  | 'func';

/** A Go type: its `reflect.Type.String()` and its kind, plus element and key types for containers. */
export interface GoType {
  readonly name: string;
  readonly kind: Kind;
  readonly elem?: GoType;
  readonly key?: GoType;
}

function basic(name: Kind): GoType {
  return { name, kind: name };
}

export const T = {
  bool: basic('bool'),
  int: basic('int'),
  int8: basic('int8'),
  int16: basic('int16'),
  int32: basic('int32'),
  int64: basic('int64'),
  uint: basic('uint'),
  uint8: basic('uint8'),
  uint16: basic('uint16'),
  uint32: basic('uint32'),
  uint64: basic('uint64'),
  float64: basic('float64'),
  complex128: basic('complex128'),
  string: basic('string'),
  iface: { name: 'interface {}', kind: 'interface' } as GoType,
  /** The `reflect.Value` parameter type of Go's builtins: takes any value, even an invalid one. */
  reflectValue: { name: 'reflect.Value', kind: 'struct' } as GoType,
  error: { name: 'error', kind: 'interface' } as GoType,
} as const;

export function sliceOf(elem: GoType): GoType {
  return { name: `[]${elem.name}`, kind: 'slice', elem };
}

export function mapOf(key: GoType, elem: GoType): GoType {
  return { name: `map[${key.name}]${elem.name}`, kind: 'map', key, elem };
}

export const SLICE_IFACE = sliceOf(T.iface);
export const SLICE_STRING = sliceOf(T.string);
export const SLICE_INT = sliceOf(T.int);
export const SLICE_SLICE_IFACE = sliceOf(SLICE_IFACE);
export const BYTES = sliceOf(T.uint8);
export const MAP_STRING_IFACE = mapOf(T.string, T.iface);
export const MAP_STRING_STRING = mapOf(T.string, T.string);

/** A Go integer of any size; `v` is always within the type's range (wrapped like Go does). */
export class GoInt {
  constructor(
    readonly type: GoType,
    readonly v: bigint,
  ) {}
}

/** A Go complex128 (only reachable through literals such as `1i`). */
export class GoComplex {
  constructor(
    readonly re: number,
    readonly im: number,
  ) {}
}

/** A Go method: parameters as Go types, and the implementation (receiver bound). */
export interface GoMethod {
  readonly params: readonly GoType[];
  readonly variadic?: boolean;
  readonly results: readonly GoType[];
  readonly call: (args: unknown[]) => unknown;
}

/** A value with methods, such as `time.Time` or `*semver.Version`. */
export abstract class GoObject {
  abstract readonly goType: GoType;
  /** The method set, looked up by name as text/template does before map keys. */
  abstract method(name: string): GoMethod | undefined;
  /** `String()` for fmt's Stringer rule; undefined when the type has none. */
  goString(): string | undefined {
    return undefined;
  }
  /** How fmt prints it without a String method (`%v` of a struct). */
  abstract formatPlain(): string;
  /**
   * The struct's fields, for the verbs that skip String() (`%d`, `%t` …): fmt prints each one
   * with the verb, as `{a b c}`. Undefined: print {@link formatPlain} instead.
   */
  structFields(): readonly unknown[] | undefined {
    return undefined;
  }
  /** encoding/json's view of the value (time.Time marshals as an RFC 3339 string). */
  abstract toJson(): unknown;
}

/**
 * A pointer field of a struct (`*time.Location`): nil, or a pointer whose target fmt can show
 * (`&{…}`, the text after the &) though never its address.
 */
export class GoPointer extends GoObject {
  constructor(
    readonly goType: GoType,
    /** null: a nil pointer; a string: how %v shows the target; undefined: we do not know it. */
    readonly target: string | null | undefined,
  ) {
    super();
  }
  method(): undefined {
    return undefined;
  }
  formatPlain(): string {
    return this.target === null ? '<nil>' : `&${this.target ?? '?'}`;
  }
  toJson(): unknown {
    return null;
  }
}

const TYPE_TAG = Symbol('goType');

type Tagged = { [TYPE_TAG]?: GoType };

/** Tags an array or object with its Go type (`[]string`, `map[string]string` …). */
export function withType<V extends object>(value: V, type: GoType): V {
  Object.defineProperty(value, TYPE_TAG, { value: type, enumerable: false });
  return value;
}

const NIL_TAG = Symbol('nilSlice');

/**
 * A nil slice (`var l []interface{}`; `rest` of an empty list): empty like `[]`, printed as `[]`,
 * but encoding/json writes `null` and reflect.DeepEqual tells it from an empty one.
 */
export function nilSlice<V extends unknown[]>(value: V): V {
  Object.defineProperty(value, NIL_TAG, { value: true, enumerable: false });
  return value;
}

export function isNilSlice(v: unknown): boolean {
  return Array.isArray(v) && (v as { [NIL_TAG]?: boolean })[NIL_TAG] === true;
}

export function int(n: number | bigint): GoInt {
  return new GoInt(T.int, BigInt.asIntN(64, BigInt(n)));
}

export function int64(n: number | bigint): GoInt {
  return new GoInt(T.int64, BigInt.asIntN(64, BigInt(n)));
}

/** Go's `int64(f)` on amd64: truncation, and the "indefinite integer" for NaN and out-of-range values. */
export function floatToInt64(f: number): bigint {
  if (!Number.isFinite(f) || f >= 9223372036854775808 || f < -9223372036854775808) return -9223372036854775808n;
  return BigInt(Math.trunc(f));
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoInt) && !(v instanceof GoComplex) && !(v instanceof GoObject) && !(v instanceof Uint8Array);
}


/** A key lookup in a Go map: own keys only, so `constructor` is not a key of every map. */
export function mapGet(m: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(m, key) ? m[key] : undefined;
}

export function mapHas(m: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, key);
}

/** Defines a key without ever touching the prototype (`__proto__` stays a key). */
export function mapSet(m: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(m, key, { value, enumerable: true, writable: true, configurable: true });
  else m[key] = value;
}

/** A new empty `map[string]interface{}`. */
export function newMap(): Record<string, unknown> {
  return {};
}

/** Keys in Go's sorted order (fmt, range and encoding/json all sort string keys bytewise). */
export function sortedKeys(m: Record<string, unknown>): string[] {
  const keys = Object.keys(m);
  // Below U+D800, UTF-16 code-unit order (the default sort) is UTF-8 byte order.
  for (const k of keys) if (/[\ud800-\uffff]/.test(k)) return keys.sort(compareGoStrings);
  return keys.sort();
}

/** Go compares strings bytewise (UTF-8); for JS strings that is code point order. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (0xD800–0xDFFF) encode code points above 0xFFFF, which sort after 0xE000–0xFFFF in UTF-8.
      const sx = x >= 0xd800 && x <= 0xdfff;
      const sy = y >= 0xd800 && y <= 0xdfff;
      if (sx !== sy) return sx ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}

/** `reflect.TypeOf`: undefined for invalid values and nil interfaces. */
export function typeOf(v: unknown): GoType | undefined {
  switch (typeof v) {
    case 'string':
      return T.string;
    case 'boolean':
      return T.bool;
    case 'number':
      return T.float64;
    case 'undefined':
      return undefined;
    case 'object':
      if (v === null) return undefined;
      if (v instanceof GoInt) return v.type;
      if (v instanceof GoComplex) return T.complex128;
      if (v instanceof GoObject) return v.goType;
      if (v instanceof Uint8Array) return BYTES;
      if (Array.isArray(v)) return (v as Tagged)[TYPE_TAG] ?? SLICE_IFACE;
      return (v as Tagged)[TYPE_TAG] ?? MAP_STRING_IFACE;
    default:
      return undefined;
  }
}

/** `reflect.Kind` of a value, `invalid` for undefined and nil interfaces. */
export function kindOf(v: unknown): Kind | 'invalid' {
  return typeOf(v)?.kind ?? 'invalid';
}

export function isIntKind(k: Kind | 'invalid'): boolean {
  return k === 'int' || k === 'int8' || k === 'int16' || k === 'int32' || k === 'int64';
}

export function isUintKind(k: Kind | 'invalid'): boolean {
  return k === 'uint' || k === 'uint8' || k === 'uint16' || k === 'uint32' || k === 'uint64' || k === 'uintptr';
}

/** Wraps `n` into the range of an integer type, as Go's conversions do. */
export function wrapInt(type: GoType, n: bigint): GoInt {
  switch (type.kind) {
    case 'int8':
      return new GoInt(type, BigInt.asIntN(8, n));
    case 'int16':
      return new GoInt(type, BigInt.asIntN(16, n));
    case 'int32':
      return new GoInt(type, BigInt.asIntN(32, n));
    case 'uint8':
      return new GoInt(type, BigInt.asUintN(8, n));
    case 'uint16':
      return new GoInt(type, BigInt.asUintN(16, n));
    case 'uint32':
      return new GoInt(type, BigInt.asUintN(32, n));
    case 'uint':
    case 'uint64':
    case 'uintptr':
      return new GoInt(type, BigInt.asUintN(64, n));
    default:
      return new GoInt(type, BigInt.asIntN(64, n));
  }
}

/**
 * Go's notion of "empty" used by `if`, `with`, `and`, `or`, `not` (text/template isTrue) and
 * by sprig's `empty`/`default`: the zero value of the type, or length 0.
 * Returns undefined where Go has no truth value (never reached for our value set).
 */
export function isTrue(v: unknown): boolean {
  switch (typeof v) {
    case 'undefined':
      return false;
    case 'string':
      return v.length > 0;
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'object':
      if (v === null) return false;
      if (v instanceof GoInt) return v.v !== 0n;
      if (v instanceof GoComplex) return v.re !== 0 || v.im !== 0;
      if (v instanceof GoObject) return true;
      if (v instanceof Uint8Array) return v.length > 0;
      if (Array.isArray(v)) return v.length > 0;
      return Object.keys(v).length > 0;
    default:
      return true;
  }
}

/**
 * Go's `s[from:to]` on bytes, with Go's panic text when out of range. Bounds may be bigints (Go
 * ints from a template), so a panic names them exactly, 9223372036854775807 included.
 */
export function byteSlice(s: string, from: number | bigint, to: number | bigint): string {
  const len = isAscii(s) ? s.length : utf8Length(s);
  // Go names the length only when the bound is past it, not when it is negative.
  if (to < 0) throw new GoPanic(`runtime error: slice bounds out of range [:${to}]`);
  if (to > len) throw new GoPanic(`runtime error: slice bounds out of range [:${to}] with length ${len}`);
  if (from < 0 || from > to) throw new GoPanic(`runtime error: slice bounds out of range [${from}:${to}]`);
  // In range now, so both fit a number exactly.
  const [f, t] = [Number(from), Number(to)];
  if (isAscii(s)) return s.slice(f, t);
  return utf8Decode(utf8Encode(s).subarray(f, t));
}

/** A Go panic inside a function; text/template turns it into `error calling f: <text>`. */
export class GoPanic extends Error {}

/** A function's error return value; text/template reports `error calling f: <text>`. */
export class GoError extends Error {}

/**
 * Go recursing without end over a value that contains itself: printing it (fmt), merging it
 * (mergo). Go has no check there, so its goroutine stack grows to the 1 GB limit and KrakenD
 * dies with `fatal error: stack overflow`, which no recover catches. We stop at the first
 * repeat instead and report it where the template asked for it.
 */
export class GoStackOverflow extends Error {
  constructor(readonly doing: 'printing' | 'merging' | 'copying') {
    // copystructure's deep copy grows the stack slowly: KrakenD spins for many minutes first.
    const fate = doing === 'copying' ? 'KrakenD hangs here, until Go\'s "fatal error: stack overflow"' : 'KrakenD crashes here with Go\'s "fatal error: stack overflow"';
    super(`the value contains itself, so ${doing} it never ends: ${fate}`);
  }
}

const SPARE_TAG = Symbol('spare');

/**
 * A Go slice's elements past its length, up to its capacity: they stay in the backing array,
 * and `slice l 0 n` may reach them (reflect's Slice checks the capacity, not the length).
 * Nothing sprig does writes into a backing array in place, so a copy of them is exact.
 */
export function withSpare<V extends unknown[]>(value: V, spare: readonly unknown[]): V {
  if (spare.length > 0 && !Object.isFrozen(value)) Object.defineProperty(value, SPARE_TAG, { value: spare, enumerable: false, configurable: true });
  return value;
}

/** The elements between a slice's length and its capacity (none unless tagged). */
export function spareOf(v: readonly unknown[]): readonly unknown[] {
  return (v as { [SPARE_TAG]?: readonly unknown[] })[SPARE_TAG] ?? [];
}

/** Go's malloc size classes up to 32 KiB. */
const SIZE_CLASSES = [8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768];

/** runtime.roundupsize: the bytes malloc really gives; pointerful objects past 512 bytes carry an 8-byte header. */
function roundUpSize(size: number, pointers: boolean): number {
  if (size <= 32768 - 8) {
    const req = pointers && size > 512 ? size + 8 : size;
    return SIZE_CLASSES.find((c) => c >= req)! - (req - size);
  }
  return Math.ceil(size / 8192) * 8192;
}

/** The capacity append gives when a slice of capacity `oldCap` must hold `newLen` (runtime.growslice). */
export function grownCap(oldCap: number, newLen: number, elemSize: number, pointers: boolean): number {
  let newCap = oldCap;
  if (newLen > oldCap * 2) newCap = newLen;
  else if (oldCap < 256) newCap = oldCap * 2;
  else {
    while (newCap < newLen) newCap += (newCap + 3 * 256) >> 2;
  }
  return Math.floor(roundUpSize(newCap * elemSize, pointers) / elemSize);
}

/** The capacity of a slice built by appending `n` elements one by one to an empty one. */
export function appendedCap(n: number, elemSize: number, pointers: boolean): number {
  let cap = 0;
  for (let len = 1; len <= n; len++) if (len > cap) cap = grownCap(cap, len, elemSize, pointers);
  return cap;
}

/** `n` nils: the spare room of a fresh []interface{}. */
export function nils(n: number): null[] {
  return new Array<null>(Math.max(0, n)).fill(null);
}

/**
 * Gives every slice under `root` the capacity encoding/json leaves (it appends element by
 * element), for data decoded from JSON: settings files and fromJson.
 */
export function withDecodedCapacity(root: unknown): void {
  const stack: unknown[] = [root];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v) || !(Array.isArray(v) || isMap(v))) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      if (spareOf(v).length === 0) withSpare(v, nils(appendedCap(v.length, 16, true) - v.length));
      for (const x of v) stack.push(x);
    } else for (const k of Object.keys(v)) stack.push(v[k]);
  }
}

/**
 * Input that would make our renderer build more than it can hold (`until 9223372036854775807`).
 * Go would try, and KrakenD may run out of memory; we stop and say where, without a Go error.
 */
export class RenderLimit extends Error {}

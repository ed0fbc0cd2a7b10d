/**
 * Helpers sprig's functions share: spf13/cast conversions, sprig's strval/strslice, Go's
 * reflect.Kind names and reflect.DeepEqual, all over the template value model.
 */
import { formatValue, goTypeName } from '../fmt';
import { parseGoFloat, parseGoInt } from '../../go/strconv';
import { utf8Decode } from '../../go/utf8';
import type { Kind } from '../value';
import { GoComplex, GoInt, GoObject, GoPanic, SLICE_STRING, floatToInt64, isMap, kindOf, typeOf, withType } from '../value';

/** reflect.Kind.String() of a value (`invalid` for nil). */
export function kindName(v: unknown): string {
  const k: Kind | 'invalid' = kindOf(v);
  return k === 'ptr' ? 'ptr' : k;
}

/** The panic Go raises when sprig calls reflect.TypeOf(nil).Kind(). */
export function nilDereference(): GoPanic {
  return new GoPanic('runtime error: invalid memory address or nil pointer dereference');
}

/** Whether the value is a Go slice or array (what sprig's list functions accept). */
export function isList(v: unknown): v is unknown[] | Uint8Array {
  return Array.isArray(v) || v instanceof Uint8Array;
}

export function listItems(v: unknown[] | Uint8Array): unknown[] {
  return Array.isArray(v) ? v : [...v].map((b) => new GoInt({ name: 'uint8', kind: 'uint8' }, BigInt(b)));
}

/** sprig's strval: strings as is, Stringers through String(), everything else through %v. */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return utf8Decode(v);
  if (v instanceof GoObject) {
    const s = v.goString();
    if (s !== undefined) return s;
  }
  return formatValue(v === undefined ? null : v);
}

/** sprig's strslice: a list of strings from a list (nils dropped) or a single value. */
export function strslice(v: unknown): string[] {
  if (isList(v)) {
    const type = typeOf(v);
    if (type?.name === '[]string') return v as string[];
    return withType(
      listItems(v)
        .filter((x) => x !== null && x !== undefined)
        .map(strval),
      SLICE_STRING,
    );
  }
  if (v === null || v === undefined) return withType([], SLICE_STRING);
  return withType([strval(v)], SLICE_STRING);
}

/** cast's trimZeroDecimal: "1.0" → "1", "1.50" unchanged. */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') foundZero = true;
    else return s;
  }
  return s;
}

/** cast.ToInt64 (errors give 0, as sprig ignores them). */
export function toInt64(v: unknown): bigint {
  if (v instanceof GoInt) return BigInt.asIntN(64, v.v);
  switch (typeof v) {
    case 'number':
      return floatToInt64(v);
    case 'string':
      try {
        return parseGoInt(trimZeroDecimal(v), 0, true);
      } catch {
        return 0n;
      }
    case 'boolean':
      return v ? 1n : 0n;
    default:
      return 0n;
  }
}

/** cast.ToInt (int is 64-bit where KrakenD runs). */
export function toInt(v: unknown): bigint {
  return toInt64(v);
}

/** cast.ToFloat64. */
export function toFloat64(v: unknown): number {
  if (v instanceof GoInt) return Number(v.v);
  switch (typeof v) {
    case 'number':
      return v;
    case 'string':
      try {
        return parseGoFloat(v);
      } catch {
        return 0;
      }
    case 'boolean':
      return v ? 1 : 0;
    default:
      return 0;
  }
}

/**
 * reflect.DeepEqual over the value model. Like Go, it takes a pair of containers met before
 * (or the same container twice) as equal, so values that contain themselves compare and end.
 */
export function deepEqual(a: unknown, b: unknown, seen = new Map<object, Set<object>>()): boolean {
  const na = a === null || a === undefined;
  const nb = b === null || b === undefined;
  if (na || nb) return na && nb;
  if (goTypeName(a) !== goTypeName(b)) return false;
  if (a instanceof GoInt) return a.v === (b as GoInt).v;
  if (a instanceof GoComplex) return a.re === (b as GoComplex).re && a.im === (b as GoComplex).im;
  if (a instanceof GoObject) return formatValue(a) === formatValue(b);
  if (a instanceof Uint8Array) return a.length === (b as Uint8Array).length && a.every((x, i) => x === (b as Uint8Array)[i]);
  if (Array.isArray(a) || isMap(a)) {
    if (a === b) return true;
    const pairs = seen.get(a) ?? new Set<object>();
    // Go keys a visit by the two addresses in order, so the pair counts either way round.
    if (pairs.has(b) || seen.get(b)?.has(a)) return true;
    seen.set(a, pairs.add(b));
  }
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i], seen));
  }
  if (isMap(a)) {
    const bm = b as Record<string, unknown>;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(bm).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(bm, k) && deepEqual(a[k], bm[k], seen));
  }
  return a === b;
}

/** sprig's empty(): the zero value of its type, or length 0. */
export function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  switch (typeof v) {
    case 'string':
      return v.length === 0;
    case 'boolean':
      return !v;
    case 'number':
      return v === 0;
    default:
      break;
  }
  if (v instanceof GoInt) return v.v === 0n;
  if (v instanceof GoComplex) return v.re === 0 && v.im === 0;
  if (v instanceof GoObject) return false;
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length === 0;
  if (isMap(v)) return Object.keys(v).length === 0;
  return false;
}

/** Go's panic text for a failed type assertion `x.(T)`. */
export function assertionPanic(v: unknown, want: string): GoPanic {
  const got = v === null || v === undefined ? 'nil' : goTypeName(v);
  return new GoPanic(`interface conversion: interface {} is ${got}, not ${want}`);
}

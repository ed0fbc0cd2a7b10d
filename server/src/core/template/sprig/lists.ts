/**
 * sprig v3.2.3's lists, dicts, defaults, JSON and reflection functions (list.go, dict.go,
 * defaults.go, reflect.go), with their panics and error texts.
 */
import type { FuncDef } from '../funcs';
import { OriginatedResult } from '../exec';
import { fn, rv } from '../funcs';
import { goTypeName } from '../fmt';
import { marshal, unmarshal } from '../json';
import type { GoInt } from '../value';
import { GoError, GoPanic, GoStackOverflow, MAP_STRING_IFACE, SLICE_SLICE_IFACE, SLICE_STRING, appendedCap, compareGoStrings, grownCap, isMap, mapHas, nilSlice, mapSet, nils, sortedKeys, spareOf, typeOf, withSpare, withType } from '../value';
import { assertionPanic, deepEqual, isEmpty, isList, kindName, listItems, nilDereference, strslice, strval, toInt } from './util';

/** The list checks sprig's mustX functions share: a slice or array, else "Cannot <verb> on type <kind>". */
function needList(v: unknown, message: (kind: string) => string): unknown[] {
  if (v === null || v === undefined) throw nilDereference();
  if (!isList(v)) throw new GoError(message(kindName(v)));
  return listItems(v);
}

/** The non-must variants panic with the must variant's error. */
function panicking(f: (args: unknown[]) => unknown): (args: unknown[]) => unknown {
  return (args) => {
    try {
      return f(args);
    } catch (e) {
      if (e instanceof GoError) throw new GoPanic(e.message);
      throw e;
    }
  };
}

// Capacities as Go's append leaves them: push appends one to an exact copy, prepend appends
// the list to a one-element slice; []interface{} elements are 16 bytes with pointers.
const push = (a: unknown[]): unknown[] => {
  const l = needList(a[0], (k) => `Cannot push on type ${k}`);
  return withSpare([...l, a[1]], nils(grownCap(l.length, l.length + 1, 16, true) - l.length - 1));
};
const prepend = (a: unknown[]): unknown[] => {
  const l = needList(a[0], (k) => `Cannot prepend on type ${k}`);
  return withSpare([a[1], ...l], nils(grownCap(1, l.length + 1, 16, true) - l.length - 1));
};

function chunk(a: unknown[]): unknown[] {
  const size = Number((a[0] as GoInt).v);
  const l = needList(a[1], (k) => `Cannot chunk type ${k}`);
  const n = l.length;
  const cs = Math.floor((n - 1) / size) + 1;
  if (!Number.isFinite(cs) || cs < 0) throw new GoPanic('runtime error: makeslice: len out of range');
  const out: unknown[][] = [];
  for (let i = 0; i < cs; i++) {
    let clen = size;
    if (i === cs - 1) {
      clen = Math.floor(n % size);
      if (clen === 0) clen = size;
    }
    // make([]interface{}, clen) with a negative size (chunk -1).
    if (clen < 0) throw new GoPanic('runtime error: makeslice: len out of range');
    const part: unknown[] = [];
    for (let j = 0; j < clen; j++) {
      const ix = i * size + j;
      if (ix >= n) throw new GoPanic(`reflect: slice index out of range`);
      part.push(l[ix]);
    }
    out.push(part);
  }
  return withType(out, SLICE_SLICE_IFACE);
}

/** A list element, with its place in the list as origin when the list is data. */
function element(list: unknown, l: unknown[], i: number): unknown {
  if (!Array.isArray(list)) return l[i];
  return new OriginatedResult({ v: l[i], boxed: true, origin: { kind: 'data', container: list, key: i } });
}

function lastOf(a: unknown[]): unknown {
  const l = needList(a[0], (k) => `Cannot find last on type ${k}`);
  return l.length === 0 ? null : element(a[0], l, l.length - 1);
}

function firstOf(a: unknown[]): unknown {
  const l = needList(a[0], (k) => `Cannot find first on type ${k}`);
  return l.length === 0 ? null : element(a[0], l, 0);
}

/** A []interface{} sprig built by appending one element at a time: its capacity as Go's append leaves it. */
function appended(l: unknown[]): unknown[] {
  return withSpare(l, nils(appendedCap(l.length, 16, true) - l.length));
}

function rest(a: unknown[]): unknown[] {
  const l = needList(a[0], (k) => `Cannot find rest on type ${k}`);
  return l.length === 0 ? nilSlice([]) : l.slice(1);
}

function initial(a: unknown[]): unknown[] {
  const l = needList(a[0], (k) => `Cannot find initial on type ${k}`);
  return l.length === 0 ? nilSlice([]) : l.slice(0, l.length - 1);
}

function reverse(a: unknown[]): unknown[] {
  return [...needList(a[0], (k) => `Cannot find reverse on type ${k}`)].reverse();
}

function compact(a: unknown[]): unknown[] {
  return appended(needList(a[0], (k) => `Cannot compact on type ${k}`).filter((x) => !isEmpty(x)));
}

function uniq(a: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of needList(a[0], (k) => `Cannot find uniq on type ${k}`)) if (!out.some((y) => deepEqual(x, y))) out.push(x);
  return appended(out);
}

function without(a: unknown[]): unknown[] {
  const omit = a.slice(1);
  return appended(needList(a[0], (k) => `Cannot find without on type ${k}`).filter((x) => !omit.some((y) => deepEqual(x, y))));
}

function has(a: unknown[]): boolean {
  const hay = a[1];
  if (hay === null || hay === undefined) return false;
  if (!isList(hay)) throw new GoError(`Cannot find has on type ${kindName(hay)}`);
  return listItems(hay).some((x) => deepEqual(a[0], x));
}

function sliceOf(a: unknown[]): unknown {
  const list = a[0];
  if (list === null || list === undefined) throw nilDereference();
  if (!isList(list)) throw new GoError(`list should be type of slice or array but ${kindName(list)}`);
  const l = listItems(list);
  if (l.length === 0) return null;
  const idx = a.slice(1);
  const start = idx.length > 0 ? Number(toInt(idx[0])) : 0;
  const end = idx.length < 2 ? l.length : Number(toInt(idx[1]));
  // Up to the capacity: the backing array's elements past the length come into view.
  const backing = Array.isArray(list) ? [...l, ...spareOf(list)] : l;
  if (start < 0 || end < start || end > backing.length) throw new GoPanic('reflect.Value.Slice: slice index out of bounds');
  const type = typeOf(list)!;
  return withSpare(withType(backing.slice(start, end), type), backing.slice(end));
}

function concat(a: unknown[]): unknown {
  const out: unknown[] = [];
  for (const list of a) {
    if (list === null || list === undefined) throw nilDereference();
    if (!isList(list)) throw new GoPanic(`Cannot concat type ${kindName(list)} as list`);
    out.push(...listItems(list));
  }
  // sprig appends to a nil slice: nothing appended leaves it nil.
  return out.length === 0 ? nilSlice(out) : appended(out);
}

function sortAlpha(a: unknown[]): string[] {
  const v = a[0];
  if (isList(v)) return withType([...strslice(v)].sort(compareGoStrings), SLICE_STRING);
  return withType([strval(v)], SLICE_STRING);
}

// --- dicts

function dict(a: unknown[]): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  for (let i = 0; i < a.length; i += 2) mapSet(d, strval(a[i]), i + 1 >= a.length ? '' : a[i + 1]);
  return d;
}

/** The map a function got for a `map[string]interface{}` parameter (nil maps arrive as an empty typed map). */
function m(v: unknown): Record<string, unknown> {
  return v as Record<string, unknown>;
}

function setKey(a: unknown[]): Record<string, unknown> {
  const d = m(a[0]);
  if (Object.isFrozen(d)) throw new GoPanic('assignment to entry in nil map');
  mapSet(d, a[1] as string, a[2]);
  return d;
}

function unset(a: unknown[]): Record<string, unknown> {
  const d = m(a[0]);
  if (mapHas(d, a[1] as string)) delete d[a[1] as string];
  return d;
}

/**
 * mergo.Merge / MergeWithOverwrite for map[string]interface{} (mergo v0.3.16's map rules).
 * `open` holds the pairs being merged: mergo keeps no record for maps taken out of interfaces,
 * so meeting a pair again means Go recurses until its stack runs out.
 */
function mergeMaps(dst: Record<string, unknown>, src: Record<string, unknown>, overwrite: boolean, open = new Map<object, Set<object>>()): void {
  const srcs = open.get(dst) ?? new Set<object>();
  if (srcs.has(src)) throw new GoStackOverflow('merging');
  open.set(dst, srcs.add(src));
  try {
    mergeMapsOnce(dst, src, overwrite, open);
  } finally {
    srcs.delete(src);
  }
}

function mergeMapsOnce(dst: Record<string, unknown>, src: Record<string, unknown>, overwrite: boolean, open: Map<object, Set<object>>): void {
  const dstNonEmpty = Object.keys(dst).length > 0;
  const srcNonEmpty = Object.keys(src).length > 0;
  for (const key of Object.keys(src)) {
    const s = src[key];
    const hadDst = mapHas(dst, key);
    const d = hadDst ? dst[key] : undefined;
    if (s === null || s === undefined) {
      if (overwrite) mapSet(dst, key, null);
      continue;
    }
    if (isMap(s)) {
      if (isMap(d) && typeOf(d)!.name === typeOf(s)!.name) mergeMaps(d, s, overwrite, open);
    } else if (isList(s)) {
      let slice: unknown = hadDst && d !== null ? d : withType([], typeOf(s)!);
      if (srcNonEmpty && (overwrite || !dstNonEmpty)) slice = s;
      mapSet(dst, key, slice);
    }
    const dNow = hadDst ? d : undefined;
    if (hadDst && !isEmpty(dNow)) {
      if (isList(s)) continue;
      if (isMap(s) && isMap(dNow)) continue;
    }
    if (overwrite || !hadDst || isEmpty(dNow)) mapSet(dst, key, s);
  }
}

/** merge's destination: a nil map argument becomes a new map, as mergo makes one. */
function mergeInto(a: unknown[], overwrite: boolean): Record<string, unknown> {
  let dst = m(a[0]);
  if (Object.isFrozen(dst)) dst = {};
  for (const s of a.slice(1)) mergeMaps(dst, m(s), overwrite);
  return dst;
}

function keys(a: unknown[]): string[] {
  const out: string[] = [];
  for (const d of a) out.push(...sortedKeys(m(d)));
  return withType(out, SLICE_STRING);
}

function pick(a: unknown[]): Record<string, unknown> {
  const d = m(a[0]);
  const res: Record<string, unknown> = {};
  for (const k of a.slice(1) as string[]) if (mapHas(d, k)) mapSet(res, k, d[k]);
  return res;
}

function omit(a: unknown[]): Record<string, unknown> {
  const d = m(a[0]);
  const drop = new Set(a.slice(1) as string[]);
  const res: Record<string, unknown> = {};
  for (const k of Object.keys(d)) if (!drop.has(k)) mapSet(res, k, d[k]);
  return res;
}

function values(a: unknown[]): unknown[] {
  const d = m(a[0]);
  return sortedKeys(d).map((k) => d[k]);
}

/** copystructure.Copy(nil) asks the type of nothing: the panic escapes sprig's must variant too. */
function nilCopyPanics(v: unknown): unknown {
  if (v === null || v === undefined) throw new GoPanic('reflect: call of reflect.Value.Type on zero Value');
  return v;
}

/** copystructure.Copy: `open` holds the containers being copied; meeting one again never ends in Go. */
function deepCopy(v: unknown, open = new Set<object>()): unknown {
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (!Array.isArray(v) && !isMap(v)) return v;
  if (open.has(v)) throw new GoStackOverflow('copying');
  open.add(v);
  try {
    if (Array.isArray(v)) return withType(v.map((x) => deepCopy(x, open)), typeOf(v)!);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) mapSet(out, k, deepCopy(v[k], open));
    return withType(out, typeOf(v)!);
  } finally {
    open.delete(v);
  }
}

function dig(a: unknown[]): unknown {
  if (a.length < 3) throw new GoPanic('dig needs at least three arguments');
  const d = a[a.length - 1];
  if (!isMap(d) || typeOf(d) !== MAP_STRING_IFACE) throw assertionPanic(d, 'map[string]interface {}');
  const def = a[a.length - 2];
  const ks = a.slice(0, a.length - 2).map((k) => {
    if (typeof k !== 'string') throw assertionPanic(k, 'string');
    return k;
  });
  let cur: Record<string, unknown> = d;
  for (let i = 0; i < ks.length; i++) {
    if (!mapHas(cur, ks[i]!)) return def;
    const step = cur[ks[i]!];
    if (i === ks.length - 1) return new OriginatedResult({ v: step, boxed: true, origin: { kind: 'data', container: cur, key: ks[i]! } });
    if (!isMap(step) || typeOf(step) !== MAP_STRING_IFACE) throw assertionPanic(step, 'map[string]interface {}');
    cur = step;
  }
  return def;
}

function toJsonText(v: unknown, indent: string | undefined, escapeHTML: boolean): OriginatedResult {
  const r = marshal(v, { indent, escapeHTML, parts: true });
  return new OriginatedResult({ ...rv(r.text), ...(r.parts.length > 0 ? { parts: r.parts } : {}) });
}

/** JSON functions keep the origins of the data they print, for the source map. */
function jsonOrEmpty(v: unknown, indent: string | undefined, escapeHTML: boolean): unknown {
  try {
    return toJsonText(v, indent, escapeHTML);
  } catch (e) {
    if (e instanceof GoError) return '';
    throw e;
  }
}

export const LIST_FUNCS: Record<string, FuncDef> = {
  list: fn('...interface {}', '[]interface {}', (a) => [...a]),
  tuple: fn('...interface {}', '[]interface {}', (a) => [...a]),
  append: fn('interface {}, interface {}', '[]interface {}', panicking(push)),
  push: fn('interface {}, interface {}', '[]interface {}', panicking(push)),
  mustAppend: fn('interface {}, interface {}', '[]interface {}', push),
  mustPush: fn('interface {}, interface {}', '[]interface {}', push),
  prepend: fn('interface {}, interface {}', '[]interface {}', panicking(prepend)),
  mustPrepend: fn('interface {}, interface {}', '[]interface {}', prepend),
  chunk: fn('int, interface {}', '[]interface {}', panicking(chunk)),
  mustChunk: fn('int, interface {}', '[]interface {}', chunk),
  first: fn('interface {}', 'interface {}', panicking(firstOf)),
  mustFirst: fn('interface {}', 'interface {}', firstOf),
  last: fn('interface {}', 'interface {}', panicking(lastOf)),
  mustLast: fn('interface {}', 'interface {}', lastOf),
  rest: fn('interface {}', '[]interface {}', panicking(rest)),
  mustRest: fn('interface {}', '[]interface {}', rest),
  initial: fn('interface {}', '[]interface {}', panicking(initial)),
  mustInitial: fn('interface {}', '[]interface {}', initial),
  reverse: fn('interface {}', '[]interface {}', panicking(reverse)),
  mustReverse: fn('interface {}', '[]interface {}', reverse),
  compact: fn('interface {}', '[]interface {}', panicking(compact)),
  mustCompact: fn('interface {}', '[]interface {}', compact),
  uniq: fn('interface {}', '[]interface {}', panicking(uniq)),
  mustUniq: fn('interface {}', '[]interface {}', uniq),
  without: fn('interface {}, ...interface {}', '[]interface {}', panicking(without)),
  mustWithout: fn('interface {}, ...interface {}', '[]interface {}', without),
  has: fn('interface {}, interface {}', 'bool', panicking(has)),
  mustHas: fn('interface {}, interface {}', 'bool', has),
  slice: fn('interface {}, ...interface {}', 'interface {}', panicking(sliceOf)),
  mustSlice: fn('interface {}, ...interface {}', 'interface {}', sliceOf),
  concat: fn('...interface {}', 'interface {}', concat),
  sortAlpha: fn('interface {}', '[]string', sortAlpha),

  dict: fn('...interface {}', 'map[string]interface {}', dict),
  get: fn('map[string]interface {}, string', 'interface {}', (a) => {
    const d = m(a[0]);
    const k = a[1] as string;
    return mapHas(d, k) ? new OriginatedResult({ v: d[k], boxed: true, origin: { kind: 'data', container: d, key: k } }) : '';
  }),
  set: fn('map[string]interface {}, string, interface {}', 'map[string]interface {}', setKey),
  unset: fn('map[string]interface {}, string', 'map[string]interface {}', unset),
  hasKey: fn('map[string]interface {}, string', 'bool', (a) => mapHas(m(a[0]), a[1] as string)),
  pluck: fn('string, ...map[string]interface {}', '[]interface {}', (a) => {
    const k = a[0] as string;
    return (a.slice(1) as Record<string, unknown>[]).filter((d) => mapHas(d, k)).map((d) => d[k]);
  }),
  keys: fn('...map[string]interface {}', '[]string', keys),
  pick: fn('map[string]interface {}, ...string', 'map[string]interface {}', pick),
  omit: fn('map[string]interface {}, ...string', 'map[string]interface {}', omit),
  merge: fn('map[string]interface {}, ...map[string]interface {}', 'interface {}', (a) => mergeInto(a, false)),
  mergeOverwrite: fn('map[string]interface {}, ...map[string]interface {}', 'interface {}', (a) => mergeInto(a, true)),
  mustMerge: fn('map[string]interface {}, ...map[string]interface {}', 'interface {}', (a) => mergeInto(a, false)),
  mustMergeOverwrite: fn('map[string]interface {}, ...map[string]interface {}', 'interface {}', (a) => mergeInto(a, true)),
  values: fn('map[string]interface {}', '[]interface {}', values),
  deepCopy: fn('interface {}', 'interface {}', (a) => deepCopy(nilCopyPanics(a[0]))),
  mustDeepCopy: fn('interface {}', 'interface {}', (a) => deepCopy(nilCopyPanics(a[0]))),
  dig: fn('...interface {}', 'interface {}', dig),

  default: fn('interface {}, ...interface {}', 'interface {}', (a) => {
    const given = a.slice(1);
    return given.length === 0 || isEmpty(given[0]) ? a[0] : given[0];
  }),
  empty: fn('interface {}', 'bool', (a) => isEmpty(a[0])),
  coalesce: fn('...interface {}', 'interface {}', (a) => {
    for (const v of a) if (!isEmpty(v)) return v;
    return null;
  }),
  all: fn('...interface {}', 'bool', (a) => a.every((v) => !isEmpty(v))),
  any: fn('...interface {}', 'bool', (a) => a.some((v) => !isEmpty(v))),
  ternary: fn('interface {}, interface {}, bool', 'interface {}', (a) => (a[2] ? a[0] : a[1])),

  fromJson: fn('string', 'interface {}', (a) => unmarshal(a[0] as string).value),
  mustFromJson: fn('string', 'interface {}', (a) => {
    const r = unmarshal(a[0] as string);
    if (r.error !== undefined) throw new GoError(r.error);
    return r.value;
  }),
  toJson: fn('interface {}', 'string', (a) => jsonOrEmpty(a[0], undefined, true)),
  mustToJson: fn('interface {}', 'string', (a) => toJsonText(a[0], undefined, true)),
  toPrettyJson: fn('interface {}', 'string', (a) => jsonOrEmpty(a[0], '  ', true)),
  mustToPrettyJson: fn('interface {}', 'string', (a) => toJsonText(a[0], '  ', true)),
  toRawJson: fn('interface {}', 'string', (a) => {
    try {
      return toJsonText(a[0], undefined, false);
    } catch (e) {
      if (e instanceof GoError) throw new GoPanic(e.message);
      throw e;
    }
  }),
  mustToRawJson: fn('interface {}', 'string', (a) => toJsonText(a[0], undefined, false)),

  typeOf: fn('interface {}', 'string', (a) => goTypeName(a[0])),
  typeIs: fn('string, interface {}', 'bool', (a) => a[0] === goTypeName(a[1])),
  typeIsLike: fn('string, interface {}', 'bool', (a) => {
    const t = goTypeName(a[1]);
    return a[0] === t || `*${String(a[0])}` === t;
  }),
  kindOf: fn('interface {}', 'string', (a) => kindName(a[0])),
  kindIs: fn('string, interface {}', 'bool', (a) => a[0] === kindName(a[1])),
  deepEqual: fn('interface {}, interface {}', 'bool', (a) => deepEqual(a[0], a[1])),
};

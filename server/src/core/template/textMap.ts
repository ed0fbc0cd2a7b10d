/**
 * How a string value made from a partial's text maps back into that partial, through the
 * functions it went through (`include "x" | trim | nindent 4`). A function either keeps the map
 * (its output is pieces of its input: trim, indent, upper…) or maps its whole output to its
 * argument's span (quote, toJson, replace… and any function not listed here). Pure.
 */
import type { RV, TextMap, TextPiece, ValueOrigin } from './funcs';
import type { GoInt } from './value';

/** The map of a partial's text as include returns it: every offset to itself. */
export function identityMap(length: number): TextMap {
  return { pieces: [{ start: 0, end: length, src: 0 }], span: { offset: 0, length } };
}

/** The partial offset of offset `rel` of the value: in a piece, exactly; else the next piece's start (or the span's end). */
export function mapOffset(map: TextMap | undefined, rel: number): number {
  if (!map) return rel;
  for (const p of map.pieces) {
    if (rel >= p.start && rel < p.end) return p.src + rel - p.start;
    if (p.start >= rel) return p.src;
  }
  const last = map.pieces[map.pieces.length - 1];
  if (last && rel === last.end) return last.src + last.end - last.start;
  return map.pieces.length === 0 ? map.span.offset : map.span.offset + map.span.length;
}

/** `outer` (output offsets → input offsets) followed by `inner` (input → partial). */
function compose(outer: readonly TextPiece[], inner: TextMap): TextMap {
  const pieces: TextPiece[] = [];
  for (const o of outer) {
    for (const i of inner.pieces) {
      const from = Math.max(o.src, i.start);
      const to = Math.min(o.src + o.end - o.start, i.end);
      if (from >= to) continue;
      pieces.push({ start: o.start + from - o.src, end: o.start + to - o.src, src: i.src + from - i.start });
    }
  }
  return { pieces, span: inner.span };
}

/** The output is `input.slice(k, k + length)`. */
function substring(k: number, length: number): TextPiece[] {
  return length === 0 ? [] : [{ start: 0, end: length, src: k }];
}

/** The output is `prefix + input` with `pad` after every newline (indent, nindent). */
function indented(input: string, prefix: number, pad: number): TextPiece[] {
  const pieces: TextPiece[] = [];
  let out = prefix;
  let from = 0;
  for (;;) {
    const nl = input.indexOf('\n', from);
    const end = nl < 0 ? input.length : nl + 1;
    if (end > from) pieces.push({ start: out, end: out + end - from, src: from });
    if (nl < 0) return pieces;
    out += end - from + pad;
    from = end;
  }
}

type Mapper = (input: string, output: string, args: readonly RV[]) => TextPiece[] | undefined;

/** An int argument (a GoInt, whose `v` is a bigint). */
const int = (v: unknown): number => Number((v as GoInt).v);

/** Functions whose output is made of pieces of their (last) string argument. */
const MAPPERS: ReadonlyMap<string, Mapper> = new Map<string, Mapper>([
  // Every trim leaves a substring whose first character was not cut, so its first occurrence is it.
  ['trim', (i, o) => substring(o === '' ? 0 : i.indexOf(o), o.length)],
  ['trimAll', (i, o) => substring(o === '' ? 0 : i.indexOf(o), o.length)],
  ['trimall', (i, o) => substring(o === '' ? 0 : i.indexOf(o), o.length)],
  ['trimPrefix', (i, o) => substring(i.length - o.length, o.length)],
  ['trimSuffix', (_i, o) => substring(0, o.length)],
  ['trunc', (i, o, a) => substring(int(a[0]!.v) < 0 ? i.length - o.length : 0, o.length)],
  ['indent', (i, _o, a) => indented(i, int(a[0]!.v), int(a[0]!.v))],
  ['nindent', (i, _o, a) => indented(i, 1 + int(a[0]!.v), int(a[0]!.v))],
  // Case changes keep every character where it was when they keep the length.
  ...['upper', 'lower', 'title', 'untitle', 'swapcase'].map((name): [string, Mapper] => [name, (i, o) => (i.length === o.length ? substring(0, o.length) : undefined)]),
]);

/**
 * The origin of a string a function returned, when one of its arguments is a partial's text:
 * mapped through the function, or its argument's span. `r` unchanged otherwise.
 */
export function carryText(name: string, args: readonly RV[], r: RV): RV {
  if (typeof r.v !== 'string') return r;
  let source: { v: string; origin: Extract<ValueOrigin, { kind: 'partial' }> } | undefined;
  for (const a of args) {
    if (a.origin?.kind === 'partial' && typeof a.v === 'string') {
      source = { v: a.v, origin: a.origin };
      if (r.origin === a.origin) return r;
    }
  }
  if (!source || (r.origin && r.origin.kind !== 'partial')) return r;
  const inner = source.origin.map ?? identityMap(source.v.length);
  const pieces = MAPPERS.get(name)?.(source.v, r.v, args);
  const map: TextMap = pieces ? compose(pieces, inner) : { pieces: [], span: argumentSpan(inner) };
  return { ...r, origin: { kind: 'partial', path: source.origin.path, map } };
}

/** The stretch of the partial an argument covers. */
function argumentSpan(m: TextMap): { offset: number; length: number } {
  if (m.pieces.length === 0) return m.span;
  const from = Math.min(...m.pieces.map((p) => p.src));
  const to = Math.max(...m.pieces.map((p) => p.src + p.end - p.start));
  return { offset: from, length: to - from };
}

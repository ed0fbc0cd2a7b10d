/**
 * Go text/template's builtin functions (`funcs.go`): index, len, not, the comparisons with
 * Go's comparison rules and errors, print/printf/println, html, js, urlquery, and/or/call
 * (whose evaluation the executor special-cases). `slice` is absent on purpose: sprig's
 * `slice` overrides it in KrakenD's function map.
 */
import type { FuncDef, RV } from './funcs';
import { INVALID, fn, rv, rvFn } from './funcs';
import { formatValue, sprint, sprintf, sprintln } from './fmt';
import type { Kind } from './value';
import { GoComplex, GoError, GoInt, GoObject, GoPanic, T, isIntKind, isMap, isTrue, isUintKind, mapGet, typeOf } from './value';
import { utf8Encode, utf8Length } from '../go/utf8';

/** indirectInterface: the concrete value inside an interface; nil interfaces become invalid. */
function concrete(a: RV): unknown {
  return a.v === null ? undefined : a.v;
}

function indexArg(index: unknown, cap: number): number {
  let x: bigint;
  if (index instanceof GoInt) x = index.v;
  else if (index === undefined) throw new GoError('cannot index slice/array with nil');
  else throw new GoError(`cannot index slice/array with type ${typeOf(index)!.name}`);
  if (x < 0n || x > BigInt(cap)) throw new GoError(`index out of range: ${x}`);
  return Number(x);
}

const index = rvFn('reflect.Value, ...reflect.Value', 'reflect.Value', (args) => {
  let item: RV = { ...args[0]!, boxed: false };
  if (concrete(item) === undefined) throw new GoError('index of untyped nil');
  for (const a of args.slice(1)) {
    const idx = concrete(a);
    if (item.v === null) throw new GoError('index of nil pointer');
    const v = item.v;
    if (typeof v === 'string') {
      const bytes = utf8Encode(v);
      const x = indexArg(idx, bytes.length);
      if (x === bytes.length) throw new GoPanic('reflect: string index out of range');
      item = rv(new GoInt(T.uint8, BigInt(bytes[x]!)));
    } else if (Array.isArray(v)) {
      const x = indexArg(idx, v.length);
      if (x === v.length) throw new GoPanic('reflect: slice index out of range');
      item = { v: v[x], boxed: typeOf(v)!.elem?.kind === 'interface', origin: { kind: 'data', container: v, key: x } };
    } else if (v instanceof Uint8Array) {
      const x = indexArg(idx, v.length);
      if (x === v.length) throw new GoPanic('reflect: slice index out of range');
      item = rv(new GoInt(T.uint8, BigInt(v[x]!)));
    } else if (isMap(v)) {
      const type = typeOf(v)!;
      if (idx === undefined) throw new GoError(`value is nil; should be of type ${type.key!.name}`);
      if (typeof idx !== 'string') throw new GoError(`value has type ${typeOf(idx)!.name}; should be ${type.key!.name}`);
      const found = mapGet(v, idx);
      const iface = type.elem?.kind === 'interface';
      if (found !== undefined) item = { v: found, boxed: iface, origin: { kind: 'data', container: v, key: idx } };
      else item = iface ? { v: null, boxed: true } : rv(zeroValue(type.elem!.kind));
    } else {
      throw new GoError(`can't index item of type ${typeOf(v)!.name}`);
    }
  }
  return item;
});

function zeroValue(kind: Kind): unknown {
  switch (kind) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'float64':
    case 'float32':
      return 0;
    default:
      return isIntKind(kind) || isUintKind(kind) ? new GoInt({ name: kind, kind }, 0n) : null;
  }
}

const len = rvFn('reflect.Value', 'int', (args) => {
  const a = args[0]!;
  if (a.v === undefined) throw new GoPanic('reflect: call of reflect.Value.Type on zero Value');
  if (a.v === null) throw new GoError('len of nil pointer');
  const v = a.v;
  if (typeof v === 'string') return rv(new GoInt(T.int, BigInt(utf8Length(v))));
  if (Array.isArray(v) || v instanceof Uint8Array) return rv(new GoInt(T.int, BigInt(v.length)));
  if (isMap(v)) return rv(new GoInt(T.int, BigInt(Object.keys(v).length)));
  throw new GoError(`len of type ${typeOf(v)!.name}`);
});

type BasicKind = 'bool' | 'complex' | 'int' | 'float' | 'string' | 'uint' | 'invalid';

function basicKind(v: unknown): BasicKind {
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
    default:
      if (v instanceof GoInt) return isIntKind(v.type.kind) ? 'int' : 'uint';
      if (v instanceof GoComplex) return 'complex';
      return 'invalid';
  }
}

function typeName(v: unknown): string {
  return typeOf(v)?.name ?? '<nil>';
}

function isNilValue(v: unknown): boolean {
  return v === undefined || v === null;
}

function eqValues(a1: unknown, args: readonly RV[]): boolean {
  if (args.length === 0) throw new GoError('missing argument for comparison');
  const k1 = basicKind(a1);
  for (const a of args) {
    const arg = concrete(a);
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') truth = (a1 as GoInt).v >= 0n && (a1 as GoInt).v === (arg as GoInt).v;
      else if (k1 === 'uint' && k2 === 'int') truth = (arg as GoInt).v >= 0n && (a1 as GoInt).v === (arg as GoInt).v;
      else if (a1 !== undefined && arg !== undefined) throw new GoError(`incompatible types for comparison: ${typeName(a1)} and ${typeName(arg)}`);
    } else {
      switch (k1) {
        case 'bool':
        case 'string':
        case 'float':
          truth = a1 === arg;
          break;
        case 'int':
        case 'uint':
          truth = (a1 as GoInt).v === (arg as GoInt).v;
          break;
        case 'complex':
          truth = (a1 as GoComplex).re === (arg as GoComplex).re && (a1 as GoComplex).im === (arg as GoComplex).im;
          break;
        default: {
          const sameKind = typeOf(a1)?.kind === typeOf(arg)?.kind;
          if (!sameKind && a1 !== undefined && arg !== undefined) {
            throw new GoError(sprintf('non-comparable types %s: %v, %s: %v', [a1, typeName(a1), typeName(arg), arg]));
          }
          if (isNilValue(a1) || isNilValue(arg)) truth = isNilValue(a1) === isNilValue(arg);
          else if (!(arg instanceof GoObject)) throw new GoError(sprintf('non-comparable type %s: %v', [arg, typeName(arg)]));
          else truth = a1 === arg || formatValue(a1) === formatValue(arg);
        }
      }
    }
    if (truth) return true;
  }
  return false;
}

function ltValues(a1: unknown, a2: unknown): boolean {
  const k1 = basicKind(a1);
  if (k1 === 'invalid') throw new GoError('invalid type for comparison');
  const k2 = basicKind(a2);
  if (k2 === 'invalid') throw new GoError('invalid type for comparison');
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return (a1 as GoInt).v < 0n || (a1 as GoInt).v < (a2 as GoInt).v;
    if (k1 === 'uint' && k2 === 'int') return (a2 as GoInt).v >= 0n && (a1 as GoInt).v < (a2 as GoInt).v;
    throw new GoError(`incompatible types for comparison: ${typeName(a1)} and ${typeName(a2)}`);
  }
  switch (k1) {
    case 'bool':
    case 'complex':
      throw new GoError('invalid type for comparison');
    case 'float':
      return (a1 as number) < (a2 as number);
    case 'string':
      return compareBytes(a1 as string, a2 as string) < 0;
    default:
      return (a1 as GoInt).v < (a2 as GoInt).v;
  }
}

function compareBytes(a: string, b: string): number {
  const x = utf8Encode(a);
  const y = utf8Encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

const eq = rvFn('reflect.Value, ...reflect.Value', 'bool', (args) => rv(eqValues(concrete(args[0]!), args.slice(1))));
const ne = rvFn('reflect.Value, reflect.Value', 'bool', (args) => rv(!eqValues(concrete(args[0]!), [args[1]!])));
const lt = rvFn('reflect.Value, reflect.Value', 'bool', (args) => rv(ltValues(concrete(args[0]!), concrete(args[1]!))));
const le = rvFn('reflect.Value, reflect.Value', 'bool', (args) => {
  const a1 = concrete(args[0]!);
  const a2 = concrete(args[1]!);
  return rv(ltValues(a1, a2) || eqValues(a1, [args[1]!]));
});
const gt = rvFn('reflect.Value, reflect.Value', 'bool', (args) => {
  const a1 = concrete(args[0]!);
  const a2 = concrete(args[1]!);
  return rv(!(ltValues(a1, a2) || eqValues(a1, [args[1]!])));
});
const ge = rvFn('reflect.Value, reflect.Value', 'bool', (args) => rv(!ltValues(concrete(args[0]!), concrete(args[1]!))));

const not = rvFn('reflect.Value', 'bool', (args) => rv(!isTrue(concrete(args[0]!))));

/** and/or/call are evaluated by the executor; these signatures only drive its argument checks. */
const and = rvFn('reflect.Value, ...reflect.Value', 'reflect.Value', () => INVALID);
const or = rvFn('reflect.Value, ...reflect.Value', 'reflect.Value', () => INVALID);
const call = rvFn('reflect.Value, ...reflect.Value', 'reflect.Value', () => INVALID);

/** text/template's evalArgs: like Sprint, but a nil argument prints as `<no value>`. */
function evalArgs(args: readonly unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === null || a === undefined ? '<no value>' : a)));
}

/** template.HTMLEscapeString. */
export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

/** template.JSEscapeString. */
export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (c < 0x20) out += `\\u00${c.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (c < 0x80) out += ch;
    // A raw byte decodes to U+FFFD, which is printable: Go copies the byte as it is.
    else if (c >= 0xdc80 && c <= 0xdcff) out += ch;
    else if (/^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch) || c === 0x20) out += ch;
    else out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8Encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Go's builtins by name (Go's `builtins()` minus `slice`, which sprig replaces). */
export const BUILTINS: ReadonlyMap<string, FuncDef> = new Map<string, FuncDef>([
  ['and', and],
  ['call', call],
  ['html', fn('...interface {}', 'string', (a) => htmlEscape(evalArgs(a)))],
  ['index', index],
  ['js', fn('...interface {}', 'string', (a) => jsEscape(evalArgs(a)))],
  ['len', len],
  ['not', not],
  ['or', or],
  ['print', fn('...interface {}', 'string', (a) => sprint(a))],
  ['printf', fn('string, ...interface {}', 'string', (a) => sprintf(a[0] as string, a.slice(1)))],
  ['println', fn('...interface {}', 'string', (a) => sprintln(a))],
  ['urlquery', fn('...interface {}', 'string', (a) => queryEscape(evalArgs(a)))],
  ['eq', eq],
  ['ge', ge],
  ['gt', gt],
  ['le', le],
  ['lt', lt],
  ['ne', ne],
]);

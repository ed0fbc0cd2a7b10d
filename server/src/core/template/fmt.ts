/**
 * Go's fmt package for the template engine's value model: what `{{ .x }}` prints (fmt.Fprint),
 * `print`, `println` and `printf` with Go's verbs, flags, widths, precisions, argument indexes
 * and Go's own complaints (`%!d(string=x)`, `%!v(MISSING)`, `%!(EXTRA int=1)`).
 */
import { canBackquote, formatFloat, formatFloatBits, isPrint, quote, quoteRune } from '../go/strconv';
import { GoComplex, GoInt, GoPointer, GoObject, GoStackOverflow, isIntKind, sortedKeys, typeOf } from './value';
import { utf8Decode, utf8Encode } from '../go/utf8';

/** A printing request Go can do but this renderer cannot reproduce (pointer addresses, hex floats). */
export class UnsupportedFormat extends Error {}

interface Flags {
  widPresent: boolean;
  precPresent: boolean;
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  prec: number;
}

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    n++;
  }
  return n;
}

/** The `[]T` type name of a value for %T and error texts; `<nil>` for nil. */
export function goTypeName(v: unknown): string {
  return typeOf(v)?.name ?? '<nil>';
}

class Printer {
  buf = '';
  f: Flags = Printer.noFlags();
  erroring = false;
  /** The argument being printed at depth 0 (Go's p.arg), for badVerb. */
  private arg: unknown;
  private hasArg = false;
  /** The containers being printed, outermost first: meeting one again is Go's endless recursion. */
  private readonly open = new Set<object>();

  static noFlags(): Flags {
    return { widPresent: false, precPresent: false, minus: false, plus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false, wid: 0, prec: 0 };
  }

  clearFlags(): void {
    this.f = Printer.noFlags();
  }

  private writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.f.zero && !this.f.minus ? '0' : ' ').repeat(n);
  }

  pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.f.wid - runeCount(s);
    if (!this.f.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  private badVerb(verb: string, value: unknown, valid: boolean): void {
    this.erroring = true;
    this.buf += `%!${verb}(`;
    if (valid && value !== null && value !== undefined) {
      this.buf += goTypeName(value);
      this.buf += '=';
      this.printArg(value, 'v', 0);
    } else {
      this.buf += '<nil>';
    }
    this.buf += ')';
    this.erroring = false;
  }

  private fmtBoolean(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.pad(v ? 'true' : 'false');
    else this.badVerb(verb, v, true);
  }

  /** fmt.fmtInteger: `u` is the value (negative only when signed). */
  private fmtIntegerBase(u: bigint, base: number, verb: string, upper: boolean): void {
    const negative = u < 0n;
    if (negative) u = -u;
    const f = this.f;
    let prec = 0;
    if (f.precPresent) {
      prec = f.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = f.zero;
        f.zero = false;
        this.writePadding(f.wid);
        f.zero = oldZero;
        return;
      }
    } else if (f.zero && !f.minus && f.widPresent) {
      prec = f.wid;
      if (negative || f.plus || f.space) prec--;
    }
    let digits = u.toString(base);
    if (upper) digits = digits.toUpperCase();
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
    if (f.sharp) {
      if (base === 2) digits = `0b${digits}`;
      else if (base === 8 && digits[0] !== '0') digits = `0${digits}`;
      else if (base === 16) digits = (upper ? '0X' : '0x') + digits;
    }
    if (verb === 'O') digits = `0o${digits}`;
    if (negative) digits = `-${digits}`;
    else if (f.plus) digits = `+${digits}`;
    else if (f.space) digits = ` ${digits}`;
    const oldZero = f.zero;
    f.zero = false;
    this.pad(digits);
    f.zero = oldZero;
  }

  private fmtUnicode(u: bigint): void {
    let prec = 4;
    if (this.f.precPresent && this.f.prec > 4) prec = this.f.prec;
    let s = `U+${u.toString(16).toUpperCase().padStart(prec, '0')}`;
    if (this.f.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += ` '${String.fromCodePoint(Number(u))}'`;
    const oldZero = this.f.zero;
    this.f.zero = false;
    this.pad(s);
    this.f.zero = oldZero;
  }

  private fmtInteger(v: GoInt, verb: string): void {
    const signed = isIntKind(v.type.kind);
    const u = v.v;
    switch (verb) {
      case 'v':
        if (this.f.sharpV && !signed) {
          const sharp = this.f.sharp;
          this.f.sharp = true;
          this.fmtIntegerBase(u, 16, 'v', false);
          this.f.sharp = sharp;
        } else this.fmtIntegerBase(u, 10, verb, false);
        return;
      case 'd':
        return this.fmtIntegerBase(u, 10, verb, false);
      case 'b':
        return this.fmtIntegerBase(signed ? u : u, 2, verb, false);
      case 'o':
      case 'O':
        return this.fmtIntegerBase(u, 8, verb, false);
      case 'x':
        return this.fmtIntegerBase(u, 16, verb, false);
      case 'X':
        return this.fmtIntegerBase(u, 16, verb, true);
      case 'c': {
        const cp = u < 0n || u > 0x10ffffn || (u >= 0xd800n && u <= 0xdfffn) ? 0xfffd : Number(u);
        return this.pad(String.fromCodePoint(cp));
      }
      case 'q': {
        const cp = u < 0n || u > 0x10ffffn ? 0xfffd : Number(u);
        return this.pad(quoteRune(cp, this.f.plus));
      }
      case 'U':
        return this.fmtUnicode(u < 0n ? BigInt.asUintN(64, u) : u);
      default:
        return this.badVerb(verb, v, true);
    }
  }

  /** fmt.fmtFloat with Go's defaults per verb. */
  private fmtFloat(v: number, verb: string): void {
    let fmtVerb: 'e' | 'E' | 'f' | 'g' | 'G' | undefined;
    let prec: number;
    switch (verb) {
      case 'v':
        fmtVerb = 'g';
        prec = -1;
        break;
      case 'g':
      case 'G':
        fmtVerb = verb;
        prec = -1;
        break;
      case 'f':
      case 'e':
      case 'E':
        fmtVerb = verb;
        prec = 6;
        break;
      case 'F':
        fmtVerb = 'f';
        prec = 6;
        break;
      case 'b':
      case 'x':
      case 'X':
        prec = -1;
        break;
      default:
        return this.badVerb(verb, v, true);
    }
    const f = this.f;
    if (f.precPresent) prec = f.prec;
    let num = verb === 'b' || verb === 'x' || verb === 'X' ? formatFloatBits(v, verb, prec) : formatFloat(v, fmtVerb!, prec);
    if (num[0] === '-' || num[0] === '+') {
      // keep the sign
    } else num = `+${num}`;
    if (f.space && num[0] === '+' && !f.plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = f.zero;
      f.zero = false;
      if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
      this.pad(num);
      f.zero = oldZero;
      return;
    }
    if (f.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') digits = prec === -1 ? 6 : prec;
      let tail = '';
      let body = num;
      // Go cuts the exponent at p/P, and at e/E except in hex, where e is a digit.
      const e = body.search(verb === 'x' || verb === 'X' ? /[pP]/ : /[eEpP]/);
      if (e >= 0) {
        tail = body.slice(e);
        body = body.slice(0, e);
      }
      let hasDot = false;
      let sawNonzero = false;
      for (let i = 1; i < body.length; i++) {
        const c = body[i]!;
        if (c === '.') hasDot = true;
        else {
          if (c !== '0') sawNonzero = true;
          if (sawNonzero) digits--;
        }
      }
      if (!hasDot) {
        if (body.length === 2 && body[1] === '0') digits--;
        body += '.';
      }
      while (digits > 0) {
        body += '0';
        digits--;
      }
      num = body + tail;
    }
    if (f.plus || num[0] !== '+') {
      if (f.zero && !f.minus && f.widPresent && f.wid > num.length) {
        this.buf += num[0];
        this.writePadding(f.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  private fmtComplex(v: GoComplex, verb: string): void {
    if (!'vbgGxXfFeE'.includes(verb)) return this.badVerb(verb, v, true);
    const oldPlus = this.f.plus;
    this.buf += '(';
    this.fmtFloat(v.re, verb);
    this.f.plus = true;
    this.fmtFloat(v.im, verb);
    this.buf += 'i)';
    this.f.plus = oldPlus;
  }

  private truncate(s: string): string {
    if (this.f.precPresent) {
      let n = this.f.prec;
      let i = 0;
      for (const ch of s) {
        if (--n < 0) return s.slice(0, i);
        i += ch.length;
      }
    }
    return s;
  }

  private fmtSx(bytes: Uint8Array, upper: boolean): void {
    const f = this.f;
    let length = bytes.length;
    if (f.precPresent && f.prec < length) length = f.prec;
    let width = 2 * length;
    if (width > 0) {
      if (f.space) {
        if (f.sharp) width *= 2;
        width += length - 1;
      } else if (f.sharp) width += 2;
    } else {
      if (f.widPresent) this.writePadding(f.wid);
      return;
    }
    if (f.widPresent && f.wid > width && !f.minus) this.writePadding(f.wid - width);
    const prefix = upper ? '0X' : '0x';
    let out = f.sharp ? prefix : '';
    for (let i = 0; i < length; i++) {
      if (f.space && i > 0) {
        out += ' ';
        if (f.sharp) out += prefix;
      }
      const h = bytes[i]!.toString(16).padStart(2, '0');
      out += upper ? h.toUpperCase() : h;
    }
    this.buf += out;
    if (f.widPresent && f.wid > width && f.minus) this.writePadding(f.wid - width);
  }

  private fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.f.sharp && canBackquote(s)) {
      this.pad(`\`${s}\``);
      return;
    }
    this.pad(quote(s, this.f.plus));
  }

  private fmtString(v: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.fmtQ(v);
        else this.pad(this.truncate(v));
        return;
      case 's':
        return this.pad(this.truncate(v));
      case 'x':
        return this.fmtSx(utf8Encode(v), false);
      case 'X':
        return this.fmtSx(utf8Encode(v), true);
      case 'q':
        return this.fmtQ(v);
      default:
        return this.badVerb(verb, v, true);
    }
  }

  /** Go's handleMethods for the Stringers we have (time.Time, *semver.Version). */
  private handleMethods(v: unknown, verb: string): boolean {
    if (this.erroring || !(v instanceof GoObject)) return false;
    if (this.f.sharpV) return false;
    if (verb === 'v' || verb === 's' || verb === 'x' || verb === 'X' || verb === 'q') {
      const s = v.goString();
      if (s === undefined) return false;
      this.fmtString(s, verb);
      return true;
    }
    return false;
  }

  /** printArg (depth 0) and printValue (depth > 0) in one: `v` is never a boxed interface here. */
  printArg(v: unknown, verb: string, depth: number): void {
    if (depth === 0) {
      this.arg = v;
      this.hasArg = true;
      if (v === null || v === undefined) {
        if (verb === 'T' || verb === 'v') this.pad('<nil>');
        else this.badVerb(verb, v, false);
        return;
      }
      if (verb === 'T') {
        this.pad(this.truncate(goTypeName(v)));
        return;
      }
      if (verb === 'p') throw new UnsupportedFormat('%p (a memory address)');
    } else if (v === null || v === undefined) {
      // An interface element holding nil.
      if (this.f.sharpV) this.buf += 'interface {}(nil)';
      else this.buf += '<nil>';
      return;
    }
    if (this.handleMethods(v, verb)) return;
    switch (typeof v) {
      case 'boolean':
        return this.fmtBoolean(v, verb);
      case 'number':
        return this.fmtFloat(v, verb);
      case 'string':
        return this.fmtString(v, verb);
      default:
        break;
    }
    if (v instanceof GoInt) return this.fmtInteger(v, verb);
    if (v instanceof GoComplex) return this.fmtComplex(v, verb);
    if (v instanceof GoPointer) return this.fmtPointer(v, verb, depth);
    if (v instanceof GoObject) {
      const fields = this.f.sharpV ? undefined : v.structFields();
      if (fields) {
        this.buf += '{';
        fields.forEach((field, i) => {
          if (i > 0) this.buf += ' ';
          this.printArg(field, verb, depth + 1);
        });
        this.buf += '}';
        return;
      }
      if (this.f.sharpV) this.buf += v.goType.name;
      this.buf += v.formatPlain();
      return;
    }
    if (v instanceof Uint8Array) return this.fmtBytes(v, verb);
    if (typeof v !== 'object') {
      this.buf += '?';
      return;
    }
    if (this.open.has(v)) throw new GoStackOverflow('printing');
    this.open.add(v);
    try {
      if (Array.isArray(v)) this.printSlice(v, verb, depth);
      else this.printMap(v as Record<string, unknown>, verb, depth);
    } finally {
      this.open.delete(v);
    }
  }

  /**
   * fmt's fmtPointer: a nil one is <nil> for %v and 0 for the integer verbs; any other verb is
   * a bad verb, which shows the target (`&{…}`). A non-nil pointer's address we cannot know.
   */
  private fmtPointer(v: GoPointer, verb: string, depth: number): void {
    const nil = v.target === null;
    if (verb === 'v' && nil) {
      if (this.f.sharpV) this.buf += `(${v.goType.name})(nil)`;
      else this.pad('<nil>');
    } else if (verb === 'v' && depth === 0 && !this.f.sharpV && v.target !== undefined) this.buf += `&${v.target}`;
    else if ('bodxX'.includes(verb) && nil) this.fmtIntegerBase(0n, verb === 'd' ? 10 : verb === 'b' ? 2 : verb === 'o' ? 8 : 16, verb, verb === 'X');
    else if ('vpbodxX'.includes(verb) || v.target === undefined) throw new UnsupportedFormat(`the address of a ${v.goType.name}`);
    else this.badVerb(verb, v, true);
  }

  private fmtBytes(v: Uint8Array, verb: string): void {
    switch (verb) {
      case 'v':
      case 'd':
        if (this.f.sharpV) {
          this.buf += `[]byte{${[...v].map((b) => `0x${b.toString(16)}`).join(', ')}}`;
        } else {
          this.buf += '[';
          v.forEach((b, i) => {
            if (i > 0) this.buf += ' ';
            this.fmtIntegerBase(BigInt(b), 10, verb, false);
          });
          this.buf += ']';
        }
        return;
      case 's':
        return this.pad(this.truncate(utf8Decode(v)));
      case 'x':
        return this.fmtSx(v, false);
      case 'X':
        return this.fmtSx(v, true);
      case 'q':
        return this.fmtQ(utf8Decode(v));
      default:
        this.printSlice([...v].map((b) => new GoInt({ name: 'uint8', kind: 'uint8' }, BigInt(b))), verb, 0);
    }
  }

  private printSlice(v: unknown[], verb: string, depth: number): void {
    const type = typeOf(v)!;
    if (this.f.sharpV) {
      this.buf += `${type.name}{`;
      v.forEach((e, i) => {
        if (i > 0) this.buf += ', ';
        this.printElem(e, verb, depth + 1, type.elem?.kind === 'interface');
      });
      this.buf += '}';
      return;
    }
    this.buf += '[';
    v.forEach((e, i) => {
      if (i > 0) this.buf += ' ';
      this.printElem(e, verb, depth + 1, type.elem?.kind === 'interface');
    });
    this.buf += ']';
  }

  private printMap(m: Record<string, unknown>, verb: string, depth: number): void {
    const type = typeOf(m)!;
    const iface = type.elem?.kind === 'interface';
    if (this.f.sharpV) this.buf += `${type.name}{`;
    else this.buf += 'map[';
    sortedKeys(m).forEach((k, i) => {
      if (i > 0) this.buf += this.f.sharpV ? ', ' : ' ';
      this.printArg(k, verb, depth + 1);
      this.buf += ':';
      this.printElem(m[k], verb, depth + 1, iface);
    });
    this.buf += this.f.sharpV ? '}' : ']';
  }

  /** An element of an interface{} container prints `<nil>` for nil whatever the verb. */
  private printElem(e: unknown, verb: string, depth: number, iface: boolean): void {
    if ((e === null || e === undefined) && iface) {
      this.buf += this.f.sharpV ? 'interface {}(nil)' : '<nil>';
      return;
    }
    this.printArg(e, verb, depth);
  }

  get currentArg(): unknown {
    return this.hasArg ? this.arg : undefined;
  }
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((arg, i) => {
    const isString = typeof arg === 'string';
    if (i > 0 && !isString && !prevString) p.buf += ' ';
    p.clearFlags();
    p.printArg(arg, 'v', 0);
    prevString = isString;
  });
  return p.buf;
}

/** fmt.Sprintln: always a space between operands, and a newline. */
export function sprintln(args: readonly unknown[]): string {
  const p = new Printer();
  args.forEach((arg, i) => {
    if (i > 0) p.buf += ' ';
    p.clearFlags();
    p.printArg(arg, 'v', 0);
  });
  return `${p.buf}\n`;
}

/** `fmt.Sprint(v)` of one value: what an action prints. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  const p = new Printer();
  p.printArg(v, 'v', 0);
  return p.buf;
}

function parsenum(s: string, start: number, end: number): { num: number; isnum: boolean; newi: number } {
  if (start >= end) return { num: 0, isnum: false, newi: end };
  let num = 0;
  let isnum = false;
  let i = start;
  for (; i < end && s[i]! >= '0' && s[i]! <= '9'; i++) {
    if (num > 1e6 || num < -1e6) return { num: 0, isnum: false, newi: end };
    num = num * 10 + (s.charCodeAt(i) - 48);
    isnum = true;
  }
  return { num, isnum, newi: i };
}

function intFromArg(a: readonly unknown[], argNum: number): { num: number; isInt: boolean; newArgNum: number } {
  let num = 0;
  let isInt = false;
  let newArgNum = argNum;
  if (argNum < a.length) {
    const v = a[argNum];
    if (v instanceof GoInt) {
      const n = v.v;
      if (n >= -(2n ** 63n) && n < 2n ** 63n) {
        num = Number(n);
        isInt = true;
      }
    }
    newArgNum = argNum + 1;
    if (num > 1e6 || num < -1e6) {
      num = 0;
      isInt = false;
    }
  }
  return { num, isInt, newArgNum };
}

/** fmt.Sprintf with Go's format language and its error annotations. */
export function sprintf(format: string, a: readonly unknown[]): string {
  const p = new Printer();
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;

  const argNumber = (argN: number, i: number): { argNum: number; i: number; found: boolean } => {
    if (format.length <= i || format[i] !== '[') return { argNum: argN, i, found: false };
    reordered = true;
    // parseArgNumber
    const rest = format.slice(i);
    let index = 0;
    let wid = 1;
    let ok = false;
    if (rest.length >= 3) {
      for (let j = 1; j < rest.length; j++) {
        if (rest[j] === ']') {
          const r = parsenum(rest, 1, j);
          if (!r.isnum || r.newi !== j) {
            wid = j + 1;
            ok = false;
          } else {
            index = r.num - 1;
            wid = j + 1;
            ok = true;
          }
          break;
        }
      }
    }
    if (ok && index >= 0 && index < a.length) return { argNum: index, i: i + wid, found: true };
    goodArgNum = false;
    return { argNum: argN, i: i + wid, found: ok };
  };

  let i = 0;
  formatLoop: while (i < end) {
    goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== '%') i++;
    if (i > lasti) p.buf += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    p.clearFlags();
    const f = p.f;
    simple: for (; i < end; i++) {
      const c = format[i]!;
      switch (c) {
        case '#':
          f.sharp = true;
          break;
        case '0':
          f.zero = true;
          break;
        case '+':
          f.plus = true;
          break;
        case '-':
          f.minus = true;
          break;
        case ' ':
          f.space = true;
          break;
        default:
          if (c >= 'a' && c <= 'z' && argNum < a.length) {
            if (c === 'v') {
              f.sharpV = f.sharp;
              f.sharp = false;
              f.plusV = f.plus;
              f.plus = false;
            }
            p.printArg(a[argNum], c, 0);
            argNum++;
            i++;
            continue formatLoop;
          }
          break simple;
      }
    }
    let r = argNumber(argNum, i);
    argNum = r.argNum;
    i = r.i;
    afterIndex = r.found;
    if (i < end && format[i] === '*') {
      i++;
      const w = intFromArg(a, argNum);
      f.wid = w.num;
      f.widPresent = w.isInt;
      argNum = w.newArgNum;
      if (!f.widPresent) p.buf += '%!(BADWIDTH)';
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
      afterIndex = false;
    } else {
      const w = parsenum(format, i, end);
      f.wid = w.num;
      f.widPresent = w.isnum;
      i = w.newi;
      if (afterIndex && f.widPresent) goodArgNum = false;
    }
    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      r = argNumber(argNum, i);
      argNum = r.argNum;
      i = r.i;
      afterIndex = r.found;
      if (i < end && format[i] === '*') {
        i++;
        const pr = intFromArg(a, argNum);
        f.prec = pr.num;
        f.precPresent = pr.isInt;
        argNum = pr.newArgNum;
        if (f.prec < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!f.precPresent) p.buf += '%!(BADPREC)';
        afterIndex = false;
      } else {
        const pr = parsenum(format, i, end);
        f.prec = pr.num;
        f.precPresent = pr.isnum;
        i = pr.newi;
        if (!f.precPresent) {
          f.prec = 0;
          f.precPresent = true;
        }
      }
    }
    if (!afterIndex) {
      r = argNumber(argNum, i);
      argNum = r.argNum;
      i = r.i;
      afterIndex = r.found;
    }
    if (i >= end) {
      p.buf += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') p.buf += '%';
    else if (!goodArgNum) p.buf += `%!${verb}(BADINDEX)`;
    else if (argNum >= a.length) p.buf += `%!${verb}(MISSING)`;
    else {
      if (verb === 'v') {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plusV = f.plus;
        f.plus = false;
      }
      if (verb === 'w') {
        const w = a[argNum];
        p.buf += w === null || w === undefined ? '%!w(<nil>)' : `%!w(${goTypeName(w)}=${formatValue(w)})`;
      }
      else p.printArg(a[argNum], verb, 0);
      argNum++;
    }
  }
  if (!reordered && argNum < a.length) {
    p.clearFlags();
    p.buf += '%!(EXTRA ';
    a.slice(argNum).forEach((arg, j) => {
      if (j > 0) p.buf += ', ';
      if (arg === null || arg === undefined) p.buf += '<nil>';
      else {
        p.buf += `${goTypeName(arg)}=`;
        p.printArg(arg, 'v', 0);
      }
    });
    p.buf += ')';
  }
  return p.buf;
}

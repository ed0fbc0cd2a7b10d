/**
 * The parts of Go's strconv the template engine needs: quoting (`%q`, `quote`, error texts),
 * unquoting template literals, Go's number syntax, and float formatting with Go's exact digits.
 */
import { utf8Decode, utf8Encode } from './utf8';

/** strconv.ErrSyntax's text, which the template parser reports as is. */
export class SyntaxError extends Error {
  constructor() {
    super('invalid syntax');
  }
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go's unicode.IsPrint (strconv.IsPrint): letters, marks, numbers, punctuation, symbols and ASCII space. */
export function isPrint(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

const HEX = '0123456789abcdef';

function escapeRune(cp: number, quote: string, asciiOnly: boolean): string {
  const ch = String.fromCodePoint(cp);
  if (ch === quote || ch === '\\') return `\\${ch}`;
  if (asciiOnly ? cp < 0x80 && isPrint(cp) : isPrint(cp)) return ch;
  switch (cp) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return `\\x${HEX[cp >> 4]}${HEX[cp & 15]}`;
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // a lone surrogate is not a valid rune
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** strconv.Quote (and QuoteToASCII with asciiOnly). */
export function quote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    // A raw byte (invalid UTF-8, see value.ts utf8Encode) is quoted as Go does: \xNN.
    out += cp >= 0xdc80 && cp <= 0xdcff ? `\\x${HEX[(cp >> 4) & 15]}${HEX[cp & 15]}` : escapeRune(cp, '"', asciiOnly);
  }
  return out + '"';
}

/** strconv.QuoteRune (and QuoteRuneToASCII). */
export function quoteRune(cp: number, asciiOnly = false): string {
  if (cp > 0x10ffff || cp < 0 || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  return `'${escapeRune(cp, "'", asciiOnly)}'`;
}

/** strconv.CanBackquote. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0xfeff || (cp >= 0xdc80 && cp <= 0xdcff)) return false;
    if (cp < 0x20 ? cp !== 9 : cp === 0x60 || cp === 0x7f) return false;
  }
  return true;
}

function unhex(c: string): number {
  const n = parseInt(c, 16);
  return /^[0-9a-fA-F]$/.test(c) ? n : -1;
}

/**
 * strconv.UnquoteChar over a JS string: the value (a code point, or a raw byte for `\x` and
 * octal escapes, flagged by `byte`) and the rest of the input.
 */
export function unquoteChar(s: string, q: string): { value: number; byte: boolean; tail: string } {
  if (s.length === 0) throw new SyntaxError();
  const c = s[0]!;
  if (c === q && (q === "'" || q === '"')) throw new SyntaxError();
  if (c !== '\\') {
    const cp = s.codePointAt(0)!;
    return { value: cp, byte: false, tail: s.slice(cp > 0xffff ? 2 : 1) };
  }
  if (s.length <= 1) throw new SyntaxError();
  const e = s[1]!;
  let rest = s.slice(2);
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
  if (e in simple) return { value: simple[e]!, byte: false, tail: rest };
  if (e === 'x' || e === 'u' || e === 'U') {
    const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
    if (rest.length < n) throw new SyntaxError();
    let v = 0;
    for (let j = 0; j < n; j++) {
      const x = unhex(rest[j]!);
      if (x < 0) throw new SyntaxError();
      v = v * 16 + x;
    }
    rest = rest.slice(n);
    if (e === 'x') return { value: v, byte: true, tail: rest };
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxError();
    return { value: v, byte: false, tail: rest };
  }
  if (e >= '0' && e <= '7') {
    let v = e.charCodeAt(0) - 48;
    if (rest.length < 2) throw new SyntaxError();
    for (let j = 0; j < 2; j++) {
      const x = rest.charCodeAt(j) - 48;
      if (x < 0 || x > 7) throw new SyntaxError();
      v = v * 8 + x;
    }
    rest = rest.slice(2);
    if (v > 255) throw new SyntaxError();
    return { value: v, byte: true, tail: rest };
  }
  if (e === "'" || e === '"') {
    if (e !== q) throw new SyntaxError();
    return { value: e.charCodeAt(0), byte: false, tail: rest };
  }
  throw new SyntaxError();
}

/** strconv.Unquote for "…", `…` and '…' literals. Raw strings lose their carriage returns, as in Go. */
export function unquote(s: string): string {
  const n = s.length;
  if (n < 2) throw new SyntaxError();
  const q = s[0]!;
  if (q !== s[n - 1]) throw new SyntaxError();
  const body = s.slice(1, n - 1);
  if (q === '`') {
    if (body.includes('`')) throw new SyntaxError();
    return body.replace(/\r/g, '');
  }
  if (q !== '"' && q !== "'") throw new SyntaxError();
  if (body.includes('\n')) throw new SyntaxError();
  if (!body.includes('\\') && !body.includes(q)) {
    if (q === '"') return body;
    if (q === "'" && [...body].length === 1) return body;
  }
  const bytes: number[] = [];
  let rest = body;
  let runes = 0;
  while (rest.length > 0) {
    const r = unquoteChar(rest, q);
    rest = r.tail;
    runes++;
    if (r.byte) bytes.push(r.value);
    else for (const b of utf8Encode(String.fromCodePoint(r.value))) bytes.push(b);
    if (q === "'" && rest.length > 0) throw new SyntaxError();
  }
  if (q === "'" && runes !== 1) throw new SyntaxError();
  return utf8Decode(Uint8Array.from(bytes));
}

/** strconv's underscoreOK: underscores only between digits (or after a base prefix). Also used by decode.ts. */
export function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && /[bBoOxX]/.test(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

export class RangeError_ extends Error {}

/**
 * strconv.ParseUint(s, base, 64) and ParseInt: the value as a bigint, or an error
 * (SyntaxError or RangeError_) as Go reports it.
 */
export function parseGoInt(s: string, base: number, signed: boolean, bits = 64): bigint {
  if (s === '') throw new SyntaxError();
  let neg = false;
  let t = s;
  if (signed && (t[0] === '+' || t[0] === '-')) {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  if (t === '') throw new SyntaxError();
  let base0 = false;
  if (base === 0) {
    base0 = true;
    base = 10;
    if (t[0] === '0') {
      if (t.length >= 3 && /[bB]/.test(t[1]!)) {
        base = 2;
        t = t.slice(2);
      } else if (t.length >= 3 && /[oO]/.test(t[1]!)) {
        base = 8;
        t = t.slice(2);
      } else if (t.length >= 3 && /[xX]/.test(t[1]!)) {
        base = 16;
        t = t.slice(2);
      } else {
        base = 8;
        t = t.slice(1);
      }
    }
  }
  let n = 0n;
  let underscores = false;
  const b = BigInt(base);
  for (const c of t) {
    if (c === '_' && base0) {
      underscores = true;
      continue;
    }
    const d = /[0-9]/.test(c) ? c.charCodeAt(0) - 48 : /[a-z]/i.test(c) ? c.toLowerCase().charCodeAt(0) - 87 : 99;
    if (d >= base) throw new SyntaxError();
    n = n * b + BigInt(d);
  }
  if (underscores && !underscoreOK(s)) throw new SyntaxError();
  if (signed) {
    const limit = 1n << BigInt(bits - 1);
    if (!neg && n >= limit) throw new RangeError_();
    if (neg && n > limit) throw new RangeError_();
    return neg ? -n : n;
  }
  if (n >= 1n << BigInt(bits)) throw new RangeError_();
  return n;
}

/**
 * strconv.ParseFloat(s, 64): Go's syntax (underscores, hex floats, inf, nan), a range error
 * for overflow, correctly rounded decimal values (JavaScript's Number does that).
 */
export function parseGoFloat(s: string): number {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') {
      if (special[1]) throw new SyntaxError();
      return NaN;
    }
    return special[1] === '-' ? -Infinity : Infinity;
  }
  const hex = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/.exec(s);
  if (hex) {
    const intPart = hex[2]!.replace(/_/g, '');
    const frac = (hex[3] ?? '').replace(/_/g, '');
    if (intPart === '' && frac === '') throw new SyntaxError();
    if (s.includes('_') && !underscoreOK(s)) throw new SyntaxError();
    const mant = BigInt(`0x${intPart + frac || '0'}`);
    const exp = Number(hex[4]!.replace(/_/g, '')) - 4 * frac.length;
    let v = Number(mant) * Math.pow(2, exp);
    if (!Number.isFinite(v) || (mant > 0n && v === 0 && exp < -1100)) {
      if (!Number.isFinite(v)) throw new RangeError_();
    }
    if (hex[1] === '-') v = -v;
    return v;
  }
  if (!/^[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?$/.test(s)) throw new SyntaxError();
  if (!/[0-9]/.test(s.replace(/[eE].*$/, ''))) throw new SyntaxError();
  if (s.includes('_') && !underscoreOK(s)) throw new SyntaxError();
  const v = Number(s.replace(/_/g, ''));
  if (Number.isNaN(v)) throw new SyntaxError();
  if (!Number.isFinite(v)) throw new RangeError_();
  return v;
}

/** A float's decimal digits: value = 0.d1d2d3… × 10^dp. No leading or trailing zeros; "" for 0. */
interface Decimal {
  digits: string;
  dp: number;
}

/** The exact decimal expansion of a finite double (every double is a finite decimal). */
function exactDecimal(x: number): Decimal {
  x = Math.abs(x);
  if (x === 0) return { digits: '', dp: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  let digits: string;
  let dp: number;
  if (e >= 0) {
    digits = (mant << BigInt(e)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-e)).toString();
    dp = digits.length + e;
  }
  return trimDecimal({ digits, dp });
}

function trimDecimal(d: Decimal): Decimal {
  let digits = d.digits.replace(/0+$/, '');
  let dp = d.dp;
  const lead = /^0*/.exec(digits)![0].length;
  if (lead > 0) {
    digits = digits.slice(lead);
    dp -= lead;
  }
  if (digits === '') dp = 0;
  return { digits, dp };
}

/** Rounds to nd significant digits, half to even on the exact value, as Go's decimal.Round. */
function roundDecimal(d: Decimal, nd: number): Decimal {
  if (nd < 0) return { digits: '', dp: 0 };
  if (nd >= d.digits.length) return d;
  const next = d.digits.charCodeAt(nd) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (nd + 1 < d.digits.length) up = true;
  else up = nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1;
  let digits = d.digits.slice(0, nd);
  let dp = d.dp;
  if (up) {
    let i = digits.length - 1;
    while (i >= 0 && digits[i] === '9') i--;
    if (i < 0) {
      digits = '1';
      dp++;
    } else {
      digits = digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1);
    }
  }
  return trimDecimal({ digits, dp });
}

/** The shortest digits that round-trip, which JavaScript's own number printing also produces. */
function shortestDecimal(x: number): Decimal {
  x = Math.abs(x);
  if (x === 0) return { digits: '', dp: 0 };
  const s = x.toExponential();
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s)!;
  return trimDecimal({ digits: m[1]! + (m[2] ?? ''), dp: Number(m[3]) + 1 });
}

function fmtE(neg: boolean, d: Decimal, prec: number, ch: string): string {
  let out = neg ? '-' : '';
  out += d.digits.length > 0 ? d.digits[0] : '0';
  if (prec > 0) {
    out += '.';
    const tail = d.digits.slice(1, prec + 1);
    out += tail + '0'.repeat(prec - tail.length);
  }
  let exp = d.digits.length === 0 ? 0 : d.dp - 1;
  out += ch;
  out += exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  out += exp < 10 ? `0${exp}` : String(exp);
  return out;
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let out = neg ? '-' : '';
  if (d.dp > 0) {
    const m = Math.min(d.digits.length, d.dp);
    out += d.digits.slice(0, m) + '0'.repeat(d.dp - m);
  } else out += '0';
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      const j = d.dp + i;
      out += j >= 0 && j < d.digits.length ? d.digits[j] : '0';
    }
  }
  return out;
}

/**
 * strconv.FormatFloat(x, fmt, prec, 64) for fmt in e E f g G; prec -1 means the shortest
 * representation. NaN and infinities print as Go does (`NaN`, `+Inf`, `-Inf`).
 */
export function formatFloat(x: number, fmt: 'e' | 'E' | 'f' | 'g' | 'G', prec: number): string {
  if (fmt === 'g' && prec < 0) {
    // %v's common case: shortest digits between 1e-4 and 1e6 are plain notation in both languages.
    const abs = Math.abs(x);
    if (abs >= 1e-4 && abs < 1e6) return String(x);
  }
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const shortest = prec < 0;
  let d: Decimal;
  if (shortest) {
    d = shortestDecimal(x);
    if (fmt === 'e' || fmt === 'E') prec = Math.max(d.digits.length - 1, 0);
    else if (fmt === 'f') prec = Math.max(d.digits.length - d.dp, 0);
    else prec = d.digits.length;
  } else {
    const exact = exactDecimal(x);
    if (fmt === 'e' || fmt === 'E') d = roundDecimal(exact, prec + 1);
    else if (fmt === 'f') d = roundDecimal(exact, exact.dp + prec);
    else {
      if (prec === 0) prec = 1;
      d = roundDecimal(exact, prec);
    }
  }
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(neg, d, prec, fmt);
    case 'f':
      return fmtF(neg, d, prec);
    default: {
      let eprec = prec;
      if (eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length;
      if (shortest) eprec = 6;
      const exp = d.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > d.digits.length) prec = d.digits.length;
        return fmtE(neg, d, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > d.dp) prec = d.digits.length;
      return fmtF(neg, d, Math.max(prec - d.dp, 0));
    }
  }
}

/**
 * encoding/json's float64 format: shortest digits, 'f' notation unless the exponent is below
 * -6 or at least 21, with `e-07` cleaned to `e-7`.
 */
export function formatJsonFloat(x: number): string {
  const abs = Math.abs(x);
  // JavaScript prints the same shortest digits in plain notation over Go's 'f' range.
  if (abs >= 1e-6 && abs < 1e21) return String(x);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  let fmt: 'f' | 'e' = 'f';
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) fmt = 'e';
  let s = formatFloat(x, fmt, -1);
  if (fmt === 'e') {
    const n = s.length;
    if (n >= 4 && s[n - 4] === 'e' && s[n - 3] === '-' && s[n - 2] === '0') s = s.slice(0, n - 2) + s.slice(n - 1);
  }
  return s;
}

/** A float64's sign, mantissa (implicit bit included) and unbiased binary exponent, as strconv splits it. */
function floatParts(x: number): { neg: boolean; mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const neg = bits >> 63n === 1n;
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  return { neg, mant, exp: exp - 1023 };
}

/**
 * strconv.FormatFloat(x, 'b' | 'x' | 'X', prec, 64): `-ddddp±ddd` (a decimal mantissa and a
 * binary exponent; prec is ignored) or `-0x1.hhhhp±dd` (hex, rounded half to even to `prec`
 * hex digits; -1 means as many as needed).
 */
export function formatFloatBits(x: number, fmt: 'b' | 'x' | 'X', prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const p = floatParts(x);
  const sign = p.neg ? '-' : '';
  if (fmt === 'b') {
    const e = p.exp - 52;
    return `${sign}${p.mant}p${e >= 0 ? '+' : ''}${e}`;
  }
  let mant = p.mant;
  let exp = mant === 0n ? 0 : p.exp;
  // The leading 1 (if any) at bit 60, then rounded to prec hex digits.
  mant <<= 8n;
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & ((1n << 60n) - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = fmt === 'X' ? '0123456789ABCDEF' : HEX;
  let out = `${sign}0${fmt}${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  const digit = (): string => {
    const d = hex[Number((mant >> 60n) & 15n)]!;
    mant = (mant << 4n) & ((1n << 64n) - 1n);
    return d;
  };
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) out += digit();
  } else if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) out += digit();
  }
  const a = Math.abs(exp);
  return `${out}${fmt === 'X' ? 'P' : 'p'}${exp < 0 ? '-' : '+'}${a < 10 ? `0${a}` : a}`;
}

/**
 * sprig's regex functions over Go's regexp package: RE2 syntax translated to a JavaScript
 * RegExp (both are leftmost-first), Go's rules for successive matches, `$1`/`${name}`
 * expansion and Split. Syntax Go rejects (backreferences, lookaround) is rejected here too.
 */
import type { FuncDef } from '../funcs';
import { fn } from '../funcs';
import { canBackquote, quote } from '../../go/strconv';
import type { GoInt } from '../value';
import { GoError, GoPanic, SLICE_STRING, nilSlice, withType } from '../value';
import { rawByteIndex } from '../../go/utf8';

export class RegexpSyntaxError extends Error {}

interface Compiled {
  readonly re: RegExp;
  /** Capture group names by group number (index 0 is the whole match). */
  readonly names: string[];
}

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const JS_SYNTAX = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/']);

/** A literal character inside a JavaScript class (u mode). */
function classChar(d: string): string {
  return d === '[' || d === '/' || d === ']' || d === '-' || d === '^' ? `\\${d}` : d;
}

function err(code: string, expr: string): never {
  throw new RegexpSyntaxError(`error parsing regexp: ${code}: \`${expr}\``);
}

function unicodeClass(name: string, negate: boolean): string {
  const general = /^(?:L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|S[mcko]?|Z[slp]?|C[cfso]?)$/.test(name);
  const prop = general ? name : name === 'Any' ? 'Any' : `Script=${name}`;
  if (prop === 'Any') return negate ? '[^\\s\\S]' : '[\\s\\S]';
  return `\\${negate ? 'P' : 'p'}{${prop}}`;
}

/** Translates Go (RE2) syntax to a JavaScript pattern with the `u` flag. */
export function compileGoRegexp(expr: string): Compiled {
  // Go's parser stops at the first byte that is not UTF-8 and quotes the rest of the expression.
  const raw = rawByteIndex(expr);
  if (raw >= 0) err('invalid UTF-8', expr.slice(raw));
  let flags = 'u';
  let i = 0;
  let dotAll = false;
  const lead = /^\(\?([imsU]+)\)/.exec(expr);
  if (lead) {
    if (lead[1]!.includes('U')) throw new RegexpSyntaxError('KrakenD Live does not support the (?U) flag');
    if (lead[1]!.includes('i')) flags += 'i';
    if (lead[1]!.includes('m')) flags += 'm';
    if (lead[1]!.includes('s')) dotAll = true;
    i = lead[0].length;
  }
  const names: string[] = [''];
  let out = '';
  let depth = 0;
  const n = expr.length;
  const lastAtom = (): boolean => out.length > 0 && !/[(|]$/.test(out);
  const escape = (inClass: boolean): string => {
    // expr[i] is the backslash
    const c = expr[i + 1];
    if (c === undefined) err('trailing backslash at end of expression', '');
    i += 2;
    switch (c) {
      case 'A':
        return '(?<![\\s\\S])';
      case 'z':
        return '(?![\\s\\S])';
      case 'a':
        return '\\x07';
      case 'f':
      case 't':
      case 'n':
      case 'r':
      case 'v':
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return `\\${c}`;
      case 'b':
      case 'B':
        if (inClass) err('invalid escape sequence', `\\${c}`);
        return `\\${c}`;
      case 's':
        return inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
      case 'S':
        return inClass ? '\\S' : '[^\\t\\n\\f\\r ]';
      case 'x': {
        if (expr[i] === '{') {
          const close = expr.indexOf('}', i);
          if (close < 0) err('invalid escape sequence', expr.slice(i - 2));
          const hex = expr.slice(i + 1, close);
          i = close + 1;
          return `\\u{${hex}}`;
        }
        const hex = expr.slice(i, i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) err('invalid escape sequence', `\\x${hex}`);
        i += 2;
        return `\\x${hex}`;
      }
      case 'p':
      case 'P': {
        let name: string;
        if (expr[i] === '{') {
          const close = expr.indexOf('}', i);
          if (close < 0) err('invalid character class range', expr.slice(i - 2));
          name = expr.slice(i + 1, close);
          i = close + 1;
        } else {
          name = expr[i] ?? '';
          i++;
        }
        let negate = c === 'P';
        if (name.startsWith('^')) {
          negate = !negate;
          name = name.slice(1);
        }
        return unicodeClass(name, negate);
      }
      case 'Q': {
        const end = expr.indexOf('\\E', i);
        const lit = end < 0 ? expr.slice(i) : expr.slice(i, end);
        i = end < 0 ? n : end + 2;
        return [...lit].map((ch) => (JS_SYNTAX.has(ch) || ch === '-' ? `\\${ch}` : ch)).join('');
      }
      default:
        break;
    }
    if (/[0-7]/.test(c)) {
      // Octal \123 (Go requires it not to look like a backreference: \0 or three digits).
      if (c !== '0' && !/^[0-7]{2}/.test(expr.slice(i))) err('invalid escape sequence', `\\${c}`);
      let digits = c;
      while (digits.length < 3 && /[0-7]/.test(expr[i] ?? '')) digits += expr[i++];
      return `\\u{${parseInt(digits, 8).toString(16)}}`;
    }
    if (/[A-Za-z0-9]/.test(c)) err('invalid escape sequence', `\\${c}`);
    if (JS_SYNTAX.has(c) || (inClass && c === '-')) return `\\${c}`;
    return c;
  };
  while (i < n) {
    const c = expr[i]!;
    if (c === '\\') {
      out += escape(false);
      continue;
    }
    if (c === '[') {
      const start = i;
      let cls = '[';
      i++;
      if (expr[i] === '^') {
        cls += '^';
        i++;
      }
      let first = true;
      for (;;) {
        if (i >= n) err('missing closing ]', expr.slice(start));
        const d = expr[i]!;
        if (d === ']' && !first) {
          i++;
          break;
        }
        first = false;
        if (d === '[' && expr[i + 1] === ':') {
          const close = expr.indexOf(':]', i + 2);
          if (close > 0) {
            let name = expr.slice(i + 2, close);
            const neg = name.startsWith('^');
            if (neg) name = name.slice(1);
            const set = POSIX[name];
            if (!set) err('invalid character class range', expr.slice(i, close + 2));
            if (neg) throw new RegexpSyntaxError('KrakenD Live does not support negated POSIX classes');
            cls += set;
            i = close + 2;
            continue;
          }
        }
        if (d === '\\') {
          cls += escape(true);
          continue;
        }
        // A range lo-hi: Go refuses one that runs backwards, quoting it.
        const lo = expr.codePointAt(i)!;
        const loLen = lo > 0xffff ? 2 : 1;
        if (expr[i + loLen] === '-' && i + loLen + 1 < n && expr[i + loLen + 1] !== ']' && expr[i + loLen + 1] !== '\\') {
          const hi = expr.codePointAt(i + loLen + 1)!;
          const hiLen = hi > 0xffff ? 2 : 1;
          if (hi < lo) err('invalid character class range', expr.slice(i, i + loLen + 1 + hiLen));
          cls += `${classChar(expr.slice(i, i + loLen))}-${classChar(expr.slice(i + loLen + 1, i + loLen + 1 + hiLen))}`;
          i += loLen + 1 + hiLen;
          continue;
        }
        cls += classChar(d);
        i++;
      }
      out += `${cls}]`;
      continue;
    }
    if (c === '(') {
      if (expr.startsWith('(?P<', i) || (expr.startsWith('(?<', i) && expr[i + 3] !== '=' && expr[i + 3] !== '!')) {
        const start = expr.indexOf('<', i) + 1;
        const close = expr.indexOf('>', start);
        if (close < 0) err('invalid named capture', expr.slice(i));
        const name = expr.slice(start, close);
        if (!/^[A-Za-z0-9_]+$/.test(name)) err('invalid named capture', expr.slice(i, close + 1));
        if (names.includes(name)) err('duplicate capture group name', expr.slice(i, close + 1));
        names.push(name);
        out += `(?<${name}>`;
        i = close + 1;
        depth++;
        continue;
      }
      if (expr.startsWith('(?:', i)) {
        out += '(?:';
        i += 3;
        depth++;
        continue;
      }
      if (expr[i + 1] === '?') {
        const m = /^\(\?([a-zA-Z]*)(:|\))/.exec(expr.slice(i));
        if (m) throw new RegexpSyntaxError(`KrakenD Live does not support inline regexp flags other than at the start: \`${m[0]}\``);
        err('invalid or unsupported Perl syntax', expr.slice(i, i + 3));
      }
      names.push('');
      out += '(';
      i++;
      depth++;
      continue;
    }
    if (c === ')') {
      if (depth === 0) err('unexpected )', expr);
      depth--;
      out += ')';
      i++;
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      if (!lastAtom()) err('missing argument to repetition operator', c);
      if (/[*+?]$/.test(out) && !/\\[*+?]$/.test(out) && !(c === '?' && !/[*+?]\?$/.test(out))) err('invalid nested repetition operator', expr.slice(i - 1, i + 1));
      out += c;
      i++;
      continue;
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(expr.slice(i));
      if (!m) {
        out += '\\{';
        i++;
        continue;
      }
      if (!lastAtom()) err('missing argument to repetition operator', m[0]);
      const lo = Number(m[1]);
      const hi = m[3] ? Number(m[3]) : m[2] ? -1 : lo;
      if (lo > 1000 || hi > 1000 || (hi >= 0 && hi < lo)) err('invalid repeat count', m[0]);
      out += m[0];
      i += m[0].length;
      continue;
    }
    if (c === '}' || c === ']') {
      // A literal to Go; a syntax error to a u-mode RegExp unless escaped.
      out += `\\${c}`;
      i++;
      continue;
    }
    if (c === '.') {
      out += dotAll ? '[\\s\\S]' : '[^\\n]';
      i++;
      continue;
    }
    if (c === '/') {
      out += '\\/';
      i++;
      continue;
    }
    out += c;
    i++;
  }
  if (depth > 0) err('missing closing )', expr);
  try {
    return { re: new RegExp(out, `${flags}g`), names };
  } catch (e) {
    throw new RegexpSyntaxError(`error parsing regexp: ${(e as Error).message}`);
  }
}

const cache = new Map<string, Compiled>();

function compile(expr: string): Compiled {
  let c = cache.get(expr);
  if (!c) {
    c = compileGoRegexp(expr);
    if (cache.size > 500) cache.clear();
    cache.set(expr, c);
  }
  return c;
}

/** regexp.MustCompile's panic text. */
function mustCompile(expr: string): Compiled {
  try {
    return compile(expr);
  } catch (e) {
    if (e instanceof RegexpSyntaxError) {
      const q = canBackquote(expr) ? `\`${expr}\`` : quote(expr);
      throw new GoPanic(`regexp: Compile(${q}): ${e.message}`);
    }
    throw e;
  }
}

function tryCompile(expr: string): Compiled {
  try {
    return compile(expr);
  } catch (e) {
    if (e instanceof RegexpSyntaxError) throw new GoError(e.message);
    throw e;
  }
}

/** Go's allMatches: successive matches, ignoring an empty match right after a previous one. */
function allMatches(c: Compiled, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  if (n < 0) n = s.length + 1;
  const re = c.re;
  let pos = 0;
  let prevMatchEnd = -1;
  while (out.length < n && pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    let accept = true;
    if (end === start) {
      if (start === prevMatchEnd) accept = false;
      const cp = s.codePointAt(start);
      pos = start + (cp !== undefined && cp > 0xffff ? 2 : 1);
    } else pos = end;
    prevMatchEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

/** Go's template expansion: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expand(template: string, m: RegExpExecArray, names: readonly string[]): string {
  let out = '';
  let t = template;
  for (;;) {
    const k = t.indexOf('$');
    if (k < 0) break;
    out += t.slice(0, k);
    t = t.slice(k + 1);
    if (t.startsWith('$')) {
      out += '$';
      t = t.slice(1);
      continue;
    }
    let brace = false;
    let rest = t;
    if (rest.startsWith('{')) {
      brace = true;
      rest = rest.slice(1);
    }
    const nm = /^[\p{L}\p{Nd}_]+/u.exec(rest);
    if (!nm || (brace && rest[nm[0].length] !== '}')) {
      out += '$';
      continue;
    }
    const name = nm[0];
    t = rest.slice(name.length + (brace ? 1 : 0));
    let num = /^\d+$/.test(name) && name.length < 9 ? Number(name) : -1;
    if (name[0] === '0' && name.length > 1) num = -1;
    if (num >= 0) {
      if (num < m.length && m[num] !== undefined) out += m[num];
    } else {
      const gi = names.indexOf(name);
      if (gi > 0 && m[gi] !== undefined) out += m[gi];
    }
  }
  return out + t;
}

function replaceAll(c: Compiled, s: string, repl: string, literal: boolean): string {
  let out = '';
  let last = 0;
  for (const m of allMatches(c, s, -1)) {
    out += s.slice(last, m.index);
    out += literal ? repl : expand(repl, m, c.names);
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}

function split(c: Compiled, expr: string, s: string, n: number): string[] {
  if (n === 0) return nilSlice([]);
  if (expr.length > 0 && s.length === 0) return [''];
  const matches = allMatches(c, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length !== 0) out.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

function strings(v: string[]): string[] {
  return withType(v, SLICE_STRING);
}

const s = (v: unknown): string => v as string;
const num = (v: unknown): number => Number((v as GoInt).v);

/** regexp.QuoteMeta. */
export function quoteMeta(str: string): string {
  return str.replace(/[\\.+*?()|[\]{}^$]/g, (ch) => `\\${ch}`);
}

function findAll(c: Compiled, str: string, n: number): string[] | null {
  const ms = allMatches(c, str, n);
  return ms.length === 0 ? null : ms.map((m) => m[0]);
}

export const REGEX_FUNCS: Record<string, FuncDef> = {
  regexMatch: fn('string, string', 'bool', (a) => {
    try {
      const c = compile(s(a[0]));
      c.re.lastIndex = 0;
      return c.re.test(s(a[1]));
    } catch (e) {
      if (e instanceof RegexpSyntaxError) return false;
      throw e;
    }
  }),
  mustRegexMatch: fn('string, string', 'bool', (a) => {
    const c = tryCompile(s(a[0]));
    c.re.lastIndex = 0;
    return c.re.test(s(a[1]));
  }),
  regexFindAll: fn('string, string, int', '[]string', (a) => strings(findAll(mustCompile(s(a[0])), s(a[1]), num(a[2])) ?? nilSlice([]))),
  mustRegexFindAll: fn('string, string, int', '[]string', (a) => strings(findAll(tryCompile(s(a[0])), s(a[1]), num(a[2])) ?? nilSlice([]))),
  regexFind: fn('string, string', 'string', (a) => allMatches(mustCompile(s(a[0])), s(a[1]), 1)[0]?.[0] ?? ''),
  mustRegexFind: fn('string, string', 'string', (a) => allMatches(tryCompile(s(a[0])), s(a[1]), 1)[0]?.[0] ?? ''),
  regexReplaceAll: fn('string, string, string', 'string', (a) => replaceAll(mustCompile(s(a[0])), s(a[1]), s(a[2]), false)),
  mustRegexReplaceAll: fn('string, string, string', 'string', (a) => replaceAll(tryCompile(s(a[0])), s(a[1]), s(a[2]), false)),
  regexReplaceAllLiteral: fn('string, string, string', 'string', (a) => replaceAll(mustCompile(s(a[0])), s(a[1]), s(a[2]), true)),
  mustRegexReplaceAllLiteral: fn('string, string, string', 'string', (a) => replaceAll(tryCompile(s(a[0])), s(a[1]), s(a[2]), true)),
  regexSplit: fn('string, string, int', '[]string', (a) => strings(split(mustCompile(s(a[0])), s(a[0]), s(a[1]), num(a[2])))),
  mustRegexSplit: fn('string, string, int', '[]string', (a) => strings(split(tryCompile(s(a[0])), s(a[0]), s(a[1]), num(a[2])))),
  regexQuoteMeta: fn('string', 'string', (a) => quoteMeta(s(a[0]))),
};

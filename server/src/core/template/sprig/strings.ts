/**
 * sprig v3.2.3's string functions (strings.go and functions.go) and the helpers they call in
 * Masterminds/goutils and huandu/xstrings, with Go's byte-oriented string semantics where
 * they show (trunc, substr, abbrev, initials and nospace work on UTF-8 bytes).
 */
import type { FuncDef } from '../funcs';
import { fn } from '../funcs';
import { formatValue, sprintf } from '../fmt';
import { quote as goQuote } from '../../go/strconv';
import type { GoInt } from '../value';
import { GoError, GoPanic, MAP_STRING_STRING, SLICE_STRING, byteSlice, mapSet, withType } from '../value';
import { goRunes, isAscii, utf8Decode, utf8Encode, utf8Length } from '../../go/utf8';
import { strslice, strval } from './util';

const UPPER = /^\p{Lu}$/u;
const LOWER = /^\p{Ll}$/u;
const TITLE = /^\p{Lt}$/u;
const LETTER = /^\p{L}$/u;
const NUMBER = /^\p{N}$/u;
const DIGIT = /^\p{Nd}$/u;
const PUNCT = /^\p{P}$/u;

/** Go's unicode.IsSpace. */
export function isGoSpace(cp: number): boolean {
  if (cp <= 0xff) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0;
  return cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000;
}

const isUpper = (c: string): boolean => UPPER.test(c);
const isLower = (c: string): boolean => LOWER.test(c);
const isLetter = (c: string): boolean => LETTER.test(c);

/** unicode.ToUpper of one rune: JavaScript's mapping unless it expands (Go never expands: ß stays ß). */
function runeUpper(c: string): string {
  const u = c.toUpperCase();
  return [...u].length === 1 ? u : c;
}

function runeLower(c: string): string {
  const l = c.toLowerCase();
  const cps = [...l];
  return cps.length === 1 ? l : cps[0]!;
}

/** unicode.ToTitle: the title-case letter where one exists (ǆ → ǅ), otherwise upper case. */
function runeTitle(c: string): string {
  const special: Record<string, string> = { ǆ: 'ǅ', Ǆ: 'ǅ', ǅ: 'ǅ', ǉ: 'ǈ', Ǉ: 'ǈ', ǈ: 'ǈ', ǌ: 'ǋ', Ǌ: 'ǋ', ǋ: 'ǋ', ǳ: 'ǲ', Ǳ: 'ǲ', ǲ: 'ǲ' };
  return special[c] ?? runeUpper(c);
}

export function goToUpper(s: string): string {
  if (isAscii(s)) return s.toUpperCase();
  let out = '';
  for (const c of s) out += runeUpper(c);
  return out;
}

export function goToLower(s: string): string {
  if (isAscii(s)) return s.toLowerCase();
  let out = '';
  for (const c of s) out += runeLower(c);
  return out;
}

/** strings.TrimSpace (Go's notion of space, without U+FEFF). */
export function trimSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isGoSpace(s.charCodeAt(a))) a++;
  while (b > a && isGoSpace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

/** strings.Title: upper-cases the first letter of every word (words split by non-letters). */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const c of s) {
    out += isSeparator(prev) ? runeTitle(c) : c;
    prev = c;
  }
  return out;
}

function isSeparator(c: string): boolean {
  const cp = c.codePointAt(0)!;
  if (cp <= 0x7f) return !/[0-9A-Za-z_]/.test(c);
  if (LETTER.test(c) || DIGIT.test(c)) return false;
  return isGoSpace(cp);
}

/** strings.Trim(s, cutset). */
/** The rune Go decodes for one code point of ours: a raw byte (or lone surrogate) is U+FFFD. */
function decodedRune(c: string): number {
  const cp = c.codePointAt(0)!;
  return cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
}

/** strings.Trim: runes, so every invalid byte is U+FFFD on both sides and they match each other. */
function trimCutset(s: string, cutset: string): string {
  if (s === '' || cutset === '') return s;
  const set = new Set([...cutset].map(decodedRune));
  const cps = [...s];
  let a = 0;
  let b = cps.length;
  while (a < b && set.has(decodedRune(cps[a]!))) a++;
  while (b > a && set.has(decodedRune(cps[b - 1]!))) b--;
  return cps.slice(a, b).join('');
}

/** strings.Split / SplitN (n < 0: all). */
export function goSplit(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const cps = [...s];
    if (n < 0 || n >= cps.length) return cps;
    return [...cps.slice(0, n - 1), cps.slice(n - 1).join('')];
  }
  if (n < 0) return s.split(sep);
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

function splitMap(parts: string[]): Record<string, string> {
  const res: Record<string, unknown> = {};
  parts.forEach((p, i) => mapSet(res, `_${i}`, p));
  return withType(res, MAP_STRING_STRING) as Record<string, string>;
}

/** Go's strings.Repeat with its panic. */
function repeat(count: bigint, s: string): string {
  if (count < 0n) throw new GoPanic('strings: negative Repeat count');
  if (BigInt(s.length) * count > 256n * 1024n * 1024n) throw new GoPanic('strings: Repeat output length overflow');
  return s.repeat(Number(count));
}

function trunc(c: bigint, s: string): string {
  const len = BigInt(utf8Length(s));
  if (c < 0n && len + c > 0n) return byteSlice(s, Number(len + c), Number(len));
  if (c >= 0n && len > c) return byteSlice(s, 0, Number(c));
  return s;
}

function substring(start: bigint, end: bigint, s: string): string {
  const len = BigInt(utf8Length(s));
  if (start < 0n) return byteSlice(s, 0, end);
  if (end < 0n || end > len) return byteSlice(s, start, len);
  return byteSlice(s, start, end);
}

/** goutils.AbbreviateFull on bytes, in int64 arithmetic that wraps as Go's does (offset may be MinInt64). */
function abbreviateFull(str: string, offset: bigint, maxWidth: bigint): string {
  const i64 = (x: bigint): bigint => BigInt.asIntN(64, x);
  if (str === '') return '';
  if (maxWidth < 4n) return '';
  const len = BigInt(utf8Length(str));
  if (len <= maxWidth) return str;
  if (offset > len) offset = len;
  const keep = maxWidth - 3n;
  if (i64(len - offset) < keep) offset = len - keep;
  const marker = '...';
  if (offset <= 4n) return byteSlice(str, 0, keep) + marker;
  if (maxWidth < 7n) return '';
  if (i64(offset + keep) < len) return marker + abbreviateFull(byteSlice(str, offset, len), 0n, keep);
  return marker + byteSlice(str, len - keep, len);
}

/** goutils works on bytes and writes each byte back as a rune (so non-ASCII text is mangled, as in Go). */
function bytesAsRunes(bytes: Iterable<number>): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

function initials(s: string): string {
  if (s === '') return s;
  const out: number[] = [];
  let lastWasGap = true;
  for (const b of utf8Encode(s)) {
    if (isGoSpace(b)) lastWasGap = true;
    else if (lastWasGap) {
      out.push(b);
      lastWasGap = false;
    }
  }
  return bytesAsRunes(out);
}

function deleteWhiteSpace(s: string): string {
  if (s === '') return s;
  const bytes = utf8Encode(s);
  const kept = [...bytes].filter((b) => !isGoSpace(b));
  if (kept.length === bytes.length) return s;
  return bytesAsRunes(kept);
}

function uncapitalize(s: string): string {
  if (s === '') return s;
  let out = '';
  let next = true;
  for (const c of s) {
    if (isGoSpace(c.codePointAt(0)!)) {
      next = true;
      out += c;
    } else if (next) {
      out += runeLower(c);
      next = false;
    } else out += c;
  }
  return out;
}

function swapCase(s: string): string {
  if (s === '') return s;
  let out = '';
  let whitespace = true;
  for (const c of s) {
    if (isUpper(c) || TITLE.test(c)) {
      out += runeLower(c);
      whitespace = false;
    } else if (isLower(c)) {
      if (whitespace) {
        out += runeTitle(c);
        whitespace = false;
      } else out += runeUpper(c);
    } else {
      out += c;
      whitespace = isGoSpace(c.codePointAt(0)!);
    }
  }
  return out;
}

/** goutils.WrapCustom, which indexes bytes. */
function wrapCustom(str: string, wrapLength: number, newLineStr: string, wrapLongWords: boolean): string {
  if (str === '') return '';
  if (newLineStr === '') newLineStr = '\n';
  if (wrapLength < 1) wrapLength = 1;
  const b = utf8Encode(str);
  const sub = (x: number, y: number): string => utf8Decode(b.subarray(x, y));
  const n = b.length;
  let offset = 0;
  let out = '';
  while (n - offset > wrapLength) {
    if (b[offset] === 0x20) {
      offset++;
      continue;
    }
    const end = wrapLength + offset + 1;
    let spaceToWrapAt = -1;
    for (let i = Math.min(end, n) - 1; i >= offset; i--) {
      if (b[i] === 0x20) {
        spaceToWrapAt = i;
        break;
      }
    }
    if (spaceToWrapAt >= offset) {
      out += sub(offset, spaceToWrapAt) + newLineStr;
      offset = spaceToWrapAt + 1;
    } else if (wrapLongWords) {
      out += sub(offset, wrapLength + offset) + newLineStr;
      offset += wrapLength;
    } else {
      const e = wrapLength + offset;
      let index = -1;
      for (let i = e; i < n; i++) {
        if (b[i] === 0x20) {
          index = i - e;
          break;
        }
      }
      if (index === -1) {
        out += sub(offset, n);
        offset = n;
      } else {
        spaceToWrapAt = index + e;
        out += sub(offset, spaceToWrapAt) + newLineStr;
        offset = spaceToWrapAt + 1;
      }
    }
  }
  return out + sub(offset, n);
}

// --- xstrings case conversion

const isConnector = (c: string): boolean => c === '-' || c === '_' || isGoSpace(c.codePointAt(0)!);

function isAlphabet(c: string): boolean {
  if (!isLetter(c)) return false;
  const r = c.codePointAt(0)!;
  if (r < 0x3400) return true;
  if (r >= 0x4e00 && r <= 0x9fcc) return false;
  if (r >= 0x3400 && r <= 0x4d85) return false;
  if (r >= 0x20000 && r <= 0x2b81d) return false;
  return true;
}

function toCamelCase(str: string): string {
  if (str === '') return '';
  const cps = [...str];
  let out = '';
  let i = 0;
  let r0 = '';
  while (i < cps.length) {
    r0 = cps[i++]!;
    if (!isConnector(r0)) {
      r0 = runeUpper(r0);
      break;
    }
    out += r0;
  }
  // xstrings writes the last rune once more when the input ends here (so "__" becomes "___").
  if (i >= cps.length) return out + r0;
  for (; i < cps.length; i++) {
    const r1 = r0;
    r0 = cps[i]!;
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) r0 = runeUpper(r0);
    else out += r1;
  }
  return out + r0;
}

type WordType = 'invalid' | 'number' | 'upper' | 'alphabet' | 'connector' | 'punct' | 'other';

interface Word {
  wt: WordType;
  word: string[];
  rest: string[];
}

/** utf8.RuneError to xstrings: a raw byte, or U+FFFD itself (which decodes to the same rune). */
function isInvalidRune(c: string): boolean {
  const cp = c.charCodeAt(0);
  return c === '\ufffd' || (c.length === 1 && cp >= 0xdc80 && cp <= 0xdcff);
}

const RUNE_ERROR = '\ufffd';

/**
 * xstrings' nextValidRune: invalid runes are skipped and counted into the size of the next valid
 * one; when only invalid ones are left, they take the previous rune's part (`prev`).
 */
function nextValidRune(s: readonly string[], from: number, prev: string): { r: string; size: number } {
  let j = from;
  while (j < s.length && isInvalidRune(s[j]!)) j++;
  return j < s.length ? { r: s[j]!, size: j - from + 1 } : { r: prev, size: j - from };
}

function nextWord(s: string[]): Word {
  if (s.length === 0) return { wt: 'invalid', word: [], rest: [] };
  let { r, size: offset } = nextValidRune(s, 0, RUNE_ERROR);
  if (r === RUNE_ERROR) return { wt: 'invalid', word: s.slice(0, offset), rest: s.slice(offset) };
  const takeWhile = (pred: (c: string) => boolean): void => {
    while (offset < s.length) {
      const next = nextValidRune(s, offset, r);
      r = next.r;
      if (!pred(r)) break;
      offset += next.size;
    }
  };
  let wt: WordType;
  if (isConnector(r)) {
    wt = 'connector';
    takeWhile(isConnector);
  } else if (PUNCT.test(r)) {
    wt = 'punct';
    takeWhile((c) => PUNCT.test(c));
  } else if (isUpper(r)) {
    wt = 'upper';
    if (offset < s.length) {
      const n1 = nextValidRune(s, offset, r);
      r = n1.r;
      if (isUpper(r)) {
        let prevSize = n1.size;
        offset += n1.size;
        while (offset < s.length) {
          const next = nextValidRune(s, offset, r);
          r = next.r;
          if (!isUpper(r)) break;
          prevSize = next.size;
          offset += next.size;
        }
        if (offset < s.length && isAlphabet(r)) offset -= prevSize;
      } else if (isAlphabet(r)) {
        offset += n1.size;
        takeWhile((c) => isAlphabet(c) && !isUpper(c));
      }
    }
  } else if (isAlphabet(r)) {
    wt = 'alphabet';
    takeWhile((c) => isAlphabet(c) && !isUpper(c));
  } else if (NUMBER.test(r)) {
    wt = 'number';
    takeWhile((c) => NUMBER.test(c));
  } else {
    wt = 'other';
    takeWhile((c) => !(isConnector(c) || isAlphabet(c) || NUMBER.test(c) || PUNCT.test(c)));
  }
  return { wt, word: s.slice(0, offset), rest: s.slice(offset) };
}

function camelCaseToLowerCase(str: string, connector: string): string {
  if (str === '') return '';
  let out = '';
  const toLower = (wt: WordType, word: string[]): void => {
    if (wt !== 'upper' && wt !== 'connector') {
      out += word.join('');
      return;
    }
    for (const c of word) out += isInvalidRune(c) ? RUNE_ERROR : isConnector(c) ? connector : isUpper(c) ? runeLower(c) : c;
  };
  let { wt, word, rest } = nextWord([...str]);
  while (rest.length > 0) {
    if (wt !== 'connector') toLower(wt, word);
    const prev = wt;
    const last = word;
    ({ wt, word, rest } = nextWord(rest));
    switch (prev) {
      case 'number':
        while (wt === 'alphabet' || wt === 'number') {
          toLower(wt, word);
          ({ wt, word, rest } = nextWord(rest));
        }
        if (wt !== 'invalid' && wt !== 'punct' && wt !== 'connector') out += connector;
        break;
      case 'connector':
        toLower(prev, last);
        break;
      case 'punct':
        break;
      default: {
        if (wt !== 'number') {
          if (wt !== 'connector' && wt !== 'punct') out += connector;
          break;
        }
        if (rest.length === 0) break;
        const numberWord = word;
        ({ wt, word, rest } = nextWord(rest));
        if (wt !== 'alphabet') {
          toLower('number', numberWord);
          if (wt !== 'connector' && wt !== 'punct') out += connector;
          break;
        }
        out += connector;
        toLower('number', numberWord);
        while (wt === 'alphabet' || wt === 'number') {
          toLower(wt, word);
          ({ wt, word, rest } = nextWord(rest));
        }
        if (wt !== 'invalid' && wt !== 'connector' && wt !== 'punct') out += connector;
      }
    }
  }
  toLower(wt, word);
  return out;
}

function shuffle(s: string): string {
  const cps = [...s];
  for (let i = cps.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [cps[i], cps[j]] = [cps[j]!, cps[i]!];
  }
  return cps.join('');
}

const n = (v: unknown): bigint => (v as GoInt).v;
const s = (v: unknown): string => v as string;

export const STRING_FUNCS: Record<string, FuncDef> = {
  hello: fn('', 'string', () => 'Hello!'),
  fail: fn('string', 'string', (a) => {
    throw new GoError(s(a[0]));
  }),
  abbrev: fn('int, string', 'string', (a) => (n(a[0]) < 4n ? s(a[1]) : abbreviateFull(s(a[1]), 0n, n(a[0])))),
  abbrevboth: fn('int, int, string', 'string', (a) => {
    const left = n(a[0]);
    const right = n(a[1]);
    if (right < 4n || (left > 0n && right < 7n)) return s(a[2]);
    return abbreviateFull(s(a[2]), left, right);
  }),
  trunc: fn('int, string', 'string', (a) => trunc(n(a[0]), s(a[1]))),
  trim: fn('string', 'string', (a) => trimSpace(s(a[0]))),
  upper: fn('string', 'string', (a) => goToUpper(goRunes(s(a[0])))),
  lower: fn('string', 'string', (a) => goToLower(goRunes(s(a[0])))),
  title: fn('string', 'string', (a) => title(goRunes(s(a[0])))),
  untitle: fn('string', 'string', (a) => uncapitalize(goRunes(s(a[0])))),
  substr: fn('int, int, string', 'string', (a) => substring(n(a[0]), n(a[1]), s(a[2]))),
  repeat: fn('int, string', 'string', (a) => repeat(n(a[0]), s(a[1]))),
  trimall: fn('string, string', 'string', (a) => trimCutset(s(a[1]), s(a[0]))),
  trimAll: fn('string, string', 'string', (a) => trimCutset(s(a[1]), s(a[0]))),
  trimSuffix: fn('string, string', 'string', (a) => (s(a[1]).endsWith(s(a[0])) ? s(a[1]).slice(0, s(a[1]).length - s(a[0]).length) : s(a[1]))),
  trimPrefix: fn('string, string', 'string', (a) => (s(a[1]).startsWith(s(a[0])) ? s(a[1]).slice(s(a[0]).length) : s(a[1]))),
  nospace: fn('string', 'string', (a) => deleteWhiteSpace(s(a[0]))),
  initials: fn('string', 'string', (a) => initials(s(a[0]))),
  swapcase: fn('string', 'string', (a) => swapCase(goRunes(s(a[0])))),
  shuffle: fn('string', 'string', (a) => shuffle(goRunes(s(a[0])))),
  snakecase: fn('string', 'string', (a) => camelCaseToLowerCase(s(a[0]), '_')),
  camelcase: fn('string', 'string', (a) => toCamelCase(goRunes(s(a[0])))),
  kebabcase: fn('string', 'string', (a) => camelCaseToLowerCase(s(a[0]), '-')),
  wrap: fn('int, string', 'string', (a) => wrapCustom(s(a[1]), Number(n(a[0])), '', false)),
  wrapWith: fn('int, string, string', 'string', (a) => wrapCustom(s(a[2]), Number(n(a[0])), s(a[1]), true)),
  contains: fn('string, string', 'bool', (a) => s(a[1]).includes(s(a[0]))),
  hasPrefix: fn('string, string', 'bool', (a) => s(a[1]).startsWith(s(a[0]))),
  hasSuffix: fn('string, string', 'bool', (a) => s(a[1]).endsWith(s(a[0]))),
  quote: fn('...interface {}', 'string', (a) =>
    a
      .filter((x) => x !== null)
      .map((x) => goQuote(strval(x)))
      .join(' '),
  ),
  squote: fn('...interface {}', 'string', (a) =>
    a
      .filter((x) => x !== null)
      .map((x) => `'${formatValue(x)}'`)
      .join(' '),
  ),
  cat: fn('...interface {}', 'string', (a) => {
    const v = a.filter((x) => x !== null);
    return sprintf(v.map(() => '%v').join(' '), v);
  }),
  indent: fn('int, string', 'string', (a) => {
    const pad = ' '.repeat(Math.max(0, Number(n(a[0]))));
    if (n(a[0]) < 0n) throw new GoPanic('strings: negative Repeat count');
    return pad + s(a[1]).replaceAll('\n', `\n${pad}`);
  }),
  nindent: fn('int, string', 'string', (a) => {
    if (n(a[0]) < 0n) throw new GoPanic('strings: negative Repeat count');
    const pad = ' '.repeat(Number(n(a[0])));
    return `\n${pad}${s(a[1]).replaceAll('\n', `\n${pad}`)}`;
  }),
  replace: fn('string, string, string', 'string', (a) => goReplaceAll(s(a[2]), s(a[0]), s(a[1]))),
  plural: fn('string, string, int', 'string', (a) => (n(a[2]) === 1n ? s(a[0]) : s(a[1]))),
  toString: fn('interface {}', 'string', (a) => strval(a[0])),
  split: fn('string, string', 'map[string]string', (a) => splitMap(goSplit(s(a[1]), s(a[0])))),
  splitList: fn('string, string', '[]string', (a) => withType(goSplit(s(a[1]), s(a[0])), SLICE_STRING)),
  splitn: fn('string, int, string', 'map[string]string', (a) => splitMap(goSplit(s(a[2]), s(a[0]), Number(n(a[1]))))),
  toStrings: fn('interface {}', '[]string', (a) => strslice(a[0])),
  join: fn('string, interface {}', 'string', (a) => strslice(a[1]).join(s(a[0]))),
};

/** strings.Replace(s, old, new, -1): an empty `old` inserts `new` around every rune. */
function goReplaceAll(src: string, old: string, rep: string): string {
  if (old === '') {
    const cps = [...src];
    return rep + cps.map((c) => c + rep).join('');
  }
  return src.split(old).join(rep);
}

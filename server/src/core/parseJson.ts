/**
 * JSON exactly as KrakenD (CE 2.12+, koanf) reads it: Go's `json.Unmarshal` into a
 * `map[string]interface{}`. Go validates the whole input first and stops at the first
 * syntax error, so this parser does the same, with Go's own message text, and adds what Go
 * never gives: the position of the offending character.
 *
 * It is a hand-written, iterative scanner over `charCodeAt`: a 5,000-endpoint config is a
 * few megabytes and is parsed on every keystroke in `onType` mode, and an explicit stack
 * keeps Go's 10,000-level nesting limit reachable without overflowing the JS call stack.
 */
import type { ArrayNode, ObjectNode, PropertyNode, StringNode, ValueNode } from './ast';
import type { Problem } from './types';
import { quote } from './go/strconv';

/** What a parser returns; `root` is undefined when the text does not parse or decodes to nothing. */
export interface ParseResult {
  readonly root: ValueNode | undefined;
  readonly problems: Problem[];
  /**
   * JSON only: `JSON.parse` of the same text gives exactly the plain value `toValue(root)`
   * gives. It does unless a `\\u` escape held half a surrogate pair, which Go (and so this
   * parser) turns into U+FFFD and JSON.parse keeps. The schema lint then lets the engine's
   * own parser build the value, which is several times faster than walking the tree.
   */
  readonly plainIsJsonParse?: boolean;
}

/** Go's encoding/json maxNestingDepth. */
const MAX_DEPTH = 10000;

/** Slots of the key table (a power of two); a config has a few dozen distinct keys. */
const KEY_TABLE_SIZE = 256;

const CH_TAB = 9;
const CH_LF = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_QUOTE = 34;
const CH_PLUS = 43;
const CH_COMMA = 44;
const CH_MINUS = 45;
const CH_DOT = 46;
const CH_0 = 48;
const CH_9 = 57;
const CH_COLON = 58;
const CH_E = 69;
const CH_LBRACKET = 91;
const CH_BACKSLASH = 92;
const CH_RBRACKET = 93;
const CH_e = 101;
const CH_f = 102;
const CH_n = 110;
const CH_t = 116;
const CH_u = 117;
const CH_LBRACE = 123;
const CH_RBRACE = 125;

/** Thrown inside the scanner to stop at the first error, as Go does. */
class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly length: number,
  ) {
    super(message);
  }
}

interface ObjectFrame {
  readonly kind: 'object';
  readonly offset: number;
  readonly properties: PropertyNode[];
  key: StringNode;
}

interface ArrayFrame {
  readonly kind: 'array';
  readonly offset: number;
  readonly items: ValueNode[];
}

type Frame = ObjectFrame | ArrayFrame;

/**
 * Parses `text` as Go's `json.Unmarshal(data, &map[string]interface{})` would.
 *
 * - A syntax error gives one `json/syntax` problem (Go's message, span = the offending
 *   character, or empty at end of input) and no root.
 * - A top-level array, string, number or boolean gives `json/not-object` and that node as root.
 * - A top-level `null` is what Go decodes into a nil map: no problem and no root.
 * - Duplicate keys are kept in the tree (Go keeps the last) and every overridden key gets a
 *   `json/duplicate-key` warning.
 */
export function parseJson(text: string): ParseResult {
  return parse(text, 'map');
}

/**
 * Parses `text` as `json.Unmarshal(data, &v)` with `v` an `interface{}` (sprig's fromJson): any
 * top-level value is fine, and a number out of float64's range is Go's decoding error wherever it
 * stands. No `json/not-object`.
 */
export function parseJsonValue(text: string): ParseResult {
  return parse(text, 'interface');
}

function parse(text: string, into: 'map' | 'interface'): ParseResult {
  const scanner = new Scanner(text);
  let root: ValueNode;
  try {
    root = scanner.parseDocument();
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      return { root: undefined, problems: [{ code: 'json/syntax', message: e.message, span: { offset: e.offset, length: e.length } }] };
    }
    throw e;
  }
  const problems = scanner.problems;
  const plainIsJsonParse = !scanner.lossy;
  // Into a map, Go stops decoding a non-object top level before it reaches the numbers inside it.
  if (scanner.overflow && (into === 'interface' || root.kind === 'object')) {
    const e = scanner.overflow;
    return { root: undefined, problems: [{ code: 'json/syntax', message: e.message, span: { offset: e.offset, length: e.length } }] };
  }
  if (root.kind === 'null') return { root: undefined, problems };
  if (root.kind !== 'object' && into === 'map') {
    problems.unshift({
      code: 'json/not-object',
      message: `json: cannot unmarshal ${goValueName(root)} into Go value of type map[string]interface {}`,
      span: { offset: root.offset, length: root.length },
    });
  }
  return { root, problems, plainIsJsonParse };
}

/** The word Go's UnmarshalTypeError uses for a JSON value. */
function goValueName(node: ValueNode): string {
  switch (node.kind) {
    case 'array':
      return 'array';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}

class Scanner {
  private pos = 0;
  readonly problems: Problem[] = [];
  /** The first number too large for a float64, reported only when the syntax is valid. */
  overflow: JsonSyntaxError | undefined;
  /** A `\\u` escape of half a surrogate pair became U+FFFD (see ParseResult.plainIsJsonParse). */
  lossy = false;
  /** Line starts, computed only if a duplicate key needs a line number in its message. */
  private lineStarts: number[] | undefined;
  /** Keys read so far, by hash (see readKeyString). */
  private readonly keys: (string | undefined)[] = new Array<string | undefined>(KEY_TABLE_SIZE);

  constructor(private readonly text: string) {}

  parseDocument(): ValueNode {
    const text = this.text;
    const n = text.length;
    const stack: Frame[] = [];
    let value: ValueNode;

    // Each turn of this loop reads one value (Go's stateBeginValue), then climbs out of every
    // container that value completes, until a container wants another value.
    for (;;) {
      this.skipSpace();
      if (this.pos >= n) throw this.endOfInput();
      const c = text.charCodeAt(this.pos);
      if (c === CH_LBRACE || c === CH_LBRACKET) {
        const start = this.pos;
        if (stack.length + 1 > MAX_DEPTH) this.fail(start, 'exceeded max depth');
        this.pos++;
        this.skipSpace();
        if (this.pos >= n) throw this.endOfInput();
        const d = text.charCodeAt(this.pos);
        if (c === CH_LBRACE) {
          if (d === CH_RBRACE) {
            this.pos++;
            value = { kind: 'object', offset: start, length: this.pos - start, properties: [] };
          } else if (d === CH_QUOTE) {
            const key = this.readKey();
            stack.push({ kind: 'object', offset: start, properties: [], key });
            continue;
          } else {
            this.fail(this.pos, 'looking for beginning of object key string');
          }
        } else if (d === CH_RBRACKET) {
          this.pos++;
          value = { kind: 'array', offset: start, length: this.pos - start, items: [] };
        } else {
          stack.push({ kind: 'array', offset: start, items: [] });
          continue;
        }
      } else {
        value = this.readScalar(c);
      }

      // Climb: hand the value to its container and see what the container wants next.
      for (;;) {
        const frame = stack[stack.length - 1];
        if (frame === undefined) {
          this.skipSpace();
          if (this.pos < n) this.fail(this.pos, 'after top-level value');
          return value;
        }
        if (frame.kind === 'object') {
          const key = frame.key;
          frame.properties.push({ kind: 'property', offset: key.offset, length: value.offset + value.length - key.offset, key, value });
          this.skipSpace();
          if (this.pos >= n) throw this.endOfInput();
          const c2 = text.charCodeAt(this.pos);
          if (c2 === CH_COMMA) {
            this.pos++;
            this.skipSpace();
            if (this.pos >= n) throw this.endOfInput();
            if (text.charCodeAt(this.pos) !== CH_QUOTE) this.fail(this.pos, 'looking for beginning of object key string');
            frame.key = this.readKey();
            break;
          }
          if (c2 !== CH_RBRACE) this.fail(this.pos, 'after object key:value pair');
          this.pos++;
          stack.pop();
          const obj: ObjectNode = { kind: 'object', offset: frame.offset, length: this.pos - frame.offset, properties: frame.properties };
          this.checkDuplicates(obj);
          value = obj;
        } else {
          frame.items.push(value);
          this.skipSpace();
          if (this.pos >= n) throw this.endOfInput();
          const c2 = text.charCodeAt(this.pos);
          if (c2 === CH_COMMA) {
            this.pos++;
            break;
          }
          if (c2 !== CH_RBRACKET) this.fail(this.pos, 'after array element');
          this.pos++;
          stack.pop();
          const arr: ArrayNode = { kind: 'array', offset: frame.offset, length: this.pos - frame.offset, items: frame.items };
          value = arr;
        }
      }
    }
  }

  /** Reads `"key"` and the `:` after it, leaving the position at the value. */
  private readKey(): StringNode {
    const key = this.readKeyString();
    this.skipSpace();
    if (this.pos >= this.text.length) throw this.endOfInput();
    if (this.text.charCodeAt(this.pos) !== CH_COLON) this.fail(this.pos, 'after object key');
    this.pos++;
    return key;
  }

  private skipSpace(): void {
    const text = this.text;
    const n = text.length;
    let p = this.pos;
    while (p < n) {
      const c = text.charCodeAt(p);
      if (c === CH_SPACE || c === CH_LF || c === CH_CR || c === CH_TAB) p++;
      else break;
    }
    this.pos = p;
  }

  private readScalar(c: number): ValueNode {
    const start = this.pos;
    if (c === CH_QUOTE) return this.readString();
    if (c === CH_MINUS || (c >= CH_0 && c <= CH_9)) {
      this.readNumber();
      const raw = this.text.slice(start, this.pos);
      const value = Number(raw);
      // Go decodes numbers into float64 with strconv.ParseFloat, which refuses overflow. That
      // is a decoding error, so it only counts if the whole text is valid JSON.
      if (!Number.isFinite(value) && !this.overflow) {
        this.overflow = new JsonSyntaxError(`json: cannot unmarshal number ${raw} into Go value of type float64`, start, this.pos - start);
      }
      return { kind: 'number', offset: start, length: this.pos - start, value, raw };
    }
    if (c === CH_t) {
      this.expectLiteral('true');
      return { kind: 'boolean', offset: start, length: 4, value: true };
    }
    if (c === CH_f) {
      this.expectLiteral('false');
      return { kind: 'boolean', offset: start, length: 5, value: false };
    }
    if (c === CH_n) {
      this.expectLiteral('null');
      return { kind: 'null', offset: start, length: 4 };
    }
    return this.fail(start, 'looking for beginning of value');
  }

  /** Go checks a literal one byte at a time and names the byte it expected. */
  private expectLiteral(word: string): void {
    const text = this.text;
    this.pos++;
    for (let i = 1; i < word.length; i++) {
      if (this.pos < text.length && text.charCodeAt(this.pos) === word.charCodeAt(i)) {
        this.pos++;
        continue;
      }
      const context = `in literal ${word} (expecting '${word[i]!}')`;
      if (this.pos >= text.length) this.failAtEnd(context);
      this.fail(this.pos, context);
    }
  }

  /** Go's number states: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
  private readNumber(): void {
    const text = this.text;
    const n = text.length;
    let p = this.pos;
    let c = text.charCodeAt(p);
    if (c === CH_MINUS) {
      p++;
      if (p >= n) this.failAtEnd('in numeric literal');
      c = text.charCodeAt(p);
      if (c < CH_0 || c > CH_9) this.fail(p, 'in numeric literal');
    }
    // Go's state0 ends the number after a leading 0, so `01` fails on the `1` after it.
    p++;
    if (c !== CH_0) {
      while (p < n && isDigit(text.charCodeAt(p))) p++;
    }
    if (p < n && text.charCodeAt(p) === CH_DOT) {
      p++;
      if (p >= n) this.failAtEnd('after decimal point in numeric literal');
      if (!isDigit(text.charCodeAt(p))) this.fail(p, 'after decimal point in numeric literal');
      while (p < n && isDigit(text.charCodeAt(p))) p++;
    }
    if (p < n) {
      c = text.charCodeAt(p);
      if (c === CH_e || c === CH_E) {
        p++;
        if (p >= n) this.failAtEnd('in exponent of numeric literal');
        c = text.charCodeAt(p);
        if (c === CH_PLUS || c === CH_MINUS) {
          p++;
          if (p >= n) this.failAtEnd('in exponent of numeric literal');
          c = text.charCodeAt(p);
        }
        if (!isDigit(c)) this.fail(p, 'in exponent of numeric literal');
        while (p < n && isDigit(text.charCodeAt(p))) p++;
      }
    }
    this.pos = p;
  }

  /**
   * A key: the same few names repeat on every endpoint, so an escape-free key is looked up in
   * a small table by a hash taken while scanning and, when the text matches, shares the string
   * read before instead of allocating another (a 5,000-endpoint file has 100,000 of them).
   */
  private readKeyString(): StringNode {
    const text = this.text;
    const n = text.length;
    const start = this.pos;
    let p = start + 1;
    let h = 0;
    while (p < n) {
      const c = text.charCodeAt(p);
      if (c === CH_QUOTE) {
        const length = p - start - 1;
        const slot = (h ^ length) & (KEY_TABLE_SIZE - 1);
        let value = this.keys[slot];
        if (value === undefined || value.length !== length || !text.startsWith(value, start + 1)) {
          value = text.slice(start + 1, p);
          this.keys[slot] = value;
        }
        this.pos = p + 1;
        return { kind: 'string', offset: start, length: p + 1 - start, value };
      }
      if (c === CH_BACKSLASH || c < 0x20) break;
      h = (Math.imul(h, 31) + c) | 0;
      p++;
    }
    return this.readString();
  }

  /** Reads a string starting at the opening quote and decodes it as Go's unquote does. */
  private readString(): StringNode {
    const text = this.text;
    const n = text.length;
    const start = this.pos;
    let p = start + 1;
    // Fast path: most strings have no escapes and are one slice.
    while (p < n) {
      const c = text.charCodeAt(p);
      if (c === CH_QUOTE) {
        this.pos = p + 1;
        return { kind: 'string', offset: start, length: p + 1 - start, value: text.slice(start + 1, p) };
      }
      if (c === CH_BACKSLASH || c < 0x20) break;
      p++;
    }
    let out = text.slice(start + 1, p);
    let chunk = p;
    while (p < n) {
      const c = text.charCodeAt(p);
      if (c === CH_QUOTE) {
        out += text.slice(chunk, p);
        this.pos = p + 1;
        return { kind: 'string', offset: start, length: p + 1 - start, value: out };
      }
      if (c < 0x20) this.fail(p, 'in string literal');
      if (c !== CH_BACKSLASH) {
        p++;
        continue;
      }
      out += text.slice(chunk, p);
      p++;
      if (p >= n) this.failAtEnd('in string escape code');
      const e = text.charCodeAt(p);
      switch (e) {
        case CH_QUOTE:
        case CH_BACKSLASH:
        case 47: // '/'
          out += String.fromCharCode(e);
          p++;
          break;
        case 98: // 'b'
          out += '\b';
          p++;
          break;
        case CH_f:
          out += '\f';
          p++;
          break;
        case CH_n:
          out += '\n';
          p++;
          break;
        case 114: // 'r'
          out += '\r';
          p++;
          break;
        case CH_t:
          out += '\t';
          p++;
          break;
        case CH_u: {
          p++;
          const unit = this.readHex4(p);
          p += 4;
          if (unit >= 0xd800 && unit < 0xdc00 && text.charCodeAt(p) === CH_BACKSLASH && text.charCodeAt(p + 1) === CH_u && isHex4(text, p + 2)) {
            const low = parseInt(text.slice(p + 2, p + 6), 16);
            if (low >= 0xdc00 && low < 0xe000) {
              out += String.fromCharCode(unit, low);
              p += 6;
              break;
            }
          }
          // Go's unquote turns a surrogate that is not half of a valid pair into U+FFFD.
          if (unit >= 0xd800 && unit < 0xe000) {
            out += '\uFFFD';
            this.lossy = true;
          } else {
            out += String.fromCharCode(unit);
          }
          break;
        }
        default:
          this.fail(p, 'in string escape code');
      }
      chunk = p;
    }
    // Inside a string a space is fine, so Go reports a plain end of input.
    throw this.endOfInput();
  }

  /** The four hex digits of a `\u` escape at `p`, failing like Go on the first bad one. */
  private readHex4(p: number): number {
    const text = this.text;
    for (let i = 0; i < 4; i++) {
      if (p + i >= text.length) this.failAtEnd('in \\u hexadecimal character escape');
      if (hexValue(text.charCodeAt(p + i)) < 0) this.fail(p + i, 'in \\u hexadecimal character escape');
    }
    return parseInt(text.slice(p, p + 4), 16);
  }

  /** Warns on every key that a later key of the same object overrides. */
  private checkDuplicates(obj: ObjectNode): void {
    const props = obj.properties;
    if (props.length < 2) return;
    // Small objects dominate; a Set is only worth it for the larger ones.
    if (props.length <= 8) {
      for (let i = 0; i < props.length - 1; i++) {
        const k = props[i]!.key;
        for (let j = props.length - 1; j > i; j--) {
          if (props[j]!.key.value === k.value) {
            this.warnDuplicate(k, props[j]!.key);
            break;
          }
        }
      }
      return;
    }
    const last = new Map<string, StringNode>();
    for (let i = props.length - 1; i >= 0; i--) {
      const k = props[i]!.key;
      const later = last.get(k.value);
      if (later) this.warnDuplicate(k, last.get(k.value)!);
      else last.set(k.value, k);
    }
  }

  private warnDuplicate(overridden: StringNode, winner: StringNode): void {
    this.problems.push({
      code: 'json/duplicate-key',
      message: `duplicate key ${JSON.stringify(overridden.value)}: KrakenD uses the last one (line ${this.lineOf(winner.offset) + 1})`,
      span: { offset: overridden.offset, length: overridden.length },
    });
  }

  private lineOf(offset: number): number {
    if (!this.lineStarts) {
      const starts = [0];
      const text = this.text;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === CH_LF) starts.push(i + 1);
        else if (c === CH_CR) {
          if (text.charCodeAt(i + 1) === CH_LF) i++;
          starts.push(i + 1);
        }
      }
      this.lineStarts = starts;
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Go's `invalid character <c> <context>` at the character at `offset`. */
  private fail(offset: number, context: string): never {
    const cp = this.text.codePointAt(offset) ?? 0;
    // A raw byte (a Go string's invalid UTF-8, see template/value.ts) is that byte.
    throw new JsonSyntaxError(`invalid character ${quoteChar(cp >= 0xdc80 && cp <= 0xdcff ? cp - 0xdc00 : firstUtf8Byte(cp))} ${context}`, offset, cp > 0xffff ? 2 : 1);
  }

  /**
   * At end of input Go's scanner feeds one more space to the state it is in: states that
   * reject a space report it (`invalid character ' ' in numeric literal`), every other
   * state becomes `unexpected end of JSON input`.
   */
  private failAtEnd(context: string): never {
    throw new JsonSyntaxError(`invalid character ' ' ${context}`, this.text.length, 0);
  }

  private endOfInput(): JsonSyntaxError {
    return new JsonSyntaxError('unexpected end of JSON input', this.text.length, 0);
  }
}

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

function hexValue(c: number): number {
  if (c >= CH_0 && c <= CH_9) return c - CH_0;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function isHex4(text: string, p: number): boolean {
  for (let i = 0; i < 4; i++) if (hexValue(text.charCodeAt(p + i)) < 0) return false;
  return true;
}

/**
 * Go's scanner reads bytes, so for a non-ASCII character it reports the first byte of its
 * UTF-8 encoding (a BOM shows up as 'ï', the byte 0xEF read as a rune).
 */
function firstUtf8Byte(cp: number): number {
  if (cp < 0x80) return cp;
  if (cp < 0x800) return 0xc0 | (cp >> 6);
  if (cp < 0x10000) return 0xe0 | (cp >> 12);
  return 0xf0 | (cp >> 18);
}

/** Go's encoding/json quoteChar: strconv.Quote of the byte as a rune, in single quotes. */
export function quoteChar(b: number): string {
  if (b === 39) return `'\\''`;
  if (b === CH_QUOTE) return `'"'`;
  // strconv.Quote of string(c), the byte as a rune, without its double quotes.
  return `'${quote(String.fromCharCode(b)).slice(1, -1)}'`;
}


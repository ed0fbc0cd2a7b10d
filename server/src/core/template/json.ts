/**
 * Go's encoding/json for template values: `json.Marshal` (KrakenD's `marshal`, sprig's
 * `toJson`), `MarshalIndent` (`toPrettyJson`), the Encoder without HTML escaping
 * (`toRawJson`), and `json.Unmarshal` into `interface{}` (`fromJson`).
 *
 * The encoder can also report, for a value that came from data, which stretch of the JSON
 * text came from which key of which container, so a problem in marshalled settings can be
 * traced to the settings file.
 */
import { toValue } from '../ast';
import { parseJsonValue } from '../parseJson';
import type { ValueOrigin, ValuePart } from './funcs';
import { formatJsonFloat } from '../go/strconv';
import { GoComplex, GoError, GoInt, GoObject, isMap, isNilSlice, sortedKeys, typeOf, withDecodedCapacity } from './value';

export interface MarshalOptions {
  /** MarshalIndent's indent; undefined for compact output. */
  readonly indent?: string;
  /** json.Marshal escapes <, > and & (the default); the Encoder can be told not to. */
  readonly escapeHTML?: boolean;
  /** Record parts for values reached from data containers. */
  readonly parts?: boolean;
}

export interface MarshalResult {
  readonly text: string;
  readonly parts: ValuePart[];
}

const HEX = '0123456789abcdef';

/** encoding/json's string quoting. */
export function jsonQuote(s: string, escapeHTML = true): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20) {
      switch (c) {
        case 8:
          rep = '\\b';
          break;
        case 9:
          rep = '\\t';
          break;
        case 10:
          rep = '\\n';
          break;
        case 12:
          rep = '\\f';
          break;
        case 13:
          rep = '\\r';
          break;
        default:
          rep = `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
      }
    } else if (c === 0x22) rep = '\\"';
    else if (c === 0x5c) rep = '\\\\';
    else if (escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26)) rep = `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    else if (c === 0x2028 || c === 0x2029) rep = `\\u202${HEX[c & 15]}`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      // A valid pair stays; a lone surrogate is invalid UTF-8 for Go and becomes U+FFFD.
      const pair = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (pair) {
        i++;
        continue;
      }
      rep = '\\ufffd';
    }
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return `${out}${s.slice(start)}"`;
}

/** encoding/json starts looking for cycles only this many containers deep. */
const CYCLE_CHECK_AFTER = 1000;

class Encoder {
  out = '';
  readonly parts: ValuePart[] = [];
  /** Containers open now, and those open past {@link CYCLE_CHECK_AFTER}, as Go's ptrLevel and ptrSeen. */
  private level = 0;
  private readonly open = new Set<object>();

  constructor(private readonly opts: MarshalOptions) {}

  private newline(depth: number): void {
    if (this.opts.indent !== undefined) this.out += `\n${this.opts.indent.repeat(depth)}`;
  }

  encode(v: unknown, depth: number, origin: ValueOrigin | undefined): void {
    const start = this.out.length;
    this.encodeValue(v, depth);
    if (origin && this.opts.parts) this.parts.push({ start, end: this.out.length, origin });
  }

  /** A map or slice: past the first levels, one met again is a cycle, reported with its type. */
  private container(v: object, body: () => void): void {
    this.level++;
    const checked = this.level > CYCLE_CHECK_AFTER;
    if (checked) {
      if (this.open.has(v)) throw new GoError(`json: unsupported value: encountered a cycle via ${typeOf(v)!.name}`);
      this.open.add(v);
    }
    try {
      body();
    } finally {
      if (checked) this.open.delete(v);
      this.level--;
    }
  }

  private encodeValue(v: unknown, depth: number): void {
    if (v === null || v === undefined) {
      this.out += 'null';
      return;
    }
    switch (typeof v) {
      case 'string':
        this.out += jsonQuote(v, this.opts.escapeHTML ?? true);
        return;
      case 'boolean':
        this.out += v ? 'true' : 'false';
        return;
      case 'number':
        if (!Number.isFinite(v)) throw new GoError(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
        this.out += formatJsonFloat(v);
        return;
      default:
        break;
    }
    if (v instanceof GoInt) {
      this.out += v.v.toString();
      return;
    }
    if (v instanceof GoComplex) throw new GoError('json: unsupported type: complex128');
    if (v instanceof GoObject) {
      this.encodeValue(v.toJson(), depth);
      return;
    }
    if (v instanceof Uint8Array) {
      this.out += `"${Buffer.from(v).toString('base64')}"`;
      return;
    }
    if (Array.isArray(v)) {
      if (isNilSlice(v)) {
        this.out += 'null';
        return;
      }
      if (v.length === 0) {
        this.out += '[]';
        return;
      }
      this.container(v, () => {
        this.out += '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) this.out += ',';
          this.newline(depth + 1);
          this.encode(v[i], depth + 1, this.opts.parts ? { kind: 'data', container: v, key: i } : undefined);
        }
        this.newline(depth);
        this.out += ']';
      });
      return;
    }
    if (isMap(v)) {
      const keys = sortedKeys(v);
      if (keys.length === 0) {
        this.out += '{}';
        return;
      }
      this.container(v, () => {
        this.out += '{';
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i]!;
          if (i > 0) this.out += ',';
          this.newline(depth + 1);
          const keyStart = this.out.length;
          this.out += jsonQuote(k, this.opts.escapeHTML ?? true);
          if (this.opts.parts) this.parts.push({ start: keyStart, end: this.out.length, origin: { kind: 'data', container: v, key: k, isKey: true } });
          this.out += this.opts.indent !== undefined ? ': ' : ':';
          this.encode(v[k], depth + 1, this.opts.parts ? { kind: 'data', container: v, key: k } : undefined);
        }
        this.newline(depth);
        this.out += '}';
      });
      return;
    }
    throw new GoError(`json: unsupported type: ${typeof v}`);
  }
}

/**
 * json.Marshal / MarshalIndent / Encoder.Encode (without its newline) of a template value.
 * Throws GoError with encoding/json's message for NaN, infinities and complex numbers.
 */
export function marshal(v: unknown, opts: MarshalOptions = {}): MarshalResult {
  const e = new Encoder(opts);
  e.encode(v, 0, undefined);
  return { text: e.out, parts: e.parts };
}

/** json.Unmarshal into an interface{}: the value, or Go's error. */
export function unmarshal(text: string): { value: unknown; error?: string } {
  let parsed = parseJsonValue(text);
  let syntax = parsed.problems.find((p) => p.code === 'json/syntax');
  let error: string | undefined;
  // A number out of float64's range is not a syntax error to Go: the decoder keeps going with
  // nil in its place and returns the first such error with the value (fromJson shows it).
  for (let guard = 0; syntax?.message.startsWith('json: cannot unmarshal number') && guard < 1000; guard++) {
    error ??= syntax.message;
    const { offset, length } = syntax.span;
    text = `${text.slice(0, offset)}null${' '.repeat(Math.max(0, length - 4))}${text.slice(offset + length)}`;
    parsed = parseJsonValue(text);
    syntax = parsed.problems.find((p) => p.code === 'json/syntax');
  }
  if (syntax) return { value: null, error: syntax.message };
  if (!parsed.root) return error === undefined ? { value: null } : { value: null, error };
  const value = toValue(parsed.root);
  withDecodedCapacity(value);
  return error === undefined ? { value } : { value, error };
}

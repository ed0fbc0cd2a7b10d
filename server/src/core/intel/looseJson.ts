/**
 * A tolerant JSON reader for the editor features. Completion runs on text that is half typed
 * (`"extra_config": { "qos/`), which the Go-exact parser rightly refuses; this reader builds the
 * same AST (ast.ts) from whatever is there, so the features can still tell where the cursor is.
 *
 * It never throws and never reports problems (that is the checker's job). What it tolerates:
 * missing commas and colons, trailing commas, a key with no value yet, strings without their
 * closing quote (they end at the line end, as JSON strings cannot span lines), keys and values
 * typed without quotes, comments, stray closing brackets, and containers left open at the end.
 */
import type { ArrayNode, ObjectNode, PropertyNode, StringNode, ValueNode } from '../ast';

/** What the tolerant readers add to the nodes they build; the strict parsers never set these. */
export interface LooseMarks {
  /** A value that is not written yet (`"key": ` then nothing): a null node of length 0. */
  readonly missing?: boolean;
  /** A string without its closing quote. */
  readonly unterminated?: boolean;
  /** A key or value written without quotes. */
  readonly bare?: boolean;
}

/** A property as the tolerant readers build it: where its colon is, when it has one. */
export interface LooseProperty extends PropertyNode {
  readonly colon?: number;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Beyond this depth the reader stops descending: a config is never this deep, broken text may be. */
const MAX_DEPTH = 500;

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff;
/** Characters that end a bare word. */
const isDelimiter = (c: number): boolean => isSpace(c) || c === 123 || c === 125 || c === 91 || c === 93 || c === 44 || c === 58 || c === 34;

/** Reads `text` as JSON as far as it goes. Undefined only for a text with no value at all. */
export function parseJsonLoose(text: string): ValueNode | undefined {
  const reader = new Reader(text);
  reader.skip();
  if (reader.atEnd()) return undefined;
  return reader.value(0, []);
}

class Reader {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** Skips white space and comments (a user may have pasted some; Go would refuse them). */
  skip(): void {
    const t = this.text;
    for (;;) {
      while (this.pos < t.length && isSpace(t.charCodeAt(this.pos))) this.pos++;
      if (t.charCodeAt(this.pos) !== 47) return;
      const next = t.charCodeAt(this.pos + 1);
      if (next === 47) {
        const nl = t.indexOf('\n', this.pos);
        this.pos = nl < 0 ? t.length : nl + 1;
      } else if (next === 42) {
        const end = t.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? t.length : end + 2;
      } else {
        return;
      }
    }
  }

  /**
   * One value at the current position. `open` lists the closers of the containers around it,
   * innermost last, so a stray closer of an outer container ends the inner ones.
   */
  value(depth: number, open: string[]): ValueNode {
    this.skip();
    const t = this.text;
    const start = this.pos;
    if (this.atEnd()) return missingAt(start);
    const c = t.charCodeAt(start);
    if (c === 123 || c === 91) {
      if (depth < MAX_DEPTH) return c === 123 ? this.object(depth, open) : this.array(depth, open);
      // Deeper than any config: give up on the rest rather than recurse on.
      this.pos = t.length;
      return missingAt(start);
    }
    if (c === 34) return this.string();
    if (isDelimiter(c)) return missingAt(start);
    return this.word();
  }

  private object(depth: number, open: string[]): ObjectNode {
    const t = this.text;
    const start = this.pos++;
    const properties: PropertyNode[] = [];
    open.push('}');
    for (;;) {
      this.skip();
      if (this.atEnd()) break;
      const c = t.charCodeAt(this.pos);
      if (c === 125) {
        this.pos++;
        break;
      }
      if (c === 93) {
        if (open.includes(']')) break; // closes an outer array: this object ends here
        this.pos++;
        continue;
      }
      if (c === 44) {
        this.pos++;
        continue;
      }
      let key: StringNode & LooseMarks;
      if (c === 34) key = this.string();
      else if (c === 58) key = { kind: 'string', offset: this.pos, length: 0, value: '', bare: true };
      else if (c === 123 || c === 91) {
        // A value where a key should be: read it so its brackets balance, and drop it.
        this.value(depth + 1, open);
        continue;
      } else key = this.word(true) as StringNode & LooseMarks;
      this.skip();
      let colon: number | undefined;
      let value: ValueNode;
      if (t.charCodeAt(this.pos) === 58) {
        colon = this.pos++;
        value = this.propertyValue(depth, open);
      } else {
        // A key still being typed, or a forgotten colon: the value is not there.
        value = missingAt(key.offset + key.length);
      }
      const end = isMissing(value) ? Math.max(value.offset, key.offset + key.length) : value.offset + value.length;
      const property: LooseProperty = colon === undefined
        ? { kind: 'property', offset: key.offset, length: end - key.offset, key, value }
        : { kind: 'property', offset: key.offset, length: end - key.offset, key, value, colon };
      properties.push(property);
    }
    open.pop();
    return { kind: 'object', offset: start, length: this.pos - start, properties };
  }

  /** A property's value; a string followed by `:` is the next key, so the value is missing. */
  private propertyValue(depth: number, open: string[]): ValueNode {
    const before = this.pos;
    this.skip();
    const at = this.pos;
    const v = this.value(depth + 1, open);
    if (v.kind === 'string' || (v as LooseMarks).bare) {
      const after = this.pos;
      this.skip();
      const next = this.text.charCodeAt(this.pos);
      this.pos = after;
      // `"a": ` then a new line with `"b": 1`: the string is b, not a's value.
      if (next === 58) {
        this.pos = at;
        return missingAt(before);
      }
    }
    return v;
  }

  private array(depth: number, open: string[]): ArrayNode {
    const t = this.text;
    const start = this.pos++;
    const items: ValueNode[] = [];
    open.push(']');
    for (;;) {
      this.skip();
      if (this.atEnd()) break;
      const c = t.charCodeAt(this.pos);
      if (c === 93) {
        this.pos++;
        break;
      }
      if (c === 125) {
        if (open.includes('}')) break;
        this.pos++;
        continue;
      }
      if (c === 44 || c === 58) {
        this.pos++;
        continue;
      }
      items.push(this.value(depth + 1, open));
    }
    open.pop();
    return { kind: 'array', offset: start, length: this.pos - start, items };
  }

  /** A quoted string; without its closing quote it ends at the line end (or the end of text). */
  private string(): StringNode & LooseMarks {
    const t = this.text;
    const start = this.pos;
    let p = start + 1;
    let out = '';
    let from = p;
    let escaped = false;
    for (;;) {
      if (p >= t.length || t.charCodeAt(p) === 10 || t.charCodeAt(p) === 13) {
        out += t.slice(from, p);
        this.pos = p;
        return { kind: 'string', offset: start, length: p - start, value: out, unterminated: true };
      }
      const c = t.charCodeAt(p);
      if (c === 34) {
        out += t.slice(from, p);
        this.pos = p + 1;
        // Go turns an escaped surrogate without its pair into U+FFFD; so does the strict parser.
        if (escaped) out = out.replace(LONE_SURROGATE, '\uFFFD');
        return { kind: 'string', offset: start, length: p + 1 - start, value: out };
      }
      if (c === 92 && p + 1 < t.length) {
        escaped = true;
        out += t.slice(from, p) + unescape(t, p);
        p += t.charCodeAt(p + 1) === 117 ? 6 : 2;
        from = p;
        continue;
      }
      p++;
    }
  }

  /** `true`, `false`, `null`, a number, or a bare word (a key or value typed without quotes). */
  private word(asKey = false): ValueNode & LooseMarks {
    const t = this.text;
    const start = this.pos;
    while (this.pos < t.length && !isDelimiter(t.charCodeAt(this.pos))) this.pos++;
    const raw = t.slice(start, this.pos);
    const length = raw.length;
    if (!asKey) {
      if (raw === 'true' || raw === 'false') return { kind: 'boolean', offset: start, length, value: raw === 'true' };
      if (raw === 'null') return { kind: 'null', offset: start, length };
      if (/^-?\d/.test(raw) && Number.isFinite(Number(raw))) return { kind: 'number', offset: start, length, value: Number(raw), raw };
    }
    return { kind: 'string', offset: start, length, value: raw, bare: true };
  }
}

function missingAt(offset: number): ValueNode & LooseMarks {
  return { kind: 'null', offset, length: 0, missing: true };
}

/** Whether a node is a value the tolerant reader found missing. */
export function isMissing(node: ValueNode): boolean {
  return (node as LooseMarks).missing === true;
}

function unescape(t: string, p: number): string {
  const e = t[p + 1]!;
  switch (e) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'u': {
      const code = Number.parseInt(t.slice(p + 2, p + 6), 16);
      return Number.isNaN(code) ? '' : String.fromCharCode(code);
    }
    default:
      return e;
  }
}

/**
 * "Where am I": the path from the root to the key or value under the cursor, in JSON and YAML,
 * on text that may be half typed. JSON is read with the tolerant reader (looseJson.ts) and
 * descended by offsets. YAML is read line by line around the cursor, by indentation: a YAML
 * file mid-edit often parses as something else (`extra_config:` followed by a line `qos/` is a
 * string value to a parser, a key being typed to the user), and reading the whole file with
 * the `yaml` package costs 0.2 s at 1,000 endpoints, too slow for every keystroke.
 */
import { getProperty } from '../ast';
import type { ValueNode } from '../ast';
import type { ConfigFormat } from '../types';
import { isMissing, parseJsonLoose } from './looseJson';
import type { LooseMarks, LooseProperty } from './looseJson';

export type PathSegment = string | number;

/** The key or scalar under the cursor, as written (possibly empty, at the cursor). */
export interface Token {
  readonly offset: number;
  readonly length: number;
  /** The value without quotes or escapes. */
  readonly value: string;
  /** The quote it is written with, if any. */
  readonly quote: '"' | "'" | '';
  /** False for a quoted token whose closing quote is not typed yet. */
  readonly closed: boolean;
}

export interface CursorContext {
  readonly format: ConfigFormat;
  readonly offset: number;
  /**
   * `key`: the cursor is on a property name, or where one would go. `value`: on a value, or
   * where one would go (after a colon, in a list).
   */
  readonly kind: 'key' | 'value';
  /** For `key`: the path of the object the key is in. For `value`: the path of the value itself. */
  readonly path: readonly PathSegment[];
  readonly token: Token;
  /** The token's value up to the cursor. */
  readonly prefix: string;
  /** For `key`: whether a colon already follows it (the user is renaming a key, not adding one). */
  readonly hasColon: boolean;
  /** The first character after the token that is not white space ('' at the end). */
  readonly next: string;
  /** The character before the token that is not a space or tab ('' at the start). */
  readonly previous: string;
  /** For `key`: the keys already written in the same object, the one being typed left out. */
  readonly siblings: readonly string[];
  /**
   * YAML only: a lone plain word after a list marker (`- qos`), or nothing yet after one. It
   * is either a list value or the first key of an item mapping; the schema decides.
   */
  readonly bareItem?: boolean;
  /** The scalar at an absolute path, as written (for the endpoint of a url_pattern…). */
  read(path: readonly PathSegment[]): string | undefined;
}

/** The cursor context at `offset`, or undefined outside any object or list (or in a comment). */
export function cursorContext(text: string, format: ConfigFormat, offset: number, root?: ValueNode): CursorContext | undefined {
  return format === 'yaml' ? yamlContext(text, offset) : jsonContext(text, offset, root ?? parseJsonLoose(text));
}

// ---------------------------------------------------------------------------------------------
// JSON

function end(n: { offset: number; length: number }): number {
  return n.offset + n.length;
}

function containerClosed(text: string, n: ValueNode): boolean {
  const closer = n.kind === 'object' ? '}' : ']';
  return n.length > 1 && text[end(n) - 1] === closer;
}

/** Whether the cursor is inside a scalar (for quoted strings: between the quotes). */
function inScalar(text: string, n: ValueNode, offset: number): boolean {
  if (isMissing(n)) return false;
  if (n.kind === 'string' && text[n.offset] === '"') {
    const marks = n as LooseMarks;
    return offset > n.offset && (offset < end(n) || (marks.unterminated === true && offset === end(n)));
  }
  return offset >= n.offset && offset <= end(n);
}

function inContainer(text: string, n: ValueNode, offset: number): boolean {
  return offset > n.offset && (containerClosed(text, n) ? offset < end(n) : offset <= end(n));
}

function tokenOf(text: string, n: ValueNode): Token {
  const quoted = text[n.offset] === '"';
  const marks = n as LooseMarks;
  const value = n.kind === 'string' ? n.value : text.slice(n.offset, end(n));
  return { offset: n.offset, length: n.length, value, quote: quoted ? '"' : '', closed: !quoted || marks.unterminated !== true };
}

function emptyToken(offset: number): Token {
  return { offset, length: 0, value: '', quote: '', closed: true };
}

/**
 * A quoted token without its closing quote runs to the line end, over text that belongs to
 * whatever follows (`"qos/ } ] }`): keep only what is left of the cursor.
 */
function clip(token: Token, offset: number): Token {
  if (token.closed || !token.quote || token.offset + token.length <= offset) return token;
  const length = Math.max(1, offset - token.offset);
  return { ...token, length, value: token.value.slice(0, length - 1) };
}

function prefixOf(token: Token, offset: number): string {
  const start = token.offset + (token.quote ? 1 : 0);
  // Escapes are rare in keys and values we complete; the raw text is close enough.
  return token.length === 0 ? '' : token.value.slice(0, Math.max(0, offset - start));
}

function nextNonSpace(text: string, from: number): string {
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return c;
  }
  return '';
}

function previousNonBlank(text: string, from: number): string {
  for (let i = from - 1; i >= 0; i--) {
    const c = text[i]!;
    if (c !== ' ' && c !== '\t') return c;
  }
  return '';
}

function jsonContext(text: string, offset: number, root: ValueNode | undefined): CursorContext | undefined {
  if (!root || (root.kind !== 'object' && root.kind !== 'array') || !inContainer(text, root, offset)) return undefined;
  const path: PathSegment[] = [];
  let node: ValueNode = root;
  const read = (p: readonly PathSegment[]): string | undefined => {
    const n = jsonNodeAt(root, p);
    if (!n || isMissing(n) || n.kind === 'object' || n.kind === 'array') return undefined;
    return n.kind === 'string' ? n.value : n.kind === 'null' ? 'null' : String(n.value);
  };
  const make = (kind: 'key' | 'value', p: readonly PathSegment[], whole: Token, hasColon = false): CursorContext => {
    const token = clip(whole, offset);
    return {
    format: 'json',
    offset,
    kind,
    path: p,
    token,
    prefix: prefixOf(token, offset),
    hasColon,
    next: nextNonSpace(text, end(token)),
    previous: previousNonBlank(text, token.offset),
    siblings: kind === 'key' && node.kind === 'object' ? node.properties.filter((q) => q.key.offset !== token.offset || token.length === 0).map((q) => q.key.value).filter((k) => k !== '') : [],
    read,
    };
  };
  for (;;) {
    if (node.kind === 'object') {
      let descended = false;
      for (const prop of node.properties) {
        const p = prop as LooseProperty;
        if (inScalar(text, p.key, offset) || (p.key.length === 0 && offset === p.key.offset)) {
          return make('key', path, tokenOf(text, p.key), p.colon !== undefined);
        }
        if (p.colon === undefined || offset <= p.colon) continue;
        const v = p.value;
        if (isMissing(v)) {
          // Only white space between the colon and the cursor: the value goes here.
          if (/^[ \t\r\n]*$/.test(text.slice(p.colon + 1, offset))) return make('value', [...path, p.key.value], emptyToken(offset));
          continue;
        }
        if (v.kind === 'object' || v.kind === 'array') {
          if (inContainer(text, v, offset)) {
            path.push(p.key.value);
            node = v;
            descended = true;
            break;
          }
          continue;
        }
        if (inScalar(text, v, offset)) return make('value', [...path, p.key.value], tokenOf(text, v));
      }
      if (descended) continue;
      return make('key', path, emptyToken(offset));
    }
    if (node.kind === 'array') {
      let descended = false;
      let index = 0;
      for (let i = 0; i < node.items.length; i++) {
        const item: ValueNode = node.items[i]!;
        if (item.offset < offset) index = i + 1;
        if (item.kind === 'object' || item.kind === 'array') {
          if (inContainer(text, item, offset)) {
            path.push(i);
            node = item;
            descended = true;
            break;
          }
          continue;
        }
        if (inScalar(text, item, offset)) return make('value', [...path, i], tokenOf(text, item));
      }
      if (descended) continue;
      return make('value', [...path, index], emptyToken(offset));
    }
    return undefined;
  }
}

/** The node at a path in a (tolerant) tree; the last duplicate key wins, as in Go. */
export function jsonNodeAt(root: ValueNode, path: readonly PathSegment[]): ValueNode | undefined {
  let n: ValueNode | undefined = root;
  for (const seg of path) {
    if (!n) return undefined;
    if (typeof seg === 'number') n = n.kind === 'array' ? n.items[seg] : undefined;
    else n = n.kind === 'object' ? getProperty(n, seg)?.value : undefined;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// YAML, by indentation

/** One thing a YAML line starts: a list item (`- `) or a key, at a column. */
interface Frame {
  readonly kind: 'seq' | 'key' | 'scalar';
  readonly col: number;
  /** For keys and scalars: the token (the key, or the scalar). */
  readonly token?: Token;
  /** For keys: where its colon is, and the inline value after it (possibly empty). */
  readonly colon?: number;
  readonly value?: Token;
}

interface YamlLine {
  readonly start: number;
  readonly end: number;
  /** Nothing but spaces and comments. */
  readonly blank: boolean;
  /** The column of its first frame (its indentation); walks skip deeper lines without parsing them. */
  readonly indent: number;
  readonly frames: readonly Frame[];
}

function lineBounds(text: string, offset: number): { start: number; end: number } {
  const start = Math.max(text.lastIndexOf('\n', offset - 1) + 1, 0);
  let e = text.indexOf('\n', offset);
  if (e < 0) e = text.length;
  if (e > start && text[e - 1] === '\r') e--;
  return { start, end: e };
}

/** Reads a quoted scalar starting at `p`; returns its token and where it ends. */
function quotedAt(text: string, p: number, lineEnd: number): Token {
  const q = text[p] as '"' | "'";
  let i = p + 1;
  let value = '';
  while (i < lineEnd) {
    const c = text[i]!;
    if (q === "'" && c === "'" && text[i + 1] === "'") {
      value += "'";
      i += 2;
      continue;
    }
    if (q === '"' && c === '\\' && i + 1 < lineEnd) {
      value += text[i + 1]!;
      i += 2;
      continue;
    }
    if (c === q) return { offset: p, length: i + 1 - p, value, quote: q, closed: true };
    value += c;
    i++;
  }
  return { offset: p, length: lineEnd - p, value, quote: q, closed: false };
}

/** A plain scalar from `p` to the end of the line or a ` #` comment, trailing spaces dropped. */
function plainAt(text: string, p: number, lineEnd: number): Token {
  let e = p;
  while (e < lineEnd && !(text[e] === '#' && (e === p || text[e - 1] === ' ' || text[e - 1] === '\t'))) e++;
  while (e > p && (text[e - 1] === ' ' || text[e - 1] === '\t')) e--;
  return { offset: p, length: e - p, value: text.slice(p, e), quote: '', closed: true };
}

function skipBlanks(text: string, p: number, lineEnd: number): number {
  while (p < lineEnd && (text[p] === ' ' || text[p] === '\t')) p++;
  return p;
}

/** A line whose frames are read only when a walk needs them. */
class LazyLine implements YamlLine {
  readonly blank: boolean;
  readonly indent: number;
  private parsed: readonly Frame[] | undefined;

  constructor(
    private readonly text: string,
    readonly start: number,
    readonly end: number,
  ) {
    const p = skipBlanks(text, start, end);
    this.indent = p - start;
    // `---` and `...` are document markers, not content.
    const c = text[p];
    this.blank = p >= end || c === '#' || ((c === '-' || c === '.') && /^(---|\.\.\.)(\s|$)/.test(text.slice(p, Math.min(end, p + 4))));
  }

  get frames(): readonly Frame[] {
    this.parsed ??= this.blank ? [] : parseFrames(this.text, this.start, this.end);
    return this.parsed;
  }
}

function parseFrames(text: string, start: number, lineEnd: number): Frame[] {
  const frames: Frame[] = [];
  let p = skipBlanks(text, start, lineEnd);
  while (text[p] === '-' && (p + 1 >= lineEnd || text[p + 1] === ' ' || text[p + 1] === '\t')) {
    frames.push({ kind: 'seq', col: p - start });
    p = skipBlanks(text, p + 1, lineEnd);
  }
  if (p >= lineEnd || text[p] === '#') return frames;
  // A key: a quoted or plain scalar followed by `:` and a space or the line end.
  let keyToken: Token | undefined;
  let colon: number | undefined;
  if (text[p] === '"' || text[p] === "'") {
    const q = quotedAt(text, p, lineEnd);
    const after = skipBlanks(text, p + q.length, lineEnd);
    if (q.closed && text[after] === ':' && (after + 1 >= lineEnd || text[after + 1] === ' ' || text[after + 1] === '\t')) {
      keyToken = q;
      colon = after;
    } else {
      frames.push({ kind: 'scalar', col: p - start, token: q });
      return frames;
    }
  } else if (text[p] !== '{' && text[p] !== '[') {
    for (let i = p; i < lineEnd; i++) {
      const c = text[i];
      if (c === '#' && (text[i - 1] === ' ' || text[i - 1] === '\t')) break;
      if (c === ':' && (i + 1 >= lineEnd || text[i + 1] === ' ' || text[i + 1] === '\t')) {
        let e = i;
        while (e > p && (text[e - 1] === ' ' || text[e - 1] === '\t')) e--;
        keyToken = { offset: p, length: e - p, value: text.slice(p, e), quote: '', closed: true };
        colon = i;
        break;
      }
    }
  }
  if (keyToken && colon !== undefined) {
    const v = skipBlanks(text, colon + 1, lineEnd);
    const value = v >= lineEnd || text[v] === '#' ? emptyToken(v >= lineEnd ? lineEnd : v) : text[v] === '"' || text[v] === "'" ? quotedAt(text, v, lineEnd) : plainAt(text, v, lineEnd);
    frames.push({ kind: 'key', col: p - start, token: keyToken, colon, value });
  } else {
    frames.push({ kind: 'scalar', col: p - start, token: text[p] === '"' || text[p] === "'" ? quotedAt(text, p, lineEnd) : plainAt(text, p, lineEnd) });
  }
  return frames;
}

/** The lines of a YAML text, parsed on demand and kept, walking up or down from a line. */
class YamlLines {
  private readonly cache = new Map<number, YamlLine>();

  constructor(readonly text: string) {}

  at(offset: number): YamlLine {
    const { start, end: e } = lineBounds(this.text, offset);
    let line = this.cache.get(start);
    if (!line) {
      line = new LazyLine(this.text, start, e);
      this.cache.set(start, line);
    }
    return line;
  }

  first(): YamlLine {
    return this.at(0);
  }

  previous(line: YamlLine): YamlLine | undefined {
    return line.start === 0 ? undefined : this.at(Math.max(0, this.text.lastIndexOf('\n', line.start - 1)));
  }

  next(line: YamlLine): YamlLine | undefined {
    const nl = this.text.indexOf('\n', line.end);
    return nl < 0 ? undefined : this.at(nl + 1);
  }
}

/** A frame and the line it is on; a virtual frame (a key about to be typed) is allowed. */
interface FrameRef {
  readonly line: YamlLine;
  /** Its index in line.frames; for a virtual frame, the number of real frames left of it. */
  readonly index: number;
  readonly frame: Frame;
}

function emptyValue(f: Frame): boolean {
  return f.kind === 'key' && (f.value?.length ?? 0) === 0;
}

/**
 * The frame whose block holds `ref`, and how many list items at ref's column come before it in
 * that block: the nearest frame above that is less indented, or, for a list item, a key with
 * no inline value at the same column (YAML's compact list style, `key:` then `- item`).
 */
function ownerOf(lines: YamlLines, ref: FrameRef): { owner?: FrameRef; before: number } {
  const f = ref.frame;
  // Frames left of it on its own line are list markers: the nearest one holds it.
  if (ref.index > 0) return { owner: { line: ref.line, index: ref.index - 1, frame: ref.line.frames[ref.index - 1]! }, before: 0 };
  let before = 0;
  for (let l = lines.previous(ref.line); l; l = lines.previous(l)) {
    // Its frames are all at or right of its indentation: deeper lines are skipped unread.
    if (l.blank || l.indent > f.col) continue;
    for (let i = l.frames.length - 1; i >= 0; i--) {
      const g = l.frames[i]!;
      if (g.col > f.col) continue;
      if (g.col < f.col || (f.kind === 'seq' && g.col === f.col && emptyValue(g))) return { owner: { line: l, index: i, frame: g }, before };
      if (f.kind === 'seq' && g.kind === 'seq') before++;
    }
  }
  return { before };
}

/** The path of the node a frame starts: a key's value, a list item, or (for a scalar) its owner's. */
function pathOfFrame(lines: YamlLines, ref: FrameRef): PathSegment[] {
  const { owner, before } = ownerOf(lines, ref);
  const base = owner ? pathOfFrame(lines, owner) : [];
  const f = ref.frame;
  if (f.kind === 'seq') return [...base, before];
  if (f.kind === 'key') return [...base, f.token!.value];
  return base;
}

/** The path of the mapping or list a frame is written in. */
function containerPathOf(lines: YamlLines, ref: FrameRef): PathSegment[] {
  const { owner } = ownerOf(lines, ref);
  return owner ? pathOfFrame(lines, owner) : [];
}

/**
 * The frames that are the direct children of a frame's block: the entries of the mapping or
 * the items of the list it holds. Undefined `of` means the document's top level.
 */
function childrenOf(lines: YamlLines, of: FrameRef | undefined): FrameRef[] {
  const out: FrameRef[] = [];
  let line: YamlLine | undefined;
  let col: number | undefined;
  let limit: number;
  if (!of) {
    line = lines.first();
    limit = -1;
  } else {
    const f = of.frame;
    limit = f.col;
    if (f.kind === 'seq' && of.index + 1 < of.line.frames.length) {
      // The item's content starts on its own line, right of the marker.
      const g = of.line.frames[of.index + 1]!;
      col = g.col;
      out.push({ line: of.line, index: of.index + 1, frame: g });
    } else if (f.kind === 'key' && !emptyValue(f)) {
      return out; // an inline scalar (or flow value): no block children
    }
    line = lines.next(of.line);
  }
  for (; line; line = lines.next(line)) {
    if (line.blank) continue;
    const ind = line.indent;
    // Deeper than the children: skipped without reading the line.
    if (col !== undefined && ind > col) continue;
    const compact = ind === limit && of?.frame.kind === 'key' && line.frames[0]!.kind === 'seq';
    if (ind <= limit && !compact) break;
    col ??= ind;
    if (ind < col) break;
    if (ind === col) out.push({ line, index: 0, frame: line.frames[0]! });
  }
  return out;
}

/** The key frame `name` among a block's children. */
function childKey(children: readonly FrameRef[], name: string): FrameRef | undefined {
  let found: FrameRef | undefined;
  // The last one written wins, as in Go (go-yaml refuses duplicates, but mid-edit they happen).
  for (const c of children) if (c.frame.kind === 'key' && c.frame.token!.value === name) found = c;
  return found;
}

/** Reads the scalar at an absolute path by indentation, without parsing the whole file. */
function yamlRead(lines: YamlLines, path: readonly PathSegment[]): string | undefined {
  let at: FrameRef | undefined;
  for (const seg of path) {
    const children = childrenOf(lines, at);
    const next = typeof seg === 'number' ? children.filter((c) => c.frame.kind === 'seq')[seg] : childKey(children, seg);
    if (!next) return undefined;
    at = next;
  }
  const f = at?.frame;
  if (f?.kind === 'key' && !emptyValue(f)) return f.value!.value;
  return undefined;
}

function yamlContext(text: string, offset: number): CursorContext | undefined {
  const lines = new YamlLines(text);
  const line = lines.at(offset);
  const col = offset - line.start;
  const before = text.slice(line.start, offset);
  // In a comment: nothing to offer.
  if (/(^|[ \t])#/.test(before) && !/["']/.test(before)) return undefined;
  const make = (kind: 'key' | 'value', path: readonly PathSegment[], whole: Token, hasColon: boolean, siblings: readonly string[], bareItem = false): CursorContext => {
    const token = clip(whole, offset);
    return {
    format: 'yaml',
    offset,
    kind,
    path,
    token,
    prefix: prefixOf(token, offset),
    hasColon,
    next: nextNonSpace(text, end(token)),
    previous: previousNonBlank(text, token.offset),
    siblings,
    read: (p) => yamlRead(lines, p),
    ...(bareItem ? { bareItem } : {}),
    };
  };
  const keysBeside = (ref: FrameRef, self?: FrameRef): string[] => {
    const { owner } = ownerOf(lines, ref);
    return childrenOf(lines, owner)
      .filter((c) => c.frame.kind === 'key' && !(self && c.line === self.line && c.index === self.index))
      .map((c) => c.frame.token!.value);
  };
  // The frame the cursor is on: the last one starting at or before it.
  let index = -1;
  for (let i = 0; i < line.frames.length; i++) if (line.frames[i]!.col <= col) index = i;
  const onFrame = index >= 0 ? line.frames[index]! : undefined;
  if (!onFrame || onFrame.kind === 'seq') {
    // An empty line, or right after a list marker: a key about to be typed at the cursor.
    if (!line.blank && !onFrame && line.frames.length > 0) return undefined; // in the indentation before content
    const virtual: FrameRef = { line, index: index + 1, frame: { kind: 'key', col } };
    const token = emptyToken(offset);
    const path = onFrame ? pathOfFrame(lines, { line, index, frame: onFrame }) : containerPathOf(lines, virtual);
    return make('key', path, token, false, keysBeside(virtual), onFrame !== undefined);
  }
  const ref: FrameRef = { line, index, frame: onFrame };
  const t = onFrame.token!;
  if (onFrame.kind === 'scalar') {
    // A lone word on its line is a key being typed; right after `- ` it may be a list value too.
    const bareItem = index > 0 && line.frames[index - 1]!.kind === 'seq';
    const virtual: FrameRef = { line, index, frame: { kind: 'key', col: onFrame.col, token: t } };
    if (bareItem) return make('value', pathOfFrame(lines, { line, index: index - 1, frame: line.frames[index - 1]! }), t, false, [], true);
    return make('key', containerPathOf(lines, virtual), t, false, keysBeside(virtual, ref));
  }
  if (offset <= onFrame.colon!) return make('key', containerPathOf(lines, ref), t, true, keysBeside(ref, ref));
  const path = pathOfFrame(lines, ref);
  const v = onFrame.value!;
  if (v.length === 0 || offset < v.offset) return make('value', path, emptyToken(offset), false, []);
  return make('value', path, v, false, []);
}

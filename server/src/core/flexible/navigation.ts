/**
 * Navigation in Flexible Configuration templates: what the name under the cursor refers to
 * (`include "x"` → a partial, `template "x"` → a sub-template or a `define`, `.file.key` → a
 * settings value), and the way from the editor's offsets in a template or partial into the
 * rendered output and back, for hover and completion on the rendered configuration.
 *
 * Read with the template lexer, not the parser: the cursor is usually in a file that is being
 * edited, and everything before a lexical error still has its tokens.
 */
import { getProperty } from '../ast';
import { parseJson } from '../parseJson';
import type { OutputSegment } from '../template/exec';
import { ItemType, Lexer } from '../template/lex';
import type { Item } from '../template/lex';
import { unquote } from '../go/strconv';
import type { Span } from '../types';
import type { FlexibleRender } from './project';

/** What a name under the cursor in a template refers to. */
export type TemplateReference =
  /** `include "x"`: the partial x (FC_PARTIALS/x). */
  | { readonly kind: 'partial'; readonly name: string; readonly span: Span }
  /** `template "x"`: the sub-template file x, or a `define "x"`. */
  | { readonly kind: 'template'; readonly name: string; readonly span: Span }
  /**
   * A field chain on the template's data, `.urls.users` or `$.urls.users`: `fields` up to and
   * including the one under the cursor. The first one names a settings file.
   */
  | { readonly kind: 'settings'; readonly fields: readonly string[]; readonly span: Span; readonly rooted: boolean };

const BLOCKS: ReadonlySet<ItemType> = new Set([ItemType.If, ItemType.Range, ItemType.With, ItemType.Define, ItemType.Block]);

function tokens(text: string): Item[] {
  const lexer = new Lexer(text, { emitComment: false, breakOK: true, continueOK: true });
  const out: Item[] = [];
  // A template has far fewer items than characters; the bound only guards against a lexer bug.
  for (let i = 0; i <= text.length + 1; i++) {
    const item = lexer.nextItem();
    if (item.typ === ItemType.EOF || item.typ === ItemType.Error) break;
    out.push(item);
  }
  return out;
}

function unquoted(val: string): string | undefined {
  try {
    return unquote(val);
  } catch {
    return undefined;
  }
}

/**
 * The reference at `offset` in a template's text, if the cursor is on an `include` or
 * `template` name, or on a field of a chain whose value is the settings data: a chain starting
 * with `$` outside `define`/`block`, or with `.` where the dot has not been rebound by
 * `range`, `with`, `define` or `block`.
 */
export function templateReferenceAt(text: string, offset: number): TemplateReference | undefined {
  const items = tokens(text);
  /** Open blocks: whether each rebinds the dot, and whether it is a define/block body. */
  const stack: { dot: boolean; body: boolean }[] = [];
  let pending: { dot: boolean; body: boolean } | undefined;
  let previous: Item | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.typ === ItemType.Space) continue;
    const here = item.pos <= offset && offset <= item.pos + item.val.length;
    if (BLOCKS.has(item.typ) && previous?.typ !== ItemType.Else) {
      pending = { dot: item.typ !== ItemType.If, body: item.typ === ItemType.Define || item.typ === ItemType.Block };
    } else if (item.typ === ItemType.End) {
      stack.pop();
    } else if (item.typ === ItemType.RightDelim) {
      // The block's own pipeline is evaluated with the outer dot; its body is not.
      if (pending) stack.push(pending);
      pending = undefined;
    } else if (here && (item.typ === ItemType.String || item.typ === ItemType.RawString)) {
      const name = unquoted(item.val);
      const span = { offset: item.pos, length: item.val.length };
      if (name === undefined) return undefined;
      if (previous?.typ === ItemType.Identifier && previous.val === 'include') return { kind: 'partial', name, span };
      if (previous?.typ === ItemType.Template) return { kind: 'template', name, span };
      return undefined;
    } else if (here && item.typ === ItemType.Field) {
      return fieldChain(items, i, stack);
    }
    previous = item;
  }
  return undefined;
}

function fieldChain(items: readonly Item[], at: number, stack: readonly { dot: boolean; body: boolean }[]): TemplateReference | undefined {
  let first = at;
  while (first > 0) {
    const prev = items[first - 1]!;
    if (prev.typ !== ItemType.Field || prev.pos + prev.val.length !== items[first]!.pos) break;
    first--;
  }
  const before = first > 0 ? items[first - 1] : undefined;
  // What the chain is attached to: `$.x` is rooted; `(…).x` and `$var.x` start on something other than the data.
  const attached = before !== undefined && before.pos + before.val.length === items[first]!.pos && (before.typ === ItemType.Variable || before.typ === ItemType.RightParen) ? before : undefined;
  const rooted = attached?.typ === ItemType.Variable && attached.val === '$';
  if (attached && !rooted) return undefined;
  if (rooted ? stack.some((b) => b.body) : stack.some((b) => b.dot)) return undefined;
  const fields = items.slice(first, at + 1).map((f) => f.val.slice(1));
  const cur = items[at]!;
  return { kind: 'settings', fields, span: { offset: cur.pos, length: cur.val.length }, rooted };
}

/** Where `define "name"` or `block "name"` is in a template's text: the name's span. */
export function definitionOf(text: string, name: string): Span | undefined {
  const items = tokens(text).filter((i) => i.typ !== ItemType.Space);
  for (let i = 0; i + 1 < items.length; i++) {
    const kw = items[i]!;
    const arg = items[i + 1]!;
    if ((kw.typ === ItemType.Define || kw.typ === ItemType.Block) && (arg.typ === ItemType.String || arg.typ === ItemType.RawString) && unquoted(arg.val) === name) {
      return { offset: arg.pos, length: arg.val.length };
    }
  }
  return undefined;
}

/**
 * The key of `keys` (a path of object keys) in a settings file's JSON, or undefined when the
 * text does not parse or the path does not exist. No keys: the file's top-level value.
 */
export function settingsKeyAt(text: string, keys: readonly string[]): Span | undefined {
  const { root } = parseJson(text);
  if (!root) return undefined;
  let node = root;
  let span: Span = { offset: root.offset, length: 0 };
  for (const key of keys) {
    if (node.kind !== 'object') return undefined;
    const p = getProperty(node, key);
    if (!p) return undefined;
    span = { offset: p.key.offset, length: p.key.length };
    node = p.value;
  }
  return span;
}

/** A file of the project as the render names it: the template names and `include` paths that stand for it. */
export interface RenderedFile {
  readonly templates: ReadonlySet<string>;
  readonly partials: ReadonlySet<string>;
}

/** The names under which the render knows the file at `path` (`same` compares paths). */
export function renderedFile(render: FlexibleRender, same: (path: string) => boolean): RenderedFile {
  const templates = new Set<string>();
  const partials = new Set<string>();
  for (const [name, p] of render.templatePaths) if (same(p)) templates.add(name);
  for (const [arg, p] of render.partialPaths) if (same(p)) partials.add(arg);
  return { templates, partials };
}

/** Where a stretch of a file went in the output: one copy of it (the first, if a `range` repeated it). */
export interface OutputPlace {
  /** The output offset of the file offset asked for. */
  readonly output: number;
  /** The copied stretch: output [start, end) holds file [srcStart, srcStart + end - start). */
  readonly start: number;
  readonly end: number;
  readonly srcStart: number;
}

/**
 * Where the file's character at `offset` is in the rendered output, when it was copied there
 * 1:1 (template text outside actions, or a partial's text); undefined inside actions, in
 * branches not taken, or when the render failed.
 */
export function outputPlace(render: FlexibleRender, file: RenderedFile, offset: number): OutputPlace | undefined {
  const segments = render.result?.map.segments;
  if (!segments) return undefined;
  let touching: OutputPlace | undefined;
  for (const seg of segments) {
    const place = placeIn(seg, file, offset);
    if (!place) continue;
    // A cursor between two copied stretches belongs to the one it is inside, else the one it ends.
    if (place.output < place.end) return place;
    touching ??= place;
  }
  return touching;
}

function placeIn(seg: OutputSegment, file: RenderedFile, offset: number): OutputPlace | undefined {
  const len = seg.end - seg.start;
  if (!seg.action) {
    if (!file.templates.has(seg.src.name) || offset < seg.srcOffset || offset > seg.srcOffset + len) return undefined;
    return { output: seg.start + offset - seg.srcOffset, start: seg.start, end: seg.end, srcStart: seg.srcOffset };
  }
  if (seg.origin?.kind !== 'partial' || !file.partials.has(seg.origin.path) || offset > len) return undefined;
  return { output: seg.start + offset, start: seg.start, end: seg.end, srcStart: 0 };
}

/** An output span back in the file, if it lies within the copied stretch. */
export function spanInFile(place: OutputPlace, span: Span): Span | undefined {
  if (span.offset < place.start || span.offset + span.length > place.end) return undefined;
  return { offset: place.srcStart + span.offset - place.start, length: span.length };
}

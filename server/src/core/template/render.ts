/**
 * Rendering a KrakenD template set as krakend-flexibleconfig does —
 * `template.New("config").Funcs(fm).ParseFiles(main)`, then `ParseFiles(templates…)`, then
 * `ExecuteTemplate(base name of main, settings)` — with, beyond Go, a source map from every
 * offset of the output to the template, partial or data value that produced it.
 */
import type { ExecNote, OutputSegment } from './exec';
import { TemplateExecError, execute } from './exec';
import type { ValueOrigin } from './funcs';
import { krakendFunctions } from './functions';
import type { ActionNode, Node } from './nodes';
import { isEmptyTree, nodeString } from './nodes';
import type { Tree } from './parse';
import { TemplateParseError, parseTemplate } from './parse';
import { mapOffset } from './textMap';
import { withDecodedCapacity } from './value';

/** A template file: its base name (as Go names it) and its text. */
export interface TemplateFile {
  readonly name: string;
  readonly text: string;
}

/** A stretch of a file, in UTF-16 offsets. */
export interface FileSpan {
  readonly file: string;
  readonly offset: number;
  readonly length: number;
}

export interface RenderInput<Origin = unknown> {
  /** The -c file, executed with ExecuteTemplate(main.name). */
  readonly main: TemplateFile;
  /** FC_TEMPLATES/*.tmpl in directory order; one named like main replaces it, as ParseFiles does. */
  readonly templates: readonly TemplateFile[];
  /** The settings map: { urls: {...}, service: {...} }. */
  readonly data: unknown;
  /** include's reader: the partial's text, or undefined when it is missing. */
  readPartial(path: string): string | undefined;
  env(name: string): string | undefined;
  now(): Date;
  /**
   * Provenance: where `key` of `container` (an object or array of `data`) is defined.
   * `isKey` asks for the key itself rather than its value.
   */
  readonly locate?: (container: object, key: string | number, isKey: boolean) => Origin | undefined;
}

/** Something the renderer noticed that Go does silently. */
export type RenderNote =
  | { readonly kind: 'no-value'; readonly span: FileSpan; readonly expression: string }
  | { readonly kind: 'missing-partial'; readonly span: FileSpan; readonly path: string };

/** Go's template error, positioned. `message` is Go's exact text. */
export interface TemplateError {
  readonly ok: false;
  readonly kind: 'syntax' | 'exec';
  readonly file: string;
  readonly offset: number;
  readonly length: number;
  readonly message: string;
  /** The function the renderer refused to run, when that is the cause. */
  readonly unsupportedFunction?: string;
  /** The renderer itself failed (a bug, or input too deep for the JavaScript stack), not the template. */
  readonly internal?: boolean;
  readonly notes: readonly RenderNote[];
}

export interface RenderSuccess<Origin = unknown> {
  readonly ok: true;
  readonly output: string;
  readonly map: SourceMap<Origin>;
  readonly notes: readonly RenderNote[];
}

export type RenderResult<Origin = unknown> = RenderSuccess<Origin> | TemplateError;

/** Where a position of the output came from. */
export type MappedLocation<Origin = unknown> =
  /** Template text, copied 1:1. */
  | { readonly kind: 'text'; readonly file: string; readonly offset: number }
  /** A partial's text inserted by include, 1:1. */
  | { readonly kind: 'partial'; readonly path: string; readonly offset: number }
  /** A value printed by an action; `origin` when the value came straight from data. */
  | { readonly kind: 'action'; readonly file: string; readonly span: FileSpan; readonly expression: string; readonly snippet: string; readonly origin?: Origin };

function actionSpan(a: ActionNode): FileSpan {
  return { file: a.src.name, offset: a.delimStart, length: a.delimEnd - a.delimStart };
}

function nodeSpan(n: Node): FileSpan {
  return { file: n.src.name, offset: n.pos, length: Math.max(0, n.end - n.pos) };
}

/**
 * The output's provenance. Lookups are binary searches over the segments the executor
 * recorded; data origins are resolved through the caller's `locate` only when asked.
 */
export class SourceMap<Origin = unknown> {
  private readonly starts: number[];

  constructor(
    readonly segments: readonly OutputSegment[],
    private readonly locate: RenderInput<Origin>['locate'],
  ) {
    this.starts = segments.map((s) => s.start);
  }

  /** The segment containing `offset` (the last one for the end of the output). */
  segmentAt(offset: number): OutputSegment | undefined {
    const segs = this.segments;
    if (segs.length === 0) return undefined;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return segs[lo];
  }

  private origin(o: ValueOrigin | undefined): Origin | undefined {
    if (!o || o.kind !== 'data' || !this.locate) return undefined;
    return this.locate(o.container, o.key, o.isKey === true);
  }

  /** Where the output character at `offset` came from. */
  at(offset: number): MappedLocation<Origin> | undefined {
    const seg = this.segmentAt(offset);
    if (!seg) return undefined;
    const rel = Math.min(Math.max(0, offset - seg.start), seg.end - seg.start);
    if (!seg.action) return { kind: 'text', file: seg.src.name, offset: seg.srcOffset + rel };
    if (seg.origin?.kind === 'partial') return { kind: 'partial', path: seg.origin.path, offset: mapOffset(seg.origin.map, rel) };
    let origin: ValueOrigin | undefined = seg.origin;
    if (seg.parts) {
      // The innermost part of a marshalled value that contains the offset.
      let best: { start: number; end: number; origin: ValueOrigin } | undefined;
      for (const p of seg.parts) {
        if (p.start <= rel && rel < p.end && (!best || p.end - p.start < best.end - best.start)) best = p;
      }
      if (best) origin = best.origin;
    }
    const located = this.origin(origin);
    const snippet = this.snippet(seg);
    const base = { kind: 'action' as const, file: seg.src.name, span: actionSpan(seg.action), expression: nodeString(seg.action.pipe), snippet };
    return located !== undefined ? { ...base, origin: located } : base;
  }

  private snippet(seg: OutputSegment): string {
    return this.output === undefined ? '' : this.output.slice(seg.start, seg.end);
  }

  /** Set by render: the output text, for snippets. */
  output: string | undefined;
}

function toError(e: unknown, notes: RenderNote[]): TemplateError {
  if (e instanceof TemplateParseError) return { ok: false, kind: 'syntax', file: e.source.name, offset: e.offset, length: e.length, message: e.message, notes };
  if (e instanceof TemplateExecError) {
    const base = { ok: false as const, kind: 'exec' as const, file: e.source?.name ?? '', offset: e.offset, length: e.length, message: e.message, notes };
    return e.unsupportedFunction ? { ...base, unsupportedFunction: e.unsupportedFunction } : base;
  }
  // Never let a renderer bug take the checker down: report it where the user can see it.
  const message = e instanceof RangeError ? 'the template or its data is nested too deeply to render' : `KrakenD Live's renderer failed: ${e instanceof Error ? e.message : String(e)}`;
  return { ok: false, kind: 'exec', file: '', offset: 0, length: 0, message, notes, internal: true };
}

function convertNotes(notes: readonly ExecNote[]): RenderNote[] {
  const out: RenderNote[] = [];
  const seen = new Set<string>();
  for (const n of notes) {
    const note: RenderNote = n.kind === 'no-value' ? { kind: 'no-value', span: actionSpan(n.action), expression: nodeString(n.action.pipe) } : { kind: 'missing-partial', span: nodeSpan(n.node), path: n.path };
    const key = `${note.kind}:${note.span.file}:${note.span.offset}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(note);
  }
  return out;
}

/** Go's AddParseTree/associate: a new empty tree never replaces an existing one. */
function addTrees(set: Map<string, Tree>, trees: ReadonlyMap<string, Tree>): void {
  for (const [name, tree] of trees) {
    if (set.has(name) && isEmptyTree(tree.root)) continue;
    set.set(name, tree);
  }
}

const FUNCTIONS = krakendFunctions();

/**
 * Parsed files by name and text. Every keystroke re-renders the whole project, but usually
 * only one file changed; trees are never modified after parsing, so they can be shared.
 */
const parsed = new Map<string, ReadonlyMap<string, Tree>>();
const PARSE_CACHE_SIZE = 256;

function parseCached(name: string, text: string): ReadonlyMap<string, Tree> {
  const key = `${name}\0${text}`;
  let trees = parsed.get(key);
  if (!trees) {
    trees = parseTemplate(name, text, hasFunction);
    if (parsed.size >= PARSE_CACHE_SIZE) parsed.delete(parsed.keys().next().value!);
    parsed.set(key, trees);
  }
  return trees;
}

function hasFunction(name: string): boolean {
  return FUNCTIONS.funcs.has(name);
}

/**
 * Renders a template set as KrakenD's Flexible Configuration does. Returns the output with
 * its source map and notes, or Go's parse or execution error with its position.
 */
export function render<Origin = unknown>(input: RenderInput<Origin>): RenderResult<Origin> {
  const set = new Map<string, Tree>();
  const notes: RenderNote[] = [];
  try {
    addTrees(set, parseCached(input.main.name, input.main.text));
    for (const t of input.templates) addTrees(set, parseCached(t.name, t.text));
  } catch (e) {
    return toError(e, notes);
  }
  // The settings came from encoding/json, which leaves slices room to grow that `slice` can reach.
  withDecodedCapacity(input.data);
  let result;
  try {
    result = execute({
      templates: set,
      name: input.main.name,
      setName: 'config',
      data: input.data,
      funcs: FUNCTIONS.funcs,
      builtins: FUNCTIONS.builtins,
      env: (n) => input.env(n),
      now: () => input.now(),
      readPartial: (p) => input.readPartial(p),
    });
  } catch (e) {
    return toError(e, e instanceof TemplateExecError ? convertNotes(e.notes) : notes);
  }
  const map = new SourceMap<Origin>(result.segments, input.locate);
  map.output = result.output;
  return { ok: true, output: result.output, map, notes: convertNotes(result.notes) };
}

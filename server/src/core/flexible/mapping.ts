/**
 * Problems found in the rendered configuration, moved to the file that produced the text:
 * template text maps 1:1 into its template, an `include`d partial 1:1 into the partial, a
 * value printed by an action into the settings value it came from (when it came straight
 * from settings) or else onto the action itself, with the rendered snippet in the message.
 */
import type { OutputSegment } from '../template/exec';
import type { MappedLocation, SourceMap } from '../template/render';
import { quote } from '../go/strconv';
import type { Problem, Span } from '../types';
import type { FlexibleRender } from './project';
import type { FileProblem, SettingsOrigin } from './settings';

const MAX_SNIPPET = 60;

function shorten(s: string): string {
  return s.length > MAX_SNIPPET ? `${s.slice(0, MAX_SNIPPET - 1)}…` : s;
}

function lineOf(text: string | undefined, offset: number): number {
  if (text === undefined) return 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

type ActionLocation = Extract<MappedLocation<SettingsOrigin>, { kind: 'action' }>;

class Mapper {
  constructor(
    private readonly r: FlexibleRender,
    private readonly map: SourceMap<SettingsOrigin>,
    private readonly output: string,
  ) {}

  private fileOf(templateName: string): string {
    return this.r.templatePaths.get(templateName) ?? templateName;
  }

  private partialFile(path: string): string {
    return this.r.partialPaths.get(path) ?? path;
  }

  /** A problem moved onto an action's output: into settings when the value came from there. */
  private onAction(loc: ActionLocation, p: Problem): FileProblem {
    const file = this.fileOf(loc.file);
    const source = this.r.texts.get(file);
    const actionText = shorten(source?.slice(loc.span.offset, loc.span.offset + loc.span.length) ?? loc.expression);
    // A quick fix's repair is for the rendered text; on an action or a settings value it could
    // replace the wrong thing, so it is dropped there (text and partials map 1:1 and keep it).
    const { data: _repair, ...rest } = p;
    if (loc.origin) {
      const line = lineOf(source, loc.span.offset);
      return { file: loc.origin.file, problem: { ...rest, message: `${p.message} (rendered by ${actionText} in ${file}:${line})`, span: loc.origin.span } };
    }
    return { file, problem: { ...rest, message: `${p.message} (rendered from ${actionText} as ${quote(shorten(loc.snippet))})`, span: { offset: loc.span.offset, length: loc.span.length } } };
  }

  /** The segments a span of the output touches. */
  private overlapping(start: number, end: number): OutputSegment[] {
    const segs: OutputSegment[] = [];
    const first = this.map.segmentAt(start);
    if (!first) return segs;
    let i = this.map.segments.indexOf(first);
    for (; i < this.map.segments.length; i++) {
      const s = this.map.segments[i]!;
      if (s.start >= end && segs.length > 0) break;
      segs.push(s);
    }
    return segs;
  }

  mapProblem(p: Problem): FileProblem | undefined {
    const out = this.output;
    if (out.length === 0) return undefined;
    if (p.span.offset >= out.length) return this.atEnd(p);
    const s = p.span.offset;
    const e = Math.max(s + 1, Math.min(p.span.offset + p.span.length, out.length));
    const segs = this.overlapping(s, e);
    // A value written entirely by one action (maybe between quotes) belongs to that action.
    const printed = segs.filter((g) => g.action);
    const textOnly = segs.filter((g) => !g.action);
    const trivialText = textOnly.every((g) => /^[\s"]*$/.test(out.slice(Math.max(g.start, s), Math.min(g.end, e))));
    if (printed.length === 1 && trivialText) {
      const g = printed[0]!;
      const loc = this.map.at(Math.max(g.start, s));
      if (loc?.kind === 'action') return this.onAction(loc, p);
      if (loc?.kind === 'partial') return this.onPartial(loc.path, loc.offset, Math.min(g.end, e) - Math.max(g.start, s), p);
    }
    const start = this.map.at(s);
    if (!start) return undefined;
    if (start.kind === 'action') return this.onAction(start, p);
    const last = this.map.at(e - 1);
    const wanted = p.span.length === 0 ? 0 : undefined;
    if (start.kind === 'partial') {
      const sameEnd = last?.kind === 'partial' && last.path === start.path && last.offset >= start.offset;
      return this.onPartial(start.path, start.offset, wanted ?? (sameEnd ? last.offset - start.offset + 1 : 1), p);
    }
    const file = this.fileOf(start.file);
    let length: number;
    if (wanted !== undefined) length = 0;
    else if (last?.kind === 'text' && this.fileOf(last.file) === file && last.offset >= start.offset) length = last.offset - start.offset + 1;
    else if (last?.kind === 'action' && this.fileOf(last.file) === file && last.span.offset >= start.offset) length = last.span.offset + last.span.length - start.offset;
    else {
      const seg = this.map.segmentAt(s)!;
      length = seg.end - s;
    }
    return { file, problem: { ...p, span: { offset: start.offset, length } } };
  }

  /** A problem at the end of the output (unexpected end of input): just after whatever wrote the last text. */
  private atEnd(p: Problem): FileProblem | undefined {
    const seg = this.map.segments[this.map.segments.length - 1];
    if (!seg) return undefined;
    const file = this.fileOf(seg.src.name);
    if (seg.origin?.kind === 'partial') return this.onPartial(seg.origin.path, seg.end - seg.start, 0, p);
    const offset = seg.action ? seg.action.delimEnd : seg.srcOffset + (seg.end - seg.start);
    return { file, problem: { ...p, span: { offset, length: 0 } } };
  }

  private onPartial(path: string, offset: number, length: number, p: Problem): FileProblem {
    return { file: this.partialFile(path), problem: { ...p, span: { offset, length: Math.max(0, length) } } };
  }
}

function sameSpan(a: Span, b: Span): boolean {
  return a.offset === b.offset && a.length === b.length;
}

/**
 * Maps problems found in the rendered text back to the project's files. A mapped problem that
 * lands exactly where a template problem already is (a missing partial, a `<no value>` that
 * breaks the JSON) is dropped: the template problem says it better.
 */
export function mapDiagnostics(r: FlexibleRender, problems: readonly Problem[]): FileProblem[] {
  if (!r.result) return [];
  const mapper = new Mapper(r, r.result.map, r.result.output);
  const taken = r.problems.filter((p) => p.problem.code === 'template/missing-file');
  const consequences = missingPartialWindows(r, taken);
  const out: FileProblem[] = [];
  for (const p of problems) {
    // The syntax error right where a missing partial inserted nothing is that partial's fault.
    if (/^(json|yaml)\//.test(p.code) && consequences.some(([a, b]) => p.span.offset >= a && p.span.offset <= b)) continue;
    const m = mapper.mapProblem(p);
    if (!m) continue;
    if (taken.some((t) => t.file === m.file && sameSpan(t.problem.span, m.problem.span))) continue;
    out.push(m);
  }
  return out;
}

/** Output stretches (the empty insertion and the blanks after it) where each missing partial left nothing. */
function missingPartialWindows(r: FlexibleRender, missing: readonly FileProblem[]): [number, number][] {
  if (!r.result || missing.length === 0) return [];
  const out = r.result.output;
  const windows: [number, number][] = [];
  for (const seg of r.result.map.segments) {
    if (!seg.action || seg.end !== seg.start) continue;
    const file = r.templatePaths.get(seg.src.name) ?? seg.src.name;
    const hit = missing.some((m) => m.file === file && m.problem.span.offset >= seg.action!.delimStart && m.problem.span.offset < seg.action!.delimEnd);
    if (!hit) continue;
    let end = seg.start;
    while (end < out.length && /\s/.test(out[end]!)) end++;
    windows.push([seg.start, end]);
  }
  return windows;
}

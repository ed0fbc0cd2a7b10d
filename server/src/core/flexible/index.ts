/**
 * Flexible Configuration checking in one call: render the project as KrakenD does, check the
 * rendered configuration with the normal pipeline, and report every problem in the file that
 * caused it (template, partial or settings), as LSP-ready diagnostics per file.
 *
 * ```ts
 * const r = checkFlexibleProject({ mainPath, mainText, options: { settings, partials, templates }, readers });
 * for (const [path, { diagnostics }] of r.files) publish(path, diagnostics);
 * ```
 */
import type { ValueNode } from '../ast';
import { CODES } from '../../../../shared/codes';
import { checkProblems } from '../check';
import type { ParseResult } from '../parse';
import { LineIndex } from '../positions';
import type { ConfigFormat, Diagnostic, Problem, ProblemData } from '../types';
import type { AuditOptions } from '../audit';
import { formatOf } from '../types';
import { mapDiagnostics } from './mapping';
import type { FlexibleProjectInput, FlexibleRender } from './project';
import { renderProject } from './project';
import type { FileProblem } from './settings';

export type { FlexibleOptions, FlexibleProjectInput, FlexibleReaders, FlexibleRender } from './project';
export type { FileProblem, SettingsOrigin } from './settings';
export { baseName, renderProject } from './project';
export { mapDiagnostics } from './mapping';
export type { RenderDependencies } from './dependencies';
export { dependsOn, renderDependencies } from './dependencies';
export type { FlexibleFolderSettings, FlexibleSetup, FlexibleSetupInput } from './setup';
export { flexibleEnv, flexibleSetup, setupFormat } from './setup';

export interface FlexibleCheckInput extends FlexibleProjectInput, RenderedCheckOptions {}

/** How the rendered configuration is checked. */
export interface RenderedCheckOptions {
  /**
   * FC_OUT, when set: KrakenD parses the rendered text by its extension (`.yml`/`.yaml` as
   * YAML, anything else as JSON). Without it the output is JSON.
   */
  readonly out?: string;
  /** The schema lint for the rendered configuration, as for checkConfig. */
  readonly lint?: (root: ValueNode) => readonly Problem[];
  /** Overrides what `out` says (a YAML configuration checked in the editor without FC_OUT). */
  readonly format?: ConfigFormat;
  /** parseConfig of the rendered output, when the caller already parsed it (to choose the schema). */
  readonly parsed?: ParseResult;
  /** Problems the caller found in the rendered output while preparing the check (`schema/bundled`). */
  readonly extra?: readonly Problem[];
  /** Runs `krakend audit`'s rules on the rendered configuration too. */
  readonly audit?: AuditOptions;
}

export interface FileDiagnostics {
  /** The file's text as the check read it. */
  readonly text: string;
  /** Sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface FlexibleCheckOutput {
  /** Every file involved, with its diagnostics (possibly none), by path. */
  readonly files: ReadonlyMap<string, FileDiagnostics>;
  /** The render, with the rendered text and its source map when rendering succeeded. */
  readonly render: FlexibleRender;
  /** The rendered configuration's parsed tree, when it parsed. */
  readonly root?: ValueNode;
  readonly errors: number;
  readonly warnings: number;
}

/** The format KrakenD parses the rendered output in. */
export function renderedFormat(out: string | undefined): ConfigFormat {
  return out ? formatOf(out) : 'json';
}

/**
 * Renders and checks a Flexible Configuration project; returns diagnostics per file.
 * Template and settings problems stop the check where they stop KrakenD.
 */
export function checkFlexibleProject(input: FlexibleCheckInput): FlexibleCheckOutput {
  return checkFlexibleRender(renderProject(input), input);
}

/**
 * Checks a project already rendered with renderProject (a caller that must choose the schema
 * from the rendered `$schema` renders first, then checks), mapping every problem back.
 */
export function checkFlexibleRender(r: FlexibleRender, options: RenderedCheckOptions): FlexibleCheckOutput {
  const all: FileProblem[] = [...r.problems];
  let root: ValueNode | undefined;
  if (r.result) {
    const checked = checkProblems({
      text: r.result.output,
      format: options.format ?? renderedFormat(options.out),
      ...(options.parsed ? { parsed: options.parsed } : {}),
      ...(options.lint ? { lint: options.lint } : {}),
      ...(options.extra ? { extra: options.extra } : {}),
      ...(options.audit ? { audit: options.audit } : {}),
    });
    root = checked.root;
    all.push(...mapDiagnostics(r, checked.problems));
  }
  const byFile = new Map<string, Diagnostic[]>();
  for (const path of r.texts.keys()) byFile.set(path, []);
  const indexes = new Map<string, LineIndex>();
  let errors = 0;
  let warnings = 0;
  // A partial or sub-template rendered twice (once per endpoint of a range) yields the same
  // problem at the same place twice: the user fixes it once, so it is reported once.
  const seen = new Set<string>();
  for (const { file, problem } of all) {
    const key = `${file}\0${problem.code}\0${problem.span.offset}\0${problem.span.length}\0${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let index = indexes.get(file);
    if (!index) {
      index = new LineIndex(r.texts.get(file) ?? '');
      indexes.set(file, index);
    }
    const severity = problem.severity ?? CODES[problem.code].severity;
    if (severity === 'error') errors++;
    else if (severity === 'warning') warnings++;
    const list = byFile.get(file) ?? [];
    const d: Diagnostic = { code: problem.code, severity, message: problem.message, range: index.rangeOf(problem.span) };
    // Only problems moved 1:1 (template text, a partial) keep their quick-fix data: see mapping.ts.
    // An addition's path is of the rendered tree, which no template file has: it is dropped.
    const data = problem.data?.add ? withoutAddition(problem.data) : problem.data;
    list.push(data ? { ...d, data } : d);
    byFile.set(file, list);
  }
  const files = new Map<string, FileDiagnostics>();
  for (const [path, diagnostics] of byFile) {
    diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    files.set(path, { text: r.texts.get(path) ?? '', diagnostics });
  }
  return root ? { files, render: r, root, errors, warnings } : { files, render: r, errors, warnings };
}

function withoutAddition(data: ProblemData): ProblemData | undefined {
  const { add: _add, ...rest } = data;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** Sibling folders KrakenD users conventionally keep beside the configuration. */
export const CONVENTIONAL_FOLDERS = { settings: 'settings', partials: 'partials', templates: 'templates' } as const;

/**
 * Auto-detection: which of `settings/`, `partials/`, `templates/` exist beside the config
 * (`hasDir` is injected). Returns options with `detected` set, or undefined when none exists.
 */
export function detectFlexibleConfig(configDir: string, hasDir: (path: string) => boolean): { settings?: string; partials?: string; templates?: string; detected: true } | undefined {
  const join = (name: string): string => (configDir === '' ? name : `${configDir.replace(/[/\\]+$/, '')}/${name}`);
  const found: { settings?: string; partials?: string; templates?: string } = {};
  for (const key of ['settings', 'partials', 'templates'] as const) {
    const p = join(CONVENTIONAL_FOLDERS[key]);
    if (hasDir(p)) found[key] = p;
  }
  return Object.keys(found).length > 0 ? { ...found, detected: true } : undefined;
}


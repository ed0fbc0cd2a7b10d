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
import { LineIndex } from '../positions';
import type { ConfigFormat, Diagnostic, Problem } from '../types';
import { formatOf } from '../types';
import { mapDiagnostics } from './mapping';
import type { FlexibleProjectInput, FlexibleRender } from './project';
import { renderProject } from './project';
import type { FileProblem } from './settings';

export type { FlexibleOptions, FlexibleProjectInput, FlexibleReaders, FlexibleRender } from './project';
export type { FileProblem, SettingsOrigin } from './settings';
export { baseName, renderProject } from './project';
export { mapDiagnostics } from './mapping';

export interface FlexibleCheckInput extends FlexibleProjectInput {
  /**
   * FC_OUT, when set: KrakenD parses the rendered text by its extension (`.yml`/`.yaml` as
   * YAML, anything else as JSON). Without it the output is JSON.
   */
  readonly out?: string;
  /** The schema lint for the rendered configuration, as for checkConfig. */
  readonly lint?: (root: ValueNode) => readonly Problem[];
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
  const r = renderProject(input);
  const all: FileProblem[] = [...r.problems];
  let root: ValueNode | undefined;
  if (r.result) {
    const checked = checkProblems({ text: r.result.output, format: renderedFormat(input.out), ...(input.lint ? { lint: input.lint } : {}) });
    root = checked.root;
    all.push(...mapDiagnostics(r, checked.problems));
  }
  const byFile = new Map<string, Diagnostic[]>();
  for (const path of r.texts.keys()) byFile.set(path, []);
  const indexes = new Map<string, LineIndex>();
  let errors = 0;
  let warnings = 0;
  for (const { file, problem } of all) {
    let index = indexes.get(file);
    if (!index) {
      index = new LineIndex(r.texts.get(file) ?? '');
      indexes.set(file, index);
    }
    const severity = problem.severity ?? CODES[problem.code].severity;
    if (severity === 'error') errors++;
    else if (severity === 'warning') warnings++;
    const list = byFile.get(file) ?? [];
    list.push({ code: problem.code, severity, message: problem.message, range: index.rangeOf(problem.span) });
    byFile.set(file, list);
  }
  const files = new Map<string, FileDiagnostics>();
  for (const [path, diagnostics] of byFile) {
    diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    files.set(path, { text: r.texts.get(path) ?? '', diagnostics });
  }
  return root ? { files, render: r, root, errors, warnings } : { files, render: r, errors, warnings };
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


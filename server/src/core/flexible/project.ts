/**
 * A Flexible Configuration project rendered as KrakenD renders it (krakend-flexibleconfig
 * `template.go`): settings from FC_SETTINGS, templates from FC_TEMPLATES, partials from
 * FC_PARTIALS through `include`, the -c file executed by its base name. I/O is injected.
 */
import type { RenderNote, RenderSuccess } from '../template/render';
import { render } from '../template/render';
import { pathJoin } from '../template/sprig/misc';
import type { Problem } from '../types';
import type { FileProblem, SettingsFile, SettingsOrigin } from './settings';
import { SettingsIndex, loadSettings, settingsErrorMessage } from './settings';

/** What the renderer may read; everything is injected so the core stays pure. */
export interface FlexibleReaders {
  /** The entry names of a directory, or undefined when it cannot be read. */
  listDir(dir: string): readonly string[] | undefined;
  /** A file's text, or undefined when it cannot be read. */
  readFile(path: string): string | undefined;
  env(name: string): string | undefined;
  now(): Date;
}

/** The FC_* settings, as KrakenD reads them: unset or empty means not used. */
export interface FlexibleOptions {
  readonly settings?: string;
  readonly partials?: string;
  readonly templates?: string;
  /**
   * The folders were found beside the configuration rather than configured: the result
   * carries a `template/detected` note naming them (`true`), or saying this (a string).
   */
  readonly detected?: boolean | string;
}

export interface FlexibleProjectInput {
  /** The -c file: its path as the readers understand it, and its text. */
  readonly mainPath: string;
  readonly mainText: string;
  readonly options: FlexibleOptions;
  readonly readers: FlexibleReaders;
}

export interface FlexibleRender {
  /** The text of every file involved (main, settings, templates, partials read), by path. */
  readonly texts: ReadonlyMap<string, string>;
  /** Template, settings and folder problems, in the files they belong to. */
  readonly problems: readonly FileProblem[];
  /** The rendered configuration, when rendering succeeded. */
  readonly result?: RenderSuccess<SettingsOrigin>;
  /** The path each template file name stands for. */
  readonly templatePaths: ReadonlyMap<string, string>;
  /** The path each `include` argument was read from. */
  readonly partialPaths: ReadonlyMap<string, string>;
}

/** filepath.Base: the last element of a path (both separators, so Windows paths work too). */
export function baseName(path: string): string {
  const trimmed = path.replace(/[/\\]+$/, '');
  const i = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return trimmed.slice(i + 1) || '/';
}

function joinPath(dir: string, name: string): string {
  // Keep the caller's own separator style for Windows paths; Go's path.Join for the rest.
  if (dir.includes('\\') && !dir.includes('/')) return `${dir.replace(/\\+$/, '')}\\${name}`;
  return pathJoin(dir, name);
}

/** Go's `open <dir>: no such file or directory`. */
function missingDir(dir: string): string {
  return `open ${dir}: no such file or directory`;
}

const LINE_ONE = { offset: 0, length: 0 };

/** Names of the folders in use, for the `template/detected` note. */
function detectedMessage(o: FlexibleOptions): string {
  const parts = [o.settings, o.partials, o.templates].filter((d): d is string => !!d).map((d) => `${baseName(d)}/`);
  return `Flexible Configuration detected: ${parts.join(', ')}`;
}

/**
 * Renders the project. Settings or folder errors stop it, as they stop KrakenD, with
 * KrakenD's message positioned in the file at fault; template errors come back positioned
 * in the template or partial.
 */
export function renderProject(input: FlexibleProjectInput): FlexibleRender {
  const { readers, options } = input;
  const texts = new Map<string, string>([[input.mainPath, input.mainText]]);
  const problems: FileProblem[] = [];
  const templatePaths = new Map<string, string>();
  const partialPaths = new Map<string, string>();
  const mainName = baseName(input.mainPath);
  templatePaths.set(mainName, input.mainPath);
  const onMain = (problem: Problem): void => void problems.push({ file: input.mainPath, problem });

  if (options.detected) onMain({ code: 'template/detected', message: typeof options.detected === 'string' ? options.detected : detectedMessage(options), span: LINE_ONE });

  // Settings and templates are listed first; KrakenD reports their errors together.
  let failed = false;
  const index = new SettingsIndex();
  let data: Record<string, unknown> = {};
  if (options.settings) {
    const names = readers.listDir(options.settings);
    if (!names) {
      failed = true;
      onMain({ code: 'template/missing-file', message: settingsErrorMessage(options.settings, missingDir(options.settings)), span: LINE_ONE });
    } else {
      const files: SettingsFile[] = [];
      for (const name of [...names].sort()) {
        if (!name.endsWith('.json')) continue;
        const path = joinPath(options.settings, name);
        const text = readers.readFile(path);
        if (text === undefined) {
          failed = true;
          onMain({ code: 'template/missing-file', message: settingsErrorMessage(name, `read ${path}: is a directory`), span: LINE_ONE });
          continue;
        }
        texts.set(path, text);
        files.push({ name, path, text });
      }
      const loaded = loadSettings(files, index);
      problems.push(...loaded.problems);
      failed ||= loaded.failed;
      data = loaded.data;
    }
  }
  const templates: { name: string; text: string }[] = [];
  if (options.templates) {
    const names = readers.listDir(options.templates);
    if (!names) {
      failed = true;
      onMain({ code: 'template/missing-file', message: settingsErrorMessage(options.templates, missingDir(options.templates)), span: LINE_ONE });
    } else {
      for (const name of [...names].sort()) {
        if (!name.endsWith('.tmpl')) continue;
        const path = joinPath(options.templates, name);
        const text = readers.readFile(path);
        if (text === undefined) continue;
        texts.set(path, text);
        templates.push({ name, text });
        // A template named like the -c file replaces it, as ParseFiles does.
        templatePaths.set(name, path);
      }
    }
  }
  if (failed) return { texts, problems, templatePaths, partialPaths };

  const partialsDir = options.partials ?? '';
  const result = render<SettingsOrigin>({
    main: { name: mainName, text: input.mainText },
    templates,
    data,
    readPartial: (arg) => {
      const path = partialsDir === '' ? pathJoin(arg) : joinPath(partialsDir, arg);
      partialPaths.set(arg, path);
      const text = readers.readFile(path);
      if (text !== undefined) texts.set(path, text);
      return text;
    },
    env: (n) => readers.env(n),
    now: () => readers.now(),
    locate: (container, key, isKey) => index.locate(container, key, isKey),
  });
  const fileOf = (templateName: string): string => templatePaths.get(templateName) ?? templateName;
  const notes: readonly RenderNote[] = result.notes;
  for (const n of notes) {
    const file = fileOf(n.span.file);
    const span = { offset: n.span.offset, length: n.span.length };
    if (n.kind === 'no-value') {
      problems.push({ file, problem: { code: 'template/no-value', message: `${n.expression} has no value: the template printed <no value>`, span } });
    } else {
      const path = partialPaths.get(n.path) ?? n.path;
      problems.push({ file, problem: { code: 'template/missing-file', message: `include ${JSON.stringify(n.path)}: open ${path}: no such file or directory (KrakenD inserts nothing)`, span } });
    }
  }
  if (!result.ok) {
    const code = result.internal ? 'internal/error' : result.unsupportedFunction ? 'template/unsupported-function' : result.kind === 'syntax' ? 'template/syntax' : 'template/exec';
    const message = result.unsupportedFunction ? `${result.message}; the rendered configuration is not checked` : result.message;
    problems.push({ file: fileOf(result.file) || input.mainPath, problem: { code, message, span: { offset: result.offset, length: result.length } } });
    return { texts, problems, templatePaths, partialPaths };
  }
  return { texts, problems, result, templatePaths, partialPaths };
}

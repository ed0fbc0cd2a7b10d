/**
 * One check of the watched configuration from disk, with the language server's checker: plain
 * JSON/YAML, or a Flexible Configuration when FC_ENABLE is set (the FC_* variables read as
 * `krakend-live check` reads them). It also says what the gateway controller needs to stage the
 * same files (the check result) and what to watch next (every file the check read).
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { CheckResultParams, FlexibleCheckInfo } from '../../../shared/protocol';
import { DEFAULT_SERVER_SETTINGS } from '../../../shared/settings';
import type { ServerSettings } from '../../../shared/settings';
import { checkFlexible, checkText } from '../../../server/src/node/checker';
import type { SchemaResolver } from '../../../server/src/node/checker';
import type { FileReport } from '../../../server/src/cli/format';
import { flexibleEnv, renderDependencies, setupFormat } from '../../../server/src/core/flexible';
import type { FlexibleSetup, RenderDependencies } from '../../../server/src/core/flexible';
import { flexibleFromEnv } from '../../../server/src/node/fcEnv';
import { flexibleReaders, nodeFlexibleFs } from '../../../server/src/node/flexibleFs';

export interface WatchCheck {
  /** Problems per file, paths as the user gave them (FC: as the FC_* variables name them). */
  readonly reports: readonly FileReport[];
  readonly ok: boolean;
  readonly errors: number;
  readonly warnings: number;
  readonly durationMs: number;
  /** The configuration's text that was checked: the controller stages exactly this. */
  readonly text: string;
  /** For the controller: what a Flexible Configuration's check used (absolute folders). */
  readonly result: Omit<CheckResultParams, 'trigger'>;
  /** A Flexible Configuration's output, which gives the gateway its port and health path. */
  readonly rendered?: { readonly text: string; readonly format: 'json' | 'yaml' };
  /** Everything the check read, to watch for the next change. */
  readonly dependencies: RenderDependencies;
}

export interface WatchCheckerOptions {
  readonly resolver: SchemaResolver;
  /** The working folder: relative FC_* paths (and FILE) are relative to it, as for krakend. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now?: () => number;
}

/** Checks `file` (as given on the command line) from disk; rejects only when it cannot be read. */
export async function checkOnDisk(file: string, options: WatchCheckerOptions): Promise<WatchCheck> {
  const now = options.now ?? (() => performance.now());
  const began = now();
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(options.cwd, p));
  const text = await readFile(abs(file), 'utf8');
  const schema: ServerSettings['schema'] = { ...DEFAULT_SERVER_SETTINGS.schema, download: false };
  const fc = flexibleFromEnv(options.env);
  const base = { uri: `file://${abs(file)}`, schema: { origin: 'none' as const } };
  if (!fc) {
    const { output, schema: used } = await checkText(text, file, options.resolver, schema);
    const durationMs = now() - began;
    const summary = { ok: output.errors === 0, errors: output.errors, warnings: output.warnings, durationMs };
    return { ...summary, reports: [{ file, diagnostics: output.diagnostics }], text, result: { ...base, ...summary, schema: used }, dependencies: { files: new Set([abs(file)]), dirs: new Map() } };
  }
  const readers = flexibleReaders(nodeFlexibleFs, { baseDir: options.cwd, env: (name) => options.env[name] });
  const { output, schema: used } = await checkFlexible({ mainPath: file, mainText: text, setup: fc, readers }, options.resolver, schema);
  const durationMs = now() - began;
  const reports: FileReport[] = [{ file, diagnostics: output.files.get(file)?.diagnostics ?? [] }];
  for (const [path, { diagnostics }] of output.files) if (path !== file) reports.push({ file: path, config: file, diagnostics });
  const summary = { ok: output.errors === 0, errors: output.errors, warnings: output.warnings, durationMs };
  const flexible = flexibleInfo(fc, abs, [...output.render.texts.keys()].map(abs));
  const deps = renderDependencies(output.render, fc.options, abs);
  // The configuration itself, even when the render never got to read it as a template.
  const dependencies = { files: new Set([abs(file), ...deps.files]), dirs: deps.dirs };
  const rendered = output.render.result ? { text: output.render.result.output, format: setupFormat(fc) } : undefined;
  return { ...summary, reports, text, result: { ...base, ...summary, schema: used, flexible }, ...(rendered ? { rendered } : {}), dependencies };
}

/** The check's FC inputs as the controller takes them from the language server: absolute paths. */
function flexibleInfo(setup: FlexibleSetup, abs: (p: string) => string, files: readonly string[]): FlexibleCheckInfo {
  const given = flexibleEnv(setup);
  return {
    ...(given.settings ? { settings: abs(given.settings) } : {}),
    ...(given.partials ? { partials: abs(given.partials) } : {}),
    ...(given.templates ? { templates: abs(given.templates) } : {}),
    ...(given.out ? { out: given.out } : {}),
    format: setupFormat(setup),
    files,
  };
}

/** The folders to watch for these dependencies: every file's folder, and the listed folders. */
export function foldersOf(deps: RenderDependencies): string[] {
  return [...new Set([...[...deps.files].map((f) => dirname(f)), ...deps.dirs.keys()])].sort();
}

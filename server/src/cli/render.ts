/**
 * The CLI's Flexible Configuration output, for Docker builds and pipes that need the rendered
 * `krakend.json` without KrakenD:
 * - `check` writes FC_OUT as krakend-flexibleconfig does: the rendered bytes, once rendering
 *   succeeds and before the output is parsed (so a file that then fails to parse is still there
 *   to look at), with the temporary file's mode 0600;
 * - `render FILE` writes the rendered output to stdout and every problem to stderr.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { DEFAULT_SERVER_SETTINGS } from '../../../shared/settings';
import { checkFlexible } from '../node/checker';
import { formatText } from './format';
import type { FileReport } from './format';
import type { FlexibleCheckOutput, FlexibleSetup } from '../core/flexible';
import { goStringBytes } from '../core/go/utf8';
import { flexibleFromEnv } from '../node/fcEnv';
import { flexibleReaders, nodeFlexibleFs } from '../node/flexibleFs';
import type { Subcommand } from './subcommand';
import { readArgFile } from './input';

const USAGE = `usage: krakend-live render FILE

Renders the Flexible Configuration FILE as KrakenD does (FC_SETTINGS, FC_PARTIALS and FC_TEMPLATES,
relative to the current folder; FC_ENABLE is implied) and writes the result to stdout, byte for byte
what KrakenD writes to FC_OUT; FC_OUT, when set, is written too. Problems go to stderr.
Exit status: 0 rendered without errors, 1 the template or the rendered configuration has errors
(the output is still written when rendering succeeded), 2 usage error or unreadable file.`;

/**
 * Writes FC_OUT when the setup names one and rendering succeeded; returns what went wrong,
 * as a line for stderr, or undefined.
 */
export function writeFcOut(setup: FlexibleSetup, output: FlexibleCheckOutput): string | undefined {
  const rendered = output.render.result?.output;
  if (!setup.out || rendered === undefined) return undefined;
  try {
    writeFileSync(setup.out, goStringBytes(rendered));
    // KrakenD copies a temporary file into place and gives the copy its mode.
    chmodSync(setup.out, 0o600);
    return undefined;
  } catch (e) {
    return `FC_OUT ${setup.out}: cannot write: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Every file's problems from a Flexible Configuration check, the FILE first. */
export function flexibleReports(file: string, output: FlexibleCheckOutput): FileReport[] {
  const reports: FileReport[] = [{ file, diagnostics: output.files.get(file)?.diagnostics ?? [] }];
  for (const [path, { diagnostics }] of output.files) if (path !== file) reports.push({ file: path, config: file, diagnostics });
  return reports;
}

/** `render FILE`; the exit status. */
async function runRender(argv: readonly string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const files = argv[0] === '--' ? argv.slice(1) : argv;
  const file = files[0];
  if (files.length !== 1 || file === undefined || (file.startsWith('-') && argv[0] !== '--')) {
    process.stderr.write(`${files.length === 0 ? 'no FILE given' : files.length > 1 ? 'render takes one FILE' : `unknown option '${file}'`}\n${USAGE}\n`);
    return 2;
  }
  const text = readArgFile(file, process.stderr);
  if (text === undefined) return 2;
  const setup = flexibleFromEnv({ ...process.env, FC_ENABLE: '1' })!;
  const readers = flexibleReaders(nodeFlexibleFs, { baseDir: process.cwd(), env: (name) => process.env[name] });
  // No schema lint: a pipe wants the bytes, and what KrakenD itself refuses.
  const { output } = await checkFlexible({ mainPath: file, mainText: text, setup, readers }, undefined, DEFAULT_SERVER_SETTINGS.schema);
  const rendered = output.render.result?.output;
  if (rendered !== undefined) process.stdout.write(goStringBytes(rendered));
  const failed = writeFcOut(setup, output);
  if (failed) process.stderr.write(`${failed}\n`);
  const reports = flexibleReports(file, output);
  if (reports.some((r) => r.diagnostics.length > 0)) process.stderr.write(formatText(reports));
  return rendered === undefined || failed !== undefined || output.errors > 0 ? 1 : 0;
}

export const render: Subcommand = { usage: USAGE, run: runRender };

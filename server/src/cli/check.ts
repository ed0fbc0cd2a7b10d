/**
 * `node dist/cli.js check [--format text|json] [--schema FILE] [--download] FILE…`
 *
 * The same checking core as the language server, for the terminal and CI. Exit status:
 * 0 when no file has errors, 1 when one has, 2 for usage errors or unreadable files.
 */
import { accessSync, constants, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODES } from '../../../shared/codes';
import { DEFAULT_SERVER_SETTINGS } from '../../../shared/settings';
import type { ServerSettings } from '../../../shared/settings';
import { checkFlexible, checkText } from '../node/checker';
import type { SchemaResolver } from '../node/checker';
import type { FlexibleSetup } from '../core/flexible';
import { formatJson, formatText } from './format';
import { flexibleFromEnv } from '../node/fcEnv';
import { flexibleReaders, nodeFlexibleFs } from '../node/flexibleFs';
import type { Diagnostic } from '../core/types';
import type { FileReport } from './format';
import { createSchemaResolver } from '../node/schemaResolver';
import type { StoreFs } from '../node/schemaStore';
import type { Subcommand } from './subcommand';
import { readArgFile } from './input';
import { walkArgs } from '../../../shared/cliArgs';
import type { ArgSpec } from '../../../shared/cliArgs';
import { flexibleReports, writeFcOut } from './render';

const USAGE = `usage: krakend-live check [--format text|json] [--schema FILE|URL|VERSION] [--download] FILE…

Checks KrakenD configuration files the way KrakenD Live does in the editor.
  --format text|json   output format (default text: file:line:col: severity code message)
  --schema FILE|URL|VERSION  lint against this schema (or KrakenD version, e.g. 2.12) instead of the file's $schema
  --download           allow downloading the official schema named by $schema (default: cache or bundled)
Flexible Configuration: with FC_ENABLE set (any non-empty value, as for krakend), each FILE is rendered
as KrakenD renders it with FC_SETTINGS, FC_PARTIALS, FC_TEMPLATES and FC_OUT (relative to the current
folder) and every problem is reported in the file that caused it. FC_OUT is written as KrakenD writes it.
Exit status: 0 no errors, 1 errors found, 2 usage error or unreadable file.`;

interface Args {
  readonly format: 'text' | 'json';
  readonly schema: string;
  readonly download: boolean;
  readonly files: readonly string[];
}

const CHECK_ARGS: ArgSpec = { options: { '--format': 'value', '--schema': 'value', '--download': 'flag' } };

/** The arguments after `check`, or a usage error. */
function parseArgs(argv: readonly string[]): Args | string {
  const walked = walkArgs(argv, CHECK_ARGS);
  if ('help' in walked) return USAGE;
  if ('error' in walked) return `${walked.error}\n${USAGE}`;
  let format: Args['format'] = 'text';
  let schema = '';
  let download = false;
  for (const { name, value: v } of walked.options) {
    if (name === '--format') {
      if (v !== 'text' && v !== 'json') return `--format takes text or json\n${USAGE}`;
      format = v;
    } else if (name === '--schema') {
      if (!v) return `--schema takes a file or URL\n${USAGE}`;
      // A URL, a KrakenD version (`2.12`, as the krakend.schema.url setting takes), or a path.
      schema = /^[a-z]+:\/\//i.test(v) || /^v?2\.\d+$/.test(v) ? v : resolve(v);
    } else {
      download = true;
    }
  }
  if (walked.files.length === 0) return `no FILE given\n${USAGE}`;
  return { format, schema, download, files: walked.files };
}

/** `check`: every FILE, each on its own, then one report of all of them. */
async function runCheck(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    const help = args === USAGE;
    (help ? process.stdout : process.stderr).write(`${args}\n`);
    return help ? 0 : 2;
  }
  // An explicit schema that cannot be read is the caller's mistake: linting quietly with the
  // bundled schema instead would let CI pass against the wrong rules.
  const schemaPath = args.schema.startsWith('file:') ? fileURLToPath(args.schema) : /^[a-z]+:\/\//i.test(args.schema) || /^v?2\.\d+$/.test(args.schema) ? '' : args.schema;
  if (schemaPath) {
    try {
      accessSync(schemaPath, constants.R_OK);
    } catch (e) {
      process.stderr.write(`--schema ${args.schema}: cannot read: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
  }
  const schemaSettings: ServerSettings['schema'] = { ...DEFAULT_SERVER_SETTINGS.schema, url: args.schema, download: args.download };
  const storagePath = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'krakend-live', 'schemas');
  const resolver = createSchemaResolver({ storagePath, log: (m) => process.stderr.write(`${m}\n`), fs: SYNC_FS });
  const reports: FileReport[] = [];
  let unreadable = 0;
  const fc = flexibleFromEnv(process.env);
  for (const file of args.files) {
    const text = readArgFile(file, process.stderr);
    if (text === undefined) {
      unreadable++;
      continue;
    }
    try {
      if (fc) {
        reports.push(...(await checkFlexibleFile(file, text, fc, resolver, schemaSettings)));
        continue;
      }
      if (text.includes('{{')) {
        // KrakenD without FC_ENABLE reads the template as plain JSON/YAML, and so does the check;
        // the `{{` errors are real, but the way out is not in the file.
        process.stderr.write(`${file}: note: template actions ({{ }}) but FC_ENABLE is not set, so it is checked as plain JSON/YAML, as KrakenD reads it; set FC_ENABLE=1 (and FC_SETTINGS, FC_PARTIALS, FC_TEMPLATES as for krakend) to check it as a Flexible Configuration\n`);
      }
      const { output } = await checkText(text, file, resolver, schemaSettings);
      reports.push({ file, diagnostics: output.diagnostics });
    } catch (e) {
      // One file the checker chokes on must not cost the others their check (or CI its report).
      process.stderr.write(`${file}: the checker failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      reports.push({ file, diagnostics: [internalError(e)] });
    }
  }
  process.stdout.write(args.format === 'json' ? formatJson(reports) : formatText(reports, unreadable));
  // A validator kept for the next run, or a download, may still be on its way to the cache.
  await resolver.idle?.();
  if (unreadable > 0) return 2;
  return reports.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

/**
 * The schema cache's file calls, done synchronously: a command reads a cache file or two and has
 * nothing to overlap them with, and a cold process would start libuv's thread pool just for them.
 */
const SYNC_FS: StoreFs = {
  readFile: (path) => settle(() => readFileSync(path, 'utf8')),
  writeFile: (path, data) => settle(() => writeFileSync(path, data, 'utf8')),
  rename: (from, to) => settle(() => renameSync(from, to)),
  mkdir: (path, options) => settle(() => mkdirSync(path, options)),
  rm: (path, options) => settle(() => rmSync(path, options)),
};

/** A synchronous call as a promise: its error becomes a rejection, as the store expects. */
function settle<T>(call: () => T): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

/**
 * One Flexible Configuration: the FILE first, then every other file the render read (settings,
 * sub-templates, partials), each with its own problems, by the path KrakenD would use.
 */
async function checkFlexibleFile(file: string, text: string, setup: FlexibleSetup, resolver: SchemaResolver, schemaSettings: ServerSettings['schema']): Promise<FileReport[]> {
  const readers = flexibleReaders(nodeFlexibleFs, { baseDir: process.cwd(), env: (name) => process.env[name] });
  const { output } = await checkFlexible({ mainPath: file, mainText: text, setup, readers }, resolver, schemaSettings);
  const failed = writeFcOut(setup, output);
  if (failed) process.stderr.write(`${failed}\n`);
  return flexibleReports(file, output);
}

function internalError(e: unknown): Diagnostic {
  const at = { line: 0, character: 0 };
  return {
    code: 'internal/error',
    severity: CODES['internal/error'].severity,
    message: `KrakenD Live could not check this file (${e instanceof Error ? e.message : String(e)}); please report it`,
    range: { start: at, end: at },
  };
}

export const check: Subcommand = { usage: USAGE, run: runCheck };

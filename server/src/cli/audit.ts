/**
 * `node dist/cli.js audit [--format text|json] [--severity LIST] [--ignore LIST] [--ignore-file FILE]
 * [--fail-on SEVERITY] FILE…`: `krakend audit`'s recommendations, each on the line it concerns.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CODES } from '../../../shared/codes';
import { DEFAULT_SERVER_SETTINGS } from '../../../shared/settings';
import { checkFlexible, checkText } from '../node/checker';
import { AUDIT_RULE_BY_ID, AUDIT_SEVERITIES, parseIgnoreFile } from '../core/audit';
import type { AuditOptions, AuditSeverity } from '../core/audit';
import type { Diagnostic } from '../core/types';
import { formatJson } from './format';
import type { FileReport } from './format';
import { flexibleFromEnv } from '../node/fcEnv';
import { flexibleReaders, nodeFlexibleFs } from '../node/flexibleFs';
import type { Subcommand } from './subcommand';
import { readArgFile } from './input';
import { walkArgs } from '../../../shared/cliArgs';
import type { ArgSpec } from '../../../shared/cliArgs';

const AUDIT_USAGE = `usage: krakend-live audit [--format text|json] [--severity LIST] [--ignore LIST] [--ignore-file FILE] [--fail-on SEVERITY] FILE…

Reports krakend audit's recommendations (KrakenD CE 2.13.8) on the lines they concern.
  --format text|json     output format (default text: file:line:col: severity code message)
  --severity LIST        severities to report, comma-separated: CRITICAL,HIGH,MEDIUM,LOW (default all), as krakend audit -s
  --ignore LIST          rule ids not to report, comma-separated, as krakend audit -i
  --ignore-file FILE     a file of rule ids not to report, one a line, as krakend audit -I
                         (default: .krakend-audit-ignore beside each FILE, when it exists)
  --fail-on SEVERITY     exit 1 when a finding at or above CRITICAL, HIGH, MEDIUM or LOW is reported (default LOW:
                         any finding, as krakend audit), or never with 'none'
Flexible Configuration: with FC_ENABLE set, each FILE is rendered first (as for check) and every finding is
reported in the template, partial or settings file that caused it.
Exit status: 0 nothing at or above --fail-on, 1 findings (or a configuration krakend cannot read), 2 usage error or unreadable file.`;

interface AuditArgs {
  readonly format: 'text' | 'json';
  readonly severities: readonly string[];
  readonly ignore: readonly string[];
  readonly ignoreFile?: string;
  readonly failOn: AuditSeverity | 'none';
  readonly files: readonly string[];
}

function list(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

const AUDIT_ARGS: ArgSpec = { options: { '--format': 'value', '--severity': 'value', '--ignore': 'value', '--ignore-file': 'value', '--fail-on': 'value' } };

/** The arguments after `audit`, or the message to print (the usage itself for --help). */
function parseAuditArgs(argv: readonly string[]): AuditArgs | string {
  const walked = walkArgs(argv, AUDIT_ARGS);
  if ('help' in walked) return AUDIT_USAGE;
  if ('error' in walked) return `${walked.error}\n${AUDIT_USAGE}`;
  let format: AuditArgs['format'] = 'text';
  const severities: string[] = [];
  const ignore: string[] = [];
  let ignoreFile: string | undefined;
  let failOn: AuditArgs['failOn'] = 'LOW';
  for (const { name, value } of walked.options) {
    if (name === '--format') {
      if (value !== 'text' && value !== 'json') return `--format takes text or json\n${AUDIT_USAGE}`;
      format = value;
    } else if (name === '--severity') {
      const v = list(value ?? '').map((s) => s.toUpperCase());
      const bad = v.filter((s) => !(AUDIT_SEVERITIES as readonly string[]).includes(s));
      if (v.length === 0 || bad.length > 0) return `--severity takes ${AUDIT_SEVERITIES.join(',')}${bad.length > 0 ? `, not ${bad.join(',')}` : ''}\n${AUDIT_USAGE}`;
      severities.push(...v);
    } else if (name === '--ignore') {
      ignore.push(...list(value ?? ''));
    } else if (name === '--ignore-file') {
      if (!value) return `--ignore-file takes a file\n${AUDIT_USAGE}`;
      ignoreFile = value;
    } else {
      const v = (value ?? '').toUpperCase();
      if (v !== 'NONE' && !(AUDIT_SEVERITIES as readonly string[]).includes(v)) return `--fail-on takes ${AUDIT_SEVERITIES.join(', ')} or none\n${AUDIT_USAGE}`;
      failOn = v === 'NONE' ? 'none' : (v as AuditSeverity);
    }
  }
  if (walked.files.length === 0) return `no FILE given\n${AUDIT_USAGE}`;
  return { format, severities, ignore, ...(ignoreFile !== undefined ? { ignoreFile } : {}), failOn, files: walked.files };
}

/** The KrakenD severity of an audit diagnostic. */
function severityOf(d: Diagnostic): AuditSeverity | undefined {
  return AUDIT_RULE_BY_ID.get(d.code.slice('audit/'.length))?.severity;
}

/** `node dist/cli.js audit …`. */
export const audit: Subcommand = { usage: AUDIT_USAGE, run: (args) => runAudit(args, process.stdout, process.stderr) };

/** Runs `audit`; returns the exit status. */
async function runAudit(argv: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const args = parseAuditArgs(argv);
  if (typeof args === 'string') {
    const help = args === AUDIT_USAGE;
    (help ? out : err).write(`${args}\n`);
    return help ? 0 : 2;
  }
  let explicitIgnores: string[] = [];
  if (args.ignoreFile !== undefined) {
    const text = readArgFile(args.ignoreFile, err, `--ignore-file ${args.ignoreFile}`);
    if (text === undefined) return 2;
    explicitIgnores = parseIgnoreFile(text);
  }
  const reports: FileReport[] = [];
  let unreadable = 0;
  let refused = 0;
  const fc = flexibleFromEnv(process.env);
  for (const file of args.files) {
    const text = readArgFile(file, err);
    if (text === undefined) {
      unreadable++;
      continue;
    }
    const beside = join(dirname(file), '.krakend-audit-ignore');
    const fileIgnores = args.ignoreFile === undefined && existsSync(beside) ? parseIgnoreFile(readFileSync(beside, 'utf8')) : explicitIgnores;
    const audit: AuditOptions = { severities: args.severities, ignore: [...args.ignore, ...fileIgnores] };
    let found: FileReport[];
    let errors: number;
    if (fc) {
      const readers = flexibleReaders(nodeFlexibleFs, { baseDir: process.cwd(), env: (name) => process.env[name] });
      const { output } = await checkFlexible({ mainPath: file, mainText: text, setup: fc, readers, audit }, undefined, DEFAULT_SERVER_SETTINGS.schema);
      errors = output.errors;
      found = [{ file, diagnostics: output.files.get(file)?.diagnostics ?? [] }];
      for (const [path, { diagnostics }] of output.files) if (path !== file) found.push({ file: path, config: file, diagnostics });
    } else {
      const { output } = await checkText(text, file, undefined, DEFAULT_SERVER_SETTINGS.schema, audit);
      errors = output.errors;
      found = [{ file, diagnostics: output.diagnostics }];
    }
    if (errors > 0) {
      // krakend audit refuses what it cannot parse and Init; the findings are still shown.
      refused++;
      err.write(`${file}: ${errors} error(s): krakend audit would refuse this configuration (see: krakend-live check ${file})\n`);
    }
    for (const r of found) {
      const diagnostics = r.diagnostics.filter((d) => d.code.startsWith('audit/'));
      if (diagnostics.length > 0 || r.file === file) reports.push({ ...r, diagnostics });
    }
  }
  out.write(args.format === 'json' ? formatJson(reports) : formatAuditText(reports, unreadable));
  if (unreadable > 0) return 2;
  if (refused > 0) return 1;
  if (args.failOn === 'none') return 0;
  const bar = AUDIT_SEVERITIES.indexOf(args.failOn);
  const failing = reports.some((r) => r.diagnostics.some((d) => {
    const s = severityOf(d);
    return s !== undefined && AUDIT_SEVERITIES.indexOf(s) <= bar;
  }));
  return failing ? 1 : 0;
}

/** `file:line:col: severity audit/<rule> message` lines, then a count by KrakenD severity. */
export function formatAuditText(reports: readonly FileReport[], unreadable = 0): string {
  const lines: string[] = [];
  const counts = new Map<string, number>();
  for (const r of reports) {
    for (const d of r.diagnostics) {
      const s = severityOf(d) ?? CODES[d.code].severity;
      counts.set(s, (counts.get(s) ?? 0) + 1);
      lines.push(`${r.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code} ${d.message.replace(/\n/g, ' ')}`);
    }
  }
  const audited = new Set(reports.map((r) => r.config ?? r.file)).size;
  const files = audited === 1 ? '1 file' : `${audited} files`;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const by = AUDIT_SEVERITIES.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`).join(', ');
  const summary = total === 0 ? `${files} audited: no findings` : `${files} audited: ${total} finding(s) (${by})`;
  lines.push(unreadable === 0 ? summary : `${summary}; ${unreadable === 1 ? '1 file' : `${unreadable} files`} could not be read`);
  return `${lines.join('\n')}\n`;
}

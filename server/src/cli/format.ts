/** The CLI's two output formats, kept apart from argument handling so they are unit-tested. */
import type { Diagnostic } from '../core/types';

export interface FileReport {
  readonly file: string;
  readonly diagnostics: readonly Diagnostic[];
  /**
   * The FILE argument whose check found these problems, when that is another file: a Flexible
   * Configuration reports problems in its partials, settings and sub-templates.
   */
  readonly config?: string;
}

/** Like a compiler: `file:line:col: severity code message`, 1-based line and column. */
export function formatText(reports: readonly FileReport[], unreadable = 0): string {
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const r of reports) {
    for (const d of r.diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      lines.push(`${r.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code} ${d.message.replace(/\n/g, ' ')}`);
    }
  }
  const checked = new Set(reports.map((r) => r.config ?? r.file)).size;
  const files = checked === 1 ? '1 file' : `${checked} files`;
  const summary = errors + warnings === 0 ? `${files} checked: no problems` : `${files} checked: ${errors} error(s), ${warnings} warning(s)`;
  // "0 files checked: no problems" after a typo in a file name would read like success.
  lines.push(unreadable === 0 ? summary : `${summary}; ${unreadable === 1 ? '1 file' : `${unreadable} files`} could not be read`);
  return `${lines.join('\n')}\n`;
}

/**
 * `{"files":[{"file","config"?,"diagnostics":[{"file","severity","code","message","range"}]}]}`
 * with 0-based lines; each problem names its file, and `config` the FILE whose check found it
 * when that is another file (a partial or settings file of a Flexible Configuration).
 */
export function formatJson(reports: readonly FileReport[]): string {
  const files = reports.map((r) => ({
    file: r.file,
    ...(r.config !== undefined ? { config: r.config } : {}),
    diagnostics: r.diagnostics.map((d) => ({ file: r.file, severity: d.severity, code: d.code, message: d.message, range: d.range })),
  }));
  return `${JSON.stringify({ files }, null, 2)}\n`;
}

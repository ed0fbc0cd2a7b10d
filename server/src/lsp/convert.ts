/** Core diagnostics → LSP diagnostics. The only place that knows the LSP severity numbers. */
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE, codeHref } from '../../../shared/codes';
import type { Severity } from '../../../shared/codes';
import type { Diagnostic } from '../core/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  const out: LspDiagnostic = {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: codeHref(d.code) },
    source: DIAGNOSTIC_SOURCE,
    message: d.message,
  };
  // The quick fixes read it back (lsp/codeActions.ts); only problems with an obvious repair carry it.
  return d.data ? { ...out, data: d.data } : out;
}

/**
 * textDocument/codeAction: quick fixes for our diagnostics that have one obvious repair. The
 * repair comes from the diagnostic's `data` (core Problem.data), the place from its range.
 */
import { CodeActionKind } from 'vscode-languageserver/node';
import type { CodeAction, Connection, Diagnostic } from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE } from '../../../shared/codes';
import { quickFixes } from '../core/intel/fixes';
import type { ProblemData } from '../core/types';
import { guarded } from './intelContext';
import type { IntelContext } from './intelContext';

function problemData(d: Diagnostic): ProblemData | undefined {
  const data: unknown = d.data;
  if (typeof data !== 'object' || data === null) return undefined;
  const r = data as Record<string, unknown>;
  const replacement = r.replacement;
  const missing = Array.isArray(r.missing) && r.missing.every((m) => typeof m === 'string') ? (r.missing) : undefined;
  return {
    ...(typeof replacement === 'string' || typeof replacement === 'number' || typeof replacement === 'boolean' ? { replacement } : {}),
    ...(missing ? { missing } : {}),
  };
}

export function registerCodeActions(connection: Connection, ctx: IntelContext): void {
  connection.onCodeAction((params) =>
    guarded(ctx.host, 'code action', async (): Promise<CodeAction[] | null> => {
      if (params.context.only && !params.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return null;
      const ours = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && typeof d.code === 'string');
      if (ours.length === 0) return null;
      const view = await ctx.view(params.textDocument.uri);
      if (!view) return null;
      const actions: CodeAction[] = [];
      for (const d of ours) {
        const start = view.index.offsetAt(d.range.start);
        const span = { offset: start, length: view.index.offsetAt(d.range.end) - start };
        const data = problemData(d);
        for (const fix of quickFixes({ text: view.text, format: view.format, code: String(d.code), span, ...(data ? { data } : {}) })) {
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [d],
            isPreferred: fix.preferred,
            edit: { changes: { [view.uri]: fix.edits.map((e) => ({ range: view.index.rangeOf(e.span), newText: e.newText })) } },
          });
        }
      }
      return actions;
    }),
  );
}

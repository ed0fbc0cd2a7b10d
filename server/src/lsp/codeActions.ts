/**
 * textDocument/codeAction: quick fixes for our diagnostics that have one obvious repair. The
 * repair comes from the diagnostic's `data` (core Problem.data), the place from its range.
 * An audit finding also offers to ignore its rule in the audit ignore file, as `krakend audit -I`.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeActionKind } from 'vscode-languageserver/node';
import type { CodeAction, Connection, Diagnostic, WorkspaceEdit } from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE } from '../../../shared/codes';
import { quickFixes } from '../core/intel/fixes';
import { LineIndex } from '../core/positions';
import type { ProblemData } from '../core/types';
import { guarded } from './intelContext';
import type { IntelContext } from './intelContext';

function problemData(d: Diagnostic): ProblemData | undefined {
  const data: unknown = d.data;
  if (typeof data !== 'object' || data === null) return undefined;
  const r = data as Record<string, unknown>;
  const replacement = r.replacement;
  const missing = Array.isArray(r.missing) && r.missing.every((m) => typeof m === 'string') ? (r.missing) : undefined;
  const add = addition(r.add);
  return {
    ...(typeof replacement === 'string' || typeof replacement === 'number' || typeof replacement === 'boolean' ? { replacement } : {}),
    ...(missing ? { missing } : {}),
    ...(add ? { add } : {}),
  };
}

function addition(v: unknown): ProblemData['add'] {
  if (typeof v !== 'object' || v === null) return undefined;
  const a = v as Record<string, unknown>;
  if (!Array.isArray(a.path) || !a.path.every((s) => typeof s === 'string' || typeof s === 'number') || typeof a.name !== 'string' || !('value' in a)) return undefined;
  return { path: a.path, name: a.name, value: a.value };
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
        const rule = String(d.code).startsWith('audit/') ? String(d.code).slice('audit/'.length) : undefined;
        if (rule) {
          const ignore = await ignoreRuleEdit(ctx, params.textDocument.uri, rule);
          if (ignore) actions.push({ title: `Ignore audit rule ${rule} in ${ignore.name}`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: false, edit: ignore.edit });
        }
      }
      return actions;
    }),
  );
}

/**
 * Appends the rule to the configuration's audit ignore file (`krakend.audit.ignoreFile`, beside
 * the configuration), creating the file when it does not exist. Editing it re-checks the
 * configuration, so the finding goes.
 */
async function ignoreRuleEdit(ctx: IntelContext, uri: string, rule: string): Promise<{ name: string; edit: WorkspaceEdit } | undefined> {
  if (!uri.startsWith('file:')) return undefined;
  const settings = await ctx.host.settings(uri);
  const name = settings.audit.ignoreFile;
  if (name === '') return undefined;
  const project = await ctx.host.flexible(uri);
  const configPath = ctx.host.pathOf(project?.configUri ?? uri);
  const path = isAbsolute(name) ? name : resolve(dirname(configPath), name);
  const open = ctx.host.documents.all().find((d) => d.uri.startsWith('file:') && ctx.host.pathOf(d.uri) === path);
  const fileUri = open?.uri ?? pathToFileURL(path).href;
  let text: string | undefined = open?.getText();
  if (text === undefined) {
    try {
      text = await ctx.host.readFile(path);
    } catch {
      text = undefined;
    }
  }
  const shown = isAbsolute(name) ? path : name;
  if (text === undefined) {
    return {
      name: shown,
      edit: {
        documentChanges: [
          { kind: 'create', uri: fileUri, options: { ignoreIfExists: true } },
          { textDocument: { uri: fileUri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `${rule}\n` }] },
        ],
      },
    };
  }
  const end = new LineIndex(text).positionAt(text.length);
  const newText = `${text === '' || text.endsWith('\n') ? '' : '\n'}${rule}\n`;
  return { name: shown, edit: { changes: { [fileUri]: [{ range: { start: end, end }, newText }] } } };
}

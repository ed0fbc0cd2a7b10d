/** textDocument/completion: scope-aware keys, namespaces, values, params and units (core/intel/completion.ts). */
import { CompletionItemKind, InsertTextFormat } from 'vscode-languageserver/node';
import type { CompletionItem, CompletionList, Connection } from 'vscode-languageserver/node';
import { spanInFile } from '../core/flexible/navigation';
import { complete } from '../core/intel/completion';
import { completeInAction } from '../core/intel/templateHelp';
import { LineIndex } from '../core/positions';
import type { CompletionEntry, CompletionKind } from '../core/intel/completion';
import type { Range } from '../core/types';
import { guarded } from './intelContext';
import type { IntelContext } from './intelContext';
import { templateHelpInput } from './templateHelp';

/**
 * `"` opens a key or value, `:` a value, `/` the next part of a namespace, `{` a url_pattern
 * param; `.` a settings field inside a template's `{{ }}`.
 */
export const COMPLETION_TRIGGERS = ['"', ':', '/', '{', '.'] as const;

const KIND: Record<CompletionKind, CompletionItemKind> = {
  property: CompletionItemKind.Property,
  namespace: CompletionItemKind.Module,
  value: CompletionItemKind.Value,
  param: CompletionItemKind.Variable,
  unit: CompletionItemKind.Unit,
};

export function registerCompletion(connection: Connection, ctx: IntelContext): void {
  connection.onCompletion((params) =>
    guarded(ctx.host, 'completion', async (): Promise<CompletionList | null> => {
      // Inside a template's {{ }}: settings fields, partial and template names, functions.
      const help = await templateHelpInput(ctx, params.textDocument.uri, params.position);
      const inAction = help ? completeInAction(help) : undefined;
      if (help && inAction) {
        const index = new LineIndex(help.text);
        return { isIncomplete: false, items: inAction.map((e) => item(e, index.rangeOf(e.span))) };
      }
      // `.` asks for a field; elsewhere (a number in JSON) it asks for nothing.
      if (params.context?.triggerCharacter === '.') return null;
      const fc = await ctx.flexibleCursor(params.textDocument.uri, params.position);
      if (fc.flexible) {
        // A template or partial: complete on the rendered configuration where the text went 1:1,
        // keeping only the edits that land back in that text.
        if (!fc.cursor) return null;
        const { view, offset, place, source } = fc.cursor;
        const schema = await ctx.schemaFor(view);
        const tree = view.format === 'json' ? view.looseTree() : undefined;
        const entries = complete({ text: view.text, format: view.format, offset, ...(schema ? { schema } : {}), ...(tree ? { tree } : {}) });
        const items = entries.flatMap((e) => {
          const span = spanInFile(place, e.span);
          return span ? [item(e, source.rangeOf(span))] : [];
        });
        return { isIncomplete: false, items };
      }
      const view = await ctx.view(params.textDocument.uri);
      if (!view) return null;
      const schema = await ctx.schemaFor(view);
      const tree = view.format === 'json' ? view.looseTree() : undefined;
      const entries = complete({ text: view.text, format: view.format, offset: view.index.offsetAt(params.position), ...(schema ? { schema } : {}), ...(tree ? { tree } : {}) });
      const items = entries.map((e) => item(e, view.index.rangeOf(e.span)));
      // Complete: the list does not depend on what is typed next, so the editor filters it.
      return { isIncomplete: false, items };
    }),
  );
}

function item(e: CompletionEntry, range: Range): CompletionItem {
  return {
    label: e.label,
    kind: KIND[e.kind],
    ...(e.detail ? { detail: e.detail } : {}),
    ...(e.documentation ? { documentation: { kind: 'markdown', value: e.documentation } } : {}),
    textEdit: { range, newText: e.insertText },
    insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    ...(e.filterText ? { filterText: e.filterText } : {}),
    ...(e.sortText ? { sortText: e.sortText } : {}),
  };
}

/** textDocument/completion: scope-aware keys, namespaces, values, params and units (core/intel/completion.ts). */
import { CompletionItemKind, InsertTextFormat } from 'vscode-languageserver/node';
import type { CompletionItem, CompletionList, Connection } from 'vscode-languageserver/node';
import { complete } from '../core/intel/completion';
import type { CompletionKind } from '../core/intel/completion';
import { guarded } from './intel';
import type { IntelContext } from './intel';

/** `"` opens a key or value, `:` a value, `/` the next part of a namespace, `{` a url_pattern param. */
export const COMPLETION_TRIGGERS = ['"', ':', '/', '{'] as const;

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
      const view = await ctx.view(params.textDocument.uri);
      if (!view) return null;
      const schema = await ctx.schemaFor(view);
      const tree = view.format === 'json' ? view.looseTree() : undefined;
      const entries = complete({ text: view.text, format: view.format, offset: view.index.offsetAt(params.position), ...(schema ? { schema } : {}), ...(tree ? { tree } : {}) });
      const items = entries.map(
        (e): CompletionItem => ({
          label: e.label,
          kind: KIND[e.kind],
          ...(e.detail ? { detail: e.detail } : {}),
          ...(e.documentation ? { documentation: { kind: 'markdown', value: e.documentation } } : {}),
          textEdit: { range: view.index.rangeOf(e.span), newText: e.insertText },
          insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
          ...(e.filterText ? { filterText: e.filterText } : {}),
          ...(e.sortText ? { sortText: e.sortText } : {}),
        }),
      );
      // Complete: the list does not depend on what is typed next, so the editor filters it.
      return { isIncomplete: false, items };
    }),
  );
}

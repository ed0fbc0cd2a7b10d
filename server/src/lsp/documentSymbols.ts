/** textDocument/documentSymbol: endpoints by path with methods and backends, async agents. */
import { SymbolKind } from 'vscode-languageserver/node';
import type { Connection, DocumentSymbol } from 'vscode-languageserver/node';
import { decodeService } from '../core/decode';
import { documentSymbols } from '../core/intel/symbols';
import type { SymbolData, SymbolKind as CoreKind } from '../core/intel/symbols';
import type { LineIndex } from '../core/positions';
import { guarded } from './intelContext';
import type { IntelContext } from './intelContext';

const KIND: Record<CoreKind, SymbolKind> = {
  path: SymbolKind.Namespace,
  endpoint: SymbolKind.Method,
  backend: SymbolKind.Function,
  asyncAgent: SymbolKind.Event,
};

function toLsp(s: SymbolData, index: LineIndex): DocumentSymbol {
  return {
    name: s.name,
    ...(s.detail ? { detail: s.detail } : {}),
    kind: KIND[s.kind],
    range: index.rangeOf(s.span),
    selectionRange: index.rangeOf(s.selection),
    children: s.children.map((c) => toLsp(c, index)),
  };
}

export function registerDocumentSymbols(connection: Connection, ctx: IntelContext): void {
  connection.onDocumentSymbol((params) =>
    guarded(ctx.host, 'document symbols', async (): Promise<DocumentSymbol[] | null> => {
      const view = await ctx.view(params.textDocument.uri);
      if (!view) return null;
      // While a JSON file is half typed, the tolerant tree keeps the outline.
      const tree = view.anyTree();
      if (!tree) return [];
      return documentSymbols(decodeService(tree).model).map((s) => toLsp(s, view.index));
    }),
  );
}

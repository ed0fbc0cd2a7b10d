/** textDocument/hover: schema facts, namespace docs and gin routes (core/intel/hover.ts). */
import type { Connection, Hover } from 'vscode-languageserver/node';
import { hoverAt } from '../core/intel/hover';
import { guarded } from './intel';
import type { IntelContext } from './intel';

export function registerHover(connection: Connection, ctx: IntelContext): void {
  connection.onHover((params) =>
    guarded(ctx.host, 'hover', async (): Promise<Hover | null> => {
      const view = await ctx.view(params.textDocument.uri);
      if (!view) return null;
      const schema = await ctx.schemaFor(view);
      const tree = view.format === 'json' ? view.looseTree() : view.strictRoot();
      const h = hoverAt({ text: view.text, format: view.format, offset: view.index.offsetAt(params.position), ...(schema ? { schema } : {}), ...(tree ? { tree } : {}) });
      return h ? { contents: { kind: 'markdown', value: h.markdown }, range: view.index.rangeOf(h.span) } : null;
    }),
  );
}

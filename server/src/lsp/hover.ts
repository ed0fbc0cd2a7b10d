/** textDocument/hover: schema facts, namespace docs and gin routes (core/intel/hover.ts). */
import type { Connection, Hover } from 'vscode-languageserver/node';
import type { ValueNode } from '../core/ast';
import { auditHoverAt } from '../core/audit';
import { spanInFile } from '../core/flexible/navigation';
import type { Span } from '../core/types';
import { hoverAt } from '../core/intel/hover';
import { hoverInAction } from '../core/intel/templateHelp';
import { LineIndex } from '../core/positions';
import { guarded } from './intelContext';
import type { IntelContext } from './intelContext';
import { templateHelpInput } from './templateHelp';

async function auditHover(ctx: IntelContext, uri: string, root: ValueNode | undefined, offset: number): Promise<{ markdown: string; span: Span } | undefined> {
  const { audit } = await ctx.host.settings(uri);
  if (!audit.enable || !ctx.host.isConfigFile(uri, (await ctx.host.settings(uri)).configFiles)) return undefined;
  return auditHoverAt(root, offset, { severities: audit.severities, ignore: audit.ignore });
}

export function registerHover(connection: Connection, ctx: IntelContext): void {
  connection.onHover((params) =>
    guarded(ctx.host, 'hover', async (): Promise<Hover | null> => {
      // Inside a template's {{ }}: a function's signature, a settings field's value.
      const help = await templateHelpInput(ctx, params.textDocument.uri, params.position);
      const inAction = help ? hoverInAction(help) : undefined;
      if (help && inAction) return { contents: { kind: 'markdown', value: inAction.markdown }, range: new LineIndex(help.text).rangeOf(inAction.span) };
      const fc = await ctx.flexibleCursor(params.textDocument.uri, params.position);
      if (fc.flexible) {
        // A template or partial: hover on the rendered configuration where the text went 1:1.
        if (!fc.cursor) return null;
        const { view, offset, place, source } = fc.cursor;
        const schema = await ctx.schemaFor(view);
        const tree = view.format === 'json' ? view.looseTree() : view.strictRoot();
        const h = hoverAt({ text: view.text, format: view.format, offset, ...(schema ? { schema } : {}), ...(tree ? { tree } : {}) });
        if (!h) return null;
        const span = spanInFile(place, h.span);
        return { contents: { kind: 'markdown', value: h.markdown }, ...(span ? { range: source.rangeOf(span) } : {}) };
      }
      const view = await ctx.view(params.textDocument.uri);
      if (!view) return null;
      const schema = await ctx.schemaFor(view);
      const tree = view.format === 'json' ? view.looseTree() : view.strictRoot();
      const offset = view.index.offsetAt(params.position);
      const h = hoverAt({ text: view.text, format: view.format, offset, ...(schema ? { schema } : {}), ...(tree ? { tree } : {}) });
      // An audit finding under the cursor is explained first: that is what the squiggle is about.
      const audit = await auditHover(ctx, params.textDocument.uri, view.strictRoot(), offset);
      if (audit) return { contents: { kind: 'markdown', value: h ? `${audit.markdown}\n\n---\n\n${h.markdown}` : audit.markdown }, range: view.index.rangeOf(audit.span) };
      return h ? { contents: { kind: 'markdown', value: h.markdown }, range: view.index.rangeOf(h.span) } : null;
    }),
  );
}

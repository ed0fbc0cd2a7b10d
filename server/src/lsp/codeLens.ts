/**
 * textDocument/codeLens: "GET /users/{id} → try" on every endpoint KrakenD routes. Offered
 * only to a client that can run `krakend.tryEndpoint` (intelCapabilities). The VS Code client
 * shows them only while the folder's gateway is healthy (client/src/tryEndpoint/lenses.ts).
 */
import type { CodeLens, Connection } from 'vscode-languageserver/node';
import { TRY_ENDPOINT_COMMAND } from '../../../shared/protocol';
import type { TryEndpointArgs } from '../../../shared/protocol';
import { decodeService } from '../core/decode';
import { endpointsOf } from '../core/intel/endpoints';
import { guarded } from './intelContext';
import type { IntelContext } from './intelContext';

export function registerCodeLens(connection: Connection, ctx: IntelContext): void {
  connection.onCodeLens((params) =>
    guarded(ctx.host, 'code lens', async (): Promise<CodeLens[] | null> => {
      const view = await ctx.view(params.textDocument.uri);
      if (!view) return null;
      const tree = view.strictRoot();
      if (!tree) return [];
      return endpointsOf(decodeService(tree).model)
        .filter((e) => e.routed)
        .map((e) => {
          const range = view.index.rangeOf(e.pathSpan);
          const args: TryEndpointArgs = { uri: view.uri, method: e.method, path: e.path.startsWith('/') ? e.path : `/${e.path}`, params: e.params, line: range.start.line };
          return { range, command: { title: `${e.method} ${args.path} → try`, command: TRY_ENDPOINT_COMMAND, arguments: [args] } };
        });
    }),
  );
}

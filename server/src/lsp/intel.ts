/**
 * The editor features beyond diagnostics (hover, completion, quick fixes, symbols, code lenses),
 * registered from serve.ts, which owns the documents and the settings. The logic is in
 * core/intel; each feature file here only turns positions into offsets and data into LSP.
 *
 * The schema a feature reads is the one the check uses: the same resolver, asked the same way
 * (by the document's `$schema` and the `krakend.schema.*` settings), so a hover or a completion
 * never disagrees with a diagnostic.
 */
import type { Connection, ServerCapabilities } from 'vscode-languageserver/node';
import { registerCodeActions } from './codeActions';
import { registerCodeLens } from './codeLens';
import { registerCompletion, COMPLETION_TRIGGERS } from './completion';
import { registerDefinition } from './definition';
import { registerDocumentSymbols } from './documentSymbols';
import { registerHover } from './hover';
import { registerWorkspaceSymbols } from './workspaceSymbols';
import { IntelContext } from './intelContext';
import type { IntelHost } from './intelContext';

/** The options of `initialize` the features read. */
export interface IntelInitOptions {
  /** The client can run `krakend.tryEndpoint`, so the server offers "try" code lenses. */
  readonly tryEndpointLenses?: boolean;
}

/** The capabilities the features add to `initialize`'s answer. */
export function intelCapabilities(init: IntelInitOptions): ServerCapabilities {
  return {
    hoverProvider: true,
    completionProvider: { triggerCharacters: [...COMPLETION_TRIGGERS], resolveProvider: false },
    codeActionProvider: { codeActionKinds: ['quickfix'] },
    documentSymbolProvider: { label: 'KrakenD' },
    definitionProvider: true,
    workspaceSymbolProvider: true,
    ...(init.tryEndpointLenses === true ? { codeLensProvider: { resolveProvider: false } } : {}),
  };
}

/** Registers every feature on the connection. */
export function registerIntel(connection: Connection, host: IntelHost): void {
  const ctx = new IntelContext(host);
  registerHover(connection, ctx);
  registerDefinition(connection, ctx);
  registerCompletion(connection, ctx);
  registerCodeActions(connection, ctx);
  registerDocumentSymbols(connection, ctx);
  registerWorkspaceSymbols(connection, ctx);
  registerCodeLens(connection, ctx);
}

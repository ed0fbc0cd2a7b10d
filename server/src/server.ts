/** The language server's entry point (dist/server.js): a real connection over the client's transport. */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { readText, startsWithBom } from './node/files';
import { serve } from './lsp/serve';
import { createSchemaResolver } from './node/schemaResolver';

const connection = createConnection(ProposedFeatures.all);

serve(connection, {
  typingDelayMs: 300,
  readFile: readText,
  startsWithBom,
  createResolver: (init, log, recheck) => createSchemaResolver({ storagePath: init.storagePath, log, onSchemaReady: recheck }),
});

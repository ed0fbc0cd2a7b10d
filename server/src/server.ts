/** The language server's entry point (dist/server.js): a real connection over the client's transport. */
import { readFile } from 'node:fs/promises';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { serve } from './lsp/serve';
import { createSchemaResolver } from './schemaResolver';

const connection = createConnection(ProposedFeatures.all);

serve(connection, {
  typingDelayMs: 300,
  readFile: (path) => readFile(path, 'utf8'),
  createResolver: (init, log, recheck) => createSchemaResolver({ storagePath: init.storagePath, log, onSchemaReady: recheck }),
});

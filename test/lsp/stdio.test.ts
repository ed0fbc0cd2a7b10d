// The built server (dist/server.js) over stdio, as an editor other than VS Code would run it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DidOpenTextDocumentNotification, InitializeRequest, InitializedNotification } from 'vscode-languageserver-protocol/node';
import { spawnStdioServer } from './support/stdio';

test('dist/server.js answers initialize and publishes diagnostics over stdio', async () => {
  const server = spawnStdioServer();
  try {
    const uri = 'file:///tmp/krakend.json';
    const published = server.diagnosticsFor(uri, 10_000);
    const init = await server.connection.sendRequest(InitializeRequest.type, {
      processId: null,
      rootUri: 'file:///tmp',
      capabilities: {},
      workspaceFolders: [{ uri: 'file:///tmp', name: 'tmp' }],
    });
    assert.equal(init.serverInfo?.name, 'krakend-live');
    await server.connection.sendNotification(InitializedNotification.type, {});
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'json', version: 1, text: '{\n  "version": 3,\n  "port": 8080,\n}\n' },
    });
    const p = await published;
    assert.equal(p.diagnostics.length, 1);
    assert.equal(p.diagnostics[0]?.code, 'json/syntax');
    assert.equal(p.diagnostics[0]?.range.start.line, 3);
  } finally {
    server.dispose();
  }
});

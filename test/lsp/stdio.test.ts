// The built server (dist/server.js) over stdio, as an editor other than VS Code would run it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  DidOpenTextDocumentNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';

const SERVER = 'dist/server.js';

test('dist/server.js answers initialize and publishes diagnostics over stdio', async () => {
  assert.ok(existsSync(SERVER), `${SERVER} is missing: run npm run build`);
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  try {
    const uri = 'file:///tmp/krakend.json';
    const published = new Promise<PublishDiagnosticsParams>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no diagnostics within 10 s')), 10_000);
      connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
        if (p.uri === uri) {
          clearTimeout(timer);
          resolve(p);
        }
      });
    });
    connection.onUnhandledNotification(() => undefined);
    connection.listen();
    const init = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: 'file:///tmp',
      capabilities: {},
      workspaceFolders: [{ uri: 'file:///tmp', name: 'tmp' }],
    });
    assert.equal(init.serverInfo?.name, 'krakend-live');
    await connection.sendNotification(InitializedNotification.type, {});
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'json', version: 1, text: '{\n  "version": 3,\n  "port": 8080,\n}\n' },
    });
    const p = await published;
    assert.equal(p.diagnostics.length, 1);
    assert.equal(p.diagnostics[0]?.code, 'json/syntax');
    assert.equal(p.diagnostics[0]?.range.start.line, 3);
  } finally {
    connection.dispose();
    child.kill();
  }
});

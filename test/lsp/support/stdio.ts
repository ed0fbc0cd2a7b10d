/** The built server (dist/server.js) as its own process over stdio, as editors other than VS Code run it. */
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { PublishDiagnosticsNotification, StreamMessageReader, StreamMessageWriter, createProtocolConnection } from 'vscode-languageserver-protocol/node';
import type { ProtocolConnection, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { SERVER_NODE_FLAGS } from '../../../client/src/serverFlags';

export const SERVER_BUNDLE = 'dist/server.js';

export interface StdioServer {
  readonly connection: ProtocolConnection;
  readonly child: ChildProcessByStdio<Writable, Readable, null>;
  /** Resolves with the first diagnostics published for `uri`; call before triggering them. */
  diagnosticsFor(uri: string, timeoutMs: number): Promise<PublishDiagnosticsParams>;
  dispose(): void;
}

/** Spawns the bundle with the Node flags the extension uses. The connection is listening. */
export function spawnStdioServer(): StdioServer {
  if (!existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run npm run build`);
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER_BUNDLE, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiters = new Map<string, (p: PublishDiagnosticsParams) => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => waiters.get(p.uri)?.(p));
  connection.onUnhandledNotification(() => undefined);
  connection.listen();
  return {
    connection,
    child,
    diagnosticsFor(uri, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(uri);
          reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.set(uri, (p) => {
          clearTimeout(timer);
          waiters.delete(uri);
          resolve(p);
        });
      });
    },
    dispose() {
      connection.dispose();
      child.kill();
    },
  };
}

/**
 * Runs the real server layer in process: two crossed streams carry real JSON-RPC, as
 * vscode-languageserver-node's own tests do. No VS Code, milliseconds per test.
 */
import { PassThrough } from 'node:stream';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'vscode-languageserver/node';
import {
  ConfigurationRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { Diagnostic, InitializeResult, ProtocolConnection, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { CheckResultNotification } from '../../../shared/protocol';
import type { CheckResultParams } from '../../../shared/protocol';
import { DEFAULT_SERVER_SETTINGS } from '../../../shared/settings';
import type { ServerSettings } from '../../../shared/settings';
import type { SchemaResolver } from '../../../server/src/node/checker';
import { readText, startsWithBom } from '../../../server/src/node/files';
import { serve } from '../../../server/src/lsp/serve';
import { createSchemaResolver } from '../../../server/src/node/schemaResolver';

export const WAIT_MS = 5_000;

export interface Harness {
  readonly client: ProtocolConnection;
  readonly initializeResult: InitializeResult;
  /** Settings the fake editor answers workspace/configuration with; tests may replace them. */
  settings: ServerSettings;
  /** When set, the fake editor answers workspace/configuration only after this resolves. */
  configurationGate?: Promise<void>;
  /** Every publishDiagnostics the server sent, in order, so a test can prove one never came. */
  readonly published: PublishDiagnosticsParams[];
  /** Opens a document; `languageId` defaults to `json` (the server decides by path, not language). */
  open(uri: string, text: string, version?: number, languageId?: string): Promise<void>;
  change(uri: string, text: string, version: number): Promise<void>;
  save(uri: string): Promise<void>;
  close(uri: string): Promise<void>;
  /** Resolves with the next diagnostics published for `uri`. Call before triggering. */
  nextDiagnostics(uri: string): Promise<Diagnostic[]>;
  /** Resolves with the next check result for `uri` that satisfies `accept`. Call before triggering. */
  nextCheckResult(uri: string, accept?: (r: CheckResultParams) => boolean, timeoutMs?: number): Promise<CheckResultParams>;
  dispose(): void;
}

export interface HarnessOptions {
  readonly settings?: ServerSettings;
  readonly resolver?: SchemaResolver;
  readonly rootUri?: string;
  /** Start with no workspace folder at all (a single file opened in the editor). */
  readonly noWorkspace?: boolean;
  /** Extra `initializationOptions` (for example `tryEndpointLenses`). */
  readonly initializationOptions?: Record<string, unknown>;
}

/** Tests talk to loopback only, so the default test settings never download schemas. */
export const TEST_SETTINGS: ServerSettings = { ...DEFAULT_SERVER_SETTINGS, schema: { ...DEFAULT_SERVER_SETTINGS.schema, download: false } };

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  const storagePath = mkdtempSync(join(tmpdir(), 'krakend-live-lsp-'));
  serve(serverConnection, {
    typingDelayMs: 5,
    readFile: readText,
    startsWithBom,
    createResolver: (_init, log) => options.resolver ?? createSchemaResolver({ storagePath, log }),
  });
  const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const waiters = new Set<(method: string, params: unknown) => void>();
  const published: PublishDiagnosticsParams[] = [];
  client.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.push(p);
    waiters.forEach((w) => w(PublishDiagnosticsNotification.method, p));
  });
  client.onNotification(CheckResultNotification, (p: CheckResultParams) => waiters.forEach((w) => w(CheckResultNotification, p)));
  client.onNotification('window/logMessage', () => undefined);
  const harness: { settings: ServerSettings; configurationGate?: Promise<void> } = { settings: options.settings ?? TEST_SETTINGS };
  client.onRequest(ConfigurationRequest.type, async (params) => {
    await harness.configurationGate;
    return params.items.map(() => harness.settings);
  });
  client.listen();

  const rootUri = options.rootUri ?? 'file:///work/project';
  const initializeResult = await client.sendRequest(InitializeRequest.type, {
    // A process id makes the server poll that process forever, which would keep the test alive.
    processId: null,
    rootUri: options.noWorkspace ? null : rootUri,
    workspaceFolders: options.noWorkspace ? null : [{ uri: rootUri, name: 'project' }],
    capabilities: { workspace: { configuration: true, workspaceFolders: true } },
    initializationOptions: { storagePath, ...options.initializationOptions },
  });
  await client.sendNotification(InitializedNotification.type, {});

  function wait<T>(method: string, accept: (p: T) => boolean, what: string, timeoutMs = WAIT_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(listener);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const listener = (m: string, p: unknown): void => {
        if (m === method && accept(p as T)) {
          clearTimeout(timer);
          waiters.delete(listener);
          resolve(p as T);
        }
      };
      waiters.add(listener);
    });
  }

  return Object.assign(harness, {
    client,
    published,
    initializeResult,
    async open(uri: string, text: string, version = 1, languageId = 'json') {
      await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
    },
    async change(uri: string, text: string, version: number) {
      await client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    async save(uri: string) {
      await client.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
    },
    async close(uri: string) {
      await client.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    },
    nextDiagnostics(uri: string) {
      return wait<PublishDiagnosticsParams>(PublishDiagnosticsNotification.method, (p) => p.uri === uri, `diagnostics for ${uri}`).then((p) => p.diagnostics);
    },
    nextCheckResult(uri: string, accept: (r: CheckResultParams) => boolean = () => true, timeoutMs?: number) {
      return wait<CheckResultParams>(CheckResultNotification, (p) => p.uri === uri && accept(p), `a check result for ${uri}`, timeoutMs);
    },
    dispose() {
      client.dispose();
      serverConnection.dispose();
      toServer.destroy();
      toClient.destroy();
    },
  });
}

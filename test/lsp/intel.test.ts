// The editor features over real JSON-RPC, in process: hover, completion at each scope, every
// quick fix (applied and re-checked by the server), document symbols, workspace symbols and
// the "try" code lenses.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DocumentSymbolRequest,
  HoverRequest,
  InsertTextFormat,
  WorkspaceSymbolRequest,
} from 'vscode-languageserver-protocol/node';
import type { CodeAction, CompletionItem, CompletionList, Diagnostic, DocumentSymbol, Hover, MarkupContent, Position, SymbolInformation, TextEdit } from 'vscode-languageserver-protocol/node';
import { TRY_ENDPOINT_COMMAND } from '../../shared/protocol';
import type { TryEndpointArgs } from '../../shared/protocol';
import { LineIndex } from '../../server/src/core/positions';
import { UPSTREAM_V2_13 } from '../unit/support/schemas';
import { TEST_SETTINGS, startHarness } from './support/harness';
import type { Harness } from './support/harness';

let h: Harness;
let n = 0;
before(async () => {
  h = await startHarness();
});
after(() => h.dispose());

/** A fresh config URI per test, so documents never collide. */
function uri(ext = 'json'): string {
  return `file:///work/project/krakend-intel-${++n}.${ext}`;
}

/** Text with a `|` cursor → the text and the cursor's LSP position. */
function marked(text: string): { text: string; position: Position } {
  const at = text.indexOf('|');
  const clean = text.slice(0, at) + text.slice(at + 1);
  return { text: clean, position: new LineIndex(clean).positionAt(at) };
}

async function openChecked(u: string, text: string): Promise<Diagnostic[]> {
  const diags = h.nextDiagnostics(u);
  await h.open(u, text);
  return diags;
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const index = new LineIndex(text);
  let out = text;
  for (const e of [...edits].sort((a, b) => index.offsetAt(b.range.start) - index.offsetAt(a.range.start))) {
    out = out.slice(0, index.offsetAt(e.range.start)) + e.newText + out.slice(index.offsetAt(e.range.end));
  }
  return out;
}

async function completion(u: string, text: string): Promise<CompletionItem[] & { text: string }> {
  const m = marked(text);
  await openChecked(u, m.text);
  const r = (await h.client.sendRequest(CompletionRequest.type, { textDocument: { uri: u }, position: m.position })) as CompletionList | null;
  await h.close(u);
  assert.ok(r, 'a completion list');
  return Object.assign(r.items, { text: m.text });
}

test('initialize advertises hover, completion, quick fixes and symbols; code lenses only on request', async () => {
  const caps = h.initializeResult.capabilities;
  assert.equal(caps.hoverProvider, true);
  assert.deepEqual(caps.completionProvider?.triggerCharacters, ['"', ':', '/', '{', '.']);
  assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix'] });
  assert.ok(caps.documentSymbolProvider);
  assert.equal(caps.workspaceSymbolProvider, true);
  assert.equal(caps.codeLensProvider, undefined);
  const lensed = await startHarness({ initializationOptions: { tryEndpointLenses: true } });
  try {
    assert.deepEqual(lensed.initializeResult.capabilities.codeLensProvider, { resolveProvider: false });
  } finally {
    lensed.dispose();
  }
});

describe('hover', () => {
  test('a key, from the bundled schema the check used offline', async () => {
    const u = uri();
    const m = marked('{ "version": 3, "endpoints": [ { "endpoint": "/a", "time|out": "2s", "backend": [{ "url_pattern": "/" }] } ] }');
    await openChecked(u, m.text);
    const r = (await h.client.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: m.position })) as Hover;
    await h.close(u);
    const md = (r.contents as MarkupContent).value;
    assert.match(md, /How long this endpoint may take/, 'the bundled schema\'s own description');
    const key = m.text.indexOf('"timeout"');
    assert.deepEqual(r.range, { start: { line: 0, character: key }, end: { line: 0, character: key + '"timeout"'.length } });
  });

  test('with krakend.schema.url set, hover reads that schema, as the check does', async () => {
    const prev = h.settings;
    h.settings = { ...TEST_SETTINGS, schema: { ...TEST_SETTINGS.schema, url: UPSTREAM_V2_13 } };
    try {
      const u = uri();
      const m = marked('{ "version": 3, "extra_config": { "router": {} }, "endpoints": [ { "endpoint": "/a", "extra_config": { "qos/rate|limit/router": { "max_rate": 1 } }, "backend": [{ "url_pattern": "/" }] } ] }');
      const result = h.nextCheckResult(u);
      await h.open(u, m.text);
      assert.equal((await result).schema.origin, 'setting');
      const r = (await h.client.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: m.position })) as Hover;
      await h.close(u);
      const md = (r.contents as MarkupContent).value;
      assert.match(md, /\*\*Router Rate-limiting\*\*/, 'the v2.13 title, which our bundled schema does not have');
      assert.match(md, /KrakenD CE reads it in the endpoint extra_config/);
      assert.match(md, /\(https:\/\/www\.krakend\.io\/docs\/endpoints\/rate-limit\/\)/);
    } finally {
      h.settings = prev;
    }
  });

  test('an endpoint path: its gin route and its tree', async () => {
    const u = uri('yaml');
    const m = marked('version: 3\nendpoints:\n  - endpoint: /users/{i|d}\n    backend:\n      - url_pattern: /u/{id}\n  - endpoint: /users\n    backend:\n      - url_pattern: /u\n');
    await openChecked(u, m.text);
    const r = (await h.client.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: m.position })) as Hover;
    await h.close(u);
    const md = (r.contents as MarkupContent).value;
    assert.match(md, /`GET \/users\/:id`/);
    assert.match(md, /1 other route in the GET tree; sharing its first segment:\n- `\/users`/);
  });

  test('a document that is not a KrakenD config gets nothing', async () => {
    const u = 'file:///work/project/package.json';
    await h.open(u, '{ "name": "x" }');
    const r = await h.client.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line: 0, character: 4 } });
    await h.close(u);
    assert.equal(r, null);
  });
});

describe('completion at each scope, on half-typed text', () => {
  const scopes: [string, string, string, string][] = [
    ['service', '{ "version": 3, "extra_config": { "tele| } }', 'telemetry/logging', 'qos/ratelimit/router'],
    ['endpoint', '{ "version": 3, "endpoints": [ { "endpoint": "/a", "extra_config": { "qos/| } } ] }', 'qos/ratelimit/router', 'qos/circuit-breaker'],
    ['backend', '{ "version": 3, "endpoints": [ { "endpoint": "/a", "backend": [ { "url_pattern": "/", "extra_config": { "qos/| } } ] } ] }', 'qos/circuit-breaker', 'qos/ratelimit/router'],
    ['async agent', '{ "version": 3, "async_agent": [ { "name": "a", "extra_config": { "|" } } ] }', 'async/amqp', 'router'],
  ];
  for (const [scope, text, offered, notOffered] of scopes) {
    test(`${scope} extra_config`, async () => {
      const items = await completion(uri(), text);
      const labels = items.map((i) => i.label);
      assert.ok(labels.includes(offered), `${offered} missing: ${labels.join(', ')}`);
      assert.ok(!labels.includes(notOffered), `${notOffered} offered at ${scope}`);
      const item = items.find((i) => i.label === offered)!;
      assert.equal(item.insertTextFormat, InsertTextFormat.Snippet);
      const edit = item.textEdit as TextEdit;
      // The edit replaces what was typed of the key, quote included, and nothing after the cursor.
      const index = new LineIndex(items.text);
      const typed = items.text.slice(index.offsetAt(edit.range.start), index.offsetAt(edit.range.end));
      assert.match(typed, /^"[a-z/]*"?$/);
      assert.ok(item.filterText?.startsWith('"'));
    });
  }

  test('YAML: a namespace, then method values', async () => {
    const ns = await completion(uri('yaml'), 'version: 3\nendpoints:\n  - endpoint: /a\n    extra_config:\n      qos/|\n');
    const rl = ns.find((i) => i.label === 'qos/ratelimit/router');
    // Offline too, the bundled schema knows the namespace's required field, as the v2.13 one does.
    assert.equal((rl?.textEdit as TextEdit).newText, 'qos/ratelimit/router:\n  max_rate: ${1:0}');
    const methods = await completion(uri('yaml'), 'version: 3\nendpoints:\n  - endpoint: /a\n    method: |\n');
    assert.deepEqual(methods.map((i) => i.label), ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
  });

  test('url_pattern params and duration units', async () => {
    const params = await completion(uri(), '{ "endpoints": [ { "endpoint": "/users/{id}", "backend": [ { "url_pattern": "/u/{|" } ] } ] }');
    assert.deepEqual(params.map((i) => i.label), ['{id}']);
    const units = await completion(uri(), '{ "version": 3, "timeout": "5|" }');
    assert.ok(units.some((i) => i.label === '5s' && (i.textEdit as TextEdit).newText === '"5s"'));
  });
});

describe('every quick fix, applied and checked again by the server', () => {
  const fixes: [string, string, string, string][] = [
    ['namespace did-you-mean', 'json', '{ "version": 3, "endpoints": [ { "endpoint": "/a", "extra_config": { "qos/ratelimit/routr": { "max_rate": 5 } }, "backend": [{ "url_pattern": "/a" }] } ] }', 'schema/unknown-namespace'],
    ['property did-you-mean', 'json', '{ "version": 3, "endpoints": [ { "endpoint": "/a", "methd": "GET", "backend": [{ "url_pattern": "/a" }] } ] }', 'schema/additional-property'],
    ['duration did-you-mean', 'json', '{ "version": 3, "timeout": "3 seconds" }', 'decode/duration'],
    [':id → {id}', 'json', '{ "version": 3, "endpoints": [ { "endpoint": "/users/:id", "backend": [{ "url_pattern": "/u" }] } ] }', 'route/manual-param'],
    ['missing url_pattern', 'json', '{\n  "version": 3,\n  "endpoints": [\n    {\n      "endpoint": "/a",\n      "backend": [\n        {\n          "method": "GET"\n        }\n      ]\n    }\n  ]\n}\n', 'schema/required'],
    ['missing backend', 'yaml', 'version: 3\nendpoints:\n  - endpoint: /a\n', 'init/no-backends'],
    ['duplicate key', 'json', '{\n  "version": 3,\n  "port": 8080,\n  "port": 8081\n}\n', 'json/duplicate-key'],
    ['quoted number', 'json', '{ "version": 3, "port": "8080" }', 'schema/type'],
    ['lowercase method', 'yaml', 'version: 3\nendpoints:\n  - endpoint: /a\n    method: get\n    backend:\n      - url_pattern: /a\n', 'schema/enum'],
  ];
  for (const [name, ext, text, code] of fixes) {
    test(name, async () => {
      const u = uri(ext);
      const diags = await openChecked(u, text);
      const target = diags.find((d) => d.code === code);
      assert.ok(target, `${code} expected, got ${JSON.stringify(diags.map((d) => [d.code, d.message]))}`);
      // A duplicate key needs nothing more than its code and range; every other repair travels as data.
      if (code !== 'json/duplicate-key') assert.ok(target.data, 'the diagnostic carries its repair as data');
      const actions = (await h.client.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: u },
        range: target.range,
        context: { diagnostics: diags, only: ['quickfix'] },
      })) as CodeAction[];
      const mine = actions.filter((a) => a.diagnostics?.some((d) => d.code === code));
      assert.equal(mine.length, 1, JSON.stringify(actions));
      const action = mine[0]!;
      assert.equal(action.kind, 'quickfix');
      assert.equal(action.isPreferred, true);
      const edits = action.edit?.changes?.[u];
      assert.ok(edits && edits.length > 0);
      const fixed = applyEdits(text, edits);
      // The server checks the fixed text on save, as the editor would after the fix.
      const again = h.nextDiagnostics(u);
      await h.change(u, fixed, 2);
      await h.save(u);
      const after = await again;
      await h.close(u);
      assert.deepEqual(after.filter((d) => d.code === code), [], `${code} still there in\n${fixed}`);
    });
  }

  test('diagnostics from other sources and without data get no fix', async () => {
    const u = uri();
    const text = '{ "version": 3, "timeout": "30" }';
    const diags = await openChecked(u, text);
    const actions = await h.client.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: u },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      context: { diagnostics: [...diags, { range: diags[0]!.range, message: 'x', source: 'eslint', code: 'schema/type', data: { replacement: 1 } }] },
    });
    await h.close(u);
    assert.deepEqual(actions, []);
  });
});

test('document symbols: endpoints by path with methods and backends, async agents', async () => {
  const u = uri();
  await openChecked(u, '{ "version": 3, "endpoints": [ { "endpoint": "/a", "backend": [{ "url_pattern": "/x" }] }, { "endpoint": "/a", "method": "POST", "backend": [{ "url_pattern": "/y" }] } ], "async_agent": [ { "name": "worker", "backend": [{ "url_pattern": "/w" }] } ] }');
  const symbols = (await h.client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: u } })) as DocumentSymbol[];
  await h.close(u);
  const shape = (s: DocumentSymbol): unknown => [s.name, s.kind, ...(s.children?.length ? [s.children.map(shape)] : [])];
  assert.deepEqual(symbols.map(shape), [
    ['/a', 3, [['GET', 6, [['/x', 12]]], ['POST', 6, [['/y', 12]]]]],
    ['worker', 24, [['/w', 12]]],
  ]);
});

test('document symbols survive half-typed JSON', async () => {
  const u = uri();
  await h.open(u, '{ "version": 3, "endpoints": [ { "endpoint": "/a", "backend": [{ "url_pattern": "/x" }] }, { "endpoint": "/b", "extra_config": { "qos/');
  const symbols = (await h.client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: u } })) as DocumentSymbol[];
  await h.close(u);
  assert.deepEqual(symbols.map((s) => s.name), ['/a', '/b']);
});

describe('workspace symbols', () => {
  let ws: Harness;
  let root: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'krakend-live-ws-'));
    writeFileSync(join(root, 'krakend.json'), '{ "version": 3, "endpoints": [ { "endpoint": "/users/{id}", "backend": [{ "url_pattern": "/u" }] } ] }');
    mkdirSync(join(root, 'gateways', 'orders'), { recursive: true });
    writeFileSync(join(root, 'gateways', 'orders', 'krakend-orders.yaml'), 'version: 3\nendpoints:\n  - endpoint: /orders\n    method: POST\n    backend:\n      - url_pattern: /o\n');
    // Not a config by krakend.configFiles, and a dependency folder: neither is read.
    writeFileSync(join(root, 'users.json'), '{ "endpoints": [ { "endpoint": "/users/not-a-config" } ] }');
    mkdirSync(join(root, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'x', 'krakend.json'), '{ "endpoints": [ { "endpoint": "/users/dependency" } ] }');
    ws = await startHarness({ rootUri: pathToFileURL(root).href });
  });
  after(() => ws.dispose());

  test('endpoints across every config of the folder, by fuzzy query, open edits included', async () => {
    const all = (await ws.client.sendRequest(WorkspaceSymbolRequest.type, { query: '' })) as SymbolInformation[];
    assert.deepEqual(all.map((s) => [s.name, s.containerName]).sort(), [
      ['GET /users/{id}', 'krakend.json'],
      ['POST /orders', 'gateways/orders/krakend-orders.yaml'],
    ]);
    const users = (await ws.client.sendRequest(WorkspaceSymbolRequest.type, { query: 'gus' })) as SymbolInformation[];
    assert.deepEqual(users.map((s) => s.name), ['GET /users/{id}']);
    assert.equal(users[0]!.location.uri, pathToFileURL(join(root, 'krakend.json')).href);
    assert.deepEqual(users[0]!.location.range.start, { line: 0, character: 45 });
    // An unsaved edit in an open document is what the search finds.
    const open = pathToFileURL(join(root, 'krakend.json')).href;
    await ws.open(open, '{ "version": 3, "endpoints": [ { "endpoint": "/people/{id}", "backend": [{ "url_pattern": "/u" }] } ] }');
    const edited = (await ws.client.sendRequest(WorkspaceSymbolRequest.type, { query: 'people' })) as SymbolInformation[];
    await ws.close(open);
    assert.deepEqual(edited.map((s) => s.name), ['GET /people/{id}']);
  });
});

test('code lenses: one "try" per routed endpoint, with what the command needs', async () => {
  const lensed = await startHarness({ initializationOptions: { tryEndpointLenses: true } });
  try {
    const u = 'file:///work/project/krakend.json';
    const d = lensed.nextDiagnostics(u);
    await lensed.open(u, '{ "version": 3, "endpoints": [\n  { "endpoint": "/users/{id}", "backend": [{ "url_pattern": "/u/{id}" }] },\n  { "endpoint": "/skip", "method": "OPTIONS", "backend": [{ "url_pattern": "/" }] },\n  { "endpoint": "orders", "method": "post", "backend": [{ "url_pattern": "/o" }] }\n] }');
    await d;
    const lenses = await lensed.client.sendRequest(CodeLensRequest.type, { textDocument: { uri: u } });
    assert.ok(lenses);
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command]),
      [
        [1, 'GET /users/{id} → try', TRY_ENDPOINT_COMMAND],
        [3, 'POST /orders → try', TRY_ENDPOINT_COMMAND],
      ],
    );
    const args = lenses[0]!.command!.arguments![0] as TryEndpointArgs;
    assert.deepEqual(args, { uri: u, method: 'GET', path: '/users/{id}', params: ['id'], line: 1 });
  } finally {
    lensed.dispose();
  }
});

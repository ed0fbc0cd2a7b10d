// The audit over real JSON-RPC, in process: its findings are published where they apply (warnings
// and notes, never errors: the check's verdict stays valid), a quick fix adds what is missing and
// the finding goes, "ignore this rule" writes the ignore file and the finding goes, and hover
// explains a finding.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CodeActionRequest, DiagnosticSeverity, HoverRequest } from 'vscode-languageserver-protocol/node';
import type { CodeAction, Diagnostic, Hover, MarkupContent, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol/node';
import { LineIndex } from '../../server/src/core/positions';
import { AUDIT_SETTINGS, startHarness } from './support/harness';
import type { Harness } from './support/harness';

let h: Harness;
let dir: string;
before(async () => {
  h = await startHarness({ settings: AUDIT_SETTINGS });
  dir = mkdtempSync(join(tmpdir(), 'krakend-live-audit-'));
});
after(() => {
  h.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const TEXT = '{\n  "version": 3,\n  "echo_endpoint": true,\n  "endpoints": [\n    { "endpoint": "/a", "backend": [{ "url_pattern": "/a", "host": ["http://x:8080"] }] }\n  ]\n}\n';

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const index = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => index.offsetAt(b.range.start) - index.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, index.offsetAt(e.range.start)) + e.newText + out.slice(index.offsetAt(e.range.end));
  return out;
}

async function openConfig(name: string): Promise<{ uri: string; diags: Diagnostic[] }> {
  const path = join(dir, name);
  writeFileSync(path, TEXT);
  const uri = pathToFileURL(path).href;
  const diags = h.nextDiagnostics(uri);
  const verdict = h.nextCheckResult(uri);
  await h.open(uri, TEXT);
  const result = await verdict;
  assert.equal(result.ok, true, 'audit findings never make a configuration invalid');
  assert.equal(result.errors, 0);
  return { uri, diags: await diags };
}

async function actionsFor(uri: string, d: Diagnostic): Promise<CodeAction[]> {
  return (await h.client.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } })) as CodeAction[];
}

test('findings are published where they apply: a missing component on the opening line, a flag on its key', async () => {
  const { uri, diags } = await openConfig('krakend-place.json');
  await h.close(uri);
  const cors = diags.find((d) => d.code === 'audit/2.2.2');
  assert.ok(cors, JSON.stringify(diags.map((d) => d.code)));
  assert.deepEqual(cors.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } });
  assert.equal(cors.severity, DiagnosticSeverity.Warning);
  assert.equal(cors.source, 'krakend');
  assert.match(cors.codeDescription?.href ?? '', /diagnostics\.md#audit-2-2-2$/);
  const echo = diags.find((d) => d.code === 'audit/5.1.3');
  assert.ok(echo);
  assert.deepEqual(echo.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 17 } });
  assert.equal(echo.severity, DiagnosticSeverity.Information, 'LOW is information');
  assert.ok(diags.every((d) => d.severity !== DiagnosticSeverity.Error));
  assert.equal(diags.filter((d) => d.code === 'audit/2.2.2').length, 1, 'a missing component is reported once');
});

test('the quick fix adds security/cors with defaults, and the finding goes', async () => {
  const { uri, diags } = await openConfig('krakend-fix.json');
  const cors = diags.find((d) => d.code === 'audit/2.2.2')!;
  const actions = await actionsFor(uri, cors);
  const add = actions.find((a) => a.title === 'Add security/cors with recommended defaults');
  assert.ok(add, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(add.isPreferred, true);
  const fixed = applyEdits(TEXT, add.edit!.changes![uri]!);
  assert.match(fixed, /"security\/cors": \{/);
  const again = h.nextDiagnostics(uri);
  await h.change(uri, fixed, 2);
  await h.save(uri);
  const after = await again;
  await h.close(uri);
  assert.equal(after.filter((d) => d.code === 'audit/2.2.2').length, 0, fixed);
  assert.equal(after.filter((d) => d.severity === DiagnosticSeverity.Error).length, 0, 'the fix leaves a valid configuration');
});

test('"ignore this rule" creates .krakend-audit-ignore beside the configuration, and the finding goes', async () => {
  const { uri, diags } = await openConfig('krakend-ignore.json');
  const bot = diags.find((d) => d.code === 'audit/3.1.1')!;
  const actions = await actionsFor(uri, bot);
  const ignore = actions.find((a) => a.title === 'Ignore audit rule 3.1.1 in .krakend-audit-ignore');
  assert.ok(ignore, JSON.stringify(actions.map((a) => a.title)));
  const changes = ignore.edit!.documentChanges!;
  assert.deepEqual(changes[0], { kind: 'create', uri: pathToFileURL(join(dir, '.krakend-audit-ignore')).href, options: { ignoreIfExists: true } });
  const edit = changes[1] as TextDocumentEdit;
  // What the editor does with that edit: the file is created with the rule, then saved.
  const ignoreUri = edit.textDocument.uri;
  const content = applyEdits('', edit.edits);
  assert.equal(content, '3.1.1\n');
  writeFileSync(fileURLToPath(ignoreUri), content);
  const again = h.nextDiagnostics(uri);
  await h.open(ignoreUri, content, 1, 'plaintext');
  await h.save(ignoreUri);
  const after = await again;
  assert.equal(after.filter((d) => d.code === 'audit/3.1.1').length, 0);
  assert.ok(after.some((d) => d.code === 'audit/2.2.2'), 'other rules are still reported');
  // A second rule is appended to the existing file.
  const cors = after.find((d) => d.code === 'audit/2.2.2')!;
  const second = (await actionsFor(uri, cors)).find((a) => a.title.startsWith('Ignore audit rule 2.2.2'));
  assert.ok(second?.edit?.changes?.[ignoreUri]);
  assert.equal(applyEdits(content, second.edit.changes[ignoreUri]), '3.1.1\n2.2.2\n');
  await h.close(ignoreUri);
  await h.close(uri);
  assert.equal(readFileSync(fileURLToPath(ignoreUri), 'utf8'), '3.1.1\n');
  rmSync(fileURLToPath(ignoreUri));
});

test('hover on a finding explains its rule', async () => {
  const { uri } = await openConfig('krakend-hover.json');
  const r = (await h.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 5 } })) as Hover;
  await h.close(uri);
  const md = (r.contents as MarkupContent).value;
  assert.match(md, /\*\*krakend audit 5\.1\.3\*\* \(LOW\)/);
  assert.match(md, /Disable the \/__echo\/ endpoint/);
  assert.deepEqual(r.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 17 } });
});

test('with krakend.audit.enable off there are no findings', async () => {
  h.settings = { ...AUDIT_SETTINGS, audit: { ...AUDIT_SETTINGS.audit, enable: false } };
  try {
    const { uri, diags } = await openConfig('krakend-off.json');
    await h.close(uri);
    assert.deepEqual(diags.filter((d) => String(d.code).startsWith('audit/')), []);
  } finally {
    h.settings = AUDIT_SETTINGS;
  }
});

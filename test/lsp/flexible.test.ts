// Flexible Configuration through the server, in process: a template project on disk (settings/,
// partials/, templates/), opened in the fake editor. Problems land in the file that caused them,
// a partial's save re-checks the configuration and reports it to the gateway as a save, the
// editor's unsaved text wins over the disk, and the rendered configuration, definition, hover
// and completion all go through the same render.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CompletionRequest, DefinitionRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import type { CompletionList, Diagnostic, Location, MarkupContent, Position } from 'vscode-languageserver-protocol/node';
import { RenderedConfigRequest } from '../../shared/protocol';
import type { CheckResultParams, RenderedConfigResult } from '../../shared/protocol';
import { LineIndex } from '../../server/src/core/positions';
import { TEST_SETTINGS, startHarness } from './support/harness';
import type { Harness } from './support/harness';

const root = mkdtempSync(join(tmpdir(), 'krakend-live-fc-lsp-'));

const TEMPLATE = `{
  "version": 3,
  "name": "{{ .service.name }}",
  "port": {{ .service.port }},
  "endpoints": [
    {{ include "users.json" }}
  ],
  "extra_config": {{ template "router.tmpl" . }}
}
`;
const SERVICE = '{ "name": "API", "port": 8080 }\n';
const USERS = `{
  "endpoint": "/users",
  "backend": [{ "host": ["http://127.0.0.1:8081"], "url_pattern": "/u" }]
}`;
/** The partial with a key KrakenD's JSON parser refuses, on line 3. */
const USERS_BROKEN = `{
  "endpoint": "/users",
  backend: []
}`;
const ROUTER = '{ "router": { "return_error_msg": true } }';

let projects = 0;

/** A fresh FC project on disk; returns its files' paths and URIs. */
function project(files: Record<string, string> = {}): { dir: string; path: (f: string) => string; uri: (f: string) => string } {
  const dir = join(root, `p${++projects}`);
  const all: Record<string, string> = {
    'krakend.tmpl': TEMPLATE,
    'settings/service.json': SERVICE,
    'partials/users.json': USERS,
    'templates/router.tmpl': ROUTER,
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, path: (f) => join(dir, f), uri: (f) => pathToFileURL(join(dir, f)).href };
}

function positionOf(text: string, needle: string, delta = 0): Position {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in the text`);
  return new LineIndex(text).positionAt(at + delta);
}

let h: Harness;
before(async () => {
  h = await startHarness({ rootUri: pathToFileURL(root).href });
});
after(() => h.dispose());

/**
 * Opens the configuration and waits for its check; returns its diagnostics (without the
 * `schema/bundled` note: the tests run offline) and result.
 */
async function openConfig(uri: string, text: string): Promise<{ diagnostics: Diagnostic[]; result: CheckResultParams }> {
  const diagnostics = h.nextDiagnostics(uri);
  const result = h.nextCheckResult(uri);
  await h.open(uri, text, 1, 'krakend-template');
  return { diagnostics: (await diagnostics).filter((d) => d.code !== 'schema/bundled'), result: await result };
}

describe('checking', () => {
  test('auto-detection: one information note at the top saying what was found; the result says which folders', async () => {
    const p = project();
    const { diagnostics, result } = await openConfig(p.uri('krakend.tmpl'), TEMPLATE);
    assert.deepEqual(diagnostics.map((d) => d.code), ['template/detected']);
    const note = diagnostics[0]!;
    assert.equal(note.severity, 3, 'information');
    assert.deepEqual(note.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.match(note.message, /template actions \(\{\{ \}\}\), settings\/, partials\/, templates\//);
    assert.match(note.message, /FC_ENABLE=1 FC_SETTINGS=settings FC_PARTIALS=partials FC_TEMPLATES=templates/);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(result.flexible && { settings: result.flexible.settings, partials: result.flexible.partials, templates: result.flexible.templates, out: result.flexible.out }, {
      settings: p.path('settings'),
      partials: p.path('partials'),
      templates: p.path('templates'),
      out: undefined,
    });
    assert.deepEqual([...(result.flexible?.files ?? [])].sort(), [p.path('krakend.tmpl'), p.path('partials/users.json'), p.path('settings/service.json'), p.path('templates/router.tmpl')].sort());
    await h.close(p.uri('krakend.tmpl'));
  });

  test('an error in a partial lands in the partial, and closing the configuration takes it away', async () => {
    const p = project({ 'partials/users.json': USERS_BROKEN });
    const inPartial = h.nextDiagnostics(p.uri('partials/users.json'));
    const { result } = await openConfig(p.uri('krakend.tmpl'), TEMPLATE);
    assert.equal(result.ok, false);
    const list = await inPartial;
    assert.deepEqual(list.map((d) => [d.code, d.range.start.line]), [['json/syntax', 2]]);
    assert.match(list[0]!.message, /invalid character 'b' looking for beginning of object key string/);
    const cleared = h.nextDiagnostics(p.uri('partials/users.json'));
    await h.close(p.uri('krakend.tmpl'));
    assert.deepEqual(await cleared, []);
  });

  test('a partial the configuration no longer includes loses the problems it had', async () => {
    const p = project({ 'partials/users.json': USERS_BROKEN });
    const config = p.uri('krakend.tmpl');
    const broken = h.nextDiagnostics(p.uri('partials/users.json'));
    await openConfig(config, TEMPLATE);
    assert.equal((await broken).length, 1);
    const without = TEMPLATE.replace('{{ include "users.json" }}', '');
    await h.change(config, without, 2);
    writeFileSync(p.path('krakend.tmpl'), without);
    const cleared = h.nextDiagnostics(p.uri('partials/users.json'));
    const saved = h.nextCheckResult(config, (r) => r.trigger === 'save');
    await h.save(config);
    assert.deepEqual(await cleared, []);
    const r = await saved;
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.ok(!r.flexible?.files?.includes(p.path('partials/users.json')));
    await h.close(config);
  });

  test('an error in a settings file lands in the settings file', async () => {
    const p = project({ 'settings/service.json': '{ "name": "API", "port": 8080, }\n' });
    const inSettings = h.nextDiagnostics(p.uri('settings/service.json'));
    await openConfig(p.uri('krakend.tmpl'), TEMPLATE);
    const list = await inSettings;
    assert.deepEqual(list.map((d) => d.code), ['template/settings']);
    assert.equal(list[0]!.range.start.line, 0);
    await h.close(p.uri('krakend.tmpl'));
  });

  test('saving a fixed partial re-checks the configuration: a save result for it, and the partial is cleared', async () => {
    const p = project({ 'partials/users.json': USERS_BROKEN });
    const config = p.uri('krakend.tmpl');
    const partial = p.uri('partials/users.json');
    const broken = h.nextDiagnostics(partial);
    await openConfig(config, TEMPLATE);
    assert.equal((await broken).length, 1);
    await h.open(partial, USERS_BROKEN, 1, 'json');
    await h.change(partial, USERS, 2);
    writeFileSync(p.path('partials/users.json'), USERS);
    const saved = h.nextCheckResult(config, (r) => r.trigger === 'save');
    const cleared = h.nextDiagnostics(partial);
    await h.save(partial);
    const r = await saved;
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.version, 1, 'the configuration\'s own version');
    assert.equal(r.flexible?.partials, p.path('partials'));
    assert.deepEqual(await cleared, []);
    await h.close(partial);
    await h.close(config);
  });

  test('a new settings file saved in the settings folder re-checks the configurations that list that folder', async () => {
    const template = TEMPLATE.replace('"name": "{{ .service.name }}"', '"name": "{{ .service.name }} {{ .extra.label }}"');
    const p = project({ 'krakend.tmpl': template });
    const config = p.uri('krakend.tmpl');
    const { diagnostics } = await openConfig(config, template);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['template/detected', 0], ['template/no-value', 2]]);
    writeFileSync(p.path('settings/extra.json'), '{ "label": "v2" }\n');
    const saved = h.nextCheckResult(config, (r) => r.trigger === 'save');
    const rechecked = h.nextDiagnostics(config);
    await h.open(p.uri('settings/extra.json'), '{ "label": "v2" }\n', 1, 'json');
    await h.save(p.uri('settings/extra.json'));
    assert.equal((await saved).warnings, 0);
    assert.deepEqual((await rechecked).map((d) => d.code).filter((c) => c !== 'schema/bundled'), ['template/detected']);
    await h.close(p.uri('settings/extra.json'));
    await h.close(config);
  });

  test('a save re-checks configurations that are not open too (the gateway may run one)', async () => {
    const p = project({ 'partials/users.json': USERS_BROKEN });
    const config = p.uri('krakend.tmpl');
    // The gateway asks for a check of a file no editor has open.
    const first = h.nextCheckResult(config);
    await h.client.sendRequest('krakend/checkFile', { uri: config });
    assert.equal((await first).ok, false);
    writeFileSync(p.path('partials/users.json'), USERS);
    const saved = h.nextCheckResult(config, (r) => r.trigger === 'save');
    await h.open(p.uri('partials/users.json'), USERS, 1, 'json');
    await h.save(p.uri('partials/users.json'));
    assert.equal((await saved).ok, true);
    await h.close(p.uri('partials/users.json'));
  });

  test('the editor\'s unsaved text of a partial wins over the disk (onType), and a save read with it is not a save', async () => {
    const prev = h.settings;
    h.settings = { ...TEST_SETTINGS, validate: { run: 'onType' } };
    try {
      const p = project();
      const config = p.uri('krakend.tmpl');
      const partial = p.uri('partials/users.json');
      await openConfig(config, TEMPLATE);
      await h.open(partial, USERS, 1, 'json');
      const typed = h.nextCheckResult(config, (r) => r.trigger === 'change');
      const inPartial = h.nextDiagnostics(partial);
      await h.change(partial, USERS_BROKEN, 2);
      const r = await typed;
      assert.equal(r.ok, false);
      assert.deepEqual(r.flexible?.unsaved, [p.path('partials/users.json')]);
      assert.deepEqual((await inPartial).map((d) => [d.code, d.range.start.line]), [['json/syntax', 2]]);
      // The configuration is saved while the partial is not: what was checked is not on disk.
      const saved = h.nextCheckResult(config, (x) => x.version === 1 && x.errors > 0);
      await h.save(config);
      assert.equal((await saved).trigger, 'change');
      // Closing the partial unsaved: the configuration reads the disk again.
      const reverted = h.nextCheckResult(config, (x) => x.ok);
      const cleared = h.nextDiagnostics(partial);
      await h.close(partial);
      assert.equal((await reverted).flexible?.unsaved, undefined);
      assert.deepEqual(await cleared, []);
      await h.close(config);
    } finally {
      h.settings = prev;
    }
  });

  test('a template error is positioned in the sub-template that has it', async () => {
    const p = project({ 'templates/router.tmpl': '{ "router": {{ .nope | unknownFn }} }' });
    const inTemplate = h.nextDiagnostics(p.uri('templates/router.tmpl'));
    const { result } = await openConfig(p.uri('krakend.tmpl'), TEMPLATE);
    assert.equal(result.ok, false);
    const list = await inTemplate;
    assert.deepEqual(list.map((d) => [d.code, d.range.start.line]), [['template/syntax', 0]]);
    assert.match(list[0]!.message, /function "unknownFn" not defined/);
    await h.close(p.uri('krakend.tmpl'));
  });

  test('krakend.flexibleConfig.enable off: the template is read as plain JSON, as KrakenD without FC_ENABLE', async () => {
    const prev = h.settings;
    h.settings = { ...TEST_SETTINGS, flexibleConfig: { ...TEST_SETTINGS.flexibleConfig, enable: 'off' } };
    try {
      const p = project();
      const { diagnostics, result } = await openConfig(p.uri('krakend.tmpl'), TEMPLATE);
      assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['json/syntax', 3]]);
      assert.equal(result.flexible, undefined);
      await h.close(p.uri('krakend.tmpl'));
    } finally {
      h.settings = prev;
    }
  });

  test('folders from the settings, relative to the configuration; on: no detection note; FC_OUT .yaml parses the output as YAML', async () => {
    const prev = h.settings;
    h.settings = { ...TEST_SETTINGS, flexibleConfig: { enable: 'on', settings: 'config/values', partials: '', templates: '', out: 'out.yaml' } };
    try {
      const p = project({ 'config/values/service.json': SERVICE, 'krakend.tmpl': 'version: 3\nname: "{{ .service.name }}"\nport: {{ .service.port }}\n' });
      const { diagnostics, result } = await openConfig(p.uri('krakend.tmpl'), 'version: 3\nname: "{{ .service.name }}"\nport: {{ .service.port }}\n');
      assert.deepEqual(diagnostics, []);
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.flexible?.settings, p.path('config/values'));
      assert.equal(result.flexible?.out, p.path('out.yaml'));
      // The conventional partials/ and templates/ beside it are used when their setting is empty.
      assert.equal(result.flexible?.partials, p.path('partials'));
      await h.close(p.uri('krakend.tmpl'));
    } finally {
      h.settings = prev;
    }
  });
});

test('a YAML template without FC_OUT is read as YAML; the result says so, for the gateway\'s FC_OUT', async () => {
  const yaml = 'version: 3\nname: "{{ .service.name }}"\nport: {{ .service.port }}\n';
  const p = project({ 'krakend.yml': yaml });
  const { diagnostics, result } = await openConfig(p.uri('krakend.yml'), yaml);
  assert.deepEqual(diagnostics.map((d) => d.code), ['template/detected']);
  assert.match(diagnostics[0]!.message, /FC_OUT=<file>\.yml/);
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.equal(result.flexible?.format, 'yaml');
  assert.equal(result.flexible?.out, undefined);
  const rendered = await h.client.sendRequest<RenderedConfigResult>(RenderedConfigRequest, { uri: p.uri('krakend.yml') });
  assert.deepEqual(rendered, { text: 'version: 3\nname: "API"\nport: 8080\n', format: 'yaml' });
  await h.close(p.uri('krakend.yml'));
});

describe('krakend/renderedConfig', () => {
  test('the rendered configuration, with the editor\'s unsaved text', async () => {
    const p = project();
    const config = p.uri('krakend.tmpl');
    await openConfig(config, TEMPLATE);
    const r = await h.client.sendRequest<RenderedConfigResult>(RenderedConfigRequest, { uri: config });
    assert.ok('text' in r, JSON.stringify(r));
    assert.equal(r.format, 'json');
    const rendered = JSON.parse(r.text) as { name: string; port: number; endpoints: { endpoint: string }[]; extra_config: unknown };
    assert.deepEqual(
      { name: rendered.name, port: rendered.port, endpoint: rendered.endpoints[0]?.endpoint, extra: rendered.extra_config },
      { name: 'API', port: 8080, endpoint: '/users', extra: { router: { return_error_msg: true } } },
    );
    await h.change(config, TEMPLATE.replace('"version": 3', '"version": 3, "timeout": "{{ "3s" }}"'), 2);
    const again = await h.client.sendRequest<RenderedConfigResult>(RenderedConfigRequest, { uri: config });
    assert.ok('text' in again && again.text.includes('"timeout": "3s"'), JSON.stringify(again));
    await h.close(config);
  });

  test('a render that fails says where; a plain configuration is not rendered', async () => {
    const p = project({ 'krakend.tmpl': '{\n  "version": {{ .service.port | nope }}\n}\n' });
    const r = await h.client.sendRequest<RenderedConfigResult>(RenderedConfigRequest, { uri: p.uri('krakend.tmpl') });
    assert.ok('error' in r, JSON.stringify(r));
    assert.match(r.error, /^krakend\.tmpl:2:\d+: template: krakend\.tmpl:2: function "nope" not defined$/, 'the path relative to the configuration\'s folder');
    const plainDir = mkdtempSync(join(root, 'plain-'));
    writeFileSync(join(plainDir, 'krakend.json'), '{ "version": 3 }');
    const plain = await h.client.sendRequest<RenderedConfigResult>(RenderedConfigRequest, { uri: pathToFileURL(join(plainDir, 'krakend.json')).href });
    assert.ok('error' in plain);
    assert.match(plain.error, /krakend\.json is not a Flexible Configuration/);
  });
});

describe('navigation and editing help', () => {
  async function definition(uri: string, position: Position): Promise<Location | null> {
    return (await h.client.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position })) as Location | null;
  }

  test('definition: include → the partial, template → the sub-template, .file.key → the settings key', async () => {
    const p = project();
    const config = p.uri('krakend.tmpl');
    await openConfig(config, TEMPLATE);
    const toPartial = await definition(config, positionOf(TEMPLATE, '"users.json"', 3));
    assert.deepEqual(toPartial, { uri: p.uri('partials/users.json'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    const toTemplate = await definition(config, positionOf(TEMPLATE, '"router.tmpl"', 1));
    assert.equal(toTemplate?.uri, p.uri('templates/router.tmpl'));
    const toSetting = await definition(config, positionOf(TEMPLATE, '.port', 2));
    assert.deepEqual(toSetting, { uri: p.uri('settings/service.json'), range: { start: { line: 0, character: 17 }, end: { line: 0, character: 23 } } });
    assert.equal(await definition(config, positionOf(TEMPLATE, '"version"', 2)), null, 'plain JSON text has no definition');
    await h.close(config);
  });

  test('definition: a template name defined with define, from a sub-template', async () => {
    const p = project({ 'templates/router.tmpl': '{{ define "opts" }}{ "return_error_msg": true }{{ end }}{ "router": {{ template "opts" }} }' });
    const config = p.uri('krakend.tmpl');
    await openConfig(config, TEMPLATE);
    const sub = p.uri('templates/router.tmpl');
    const text = '{{ define "opts" }}{ "return_error_msg": true }{{ end }}{ "router": {{ template "opts" }} }';
    await h.open(sub, text, 1, 'krakend-template');
    const r = await definition(sub, positionOf(text, 'template "opts"', 11));
    assert.deepEqual(r, { uri: sub, range: { start: { line: 0, character: 10 }, end: { line: 0, character: 16 } } });
    await h.close(sub);
    await h.close(config);
  });

  test('hover and completion in template text and in a partial read the rendered configuration', async () => {
    const p = project();
    const config = p.uri('krakend.tmpl');
    await openConfig(config, TEMPLATE);
    const hover = await h.client.sendRequest(HoverRequest.type, { textDocument: { uri: config }, position: positionOf(TEMPLATE, '"version"', 3) });
    assert.ok(hover, 'a hover on "version"');
    assert.match((hover.contents as MarkupContent).value, /KrakenD 2\.x reads only 3/, 'the schema\'s description of the rendered key');
    const key = TEMPLATE.indexOf('"version"');
    assert.deepEqual(hover.range, { start: new LineIndex(TEMPLATE).positionAt(key), end: new LineIndex(TEMPLATE).positionAt(key + '"version"'.length) });
    // Inside an action, the hover is the settings value the field reads.
    const inAction = await h.client.sendRequest(HoverRequest.type, { textDocument: { uri: config }, position: positionOf(TEMPLATE, '.service.name', 10) });
    assert.match((inAction?.contents as MarkupContent).value, /`\.service\.name` = `"API"`/);

    // A partial: a new key in the endpoint object completes with the endpoint's properties.
    const partial = p.uri('partials/users.json');
    const typed = USERS.replace('"endpoint": "/users",', '"endpoint": "/users",\n  "",');
    // Opened with other text than the disk's (a restored unsaved edit): the configuration is re-checked.
    const rechecked = h.nextCheckResult(config, (r) => r.trigger === 'change');
    await h.open(partial, typed, 1, 'json');
    assert.deepEqual((await rechecked).flexible?.unsaved, undefined, 'opened text counts as saved');
    const list = (await h.client.sendRequest(CompletionRequest.type, { textDocument: { uri: partial }, position: positionOf(typed, '"",', 1) })) as CompletionList | null;
    assert.ok(list, 'a completion list');
    const labels = list.items.map((i) => i.label);
    assert.ok(labels.includes('method') && labels.includes('output_encoding'), labels.join(', '));
    const edit = list.items.find((i) => i.label === 'method')?.textEdit;
    assert.ok(edit && 'range' in edit);
    assert.equal(edit.range.start.line, 2, 'the edit is in the partial, on the line typed');
    await h.close(partial);
    await h.close(config);
  });

  const ACTIONS = `{{ $svc := .service }}{
  "version": 3,
  "port": {{ $svc.port }},
  "endpoints": [{{ range $i, $e := .service.list }}{{ if $i }},{{ end }}{ "endpoint": "{{ $e.path }}" }{{ end }}],
  "name": {{ .service.name | quote }},
  "x": {{ include "users.json" }}
}
`;
  const LISTED = '{ "name": "API", "port": 8080,\n  "list": [{ "path": "/a" }, { "path": "/b" }] }\n';

  let version = 1;
  async function complete(uri: string, text: string, typed: string): Promise<string[]> {
    // `typed` is inserted before the final newline of the `name` line, as the user types it.
    const at = text.indexOf('| quote }}') + '| quote }}'.length;
    const edited = `${text.slice(0, at)} {{ ${typed}${text.slice(at)}`;
    await h.change(uri, edited, ++version);
    const list = (await h.client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: new LineIndex(edited).positionAt(at + 4 + typed.length) })) as CompletionList | null;
    return (list?.items ?? []).map((i) => `${i.label}${i.detail ? ` :: ${i.detail}` : ''}`);
  }

  test('completion inside {{ }}: settings fields, through variables too; functions with signatures; partial and template names', async () => {
    const p = project({ 'settings/service.json': LISTED, 'krakend.tmpl': ACTIONS });
    const config = p.uri('krakend.tmpl');
    await openConfig(config, ACTIONS);
    const fields = await complete(config, ACTIONS, '.service.');
    assert.deepEqual(fields.map((f) => f.split(' :: ')[0]).sort(), ['list', 'name', 'port']);
    assert.ok(fields.includes('port :: 8080'), fields.join(', '));
    assert.deepEqual((await complete(config, ACTIONS, '.')).map((f) => f.split(' :: ')[0]), ['service'], 'the settings files');
    assert.deepEqual((await complete(config, ACTIONS, '$svc.')).map((f) => f.split(' :: ')[0]).sort(), ['list', 'name', 'port']);
    const functions = await complete(config, ACTIONS, 'sub');
    assert.ok(functions.includes('substr :: substr(int, int, string) string'), 'a sprig function with its Go signature');
    assert.ok(functions.includes('printf :: printf(string, ...interface {}) string'), 'a builtin');
    assert.ok(functions.includes('include :: include(interface {}) string'), "KrakenD's include");
    assert.deepEqual(await complete(config, ACTIONS, 'include "'), ['users.json :: partial']);
    assert.ok((await complete(config, ACTIONS, 'template "')).includes('router.tmpl :: template'));
    await h.close(config);
  });

  test('hover inside {{ }}: a function has its signature and what it does; a field its value and file', async () => {
    const p = project({ 'settings/service.json': LISTED, 'krakend.tmpl': ACTIONS });
    const config = p.uri('krakend.tmpl');
    await openConfig(config, ACTIONS);
    const hover = async (needle: string, delta: number): Promise<string> => {
      const r = await h.client.sendRequest(HoverRequest.type, { textDocument: { uri: config }, position: positionOf(ACTIONS, needle, delta) });
      return (r?.contents as MarkupContent | undefined)?.value ?? '';
    };
    const quote = await hover('quote }}', 1);
    assert.match(quote, /quote\(\.\.\.interface \{\}\) string/);
    assert.match(quote, /double quotes/);
    assert.match(await hover('include "users', 2), /KrakenD function/);
    const port = await hover('$svc.port', 6);
    assert.match(port, /`\.service\.port` = `8080`/);
    assert.match(port, /settings\/service\.json`, line 1/);
    const path = await hover('$e.path', 4);
    assert.match(path, /`\.service\.list\[\*\]\.path` = `"\/a"` \(and 1 more/);
    await h.close(config);
  });

  test('definition of a settings field reached through a variable and through range', async () => {
    const p = project({ 'settings/service.json': LISTED, 'krakend.tmpl': ACTIONS });
    const config = p.uri('krakend.tmpl');
    await openConfig(config, ACTIONS);
    const viaVariable = await definition(config, positionOf(ACTIONS, '$svc.port', 6));
    assert.deepEqual(viaVariable, { uri: p.uri('settings/service.json'), range: { start: { line: 0, character: 17 }, end: { line: 0, character: 23 } } });
    const viaRange = await definition(config, positionOf(ACTIONS, '$e.path', 4));
    assert.deepEqual(viaRange, { uri: p.uri('settings/service.json'), range: { start: { line: 1, character: 13 }, end: { line: 1, character: 19 } } });
    await h.close(config);
  });
});

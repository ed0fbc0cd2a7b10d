// The pure parts of wiring Flexible Configuration into the editor and the CLI: when a file is a
// template and with which folders (settings and FC_* variables), where a name in a template
// points, how an offset moves into the rendered output and back, who published which problems,
// and which files the language client syncs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver/node';
import { flexibleFileGlobs } from '../../client/src/flexibleFiles';
import { flexibleEnv, flexibleSetup, renderProject, setupFormat } from '../../server/src/core/flexible';
import type { FlexibleSetupInput } from '../../server/src/core/flexible';
import { definitionOf, outputPlace, renderedFile, settingsKeyAt, spanInFile, templateReferenceAt } from '../../server/src/core/flexible/navigation';
import { matchesAnyGlob } from '../../server/src/core/glob';
import { flexibleFromEnv } from '../../server/src/node/fcEnv';
import { Publications } from '../../server/src/lsp/publications';
import { normalise } from '../../server/src/lsp/settings';
import { DEFAULT_SERVER_SETTINGS } from '../../shared/settings';

const NO_FOLDERS = { settings: '', partials: '', templates: '', out: '' };

function setup(over: Partial<FlexibleSetupInput> & { dirs?: string[] }): ReturnType<typeof flexibleSetup> {
  const dirs = new Set(over.dirs ?? []);
  return flexibleSetup({
    text: '{ "version": 3 }',
    enable: 'auto',
    folders: NO_FOLDERS,
    resolve: (p) => (p.startsWith('/') ? p : `/gw/${p}`),
    hasDir: (p) => dirs.has(p),
    ...over,
  });
}

test('auto: plain JSON with no FC folder beside it is not a template', () => {
  assert.equal(setup({}), undefined);
});

test('auto: a template action or a conventional folder turns it on, with a note saying what and how to run it', () => {
  const byAction = setup({ text: '{ "version": {{ 3 }} }' });
  assert.deepEqual(byAction?.options.settings, undefined);
  assert.match(String(byAction?.options.detected), /^Flexible Configuration detected: template actions \(\{\{ \}\}\)\. Checked as KrakenD renders it with FC_ENABLE=1;/);
  const byFolder = setup({ dirs: ['/gw/settings', '/gw/partials'] });
  assert.deepEqual({ settings: byFolder?.options.settings, partials: byFolder?.options.partials, templates: byFolder?.options.templates }, { settings: '/gw/settings', partials: '/gw/partials', templates: undefined });
  assert.match(String(byFolder?.options.detected), /detected: settings\/, partials\/\. Checked as KrakenD renders it with FC_ENABLE=1 FC_SETTINGS=settings FC_PARTIALS=partials;/);
  assert.match(String(byFolder?.options.detected), /krakend\.flexibleConfig\.enable to "off"/);
});

test('configured folders are used as written (even missing: KrakenD then fails too); FC_OUT resolved', () => {
  const s = setup({ enable: 'on', folders: { settings: 'cfg/values', partials: '/abs/parts', templates: '', out: 'out.yml' }, dirs: ['/gw/templates'] });
  assert.deepEqual(s, { options: { settings: '/gw/cfg/values', partials: '/abs/parts', templates: '/gw/templates' }, out: '/gw/out.yml' });
  assert.deepEqual(flexibleEnv(s), { settings: '/gw/cfg/values', partials: '/abs/parts', templates: '/gw/templates', out: '/gw/out.yml' });
  // on: no detection note; off: never.
  assert.deepEqual(setup({ enable: 'on' }), { options: {} });
  assert.equal(setup({ enable: 'off', text: '{{ . }}', dirs: ['/gw/settings'] }), undefined);
});

test('a YAML configuration without FC_OUT is read as YAML, and the note says KrakenD needs FC_OUT=*.yml for that', () => {
  const s = setup({ text: 'version: 3\nport: {{ 8080 }}\n', configFormat: 'yaml' });
  assert.equal(s?.format, 'yaml');
  assert.equal(s?.out, undefined);
  assert.equal(setupFormat(s), 'yaml');
  assert.match(String(s?.options.detected), /FC_ENABLE=1 FC_OUT=<file>\.yml;/);
  // FC_OUT, when set, decides, as it does for KrakenD.
  assert.equal(setupFormat(setup({ text: '{{ 1 }}', configFormat: 'yaml', folders: { ...NO_FOLDERS, out: 'out.json' } })!), 'json');
  assert.equal(setupFormat(setup({ text: '{{ 1 }}', configFormat: 'json', folders: { ...NO_FOLDERS, out: 'o.yml' } })!), 'yaml');
  assert.equal(setupFormat(flexibleFromEnv({ FC_ENABLE: '1' })!), 'json', 'the CLI follows FC_OUT only');
});

test('FC_* variables exactly as KrakenD reads them: any non-empty FC_ENABLE, even 0; empty values unused', () => {
  assert.equal(flexibleFromEnv({}), undefined);
  assert.equal(flexibleFromEnv({ FC_ENABLE: '', FC_SETTINGS: 'settings' }), undefined);
  assert.deepEqual(flexibleFromEnv({ FC_ENABLE: '0' }), { options: {} });
  assert.deepEqual(flexibleFromEnv({ FC_ENABLE: '1', FC_SETTINGS: 'settings', FC_PARTIALS: '', FC_TEMPLATES: 't', FC_OUT: 'out.yaml' }), {
    options: { settings: 'settings', templates: 't' },
    out: 'out.yaml',
  });
});

test('settings: krakend.flexibleConfig.* and krakend.gateway.env are read, anything malformed falls back', () => {
  const s = normalise({ flexibleConfig: { enable: 'on', settings: ' cfg/settings ', partials: 3, out: 'x.yml' }, gateway: { env: { A: '1', B: 2 } } });
  assert.deepEqual(s.flexibleConfig, { enable: 'on', settings: 'cfg/settings', partials: '', templates: '', out: 'x.yml' });
  assert.deepEqual(s.gatewayEnv, { A: '1' });
  assert.deepEqual(normalise({ flexibleConfig: { enable: 'sometimes' } }).flexibleConfig, DEFAULT_SERVER_SETTINGS.flexibleConfig);
  assert.ok(matchesAnyGlob('fc/krakend.tmpl', DEFAULT_SERVER_SETTINGS.configFiles), 'a krakend.tmpl base template is a configuration');
});

test('the client syncs the files FC reads, by folder name', () => {
  assert.deepEqual(flexibleFileGlobs({ settings: '', partials: '', templates: '' }), ['**/settings/*.json', '**/partials/**', '**/templates/*.tmpl']);
  assert.deepEqual(flexibleFileGlobs({ settings: '../shared/values/', partials: '/abs/parts', templates: 'tpl{x}' }), ['**/values/*.json', '**/parts/**', '**/tpl?x?/*.tmpl']);
});

const T = `{
  "name": "{{ .service.name }}",
  "port": {{ $.service.port }},
  "endpoints": [ {{ include "users.json" }} ],
  {{ range $i, $e := .endpoints.list }}{{ .name }}{{ end }}
  {{ with .service }}{{ .port }}{{ end }}
  {{ (index .urls "x").y }} {{ $e.z }}
  "extra_config": {{ template \`router.tmpl\` . }}
}
{{ define "opts" }}{{ $.service.port }}{{ .x }}{{ end }}`;

function refAt(needle: string, delta: number): ReturnType<typeof templateReferenceAt> {
  const at = T.indexOf(needle);
  assert.ok(at >= 0, needle);
  return templateReferenceAt(T, at + delta);
}

test('references: include and template names (quoted or raw), field chains on the settings data', () => {
  assert.deepEqual(refAt('"users.json"', 1), { kind: 'partial', name: 'users.json', span: { offset: T.indexOf('"users.json"'), length: 12 } });
  assert.equal(refAt('`router.tmpl`', 0)?.kind, 'template');
  assert.deepEqual(refAt('.service.name', 1), { kind: 'settings', fields: ['service'], span: { offset: T.indexOf('.service.name'), length: 8 }, rooted: false });
  assert.deepEqual(refAt('.service.port', 10), { kind: 'settings', fields: ['service', 'port'], span: { offset: T.indexOf('.service.port') + 8, length: 5 }, rooted: true });
  // A block's own pipeline reads the outer dot.
  assert.deepEqual((refAt('.endpoints.list', 12) as { fields: readonly string[] }).fields, ['endpoints', 'list']);
});

test('references: no settings chain where the dot or $ is something else', () => {
  assert.equal(refAt('.name }}{{ end', 1), undefined, 'inside range');
  assert.equal(refAt('.port }}{{ end', 1), undefined, 'inside with');
  assert.equal(refAt('.y }}', 1), undefined, 'a chain on a parenthesised value');
  assert.equal(refAt('.z }}', 1), undefined, 'a chain on a variable');
  assert.equal(refAt('$.service.port }}{{ .x', 4), undefined, '$ inside define');
  assert.equal(refAt('"name"', 2), undefined, 'plain text');
  // Everything before a lexical error still resolves.
  assert.equal(templateReferenceAt('{{ include "a.json" }} {{ if', 14)?.kind, 'partial');
});

test('definitions and settings keys', () => {
  assert.deepEqual(definitionOf(T, 'opts'), { offset: T.indexOf('"opts"'), length: 6 });
  assert.equal(definitionOf(T, 'nope'), undefined);
  const settings = '{\n  "service": 1,\n  "urls": { "users": "http://x" }\n}';
  assert.deepEqual(settingsKeyAt(settings, ['urls', 'users']), { offset: settings.indexOf('"users"'), length: 7 });
  assert.deepEqual(settingsKeyAt(settings, []), { offset: 0, length: 0 });
  assert.equal(settingsKeyAt(settings, ['urls', 'nope']), undefined);
  assert.equal(settingsKeyAt(settings, ['service', 'x']), undefined);
  assert.equal(settingsKeyAt('{ not json', ['a']), undefined);
});

test('offsets into the rendered output and back: template text and partials map 1:1, actions do not', () => {
  const main = '{ "a": {{ .s.v }}, "b": {{ include "p.json" }}, "c": 1 }';
  const partial = '{ "x": true }';
  const r = renderProject({
    mainPath: '/gw/krakend.tmpl',
    mainText: main,
    options: { settings: '/gw/settings', partials: '/gw/partials' },
    readers: {
      listDir: (d) => (d === '/gw/settings' ? ['s.json'] : undefined),
      readFile: (p) => ({ '/gw/settings/s.json': '{ "v": 12345 }', '/gw/partials/p.json': partial })[p],
      env: () => undefined,
      now: () => new Date(0),
    },
  });
  const out = r.result!.output;
  assert.equal(out, '{ "a": 12345, "b": { "x": true }, "c": 1 }');
  const mainFile = renderedFile(r, (p) => p === '/gw/krakend.tmpl');
  const c = outputPlace(r, mainFile, main.indexOf('"c"') + 1)!;
  assert.equal(out.slice(c.output, c.output + 2), 'c"');
  assert.deepEqual(spanInFile(c, { offset: out.indexOf('"c"'), length: 3 }), { offset: main.indexOf('"c"'), length: 3 });
  assert.equal(spanInFile(c, { offset: out.indexOf('12345'), length: 5 }), undefined, 'printed by an action');
  assert.equal(outputPlace(r, mainFile, main.indexOf('.s.v')), undefined, 'inside an action');
  const partFile = renderedFile(r, (p) => p === '/gw/partials/p.json');
  const x = outputPlace(r, partFile, partial.indexOf('"x"'))!;
  assert.equal(out.slice(x.output, x.output + 3), '"x"');
  assert.deepEqual(spanInFile(x, { offset: x.output, length: 3 }), { offset: partial.indexOf('"x"'), length: 3 });
});

function diag(line: number, message: string): Diagnostic {
  return { range: { start: { line, character: 0 }, end: { line, character: 1 } }, message, code: 'json/syntax', severity: 1 };
}

test('publications: a file shows the union of what its configurations report, once each, and only changes are published', () => {
  const p = new Publications();
  const partial = 'file:///gw/partials/p.json';
  const first = p.set('file:///gw/a.tmpl', new Map([['file:///gw/a.tmpl', []], [partial, [diag(2, 'bad key')]]]), 'file:///gw/a.tmpl');
  assert.deepEqual([...first.keys()], ['file:///gw/a.tmpl', partial], 'the checked file always, the partial because it changed');
  // A second configuration using the same partial reports the same fault: nothing changes.
  const second = p.set('file:///gw/b.tmpl', new Map([['file:///gw/b.tmpl', []], [partial, [diag(2, 'bad key')]]]), 'file:///gw/b.tmpl');
  assert.deepEqual([...second.keys()], ['file:///gw/b.tmpl']);
  assert.equal(p.reportedByOthers(partial, partial), true);
  // One configuration fixed: the other still reports it.
  assert.deepEqual([...p.set('file:///gw/a.tmpl', new Map([['file:///gw/a.tmpl', []]]), 'file:///gw/a.tmpl').keys()], ['file:///gw/a.tmpl']);
  assert.equal(p.hasProblems(partial), true);
  const cleared = p.clear('file:///gw/b.tmpl');
  assert.deepEqual(cleared.get(partial), [], 'the last owner gone: the partial is cleared');
  assert.equal(p.hasProblems(partial), false);
  // Two different problems from two owners are both shown, in line order.
  p.set('o1', new Map([[partial, [diag(5, 'five')]]]));
  const both = p.set('o2', new Map([[partial, [diag(1, 'one')]]]));
  assert.deepEqual(both.get(partial)?.map((d) => d.message), ['one', 'five']);
});

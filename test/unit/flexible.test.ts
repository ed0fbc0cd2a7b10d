// core/flexible with in-memory projects: folders, settings positions, detection, mapping rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlexibleCheckOutput, FlexibleOptions } from '../../server/src/core/flexible';
import { checkFlexibleProject, detectFlexibleConfig, renderedFormat } from '../../server/src/core/flexible';

const SERVICE = '{\n  "port": 8080,\n  "host": "http://127.0.0.1:9000"\n}\n';

/** The FC folders a project has files in (FC_SETTINGS, FC_PARTIALS, FC_TEMPLATES set for those). */
function present(files: Record<string, string>): FlexibleOptions {
  const o: { settings?: string; partials?: string; templates?: string } = {};
  for (const dir of ['settings', 'partials', 'templates'] as const) if (Object.keys(files).some((p) => p.startsWith(`${dir}/`))) o[dir] = dir;
  return o;
}

/** A project from a map of relative paths to texts. */
function project(files: Record<string, string>, options: FlexibleOptions = present(files), extra: { env?: Record<string, string>; out?: string } = {}): FlexibleCheckOutput {
  return checkFlexibleProject({
    mainPath: 'krakend.tmpl',
    mainText: files['krakend.tmpl']!,
    options,
    ...(extra.out ? { out: extra.out } : {}),
    readers: {
      listDir: (dir) => {
        const names = Object.keys(files)
          .filter((p) => p.startsWith(`${dir}/`))
          .map((p) => p.slice(dir.length + 1))
          .filter((p) => !p.includes('/'));
        return names.length > 0 || Object.keys(files).some((p) => p.startsWith(`${dir}/`)) ? names : undefined;
      },
      readFile: (p) => files[p],
      env: (n) => extra.env?.[n],
      now: () => new Date(0),
    },
  });
}

function diags(r: FlexibleCheckOutput): string[] {
  return [...r.files].flatMap(([file, d]) => d.diagnostics.map((x) => `${file}:${x.range.start.line + 1}:${x.range.start.character + 1} ${x.code}`));
}

const endpoint = '{ "endpoint": "/a", "backend": [{ "host": ["{{ .service.host }}"], "url_pattern": "/a" }] }';

void test('a clean project has no diagnostics; every file read is listed', () => {
  const r = project({ 'krakend.tmpl': `{ "version": 3, "port": {{ .service.port }}, "endpoints": [${endpoint}], "extra_config": {{ include "x.json" }} }`, 'settings/service.json': SERVICE, 'partials/x.json': '{}', 'templates/unused.tmpl': 'x' });
  assert.deepEqual(diags(r), []);
  assert.deepEqual([...r.files.keys()].sort(), ['krakend.tmpl', 'partials/x.json', 'settings/service.json', 'templates/unused.tmpl']);
  assert.equal(r.render.result?.output.includes('"port": 8080'), true);
});

void test('a problem in a value from settings lands on the value in the settings file', () => {
  const r = project({ 'krakend.tmpl': `{ "version": 3, "port": "{{ .service.port }}", "endpoints": [${endpoint}] }`, 'settings/service.json': SERVICE.replace('8080', '"http"') });
  assert.deepEqual(diags(r), ['settings/service.json:2:11 decode/type']);
  const d = r.files.get('settings/service.json')!.diagnostics[0]!;
  assert.match(d.message, /\(rendered by \{\{ \.service\.port \}\} in krakend\.tmpl:1\)$/);
});

void test('a problem in text the template wrote lands on that text; in a printed literal, on the action', () => {
  const tmpl = `{ "version": 3,\n  "port": 8080,\n  "timeout": "{{ "3 seconds" }}",\n  "endpoints": [${endpoint}] }`;
  const r = project({ 'krakend.tmpl': tmpl, 'settings/service.json': SERVICE });
  assert.deepEqual(diags(r), ['krakend.tmpl:3:15 decode/duration']);
  assert.match(r.files.get('krakend.tmpl')!.diagnostics[0]!.message, /\(rendered from \{\{ "3 seconds" \}\} as "3 seconds"\)$/);
  const r2 = project({ 'krakend.tmpl': tmpl.replace('{{ "3 seconds" }}', '3 seconds'), 'settings/service.json': SERVICE });
  assert.deepEqual(diags(r2), ['krakend.tmpl:3:14 decode/duration']);
});

void test('the end of the rendered output maps to the end of the template', () => {
  const r = project({ 'krakend.tmpl': '{ "version": {{ 3 }}', 'settings/service.json': SERVICE });
  assert.deepEqual(diags(r), ['krakend.tmpl:1:21 json/syntax']);
});

void test('settings problems stop the render, as they stop KrakenD', () => {
  const r = project({ 'krakend.tmpl': '{{ nope }}', 'settings/a.json': '{"a": }', 'settings/b.json': '{"b": 1, "b": 2}' });
  assert.deepEqual(diags(r), ['settings/a.json:1:7 template/settings', 'settings/b.json:1:2 json/duplicate-key']);
  assert.equal(r.render.result, undefined);
  const missing = project({ 'krakend.tmpl': '{}' }, { settings: 'conf', templates: 'tpl' });
  assert.deepEqual(
    missing.files.get('krakend.tmpl')!.diagnostics.map((d) => d.message),
    ['loading flexible-config settings:\n\t- conf: open conf: no such file or directory', 'loading flexible-config settings:\n\t- tpl: open tpl: no such file or directory'],
  );
  // A missing partials folder is not an error for KrakenD; only what include cannot read is.
  assert.deepEqual(diags(project({ 'krakend.tmpl': '{ "version": 3 }' }, { partials: 'nowhere' })), []);
});

void test('only top-level *.json settings and *.tmpl templates are read', () => {
  const r = project({ 'krakend.tmpl': '{{ template "b.tmpl" . }}', 'settings/service.json': SERVICE, 'settings/notes.txt': 'x', 'settings/sub/deep.json': '{', 'templates/b.tmpl': '{ "version": 3, "name": "{{ .service.port }}{{ .notes }}{{ .deep }}" }', 'templates/c.txt': '{{' });
  assert.equal(r.render.result?.output, '{ "version": 3, "name": "8080<no value><no value>" }');
});

void test('an unsupported function is a warning and the output is not checked', () => {
  const r = project({ 'krakend.tmpl': '{ "version": 2, "x": "{{ genCA "x" 365 }}" }', 'settings/service.json': SERVICE });
  assert.deepEqual(diags(r), ['krakend.tmpl:1:26 template/unsupported-function']);
  assert.equal(r.errors, 0);
  assert.match(r.files.get('krakend.tmpl')!.diagnostics[0]!.message, /does not support genCA; the rendered configuration is not checked$/);
});

void test('env reads the injected environment', () => {
  const r = project({ 'krakend.tmpl': '{ "version": 3, "name": "{{ env "APP" }}" }' }, {}, { env: { APP: 'from-env' } });
  assert.equal(r.render.result?.output, '{ "version": 3, "name": "from-env" }');
});

void test('detection names the folders it found, as an information on the template', () => {
  const found = detectFlexibleConfig('/srv/gw', (p) => p === '/srv/gw/settings' || p === '/srv/gw/templates');
  assert.deepEqual(found, { settings: '/srv/gw/settings', templates: '/srv/gw/templates', detected: true });
  assert.equal(detectFlexibleConfig('/srv/gw', () => false), undefined);
  const r = project({ 'krakend.tmpl': '{ "version": 3 }', 'settings/service.json': SERVICE }, { settings: 'settings', detected: true });
  const info = r.files.get('krakend.tmpl')!.diagnostics[0]!;
  assert.equal(info.code, 'template/detected');
  assert.equal(info.severity, 'information');
  assert.equal(info.message, 'Flexible Configuration detected: settings/');
});

void test('FC_OUT chooses the format KrakenD parses the output in', () => {
  assert.equal(renderedFormat(undefined), 'json');
  assert.equal(renderedFormat('/etc/krakend/out.yml'), 'yaml');
  const r = project({ 'krakend.tmpl': 'version: {{ 3 }}\nport: "{{ .service.port }}"\n', 'settings/service.json': SERVICE }, { settings: 'settings' }, { out: 'out.yaml' });
  assert.deepEqual(diags(r), []);
});

void test('data nested too deeply for the JavaScript stack is an internal error, not a crash', () => {
  const deep = `${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}`;
  const r = project({ 'krakend.tmpl': '{ "version": 3, "x": {{ marshal .deep }} }', 'settings/deep.json': deep });
  // Go's decoder refuses more than 10,000 levels, so this is a settings error, as in KrakenD.
  assert.deepEqual(diags(r), ['settings/deep.json:1:50001 template/settings']);
  const nested = `${'{"a":'.repeat(9000)}1${'}'.repeat(9000)}`;
  const r2 = project({ 'krakend.tmpl': '{ "version": 3, "x": {{ marshal .deep }} }', 'settings/deep.json': nested });
  assert.ok(r2.render.result !== undefined || diags(r2).every((d) => d.endsWith('internal/error')), diags(r2).join());
});

void test('a partial rendered once per endpoint by a range reports its problem once', () => {
  const tmpl = '{ "version": 3, "endpoints": [{{ range $i, $p := list "/a" "/b" }}{{ if $i }},{{ end }}{ "endpoint": "{{ $p }}", "backend": [{ "host": ["http://h:80"], "url_pattern": "/x", {{ include "enc.json" }} }] }{{ end }}] }';
  const r = project({ 'krakend.tmpl': tmpl, 'partials/enc.json': '"encoding": "jsonx"' });
  assert.deepEqual(diags(r), ['partials/enc.json:1:13 route/unknown-encoding']);
});

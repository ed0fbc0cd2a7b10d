// The built CLI (dist/cli.js): output formats and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { hashText } from '../../server/src/core/hash';
import { parseConfig } from '../../server/src/core/parse';
import { compileSchema, compiledFrom } from '../../server/src/core/schema/compile';
import type { AjvValidate } from '../../server/src/core/schema/dialect';
import { lint } from '../../server/src/core/schema/lint';
import { officialSchemaUrl } from '../../server/src/core/schema/url';
import { formatOf } from '../../server/src/core/types';
import { BUNDLED_SCHEMA_ID, SchemaStore } from '../../server/src/node/schemaStore';
import { upstreamSchemaPath } from '../support/reference';

const CLI = 'dist/cli.js';
const dir = mkdtempSync(join(tmpdir(), 'krakend-live-cli-'));
const valid = join(dir, 'krakend.json');
const invalid = join(dir, 'krakend-bad.json');
writeFileSync(valid, '{ "version": 3, "endpoints": [ { "endpoint": "/a", "backend": [ { "url_pattern": "/b", "host": ["http://127.0.0.1:8081"] } ] } ] }\n');
writeFileSync(invalid, '{\n  "version": 2\n}\n');

function run(...args: string[]) {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: dir } });
}

test('a valid file exits 0', () => {
  const r = run('check', valid);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout, / error /);
});

test('text output is file:line:col: severity code message, and errors exit 1', () => {
  const r = run('check', invalid);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`^${invalid.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2:\\d+: error init/version unsupported version: 2 \\(want: 3\\)$`, 'm'));
});

test('json output has 0-based ranges', () => {
  const r = run('check', '--format', 'json', invalid, valid);
  assert.equal(r.status, 1);
  const out = JSON.parse(r.stdout) as { files: { file: string; diagnostics: { severity: string; code: string; range: { start: { line: number } } }[] }[] };
  assert.equal(out.files.length, 2);
  const version = out.files[0]?.diagnostics.find((d) => d.code === 'init/version');
  assert.ok(version);
  assert.equal(version.severity, 'error');
  assert.equal(version.range.start.line, 1);
});

test('usage errors and unreadable files exit 2', () => {
  assert.equal(run().status, 2);
  assert.equal(run('check').status, 2);
  assert.equal(run('check', '--format', 'xml', valid).status, 2);
  assert.equal(run('check', join(dir, 'missing.json')).status, 2);
  // A --schema that cannot be read must not fall back to the bundled schema and pass.
  const noSchema = run('check', '--schema', join(dir, 'no-such-schema.json'), valid);
  assert.equal(noSchema.status, 2, noSchema.stdout + noSchema.stderr);
  assert.match(noSchema.stderr, /--schema .*no-such-schema\.json: cannot read/);
});

test('a file the checker fails on gets internal/error, and the other files are still checked', () => {
  // A user schema that recurses into every value, over JSON nested 9,000 deep (Go accepts up to
  // 10,000): Ajv's validator recursion overflows the stack. Whatever the cause, the CLI must
  // report it on that file and carry on.
  const schema = join(dir, 'recursive-schema.json');
  writeFileSync(schema, JSON.stringify({ definitions: { a: { additionalProperties: { $ref: '#/definitions/a' }, items: { $ref: '#/definitions/a' } } }, $ref: '#/definitions/a' }));
  const deep = join(dir, 'krakend-deep.json');
  writeFileSync(deep, `{"version": 3, "x": ${'['.repeat(9000)}${']'.repeat(9000)}}`);
  const r = run('check', '--format', 'json', '--schema', schema, deep, invalid);
  assert.equal(r.status, 1, r.stderr);
  const out = JSON.parse(r.stdout) as { files: { file: string; diagnostics: { code: string; severity: string; message: string }[] }[] };
  assert.deepEqual(out.files.map((f) => f.file), [deep, invalid]);
  assert.deepEqual(out.files[0]!.diagnostics.map((d) => [d.code, d.severity]), [['internal/error', 'error']]);
  assert.match(out.files[0]!.diagnostics[0]!.message, /could not check this file .*please report it/);
  assert.ok(out.files[1]!.diagnostics.some((d) => d.code === 'init/version'), 'the file after it was not checked');
});

test('--schema takes a KrakenD version, as the setting does; offline it says how to download', () => {
  const r = run('check', '--schema', '2.12', valid);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /information schema\/bundled .*https:\/\/www\.krakend\.io\/schema\/v2\.12\/krakend\.json.*--download on the command line/);
});

test('an unreadable file is not summed up as "no problems"', () => {
  const r = run('check', join(dir, 'missing.json'));
  assert.equal(r.status, 2);
  assert.match(r.stdout, /^0 files checked: no problems; 1 file could not be read$/m);
});

// --- the cold start's parts: the precompiled bundled validator and the files loaded on demand ---

const ROOT = resolve(__dirname, '..', '..');

/** Runs the CLI with Node's module loader traced: which of dist's own files it loaded. */
function runTraced(home: string, ...args: string[]): { status: number | null; stdout: string; loaded: string[] } {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
  const tracer = join(dir, 'trace-loads.cjs');
  writeFileSync(tracer, `const M = require('node:module'); const load = M._load; M._load = function (request, ...rest) { if (request.startsWith('./')) process.stderr.write('LOADED ' + request + '\\n'); return load.call(this, request, ...rest); };\n`);
  const r = spawnSync(process.execPath, ['--require', tracer, CLI, ...args], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: home } });
  const loaded = [...r.stderr.matchAll(/^LOADED (.*)$/gm)].map((m) => m[1]!).sort();
  return { status: r.status, stdout: r.stdout, loaded };
}

test('dist/bundledValidator.js is made from schemas/krakend.json and finds what compiling it with Ajv finds, on every fixture', async () => {
  const file = join(ROOT, 'dist', 'bundledValidator.js');
  assert.ok(existsSync(file), `${file} is missing: run npm run build`);
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'krakend.json'), 'utf8')) as object;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the build's file, loaded as the bundles load it
  const mod = require(file) as { schemaHash: string; validate: AjvValidate };
  assert.equal(mod.schemaHash, hashText(JSON.stringify(schema)), 'made from another schemas/krakend.json: rebuild');
  const compiled = await compileSchema(BUNDLED_SCHEMA_ID, schema);
  const precompiled = compiledFrom(BUNDLED_SCHEMA_ID, compiled.dialect, mod.validate, 0, true);
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  let linted = 0;
  for (const path of walk(join(ROOT, 'test', 'fixtures')).filter((p) => ['.json', '.yaml', '.yml'].includes(extname(p)))) {
    const root = parseConfig(readFileSync(path, 'utf8'), formatOf(path)).root;
    if (!root) continue;
    linted++;
    assert.deepEqual(lint(root, precompiled), lint(root, compiled), path);
  }
  assert.ok(linted > 60, `${linted} fixtures linted`);
});

test('a JSON file is checked without loading Ajv or the YAML parser; a YAML file loads only the YAML parser', () => {
  const home = mkdtempSync(join(tmpdir(), 'krakend-live-cli-home-'));
  const json = runTraced(home, 'check', '--format', 'json', invalid);
  assert.equal(json.status, 1);
  assert.deepEqual(json.loaded, ['./bundledValidator.js']);
  assert.ok((JSON.parse(json.stdout) as { files: { diagnostics: { code: string }[] }[] }).files[0]!.diagnostics.some((d) => d.code === 'init/version'));
  const yamlFile = join(dir, 'krakend.yaml');
  writeFileSync(yamlFile, 'version: 3\nendpoints:\n  - endpoint: /a\n    backend:\n      - url_pattern: /b\n        host: ["http://127.0.0.1:8081"]\n');
  const yaml = runTraced(home, 'check', '--format', 'json', yamlFile);
  assert.equal(yaml.status, 0, yaml.stdout);
  assert.deepEqual(yaml.loaded, ['./bundledValidator.js', './parseYaml.js']);
});

test('a cached official schema is compiled on its first use, and later runs load the validator kept next to it', () => {
  const home = mkdtempSync(join(tmpdir(), 'krakend-live-cli-home-'));
  const storageDir = join(home, 'krakend-live', 'schemas');
  mkdirSync(storageDir, { recursive: true });
  const store = new SchemaStore({ storageDir });
  const url = officialSchemaUrl('2.13');
  copyFileSync(upstreamSchemaPath('v2.13'), store.cachePath(url));
  const file = join(dir, 'krakend-213.json');
  writeFileSync(file, JSON.stringify({ $schema: url, version: 3, endpoints: [{ endpoint: '/a', method: 'get', backend: [{ url_pattern: '/b', host: ['http://127.0.0.1:8081'], encodingg: 'json' }] }] }, null, 2));
  const first = runTraced(home, 'check', '--format', 'json', file);
  assert.ok(first.loaded.includes('./ajvCompile.js'), `first run: ${first.loaded.join(', ')}`);
  assert.ok(existsSync(store.precompiledPath(url)), 'the validator was not kept');
  const second = runTraced(home, 'check', '--format', 'json', file);
  assert.deepEqual(second.loaded, [], 'the second run compiled (or loaded something it does not need)');
  assert.equal(second.status, first.status);
  assert.equal(second.stdout, first.stdout);
  const codes = (JSON.parse(second.stdout) as { files: { diagnostics: { code: string }[] }[] }).files[0]!.diagnostics.map((d) => d.code);
  assert.ok(codes.includes('schema/additional-property'), codes.join(', '));
});

// Flexible Configuration: the FC_* variables exactly as KrakenD reads them, relative to the working folder.
const fcDir = mkdtempSync(join(tmpdir(), 'krakend-live-cli-fc-'));
mkdirSync(join(fcDir, 'gw', 'settings'), { recursive: true });
mkdirSync(join(fcDir, 'gw', 'partials'), { recursive: true });
writeFileSync(join(fcDir, 'gw', 'krakend.tmpl'), '{\n  "version": 3,\n  "port": {{ .service.port }},\n  "extra_config": {{ include "router.json" }}\n}\n');
writeFileSync(join(fcDir, 'gw', 'settings', 'service.json'), '{ "port": 8080 }\n');
writeFileSync(join(fcDir, 'gw', 'partials', 'router.json'), '{\n  "router": {\n    return_error_msg: true\n  }\n}\n');

function runFc(cwd: string, env: Record<string, string>, ...args: string[]) {
  const cli = resolve(CLI);
  assert.ok(existsSync(cli), `${CLI} is missing: run npm run build`);
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FC_')));
  return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...clean, XDG_CACHE_HOME: dir, ...env } });
}

test('FC_ENABLE: each problem is printed with its own file, by the path KrakenD reads it from', () => {
  const r = runFc(join(fcDir, 'gw'), { FC_ENABLE: '1', FC_SETTINGS: 'settings', FC_PARTIALS: 'partials' }, 'check', 'krakend.tmpl');
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^partials\/router\.json:3:5: error json\/syntax invalid character 'r' looking for beginning of object key string$/m);
  assert.doesNotMatch(r.stdout, /^krakend\.tmpl:/m, 'the template itself is fine');
  assert.match(r.stdout, /^1 file checked: 1 error\(s\), 0 warning\(s\)$/m);
});

test('FC_ENABLE=0 enables it too (any non-empty value); paths are relative to the working folder; JSON names the file of each problem', () => {
  const r = runFc(fcDir, { FC_ENABLE: '0', FC_SETTINGS: 'gw/settings', FC_PARTIALS: 'gw/partials' }, 'check', '--format', 'json', 'gw/krakend.tmpl');
  assert.equal(r.status, 1, r.stdout + r.stderr);
  const out = JSON.parse(r.stdout) as { files: { file: string; config?: string; diagnostics: { file: string; code: string; range: { start: { line: number } } }[] }[] };
  assert.deepEqual(out.files.map((f) => [f.file, f.config]), [['gw/krakend.tmpl', undefined], ['gw/settings/service.json', 'gw/krakend.tmpl'], ['gw/partials/router.json', 'gw/krakend.tmpl']]);
  const partial = out.files[2]!.diagnostics;
  assert.deepEqual(partial.map((d) => [d.file, d.code, d.range.start.line]), [['gw/partials/router.json', 'json/syntax', 2]]);
  // A missing FC_SETTINGS folder is KrakenD's error, on the template's first line.
  const missing = runFc(fcDir, { FC_ENABLE: '1', FC_SETTINGS: 'nope' }, 'check', 'gw/krakend.tmpl');
  assert.equal(missing.status, 1);
  assert.match(missing.stdout, /^gw\/krakend\.tmpl:1:1: error template\/missing-file loading flexible-config settings: .*nope: open nope: no such file or directory$/m);
});

test('without FC_ENABLE a template is plain JSON, as KrakenD reads it, with a note on stderr; FC_OUT .yaml parses the output as YAML and is written as KrakenD writes it', () => {
  const plain = runFc(join(fcDir, 'gw'), {}, 'check', 'krakend.tmpl');
  assert.equal(plain.status, 1);
  assert.match(plain.stdout, /^krakend\.tmpl:3:\d+: error json\/syntax /m);
  assert.match(plain.stderr, /krakend\.tmpl: note: template actions \(\{\{ \}\}\) but FC_ENABLE is not set/);
  writeFileSync(join(fcDir, 'gw', 'krakend-yaml.tmpl'), 'version: 3\nport: {{ .service.port }}\n');
  const yaml = runFc(join(fcDir, 'gw'), { FC_ENABLE: '1', FC_SETTINGS: 'settings', FC_OUT: 'out.yaml' }, 'check', 'krakend-yaml.tmpl');
  assert.equal(yaml.status, 0, yaml.stdout + yaml.stderr);
  assert.equal(readFileSync(join(fcDir, 'gw', 'out.yaml'), 'utf8'), 'version: 3\nport: 8080\n', 'FC_OUT holds the rendered output, as KrakenD writes it');
  const asJson = runFc(join(fcDir, 'gw'), { FC_ENABLE: '1', FC_SETTINGS: 'settings' }, 'check', 'krakend-yaml.tmpl');
  assert.equal(asJson.status, 1, 'without FC_OUT the output is JSON, which YAML is not');
});

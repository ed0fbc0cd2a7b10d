// The built CLI (dist/cli.js): output formats and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

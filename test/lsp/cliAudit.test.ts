// The built CLI's `audit` (dist/cli.js): findings per place, the check's JSON shape, -s/-i/-I as
// krakend audit takes them, --fail-on, and Flexible Configuration findings in the file that caused them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = 'dist/cli.js';
const dir = mkdtempSync(join(tmpdir(), 'krakend-live-cli-audit-'));
const config = join(dir, 'krakend.json');
writeFileSync(config, '{\n  "version": 3,\n  "timeout": "10s",\n  "endpoints": [ { "endpoint": "/a", "backend": [ { "url_pattern": "/b", "host": ["http://127.0.0.1:8081"] } ] } ]\n}\n');

function run(args: readonly string[], cwd = process.cwd(), env: Record<string, string> = {}) {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
  return spawnSync(process.execPath, [join(process.cwd(), CLI), ...args], { cwd, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: dir, ...env } });
}

interface JsonOut {
  files: { file: string; config?: string; diagnostics: { file: string; severity: string; code: string; message: string; range: { start: { line: number; character: number } } }[] }[];
}

test('text: one line per place, then a count by severity; any finding exits 1, as krakend audit', () => {
  const r = run(['audit', config]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, new RegExp(`^${config.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:1:1: warning audit/3\\.1\\.2 Implement a rate-limiting strategy`, 'm'));
  assert.match(r.stdout, /:3:14: warning audit\/3\.3\.2 Set timeouts to below 5 seconds/);
  assert.match(r.stdout, /:3:14: information audit\/3\.3\.1 /);
  assert.match(r.stdout, /^1 file audited: \d+ finding\(s\) \(\d+ HIGH, \d+ MEDIUM, \d+ LOW\)$/m);
});

test('json has the shape of check --format json', () => {
  const r = run(['audit', '--format', 'json', config]);
  assert.equal(r.status, 1, r.stderr);
  const out = JSON.parse(r.stdout) as JsonOut;
  assert.equal(out.files.length, 1);
  const d = out.files[0]!.diagnostics.find((x) => x.code === 'audit/3.3.2');
  assert.ok(d);
  assert.equal(d.file, config);
  assert.equal(d.severity, 'warning');
  assert.deepEqual(d.range.start, { line: 2, character: 13 });
  assert.ok(out.files[0]!.diagnostics.every((x) => x.code.startsWith('audit/')), 'audit prints only audit findings');
});

test('--severity, --ignore and --fail-on', () => {
  const critical = run(['audit', '--severity', 'critical', config]);
  assert.equal(critical.status, 0, 'nothing CRITICAL here');
  assert.match(critical.stdout, /^1 file audited: no findings$/m);
  const low = run(['audit', '--severity', 'LOW', '--ignore', '3.1.1,3.3.1', config]);
  assert.deepEqual([...low.stdout.matchAll(/ (audit\/[\d.]+) /g)].map((m) => m[1]), ['audit/5.2.2']);
  assert.equal(run(['audit', '--fail-on', 'critical', config]).status, 0);
  assert.equal(run(['audit', '--fail-on', 'medium', config]).status, 1);
  assert.equal(run(['audit', '--fail-on', 'none', config]).status, 0);
  assert.equal(run(['audit', '--severity', 'SEVERE', config]).status, 2);
  assert.equal(run(['audit', '--fail-on', 'often', config]).status, 2);
});

test('the ignore file: --ignore-file, else .krakend-audit-ignore beside the file', () => {
  const sub = mkdtempSync(join(dir, 'ignore-'));
  const file = join(sub, 'krakend.json');
  writeFileSync(file, '{ "version": 3, "endpoints": [] }');
  const before = run(['audit', '--format', 'json', file]);
  const codes = (r: ReturnType<typeof run>): string[] => (JSON.parse(r.stdout) as JsonOut).files.flatMap((f) => f.diagnostics.map((d) => d.code));
  assert.ok(codes(before).includes('audit/1.2.1'));
  writeFileSync(join(sub, '.krakend-audit-ignore'), '1.2.1\r\n2.1.2\n');
  const beside = codes(run(['audit', '--format', 'json', file]));
  assert.ok(!beside.includes('audit/1.2.1') && !beside.includes('audit/2.1.2'));
  const other = join(dir, 'other-ignore');
  writeFileSync(other, '5.2.2\n');
  const explicit = codes(run(['audit', '--format', 'json', '--ignore-file', other, file]));
  assert.ok(explicit.includes('audit/1.2.1') && !explicit.includes('audit/5.2.2'), '--ignore-file replaces the default file');
  assert.equal(run(['audit', '--ignore-file', join(dir, 'nope'), file]).status, 2);
});

test('a configuration krakend cannot read exits 1 and says so', () => {
  const bad = join(dir, 'krakend-bad.json');
  writeFileSync(bad, '{ "version": 2 }');
  const r = run(['audit', '--fail-on', 'none', bad]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /krakend audit would refuse this configuration/);
});

test('FC_ENABLE: findings land in the template and partial that caused them', () => {
  const fc = mkdtempSync(join(dir, 'fc-'));
  mkdirSync(join(fc, 'partials'));
  mkdirSync(join(fc, 'settings'));
  writeFileSync(join(fc, 'settings', 'env.json'), '{ "timeout": "45s" }');
  writeFileSync(join(fc, 'partials', 'endpoint.tmpl'), '{ "endpoint": "/a", "input_headers": ["*"], "backend": [ { "url_pattern": "/a", "host": ["http://127.0.0.1:8081"] } ] }');
  writeFileSync(join(fc, 'krakend.tmpl'), '{\n  "version": 3,\n  "timeout": "{{ .env.timeout }}",\n  "endpoints": [ {{ include "endpoint.tmpl" }} ]\n}\n');
  const r = run(['audit', '--format', 'json', 'krakend.tmpl'], fc, { FC_ENABLE: '1', FC_SETTINGS: 'settings', FC_PARTIALS: 'partials' });
  assert.equal(r.status, 1, r.stderr);
  const out = JSON.parse(r.stdout) as JsonOut;
  const byFile = new Map(out.files.map((f) => [f.file, f.diagnostics.map((d) => d.code)]));
  assert.ok(byFile.get('krakend.tmpl')?.includes('audit/3.1.2'), JSON.stringify(out));
  const partial = [...byFile.entries()].find(([f]) => f.endsWith('endpoint.tmpl'));
  assert.ok(partial?.[1].includes('audit/2.2.3'), `the input_headers "*" is the partial's: ${JSON.stringify(out)}`);
  const settings = [...byFile.entries()].find(([f]) => f.endsWith('env.json'));
  assert.ok(settings?.[1].includes('audit/3.3.3'), `the 45s timeout comes from the settings: ${JSON.stringify(out)}`);
});

// needs: krakend
// The CLI reads the FC_* variables as the real KrakenD does: the same environment and working
// folder give the same verdict from `krakend check -c` and from `node dist/cli.js check`, for
// FC_ENABLE=0 (any non-empty value enables), for paths relative to the working folder, and
// without FC_ENABLE (the template is then plain JSON to both). `check` writes FC_OUT byte for byte
// as KrakenD does, and `render` prints those bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { krakendCli } from '../support/krakend';

const CLI = resolve('dist/cli.js');

function project(partial: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'krakend-live-fc-cli-'));
  mkdirSync(join(dir, 'gw', 'settings'), { recursive: true });
  mkdirSync(join(dir, 'gw', 'partials'), { recursive: true });
  writeFileSync(join(dir, 'gw', 'krakend.tmpl'), '{\n  "version": 3,\n  "port": {{ .service.port }},\n  "extra_config": {{ include "router.json" }}\n}\n');
  writeFileSync(join(dir, 'gw', 'settings', 'service.json'), '{ "port": 8080 }\n');
  writeFileSync(join(dir, 'gw', 'partials', 'router.json'), partial);
  return dir;
}

interface Verdicts {
  readonly krakend: boolean;
  readonly ours: boolean;
  readonly detail: string;
}

function both(cwd: string, env: Record<string, string>, config: string): Verdicts {
  const k = krakendCli().run(['check', '-c', config], { cwd, env, timeoutMs: 30_000 });
  assert.ok(existsSync(CLI), 'dist/cli.js is missing: run npm run build');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('FC_')));
  const ours = spawnSync(process.execPath, [CLI, 'check', config], { cwd, encoding: 'utf8', env: { ...clean, XDG_CACHE_HOME: cwd, ...env } });
  return { krakend: k.status === 0, ours: ours.status === 0, detail: `krakend (${k.status}): ${k.stderr}${k.stdout}\nours (${ours.status}): ${ours.stdout}${ours.stderr}` };
}

test('the same FC_* environment and working folder give KrakenD and the CLI the same verdict', () => {
  const good = project('{ "router": { "return_error_msg": true } }\n');
  const bad = project('{\n  "router": {\n    return_error_msg: true\n  }\n}\n');
  try {
    const cases: [string, string, Record<string, string>, string, boolean][] = [
      ['FC_ENABLE=1 in the config folder', good, { FC_ENABLE: '1', FC_SETTINGS: 'settings', FC_PARTIALS: 'partials' }, 'krakend.tmpl', true],
      ['FC_ENABLE=0 enables it too', good, { FC_ENABLE: '0', FC_SETTINGS: 'settings', FC_PARTIALS: 'partials' }, 'krakend.tmpl', true],
      ['paths relative to the working folder', good, { FC_ENABLE: '1', FC_SETTINGS: 'gw/settings', FC_PARTIALS: 'gw/partials' }, 'gw/krakend.tmpl', true],
      ['no FC_ENABLE: plain JSON to both', good, { FC_SETTINGS: 'settings', FC_PARTIALS: 'partials' }, 'krakend.tmpl', false],
      ['a broken partial', bad, { FC_ENABLE: '1', FC_SETTINGS: 'settings', FC_PARTIALS: 'partials' }, 'krakend.tmpl', false],
    ];
    for (const [what, dir, env, config, ok] of cases) {
      const cwd = config.startsWith('gw/') ? dir : join(dir, 'gw');
      const v = both(cwd, { ...env, FC_OUT: join(cwd, 'out.json') }, config);
      assert.deepEqual({ krakend: v.krakend, ours: v.ours }, { krakend: ok, ours: ok }, `${what}\n${v.detail}`);
    }
  } finally {
    rmSync(good, { recursive: true, force: true });
    rmSync(bad, { recursive: true, force: true });
  }
});

test('check writes FC_OUT and render prints the same bytes KrakenD writes to FC_OUT', () => {
  // A partial KrakenD's JSON parser refuses: FC_OUT is written all the same, before the parse.
  const dir = project('{ "router": { "return_error_msg": true } }, "x": "\u00e9 {{ raw }}"\n');
  const cwd = join(dir, 'gw');
  writeFileSync(join(cwd, 'settings', 'service.json'), '{ "port": 8080, "name": "caf\u00e9 \ud83d\ude00" }\n');
  writeFileSync(join(cwd, 'krakend.tmpl'), '\ufeff{\n  "version": 3,\n  "port": {{ .service.port }},\n  "name": {{ .service.name | substr 0 6 | quote }},\n  "extra_config": {{ include "router.json" }}\n}\n');
  try {
    const env = { FC_ENABLE: '1', FC_SETTINGS: 'settings', FC_PARTIALS: 'partials' };
    const k = krakendCli().run(['check', '-c', 'krakend.tmpl'], { cwd, env: { ...env, FC_OUT: 'krakend-out.json' }, timeoutMs: 30_000 });
    assert.notEqual(k.status, 0, 'the rendered configuration was meant to fail to parse');
    const real = readFileSync(join(cwd, 'krakend-out.json'));
    const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('FC_')));
    const ours = spawnSync(process.execPath, [CLI, 'check', 'krakend.tmpl'], { cwd, encoding: 'utf8', env: { ...clean, XDG_CACHE_HOME: cwd, ...env, FC_OUT: 'ours-out.json' } });
    assert.equal(ours.status, 1, ours.stdout + ours.stderr);
    assert.deepEqual(readFileSync(join(cwd, 'ours-out.json')), real);
    assert.equal(statSync(join(cwd, 'ours-out.json')).mode & 0o777, statSync(join(cwd, 'krakend-out.json')).mode & 0o777);

    const rendered = spawnSync(process.execPath, [CLI, 'render', 'krakend.tmpl'], { cwd, env: { ...clean, ...env } });
    assert.deepEqual(rendered.stdout, real);
    assert.equal(rendered.status, 1, 'the rendered configuration has a JSON error');
    assert.match(rendered.stderr.toString(), /krakend\.tmpl:\d+:\d+: error /);

    // A template error: nothing rendered, nothing on stdout, and the error in KrakenD's words.
    writeFileSync(join(cwd, 'krakend.tmpl'), '{ "version": 3, "port": {{ .service.port | nosuch }} }\n');
    const broken = spawnSync(process.execPath, [CLI, 'render', 'krakend.tmpl'], { cwd, encoding: 'utf8', env: { ...clean, ...env } });
    assert.equal(broken.status, 1);
    assert.equal(broken.stdout, '');
    assert.match(broken.stderr, /function "nosuch" not defined/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

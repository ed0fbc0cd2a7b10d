// needs: krakend
// The CLI reads the FC_* variables as the real KrakenD does: the same environment and working
// folder give the same verdict from `krakend check -c` and from `node dist/cli.js check`, for
// FC_ENABLE=0 (any non-empty value enables), for paths relative to the working folder, and
// without FC_ENABLE (the template is then plain JSON to both).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

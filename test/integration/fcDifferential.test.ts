// needs: krakend
// Flexible Configuration, ours against the real KrakenD 2.13.8: every valid fixture is rendered
// by `FC_ENABLE=1 … krakend check -c <template>` (cwd = the fixture, FC_OUT in a temp dir) and by
// our engine, and the two renders must be byte for byte the same; `check` must pass. For the
// broken fixtures, KrakenD's own template and settings messages must be the ones we report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FcFixture } from '../support/fcFixtures';
import { checkFixture, fcFixtures } from '../support/fcFixtures';
import { requireComponent } from '../support/env';

interface RealRun {
  readonly status: number | null;
  readonly stderr: string;
  /** FC_OUT's bytes, when KrakenD wrote the file. */
  readonly out?: string;
}

function runKrakend(binary: string, f: FcFixture, tmp: string): RealRun {
  const out = join(tmp, `${f.name}.json`);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', FC_ENABLE: '1', FC_OUT: out, USAGE_DISABLE: '1', ...(f.manifest.env ?? {}) };
  if (f.folders.settings) env.FC_SETTINGS = f.folders.settings;
  if (f.folders.partials) env.FC_PARTIALS = f.folders.partials;
  if (f.folders.templates) env.FC_TEMPLATES = f.folders.templates;
  const r = spawnSync(binary, ['check', '-c', f.main], { cwd: f.dir, env, encoding: 'utf8', timeout: 30_000 });
  // FC_OUT is written before KrakenD parses it, so it exists even when the check fails.
  return existsSync(out) ? { status: r.status, stderr: r.stderr, out: readFileSync(out, 'utf8') } : { status: r.status, stderr: r.stderr };
}

test('the real KrakenD renders every valid FC fixture exactly as KrakenD Live does', () => {
  const { binary } = requireComponent('krakend');
  const tmp = mkdtempSync(join(tmpdir(), 'krakend-live-fc-'));
  try {
    const fixtures = fcFixtures('valid');
    assert.ok(fixtures.length >= 40, `expected at least 40 valid fixtures, found ${fixtures.length}`);
    const differences: string[] = [];
    for (const f of fixtures) {
      const real = runKrakend(binary, f, tmp);
      assert.equal(real.status, 0, `${f.name}: krakend check failed:\n${real.stderr}`);
      assert.match(real.stderr, /Syntax OK!/, f.name);
      assert.doesNotMatch(real.stderr, /Unable to parse|Error parsing sub-templates|Found error while executing/, f.name);
      assert.ok(real.out !== undefined, `${f.name}: FC_OUT was not written`);
      const ours = checkFixture(f).render.result?.output;
      if (ours !== real.out) differences.push(`${f.name}:\n  krakend: ${JSON.stringify(real.out)}\n  ours:    ${JSON.stringify(ours)}`);
    }
    assert.deepEqual(differences, []);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("broken FC fixtures: KrakenD logs the same template and settings errors we report", () => {
  const { binary } = requireComponent('krakend');
  const tmp = mkdtempSync(join(tmpdir(), 'krakend-live-fc-'));
  try {
    let compared = 0;
    for (const f of fcFixtures('broken')) {
      const code = f.manifest.error?.code ?? '';
      if (!/^template\/(syntax|exec|settings|missing-file)$/.test(code) || f.name === 'missing-partial') continue;
      const real = runKrakend(binary, f, tmp);
      assert.notEqual(real.status, 0, `${f.name}: krakend check passed`);
      const ours = [...checkFixture(f).files.values()].flatMap((d) => d.diagnostics).find((d) => d.code === code);
      assert.ok(ours, `${f.name}: no ${code}`);
      // KrakenD logs the template error verbatim; settings errors are the ERROR line's text.
      assert.ok(real.stderr.includes(ours.message), `${f.name}: KrakenD said\n${real.stderr}\nwe said\n${ours.message}`);
      compared++;
    }
    assert.ok(compared >= 8, `only ${compared} broken fixtures compared`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

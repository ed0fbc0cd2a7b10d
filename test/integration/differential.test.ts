// needs: krakend
// The real `krakend check -t -s <v2.13 schema>` and our checker over every fixture: they must
// agree on valid versus invalid, except where test/fixtures/rules/STRICTER.md says we are
// deliberately stricter. YAML is checked without -s, because the lint step reads every file as JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_SERVER_SETTINGS } from '../../shared/settings';
import { checkText } from '../../server/src/node/checker';
import { createSchemaResolver } from '../../server/src/node/schemaResolver';
import { krakendCli } from '../support/krakend';
import { upstreamSchemaPath } from '../support/reference';

const ROOT = resolve(__dirname, '..', '..');
const SCHEMA = upstreamSchemaPath('v2.13');
const DIRS = ['test/fixtures/rules', 'test/fixtures/schema/valid', 'test/fixtures/schema/invalid', 'test/fixtures/decode', 'test/fixtures/parse'];

/** Fixtures named in STRICTER.md's table: we report errors, `check -t -s` passes. */
function stricterFixtures(): Set<string> {
  const md = readFileSync(join(ROOT, 'test/fixtures/rules/STRICTER.md'), 'utf8');
  return new Set([...md.matchAll(/^\| `([^`]+\.(?:json|ya?ml))` \|/gm)].map((m) => m[1]!));
}

function fixtures(): string[] {
  return DIRS.flatMap((d) => {
    const dir = join(ROOT, d);
    return existsSync(dir) ? readdirSync(dir).filter((f) => /\.(json|ya?ml)$/.test(f)).map((f) => join(dir, f)) : [];
  });
}

test('krakend check and KrakenD Live agree on every fixture', async () => {
  const krakend = krakendCli();
  assert.ok(existsSync(SCHEMA), `the upstream v2.13 schema is missing at ${SCHEMA}`);
  const stricter = stricterFixtures();
  const resolver = createSchemaResolver({ storagePath: join(ROOT, '.cache', 'differential-schemas'), log: () => undefined });
  const settings = { ...DEFAULT_SERVER_SETTINGS.schema, url: SCHEMA, download: false };
  const disagreements: string[] = [];
  const all = fixtures();
  assert.ok(all.length > 50, `expected the fixture set, found ${all.length}`);
  for (const file of all) {
    const yaml = /\.ya?ml$/.test(file);
    const args = ['check', '-t', '-c', file, ...(yaml ? [] : ['-s', SCHEMA])];
    const real = krakend.run(args, { cwd: dirname(file), mounts: [dirname(SCHEMA)], timeoutMs: 30_000 });
    const realValid = real.status === 0;
    const ours = await checkText(readFileSync(file, 'utf8'), file, yaml ? undefined : resolver, settings);
    const ourValid = ours.output.errors === 0;
    const name = file.slice(ROOT.length + 1);
    const base = name.split('/').pop()!;
    if (stricter.has(base)) {
      if (!realValid || ourValid) disagreements.push(`${name}: listed in STRICTER.md but real=${realValid ? 'valid' : 'invalid'}, ours=${ourValid ? 'valid' : 'invalid'}`);
    } else if (realValid !== ourValid) {
      disagreements.push(`${name}: krakend says ${realValid ? 'valid' : `invalid (${real.stderr.trim().split('\n').slice(-2).join(' ')})`}, we say ${ourValid ? 'valid' : ours.output.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code).join(', ')}`);
    }
  }
  assert.deepEqual(disagreements, []);
});

// Whole configurations written the way KrakenD users write them (from the KrakenD docs), run
// through the full pipeline against our bundled schema and the real upstream v2.13 schema (read
// from ../shared, never copied). Each must pass with zero errors: a false positive on a
// configuration KrakenD CE 2.13 runs and its schema accepts is a bug.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkConfig } from '../../server/src/core/check';
import type { CheckOutput } from '../../server/src/core/check';
import { compileSchema } from '../../server/src/core/schema/compile';
import type { CompiledSchema } from '../../server/src/core/schema/compile';
import { lint } from '../../server/src/core/schema/lint';
import { formatOf } from '../../server/src/core/types';

const repoRoot = resolve(__dirname, '..', '..');
const realistic = join(repoRoot, 'test', 'fixtures', 'realistic');
const upstream = resolve(repoRoot, '..', 'shared', 'reference', 'krakend-schema', 'v2.13', 'krakend.json');

const schemas: Record<string, CompiledSchema> = {};

before(async () => {
  assert.ok(existsSync(upstream), `the upstream schema ${upstream} is missing: this test needs ../shared/reference/krakend-schema next to the repository`);
  schemas.bundled = await compileSchema('https://krakend-live.dev/schema/krakend.json', JSON.parse(readFileSync(join(repoRoot, 'schemas', 'krakend.json'), 'utf8')) as object);
  schemas['v2.13'] = await compileSchema('https://www.krakend.io/schema/v2.13/krakend.json', JSON.parse(readFileSync(upstream, 'utf8')) as object);
});

function check(text: string, fileName: string, schema: CompiledSchema): CheckOutput {
  return checkConfig({ text, format: formatOf(fileName), lint: (root) => lint(root, schema) });
}

const files = readdirSync(realistic).filter((f) => /\.(json|ya?ml)$/.test(f));

void test('there are realistic configurations in JSON and YAML', () => {
  assert.ok(files.some((f) => f.endsWith('.json')) && files.some((f) => f.endsWith('.yaml')), `found ${files.join(', ')}`);
});

for (const schemaName of ['bundled', 'v2.13']) {
  void describe(`realistic configurations against the ${schemaName} schema`, () => {
    for (const file of files) {
      void test(file, () => {
        const out = check(readFileSync(join(realistic, file), 'utf8'), file, schemas[schemaName]!);
        assert.deepEqual(
          out.diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`),
          [],
        );
      });
    }
  });
}

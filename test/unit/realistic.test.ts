// Whole configurations written the way KrakenD users write them (from the KrakenD docs), run
// through the full pipeline against our bundled schema and the real upstream v2.13 schema (read
// from ../shared, never copied). Each must pass with zero errors: a false positive on a
// configuration KrakenD CE 2.13 runs and its schema accepts is a bug.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, SCHEMA_NAMES, checkWith, compileTestSchemas } from './support/schemas';
import type { TestSchemas } from './support/schemas';

const realistic = join(REPO_ROOT, 'test', 'fixtures', 'realistic');
let schemas: TestSchemas;

before(async () => {
  schemas = await compileTestSchemas();
});

const files = readdirSync(realistic).filter((f) => /\.(json|ya?ml)$/.test(f));

void test('there are realistic configurations in JSON and YAML', () => {
  assert.ok(files.some((f) => f.endsWith('.json')) && files.some((f) => f.endsWith('.yaml')), `found ${files.join(', ')}`);
});

for (const schemaName of SCHEMA_NAMES) {
  void describe(`realistic configurations against the ${schemaName} schema`, () => {
    for (const file of files) {
      void test(file, () => {
        const out = checkWith(readFileSync(join(realistic, file), 'utf8'), file, schemas[schemaName]);
        assert.deepEqual(
          out.diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`),
          [],
        );
      });
    }
  });
}

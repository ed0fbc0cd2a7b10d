// Every Flexible Configuration fixture through checkFlexibleProject: the valid ones render and
// check clean (the differential test compares their render with the real KrakenD's FC_OUT);
// each broken one gives exactly one error, in the file and on the line its fixture.json names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFixture, fcFixtures } from '../support/fcFixtures';

void test('valid FC fixtures render and check without errors', () => {
  const fixtures = fcFixtures('valid');
  assert.ok(fixtures.length >= 40, `expected at least 40 valid fixtures, found ${fixtures.length}`);
  for (const f of fixtures) {
    const r = checkFixture(f);
    const all = [...r.files].flatMap(([file, d]) => d.diagnostics.map((x) => `${file}:${x.range.start.line + 1} ${x.code} ${x.message}`));
    assert.ok(r.render.result, `${f.name} did not render: ${all.join('; ')}`);
    assert.equal(r.errors, 0, `${f.name}: ${all.join('; ')}`);
    assert.equal(r.warnings, f.manifest.warnings ?? 0, `${f.name}: ${all.join('; ')}`);
  }
});

void test('broken FC fixtures give exactly one error, at the expected file and line', () => {
  const fixtures = fcFixtures('broken');
  const covered = new Set(fixtures.map((f) => f.name));
  for (const needed of ['partial-bad-key', 'settings-typo', 'unknown-function', 'unclosed-action', 'missing-partial', 'range-duplicate-endpoint']) assert.ok(covered.has(needed), needed);
  for (const f of fixtures) {
    const want = f.manifest.error;
    assert.ok(want, `${f.name} has no expected error in fixture.json`);
    const r = checkFixture(f);
    const errors = [...r.files].flatMap(([file, d]) => d.diagnostics.filter((x) => x.severity === 'error').map((x) => ({ file, line: x.range.start.line + 1, code: x.code, message: x.message })));
    assert.equal(errors.length, 1, `${f.name}: ${JSON.stringify(errors)}`);
    assert.deepEqual({ file: errors[0]!.file, line: errors[0]!.line, code: errors[0]!.code }, want, f.name);
  }
});

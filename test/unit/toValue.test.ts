import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { toValue } from '../../server/src/core/ast';
import { checkConfig } from '../../server/src/core/check';
import { parseJson } from '../../server/src/core/parseJson';
import { compileSchema } from '../../server/src/core/schema/compile';
import { lint } from '../../server/src/core/schema/lint';

const valueOf = (text: string): unknown => toValue(parseJson(text).root!);

void test('toValue: the plain value, the last duplicate key winning at every depth', () => {
  assert.deepEqual(valueOf('{"a": 1, "b": [true, null, "x", {"c": 2, "c": 3}], "a": {"d": []}}'), { a: { d: [] }, b: [true, null, 'x', { c: 3 }] });
});

void test('toValue: "__proto__" is an ordinary key, as it is for Go', () => {
  const v = valueOf('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
  assert.deepEqual(Object.keys(v), ['__proto__']);
  assert.equal((v as { polluted?: unknown }).polluted, undefined);
});

void test('JSON nested 9,000 deep (Go accepts up to 10,000) is checked, not a crash', async () => {
  const repoRoot = resolve(__dirname, '..', '..');
  const ours = await compileSchema('https://krakend-live.dev/schema/krakend.json', JSON.parse(readFileSync(join(repoRoot, 'schemas', 'krakend.json'), 'utf8')) as object);
  const text = `{"version": 3, "x": ${'['.repeat(9000)}${']'.repeat(9000)}}`;
  const out = checkConfig({ text, format: 'json', lint: (root) => lint(root, ours) });
  assert.deepEqual(out.diagnostics.map((d) => d.code), ['schema/additional-property']);
});

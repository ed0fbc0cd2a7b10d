// hashText names cache files and ties precompiled validators to their schema text: it must be
// stable across versions (a change renames every cache file) and spread small differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashText } from '../../server/src/core/hash';

void test('hashText is 16 hex digits, pinned for the values the cache already uses', () => {
  assert.equal(hashText(''), '811c9dc5050c5d1f');
  assert.equal(hashText('https://www.krakend.io/schema/v2.13/krakend.json'), '2f011723f093bee1');
});

void test('hashText tells apart texts that differ in one unit, in order, or in length', () => {
  const base = 'https://www.krakend.io/schema/v2.13/krakend.json';
  const variants = [base, base.replace('13', '12'), base.replace('13', '31'), `${base} `, base.slice(1), 'ab', 'ba', 'a\u0000', 'a'];
  assert.equal(new Set(variants.map(hashText)).size, variants.length);
  for (const v of variants) assert.match(hashText(v), /^[0-9a-f]{16}$/);
});

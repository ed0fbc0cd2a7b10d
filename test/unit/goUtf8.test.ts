// Go's strings are bytes: the helpers of server/src/core/go/utf8.ts keep every byte Go keeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAscii, utf8Decode, utf8Encode, utf8Length } from '../../server/src/core/go/utf8';
import { byteSlice } from '../../server/src/core/template/value';

void test('a leading U+FEFF is data, not a byte-order mark to drop', () => {
  assert.equal(utf8Decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), '\ufeffa');
  assert.deepEqual([...utf8Encode('\ufeffa')], [0xef, 0xbb, 0xbf, 0x61]);
  // Go's s[0:4] of "\ufeffabc" is the mark and the "a".
  assert.equal(byteSlice('\ufeffabc', 0, 4), '\ufeffa');
});

void test('lengths and ASCII are counted in bytes', () => {
  assert.equal(utf8Length('a€😀'), 1 + 3 + 4);
  assert.equal(utf8Length('\ud800'), 3); // a lone surrogate is encoded as U+FFFD
  assert.equal(utf8Encode('\ud800').length, 3);
  assert.ok(isAscii('plain ~'));
  assert.ok(!isAscii('é'));
});

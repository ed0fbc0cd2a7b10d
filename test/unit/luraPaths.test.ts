// The param scanner must find exactly what lura's regexes find.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENDPOINT_PARAM, SIMPLE_PARAM, inputParams, outputParams } from '../../server/src/core/luraPaths';

const byRegex = (s: string, re: RegExp): string[] => [...s.matchAll(re)].map((m) => m[1]!);

void test('params: the usual paths', () => {
  assert.deepEqual(inputParams('/a/{id}/b/{x-y_1}', false), ['id', 'x-y_1']);
  assert.deepEqual(inputParams('/a/x{id}/{a.b}', false), [], 'not after a slash; a dot is not an endpoint name character');
  assert.deepEqual(inputParams('/a/x{id}/{a.b}', true), ['id', 'a.b']);
  assert.deepEqual(outputParams('/users/{id}?q={resp0_a.b}&{JWT.sub}{}{a b}'), ['id', 'resp0_a.b', 'JWT.sub']);
});

void test('params: random strings give what the regexes give', () => {
  const pieces = ['{', '}', '/', 'a', 'Z', '0', '-', '_', '.', ':', 'é', ' ', '\\', '{}', '/{', '}{', '?', '*'];
  let seed = 11;
  // The high bits: an LCG's low bits cycle (its lowest alternates), which would skip half the pieces.
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) % n;
  for (let t = 0; t < 5000; t++) {
    let s = '';
    for (let i = rand(16); i > 0; i--) s += pieces[rand(pieces.length)];
    assert.deepEqual(inputParams(s, false), byRegex(s, ENDPOINT_PARAM), `endpoint ${JSON.stringify(s)}`);
    assert.deepEqual(inputParams(s, true), byRegex(s, SIMPLE_PARAM), `disable_rest ${JSON.stringify(s)}`);
    assert.deepEqual(outputParams(s), byRegex(s, SIMPLE_PARAM), `url_pattern ${JSON.stringify(s)}`);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatJson } from '../../client/src/jsonFormat';
import { REPO_ROOT } from './support/schemas';

const SPACES = { tabSize: 2, insertSpaces: true };

test('the KrakenD Configuration formatter lays JSON out as VS Code does and copies tokens as written', () => {
  const text = '{"version":3,"timeout" : "3s","n":1.0,"e":"\\u00e9\\n","a":[ ],"o":{},"list":[1,{"x":null}]}';
  assert.equal(
    formatJson(text, SPACES),
    '{\n  "version": 3,\n  "timeout": "3s",\n  "n": 1.0,\n  "e": "\\u00e9\\n",\n  "a": [],\n  "o": {},\n  "list": [\n    1,\n    {\n      "x": null\n    }\n  ]\n}',
  );
  assert.equal(formatJson('{"a":[1]}\n', { tabSize: 4, insertSpaces: false }), '{\n\t"a": [\n\t\t1\n\t]\n}\n', 'tabs, final newline kept');
  assert.equal(formatJson('\uFEFF{"a":1}\r\n', SPACES), '\uFEFF{\r\n  "a": 1\r\n}\r\n', 'BOM and CRLF kept');
});

test('the formatter leaves text that is not JSON alone; on the example it keeps the value and is stable', () => {
  for (const bad of ['{"a":1,}', '{"a": {{ .x }} }', '"encoding": "json"', '', '{"a":1} {"b":2}']) assert.equal(formatJson(bad, SPACES), undefined, bad);
  const example = readFileSync(join(REPO_ROOT, 'examples', 'krakend.json'), 'utf8');
  const once = formatJson(example, SPACES)!;
  assert.deepEqual(JSON.parse(once), JSON.parse(example));
  assert.equal(formatJson(once, SPACES), once);
});

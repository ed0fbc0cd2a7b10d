// "Where am I" on JSON and YAML, complete and half typed: the path, key or value, and the token.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cursorContext } from '../../server/src/core/intel/context';
import { schemaOnlyRoot } from '../../server/src/core/intel/declaredSchema';
import { parseJsonLoose } from '../../server/src/core/intel/looseJson';
import type { CursorContext } from '../../server/src/core/intel/context';
import type { ConfigFormat } from '../../server/src/core/types';
import { at } from './support/cursor';

function ctx(marked: string, format: ConfigFormat): CursorContext & { tokenText: string } {
  const { text, offset } = at(marked);
  const c = cursorContext(text, format, offset);
  assert.ok(c, `no context for ${JSON.stringify(marked)}`);
  return { ...c, tokenText: text.slice(c.token.offset, c.token.offset + c.token.length) };
}

interface Case {
  readonly name: string;
  readonly text: string;
  readonly kind: 'key' | 'value';
  readonly path: readonly (string | number)[];
  readonly token: string;
  readonly prefix?: string;
  readonly siblings?: readonly string[];
}

const JSON_CASES: readonly Case[] = [
  { name: 'a namespace being typed, auto-closed', text: '{ "endpoints": [ { "endpoint": "/a", "extra_config": { "qos/|" } } ] }', kind: 'key', path: ['endpoints', 0, 'extra_config'], token: '"qos/"', prefix: 'qos/' },
  { name: 'a namespace being typed, not closed: the token stops at the cursor', text: '{ "endpoints": [ { "endpoint": "/a", "extra_config": { "qos/| } } ] }', kind: 'key', path: ['endpoints', 0, 'extra_config'], token: '"qos/', prefix: 'qos/' },
  { name: 'a gap for a new key', text: '{ "endpoints": [ { "endpoint": "/a", | } ] }', kind: 'key', path: ['endpoints', 0], token: '', siblings: ['endpoint'] },
  { name: 'an existing key', text: '{ "ver|sion": 3 }', kind: 'key', path: [], token: '"version"', prefix: 'ver' },
  { name: 'a value after the colon, none written', text: '{ "endpoints": [ { "endpoint": "/a", "method": | } ] }', kind: 'value', path: ['endpoints', 0, 'method'], token: '' },
  { name: 'a value before the next key on the next line', text: '{\n  "method": |\n  "endpoint": "/a"\n}', kind: 'value', path: ['method'], token: '' },
  { name: 'inside a string value', text: '{ "endpoints": [ { "endpoint": "/a", "method": "g|" } ] }', kind: 'value', path: ['endpoints', 0, 'method'], token: '"g"', prefix: 'g' },
  { name: 'url_pattern of the second backend', text: '{ "endpoints": [ { "endpoint": "/a",\n  "backend": [ {}, { "url_pattern": "/x/{|" } ] } ] }', kind: 'value', path: ['endpoints', 0, 'backend', 1, 'url_pattern'], token: '"/x/{"', prefix: '/x/{' },
  { name: 'a number', text: '{\n  "port": 80|80\n}', kind: 'value', path: ['port'], token: '8080', prefix: '80' },
  { name: 'an item of a list', text: '{ "host": ["http://a", "http://b|"] }', kind: 'value', path: ['host', 1], token: '"http://b"' },
  { name: 'an open list at the end of the text', text: '{ "endpoints": [ |', kind: 'value', path: ['endpoints', 0], token: '' },
  { name: 'missing commas and a trailing comma', text: '{ "a": 1 "endpoints": [ { "endpoint": "/a" "method": "G|" }, ] }', kind: 'value', path: ['endpoints', 0, 'method'], token: '"G"' },
  { name: 'an unquoted key being typed', text: '{ "extra_config": { rout| } }', kind: 'key', path: ['extra_config'], token: 'rout' },
  { name: 'CRLF line ends', text: '{\r\n  "endpoints": [\r\n    {\r\n      "extra_config": {\r\n        "|"\r\n      }\r\n    }\r\n  ]\r\n}\r\n', kind: 'key', path: ['endpoints', 0, 'extra_config'], token: '""' },
  { name: 'tabs and non-ASCII text before', text: '{\n\t"name": "gatëway ✓",\n\t"extra_config": {\n\t\t"tel|"\n\t}\n}', kind: 'key', path: ['extra_config'], token: '"tel"' },
  { name: 'a comment a user pasted in', text: '{\n  // mine\n  "extra_config": { "|" }\n}', kind: 'key', path: ['extra_config'], token: '""' },
];

const YAML_CASES: readonly Case[] = [
  { name: 'a namespace being typed on its own line', text: 'version: 3\nendpoints:\n  - endpoint: /a/{id}\n    extra_config:\n      qos/|\n', kind: 'key', path: ['endpoints', 0, 'extra_config'], token: 'qos/' },
  { name: 'a value after the colon', text: 'version: 3\nendpoints:\n  - endpoint: /a/{id}\n    method: G|\n    extra_config: {}\n', kind: 'value', path: ['endpoints', 0, 'method'], token: 'G' },
  { name: 'an empty value after the colon', text: 'endpoints:\n  - endpoint: /a\n    method: |\n', kind: 'value', path: ['endpoints', 0, 'method'], token: '' },
  { name: 'url_pattern in the second endpoint', text: 'version: 3\nendpoints:\n  - endpoint: /a/{id}\n  - endpoint: /b\n    backend:\n      - url_pattern: /x/{|\n', kind: 'value', path: ['endpoints', 1, 'backend', 0, 'url_pattern'], token: '/x/{' },
  { name: 'compact lists (dash at the key column)', text: 'endpoints:\n- endpoint: /a\n- endpoint: /b\n  extra_config:\n    |\n', kind: 'key', path: ['endpoints', 1, 'extra_config'], token: '' },
  { name: 'a new key in an endpoint', text: 'endpoints:\n  - endpoint: /a\n    |\n', kind: 'key', path: ['endpoints', 0], token: '', siblings: ['endpoint'] },
  { name: 'a new key in the root extra_config after a nested block', text: 'extra_config:\n  router:\n    return_error_msg: true\n  |', kind: 'key', path: ['extra_config'], token: '', siblings: ['router'] },
  { name: 'a host list item', text: 'endpoints:\n  - endpoint: /a\n    backend:\n      - host:\n          - http://|\n', kind: 'value', path: ['endpoints', 0, 'backend', 0, 'host', 0], token: 'http://' },
  { name: 'an existing key', text: 'endpoints:\n  - endpoint: /a\n    meth|od: GET\n', kind: 'key', path: ['endpoints', 0], token: 'method', siblings: ['endpoint'] },
  { name: 'a quoted value, comments and blank lines around', text: '# gateway\nendpoints:\n\n  # first\n  - endpoint: "/a|"\n', kind: 'value', path: ['endpoints', 0, 'endpoint'], token: '"/a"', prefix: '/a' },
  { name: 'CRLF line ends', text: 'endpoints:\r\n  - endpoint: /a\r\n    extra_config:\r\n      qos|\r\n', kind: 'key', path: ['endpoints', 0, 'extra_config'], token: 'qos' },
  { name: 'the third item after nested lists', text: 'endpoints:\n  - endpoint: /a\n    backend:\n      - url_pattern: /x\n      - url_pattern: /y\n  - endpoint: /b\n  - endpoint: /c\n    timeout: 3|\n', kind: 'value', path: ['endpoints', 2, 'timeout'], token: '3' },
];

for (const [format, cases] of [['json', JSON_CASES], ['yaml', YAML_CASES]] as const) {
  describe(`${format} cursor context`, () => {
    for (const c of cases) {
      test(c.name, () => {
        const got = ctx(c.text, format);
        assert.equal(got.kind, c.kind);
        assert.deepEqual(got.path, c.path);
        assert.equal(got.tokenText, c.token);
        if (c.prefix !== undefined) assert.equal(got.prefix, c.prefix);
        if (c.siblings !== undefined) assert.deepEqual([...got.siblings].sort(), [...c.siblings].sort());
      });
    }
  });
}

test('JSON: a key followed by its colon says so (renaming, not adding)', () => {
  assert.equal(ctx('{ "ver|sion": 3 }', 'json').hasColon, true);
  assert.equal(ctx('{ "ver|" }', 'json').hasColon, false);
});

test('YAML: a comment has no context', () => {
  const { text, offset } = at('version: 3 # the| version\n');
  assert.equal(cursorContext(text, 'yaml', offset), undefined);
});

test('read() finds scalars by path in both formats, half-typed text included', () => {
  const j = at('{ "disable_rest": true, "endpoints": [ { "endpoint": "/u/{id}", "backend": [ { "url_pattern": "/x/{|" } ] } ] ');
  const jc = cursorContext(j.text, 'json', j.offset)!;
  assert.equal(jc.read(['endpoints', 0, 'endpoint']), '/u/{id}');
  assert.equal(jc.read(['disable_rest']), 'true');
  const y = at('disable_rest: true\nendpoints:\n  - endpoint: /a\n  - method: GET\n    endpoint: /u/{id}\n    backend:\n      - url_pattern: /x/{|\n');
  const yc = cursorContext(y.text, 'yaml', y.offset)!;
  assert.equal(yc.read(['endpoints', 1, 'endpoint']), '/u/{id}');
  assert.equal(yc.read(['endpoints', 0, 'endpoint']), '/a');
  assert.equal(yc.read(['disable_rest']), 'true');
  assert.equal(yc.read(['endpoints', 2, 'endpoint']), undefined);
});

test('the declared $schema is found without parsing the whole file', () => {
  const url = 'https://www.krakend.io/schema/v2.12/krakend.json';
  const of = (text: string, format: ConfigFormat): unknown => {
    const root = schemaOnlyRoot(text, format, format === 'json' ? parseJsonLoose(text) : undefined);
    return root.properties.map((p) => [p.key.value, p.value.kind === 'string' ? p.value.value : p.value.kind]);
  };
  assert.deepEqual(of(`{ "$schema": "${url}", "endpoints": [ { "extra_config": { "qos/`, 'json'), [['$schema', url]]);
  assert.deepEqual(of(`version: 3\n$schema: ${url} # pinned\nendpoints:\n  - endpoint: [broken\n`, 'yaml'), [['$schema', url]]);
  assert.deepEqual(of(`"$schema": '${url}'\n`, 'yaml'), [['$schema', url]]);
  // Nested `$schema` keys (say, in validation/json-schema) are not the document's.
  assert.deepEqual(of('version: 3\nextra_config:\n  $schema: x\n', 'yaml'), []);
  assert.deepEqual(of('{ "version": 3 }', 'json'), []);
});

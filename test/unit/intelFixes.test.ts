// Every quick fix: find the problem with the real checker, apply the fix, check again, and the
// rule is satisfied. The fix reads only the problem's data and span, never its message.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/core/positions';
import { quickFixes } from '../../server/src/core/intel/fixes';
import { durationSuggestion } from '../../server/src/core/go/duration';
import type { Diagnostic } from '../../server/src/core/types';
import { formatOf } from '../../server/src/core/types';
import { applyEdits } from './support/cursor';
import { checkWith, compileTestSchemas } from './support/schemas';
import type { TestSchemas } from './support/schemas';

let schemas: TestSchemas;
before(async () => {
  schemas = await compileTestSchemas();
});

interface Case {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  readonly code: string;
  /** The text after the fix. */
  readonly fixed: string;
  readonly title: RegExp;
  /** Only with these schemas (our bundled one accepts legacy namespace keys). */
  readonly only?: 'v2.13';
}

const ok = (endpoints: string): string => `{ "version": 3, "endpoints": [ ${endpoints} ] }`;

const CASES: readonly Case[] = [
  {
    name: 'a misspelt namespace',
    file: 'krakend.json',
    text: ok('{ "endpoint": "/a", "extra_config": { "qos/ratelimit/routr": { "max_rate": 5 } }, "backend": [{ "url_pattern": "/a", "host": ["http://x"] }] }'),
    code: 'schema/unknown-namespace',
    fixed: ok('{ "endpoint": "/a", "extra_config": { "qos/ratelimit/router": { "max_rate": 5 } }, "backend": [{ "url_pattern": "/a", "host": ["http://x"] }] }'),
    title: /Change to 'qos\/ratelimit\/router'/,
  },
  {
    name: 'a legacy namespace key',
    file: 'krakend.json',
    text: '{ "version": 3, "extra_config": { "github_com/devopsfaith/krakend-cors": { "allow_origins": ["*"] } } }',
    code: 'schema/unknown-namespace',
    fixed: '{ "version": 3, "extra_config": { "security/cors": { "allow_origins": ["*"] } } }',
    title: /security\/cors/,
    only: 'v2.13',
  },
  {
    name: 'a misspelt property',
    file: 'krakend.json',
    text: ok('{ "endpoint": "/a", "methd": "GET", "backend": [{ "url_pattern": "/a", "host": ["http://x"] }] }'),
    code: 'schema/additional-property',
    fixed: ok('{ "endpoint": "/a", "method": "GET", "backend": [{ "url_pattern": "/a", "host": ["http://x"] }] }'),
    title: /Change to 'method'/,
  },
  {
    name: 'a KrakenD 1 property name',
    file: 'krakend.json',
    text: ok('{ "endpoint": "/a", "headers_to_pass": ["X"], "backend": [{ "url_pattern": "/a", "host": ["http://x"] }] }'),
    code: 'schema/additional-property',
    fixed: ok('{ "endpoint": "/a", "input_headers": ["X"], "backend": [{ "url_pattern": "/a", "host": ["http://x"] }] }'),
    title: /input_headers/,
  },
  {
    name: 'a duration with a space',
    file: 'krakend.json',
    text: '{ "version": 3, "timeout": "3 s" }',
    code: 'decode/duration',
    fixed: '{ "version": 3, "timeout": "3s" }',
    title: /Change to '3s'/,
  },
  {
    name: 'a duration written in words',
    file: 'krakend.yaml',
    text: 'version: 3\ntimeout: 10 seconds\n',
    code: 'decode/duration',
    fixed: 'version: 3\ntimeout: 10s\n',
    title: /'10s'/,
  },
  {
    name: ':id written by hand',
    file: 'krakend.json',
    text: ok('{ "endpoint": "/users/:id", "backend": [{ "url_pattern": "/u", "host": ["http://x"] }] }'),
    code: 'route/manual-param',
    fixed: ok('{ "endpoint": "/users/{id}", "backend": [{ "url_pattern": "/u", "host": ["http://x"] }] }'),
    title: /Use input params: '\/users\/\{id\}'/,
  },
  {
    name: ':id written by hand, YAML',
    file: 'krakend.yml',
    text: 'version: 3\nendpoints:\n  - endpoint: /users/:id/orders/:order\n    backend:\n      - url_pattern: /u\n        host: [http://x]\n',
    code: 'route/manual-param',
    fixed: 'version: 3\nendpoints:\n  - endpoint: /users/{id}/orders/{order}\n    backend:\n      - url_pattern: /u\n        host: [http://x]\n',
    title: /\{id\}/,
  },
  {
    name: 'a missing url_pattern',
    file: 'krakend.json',
    text: '{\n  "version": 3,\n  "endpoints": [\n    {\n      "endpoint": "/users/{id}",\n      "backend": [\n        {\n          "host": ["http://x"]\n        }\n      ]\n    }\n  ]\n}\n',
    code: 'schema/required',
    fixed: '{\n  "version": 3,\n  "endpoints": [\n    {\n      "endpoint": "/users/{id}",\n      "backend": [\n        {\n          "host": ["http://x"],\n          "url_pattern": "/users/{id}"\n        }\n      ]\n    }\n  ]\n}\n',
    title: /Add "url_pattern": "\/users\/\{id\}"/,
  },
  {
    name: 'a missing url_pattern, YAML',
    file: 'krakend.yaml',
    text: 'version: 3\nendpoints:\n  - endpoint: /a\n    backend:\n      - host:\n          - http://x\n',
    code: 'schema/required',
    fixed: 'version: 3\nendpoints:\n  - endpoint: /a\n    backend:\n      - host:\n          - http://x\n        url_pattern: /a\n',
    title: /url_pattern/,
  },
  {
    name: 'a missing backend',
    file: 'krakend.json',
    text: '{\n  "version": 3,\n  "endpoints": [\n    {\n      "endpoint": "/a"\n    }\n  ]\n}\n',
    code: 'init/no-backends',
    fixed: '{\n  "version": 3,\n  "endpoints": [\n    {\n      "endpoint": "/a",\n      "backend": [\n        {\n          "url_pattern": "/a"\n        }\n      ]\n    }\n  ]\n}\n',
    title: /Add a backend for \/a/,
  },
  {
    name: 'an empty backend list',
    file: 'krakend.json',
    text: '{ "version": 3, "endpoints": [ { "endpoint": "/b", "backend": [] } ] }',
    code: 'init/no-backends',
    fixed: '{ "version": 3, "endpoints": [ { "endpoint": "/b", "backend": [\n  {\n    "url_pattern": "/b"\n  }\n] } ] }',
    title: /Add a backend/,
  },
  {
    name: 'a missing backend, YAML',
    file: 'krakend.yaml',
    text: 'version: 3\nendpoints:\n  - endpoint: /a\n    method: GET\n',
    code: 'init/no-backends',
    fixed: 'version: 3\nendpoints:\n  - endpoint: /a\n    method: GET\n    backend:\n      - url_pattern: /a\n',
    title: /Add a backend/,
  },
  {
    name: 'a duplicate key (the overridden one goes)',
    file: 'krakend.json',
    text: '{\n  "version": 3,\n  "port": 8080,\n  "name": "x",\n  "port": 9090\n}\n',
    code: 'json/duplicate-key',
    fixed: '{\n  "version": 3,\n  "name": "x",\n  "port": 9090\n}\n',
    title: /Remove this 'port'/,
  },
  {
    name: 'a duplicate key, last in its object',
    file: 'krakend.json',
    text: '{ "version": 3, "extra_config": { "router": { "a": 1, "return_error_msg": true, "return_error_msg": false } } }',
    code: 'json/duplicate-key',
    fixed: '{ "version": 3, "extra_config": { "router": { "a": 1, "return_error_msg": false } } }',
    title: /Remove this 'return_error_msg'/,
  },
  {
    name: 'a quoted port',
    file: 'krakend.json',
    text: '{ "version": 3, "port": "8080" }',
    code: 'schema/type',
    fixed: '{ "version": 3, "port": 8080 }',
    title: /Write 8080 without quotes/,
  },
  {
    name: 'a quoted boolean, YAML',
    file: 'krakend.yaml',
    text: 'version: 3\ndebug_endpoint: "true"\n',
    code: 'schema/type',
    fixed: 'version: 3\ndebug_endpoint: true\n',
    title: /true without quotes/,
  },
  {
    name: 'a quoted version',
    file: 'krakend.json',
    text: '{ "version": "3" }',
    code: 'schema/enum',
    fixed: '{ "version": 3 }',
    title: /Change to 3/,
  },
  {
    name: 'a lowercase method',
    file: 'krakend.json',
    text: ok('{ "endpoint": "/a", "method": "post", "backend": [{ "url_pattern": "/a", "host": ["http://x"] }] }'),
    code: 'schema/enum',
    fixed: ok('{ "endpoint": "/a", "method": "POST", "backend": [{ "url_pattern": "/a", "host": ["http://x"] }] }'),
    title: /Change to 'POST'/,
  },
  {
    name: 'a lowercase method, YAML, single-quoted',
    file: 'krakend.yaml',
    text: "version: 3\nendpoints:\n  - endpoint: /a\n    method: 'put'\n    backend:\n      - url_pattern: /a\n        host: [http://x]\n",
    code: 'schema/enum',
    fixed: "version: 3\nendpoints:\n  - endpoint: /a\n    method: 'PUT'\n    backend:\n      - url_pattern: /a\n        host: [http://x]\n",
    title: /'PUT'/,
  },
  {
    name: 'a misspelt output encoding',
    file: 'krakend.json',
    text: ok('{ "endpoint": "/a", "output_encoding": "jsn", "backend": [{ "url_pattern": "/a", "host": ["http://x"] }] }'),
    // KrakenD's own rule says it (with its did-you-mean); the schema's enum error on the same value is dropped.
    code: 'route/unknown-encoding',
    fixed: ok('{ "endpoint": "/a", "output_encoding": "json", "backend": [{ "url_pattern": "/a", "host": ["http://x"] }] }'),
    title: /'json'/,
  },
];

function offsetsOf(text: string, d: Diagnostic): { offset: number; length: number } {
  const index = new LineIndex(text);
  const start = index.offsetAt(d.range.start);
  return { offset: start, length: index.offsetAt(d.range.end) - start };
}

for (const schemaName of ['bundled', 'v2.13'] as const) {
  describe(`quick fixes leave the file valid for their rule (${schemaName} schema)`, () => {
    for (const c of CASES.filter((x) => !x.only || x.only === schemaName)) {
      test(c.name, () => {
        const schema = schemas[schemaName];
        const found = checkWith(c.text, c.file, schema).diagnostics.filter((d) => d.code === c.code);
        assert.equal(found.length, 1, `one ${c.code} expected, got ${JSON.stringify(checkWith(c.text, c.file, schema).diagnostics.map((d) => [d.code, d.message]))}`);
        const d = found[0]!;
        const fixes = quickFixes({ text: c.text, format: formatOf(c.file), code: d.code, span: offsetsOf(c.text, d), ...(d.data ? { data: d.data } : {}) });
        assert.equal(fixes.length, 1, `one fix expected for ${c.code}: ${JSON.stringify(d)}`);
        const fix = fixes[0]!;
        assert.match(fix.title, c.title);
        const after = applyEdits(c.text, fix.edits);
        assert.equal(after, c.fixed);
        const again = checkWith(after, c.file, schema).diagnostics;
        assert.deepEqual(again.filter((x) => x.code === c.code), [], `${c.code} still there: ${JSON.stringify(again)}`);
        assert.ok(!again.some((x) => x.code.startsWith('json/syntax') || x.code.startsWith('yaml/syntax')), JSON.stringify(again));
      });
    }
  });
}

test('no fix where the repair is not obvious', () => {
  const none: [string, string][] = [
    // A namespace in the wrong scope: moving it is the user's call.
    ['krakend.json', '{ "version": 3, "extra_config": { "qos/ratelimit/router": { "max_rate": 1 } } }'],
    // A bare number as a duration: seconds or milliseconds?
    ['krakend.json', '{ "version": 3, "timeout": "30" }'],
    // A missing property we have no sensible value for.
    ['krakend.json', ok('{ "backend": [{ "url_pattern": "/a", "host": ["http://x"] }] }')],
  ];
  for (const [file, text] of none) {
    const out = checkWith(text, file, schemas['v2.13']);
    assert.ok(out.diagnostics.length > 0, text);
    for (const d of out.diagnostics) {
      assert.deepEqual(quickFixes({ text, format: formatOf(file), code: d.code, span: offsetsOf(text, d), ...(d.data ? { data: d.data } : {}) }), [], `${d.code}: ${d.message}`);
    }
  }
});

test('a stale span (the text changed under it) gives no fix rather than a wrong one', () => {
  const fixes = quickFixes({ text: '{ "version": 3, "extra_config": {} }', format: 'json', code: 'schema/unknown-namespace', span: { offset: 31, length: 2 }, data: { replacement: 'router' } });
  assert.deepEqual(fixes, []);
});

test('a CRLF file gets CRLF line ends in what a fix inserts', () => {
  const text = '{\r\n  "version": 3,\r\n  "endpoints": [\r\n    {\r\n      "endpoint": "/a"\r\n    }\r\n  ]\r\n}\r\n';
  const d = checkWith(text, 'krakend.json', schemas['v2.13']).diagnostics.find((x) => x.code === 'init/no-backends')!;
  const [fix] = quickFixes({ text, format: 'json', code: d.code, span: offsetsOf(text, d), ...(d.data ? { data: d.data } : {}) });
  const after = applyEdits(text, fix!.edits);
  assert.ok(!/[^\r]\n/.test(after), JSON.stringify(after));
  assert.deepEqual(checkWith(after, 'krakend.json', schemas['v2.13']).diagnostics, []);
});

test('duration near misses, and what is not one', () => {
  const cases: [string, string | undefined][] = [
    ['3 s', '3s'],
    ['3S', '3s'],
    ['10 seconds', '10s'],
    ['500 millis', '500ms'],
    ['1.5 min', '1.5m'],
    ['2 hrs', '2h'],
    [' 20ms ', '20ms'],
    ['90', undefined],
    ['3 fortnights', undefined],
    ['3s', undefined],
    ['1h30m', undefined],
  ];
  for (const [input, expected] of cases) assert.equal(durationSuggestion(input), expected, input);
});

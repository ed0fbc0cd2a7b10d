// The outline: endpoints grouped by path with their methods and backends, async agents; and the
// flat endpoint list for workspace symbols.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeService } from '../../server/src/core/decode';
import { parseConfig } from '../../server/src/core/parse';
import { documentSymbols, endpointSymbols, fuzzyMatch } from '../../server/src/core/intel/symbols';
import type { SymbolData } from '../../server/src/core/intel/symbols';
import type { ConfigFormat } from '../../server/src/core/types';

function outline(text: string, format: ConfigFormat = 'json') {
  const root = parseConfig(text, format).root;
  assert.ok(root);
  return decodeService(root).model;
}

function shape(s: SymbolData): unknown {
  return { name: s.name, kind: s.kind, ...(s.detail ? { detail: s.detail } : {}), ...(s.children.length ? { children: s.children.map(shape) } : {}) };
}

const CONFIG = `{
  "version": 3,
  "endpoints": [
    { "endpoint": "/users/{id}", "backend": [ { "url_pattern": "/u/{id}", "host": ["http://users:8080"] } ] },
    { "endpoint": "/orders", "method": "POST", "backend": [ { "url_pattern": "/o", "method": "put" }, { "url_pattern": "/audit" } ] },
    { "endpoint": "/users/{id}", "method": "DELETE", "backend": [ { "url_pattern": "/u/{id}" } ] }
  ],
  "async_agent": [ { "name": "orders-consumer", "backend": [ { "url_pattern": "/process" } ] }, { "backend": [] } ]
}`;

test('endpoints grouped by path in order of appearance, with methods, routes and backends', () => {
  const symbols = documentSymbols(outline(CONFIG));
  assert.deepEqual(symbols.map(shape), [
    {
      name: '/users/{id}',
      kind: 'path',
      detail: 'GET, DELETE',
      children: [
        { name: 'GET', kind: 'endpoint', detail: 'GET /users/:id', children: [{ name: '/u/{id}', kind: 'backend', detail: 'http://users:8080' }] },
        { name: 'DELETE', kind: 'endpoint', detail: 'DELETE /users/:id', children: [{ name: '/u/{id}', kind: 'backend' }] },
      ],
    },
    {
      name: '/orders',
      kind: 'path',
      detail: 'POST',
      children: [{ name: 'POST', kind: 'endpoint', detail: 'POST /orders', children: [{ name: '/o', kind: 'backend', detail: 'PUT' }, { name: '/audit', kind: 'backend' }] }],
    },
    { name: 'orders-consumer', kind: 'asyncAgent', detail: 'async agent', children: [{ name: '/process', kind: 'backend' }] },
    { name: 'async agent 1', kind: 'asyncAgent', detail: 'async agent' },
  ]);
  // Each group's range covers its endpoints, and every selection lies inside its range.
  const check = (s: SymbolData): void => {
    assert.ok(s.selection.offset >= s.span.offset && s.selection.offset + s.selection.length <= s.span.offset + s.span.length, s.name);
    for (const c of s.children) {
      assert.ok(c.span.offset >= s.span.offset && c.span.offset + c.span.length <= s.span.offset + s.span.length, `${c.name} in ${s.name}`);
      check(c);
    }
  };
  symbols.forEach(check);
  // The group selects its path.
  assert.equal(CONFIG.slice(symbols[0]!.selection.offset, symbols[0]!.selection.offset + symbols[0]!.selection.length), '"/users/{id}"');
});

test('YAML outlines the same way', () => {
  const yaml = 'version: 3\nendpoints:\n  - endpoint: /a\n    method: put\n    backend:\n      - url_pattern: /x\n';
  assert.deepEqual(documentSymbols(outline(yaml, 'yaml')).map(shape), [
    { name: '/a', kind: 'path', detail: 'PUT', children: [{ name: 'PUT', kind: 'endpoint', detail: 'PUT /a', children: [{ name: '/x', kind: 'backend' }] }] },
  ]);
});

test('endpoint symbols for the workspace, and the fuzzy match VS Code users expect', () => {
  assert.deepEqual(endpointSymbols(outline(CONFIG)).map((s) => s.name), ['GET /users/{id}', 'POST /orders', 'DELETE /users/{id}']);
  assert.ok(fuzzyMatch('gus', 'GET /users/{id}'));
  assert.ok(fuzzyMatch('POST ord', 'POST /orders'));
  assert.ok(fuzzyMatch('', 'anything'));
  assert.ok(!fuzzyMatch('xyz', 'GET /users/{id}'));
});

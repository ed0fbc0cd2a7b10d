// Hover: schema facts and documentation links on keys and namespaces, the gin route on paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml } from '../../server/src/core/parseYaml';
import { hoverAt } from '../../server/src/core/intel/hover';
import { parseJsonLoose } from '../../server/src/core/intel/looseJson';
import type { ConfigFormat } from '../../server/src/core/types';
import { at } from './support/cursor';
import { schemaIndexes } from './support/schemaIndex';

function hover(marked: string, format: ConfigFormat = 'json', schema: 'bundled' | 'v2.13' | 'none' = 'v2.13') {
  const { text, offset } = at(marked);
  const tree = format === 'json' ? parseJsonLoose(text) : parseYaml(text).root;
  const h = hoverAt({ text, format, offset, ...(schema === 'none' ? {} : { schema: schemaIndexes()[schema] }), ...(tree ? { tree } : {}) });
  return h ? { ...h, hovered: text.slice(h.span.offset, h.span.offset + h.span.length) } : undefined;
}

test('a key: title, description, type, default, and its documentation link', () => {
  const h = hover('{ "port": 8080, "time|out": "3s" }');
  assert.ok(h);
  assert.equal(h.hovered, '"timeout"');
  assert.match(h.markdown, /\*\*Global timeout\*\*/);
  assert.match(h.markdown, /Default: `"2s"`/);
  assert.match(h.markdown, /duration/);
  assert.match(h.markdown, /\[KrakenD documentation\]\(https:\/\/www\.krakend\.io\/docs\/service-settings\/http-transport-settings\/#global-timeout\)/);
  // The See: line became the link; it is not repeated in the text.
  assert.doesNotMatch(h.markdown, /See: https/);
});

test('a namespace: where CE reads it and its documentation page', () => {
  const h = hover('{ "endpoints": [ { "endpoint": "/a", "extra_config": { "qos/rate|limit/router": { "max_rate": 5 } } } ] }');
  assert.ok(h);
  assert.match(h.markdown, /`qos\/ratelimit\/router`/);
  assert.match(h.markdown, /KrakenD CE reads it in the endpoint extra_config\./);
  assert.match(h.markdown, /\(https:\/\/www\.krakend\.io\/docs\/endpoints\/rate-limit\/\)/);
  const misplaced = hover('{ "extra_config": { "qos/rate|limit/router": {} } }');
  assert.match(misplaced!.markdown, /\*\*not here\*\*/);
  // A namespace whose schema has no link of its own gets one from our table.
  assert.match(hover('{ "extra_config": { "plugin/http-|server": {} } }')!.markdown, /extending\/http-server-plugins/);
  // Enterprise-only.
  assert.match(hover('{ "extra_config": { "auth/ba|sic": {} } }')!.markdown, /Not read by KrakenD CE/);
});

test('YAML keys and values hover too; the bundled schema answers offline', () => {
  const h = hover('endpoints:\n  - endpoint: /a\n    concurrent_ca|lls: 2\n', 'yaml', 'v2.13');
  assert.ok(h);
  assert.equal(h.hovered, 'concurrent_calls');
  assert.match(h.markdown, /Type: `integer`/);
  const v = hover('{ "endpoints": [ { "endpoint": "/a", "method": "PO|ST" } ] }', 'json', 'bundled');
  assert.match(v!.markdown, /Allowed: `GET`, `POST`, `PUT`, `PATCH`, `DELETE`/);
});

test('an endpoint path: the route gin registers and the other routes of its tree', () => {
  const text = `{ "version": 3, "endpoints": [
    { "endpoint": "/users/{i|d}", "method": "GET", "backend": [{ "url_pattern": "/u/{id}" }] },
    { "endpoint": "/users", "backend": [{ "url_pattern": "/u" }] },
    { "endpoint": "/users/{id}/orders", "backend": [{ "url_pattern": "/o" }] },
    { "endpoint": "/health-check", "backend": [{ "url_pattern": "/h" }] },
    { "endpoint": "/users/{id}", "method": "DELETE", "backend": [{ "url_pattern": "/u/{id}" }] },
    { "endpoint": "/users/new", "method": "POST", "backend": [{ "url_pattern": "/n" }] }
  ] }`;
  const h = hover(text);
  assert.ok(h);
  assert.equal(h.hovered, '"/users/{id}"');
  assert.match(h.markdown, /`GET \/users\/:id`\*\* as gin registers it \(`\{id\}` → `:id`\)/);
  assert.match(h.markdown, /3 other routes in the GET tree; sharing its first segment:\n- `\/users\/:id\/orders`\n- `\/users`/);
  assert.doesNotMatch(h.markdown, /health-check|users\/new/);
  assert.match(h.markdown, /Same path with `DELETE`/);
});

test('a YAML endpoint path, alone in its tree', () => {
  const h = hover('version: 3\nendpoints:\n  - endpoint: /items/{sku|}\n    method: PUT\n    backend:\n      - url_pattern: /i\n', 'yaml');
  assert.match(h!.markdown, /`PUT \/items\/:sku`/);
  assert.match(h!.markdown, /The only route in the PUT tree/);
});

test('nothing to say: no hover', () => {
  assert.equal(hover('{ "endpoints": [ |] }'), undefined);
  assert.equal(hover('{ "made_up_ke|y": 1 }'), undefined);
});

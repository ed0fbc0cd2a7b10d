// Completion that knows the scope: namespaces per extra_config, property snippets with their
// required fields, allowed values, url_pattern params and duration units, in JSON and YAML.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { complete } from '../../server/src/core/intel/completion';
import type { CompletionEntry } from '../../server/src/core/intel/completion';
import { SchemaIndex } from '../../server/src/core/intel/schemaNav';
import { CE_NAMESPACES } from '../../server/src/core/schema/namespaces';
import type { NamespaceScope } from '../../server/src/core/schema/namespaces';
import type { ConfigFormat } from '../../server/src/core/types';
import { applyEdits, at } from './support/cursor';
import { schemaIndexes } from './support/schemaIndex';
import { SCHEMA_NAMES, UPSTREAM_V2_13 } from './support/schemas';

function items(marked: string, format: ConfigFormat, schema?: SchemaIndex): CompletionEntry[] & { text: string } {
  const { text, offset } = at(marked);
  return Object.assign(complete({ text, format, offset, schema }), { text });
}

function labels(list: readonly CompletionEntry[], kind?: CompletionEntry['kind']): string[] {
  return list.filter((e) => !kind || e.kind === kind).map((e) => e.label).sort();
}

/** What the editor shows after accepting an entry (snippet syntax stripped to its defaults). */
function accept(text: string, e: CompletionEntry): string {
  const plain = e.snippet ? e.insertText.replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\}|\$\d+/g, '') : e.insertText;
  return applyEdits(text, [{ span: e.span, newText: plain }]);
}

const SCOPED: Record<NamespaceScope, { json: string; yaml: string }> = {
  service: { json: '{ "version": 3, "extra_config": { "|" } }', yaml: 'version: 3\nextra_config:\n  |\n' },
  endpoint: { json: '{ "endpoints": [ { "endpoint": "/a", "extra_config": { "|" } } ] }', yaml: 'endpoints:\n  - endpoint: /a\n    extra_config:\n      |\n' },
  backend: { json: '{ "endpoints": [ { "endpoint": "/a", "backend": [ { "extra_config": { "|" } } ] } ] }', yaml: 'endpoints:\n  - endpoint: /a\n    backend:\n      - url_pattern: /x\n        extra_config:\n          |\n' },
  async_agent: { json: '{ "async_agent": [ { "name": "a", "extra_config": { | } } ] }', yaml: 'async_agent:\n  - name: a\n    extra_config:\n      |\n' },
};

for (const name of SCHEMA_NAMES) {
  describe(`namespaces by scope (${name} schema)`, () => {
    for (const scope of Object.keys(SCOPED) as NamespaceScope[]) {
      for (const format of ['json', 'yaml'] as const) {
        test(`${scope} extra_config, ${format}: every CE namespace read there, none read only elsewhere`, () => {
          const got = labels(items(SCOPED[scope][format], format, schemaIndexes()[name]), 'namespace');
          for (const ns of CE_NAMESPACES) {
            if (ns.scopes.includes(scope)) assert.ok(got.includes(ns.name), `${ns.name} missing at ${scope}`);
          }
          // A CE namespace the schema does not list here is never offered here.
          const onlyElsewhere = CE_NAMESPACES.filter((ns) => !ns.scopes.includes(scope)).map((n) => n.name);
          const schemaHere = schemaIndexes()[name].facts(scope === 'service' ? ['extra_config'] : scope === 'backend' ? ['endpoints', 0, 'backend', 0, 'extra_config'] : scope === 'endpoint' ? ['endpoints', 0, 'extra_config'] : ['async_agent', 0, 'extra_config']);
          for (const n of onlyElsewhere) if (!schemaHere.properties.has(n)) assert.ok(!got.includes(n), `${n} offered at ${scope}`);
          // Legacy keys are never offered, even where our bundled schema still accepts them.
          assert.ok(!got.some((g) => g.startsWith('github')), `legacy keys offered: ${got.filter((g) => g.startsWith('github')).join(', ')}`);
        });
      }
    }
  });
}

test('typing "qos/ in an endpoint: the rate limit is offered with its required max_rate', () => {
  const list = items('{ "endpoints": [ { "endpoint": "/a", "backend": [{ "url_pattern": "/" }], "extra_config": { "qos/|" } } ] }', 'json', schemaIndexes()['v2.13']);
  const e = list.find((i) => i.label === 'qos/ratelimit/router');
  assert.ok(e, labels(list).join(', '));
  assert.equal(e.filterText, '"qos/ratelimit/router"');
  assert.match(e.insertText, /^"qos\/ratelimit\/router": \{\n\t"max_rate": \$\{1:0\}\n\}$/);
  assert.match(e.documentation ?? '', /\]\(https:\/\/www\.krakend\.io\/docs\/endpoints\/rate-limit\/\)/);
  const after = accept(list.text, e);
  assert.doesNotThrow(() => JSON.parse(after), after);
  assert.deepEqual((JSON.parse(after) as { endpoints: { extra_config: unknown }[] }).endpoints[0]!.extra_config, { 'qos/ratelimit/router': { max_rate: 0 } });
  // Enterprise namespaces come after the CE ones and say so.
  const ee = list.find((i) => i.label === 'qos/ratelimit/router/redis');
  assert.ok(ee && ee.detail?.includes('Enterprise'));
  assert.ok((e.sortText ?? '') < (ee.sortText ?? ''));
});

test('YAML: the picked namespace becomes a block with its required field', () => {
  const list = items('endpoints:\n  - endpoint: /a\n    extra_config:\n      qos/|\n', 'yaml', schemaIndexes()['v2.13']);
  const e = list.find((i) => i.label === 'qos/ratelimit/router');
  assert.ok(e);
  assert.equal(e.insertText, 'qos/ratelimit/router:\n  max_rate: ${1:0}');
  assert.equal(list.text.slice(e.span.offset, e.span.offset + e.span.length), 'qos/');
});

test('property names: only those not written yet, required first, with snippets', () => {
  const list = items('{ "endpoints": [ { "endpoint": "/a", | } ] }', 'json', schemaIndexes()['v2.13']);
  const names = labels(list, 'property');
  assert.ok(!names.includes('endpoint'));
  for (const n of ['backend', 'method', 'timeout', 'extra_config', 'output_encoding']) assert.ok(names.includes(n), n);
  const backend = list.find((i) => i.label === 'backend')!;
  assert.equal(backend.insertText, '"backend": [\n\t{\n\t\t"url_pattern": "${1}"\n\t}\n]');
  assert.ok((backend.sortText ?? '').startsWith('0'));
  const method = list.find((i) => i.label === 'method')!;
  assert.match(method.insertText, /"\$\{1\|GET,POST,PUT,PATCH,DELETE\|\}"/);
  // The comma the next property needs comes with it.
  const before = items('{ "endpoints": [ { | "endpoint": "/a" } ] }', 'json', schemaIndexes()['v2.13']);
  assert.match(before.find((i) => i.label === 'method')!.insertText, /,$/);
  // Renaming an existing key inserts the name only.
  const rename = items('{ "endpoints": [ { "endpoint": "/a", "meth|": "GET" } ] }', 'json', schemaIndexes()['v2.13']);
  assert.equal(rename.find((i) => i.label === 'method')?.insertText, '"method"');
});

describe('allowed values', () => {
  const cases: [string, string, ConfigFormat, string[]][] = [
    ['method', '{ "endpoints": [ { "endpoint": "/a", "method": "|" } ] }', 'json', ['DELETE', 'GET', 'PATCH', 'POST', 'PUT']],
    ['backend encoding', '{ "endpoints": [ { "backend": [ { "encoding": "|" } ] } ] }', 'json', ['json', 'no-op', 'rss', 'safejson', 'string', 'xml']],
    ['output_encoding', 'endpoints:\n  - endpoint: /a\n    output_encoding: |\n', 'yaml', ['json', 'json-collection', 'negotiate', 'no-op', 'string', 'xml', 'yaml']],
  ];
  for (const [what, text, format, expected] of cases) {
    test(`${what} (${format})`, () => {
      for (const name of SCHEMA_NAMES) {
        const got = labels(items(text, format, schemaIndexes()[name]), 'value');
        for (const v of expected) assert.ok(got.includes(v), `${name}: ${v} missing from ${got.join(', ')}`);
      }
      // Without any schema, KrakenD's own lists answer.
      assert.ok(labels(items(text, format), 'value').length >= 5);
    });
  }
  test('a value after the colon gets its space; a quoted one keeps its quotes', () => {
    const bare = items('{ "endpoints": [ { "endpoint": "/a", "method":| } ] }', 'json', schemaIndexes()['v2.13']);
    assert.equal(bare.find((i) => i.label === 'GET')?.insertText, ' "GET"');
    const quoted = items('{ "endpoints": [ { "endpoint": "/a", "method": "p|" } ] }', 'json', schemaIndexes()['v2.13']);
    const post = quoted.find((i) => i.label === 'POST')!;
    assert.equal(accept(quoted.text, post), '{ "endpoints": [ { "endpoint": "/a", "method": "POST" } ] }');
  });
  test('booleans', () => {
    assert.deepEqual(labels(items('{ "debug_endpoint": | }', 'json', schemaIndexes()['v2.13']), 'value'), ['false', 'true']);
  });
});

describe('url_pattern params', () => {
  test('JSON: the endpoint\'s params, replacing the { just typed', () => {
    const list = items('{ "endpoints": [ { "endpoint": "/users/{id}/orders/{order}", "backend": [ { "url_pattern": "/u/{|" } ] } ] }', 'json');
    assert.deepEqual(labels(list, 'param'), ['{id}', '{order}']);
    assert.equal(accept(list.text, list.find((i) => i.label === '{id}')!), '{ "endpoints": [ { "endpoint": "/users/{id}/orders/{order}", "backend": [ { "url_pattern": "/u/{id}" } ] } ] }');
  });
  test('YAML, in the second endpoint, with an auto-closed brace', () => {
    const list = items('endpoints:\n  - endpoint: /a/{x}\n  - endpoint: /b/{id}\n    backend:\n      - url_pattern: "/u/{|}"\n', 'yaml');
    assert.deepEqual(labels(list, 'param'), ['{id}']);
    assert.equal(accept(list.text, list.find((i) => i.label === '{id}')!), 'endpoints:\n  - endpoint: /a/{x}\n  - endpoint: /b/{id}\n    backend:\n      - url_pattern: "/u/{id}"\n');
  });
  test('no params, no entries', () => {
    assert.deepEqual(labels(items('{ "endpoints": [ { "endpoint": "/a", "backend": [ { "url_pattern": "/{|" } ] } ] }', 'json'), 'param'), []);
  });
});

describe('duration units', () => {
  for (const name of SCHEMA_NAMES) {
    test(`after a number in a duration (${name})`, () => {
      const list = items('{ "endpoints": [ { "endpoint": "/a", "timeout": "30|" } ] }', 'json', schemaIndexes()[name]);
      assert.deepEqual(labels(list, 'unit'), ['30h', '30m', '30ms', '30ns', '30s', '30us']);
      assert.equal(accept(list.text, list.find((i) => i.label === '30ms')!), '{ "endpoints": [ { "endpoint": "/a", "timeout": "30ms" } ] }');
    });
  }
  test('YAML, and none in a string that is not a duration', () => {
    const y = items('timeout: 5|\n', 'yaml', schemaIndexes()['v2.13']);
    assert.ok(labels(y, 'unit').includes('5s'));
    assert.deepEqual(labels(items('{ "name": "5|" }', 'json', schemaIndexes()['v2.13']), 'unit'), []);
  });
});

test('the v2.0 modular schema: namespaces come through its relative $refs', () => {
  const dir = join(UPSTREAM_V2_13, '..', '..', 'v2.0');
  const refs = new Map<string, object>();
  for (const f of ['service_extra_config.json', 'endpoint.json', 'endpoint_extra_config.json', 'timeunits.json', 'async_agent.json', 'backend.json', 'backend_extra_config.json']) {
    refs.set(`https://www.krakend.io/schema/${f}`, JSON.parse(readFileSync(join(dir, f), 'utf8')) as object);
  }
  const index = new SchemaIndex({ url: 'https://www.krakend.io/schema/v3.json', root: JSON.parse(readFileSync(join(dir, 'v3.json'), 'utf8')) as object, refs });
  const got = labels(items('{ "endpoints": [ { "endpoint": "/a", "extra_config": { "|" } } ] }', 'json', index), 'namespace');
  assert.ok(got.includes('qos/ratelimit/router'), got.join(', '));
  assert.ok(labels(items('{ "timeout": "3|" }', 'json', index), 'unit').includes('3s'));
});

test('no schema at all: CE\'s own namespace table by scope', () => {
  const got = labels(items(SCOPED.backend.json, 'json'), 'namespace');
  assert.deepEqual(got, CE_NAMESPACES.filter((n) => n.scopes.includes('backend')).map((n) => n.name).sort());
});

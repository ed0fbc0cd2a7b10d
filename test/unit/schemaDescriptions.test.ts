// Offline help: our bundled schema (schemas/krakend.json) describes every property and every
// namespace the checker knows, so hover and completion say something without the official schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { complete } from '../../server/src/core/intel/completion';
import { hoverAt } from '../../server/src/core/intel/hover';
import { parseJsonLoose } from '../../server/src/core/intel/looseJson';
import { CE_NAMESPACES } from '../../server/src/core/schema/namespaces';
import { applyEdits, at } from './support/cursor';
import { schemaIndexes } from './support/schemaIndex';
import { REPO_ROOT } from './support/schemas';

type Node = { $ref?: string; description?: string; properties?: Record<string, Node>; items?: Node; required?: string[] };
const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'krakend.json'), 'utf8')) as Node & { definitions: Record<string, Node> };

function resolve(n: Node): Node {
  if (!n.$ref) return n;
  const name = decodeURIComponent(n.$ref.replace('#/definitions/', '')).replace(/~1/g, '/').replace(/~0/g, '~');
  const target = schema.definitions[name];
  assert.ok(target, `${n.$ref} resolves`);
  return { ...resolve(target), ...(n.description ? { description: n.description } : {}) };
}

/** Every property of the schema, as a path, with its node: the root's and each definition's, inside items too. */
function properties(): [string, Node][] {
  const out: [string, Node][] = [];
  const walk = (n: Node, path: string, seen: Set<Node>): void => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const [k, v] of Object.entries(n.properties ?? {})) {
      out.push([`${path}/${k}`, v]);
      walk(v, `${path}/${k}`, seen);
    }
    if (n.items) walk(n.items, `${path}/[]`, seen);
  };
  walk(schema, '', new Set());
  for (const [name, d] of Object.entries(schema.definitions)) walk(d, `#${name}`, new Set());
  return out;
}

void test('every property of the bundled schema has a description, in our own words', () => {
  const missing = properties().filter(([, n]) => !resolve(n).description).map(([p]) => p);
  assert.deepEqual(missing, []);
  assert.ok(properties().length > 250, `properties walked: ${properties().length}`);
});

void test('every namespace the checker knows is described, with a title, a docs link and its required fields, where CE reads it', () => {
  const scopes = { service: 'serviceExtraConfig', endpoint: 'endpointExtraConfig', backend: 'backendExtraConfig', async_agent: 'asyncAgentExtraConfig' } as const;
  for (const info of CE_NAMESPACES) {
    for (const scope of info.scopes) {
      const entry = schema.definitions[scopes[scope]]!.properties?.[info.name];
      assert.ok(entry, `${info.name} is listed in ${scope}`);
      const n = resolve(entry) as Node & { title?: string };
      assert.ok(n.title && n.description, `${info.name} has a title and a description`);
      assert.match(n.description, /See: https:\/\/www\.krakend\.io\/docs\//, `${info.name} links KrakenD's documentation`);
      for (const r of n.required ?? []) assert.ok(n.properties?.[r]?.description, `${info.name}: required ${r} is described`);
      for (const legacy of info.legacy) {
        const old = schema.definitions[scopes[scope]]!.properties?.[legacy];
        if (old) assert.ok(resolve(old).description, `legacy ${legacy} is described`);
      }
    }
  }
  const breaker = resolve(schema.definitions.backendExtraConfig!.properties!['qos/circuit-breaker']!);
  assert.deepEqual(breaker.required, ['interval', 'timeout', 'max_errors']);
});

void test('offline, hover on a namespace reads like a description, not just "Type: object"', () => {
  const { text, offset } = at('{ "endpoints": [ { "endpoint": "/a", "extra_config": { "qos/rate|limit/router": { "max_rate": 5 } } } ] }');
  const h = hoverAt({ text, format: 'json', offset, schema: schemaIndexes().bundled, tree: parseJsonLoose(text)! });
  assert.ok(h);
  assert.match(h.markdown, /Endpoint rate limit/);
  assert.match(h.markdown, /per client/);
  const { text: t2, offset: o2 } = at('{ "endpoints": [ { "endpoint": "/a", "extra_config": { "qos/ratelimit/router": { "client_max|_rate": 5 } } } ] }');
  assert.match(hoverAt({ text: t2, format: 'json', offset: o2, schema: schemaIndexes().bundled, tree: parseJsonLoose(t2)! })!.markdown, /each client/);
});

/** The text after accepting the completion `label` at the marked place, with the bundled schema. */
function accepted(marked: string, label: string): string {
  const { text, offset } = at(marked);
  const entry = complete({ text, format: 'json', offset, schema: schemaIndexes().bundled }).find((e) => e.label === label);
  assert.ok(entry, `${label} is offered`);
  const plain = entry.snippet ? entry.insertText.replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\}|\$\d+/g, '') : entry.insertText;
  return applyEdits(text, [{ span: entry.span, newText: plain }]);
}

void test('offline, completing a namespace inserts its required fields', () => {
  const done = accepted('{ "endpoints": [ { "endpoint": "/a", "backend": [ { "url_pattern": "/x", "extra_config": { "|" } } ] } ] }', 'qos/circuit-breaker');
  for (const key of ['interval', 'timeout', 'max_errors']) assert.match(done, new RegExp(`"${key}"`), done);
  // One of two alternatives required, as the official schema says: the first is inserted.
  assert.match(accepted('{ "endpoints": [ { "endpoint": "/a", "extra_config": { "|" } } ] }', 'qos/ratelimit/router'), /"max_rate"/);
});

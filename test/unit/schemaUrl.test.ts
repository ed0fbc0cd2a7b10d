import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseJson } from '../../server/src/core/parseJson';
import { CE_NAMESPACES, namespaceInfo, scopeOfExtraConfig } from '../../server/src/core/schema/namespaces';
import { closestName, editDistance } from '../../server/src/core/schema/suggest';
import { LATEST_KNOWN_VERSION, schemaUrlFor } from '../../server/src/core/schema/url';

const rootOf = (text: string) => {
  const r = parseJson(text).root;
  assert.ok(r);
  return r;
};

void describe('schemaUrlFor', () => {
  void test('a versioned $schema picks that version', () => {
    assert.deepEqual(schemaUrlFor(rootOf('{"$schema":"https://www.krakend.io/schema/v2.12/krakend.json","version":3}')), {
      url: 'https://www.krakend.io/schema/v2.12/krakend.json',
      version: '2.12',
      source: 'document',
    });
  });

  void test('http and a missing www. are normalised to the canonical URL', () => {
    assert.equal(schemaUrlFor(rootOf('{"$schema":"http://krakend.io/schema/v2.9/krakend.json"}')).url, 'https://www.krakend.io/schema/v2.9/krakend.json');
  });

  void test('the latest alias and the old v3.json are kept as they are, without a version', () => {
    assert.deepEqual(schemaUrlFor(rootOf('{"$schema":"https://www.krakend.io/schema/krakend.json"}')), { url: 'https://www.krakend.io/schema/krakend.json', source: 'document' });
    assert.deepEqual(schemaUrlFor(rootOf('{"$schema":"https://www.krakend.io/schema/v3.json"}')), { url: 'https://www.krakend.io/schema/v3.json', source: 'document' });
  });

  void test('no $schema, a foreign one or a non-string one: the latest known version', () => {
    const latest = { url: `https://www.krakend.io/schema/v${LATEST_KNOWN_VERSION}/krakend.json`, version: LATEST_KNOWN_VERSION, source: 'default' };
    assert.equal(LATEST_KNOWN_VERSION, '2.13');
    assert.deepEqual(schemaUrlFor(rootOf('{"version":3}')), latest);
    assert.deepEqual(schemaUrlFor(rootOf('{"$schema":"https://example.com/s.json"}')), latest);
    assert.deepEqual(schemaUrlFor(rootOf('{"$schema":3}')), latest);
    assert.deepEqual(schemaUrlFor(undefined), latest);
  });

  void test('the override setting wins: a path, a URL or a bare version', () => {
    const root = rootOf('{"$schema":"https://www.krakend.io/schema/v2.12/krakend.json"}');
    assert.deepEqual(schemaUrlFor(root, '/etc/schemas/mine.json'), { url: '/etc/schemas/mine.json', source: 'setting' });
    assert.deepEqual(schemaUrlFor(root, 'https://www.krakend.io/schema/v2.10/krakend.json'), { url: 'https://www.krakend.io/schema/v2.10/krakend.json', version: '2.10', source: 'setting' });
    assert.deepEqual(schemaUrlFor(root, 'v2.11'), { url: 'https://www.krakend.io/schema/v2.11/krakend.json', version: '2.11', source: 'setting' });
    assert.equal(schemaUrlFor(root, '  ').source, 'document');
  });
});

void describe('suggestions', () => {
  void test('edit distance, with its cut-off', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('same', 'same'), 0);
    assert.equal(editDistance('abcdef', 'zzzzzz', 2), 3);
  });

  void test('closest name: typos, case, a missing leading group; nothing when far', () => {
    const names = ['qos/ratelimit/router', 'qos/ratelimit/proxy', 'router', 'proxy', 'backend/http'];
    assert.equal(closestName('qos/ratelimit/routr', names), 'qos/ratelimit/router');
    assert.equal(closestName('Router', names), 'router');
    assert.equal(closestName('ratelimit/router', names), 'qos/ratelimit/router');
    assert.equal(closestName('telemetry/logging', names), undefined);
    assert.equal(closestName('router', names), undefined, 'an exact name is not a suggestion');
  });
});

void describe('CE namespaces', () => {
  void test('scopes of extra_config pointers', () => {
    assert.equal(scopeOfExtraConfig('/extra_config'), 'service');
    assert.equal(scopeOfExtraConfig('/endpoints/3/extra_config'), 'endpoint');
    assert.equal(scopeOfExtraConfig('/endpoints/3/backend/0/extra_config'), 'backend');
    assert.equal(scopeOfExtraConfig('/async_agent/0/backend/1/extra_config'), 'backend');
    assert.equal(scopeOfExtraConfig('/async_agent/0/extra_config'), 'async_agent');
    assert.equal(scopeOfExtraConfig('/extra_config/router'), undefined);
  });

  void test('legacy keys resolve to their friendly names', () => {
    assert.equal(namespaceInfo('github_com/devopsfaith/krakend-cors')?.name, 'security/cors');
    assert.equal(namespaceInfo('nope'), undefined);
  });

  void test('schemas/krakend.json lists exactly the CE namespaces of each scope, friendly and legacy', () => {
    const schema = JSON.parse(readFileSync(join(resolve(__dirname, '..', '..'), 'schemas', 'krakend.json'), 'utf8')) as {
      definitions: Record<string, { properties: Record<string, unknown> }>;
    };
    const defs = { service: 'serviceExtraConfig', endpoint: 'endpointExtraConfig', backend: 'backendExtraConfig', async_agent: 'asyncAgentExtraConfig' } as const;
    for (const [scope, def] of Object.entries(defs)) {
      const expected = CE_NAMESPACES.filter((n) => n.scopes.includes(scope as keyof typeof defs)).flatMap((n) => [n.name, ...n.legacy]).sort();
      assert.deepEqual(Object.keys(schema.definitions[def]!.properties).sort(), expected, scope);
    }
  });
});

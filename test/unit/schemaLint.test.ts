// The schema lint against our bundled schema and the real upstream v2.13 (bundled, 2019-09)
// and v2.0 (modular, draft-07) schemas, read from ../shared (never copied into the repo).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Code } from '../../shared/codes';
import { parseJson } from '../../server/src/core/parseJson';
import { compileSchema } from '../../server/src/core/schema/compile';
import type { CompiledSchema } from '../../server/src/core/schema/compile';
import { lint } from '../../server/src/core/schema/lint';
import type { Problem } from '../../server/src/core/types';
import { referenceDir } from '../support/reference';

const repoRoot = resolve(__dirname, '..', '..');
const upstreamDir = join(referenceDir(), 'krakend-schema');
const fixtures = join(repoRoot, 'test', 'fixtures', 'schema');

function readUpstream(rel: string): object {
  const file = join(upstreamDir, rel);
  assert.ok(existsSync(file), `the upstream schema ${file} is missing: these tests need shared/reference/krakend-schema next to the repository (../shared, or ../../shared from a worktree)`);
  return JSON.parse(readFileSync(file, 'utf8')) as object;
}

let ours: CompiledSchema;
let v213: CompiledSchema;
let v20: CompiledSchema;
const v20Loads: string[] = [];

before(async () => {
  ours = await compileSchema('https://krakend-live.dev/schema/krakend.json', JSON.parse(readFileSync(join(repoRoot, 'schemas', 'krakend.json'), 'utf8')) as object);
  v213 = await compileSchema('https://www.krakend.io/schema/v2.13/krakend.json', readUpstream('v2.13/krakend.json'));
  // The modular v2.0 tree: every relative $ref comes through the injected loader.
  v20 = await compileSchema('https://www.krakend.io/schema/v3.json', readUpstream('v2.0/v3.json'), (url) => {
    v20Loads.push(url);
    const prefix = 'https://www.krakend.io/schema/';
    assert.ok(url.startsWith(prefix), `unexpected $ref ${url}`);
    return Promise.resolve(readUpstream(`v2.0/${url.slice(prefix.length)}`));
  });
});

function lintText(text: string, schema: CompiledSchema): Problem[] {
  const parsed = parseJson(text);
  assert.ok(parsed.root, `fixture does not parse: ${JSON.stringify(parsed.problems)}`);
  return lint(parsed.root, schema);
}

const config = (o: Record<string, unknown>): string => JSON.stringify({ version: 3, ...o }, null, 2);

/** Asserts exactly one problem with `code` sits on the `nth` occurrence of `token`, and returns it. */
function expectAt(text: string, problems: readonly Problem[], code: Code, token: string, nth = 0, message?: string | RegExp): Problem {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(token, offset + 1);
  assert.ok(offset >= 0, `token ${token} not in the text`);
  const hits = problems.filter((p) => p.code === code && p.span.offset === offset && p.span.length === token.length);
  assert.equal(hits.length, 1, `expected one ${code} on ${token} (offset ${offset}), got ${JSON.stringify(problems, null, 1)}`);
  const hit = hits[0]!;
  if (typeof message === 'string') assert.ok(hit.message.includes(message), `message "${hit.message}" lacks "${message}"`);
  else if (message) assert.match(hit.message, message);
  return hit;
}

void describe('valid configurations pass', () => {
  const files = readdirSync(join(fixtures, 'valid')).filter((f) => f.endsWith('.json'));

  void test('there are valid fixtures', () => assert.ok(files.length >= 4));

  for (const f of files) {
    void test(`${f} passes our bundled schema`, () => {
      assert.deepEqual(lintText(readFileSync(join(fixtures, 'valid', f), 'utf8'), ours), []);
    });
  }

  for (const f of files.filter((name) => name !== 'legacy-namespaces.json')) {
    void test(`${f} passes the official v2.13 schema`, () => {
      assert.deepEqual(lintText(readFileSync(join(fixtures, 'valid', f), 'utf8'), v213), []);
    });
  }

  void test('legacy namespace keys fail v2.13 (it lists friendly names only) with a pointer to the friendly name', () => {
    const text = readFileSync(join(fixtures, 'valid', 'legacy-namespaces.json'), 'utf8');
    const problems = lintText(text, v213);
    assert.equal(problems.length, 4);
    expectAt(text, problems, 'schema/unknown-namespace', '"github_com/devopsfaith/krakend-gologging"', 0, "did you mean 'telemetry/logging'? 'github_com/devopsfaith/krakend-gologging' is its legacy key");
    expectAt(text, problems, 'schema/unknown-namespace', '"github.com/devopsfaith/krakend-cel"', 0, "did you mean 'validation/cel'?");
  });

  void test('the examples/krakend.json of the repository passes v2.13 and ours', () => {
    const text = readFileSync(join(repoRoot, 'examples', 'krakend.json'), 'utf8');
    assert.deepEqual(lintText(text, v213), []);
    assert.deepEqual(lintText(text, ours), []);
  });
});

void describe('keys starting with @ $ _ # are allowed at every level', () => {
  const text = config({
    $schema: 'https://www.krakend.io/schema/v2.13/krakend.json',
    '@comment': 'root',
    _note: 1,
    '#tag': true,
    extra_config: { '@comment': 'service namespaces', router: { '@comment': 'x', return_error_msg: true } },
    endpoints: [{ '@comment': 'e', endpoint: '/a', extra_config: { $ref: 'x' }, backend: [{ '@comment': 'b', url_pattern: '/a', extra_config: { '_off/qos': {} } }] }],
  });
  for (const [name, get] of [['ours', () => ours], ['v2.13', () => v213]] as const) {
    void test(name, () => assert.deepEqual(lintText(text, get()), []));
  }
  void test('v2.0', () => {
    const old = config({ $schema: 'https://www.krakend.io/schema/v3.json', '@comment': 'root', endpoints: [{ '@comment': 'e', endpoint: '/a', backend: [{ url_pattern: '/a' }] }] });
    assert.deepEqual(lintText(old, v20), []);
  });
});

void describe('each code, with its range', () => {
  void test('schema/additional-property: on the key, with a suggestion', () => {
    const text = config({ endpoints: [{ endpoint: '/a', timout: '3s', backend: [{ url_pattern: '/a' }] }] });
    for (const schema of [ours, v213]) {
      const problems = lintText(text, schema);
      expectAt(text, problems, 'schema/additional-property', '"timout"', 0, "additional properties 'timout' not allowed; did you mean 'timeout'?");
      assert.equal(problems.length, 1);
    }
  });

  void test('schema/unknown-namespace: a typo under extra_config is caught offline by the bundled schema', () => {
    const text = config({ endpoints: [{ endpoint: '/a', extra_config: { 'qos/ratelimit/routr': { max_rate: 1 } }, backend: [{ url_pattern: '/a' }] }] });
    for (const schema of [ours, v213]) {
      const problems = lintText(text, schema);
      expectAt(text, problems, 'schema/unknown-namespace', '"qos/ratelimit/routr"', 0, "did you mean 'qos/ratelimit/router'?");
      assert.equal(problems.length, 1);
    }
  });

  void test('schema/unknown-namespace: a namespace in the wrong place says where it belongs', () => {
    const text = config({ extra_config: { 'qos/ratelimit/router': { max_rate: 1 } } });
    expectAt(text, lintText(text, ours), 'schema/unknown-namespace', '"qos/ratelimit/router"', 0, "belongs in an endpoint's extra_config");
    const typo = config({ extra_config: { 'ratelimit/router': { max_rate: 1 } } });
    expectAt(typo, lintText(typo, ours), 'schema/unknown-namespace', '"ratelimit/router"', 0, "did you mean 'qos/ratelimit/router'? It belongs in an endpoint's extra_config");
  });

  void test('schema/unknown-namespace: an Enterprise-only namespace passes v2.13 but not our CE schema', () => {
    const text = config({ extra_config: { 'auth/api-keys': { keys: [] } } });
    expectAt(text, lintText(text, ours), 'schema/unknown-namespace', '"auth/api-keys"');
  });

  void test('schema/required: on the parent key, or on the opening brace of an array item', () => {
    const text = config({ plugin: { folder: '/x' }, endpoints: [{ endpoint: '/a' }] });
    for (const schema of [ours, v213]) {
      const problems = lintText(text, schema);
      expectAt(text, problems, 'schema/required', '"plugin"', 0, "missing property 'pattern'");
      const itemBrace = text.indexOf('{', text.indexOf('"endpoints"'));
      const item = problems.find((p) => p.code === 'schema/required' && p.span.offset === itemBrace);
      assert.ok(item, JSON.stringify(problems));
      assert.equal(item.span.length, 1);
      assert.equal(item.message, "missing property 'backend'");
    }
  });

  void test('schema/required: several missing properties of one object make one problem', () => {
    const text = config({ plugin: {} });
    const problems = lintText(text, ours);
    expectAt(text, problems, 'schema/required', '"plugin"', 0, "missing properties 'folder', 'pattern'");
    assert.equal(problems.length, 1);
  });

  void test('schema/required: a missing version is reported on the root object', () => {
    const text = '{\n  "name": "x"\n}';
    const problems = lintText(text, v213);
    assert.deepEqual(problems.map((p) => [p.code, p.span.offset, p.span.length, p.message]), [['schema/required', 0, 1, "missing property 'version'"]]);
  });

  void test('schema/type: on the value, in santhosh-tekuri wording', () => {
    const text = config({ port: '8080', debug_endpoint: 'yes' });
    for (const schema of [ours, v213]) {
      const problems = lintText(text, schema);
      expectAt(text, problems, 'schema/type', '"8080"', 0, 'got string, want integer');
      expectAt(text, problems, 'schema/type', '"yes"', 0, 'got string, want boolean');
    }
  });

  void test('schema/type: an object of the wrong type is marked on its key, not its whole body', () => {
    const text = config({ endpoints: { endpoint: '/a' } });
    expectAt(text, lintText(text, v213), 'schema/type', '"endpoints"', 0, 'got object, want array');
  });

  void test('schema/enum: lowercase method, with the right spelling suggested', () => {
    const text = config({ endpoints: [{ endpoint: '/a', method: 'get', backend: [{ url_pattern: '/a', encoding: 'jsn' }] }] });
    for (const schema of [ours, v213]) {
      const problems = lintText(text, schema);
      expectAt(text, problems, 'schema/enum', '"get"', 0, "value must be one of 'GET', 'POST', 'PUT', 'PATCH', 'DELETE'; did you mean 'GET'?");
      expectAt(text, problems, 'schema/enum', '"jsn"', 0, "did you mean 'json'?");
    }
  });

  void test('schema/enum: version is const 3 in v2.13 and ours, enum [3] in v2.0', () => {
    const text = '{"version": 2}';
    for (const schema of [ours, v213, v20]) expectAt(text, lintText(text, schema), 'schema/enum', '2', 0, 'value must be 3');
  });

  void test('schema/pattern: the endpoint pattern is said in words', () => {
    const text = config({
      endpoints: [
        { endpoint: 'v1/a', backend: [{ url_pattern: '/a' }] },
        { endpoint: '/search?q={q}', backend: [{ url_pattern: '/a' }] },
        { endpoint: '/a*b', backend: [{ url_pattern: '/a' }] },
        { endpoint: '/a&b', backend: [{ url_pattern: '/a' }] },
      ],
    });
    for (const schema of [ours, v213]) {
      const problems = lintText(text, schema);
      expectAt(text, problems, 'schema/pattern', '"v1/a"', 0, "start it with '/' (KrakenD serves it as '/v1/a'");
      expectAt(text, problems, 'schema/pattern', '"/search?q={q}"', 0, 'list its parameters in input_query_strings');
      expectAt(text, problems, 'schema/pattern', '"/a*b"', 0, "'*' is allowed only as a final '/*'");
      expectAt(text, problems, 'schema/pattern', '"/a&b"', 0, "'&' and '%' are not allowed");
    }
  });

  void test('schema/unknown-namespace: offline, an Enterprise namespace is named as such (the official schema accepts it)', () => {
    const text = config({ extra_config: { 'qos/ratelimit/service': { max_rate: 50 } } });
    expectAt(text, lintText(text, ours), 'schema/unknown-namespace', '"qos/ratelimit/service"', 0, "'qos/ratelimit/service' is a KrakenD Enterprise namespace, which KrakenD CE ignores");
    assert.deepEqual(lintText(text, v213), []);
  });

  void test('schema/type: a quoted number or boolean is told to drop the quotes; only lura fields claim krakend run reads it', () => {
    const text = config({
      port: '8080',
      extra_config: { router: { return_error_msg: 'true' } },
      endpoints: [{ endpoint: '/a', concurrent_calls: '3', backend: [{ url_pattern: '/a', is_collection: 'false' }] }],
    });
    for (const schema of [ours, v213]) {
      const problems = lintText(text, schema);
      expectAt(text, problems, 'schema/type', '"8080"', 0, 'got string, want integer; write 8080 without quotes (krakend run reads the string, the lint does not)');
      expectAt(text, problems, 'schema/type', '"3"', 0, 'write 3 without quotes (krakend run');
      expectAt(text, problems, 'schema/type', '"false"', 0, 'write false without quotes (krakend run');
    }
    const router = expectAt(text, lintText(text, v213), 'schema/type', '"true"', 0, 'write true without quotes');
    assert.doesNotMatch(router.message, /krakend run/);
  });

  void test('schema/additional-property: KrakenD 1 field names get their KrakenD 2 name', () => {
    const text = config({
      endpoints: [
        {
          endpoint: '/a',
          headers_to_pass: ['Authorization'],
          querystring_params: ['page'],
          backend: [{ url_pattern: '/a', whitelist: ['id'], blacklist: ['secret'] }],
        },
      ],
    });
    for (const schema of [ours, v213]) {
      const problems = lintText(text, schema);
      expectAt(text, problems, 'schema/additional-property', '"headers_to_pass"', 0, "KrakenD 2 renamed it 'input_headers' and ignores the old name");
      expectAt(text, problems, 'schema/additional-property', '"querystring_params"', 0, "renamed it 'input_query_strings'");
      expectAt(text, problems, 'schema/additional-property', '"whitelist"', 0, "renamed it 'allow'");
      expectAt(text, problems, 'schema/additional-property', '"blacklist"', 0, "renamed it 'deny'");
    }
  });

  void test('schema/enum: a quoted "3" is told the quotes are the problem (KrakenD itself reads it)', () => {
    const text = '{"version": "3"}';
    for (const schema of [ours, v213, v20]) {
      expectAt(text, lintText(text, schema), 'schema/enum', '"3"', 0, "value must be 3; the schema wants the number 3, not the string '3'");
    }
  });

  void test("schema/pattern: durations, with KrakenD's message and a fix", () => {
    const text = config({ timeout: '3 s', cache_ttl: '1h30m', endpoints: [{ endpoint: '/a', timeout: '3000', backend: [{ url_pattern: '/a' }] }] });
    for (const schema of [ours, v213]) {
      const problems = lintText(text, schema);
      expectAt(text, problems, 'schema/pattern', '"3 s"', 0, "'3 s' does not match pattern '^[0-9]+(ns|ms|us|µs|s|m|h)$'; did you mean '3s'?");
      expectAt(text, problems, 'schema/pattern', '"1h30m"', 0, 'although krakend run accepts this');
      expectAt(text, problems, 'schema/pattern', '"3000"', 0, "add a unit, such as '3000s'");
    }
  });

  void test('schema/pattern: the Go (RE2) endpoint pattern of v2.13 compiles and rejects ? & %', () => {
    for (const bad of ['/a?b', '/a&b', '/a%20b', '/a/*/b']) {
      const text = config({ endpoints: [{ endpoint: bad, backend: [{ url_pattern: '/a' }] }] });
      for (const schema of [ours, v213]) expectAt(text, lintText(text, schema), 'schema/pattern', JSON.stringify(bad), 0, `'${bad}' does not match pattern`);
    }
    const ok = config({ endpoints: [{ endpoint: '/users/{id}/*', backend: [{ url_pattern: '/a' }] }] });
    assert.deepEqual(lintText(ok, v213), []);
  });

  void test('schema/range: maximum on the value, minItems on the key of the list', () => {
    const text = config({ port: 70000, endpoints: [{ endpoint: '/a', concurrent_calls: 9, backend: [] }] });
    for (const schema of [ours, v213]) {
      const problems = lintText(text, schema);
      expectAt(text, problems, 'schema/range', '70000', 0, 'maximum: got 70000, want 65535');
      expectAt(text, problems, 'schema/range', '9', 0, 'maximum: got 9, want 5');
      expectAt(text, problems, 'schema/range', '"backend"', 0, 'minItems: got 0, want 1');
    }
  });

  void test('schema/one-of: a oneOf where no shape fits is ONE problem naming the shapes', () => {
    const text = config({ endpoints: [{ endpoint: '/a', backend: [{ url_pattern: '/a', extra_config: { 'backend/http': {} } }] }] });
    const problems = lintText(text, v213);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    expectAt(text, problems, 'schema/one-of', '"backend/http"', 0, /matches none of the 2 allowed shapes: \(1\) missing property 'return_error_details'; \(2\) missing property 'return_error_code'/);
  });

  void test('schema/one-of: a oneOf where two shapes fit says so', () => {
    const text = config({ endpoints: [{ endpoint: '/a', backend: [{ url_pattern: '/a', extra_config: { 'backend/http': { return_error_details: 'x', return_error_code: true } } }] }] });
    const problems = lintText(text, v213);
    assert.equal(problems.length, 1);
    expectAt(text, problems, 'schema/one-of', '"backend/http"', 0, 'matches shapes 1 and 2 of 2');
  });

  void test('schema/one-of: an anyOf whose branches all reject the type becomes one type problem', () => {
    const text = config({ tls: 'on' });
    const problems = lintText(text, v213);
    assert.equal(problems.length, 1);
    expectAt(text, problems, 'schema/type', '"on"', 0, 'got string, want object or null');
  });

  void test('schema/one-of: with a $ref sibling (our async_agent), the sibling error stays separate', () => {
    const text = config({ async_agent: [{ name: 'a', consumer: { topic: 't' }, backend: [{ url_pattern: '/a' }], extra_config: { 'async/amqpp': {} } }] });
    const problems = lintText(text, ours);
    assert.equal(problems.length, 2, JSON.stringify(problems));
    expectAt(text, problems, 'schema/unknown-namespace', '"async/amqpp"', 0, "did you mean 'async/amqp'?");
    expectAt(text, problems, 'schema/one-of', '"extra_config"', 0, "(1) missing property 'async/amqp'; (2) missing property 'github.com/devopsfaith/krakend-amqp/agent'");
  });

  void test('schema/one-of: when one shape fits the value, its inner errors are reported instead', () => {
    // v2.13 async_agent extra_config: oneOf [required async/amqp, required async/kafka]; the
    // amqp shape fits, so the real fault is the misspelt field inside it.
    const text = config({ async_agent: [{ name: 'a', consumer: { topic: 't' }, backend: [{ url_pattern: '/a' }], extra_config: { 'async/amqp': { name: 'q', host: 'amqp://h', exchange: 'e', auto_ack: 'yes' } } }] });
    const problems = lintText(text, v213);
    assert.ok(!problems.some((p) => p.code === 'schema/one-of'), JSON.stringify(problems));
    expectAt(text, problems, 'schema/type', '"yes"', 0, 'got string, want boolean');
  });

  void test('schema/other: duplicate items', () => {
    const text = config({ endpoints: [{ endpoint: '/a', input_headers: ['X-A', 'X-A'], backend: [{ url_pattern: '/a' }] }] });
    for (const schema of [ours, v213]) expectAt(text, lintText(text, schema), 'schema/other', '"input_headers"', 0, 'items at 0 and 1 are equal');
  });

  void test('schema/deprecated: a warning on the key', () => {
    const text = config({ allow_insecure_connections: true, extra_config: { 'telemetry/opencensus': { exporters: {} } } });
    const problems = lintText(text, ours);
    assert.equal(expectAt(text, problems, 'schema/deprecated', '"allow_insecure_connections"').severity, 'warning');
    expectAt(text, problems, 'schema/deprecated', '"telemetry/opencensus"', 0, "property 'telemetry/opencensus' is deprecated");
    const up = config({ extra_config: { 'plugin/http-server': { name: ['virtualhost'], virtualhost: { hosts: ['a'] } } } });
    const upProblems = lintText(up, v213);
    assert.equal(expectAt(up, upProblems, 'schema/deprecated', '"virtualhost"', 1).severity, 'warning');
  });
});

void describe('the modular v2.0 schema', () => {
  void test('its sub-schemas were loaded through the injected loader, including the one with a wrong $id', () => {
    assert.ok(v20Loads.includes('https://www.krakend.io/schema/backend.json'));
    assert.ok(v20Loads.includes('https://www.krakend.io/schema/backend/pubsub/publisher.json'));
    assert.equal(v20.dialect, 'draft-07');
    assert.equal(v213.dialect, '2019-09');
  });

  void test('it rejects debug_endpoint, which lura 2.0 accepted', () => {
    const text = config({ debug_endpoint: true });
    expectAt(text, lintText(text, v20), 'schema/additional-property', '"debug_endpoint"', 0, "additional properties 'debug_endpoint' not allowed");
  });

  void test('errors inside referenced files map to the right place', () => {
    const text = config({ endpoints: [{ endpoint: '/a', backend: [{ url_pattern: '/a', extra_config: { 'qos/circuit-breaker': { interval: 'x', timeout: 1, max_errors: 1 } } }] }] });
    expectAt(text, lintText(text, v20), 'schema/type', '"x"', 0, 'want integer');
  });
});

void describe('invalid fixtures (test/fixtures/schema/invalid): each code on its token, under ours and v2.13', () => {
  type Expect = readonly (readonly [Code, string])[];
  // file → [code, token] expected under our bundled schema and under the official v2.13.
  const table: Record<string, { ours: Expect; v213: Expect }> = {
    'additional-property.json': { ours: [['schema/additional-property', '"timout"']], v213: [['schema/additional-property', '"timout"']] },
    'unknown-namespace.json': { ours: [['schema/unknown-namespace', '"qos/ratelimit/routr"']], v213: [['schema/unknown-namespace', '"qos/ratelimit/routr"']] },
    'required.json': { ours: [['schema/required', '{ "endpoint"']], v213: [['schema/required', '{ "endpoint"']] },
    'type.json': { ours: [['schema/type', '"8080"']], v213: [['schema/type', '"8080"']] },
    'enum.json': { ours: [['schema/enum', '"get"']], v213: [['schema/enum', '"get"']] },
    'const-version.json': { ours: [['schema/enum', '2']], v213: [['schema/enum', '2']] },
    'pattern-duration.json': { ours: [['schema/pattern', '"3 s"']], v213: [['schema/pattern', '"3 s"']] },
    'pattern-endpoint.json': { ours: [['schema/pattern', '"/search?q"']], v213: [['schema/pattern', '"/search?q"']] },
    'range.json': { ours: [['schema/range', '9']], v213: [['schema/range', '9']] },
    'min-items.json': { ours: [['schema/range', '"backend"']], v213: [['schema/range', '"backend"']] },
    // Our schema types namespace values loosely; the official one knows backend/http's shapes.
    'one-of.json': { ours: [], v213: [['schema/one-of', '"backend/http"']] },
    'other-unique.json': { ours: [['schema/other', '"input_headers"']], v213: [['schema/other', '"input_headers"']] },
    // lura still reads the root key; our schema warns, the official one no longer lists it.
    'deprecated.json': { ours: [['schema/deprecated', '"allow_insecure_connections"']], v213: [['schema/additional-property', '"allow_insecure_connections"']] },
  };

  void test('every fixture has an expectation', () => {
    assert.deepEqual(readdirSync(join(fixtures, 'invalid')).sort(), Object.keys(table).sort());
  });

  for (const [file, expected] of Object.entries(table)) {
    void test(file, () => {
      const text = readFileSync(join(fixtures, 'invalid', file), 'utf8');
      for (const [name, schema, want] of [['ours', ours, expected.ours], ['v2.13', v213, expected.v213]] as const) {
        const got = lintText(text, schema).map((p) => [p.code, text.slice(p.span.offset, p.span.offset + Math.max(p.span.length, 1))] as const);
        const wantTokens = want.map(([code, token]) => [code, token.length > 1 && token.startsWith('{') ? '{' : token] as const);
        assert.deepEqual(got, wantTokens, `${file} under ${name}`);
        for (const [code, token] of want) {
          const p = lintText(text, schema).find((x) => x.code === code)!;
          assert.equal(p.span.offset, text.indexOf(token), `${file} under ${name}: ${code} offset`);
        }
      }
    });
  }
});

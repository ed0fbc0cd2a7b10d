import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CODES } from '../../shared/codes';
import { decodeService } from '../../server/src/core/decode';
import { checkInit } from '../../server/src/core/init';
import { parseJson } from '../../server/src/core/parseJson';
import { checkRoutes } from '../../server/src/core/routes';
import { assertProblems, readJsonl, buildModel, endpoints, fixtureModel, RULE_FIXTURES } from './support/modelBuilder';

const RUN_ONLY = '(krakend run panics on this; check -t misses it)';

const fixture = (name: string) => {
  const { text, model } = fixtureModel(name);
  return { text, problems: checkRoutes(model) };
};

const codes = (...eps: Parameters<typeof endpoints>) => checkRoutes(endpoints(...eps)).map((p) => p.code);

// --- rules on built models

void test('gin-allowed route sets give no problem', () => {
  assert.deepEqual(codes('/foo/{id}', '/foo/bar', '/baz/bar', '/baz/{id}'), []);
  assert.deepEqual(codes('/a', '/a/'), []);
  assert.deepEqual(codes('/a/{x}', '/a/{x}/c', '/{a}', '/b', '/m/x{id}', '/m/y'), []);
  assert.deepEqual(codes({ endpoint: '/s', method: 'GET' }, { endpoint: '/s', method: 'POST' }, { endpoint: '/s', method: 'DELETE' }), []);
});

void test('a conflict is skipped and registration goes on, so every conflict shows', () => {
  const m = endpoints('/foo/{id}', '/foo/{name}', '/foo/{id}', '/bar', '/bar');
  assert.deepEqual(
    checkRoutes(m).map((p) => [p.code, p.span]),
    [
      ['route/wildcard-conflict', m.endpoints[1]!.endpoint!.span],
      ['route/duplicate', m.endpoints[2]!.endpoint!.span],
      ['route/duplicate', m.endpoints[4]!.endpoint!.span],
    ],
  );
});

void test('gin sees the cleaned path: /a//b duplicates /a/b', () => {
  const [p] = checkRoutes(endpoints('/a/b', '/a//b'));
  assert.equal(p?.message, "handlers are already registered for path '/a/b'");
});

void test('endpoints lura rejects are left to Init', () => {
  assert.deepEqual(codes('/__health/x', '/a/*any', { endpoint: '/x', backends: [] }, { endpoint: '/x', backends: [] }), []);
});

void test('the health path is registered first on GET, unless disabled', () => {
  const m = buildModel({ healthPath: '/status', endpoints: [{ endpoint: '/status' }, { endpoint: '/status', method: 'POST' }] });
  const [p, ...rest] = checkRoutes(m);
  assert.deepEqual(rest, []);
  assert.equal(p?.code, 'route/reserved-clash');
  assert.equal(p?.message, `handlers are already registered for path '/status' ${RUN_ONLY}`);
  assert.deepEqual(p?.span, m.endpoints[0]!.endpoint!.span);
  assert.deepEqual(checkRoutes(buildModel({ healthPath: '/status', disableHealth: true, endpoints: [{ endpoint: '/status' }] })), []);
});

void test('a health path without a leading slash is joined as gin joins it', () => {
  assert.equal(checkRoutes(buildModel({ healthPath: 'status', endpoints: [{ endpoint: '/status' }] }))[0]?.code, 'route/reserved-clash');
});

void test('a param endpoint next to the default /__health is fine; a param health path conflicts', () => {
  assert.deepEqual(codes('/{x}', '/__healthy'), []);
  const m = buildModel({ healthPath: '/s/:id', endpoints: [{ endpoint: '/s/{name}' }] });
  assert.equal(checkRoutes(m)[0]?.message, `':name' in new path '/s/:name' conflicts with existing wildcard ':id' in existing prefix '/s/:id' ${RUN_ONLY}`);
});

void test('a broken health path is reported on its value', () => {
  const m = buildModel({ healthPath: '/a/*' });
  assert.deepEqual(
    checkRoutes(m).map((p) => [p.code, p.span]),
    [['route/unnamed-wildcard', m.router.healthPath!.span]],
  );
});

void test('debug and echo catch-alls are registered for every Any method', () => {
  const m = buildModel({ debugEndpoint: true, echoEndpoint: true, healthPath: '/__echo/x' });
  const [p] = checkRoutes(m);
  assert.equal(p?.code, 'route/catch-all-conflict');
  assert.equal(p?.message, `'/x' in new path '/__echo/x' conflicts with existing wildcard '/*param' in existing prefix '/__echo/*param' ${RUN_ONLY}`);
  assert.deepEqual(checkRoutes(buildModel({ debugEndpoint: true, endpoints: [{ endpoint: '/__debugger' }, { endpoint: '/{a}' }] })), []);
});

void test('an endpoint under an enabled catch-all is a reserved clash that check -t sees too', () => {
  // lura's reserved-path regex stops at a newline, so this one path gets past Init (recorded from lura + gin)
  const m = buildModel({ debugEndpoint: true, endpoints: [{ endpoint: '/__debug/x\n' }] });
  assert.deepEqual(checkInit(m), []);
  assert.deepEqual(
    checkRoutes(m).map((p) => [p.code, p.message, p.span]),
    [['route/reserved-clash', "'/x\n' in new path '/__debug/x\n' conflicts with existing wildcard '/*param' in existing prefix '/__debug/*param'", m.endpoints[0]!.endpoint!.span]],
  );
});

void test('unknown methods are skipped with lura\'s log text; lowercase ones are routed upper-cased', () => {
  const m = endpoints(
    { endpoint: '/a/{id}', method: 'FOO' },
    { endpoint: '/a/{id}', method: 'head' },
    { endpoint: '/b', method: 'post' },
    { endpoint: '/b', method: 'POST' },
  );
  assert.deepEqual(
    checkRoutes(m).map((p) => [p.code, p.span]),
    [
      ['route/unsupported-method', m.endpoints[0]!.method!.span],
      ['route/unsupported-method', m.endpoints[1]!.method!.span],
      ['route/lowercase-method', m.endpoints[2]!.method!.span],
      // lura upper-cases before registering, so the two land in the same POST tree
      ['route/duplicate', m.endpoints[3]!.endpoint!.span],
    ],
  );
  const [foo, head] = checkRoutes(m);
  assert.ok(foo?.message.startsWith('[ENDPOINT: /a/:id ] Unsupported method FOO'));
  assert.ok(head?.message.startsWith('[ENDPOINT: /a/:id ] Unsupported method HEAD'));
});

void test('a hand-written :param is a warning; an escaped colon and disable_rest braces are not', () => {
  assert.deepEqual(codes('/u/:id'), ['route/manual-param']);
  assert.deepEqual(codes('/t/12\\:30'), []);
  assert.deepEqual(checkRoutes(buildModel({ disableRest: true, endpoints: [{ endpoint: '/a/{x.y}' }] })), []);
});

void test('unknown encodings, with a suggestion', () => {
  const m = buildModel({
    outputEncoding: 'negotiate',
    endpoints: [{ endpoint: '/a', outputEncoding: 'jsn', backends: [{ encoding: 'XML' }, { encoding: 'protobuf' }] }],
  });
  const problems = checkRoutes(m);
  assert.deepEqual(
    problems.map((p) => [p.code, p.span]),
    [
      ['route/unknown-encoding', m.endpoints[0]!.outputEncoding!.span],
      ['route/unknown-encoding', m.endpoints[0]!.backends[1]!.encoding!.span],
    ],
  );
  assert.ok(problems[0]!.message.includes("did you mean 'json'?"));
});

// --- fixtures through the real parser and decoder: code and range

void test('fixture duplicate.json', () => {
  const { text, problems } = fixture('duplicate.json');
  assertProblems(text, problems, [
    { code: 'route/duplicate', at: '"/foo"', nth: 2, msg: "handlers are already registered for path '/foo'" },
    { code: 'route/duplicate', at: '"/bar//{id}"', msg: "handlers are already registered for path '/bar/:id'" },
  ]);
});

void test('fixture wildcard-conflict.json', () => {
  const { text, problems } = fixture('wildcard-conflict.json');
  assertProblems(text, problems, [
    {
      code: 'route/wildcard-conflict',
      at: '"/foo/{name}"',
      msg: "':name' in new path '/foo/:name' conflicts with existing wildcard ':id' in existing prefix '/foo/:id'",
    },
    {
      code: 'route/wildcard-conflict',
      at: '"/foo/{ids}"',
      msg: "':ids' in new path '/foo/:ids' conflicts with existing wildcard ':id' in existing prefix '/foo/:id'",
    },
    {
      code: 'route/wildcard-conflict',
      at: '"/a/{y}/c"',
      msg: "':y' in new path '/a/:y/c' conflicts with existing wildcard ':x' in existing prefix '/a/:x'",
    },
  ]);
});

void test('fixture catch-all-conflict.json', () => {
  const { text, problems } = fixture('catch-all-conflict.json');
  assertProblems(text, problems, [
    {
      code: 'route/catch-all-conflict',
      at: '"/__debug/status"',
      msg: "'/status' in new path '/__debug/status' conflicts with existing wildcard '/*param' in existing prefix '/__debug/*param' (krakend run",
    },
  ]);
});

void test('fixture unnamed-wildcard.json', () => {
  const { text, problems } = fixture('unnamed-wildcard.json');
  assertProblems(text, problems, [
    { code: 'route/unnamed-wildcard', at: '"/a/*"', msg: "wildcards must be named with a non-empty name in path '/a/*'" },
    { code: 'route/manual-param', at: '"/b/:"' },
    { code: 'route/unnamed-wildcard', at: '"/b/:"', msg: "wildcards must be named with a non-empty name in path '/b/:'" },
  ]);
});

void test('fixture multiple-wildcards.json', () => {
  const { text, problems } = fixture('multiple-wildcards.json');
  assertProblems(text, problems, [
    { code: 'route/manual-param', at: '"/a/{b}:c"', msg: "':c'" },
    { code: 'route/multiple-wildcards', at: '"/a/{b}:c"', msg: "only one wildcard per path segment is allowed, has: ':b:c' in path '/a/:b:c'" },
  ]);
});

void test('fixture invalid-escape.json', () => {
  const { text, problems } = fixture('invalid-escape.json');
  assertProblems(text, problems, [{ code: 'route/invalid-escape', at: '"/files/a\\\\b"', msg: "invalid escape string in path '/files/a\\b'" }]);
});

void test('fixture reserved-clash.json', () => {
  const { text, problems } = fixture('reserved-clash.json');
  assertProblems(text, problems, [
    { code: 'route/reserved-clash', at: '"/health"', nth: 1, msg: `handlers are already registered for path '/health' ${RUN_ONLY}` },
  ]);
  const disabled = fixture('reserved-clash-disabled.json');
  assertProblems(disabled.text, disabled.problems, []);
});

void test('fixture manual-param.json', () => {
  const { text, problems } = fixture('manual-param.json');
  assertProblems(text, problems, [
    { code: 'route/manual-param', at: '"/users/:id"', msg: "':id'" },
    { code: 'route/manual-param', at: '"/orders/:id"', msg: '{id}' },
  ]);
});

void test('fixture unsupported-method.json', () => {
  const { text, problems } = fixture('unsupported-method.json');
  assertProblems(text, problems, [
    { code: 'route/unsupported-method', at: '"FOO"', msg: '[ENDPOINT: /a/:id ] Unsupported method FOO' },
    { code: 'route/unsupported-method', at: '"HEAD"', msg: '[ENDPOINT: /b ] Unsupported method HEAD' },
    { code: 'route/unsupported-method', at: '"options"', msg: '[ENDPOINT: /c ] Unsupported method OPTIONS' },
  ]);
});

void test('fixture lowercase-method.json', () => {
  const { text, problems } = fixture('lowercase-method.json');
  assertProblems(text, problems, [
    { code: 'route/lowercase-method', at: '"post"', msg: "'post' is routed as POST" },
    { code: 'route/duplicate', at: '"/a"', nth: 2, msg: "handlers are already registered for path '/a'" },
  ]);
});

void test('fixture unknown-encoding.json', () => {
  const { text, problems } = fixture('unknown-encoding.json');
  assertProblems(text, problems, [
    { code: 'route/unknown-encoding', at: '"jsn"', msg: "unknown output_encoding 'jsn' (did you mean 'json'?)" },
    { code: 'route/unknown-encoding', at: '"JSON"', msg: "unknown output_encoding 'JSON' (did you mean 'json'?)" },
    { code: 'route/unknown-encoding', at: '"xmlx"', msg: "unknown backend encoding 'xmlx' (did you mean 'xml'?)" },
    { code: 'route/unknown-encoding', at: '"protobuf"', msg: "unknown backend encoding 'protobuf'" },
  ]);
});

void test('fixture unknown-encoding-ee.json: encodings the schema lists but CE does not register', () => {
  const { text, problems } = fixture('unknown-encoding-ee.json');
  assertProblems(text, problems, [
    { code: 'route/unknown-encoding', at: '"fast-json"', msg: "unknown output_encoding 'fast-json'" },
    { code: 'route/unknown-encoding', at: '"yaml"', msg: "unknown backend encoding 'yaml'" },
  ]);
});

void test('fixture invalid-catch-all.json', () => {
  const { text, problems } = fixture('invalid-catch-all.json');
  assertProblems(text, problems, [{ code: 'route/invalid-catch-all', at: '"/status*all"', msg: "no / before catch-all in path '/status*all'" }]);
});

void test('fixture allowed-routes.json', () => {
  const { model } = fixtureModel('allowed-routes.json');
  assert.deepEqual(checkInit(model), []);
  assert.deepEqual(checkRoutes(model), []);
});

void test('fixture mixed.yaml: Init and route problems on YAML spans', () => {
  const { text, model } = fixtureModel('mixed.yaml');
  assertProblems(text, [...checkInit(model), ...checkRoutes(model)], [
    { code: 'init/host', at: '"http://a b"', msg: 'host http://a b not valid: invalid host' },
    { code: 'init/undefined-output-param', at: "'/x/{name}/{extra}'", msg: "undefined output param 'extra'! endpoint: GET /café/:name" },
    { code: 'route/wildcard-conflict', at: '/café/{name}', msg: "':name' in new path '/café/:name' conflicts with existing wildcard ':id' in existing prefix '/café/:id'" },
    { code: 'route/unsupported-method', at: 'FOO', msg: 'Unsupported method FOO' },
  ]);
});

void test('fixture crlf-nonascii.json: CRLF, tabs and astral characters before the problems', () => {
  const { text, model } = fixtureModel('crlf-nonascii.json');
  assert.ok(text.includes('\r\n\t'), 'the fixture keeps its CRLF line ends and tabs');
  assertProblems(text, [...checkInit(model), ...checkRoutes(model)], [
    { code: 'init/host', at: '"\u{1F419}"', msg: 'host \u{1F419} not valid: invalid host' },
    { code: 'route/duplicate', at: '"/\u{1F419}/{id}"', nth: 1, msg: "handlers are already registered for path '/\u{1F419}/:id'" },
  ]);
  // the duplicate sits on line 5 after a tab, counted in UTF-16 code units
  const d = checkRoutes(model)[0]!;
  assert.equal(text.slice(0, d.span.offset).split('\r\n').length - 1, 5);
});

// --- recorded answers of the real lura + gin v1.12.0 (test/fixtures/rules/oracle)

interface RouteCase {
  config: string;
  initErr: string | null;
  /** What check -t panics with: debug/echo and endpoints. */
  panicTest: string | null;
  /** What krakend run panics with: also the health route. */
  panicRun: string | null;
}

const GIN_CODES = new Set(Object.keys(CODES).filter((c) => /^route\/(duplicate|wildcard-conflict|catch-all-conflict|unnamed-wildcard|multiple-wildcards|invalid-escape|invalid-catch-all|reserved-clash)$/.test(c)));

void test('the first panic equals gin\'s, for check -t and for run, on every recorded config', () => {
  const cases = readJsonl<RouteCase>(join(RULE_FIXTURES, 'oracle', 'init.jsonl'));
  let checked = 0;
  for (const c of cases) {
    if (c.initErr !== null) continue;
    checked++;
    const { model } = decodeService(parseJson(c.config).root);
    const panics = checkRoutes(model).filter((p) => GIN_CODES.has(p.code));
    const runOnly = (m: string) => m.endsWith(RUN_ONLY);
    // check -t: the first problem that is not run-only
    assert.equal(panics.find((p) => !runOnly(p.message))?.message ?? null, c.panicTest, c.config);
    // run: the first problem of all, whose run-only message is the run engine's
    const first = panics[0];
    if (first && runOnly(first.message)) assert.equal(first.message.slice(0, -RUN_ONLY.length - 1), c.panicRun, c.config);
    else assert.equal(first === undefined, c.panicRun === null, c.config);
  }
  assert.ok(checked > 60, `only ${checked} configs passed Init`);
});

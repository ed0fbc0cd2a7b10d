import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CODES } from '../../shared/codes';
import { decodeService } from '../../server/src/core/decode';
import { checkInit, head } from '../../server/src/core/init';
import { goPathClean, ginJoinPath, isGoIp, isInvalidEndpointPath, sanitizeHost, toRouterPath, uniqueOutputs } from '../../server/src/core/luraPaths';
import { parseJson } from '../../server/src/core/parseJson';
import { assertProblems, readJsonl, buildModel, endpoints, fixtureModel, RULE_FIXTURES } from './support/modelBuilder';

const fixture = (name: string) => {
  const { text, model } = fixtureModel(name);
  return { text, problems: checkInit(model) };
};

// --- lura's string rules

void test('listen_ip accepts exactly what Go net.ParseIP accepts', () => {
  for (const ip of ['127.0.0.1', '0.0.0.0', '::', '::1', '::ffff:1.2.3.4', '::1.2.3.4', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4', 'abcd::ef01', '1::']) {
    assert.ok(isGoIp(ip), ip);
  }
  for (const ip of ['localhost', '1.2.3', '01.2.3.4', '1.2.3.256', '1.2.3.4.', 'fe80::1%eth0', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:1.2.3.4', '12345::', ':', '%', '1:2:3:4:5:6:7:8::', '']) {
    assert.ok(!isGoIp(ip), ip);
  }
});

void test('host sanitising keeps lura quirks', () => {
  assert.equal(sanitizeHost('b.local:80/'), 'http://b.local:80');
  assert.equal(sanitizeHost('https://x.com:8080'), 'https://x.com:8080');
  assert.equal(sanitizeHost('http://'), 'http://http');
  assert.equal(sanitizeHost('a!'), 'http://a');
  for (const bad of ['a b', 'http://a b', 'example.com:80/path', 'x:1', 'ftp://x', '', 'é']) assert.equal(sanitizeHost(bad), undefined, bad);
});

void test('reserved and invalid endpoint paths', () => {
  for (const p of ['/api/__debug/x', '/__health/x', '/__echo', '/__debug', '/a/*any', '/a*b', 'no-slash']) assert.ok(isInvalidEndpointPath(p), p);
  for (const p of ['/__healthz', '/__debugger', '/__catchall', '/__stats', '/a/*', '/a']) assert.ok(!isInvalidEndpointPath(p), p);
});

void test('{p} becomes :p only before the query', () => {
  assert.equal(toRouterPath('/users/{id}?q={id}', ['id']), '/users/:id?q={id}');
  assert.equal(toRouterPath('/a/{id}-{name}', ['id']), '/a/:id-{name}');
});

void test('outputSetSize leaves out the last distinct output', () => {
  assert.deepEqual(uniqueOutputs(['b', 'a', 'b']), { sorted: ['a', 'b'], setSize: 1 });
  assert.deepEqual(uniqueOutputs(['resp0_x', 'b']), { sorted: ['b', 'resp0_x'], setSize: 1 });
  assert.deepEqual(uniqueOutputs(['JWT.sub', 'b']), { sorted: ['JWT.sub', 'b'], setSize: 0 });
  assert.deepEqual(uniqueOutputs([]), { sorted: [], setSize: 0 });
});

void test('gin sees the cleaned join of the path', () => {
  assert.equal(goPathClean('/a//b/./c/..'), '/a/b');
  assert.equal(goPathClean('/../a'), '/a');
  assert.equal(ginJoinPath('/a//b/'), '/a/b/');
  assert.equal(ginJoinPath('health'), '/health');
  assert.equal(ginJoinPath('/a/./'), '/a/');
});

// --- rules on built models: spans and the keep-going behaviour

void test('version: 2 is reported on the value, a missing one on the start of the document', () => {
  const m = buildModel({ version: 2 });
  assert.deepEqual(checkInit(m), [{ code: 'init/version', message: 'unsupported version: 2 (want: 3)', span: m.version!.span }]);
  const missing = buildModel({ version: null });
  const [p] = checkInit(missing);
  assert.equal(p?.message, 'unsupported version: 0 (want: 3)');
  assert.deepEqual(p?.span, { offset: 0, length: 1 });
});

void test('every bad host is reported on its own item; disable_host_sanitize skips a backend', () => {
  const m = buildModel({
    host: ['a b', 'ok', 'c d'],
    endpoints: [{ endpoint: '/a', backends: [{ host: ['e f'] }, { host: ['g h'], disableHostSanitize: true }] }],
    asyncAgents: [{ backends: [{ host: ['i j'] }] }],
  });
  const problems = checkInit(m);
  assert.deepEqual(
    problems.map((p) => [p.code, p.message, p.span]),
    [
      ['init/host', 'host a b not valid: invalid host', m.host[0]!.span],
      ['init/host', 'host c d not valid: invalid host', m.host[2]!.span],
      ['init/host', 'host i j not valid: invalid host', m.asyncAgents[0]!.backends[0]!.host[0]!.span],
      ['init/host', 'host e f not valid: invalid host', m.endpoints[0]!.backends[0]!.host[0]!.span],
    ],
  );
});

void test('every invalid endpoint is reported, with the raw method', () => {
  const m = endpoints({ endpoint: '/api/__debug/x' }, { endpoint: '/__echo', method: 'POST' }, '/ok');
  assert.deepEqual(
    checkInit(m).map((p) => [p.code, p.message, p.span]),
    [
      ['init/endpoint-invalid', "ignoring the ' /api/__debug/x' endpoint, since it is invalid!!!", m.endpoints[0]!.endpoint!.span],
      ['init/endpoint-invalid', "ignoring the 'POST /__echo' endpoint, since it is invalid!!!", m.endpoints[1]!.endpoint!.span],
    ],
  );
});

void test('0 backends sits on the backend key, or on the endpoint object (where the schema wants the key) when it is missing', () => {
  const m = endpoints({ endpoint: '/a', backends: [] }, { endpoint: '/b', method: 'GET', backends: [], noBackendKey: true });
  assert.deepEqual(
    checkInit(m).map((p) => [p.message, p.span]),
    [
      ["ignoring the ' /a' endpoint, since it has 0 backends defined!", m.endpoints[0]!.backendKeySpan],
      ["ignoring the 'GET /b' endpoint, since it has 0 backends defined!", head(m.endpoints[1]!.span)],
    ],
  );
});

void test('no-op inherited from the service is reported on each endpoint', () => {
  const m = buildModel({ outputEncoding: 'no-op', endpoints: [{ endpoint: '/a', backends: [{}, {}] }, { endpoint: '/b', backends: [{}] }] });
  assert.deepEqual(
    checkInit(m).map((p) => [p.code, p.span]),
    [['init/noop-backends', m.endpoints[0]!.backendKeySpan]],
  );
});

void test('each undefined output param is its own problem (Go stops at the first)', () => {
  const m = endpoints({ endpoint: '/a/{id}', backends: [{ urlPattern: '/x/{id}/{b}' }, { urlPattern: '/y/{c}/{id}' }] });
  assert.deepEqual(
    checkInit(m).map((p) => [p.message, p.span]),
    [
      ["undefined output param 'b'! endpoint: GET /a/:id, backend: 0. input: [id], output: [b id]", m.endpoints[0]!.backends[0]!.urlPattern!.span],
      ["undefined output param 'c'! endpoint: GET /a/:id, backend: 1. input: [id], output: [c id]", m.endpoints[0]!.backends[1]!.urlPattern!.span],
    ],
  );
});

void test('disable_rest extracts params anywhere', () => {
  const rest = endpoints({ endpoint: '/a/x{id}.json', backends: [{ urlPattern: '/u/{id}' }] });
  assert.equal(checkInit(rest)[0]?.code, 'init/undefined-output-param');
  const loose = buildModel({ disableRest: true, endpoints: [{ endpoint: '/a/x{id}.json', backends: [{ urlPattern: '/u/{id}' }] }] });
  assert.deepEqual(checkInit(loose), []);
});

// --- fixtures through the real parser and decoder: code and range

void test('fixture version-2.json', () => {
  const { text, problems } = fixture('version-2.json');
  assertProblems(text, problems, [{ code: 'init/version', at: '2', msg: 'unsupported version: 2 (want: 3)' }]);
});

void test('fixture version-missing.json', () => {
  const { text, problems } = fixture('version-missing.json');
  assertProblems(text, problems, [{ code: 'init/version', at: '{', headOnly: true, msg: 'unsupported version: 0 (want: 3)' }]);
});

void test('fixture listen-ip.json', () => {
  const { text, problems } = fixture('listen-ip.json');
  assertProblems(text, problems, [{ code: 'init/listen-ip', at: '"localhost"', msg: 'invalid ip address localhost' }]);
  assertProblems(fixture('listen-ip-mapped.json').text, fixture('listen-ip-mapped.json').problems, []);
});

void test('fixture hosts.json', () => {
  const { text, problems } = fixture('hosts.json');
  assertProblems(text, problems, [
    { code: 'init/host', at: '"http://a b"', msg: 'host http://a b not valid: invalid host' },
    { code: 'init/host', at: '"example.com:80/path"', msg: 'host example.com:80/path not valid: invalid host' },
    { code: 'init/host', at: '"http://c d"', msg: 'host http://c d not valid: invalid host' },
    { code: 'init/host', at: '"e f"', msg: 'host e f not valid: invalid host' },
  ]);
});

void test('fixture leading-slash.json', () => {
  const { text, problems } = fixture('leading-slash.json');
  assertProblems(text, problems, [{ code: 'init/leading-slash', at: '"users/{id}"', msg: "'/users/{id}'" }]);
  assert.equal(CODES['init/leading-slash'].severity, 'information');
});

void test('fixture endpoint-invalid.json', () => {
  const { text, problems } = fixture('endpoint-invalid.json');
  assertProblems(text, problems, [
    { code: 'init/endpoint-invalid', at: '"/api/__debug/x"', msg: "ignoring the ' /api/__debug/x' endpoint, since it is invalid!!!" },
    { code: 'init/endpoint-invalid', at: '"/__health/x"', msg: "ignoring the 'POST /__health/x' endpoint, since it is invalid!!!" },
    { code: 'init/endpoint-invalid', at: '"/a/*any"', msg: "ignoring the 'get /a/*any' endpoint, since it is invalid!!!" },
  ]);
});

void test('fixture no-backends.json', () => {
  const { text, problems } = fixture('no-backends.json');
  assertProblems(text, problems, [
    { code: 'init/no-backends', at: '"backend"', msg: "ignoring the 'GET /a' endpoint, since it has 0 backends defined!" },
    { code: 'init/no-backends', at: '{ "endpoint": "/b" }', headOnly: true, msg: "ignoring the ' /b' endpoint, since it has 0 backends defined!" },
  ]);
});

void test('fixture noop-backends.json', () => {
  const { text, problems } = fixture('noop-backends.json');
  assertProblems(text, problems, [
    { code: 'init/noop-backends', at: '"no-op"', msg: 'can not use NoOp encoding with more than one backends connected to the same endpoint' },
  ]);
});

void test('fixture params-mismatch.json', () => {
  const { text, problems } = fixture('params-mismatch.json');
  assertProblems(text, problems, [
    {
      code: 'init/params-mismatch',
      at: '"/x/{a}/{b}/{c}"',
      msg: 'input and output params do not match. endpoint: GET /a/:id, backend: 0. input: [id], output: [a b c]',
    },
  ]);
});

void test('fixture undefined-output-param.json', () => {
  const { text, problems } = fixture('undefined-output-param.json');
  assertProblems(text, problems, [
    {
      code: 'init/undefined-output-param',
      at: '"/x/{id}/{name}"',
      msg: "undefined output param 'name'! endpoint: GET /a/:id, backend: 0. input: [id], output: [id name]",
    },
    {
      code: 'init/undefined-output-param',
      at: '"/u/{id}"',
      nth: 1,
      msg: "undefined output param 'id'! endpoint: GET /c/x{id}, backend: 0. input: [], output: [id]",
    },
  ]);
});

void test('fixture disable-rest.json', () => {
  const { text, problems } = fixture('disable-rest.json');
  assertProblems(text, problems, []);
});

// --- recorded answers of the real lura config.Init (test/fixtures/rules/oracle)

interface InitCase {
  config: string;
  initErr: string | null;
}

void test('the first error equals lura Init on every recorded config', () => {
  const cases = readJsonl<InitCase>(join(RULE_FIXTURES, 'oracle', 'init.jsonl'));
  assert.ok(cases.length > 400, 'the oracle table is there');
  for (const c of cases) {
    const { model, problems } = decodeService(parseJson(c.config).root);
    assert.deepEqual(problems, [], c.config);
    const first = checkInit(model).find((p) => CODES[p.code].severity === 'error');
    assert.equal(first?.message ?? null, c.initErr, c.config);
  }
});

// The audit's rules, one by one, present and absent, with the binary's quirks (the expectations
// were checked against `krakend audit` of KrakenD CE 2.13.8; see test/integration/auditDifferential.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { AUDIT_RULES, auditHoverAt, auditRuleIds, parseIgnoreFile, selectedRules } from '../../server/src/core/audit';
import { checkConfig } from '../../server/src/core/check';
import { parseConfig } from '../../server/src/core/parse';
import { CODES } from '../../shared/codes';
import { generateConfig } from '../support/auditConfigs';

type Obj = Record<string, unknown>;
const backend = (extra?: Obj, more?: Obj): Obj => ({ url_pattern: '/x', host: ['http://x:8080'], ...(more ?? {}), ...(extra ? { extra_config: extra } : {}) });
const endpoint = (path: string, backends: Obj[] = [backend()], more?: Obj): Obj => ({ endpoint: path, backend: backends, ...(more ?? {}) });
/** A configuration: version 3 plus the given fields, one plain endpoint unless endpoints are given. */
const cfg = (more: Obj = {}): Obj => ({ version: 3, endpoints: [endpoint('/a')], ...more });

function ids(config: Obj, format: 'json' | 'yaml' = 'json'): string[] {
  const text = format === 'json' ? JSON.stringify(config) : stringify(config);
  const r = auditRuleIds(text, format);
  assert.ok(r, 'the configuration parses');
  return r;
}

interface Case {
  readonly name: string;
  readonly rule: string;
  readonly config: Obj;
  readonly present: boolean;
  readonly format?: 'json' | 'yaml';
}

const SERVICE = (extra: Obj, more: Obj = {}): Obj => cfg({ extra_config: extra, ...more });
const ONE_ENDPOINT = (e: Obj, more: Obj = {}): Obj => cfg({ endpoints: [e], ...more });

const CASES: Case[] = [
  // 1.x authentication
  { name: 'basic-auth server plugin', rule: '1.1.1', config: SERVICE({ 'plugin/http-server': { name: ['basic-auth'] } }), present: true },
  { name: 'basic-auth plugin by its legacy namespace, name as a string', rule: '1.1.1', config: SERVICE({ 'github_com/devopsfaith/krakend/transport/http/server/handler': { name: 'basic-auth' } }), present: true },
  { name: 'auth/basic never triggers it (parsed into an empty list)', rule: '1.1.1', config: SERVICE({ 'auth/basic': { users: {} } }), present: false },
  { name: 'auth/api-keys', rule: '1.1.2', config: SERVICE({ 'auth/api-keys': null }), present: true },
  { name: 'no api keys', rule: '1.1.2', config: cfg(), present: false },
  { name: 'no JWT', rule: '1.2.1', config: cfg(), present: true },
  { name: 'JWT on an endpoint (legacy name)', rule: '1.2.1', config: ONE_ENDPOINT(endpoint('/a', [backend()], { extra_config: { 'github.com/devopsfaith/krakend-jose/validator': {} } })), present: false },
  { name: 'JWT at service level does not count', rule: '1.2.1', config: SERVICE({ 'auth/validator': {} }), present: true },
  { name: 'no endpoints: no JWT', rule: '1.2.1', config: { version: 3 }, present: true },
  // 2.1 connections
  { name: 'allow_insecure_connections as a loose boolean', rule: '2.1.1', config: cfg({ allow_insecure_connections: 'true' }), present: true },
  { name: 'client_tls.allow_insecure_connections', rule: '2.1.1', config: cfg({ client_tls: { allow_insecure_connections: 1 } }), present: true },
  { name: 'allow_insecure_connections false', rule: '2.1.1', config: cfg({ allow_insecure_connections: 'false' }), present: false },
  { name: 'no tls', rule: '2.1.2', config: cfg(), present: true },
  { name: 'tls: {}', rule: '2.1.2', config: cfg({ tls: {} }), present: false },
  { name: 'tls: null is no tls', rule: '2.1.2', config: cfg({ tls: null }), present: true },
  { name: 'tls disabled (loose)', rule: '2.1.3', config: cfg({ tls: { disabled: 'T' } }), present: true },
  { name: 'tls enabled', rule: '2.1.3', config: cfg({ tls: { disabled: false } }), present: false },
  { name: 'no security/http', rule: '2.1.7', config: cfg(), present: true },
  { name: 'security/http by its legacy name', rule: '2.1.7', config: SERVICE({ 'github_com/devopsfaith/krakend-httpsecure': true }), present: false },
  { name: 'security/http on an endpoint does not count', rule: '2.1.7', config: ONE_ENDPOINT(endpoint('/a', [backend()], { extra_config: { 'security/http': {} } })), present: true },
  { name: 'use_h2c', rule: '2.1.8', config: cfg({ use_h2c: '1' }), present: true },
  { name: 'router.use_h2c', rule: '2.1.8', config: SERVICE({ router: { use_h2c: true } }), present: true },
  { name: 'router.use_h2c as a string does not count', rule: '2.1.8', config: SERVICE({ router: { use_h2c: 'true' } }), present: false },
  { name: 'backend client_tls insecure', rule: '2.1.9', config: ONE_ENDPOINT(endpoint('/a', [backend({ 'backend/http/client': { client_tls: { allow_insecure_connections: true } } })])), present: true },
  { name: 'backend client_tls insecure, but a field fails the strict decode', rule: '2.1.9', config: ONE_ENDPOINT(endpoint('/a', [backend({ 'backend/http/client': { client_tls: { allow_insecure_connections: true, ca_certs: 'one.pem' } } })])), present: false },
  { name: 'backend client_tls insecure as a string', rule: '2.1.9', config: ONE_ENDPOINT(endpoint('/a', [backend({ 'backend/http/client': { client_tls: { allow_insecure_connections: 'true' } } })])), present: false },
  // 2.2 headers, CORS, gRPC
  { name: 'no router', rule: '2.2.1', config: cfg(), present: true },
  { name: 'hide_version_header true', rule: '2.2.1', config: SERVICE({ router: { hide_version_header: true } }), present: false },
  { name: 'hide_version_header as a string', rule: '2.2.1', config: SERVICE({ router: { hide_version_header: 'true' } }), present: true },
  { name: 'both router names: the friendly one wins', rule: '2.2.1', config: SERVICE({ 'github_com/luraproject/lura/router/gin': { hide_version_header: true }, router: { hide_version_header: false } }), present: true },
  { name: 'both router names: the friendly one wins (other way)', rule: '2.2.1', config: SERVICE({ router: { hide_version_header: true }, 'github_com/luraproject/lura/router/gin': { hide_version_header: false } }), present: false },
  { name: 'no CORS', rule: '2.2.2', config: cfg(), present: true },
  { name: 'CORS by its legacy name', rule: '2.2.2', config: SERVICE({ 'github_com/devopsfaith/krakend-cors': {} }), present: false },
  { name: 'input_headers *', rule: '2.2.3', config: ONE_ENDPOINT(endpoint('/a', [backend()], { input_headers: ['X', '*'] })), present: true },
  { name: 'input_headers * as a single value', rule: '2.2.3', config: ONE_ENDPOINT(endpoint('/a', [backend()], { input_headers: '*' })), present: true },
  { name: 'input_headers explicit', rule: '2.2.3', config: ONE_ENDPOINT(endpoint('/a', [backend()], { input_headers: ['X'] })), present: false },
  { name: 'input_query_strings *', rule: '2.2.4', config: ONE_ENDPOINT(endpoint('/a', [backend()], { input_query_strings: ['*'] })), present: true },
  { name: 'input_query_strings explicit', rule: '2.2.4', config: ONE_ENDPOINT(endpoint('/a', [backend()], { input_query_strings: ['a'] })), present: false },
  { name: 'grpc server without services', rule: '2.2.5', config: SERVICE({ grpc: { server: {} } }), present: true },
  { name: 'grpc server with services', rule: '2.2.5', config: SERVICE({ grpc: { server: { services: [{}] } } }), present: false },
  { name: 'grpc without a server', rule: '2.2.5', config: SERVICE({ grpc: {} }), present: false },
  { name: 'http-cache with both limits (JSON numbers are float64)', rule: '2.3.1', config: ONE_ENDPOINT(endpoint('/a', [backend({ 'qos/http-cache': { max_items: 10, max_size: 100 } })])), present: false },
  { name: 'http-cache with both limits as YAML integers', rule: '2.3.1', config: ONE_ENDPOINT(endpoint('/a', [backend({ 'qos/http-cache': { max_items: 10, max_size: 100 } })])), present: true, format: 'yaml' },
  { name: 'http-cache with both limits as YAML floats', rule: '2.3.1', config: ONE_ENDPOINT(endpoint('/a', [backend({ 'qos/http-cache': { max_items: 10.5, max_size: 100.5 } })])), present: false, format: 'yaml' },
  { name: 'http-cache without max_size', rule: '2.3.1', config: ONE_ENDPOINT(endpoint('/a', [backend({ 'github.com/devopsfaith/krakend-httpcache': { max_items: 10 } })])), present: true },
  // 3.x traffic
  { name: 'no bot detector', rule: '3.1.1', config: cfg(), present: true },
  { name: 'bot detector', rule: '3.1.1', config: SERVICE({ 'security/bot-detector': {} }), present: false },
  { name: 'bot detector that is not an object', rule: '3.1.1', config: SERVICE({ 'security/bot-detector': true }), present: true },
  { name: 'no rate limit', rule: '3.1.2', config: cfg(), present: true },
  { name: 'router rate limit at service level', rule: '3.1.2', config: SERVICE({ 'qos/ratelimit/router': { max_rate: 1 } }), present: false },
  { name: 'router rate limit that is not an object', rule: '3.1.2', config: SERVICE({ 'qos/ratelimit/router': 'x' }), present: true },
  { name: 'proxy rate limit on a backend', rule: '3.1.2', config: ONE_ENDPOINT(endpoint('/a', [backend({ 'qos/ratelimit/proxy': {} })])), present: false },
  { name: 'router rate limit on a backend does not count', rule: '3.1.2', config: ONE_ENDPOINT(endpoint('/a', [backend({ 'qos/ratelimit/router': { max_rate: 1 } })])), present: true },
  { name: 'service rate limit', rule: '3.1.2', config: SERVICE({ 'qos/ratelimit/service': {} }), present: false },
  { name: 'redis-ratelimit plugin', rule: '3.1.2', config: SERVICE({ 'plugin/http-server': { name: ['redis-ratelimit'] } }), present: false },
  { name: 'no circuit breaker', rule: '3.1.3', config: cfg(), present: true },
  { name: 'circuit breaker on a backend (legacy name)', rule: '3.1.3', config: ONE_ENDPOINT(endpoint('/a', [backend({ 'github.com/devopsfaith/krakend-circuitbreaker/gobreaker': {} })])), present: false },
  { name: 'circuit breaker at service level does not count', rule: '3.1.3', config: SERVICE({ 'qos/circuit-breaker': {} }), present: true },
  { name: 'the default timeout (2s)', rule: '3.3.1', config: cfg(), present: false },
  { name: 'a service timeout of 4s reaches every endpoint', rule: '3.3.1', config: cfg({ timeout: '4s' }), present: true },
  { name: '3000.999 ms is 3000 ms', rule: '3.3.1', config: cfg({ timeout: 3_000_999_999 }), present: false },
  { name: '3001 ms', rule: '3.3.1', config: cfg({ timeout: '3001ms' }), present: true },
  { name: 'a numeric timeout is nanoseconds', rule: '3.3.1', config: cfg({ timeout: 4000 }), present: false },
  { name: 'an endpoint timeout overrides the service', rule: '3.3.2', config: ONE_ENDPOINT(endpoint('/a', [backend()], { timeout: '6s' }), { timeout: '1s' }), present: true },
  { name: 'an endpoint timeout of 0 inherits', rule: '3.3.2', config: ONE_ENDPOINT(endpoint('/a', [backend()], { timeout: 0 }), { timeout: '6s' }), present: true },
  { name: 'no endpoints, long timeout', rule: '3.3.2', config: { version: 3, timeout: '1h' }, present: false },
  { name: '31s', rule: '3.3.3', config: cfg({ timeout: '31s' }), present: true },
  { name: '30s', rule: '3.3.3', config: cfg({ timeout: '30s' }), present: false },
  { name: '61s', rule: '3.3.4', config: cfg({ timeout: '61s' }), present: true },
  { name: '59s', rule: '3.3.4', config: cfg({ timeout: '59s' }), present: false },
  // 4.x telemetry
  { name: 'no metrics', rule: '4.1.1', config: cfg(), present: true },
  { name: 'telemetry/metrics', rule: '4.1.1', config: SERVICE({ 'telemetry/metrics': {} }), present: false },
  { name: 'opencensus without exporters does not count', rule: '4.1.1', config: SERVICE({ 'telemetry/opencensus': {} }), present: true },
  { name: 'opentelemetry alone does not count as metrics', rule: '4.1.1', config: SERVICE({ 'telemetry/opentelemetry': { exporters: { prometheus: [{}] } } }), present: true },
  { name: 'never reported', rule: '4.1.2', config: cfg(), present: false },
  { name: 'two metrics components', rule: '4.1.3', config: SERVICE({ 'telemetry/metrics': {}, 'telemetry/newrelic': {} }), present: true },
  { name: 'metrics plus an OTLP exporter with metrics', rule: '4.1.3', config: SERVICE({ 'telemetry/metrics': {}, 'telemetry/opentelemetry': { exporters: { otlp: [{}] } } }), present: true },
  { name: 'metrics plus an OTLP exporter without metrics', rule: '4.1.3', config: SERVICE({ 'telemetry/metrics': {}, 'telemetry/opentelemetry': { exporters: { otlp: [{ disable_metrics: true }] } } }), present: false },
  { name: 'no tracing', rule: '4.2.1', config: cfg(), present: true },
  { name: 'an OTLP exporter with traces', rule: '4.2.1', config: SERVICE({ 'telemetry/opentelemetry': { exporters: { otlp: [{ disable_traces: 'true' }] } } }), present: false },
  { name: 'an OTLP exporter without traces', rule: '4.2.1', config: SERVICE({ 'telemetry/opentelemetry': { exporters: { otlp: [{ disable_traces: true }] } } }), present: true },
  { name: 'no logging', rule: '4.3.1', config: cfg(), present: true },
  { name: 'gelf by its legacy name', rule: '4.3.1', config: SERVICE({ 'github_com/devopsfaith/krakend-gelf': {} }), present: false },
  // 5.x endpoints
  { name: 'disable_rest', rule: '5.1.1', config: cfg({ disable_rest: true }), present: true },
  { name: 'debug_endpoint (loose, any case)', rule: '5.1.2', config: cfg({ DEBUG_ENDPOINT: 'True' }), present: true },
  { name: 'debug_endpoint false', rule: '5.1.2', config: cfg({ debug_endpoint: '0' }), present: false },
  { name: 'echo_endpoint', rule: '5.1.3', config: cfg({ echo_endpoint: 1 }), present: true },
  { name: 'wildcard endpoint', rule: '5.1.4', config: ONE_ENDPOINT(endpoint('/a/*')), present: true },
  { name: 'no wildcard', rule: '5.1.4', config: cfg(), present: false },
  { name: '/__catchall', rule: '5.1.5', config: ONE_ENDPOINT(endpoint('__catchall')), present: true },
  { name: '/__catchall/x', rule: '5.1.5', config: ONE_ENDPOINT(endpoint('/__catchall/x')), present: false },
  { name: 'two POST backends (inherited method)', rule: '5.1.6', config: ONE_ENDPOINT(endpoint('/a', [backend(), backend()], { method: 'POST' })), present: true },
  { name: 'a lowercase get is a write method', rule: '5.1.6', config: ONE_ENDPOINT(endpoint('/a', [backend(undefined, { method: 'get' }), backend(undefined, { method: 'PUT' })])), present: true },
  { name: 'gRPC backends count as writes', rule: '5.1.6', config: ONE_ENDPOINT(endpoint('/a', [backend({ 'backend/grpc': {} }), backend({ 'backend/grpc': {} })])), present: true },
  { name: 'GET and HEAD', rule: '5.1.6', config: ONE_ENDPOINT(endpoint('/a', [backend(), backend(undefined, { method: 'HEAD' })])), present: false },
  { name: 'sequential proxy', rule: '5.1.7', config: ONE_ENDPOINT(endpoint('/a', [backend()], { extra_config: { proxy: { sequential: true } } })), present: true },
  { name: 'sequential as a string', rule: '5.1.7', config: ONE_ENDPOINT(endpoint('/a', [backend()], { extra_config: { proxy: { sequential: 'true' } } })), present: false },
  { name: 'an endpoint without backends', rule: '5.2.1', config: ONE_ENDPOINT(endpoint('/a', [])), present: true },
  { name: 'one backend everywhere', rule: '5.2.2', config: cfg(), present: true },
  { name: 'an aggregating endpoint', rule: '5.2.2', config: ONE_ENDPOINT(endpoint('/a', [backend(), backend()])), present: false },
  { name: 'no endpoints at all', rule: '5.2.2', config: { version: 3 }, present: true },
  { name: 'every endpoint no-op (by the service)', rule: '5.2.3', config: cfg({ output_encoding: 'no-op' }), present: true },
  { name: 'json endpoints', rule: '5.2.3', config: cfg(), present: false },
  { name: 'no endpoints: all of none are no-op', rule: '5.2.3', config: { version: 3 }, present: true },
  // 6.x agents
  { name: 'sequential_start with 10 agents', rule: '6.1.1', config: cfg({ sequential_start: 'true', async_agent: Array.from({ length: 10 }, (_, i) => ({ name: `a${i}`, backend: [backend()] })) }), present: true },
  { name: 'sequential_start with 9 agents', rule: '6.1.1', config: cfg({ sequential_start: true, async_agent: Array.from({ length: 9 }, (_, i) => ({ name: `a${i}`, backend: [backend()] })) }), present: false },
  // 7.x deprecations
  { name: 'virtualhost plugin', rule: '7.1.1', config: SERVICE({ 'plugin/http-server': { name: 'virtualhost' } }), present: true },
  { name: 'static-filesystem server plugin', rule: '7.1.2', config: SERVICE({ 'plugin/http-server': { name: ['static-filesystem'] } }), present: true },
  { name: 'basic-auth plugin', rule: '7.1.3', config: SERVICE({ 'plugin/http-server': { name: ['basic-auth'] } }), present: true },
  { name: 'wildcard plugin', rule: '7.1.4', config: SERVICE({ 'plugin/http-server': { name: ['wildcard'] } }), present: true },
  { name: 'http-proxy client plugin on an endpoint', rule: '7.1.5', config: ONE_ENDPOINT(endpoint('/a', [backend()], { extra_config: { 'plugin/http-client': { name: 'http-proxy' } } })), present: true },
  { name: 'http-proxy client plugin on a backend is not seen', rule: '7.1.5', config: ONE_ENDPOINT(endpoint('/a', [backend({ 'plugin/http-client': { name: 'http-proxy' } })])), present: false },
  { name: 'static-filesystem client plugin', rule: '7.1.6', config: ONE_ENDPOINT(endpoint('/a', [backend()], { extra_config: { 'plugin/http-client': { name: 'static-filesystem' } } })), present: true },
  { name: 'no-redirect client plugin (legacy name)', rule: '7.1.7', config: ONE_ENDPOINT(endpoint('/a', [backend()], { extra_config: { 'github.com/devopsfaith/krakend/transport/http/client/executor': { name: 'no-redirect' } } })), present: true },
  { name: 'no-redirect client plugin as a list is not seen', rule: '7.1.7', config: ONE_ENDPOINT(endpoint('/a', [backend()], { extra_config: { 'plugin/http-client': { name: ['no-redirect'] } } })), present: false },
  { name: 'content-replacer on a backend', rule: '7.1.8', config: ONE_ENDPOINT(endpoint('/a', [backend({ 'plugin/req-resp-modifier': { name: ['content-replacer'] } })])), present: true },
  { name: 'content-replacer as a string is not seen', rule: '7.1.8', config: ONE_ENDPOINT(endpoint('/a', [backend({ 'plugin/req-resp-modifier': { name: 'content-replacer' } })])), present: false },
  { name: 'response-schema-validator on an endpoint', rule: '7.1.9', config: ONE_ENDPOINT(endpoint('/a', [backend()], { extra_config: { 'github.com/devopsfaith/krakend/proxy/plugin': { name: ['response-schema-validator'] } } })), present: true },
  { name: 'ganalytics', rule: '7.2.1', config: SERVICE({ 'telemetry/ganalytics': {} }), present: true },
  { name: 'instana', rule: '7.2.2', config: SERVICE({ 'telemetry/instana': {} }), present: true },
  { name: 'opencensus with exporters', rule: '7.2.3', config: SERVICE({ 'telemetry/opencensus': { exporters: {} } }), present: true },
  { name: 'opencensus without exporters', rule: '7.2.3', config: SERVICE({ 'telemetry/opencensus': {} }), present: false },
  { name: 'influx (legacy name)', rule: '7.2.4', config: SERVICE({ 'github_com/letgoapp/krakend-influx': {} }), present: true },
  { name: 'tls public_key', rule: '7.3.1', config: cfg({ tls: { public_key: 'a.pem' } }), present: true },
  { name: 'tls keys list', rule: '7.3.1', config: cfg({ tls: { keys: [{ public_key: 'a.pem', private_key: 'b.pem' }] } }), present: false },
];

for (const c of CASES) {
  test(`audit ${c.rule} ${c.present ? 'reported' : 'not reported'}: ${c.name}${c.format === 'yaml' ? ' (YAML)' : ''}`, () => {
    assert.equal(ids(c.config, c.format).includes(c.rule), c.present);
  });
}

test('every rule has a present and an absent case above (4.1.2 has no present one: the binary never reports it)', () => {
  const plain = ids(cfg());
  for (const r of AUDIT_RULES) {
    assert.ok(CASES.some((c) => c.rule === r.id && !c.present) || !plain.includes(r.id), `${r.id} has no absent case`);
    if (r.id !== '4.1.2') assert.ok(CASES.some((c) => c.rule === r.id && c.present), `${r.id} has no present case`);
  }
});

test('every rule has its audit/ code, a warning at most, information for LOW', () => {
  for (const r of AUDIT_RULES) {
    const info = CODES[`audit/${r.id}` as keyof typeof CODES];
    assert.ok(info, `audit/${r.id}`);
    assert.equal(info.severity, r.severity === 'LOW' ? 'information' : 'warning');
  }
});

test('-s and -i: severities and ignored rules leave rules out', () => {
  assert.deepEqual(selectedRules({ severities: ['critical'] }).map((r) => r.id), ['2.1.3', '3.3.4', '5.2.1']);
  assert.ok(!selectedRules({ ignore: ['1.2.1'] }).some((r) => r.id === '1.2.1'));
  assert.equal(selectedRules({}).length, AUDIT_RULES.length);
  assert.deepEqual(auditRuleIds(JSON.stringify(cfg()), 'json', { severities: ['LOW'], ignore: ['3.1.1'] }), ['5.2.2']);
});

test('the ignore file: one id a line, spaces and CR dropped', () => {
  assert.deepEqual(parseIgnoreFile('1.1.1\r\n 3.1.2 \n\n5.2.2'), ['1.1.1', '3.1.2', '5.2.2']);
});

test('placement: a missing rule once on the opening line, the others on what they are about', () => {
  const text = '{\n  "version": 3,\n  "debug_endpoint": true,\n  "timeout": "10s",\n  "endpoints": [\n    {"endpoint": "/a/*", "backend": [{"url_pattern": "/a"}]},\n    {"endpoint": "/b", "backend": [{"url_pattern": "/b"}]}\n  ]\n}\n';
  const out = checkConfig({ text, format: 'json', audit: {} });
  const at = (code: string): string[] => out.diagnostics.filter((d) => d.code === code).map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);
  assert.deepEqual(at('audit/3.1.2'), ['0:0-0:1']);
  assert.deepEqual(at('audit/5.1.2'), ['2:2-2:18']);
  // Both endpoints inherit the service's timeout: one finding, on it.
  assert.deepEqual(at('audit/3.3.2'), ['3:13-3:18']);
  assert.deepEqual(at('audit/5.1.4'), ['5:17-5:23']);
  // `/a/*` is gin's error (route/unnamed-wildcard); the audit's findings are never errors.
  assert.ok(out.diagnostics.every((d) => !d.code.startsWith('audit/') || d.severity !== 'error'));
});

test('placement in YAML: the service line is the first key', () => {
  const text = 'version: 3\nendpoints:\n  - endpoint: /a\n    backend:\n      - url_pattern: /a\n';
  const out = checkConfig({ text, format: 'yaml', audit: {} });
  const d = out.diagnostics.find((x) => x.code === 'audit/1.2.1')!;
  assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 7 } });
  const five = out.diagnostics.find((x) => x.code === 'audit/5.2.2')!;
  assert.equal(five.range.start.line, 1, '5.2.2 goes on the endpoints key');
});

test('without audit options the check reports no audit findings', () => {
  const out = checkConfig({ text: JSON.stringify(cfg()), format: 'json' });
  assert.ok(!out.diagnostics.some((d) => d.code.startsWith('audit/')));
});

test('hover on a finding explains its rule', () => {
  const text = '{"version": 3, "echo_endpoint": true, "endpoints": []}';
  const root = parseConfig(text, 'json').root;
  const h = auditHoverAt(root, text.indexOf('echo_endpoint'), {});
  assert.ok(h);
  assert.match(h.markdown, /krakend audit 5\.1\.3/);
  assert.match(h.markdown, /\/__echo\//);
  assert.equal(auditHoverAt(root, text.indexOf('endpoints'), { ignore: ['5.2.2', '5.2.3'] }), undefined);
});

test('the differential generator switches every rule both on and off (checked here with our audit)', () => {
  const seen = new Map<string, number>();
  const n = 300;
  for (let i = 0; i < n; i++) {
    const g = generateConfig(7, i);
    for (const id of auditRuleIds(g.text, g.format) ?? []) seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  for (const r of AUDIT_RULES) {
    if (r.id === '4.1.2' || r.id === '5.2.1') continue;
    const k = seen.get(r.id) ?? 0;
    assert.ok(k > 0 && k < n, `${r.id} reported in ${k} of ${n}`);
  }
});

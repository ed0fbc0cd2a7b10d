import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeService, formatFloatF, parseGoFloat, parseGoInt, parseGoUint } from '../../server/src/core/decode';
import { mapstructureDurationError, parseGoDuration } from '../../server/src/core/go/duration';
import { parseJson } from '../../server/src/core/parseJson';
import { LineIndex } from '../../server/src/core/positions';

const fixtures = join(__dirname, '..', 'fixtures', 'decode');
const read = (name: string): string => readFileSync(join(fixtures, name), 'utf8');

function decodeText(text: string): ReturnType<typeof decodeService> {
  const parsed = parseJson(text);
  assert.deepEqual(parsed.problems, [], 'the fixture must be valid JSON');
  return decodeService(parsed.root);
}

interface Seen {
  code: string;
  message: string;
  range: [number, number, number, number];
  text: string;
}

function problemsOf(text: string): Seen[] {
  const idx = new LineIndex(text);
  return decodeText(text).problems.map((p) => {
    const r = idx.rangeOf(p.span);
    return { code: p.code, message: p.message, range: [r.start.line, r.start.character, r.end.line, r.end.character], text: text.slice(p.span.offset, p.span.offset + p.span.length) };
  });
}

function find(seen: Seen[], path: string): Seen {
  const hit = seen.filter((s) => s.message.startsWith(`'${path}' `));
  assert.equal(hit.length, 1, `one problem for ${path}; got ${JSON.stringify(seen.map((s) => s.message))}`);
  return hit[0]!;
}

void test('weakly typed input that KrakenD accepts decodes without problems, to Go values', () => {
  const { model, problems } = decodeText(read('weak-accepted.json'));
  assert.deepEqual(problems, []);
  assert.equal(model.version?.value, 3, '"3" → 3');
  assert.equal(model.port?.value, 8080, '"8080" → 8080');
  assert.equal(model.timeout?.value, 3000, 'a number is nanoseconds');
  assert.deepEqual(model.host.map((h) => h.value), ['http://backend:8080'], 'a single string becomes a one-element list');
  assert.equal(model.listenIp?.value, '127', 'a number becomes its decimal text');
  assert.equal(model.debugEndpoint?.value, true, '"true" → true');
  assert.equal(model.echoEndpoint?.value, true, '1 → true');
  assert.equal(model.disableRest?.value, false, '"" → false');
  assert.equal(model.outputEncoding?.value, '1', 'true → "1"');
  const ep = model.endpoints[0]!;
  assert.equal(ep.endpoint?.value, '/users/{id}');
  assert.equal(ep.backends.length, 1, 'a single backend object is wrapped into a list');
  assert.deepEqual(ep.backends[0]!.host.map((h) => h.value), ['http://a', '8080']);
  assert.equal(ep.backends[0]!.disableHostSanitize?.value, true);
  assert.equal(model.asyncAgents[0]!.name?.value, '42');
  assert.equal(model.router.healthPath?.value, '/healthz');
  assert.equal(model.router.disableHealth?.value, false);
});

void test('fields keep the spans of their value and key', () => {
  const text = read('weak-accepted.json');
  const { model } = decodeText(text);
  const port = model.port!;
  assert.equal(text.slice(port.span.offset, port.span.offset + port.span.length), '"8080"');
  assert.equal(text.slice(port.keySpan.offset, port.keySpan.offset + port.keySpan.length), '"port"');
  const host = model.host[0]!;
  assert.deepEqual(host.keySpan, host.span, 'list items point at themselves');
  const ep = model.endpoints[0]!;
  assert.equal(text.slice(ep.backendKeySpan!.offset, ep.backendKeySpan!.offset + ep.backendKeySpan!.length), '"backend"');
  const idx = new LineIndex(text);
  assert.deepEqual(idx.rangeOf(ep.span).start, { line: 13, character: 4 });
});

void test('wrong types are decode/type with mapstructure v2\'s message, on the offending value (an object or list: on its key, or its first character)', () => {
  const seen = problemsOf(read('bad-types.json'));
  const expect = (path: string, reason: string, range: [number, number, number, number]): void => {
    const s = find(seen, path);
    assert.equal(s.code, 'decode/type', path);
    assert.equal(s.message, `'${path}' ${reason}`);
    assert.deepEqual(s.range, range, path);
  };
  expect('port', "cannot parse value as 'int': strconv.ParseInt: invalid syntax", [2, 10, 2, 15]);
  expect('listen_ip', "expected type 'string', got unconvertible type '[]interface {}'", [3, 2, 3, 13]);
  expect('debug_endpoint', "cannot parse value as 'bool': strconv.ParseBool: invalid syntax", [4, 20, 4, 25]);
  expect('max_idle_connections_per_host', "expected type 'int', got unconvertible type 'map[string]interface {}'", [5, 2, 5, 33]);
  expect('tls', 'expected a map or struct, got "string"', [6, 9, 6, 13]);
  expect('host[0]', "expected type 'string', got unconvertible type 'map[string]interface {}'", [7, 11, 7, 12]);
  expect('endpoints[0].concurrent_calls', "cannot parse value as 'int': strconv.ParseInt: invalid syntax", [11, 26, 11, 31]);
  expect('endpoints[0].backend[0].mapping[bad]', "expected type 'string', got unconvertible type '[]interface {}'", [13, 53, 13, 58]);
  expect('endpoints[0].backend[0].is_collection', "cannot parse value as 'bool': strconv.ParseBool: invalid syntax", [13, 83, 13, 87]);
  // Backend.Decoder has no tag: mapstructure matches "decoder" to it case-insensitively, and
  // a string cannot become a func.
  expect('endpoints[0].backend[0].Decoder', "expected type 'encoding.Decoder', got unconvertible type 'string'", [13, 100, 13, 106]);
  expect('endpoints[1]', 'expected a map or struct, got "string"', [16, 4, 16, 21]);
  expect('client_tls.cipher_suites[1]', "cannot parse value as 'uint16': strconv.ParseUint: value out of range", [18, 45, 18, 52]);
  expect('async_agent[0].consumer.max_rate', "cannot parse value as 'float64': strconv.ParseFloat: invalid syntax", [19, 44, 19, 50]);
  expect('extra_config', "expected type 'config.ExtraConfig', got unconvertible type 'string'", [20, 18, 20, 24]);
  assert.equal(seen.length, 14, 'every problem is reported, and nothing else');
});

void test('what weak decoding accepts silently: numbers to strings, bools to ints, float truncation', () => {
  const { model, problems } = decodeText('{"version": 3.9, "port": true, "listen_ip": 1.5, "client_tls": {"min_version": 1.2}, "async_agent": [{"consumer": {"workers": true}}]}');
  assert.deepEqual(problems, []);
  assert.equal(model.version?.value, 3, 'float64 → int truncates (3.9 → 3)');
  assert.equal(model.port?.value, 1, 'true → 1');
  assert.equal(model.listenIp?.value, '1.5');
});

void test('bad durations are decode/duration with KrakenD\'s (shortened) text and Go\'s full reason', () => {
  const seen = problemsOf(read('bad-durations.json'));
  const expect = (path: string, krakend: string, go: string, range: [number, number, number, number]): void => {
    const s = find(seen, path);
    assert.equal(s.code, 'decode/duration', path);
    assert.ok(s.message.startsWith(`'${path}' ${krakend}`), s.message);
    assert.ok(s.message.includes(go), `${s.message} should include ${go}`);
    assert.deepEqual(s.range, range, path);
  };
  expect('timeout', 'time: unknown unit', 'unknown unit " seconds" in duration "3 seconds"', [2, 13, 2, 24]);
  expect('cache_ttl', 'time: missing unit in duration', 'missing unit in duration "3"', [3, 15, 3, 18]);
  expect('read_timeout', 'time: invalid duration', 'invalid duration "abc"', [4, 18, 4, 23]);
  expect('idle_timeout', 'time: unknown unit', 'unknown unit "d" in duration "1d"', [5, 18, 5, 22]);
  expect('endpoints[0].timeout', 'time: unknown unit', 'unknown unit " s" in duration "10 s"', [9, 17, 9, 23]);
  // The backend key "timeout" reaches the untagged Backend.Timeout field.
  expect('endpoints[0].backend[0].Timeout', 'time: unknown unit', 'unknown unit "sec" in duration "5sec"', [10, 51, 10, 57]);
  expect('async_agent[0].connection.health_interval', 'time: invalid duration', 'invalid duration "-"', [13, 53, 13, 56]);
  expect('async_agent[0].consumer.timeout', 'time: invalid duration', 'invalid duration ".s"', [13, 83, 13, 87]);
  assert.equal(seen.length, 8);
});

void test('null values are skipped, as Go leaves the zero value', () => {
  const { model, problems } = decodeText('{"version": null, "port": null, "endpoints": [null, {"endpoint": "/a", "backend": null}], "tls": null}');
  assert.deepEqual(problems, []);
  assert.equal(model.version, undefined);
  assert.equal(model.endpoints.length, 2);
  assert.ok(model.endpoints[1]!.backendKeySpan, 'the backend key is known even when its value is null');
  assert.equal(model.endpoints[1]!.backends.length, 0);
});

void test('keys match fields case-insensitively, the exact key first', () => {
  const { model, problems } = decodeText('{"Version": 3, "PORT": "x", "port": 8080}');
  assert.deepEqual(problems, [], 'the exact "port" wins over "PORT"');
  assert.equal(model.version?.value, 3);
  assert.equal(model.port?.value, 8080);
  const bad = problemsOf('{"Port": "x"}');
  assert.equal(bad.length, 1);
  assert.equal(bad[0]!.message, "'port' cannot parse value as 'int': strconv.ParseInt: invalid syntax", 'the path uses the tag name');
});

void test('duplicate keys: only the last is decoded, as Go\'s map keeps only it', () => {
  const parsed = parseJson('{"port": "bad", "port": 9090}');
  assert.equal(parsed.problems[0]?.code, 'json/duplicate-key');
  const { model, problems } = decodeService(parsed.root);
  assert.deepEqual(problems, []);
  assert.equal(model.port?.value, 9090);
});

void test('an empty object for a list is an empty list; a non-empty one is wrapped', () => {
  const { model } = decodeText('{"endpoints": {}, "host": {}}');
  assert.equal(model.endpoints.length, 0);
  assert.equal(model.host.length, 0);
});

void test('no root (empty YAML, top-level null) decodes to an empty ServiceConfig', () => {
  const { model, problems } = decodeService(undefined);
  assert.deepEqual(problems, []);
  assert.equal(model.version, undefined);
  assert.deepEqual(model.endpoints, []);
});

void test('router options: extra_config.router or the legacy gin namespace, read as encoding/json would', () => {
  const get = (extra: string): ReturnType<typeof decodeService>['model']['router'] => decodeText(`{"extra_config": ${extra}}`).model.router;
  assert.equal(get('{"router": {"health_path": "/h"}}').healthPath?.value, '/h');
  assert.equal(get('{"github_com/luraproject/lura/router/gin": {"disable_health": true}}').disableHealth?.value, true);
  assert.equal(get('{"router": {"health_path": "/new"}, "github_com/luraproject/lura/router/gin": {"health_path": "/old"}}').healthPath?.value, '/new');
  // A wrong type is skipped by encoding/json, never coerced.
  assert.equal(get('{"router": {"disable_health": "true"}}').disableHealth, undefined);
  assert.equal(get('{"router": {"health_path": 1}}').healthPath, undefined);
  // encoding/json matches field names case-insensitively.
  assert.equal(get('{"router": {"Health_Path": "/x"}}').healthPath?.value, '/x');
  assert.deepEqual(get('"none"'), {});
});

// Go's time.ParseDuration, from src/time/format.go (Go 1.22+), and mapstructure v2.3+'s
// wrapTimeParseDurationError.
const GO_DURATIONS: [string, string | bigint][] = [
  ['0', 0n],
  ['+0', 0n],
  ['-0', 0n],
  ['5s', 5_000_000_000n],
  ['1h2m3.5s', 3_723_500_000_000n],
  ['-1.5h', -5_400_000_000_000n],
  ['.5s', 500_000_000n],
  ['1.s', 1_000_000_000n],
  ['300ms', 300_000_000n],
  ['3us', 3000n],
  ['3µs', 3000n],
  ['3μs', 3000n],
  ['10ns', 10n],
  ['1h1h', 7_200_000_000_000n],
  ['9223372036854775807ns', 9_223_372_036_854_775_807n],
  ['-9223372036854775808ns', -9_223_372_036_854_775_808n],
  ['2562047h47m16.854775807s', 9_223_372_036_854_775_807n],
  ['1.0000000000000000000001s', 1_000_000_000n],
  ['', 'time: invalid duration ""'],
  ['3', 'time: missing unit in duration "3"'],
  ['3 seconds', 'time: unknown unit " seconds" in duration "3 seconds"'],
  ['1d', 'time: unknown unit "d" in duration "1d"'],
  ['1S', 'time: unknown unit "S" in duration "1S"'],
  ['s', 'time: invalid duration "s"'],
  ['.s', 'time: invalid duration ".s"'],
  ['-', 'time: invalid duration "-"'],
  [' 1s', 'time: invalid duration " 1s"'],
  ['1s ', 'time: unknown unit "s " in duration "1s "'],
  ['3é', 'time: unknown unit "\\xc3\\xa9" in duration "3\\xc3\\xa9"'],
  ['1"s', 'time: unknown unit "\\"s" in duration "1\\"s"'],
  // A U+FEFF is three bytes of the unit to Go, not a byte-order mark to drop.
  ['3\ufeffs', 'time: unknown unit "\\xef\\xbb\\xbfs" in duration "3\\xef\\xbb\\xbfs"'],
  ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
  ['2562047h47m16.854775808s', 'time: invalid duration "2562047h47m16.854775808s"'],
  ['99999999999999999999s', 'time: invalid duration "99999999999999999999s"'],
];

void test('parseGoDuration matches Go\'s time.ParseDuration (table from Go\'s source)', () => {
  for (const [input, want] of GO_DURATIONS) {
    const r = parseGoDuration(input);
    if (typeof want === 'bigint') assert.deepEqual(r, { ok: true, nanoseconds: want }, input);
    else assert.deepEqual(r, { ok: false, error: want }, input);
  }
});

void test('mapstructure drops the value from duration errors (v2.3+)', () => {
  assert.equal(mapstructureDurationError('time: unknown unit " seconds" in duration "3 seconds"'), 'time: unknown unit');
  assert.equal(mapstructureDurationError('time: missing unit in duration "3"'), 'time: missing unit in duration');
  assert.equal(mapstructureDurationError('time: invalid duration "abc"'), 'time: invalid duration');
  // It cuts at the last space, so a value with a space loses only its tail.
  assert.equal(mapstructureDurationError('time: invalid duration " 1s x"'), 'time: invalid duration " 1s');
});

void test('Go\'s strconv as mapstructure calls it (base 0, so prefixes and octal apply)', () => {
  assert.equal(parseGoInt('8080', 64), 8080n);
  assert.equal(parseGoInt('-12', 64), -12n);
  assert.equal(parseGoInt('+7', 64), 7n);
  assert.equal(parseGoInt('0x1F', 64), 31n);
  assert.equal(parseGoInt('0o17', 64), 15n);
  assert.equal(parseGoInt('017', 64), 15n, 'a leading 0 is octal');
  assert.equal(parseGoInt('0b101', 64), 5n);
  assert.equal(parseGoInt('1_000', 64), 1000n);
  assert.equal(parseGoInt('0', 64), 0n);
  assert.equal(parseGoInt('08080', 64), 'invalid syntax', '8 is not an octal digit');
  assert.equal(parseGoInt('1__0', 64), 'invalid syntax');
  assert.equal(parseGoInt('_1', 64), 'invalid syntax');
  assert.equal(parseGoInt('0x', 64), 'invalid syntax');
  assert.equal(parseGoInt(' 1', 64), 'invalid syntax');
  assert.equal(parseGoInt('1.0', 64), 'invalid syntax');
  assert.equal(parseGoInt('+', 64), 'invalid syntax');
  assert.equal(parseGoInt('9223372036854775807', 64), 9223372036854775807n);
  assert.equal(parseGoInt('9223372036854775808', 64), 'value out of range');
  assert.equal(parseGoInt('-9223372036854775808', 64), -9223372036854775808n);
  assert.equal(parseGoUint('65535', 16), 65535n);
  assert.equal(parseGoUint('65536', 16), 'value out of range');
  assert.equal(parseGoUint('-1', 16), 'invalid syntax');
  assert.equal(parseGoFloat('0.5'), 0.5);
  assert.equal(parseGoFloat('1_0.5'), 10.5);
  assert.equal(parseGoFloat('.5e1'), 5);
  assert.equal(parseGoFloat('0x1p-2'), 0.25);
  assert.equal(parseGoFloat('Inf'), Infinity);
  assert.equal(parseGoFloat('1e400'), 'value out of range');
  assert.equal(parseGoFloat('abc'), 'invalid syntax');
  assert.equal(parseGoFloat('.'), 'invalid syntax');
  assert.equal(formatFloatF(8080), '8080');
  assert.equal(formatFloatF(1.5), '1.5');
  assert.equal(formatFloatF(1e21), '1000000000000000000000');
  assert.equal(formatFloatF(1.5e-7), '0.00000015');
  assert.equal(formatFloatF(-2.5e22), '-25000000000000000000000');
});

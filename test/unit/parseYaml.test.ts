import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getProperty, toValue } from '../../server/src/core/ast';
import type { ArrayNode, ObjectNode } from '../../server/src/core/ast';
import { decodeService } from '../../server/src/core/decode';
import { parseConfig } from '../../server/src/core/parse';
import { MAX_YAML_DEPTH, parseYaml } from '../../server/src/core/parseYaml';
import { LineIndex } from '../../server/src/core/positions';

const fixtures = join(__dirname, '..', 'fixtures', 'parse');
const read = (name: string): string => readFileSync(join(fixtures, name), 'utf8');

type Range4 = [number, number, number, number];

function problems(text: string): { code: string; message: string; range: Range4 }[] {
  const idx = new LineIndex(text);
  return parseYaml(text).problems.map((p) => {
    const r = idx.rangeOf(p.span);
    return { code: p.code, message: p.message, range: [r.start.line, r.start.character, r.end.line, r.end.character] };
  });
}

function assertOne(name: string, code: string, messagePart: string, range: Range4): void {
  const text = read(name);
  const got = problems(text);
  assert.equal(got.length, 1, `${name}: ${JSON.stringify(got)}`);
  assert.equal(got[0]!.code, code, name);
  assert.ok(got[0]!.message.includes(messagePart), `${name}: "${got[0]!.message}" should include "${messagePart}"`);
  assert.deepEqual(got[0]!.range, range, name);
  if (code === 'yaml/syntax') assert.equal(parseYaml(text).root, undefined, `${name}: no tree when go-yaml fails`);
}

const slice = (text: string, n: { offset: number; length: number }): string => text.slice(n.offset, n.offset + n.length);

void test('a valid KrakenD YAML config parses to the tree koanf would hand to mapstructure', () => {
  const text = read('valid.yaml');
  const r = parseYaml(text);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(toValue(r.root!), {
    version: 3,
    port: 8080,
    timeout: '3s',
    host: ['http://backend:8080'],
    debug_endpoint: 'yes',
    endpoints: [{ endpoint: '/users/{id}', method: 'GET', backend: [{ url_pattern: '/u/{id}', encoding: 'json' }] }],
    extra_config: { router: { health_path: '/healthz' } },
  });
  const root = r.root as ObjectNode;
  const port = getProperty(root, 'port')!;
  assert.equal(slice(text, port.key), 'port');
  assert.equal(slice(text, port.value), '8080');
  const idx = new LineIndex(text);
  const ep = (getProperty(root, 'endpoints')!.value as ArrayNode).items[0] as ObjectNode;
  const url = getProperty((getProperty(ep, 'backend')!.value as ArrayNode).items[0] as ObjectNode, 'url_pattern')!;
  assert.deepEqual(idx.rangeOf(url.value), { start: { line: 11, character: 21 }, end: { line: 11, character: 30 } }, 'quoted value, quotes included');
});

void test('`yes` is a string in go-yaml v3, so a bool field written `yes` fails to decode', () => {
  const text = read('valid.yaml');
  const { problems: p } = decodeService(parseYaml(text).root);
  assert.equal(p.length, 1);
  assert.equal(p[0]!.code, 'decode/type');
  assert.equal(p[0]!.message, "'debug_endpoint' cannot parse value as 'bool': strconv.ParseBool: invalid syntax");
  assert.deepEqual(new LineIndex(text).rangeOf(p[0]!.span), { start: { line: 6, character: 16 }, end: { line: 6, character: 19 } });
});

void test('plain scalars resolve as go-yaml v3 does: YAML 1.2 booleans, Go base-0 integers, timestamps stay strings', () => {
  const v = toValue(parseYaml(read('resolution.yaml')).root!) as Record<string, unknown[]>;
  assert.deepEqual(v.bools, [true, true, true, false, false, false]);
  assert.deepEqual(v.strings, ['yes', 'no', 'on', 'off', 'y', 'n', 'Yes', 'ON', 'true', 'null', '2001-12-14', '1.2.3', '0x']);
  assert.deepEqual(v.nulls, [null, null, null, null]);
  assert.deepEqual(v.ints, [511, 31, 15, 3, 1000, 12, -7, 0], '0777 is octal 511 through strconv.ParseInt(s, 0, 64)');
  assert.deepEqual(v.floats, [8, 1000, 0.5, 1, Infinity, -Infinity], '08 is not octal, so it falls through to a float');
  assert.deepEqual(v.tagged, ['12', 12, 3, true, 'x']);
  assert.equal(v.block, 'line one\nline two\n');
  assert.equal(v.folded, 'a b\n');
});

void test('YAML numbers carry the Go type go-yaml gives them, and decode uses it', () => {
  const root = parseYaml('ints: 1\nfloats: 1.5\nbig: 9223372036854775808\n').root as ObjectNode;
  const goType = (k: string): unknown => (getProperty(root, k)!.value as { goType?: string }).goType;
  assert.equal(goType('ints'), 'int');
  assert.equal(goType('floats'), 'float64');
  assert.equal(goType('big'), 'uint64');
  const { problems: p } = decodeService(parseYaml('version: 3\ntls: 5\nport: 1.5\n').root);
  assert.equal(p.length, 1);
  assert.equal(p[0]!.message, '\'tls\' expected a map or struct, got "int"', 'an int, not float64 as in JSON');
});

void test('anchors, aliases and merge keys are resolved; aliased values point at the alias use', () => {
  const text = read('anchors.yaml');
  const r = parseYaml(text);
  assert.deepEqual(r.problems, []);
  const v = toValue(r.root!) as { endpoints: Record<string, unknown>[] };
  assert.deepEqual(v.endpoints[0], { endpoint: '/a', timeout: '5s', name: 'krakend', host: ['http://a'] }, 'own keys win over merged ones');
  assert.deepEqual(v.endpoints[1], { endpoint: '/b', timeout: '3s', host: ['http://a'], cache_ttl: '1m' }, 'a list of merges');
  const eps = getProperty(r.root as ObjectNode, 'endpoints')!.value as ArrayNode;
  const first = eps.items[0] as ObjectNode;
  const name = getProperty(first, 'name')!;
  assert.equal(slice(text, name.value), '*name');
  const host = getProperty(first, 'host')!;
  assert.equal(slice(text, host.value), '*base', 'merged keys point at the alias they came through');
});

void test('duplicate keys are errors in go-yaml v3, one per repeated key, at the repeat', () => {
  const got = problems(read('duplicate-keys.yaml'));
  assert.deepEqual(got, [
    { code: 'yaml/syntax', message: 'yaml: unmarshal errors: line 6: mapping key "method" already defined at line 5', range: [5, 4, 5, 10] },
    { code: 'yaml/syntax', message: 'yaml: unmarshal errors: line 7: mapping key "port" already defined at line 2', range: [6, 0, 6, 4] },
  ]);
  assert.equal(parseYaml(read('duplicate-keys.yaml')).root, undefined);
});

void test('alias and merge failures use go-yaml\'s messages', () => {
  assertOne('unknown-anchor.yaml', 'yaml/syntax', "yaml: unknown anchor 'hosts' referenced", [1, 6, 1, 12]);
  assertOne('self-alias.yaml', 'yaml/syntax', "yaml: anchor 'x' value contains itself", [1, 5, 1, 7]);
  assertOne('bad-merge.yaml', 'yaml/syntax', 'yaml: map merge requires map or sequence of maps as the value', [1, 6, 1, 7]);
  assertOne('bad-tag.yaml', 'yaml/syntax', 'yaml: cannot decode !!str `eighty` as a !!int', [0, 12, 0, 18]);
  assertOne('complex-key.yaml', 'yaml/syntax', 'yaml: invalid map key', [0, 2, 0, 8]);
});

void test('syntax errors: go-yaml\'s `yaml: line N: <reason>`, positioned where libyaml notices', () => {
  assertOne('tab-indent.yaml', 'yaml/syntax', 'yaml: line 3: found character that cannot start any token', [2, 0, 2, 1]);
  assertOne('nested-compact.yaml', 'yaml/syntax', 'yaml: line 3: mapping values are not allowed in this context', [2, 9, 2, 10]);
  assertOne('unclosed-quote.yaml', 'yaml/syntax', 'yaml: line 2: found unexpected end of stream', [1, 6, 1, 7]);
  assertOne('unclosed-flow.yaml', 'yaml/syntax', "yaml: line 2: did not find expected ',' or ']'", [1, 6, 1, 7]);
  assertOne('multiline-key.yaml', 'yaml/syntax', "yaml: line 3: could not find expected ':'", [1, 0, 2, 4]);
});

void test('a top-level sequence or scalar is yaml/not-object with go-yaml\'s unmarshal message', () => {
  assertOne('top-sequence.yaml', 'yaml/not-object', 'yaml: unmarshal errors: line 1: cannot unmarshal !!seq into map[string]interface {}', [0, 0, 0, 12]);
  assertOne('top-scalar.yaml', 'yaml/not-object', 'cannot unmarshal !!str `krakend...` into map[string]interface {}', [0, 0, 0, 22]);
});

void test('an empty file, a comment-only file and a top-level null give no root and no problem (koanf: empty map)', () => {
  for (const name of ['empty.yaml', 'comment-only.yaml', 'top-null.yaml']) {
    const r = parseYaml(read(name));
    assert.deepEqual(r.problems, [], name);
    assert.equal(r.root, undefined, name);
  }
  // Decoding nothing gives no version, which Init then reports as version 0.
  assert.equal(decodeService(parseYaml('').root).model.version, undefined);
});

void test('only the first document is read, as yaml.Unmarshal does', () => {
  const r = parseYaml(read('multi-doc.yaml'));
  assert.deepEqual(r.problems, [], 'the broken second document is never parsed by go-yaml');
  assert.deepEqual(toValue(r.root!), { version: 3 });
});

void test('non-string keys become their text', () => {
  assert.deepEqual(toValue(parseYaml('1: one\ntrue: t\n1.5: f\n').root!), { 1: 'one', true: 't', '1.5': 'f' });
});

void test('CRLF, a BOM and non-ASCII text keep exact positions', () => {
  const crlf = problems(read('crlf.yaml'));
  assert.deepEqual(crlf, [{ code: 'yaml/syntax', message: 'yaml: unmarshal errors: line 3: mapping key "port" already defined at line 2', range: [2, 0, 2, 4] }]);
  // libyaml skips a UTF-8 BOM, and so does this parser; the BOM still counts as column 0.
  const bomText = read('bom.yaml');
  const bom = parseYaml(bomText);
  assert.deepEqual(bom.problems, []);
  const version = getProperty(bom.root as ObjectNode, 'version')!;
  assert.deepEqual(new LineIndex(bomText).rangeOf(version.key).start, { line: 0, character: 1 });
  const port = getProperty(bom.root as ObjectNode, 'port')!;
  const { problems: decodeProblems } = decodeService(bom.root);
  assert.equal(decodeProblems.length, 1);
  assert.deepEqual(new LineIndex(bomText).rangeOf(decodeProblems[0]!.span), new LineIndex(bomText).rangeOf(port.value));
  const non = problems(read('non-ascii.yaml'));
  assert.deepEqual(non.map((p) => p.range), [[2, 0, 2, 4]]);
  const nonRoot = parseYaml('name: "Zürich 😀"\nport: x\n').root as ObjectNode;
  assert.deepEqual(new LineIndex('name: "Zürich 😀"\nport: x\n').rangeOf(getProperty(nonRoot, 'name')!.value).end, { line: 0, character: 17 }, 'the emoji counts 2 UTF-16 units');
});

void test('parseConfig dispatches by format, and the decode fixture in YAML decodes weakly too', () => {
  const text = readFileSync(join(__dirname, '..', 'fixtures', 'decode', 'weak-accepted.yaml'), 'utf8');
  const parsed = parseConfig(text, 'yaml');
  assert.deepEqual(parsed.problems, []);
  const { model, problems: p } = decodeService(parsed.root);
  assert.deepEqual(p, []);
  assert.equal(model.version?.value, 3);
  assert.equal(model.port?.value, 8080);
  assert.equal(model.timeout?.value, 3_000_000_000);
  assert.equal(model.debugEndpoint?.value, true);
  assert.equal(model.endpoints[0]!.backends[0]!.urlPattern?.value, '/b');
  assert.equal(parseConfig('{"a": 1,}', 'json').problems[0]!.code, 'json/syntax');
  assert.deepEqual(parseConfig('a: 1', 'yaml').problems, []);
});

void test('nesting deeper than our YAML reader can follow (go-yaml reads it) is internal/error, not a made-up syntax error', () => {
  const text = `version: 3\nx: ${'['.repeat(2000)}${']'.repeat(2000)}\n`;
  const { root, problems } = parseYaml(text);
  assert.equal(root, undefined);
  assert.deepEqual(problems.map((p) => p.code), ['internal/error']);
  assert.match(problems[0]!.message, /cannot follow nesting deeper than 500 levels \(go-yaml reads up to 10,000 levels\)/);
  assert.doesNotMatch(problems[0]!.message, /call stack/);
  // On the first collection past the limit: the top mapping is level 1, so the 500th `[` is level 501.
  assert.deepEqual(problems[0]!.span, { offset: 'version: 3\nx: '.length + MAX_YAML_DEPTH - 1, length: 1 });
});

void test('the nesting limit is measured, not found by running out of stack: the same text always gives the same answer', () => {
  // Near 900 levels the yaml package's recursion used to pass or overflow depending on how far
  // the JIT had optimised it, so one text could check clean once and fail the next time.
  for (const depth of [MAX_YAML_DEPTH - 1, MAX_YAML_DEPTH, 800, 950, 1300]) {
    const block = `${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')}\n${' '.repeat(depth)}v\n`;
    const flow = `a: ${'['.repeat(depth)}1${']'.repeat(depth)}\n`;
    for (const text of [block, flow]) {
      const levels = text === block ? depth : depth + 1;
      const first = parseYaml(text).problems.map((p) => p.code);
      for (let i = 0; i < 5; i++) assert.deepEqual(parseYaml(text).problems.map((p) => p.code), first, `depth ${depth}, run ${i}`);
      assert.deepEqual(first, levels > MAX_YAML_DEPTH ? ['internal/error'] : [], `${levels} levels`);
    }
  }
});

void test('only the first document is composed, so a deep second document does not matter (yaml.Unmarshal reads one)', () => {
  const { root, problems } = parseYaml(`version: 3\n---\n${'['.repeat(5000)}${']'.repeat(5000)}\n`);
  assert.deepEqual(problems, []);
  assert.equal(root?.kind, 'object');
});

void test('aliases of aliases nest deeper than the text: relocating them does not recurse', () => {
  // Each anchor holds 400 levels around an alias of the one before: 20 × 400 levels once expanded.
  const lines = ['version: 3', `l0: &l0 ${'['.repeat(400)}1${']'.repeat(400)}`];
  for (let i = 1; i < 20; i++) lines.push(`l${i}: &l${i} ${'['.repeat(400)}*l${i - 1}${']'.repeat(400)}`);
  const { root, problems } = parseYaml(`${lines.join('\n')}\n`);
  assert.deepEqual(problems, []);
  let depth = 0;
  let node = root?.kind === 'object' ? root.properties[root.properties.length - 1]!.value : undefined;
  while (node?.kind === 'array') {
    depth++;
    node = node.items[0];
  }
  assert.equal(depth, 20 * 400);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getProperty, toValue } from '../../server/src/core/ast';
import type { ObjectNode, ValueNode } from '../../server/src/core/ast';
import { parseJson, quoteChar } from '../../server/src/core/parseJson';
import { LineIndex } from '../../server/src/core/positions';
import type { Problem } from '../../server/src/core/types';

const fixtures = join(__dirname, '..', 'fixtures', 'parse');
const read = (name: string): string => readFileSync(join(fixtures, name), 'utf8');

interface Expected {
  code: string;
  message: string;
  /** [line, character, endLine, endCharacter] */
  range: [number, number, number, number];
}

function only(text: string): Problem {
  const r = parseJson(text);
  assert.equal(r.problems.length, 1, `one problem expected, got ${JSON.stringify(r.problems)}`);
  return r.problems[0]!;
}

function assertProblem(text: string, expected: Expected): void {
  const p = only(text);
  const idx = new LineIndex(text);
  const r = idx.rangeOf(p.span);
  assert.equal(p.code, expected.code);
  assert.equal(p.message, expected.message);
  assert.deepEqual([r.start.line, r.start.character, r.end.line, r.end.character], expected.range);
}

function assertFixture(name: string, expected: Expected): void {
  const text = read(name);
  assertProblem(text, expected);
  const r = parseJson(text);
  if (expected.code === 'json/syntax') assert.equal(r.root, undefined, 'no tree on a syntax error');
}

const syntax = (message: string, line: number, ch: number, len = 1): Expected => ({
  code: 'json/syntax',
  message,
  range: [line, ch, line, ch + len],
});

void test('valid JSON gives a tree with offsets for every node', () => {
  const text = '{\n  "version": 3,\n  "host": ["http://a", "b"],\n  "x": {"y": null, "z": false, "w": -1.5e2}\n}';
  const r = parseJson(text);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(toValue(r.root!), JSON.parse(text));
  const root = r.root as ObjectNode;
  assert.equal(root.offset, 0);
  assert.equal(root.length, text.length);
  const host = getProperty(root, 'host')!;
  assert.equal(text.slice(host.offset, host.offset + host.length), '"host": ["http://a", "b"]');
  assert.equal(text.slice(host.key.offset, host.key.offset + host.key.length), '"host"');
  const arr = host.value;
  assert.equal(arr.kind, 'array');
  if (arr.kind === 'array') {
    const b = arr.items[1]!;
    assert.equal(text.slice(b.offset, b.offset + b.length), '"b"');
  }
  const x = getProperty(root, 'x')!.value as ObjectNode;
  const w = getProperty(x, 'w')!.value;
  assert.equal(w.kind, 'number');
  if (w.kind === 'number') {
    assert.equal(w.raw, '-1.5e2');
    assert.equal(w.value, -150);
  }
});

void test('string escapes decode like Go, lone surrogates become U+FFFD', () => {
  const r = parseJson(String.raw`{"a": "q\"b\\s\/n\nt\tr\rf\fb\bu\u00e9\ud83d\ude00", "lone": "\ud800 \udc00 \ud800\u0041"}`);
  assert.deepEqual(r.problems, []);
  const v = toValue(r.root!) as Record<string, string>;
  assert.equal(v.a, 'q"b\\s/n\nt\tr\rf\fb\bué😀');
  assert.equal(v.lone, '\uFFFD \uFFFD \uFFFDA');
});

void test('fixture lone-surrogate.json is accepted (Go replaces them with U+FFFD)', () => {
  const r = parseJson(read('lone-surrogate.json'));
  assert.deepEqual(r.problems, []);
  assert.equal((toValue(r.root!) as Record<string, string>).name, '\uFFFD and \uFFFD');
});

void test('comments are errors', () => {
  assertFixture('comments.json', syntax("invalid character '/' looking for beginning of object key string", 1, 2));
  assertFixture('block-comment.json', syntax("invalid character '/' looking for beginning of object key string", 1, 16));
  assertProblem('// c\n{}', syntax("invalid character '/' looking for beginning of value", 0, 0));
  assertProblem('{"a": 1 /* x */}', syntax("invalid character '/' after object key:value pair", 0, 8));
});

void test('trailing commas are errors, in objects and arrays', () => {
  assertFixture('trailing-comma-object.json', syntax("invalid character '}' looking for beginning of object key string", 3, 0));
  assertFixture('trailing-comma-array.json', syntax("invalid character ']' looking for beginning of value", 2, 20));
});

void test("single quotes are errors, and Go quotes the quote as '\\''", () => {
  assertFixture('single-quotes.json', syntax("invalid character '\\'' looking for beginning of object key string", 1, 2));
  assertFixture('single-quote-value.json', syntax("invalid character '\\'' looking for beginning of value", 1, 10));
});

void test('NaN and Infinity are errors', () => {
  assertFixture('nan.json', syntax("invalid character 'N' looking for beginning of value", 1, 13));
  assertFixture('infinity.json', syntax("invalid character 'I' looking for beginning of value", 1, 13));
  assertFixture('neg-infinity.json', syntax("invalid character 'I' in numeric literal", 1, 14));
});

void test('an empty or whitespace-only file is unexpected end of input, with an empty range at the end', () => {
  assertFixture('empty.json', { code: 'json/syntax', message: 'unexpected end of JSON input', range: [0, 0, 0, 0] });
  assertFixture('whitespace-only.json', { code: 'json/syntax', message: 'unexpected end of JSON input', range: [2, 0, 2, 0] });
});

void test("a BOM is rejected: Go reads bytes and reports 0xEF as 'ï'", () => {
  assertFixture('bom.json', syntax("invalid character 'ï' looking for beginning of value", 0, 0));
});

void test('leading zeros, bad escapes and control characters in strings', () => {
  assertFixture('leading-zero.json', syntax("invalid character '8' after object key:value pair", 1, 11));
  assertFixture('bad-escape.json', syntax("invalid character 'q' in string escape code", 1, 13));
  assertFixture('bad-unicode-escape.json', syntax("invalid character 'G' in \\u hexadecimal character escape", 1, 15));
  assertFixture('control-char.json', syntax("invalid character '\\t' in string literal", 1, 12));
  assertFixture('newline-in-string.json', { code: 'json/syntax', message: "invalid character '\\n' in string literal", range: [1, 12, 2, 0] });
});

void test('text after the top-level value', () => {
  assertFixture('after-top-level.json', syntax("invalid character '}' after top-level value", 3, 0));
  assertFixture('two-documents.json', syntax("invalid character '{' after top-level value", 1, 0));
});

void test('missing commas and colons, unterminated input', () => {
  assertFixture('missing-comma.json', syntax("invalid character '\"' after object key:value pair", 2, 2));
  assertFixture('missing-colon.json', syntax("invalid character '3' after object key", 1, 12));
  assertFixture('unterminated.json', { code: 'json/syntax', message: 'unexpected end of JSON input', range: [3, 0, 3, 0] });
  // The offending line break runs to the start of the next line.
  assertFixture('unterminated-string.json', { code: 'json/syntax', message: "invalid character '\\n' in string literal", range: [1, 14, 2, 0] });
  assertFixture('truncated-literal.json', syntax("invalid character ' ' in literal true (expecting 'e')", 1, 23));
});

void test('other things JavaScript people write', () => {
  assertFixture('python-literals.json', syntax("invalid character 'T' looking for beginning of value", 1, 20));
  assertFixture('bare-key.json', syntax("invalid character 'v' looking for beginning of object key string", 1, 2));
  assertFixture('plus-number.json', syntax("invalid character '+' looking for beginning of value", 1, 10));
  assertFixture('dot-number.json', syntax("invalid character '.' looking for beginning of value", 1, 7));
  assertFixture('hex-number.json', syntax("invalid character 'x' after object key:value pair", 1, 8));
});

void test('CRLF, CR, tabs and non-ASCII text give the right ranges', () => {
  assertFixture('crlf.json', syntax("invalid character ',' looking for beginning of value", 3, 9));
  assertFixture('cr-only.json', { code: 'json/syntax', message: "invalid character '\\r' in literal true (expecting 'e')", range: [2, 10, 3, 0] });
  assertFixture('tabs.json', syntax("invalid character 'N' looking for beginning of value", 3, 16));
  // 😀 outside a string: Go reports its first UTF-8 byte 0xF0 as 'ð'; the range covers both UTF-16 units.
  assertFixture('non-ascii.json', syntax("invalid character 'ð' looking for beginning of value", 1, 36, 2));
});

void test('a top-level non-object is json/not-object with Go\'s unmarshal message', () => {
  const cases: [string, string, [number, number, number, number]][] = [
    ['top-array.json', 'array', [0, 0, 2, 1]],
    ['top-string.json', 'string', [0, 0, 0, 9]],
    ['top-number.json', 'number', [0, 1, 0, 2]],
    ['top-true.json', 'bool', [0, 0, 0, 4]],
  ];
  for (const [name, goName, range] of cases) {
    assertFixture(name, { code: 'json/not-object', message: `json: cannot unmarshal ${goName} into Go value of type map[string]interface {}`, range });
  }
});

void test('a top-level null is a nil map for Go: no problem and no root', () => {
  const r = parseJson(read('top-null.json'));
  assert.deepEqual(r.problems, []);
  assert.equal(r.root, undefined);
});

void test('duplicate keys: accepted, the last wins, each overridden key is warned about', () => {
  const text = read('duplicate-keys.json');
  const r = parseJson(text);
  const root = r.root as ObjectNode;
  assert.equal((getProperty(root, 'port')!.value as { value: number }).value, 7070);
  assert.deepEqual((toValue(root) as { extra_config: unknown }).extra_config, { x: 3 });
  const idx = new LineIndex(text);
  const got = r.problems.map((p) => {
    const rg = idx.rangeOf(p.span);
    return [p.code, rg.start.line, rg.start.character, rg.end.character, p.message];
  });
  got.sort((a, b) => (a[1] as number) - (b[1] as number) || (a[2] as number) - (b[2] as number));
  assert.deepEqual(got, [
    ['json/duplicate-key', 2, 2, 8, 'duplicate key "port": KrakenD uses the last one (line 9)'],
    ['json/duplicate-key', 4, 2, 8, 'duplicate key "port": KrakenD uses the last one (line 9)'],
    ['json/duplicate-key', 5, 2, 8, 'duplicate key "name": KrakenD uses the last one (line 8)'],
    ['json/duplicate-key', 6, 19, 22, 'duplicate key "x": KrakenD uses the last one (line 7)'],
    ['json/duplicate-key', 6, 27, 30, 'duplicate key "x": KrakenD uses the last one (line 7)'],
  ]);
  for (const p of r.problems) assert.equal(p.severity, undefined, 'the registry default (warning) applies');
});

void test('duplicate keys in a large object (the Map path) are found too', () => {
  const keys = Array.from({ length: 20 }, (_, i) => `"k${i}": ${i}`);
  const text = `{${keys.join(',')}, "k3": 99}`;
  const r = parseJson(text);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]!.code, 'json/duplicate-key');
  assert.equal(text.slice(r.problems[0]!.span.offset, r.problems[0]!.span.offset + 4), '"k3"');
  assert.equal((toValue(r.root!) as Record<string, number>).k3, 99);
});

void test('a number too large for float64 is Go\'s decode error (only when the syntax is valid)', () => {
  assertFixture('overflow.json', { code: 'json/syntax', message: 'json: cannot unmarshal number 1e400 into Go value of type float64', range: [1, 7, 1, 12] });
  assertProblem('{"x": 1e400, }', syntax("invalid character '}' looking for beginning of object key string", 0, 13));
});

void test('Go\'s nesting limit is 10,000 levels and is reached without a stack overflow', () => {
  const ok = parseJson(`{"a":${'['.repeat(9999)}${']'.repeat(9999)}}`);
  assert.deepEqual(ok.problems, []);
  const deep = `{"a":${'['.repeat(10000)}${']'.repeat(10000)}}`;
  assertProblem(deep, syntax("invalid character '[' exceeded max depth", 0, 10004));
});

// Messages read from Go's src/encoding/json/scanner.go (states, `error`, `quoteChar`, `eof`) and
// decode.go (UnmarshalTypeError). At end of input Go steps its state with one extra ' ', so a
// truncated number or literal reports "invalid character ' '" rather than "unexpected end".
const GO_MESSAGES: [string, string][] = [
  ['', 'unexpected end of JSON input'],
  ['{', 'unexpected end of JSON input'],
  ['{"a"', 'unexpected end of JSON input'],
  ['{"a":', 'unexpected end of JSON input'],
  ['{"a":1', 'unexpected end of JSON input'],
  ['{"a":"x', 'unexpected end of JSON input'],
  ['[', 'unexpected end of JSON input'],
  ['{"a":-', "invalid character ' ' in numeric literal"],
  ['{"a":1.', "invalid character ' ' after decimal point in numeric literal"],
  ['{"a":1e', "invalid character ' ' in exponent of numeric literal"],
  ['{"a":1e-', "invalid character ' ' in exponent of numeric literal"],
  ['{"a":"\\', "invalid character ' ' in string escape code"],
  ['{"a":"\\u00', "invalid character ' ' in \\u hexadecimal character escape"],
  ['{"a":t', "invalid character ' ' in literal true (expecting 'r')"],
  ['{"a":fals', "invalid character ' ' in literal false (expecting 'e')"],
  ['{"a":nu', "invalid character ' ' in literal null (expecting 'l')"],
  ['{"a":-x}', "invalid character 'x' in numeric literal"],
  ['{"a":1.x}', "invalid character 'x' after decimal point in numeric literal"],
  ['{"a":1ex}', "invalid character 'x' in exponent of numeric literal"],
  ['{"a":1e+x}', "invalid character 'x' in exponent of numeric literal"],
  ['{"a":1.5.2}', "invalid character '.' after object key:value pair"],
  ['{"a":trUe}', "invalid character 'U' in literal true (expecting 'u')"],
  ['{"a":fAlse}', "invalid character 'A' in literal false (expecting 'a')"],
  ['{"a":faLse}', "invalid character 'L' in literal false (expecting 'l')"],
  ['{"a":falSe}', "invalid character 'S' in literal false (expecting 's')"],
  ['{"a":nil}', "invalid character 'i' in literal null (expecting 'u')"],
  ['{"a":nulL}', "invalid character 'L' in literal null (expecting 'l')"],
  ['{"a":undefined}', "invalid character 'u' looking for beginning of value"],
  ['{"a":1]', "invalid character ']' after object key:value pair"],
  ['[1}', "invalid character '}' after array element"],
  ['[1 2]', "invalid character '2' after array element"],
  ['{"a":1}}', "invalid character '}' after top-level value"],
  ['{,}', "invalid character ',' looking for beginning of object key string"],
  ['{"a"::1}', "invalid character ':' looking for beginning of value"],
  ['{"a":"\\x"}', "invalid character 'x' in string escape code"],
  ['{"a":"\\\'"}', "invalid character '\\'' in string escape code"],
  ['{"a":"\u0001"}', "invalid character '\\x01' in string literal"],
  ['{"a":"\u001f"}', "invalid character '\\x1f' in string literal"],
  ['{"a":"\r"}', "invalid character '\\r' in string literal"],
  ['{"a":\\}', "invalid character '\\\\' looking for beginning of value"],
  ['{"a":\u007f}', "invalid character '\\x7f' looking for beginning of value"],
  ['{"a":\u00a0}', "invalid character 'Â' looking for beginning of value"],
  ['{"a":é}', "invalid character 'Ã' looking for beginning of value"],
  ['{"a":€}', "invalid character 'â' looking for beginning of value"],
  ['{"a":\u2028}', "invalid character 'â' looking for beginning of value"],
  ['{"a":1}\u00a0', "invalid character 'Â' after top-level value"],
  ['{"a":1}\f', "invalid character '\\f' after top-level value"],
  ['\v{}', "invalid character '\\v' looking for beginning of value"],
  ['\u0000', "invalid character '\\x00' looking for beginning of value"],
  ['\u0007', "invalid character '\\a' looking for beginning of value"],
  ['\b', "invalid character '\\b' looking for beginning of value"],
  ['"a"', 'json: cannot unmarshal string into Go value of type map[string]interface {}'],
  ['-0.5e+3', 'json: cannot unmarshal number into Go value of type map[string]interface {}'],
  ['false', 'json: cannot unmarshal bool into Go value of type map[string]interface {}'],
  ['[]', 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
];

void test('Go\'s exact messages (table verified against encoding/json\'s source)', () => {
  for (const [input, message] of GO_MESSAGES) {
    const r = parseJson(input);
    assert.equal(r.problems.length, 1, JSON.stringify(input));
    assert.equal(r.problems[0]!.message, message, JSON.stringify(input));
  }
});

void test('quoteChar matches strconv.Quote for the bytes Go can report', () => {
  assert.equal(quoteChar(0x27), "'\\''");
  assert.equal(quoteChar(0x22), "'\"'");
  assert.equal(quoteChar(0x41), "'A'");
  assert.equal(quoteChar(0x80), "'\\u0080'");
  assert.equal(quoteChar(0x9f), "'\\u009f'");
  assert.equal(quoteChar(0xa0), "'\\u00a0'");
  assert.equal(quoteChar(0xad), "'\\u00ad'");
  assert.equal(quoteChar(0xef), "'ï'");
  assert.equal(quoteChar(0xff), "'ÿ'");
  assert.equal(quoteChar(0x0b), "'\\v'");
  assert.equal(quoteChar(0x1b), "'\\x1b'");
});

void test('every node lies inside its parent and covers its own text', () => {
  const text = read('non-ascii-valid.json');
  const r = parseJson(text);
  assert.deepEqual(r.problems, []);
  const walk = (n: ValueNode, lo: number, hi: number): void => {
    assert.ok(n.offset >= lo && n.offset + n.length <= hi, `${n.kind} at ${n.offset}`);
    if (n.kind === 'object') for (const p of n.properties) walk(p.value, p.offset, p.offset + p.length);
    if (n.kind === 'array') for (const i of n.items) walk(i, n.offset, n.offset + n.length);
    if (n.kind === 'string') assert.equal(JSON.parse(text.slice(n.offset, n.offset + n.length)), n.value);
  };
  walk(r.root!, 0, text.length);
});

void test('JSON.parse may stand in for the tree\'s plain value, except after a \\u escape of half a surrogate pair', () => {
  // The schema lint asks JSON.parse for the document's value when the parser says it is the
  // same as toValue(root): duplicate keys (the last wins, at the first one's place), __proto__
  // as an ordinary key, -0, escapes, valid pairs written as escapes.
  const text = '{"a": 1, "__proto__": {"x": [1, -0, 1e-400]}, "s": "\\ud83d\\ude00\\u00e9\\/\\n", "a": 2, "10": {}, "2": null}';
  const r = parseJson(text);
  assert.equal(r.plainIsJsonParse, true);
  const native = JSON.parse(text) as Record<string, unknown>;
  assert.deepStrictEqual(native, toValue(r.root!));
  assert.deepEqual(Object.keys(native), Object.keys(toValue(r.root!) as object));
  assert.ok(Object.prototype.hasOwnProperty.call(toValue(r.root!), '__proto__'));
  // Go turns the lone half into U+FFFD; JSON.parse keeps it: the tree's value must be used.
  for (const lossy of ['{"a": "\\ud800"}', '{"\\udc00": 1}', '{"a": "\\ud83d\\u0041"}']) {
    const p = parseJson(lossy);
    assert.equal(p.plainIsJsonParse, false, lossy);
    assert.notDeepStrictEqual(JSON.parse(lossy), toValue(p.root!), lossy);
  }
  // Every JSON fixture with a tree agrees with JSON.parse when the parser says so.
  let compared = 0;
  for (const sub of ['parse', 'rules', 'decode', 'realistic', 'schema/valid', 'schema/invalid', 'fuzz']) {
    const dir = join(__dirname, '..', 'fixtures', sub);
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const t = readFileSync(join(dir, name), 'utf8');
      const p = parseJson(t);
      if (!p.root || !p.plainIsJsonParse) continue;
      compared++;
      assert.deepStrictEqual(JSON.parse(t), toValue(p.root), `${sub}/${name}`);
    }
  }
  assert.ok(compared > 50, `${compared} fixtures compared`);
});

// The KrakenD Template grammar (syntaxes/), tokenised as VS Code does it (vscode-textmate over
// Oniguruma): Go template actions win everywhere inside JSON, and the JSON around them keeps
// the scopes of VS Code's JSON grammar.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IGrammar } from 'vscode-textmate';
import { REPO_ROOT } from './support/schemas';
import { TokenType, loadGrammar, tokenize } from './support/textmate';
import type { Token } from './support/textmate';

const SCOPE = 'source.json.krakend-template';
const fixtures = join(REPO_ROOT, 'test', 'fixtures', 'grammar');
const fixture = (name: string): string => readFileSync(join(fixtures, name), 'utf8');

let grammar: IGrammar;
before(async () => {
  grammar = await loadGrammar(SCOPE);
});

/**
 * The tokens that make up the `nth` occurrence of `needle` on `line` that starts and ends on
 * token boundaries: `$e` never passes as part of a larger token such as `$e.name`, and `end`
 * inside `.endpoints` is not counted.
 */
function tokensOf(tokens: readonly Token[], line: number, needle: string, nth = 1): Token[] {
  const onLine = tokens.filter((t) => t.line === line);
  const text = onLine.map((t) => t.text).join('');
  const base = onLine[0]?.start ?? 0;
  let seen = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const from = base + at;
    const to = from + needle.length;
    const covering = onLine.filter((t) => t.end > from && t.start < to);
    if (covering[0]?.start === from && covering.at(-1)?.end === to && ++seen === nth) return covering;
  }
  const show = onLine.map((t) => `${JSON.stringify(t.text)} ${t.scopes.slice(1).join(' ')}`).join('\n  ');
  assert.fail(`line ${line} has ${seen} whole-token occurrence(s) of ${JSON.stringify(needle)}, not ${nth}:\n  ${show}`);
}

/** Asserts every token of the needle carries `scope` (one whole scope name, not a prefix). */
function expectScope(tokens: readonly Token[], line: number, needle: string, scope: string, nth = 1): void {
  for (const t of tokensOf(tokens, line, needle, nth)) {
    assert.ok(t.scopes.includes(scope), `${JSON.stringify(needle)} (${JSON.stringify(t.text)}) on line ${line}: expected ${scope}, got ${t.scopes.join(' ')}`);
  }
}

function expectNoScope(tokens: readonly Token[], line: number, needle: string, scope: string, nth = 1): void {
  for (const t of tokensOf(tokens, line, needle, nth)) {
    assert.ok(!t.scopes.includes(scope), `${JSON.stringify(needle)} on line ${line} must not be ${scope}: ${t.scopes.join(' ')}`);
  }
}

function expectType(tokens: readonly Token[], line: number, needle: string, type: number, nth = 1): void {
  for (const t of tokensOf(tokens, line, needle, nth)) assert.equal(t.type, type, `${JSON.stringify(needle)} on line ${line}: token type`);
}

const ACTION = 'meta.embedded.line.go-template';
const BEGIN = 'punctuation.section.embedded.begin.go-template';
const END = 'punctuation.section.embedded.end.go-template';
const TRIM = 'keyword.operator.trim.go-template';
const KEYWORD = 'keyword.control.go-template';
const FUNCTION = 'support.function.builtin.go-template';
const VARIABLE = 'variable.other.go-template';
const FIELD = 'variable.other.member.go-template';
const GO_STRING = 'string.quoted.double.go-template';
const COMMENT = 'comment.block.go-template';
const KEY = 'support.type.property-name.json';
const JSON_STRING = 'string.quoted.double.json';
const JSON_COMMA = 'punctuation.separator.comma.json';

void describe('a Flexible Configuration template (krakend.tmpl)', () => {
  let t: Token[];
  before(() => {
    t = tokenize(grammar, fixture('krakend.tmpl'));
  });

  void test('plain JSON lines keep the JSON scopes and are not inside an action', () => {
    expectScope(t, 1, '{', 'punctuation.definition.dictionary.begin.json');
    expectScope(t, 2, '$schema', KEY);
    expectNoScope(t, 2, '$schema', VARIABLE);
    expectScope(t, 2, 'https://www.krakend.io/schema/v2.13/krakend.json', JSON_STRING);
    expectScope(t, 2, ':', 'punctuation.separator.dictionary.key-value.json');
    expectScope(t, 3, '3', 'constant.numeric.json');
    expectScope(t, 26, 'true', 'constant.language.json');
    expectScope(t, 26, 'null', 'constant.language.json');
    expectScope(t, 26, '-1.5e3', 'constant.numeric.json');
    expectScope(t, 27, '}', 'punctuation.definition.dictionary.end.json');
    for (const line of [1, 2, 3, 9, 11, 15, 17, 26, 27]) {
      for (const token of t.filter((x) => x.line === line)) assert.ok(!token.scopes.includes(ACTION), `line ${line} ${JSON.stringify(token.text)} leaked into an action`);
    }
  });

  void test('a comment action is one comment', () => {
    expectScope(t, 4, '{{/* service-wide settings come from settings/service.json */}}', COMMENT);
    expectType(t, 4, '{{/* service-wide settings come from settings/service.json */}}', TokenType.comment);
    expectScope(t, 20, '{{- /* a trimmed comment */ -}}', COMMENT);
  });

  void test('actions inside a JSON string win over the string and give it back afterwards', () => {
    expectScope(t, 5, '"', 'punctuation.definition.string.begin.json', 3);
    expectScope(t, 5, '{{', BEGIN);
    expectScope(t, 5, '{{', JSON_STRING);
    expectType(t, 5, '{{', TokenType.other);
    expectScope(t, 5, '.service', FIELD);
    expectScope(t, 5, '.name', FIELD);
    expectScope(t, 5, '}}', END);
    expectScope(t, 5, ' on ', JSON_STRING);
    expectNoScope(t, 5, ' on ', ACTION);
    expectType(t, 5, ' on ', TokenType.string);
    expectScope(t, 5, 'env', FUNCTION);
    expectScope(t, 5, '"HOSTNAME"', GO_STRING);
    expectType(t, 5, 'HOSTNAME', TokenType.string);
    expectScope(t, 5, '|', 'keyword.operator.pipe.go-template');
    expectScope(t, 5, 'default', FUNCTION);
    expectScope(t, 5, '"local"', GO_STRING);
    expectScope(t, 5, '"', 'punctuation.definition.string.end.json', 8);
    expectScope(t, 5, ',', JSON_COMMA);
    // Quotes of a Go string inside the action do not close the JSON string.
    expectScope(t, 7, 'printf', FUNCTION);
    expectScope(t, 7, '"%ds"', GO_STRING);
    expectScope(t, 7, '.timeout', FIELD);
    expectScope(t, 7, '"', 'punctuation.definition.string.end.json', 6);
    expectScope(t, 12, '/v1/', JSON_STRING);
    expectScope(t, 12, '$e', VARIABLE);
    expectScope(t, 12, '.name', FIELD);
    expectScope(t, 12, '/{id}', JSON_STRING);
    expectNoScope(t, 12, '/{id}', ACTION);
  });

  void test('actions as values and in object position, with JSON punctuation around them', () => {
    expectScope(t, 6, '{{ .service.port }}', ACTION);
    expectScope(t, 6, ',', JSON_COMMA);
    expectScope(t, 8, 'include', FUNCTION);
    expectScope(t, 8, '"extra_config.json"', GO_STRING);
    expectScope(t, 8, ',', JSON_COMMA);
    for (const token of t.filter((x) => x.line === 8)) assert.ok(!token.scopes.some((s) => s.startsWith('invalid')), `line 8 ${JSON.stringify(token.text)} is marked invalid`);
    expectScope(t, 13, 'marshal', FUNCTION);
    expectScope(t, 13, '(', 'punctuation.section.parens.begin.go-template');
    expectScope(t, 13, '"GET"', GO_STRING);
    expectScope(t, 13, '$e', VARIABLE);
    expectScope(t, 13, '.method', FIELD);
    expectScope(t, 13, ')', 'punctuation.section.parens.end.go-template');
    expectScope(t, 14, 'host', KEY);
    expectScope(t, 14, '.urls', FIELD);
    expectScope(t, 14, 'url_pattern', KEY);
    expectScope(t, 14, 'lower', FUNCTION);
    expectScope(t, 14, ']', 'punctuation.definition.array.end.json');
    expectScope(t, 24, '0x1F', 'constant.numeric.go-template');
    expectScope(t, 21, '3600', 'constant.numeric.go-template');
    expectScope(t, 21, ',', JSON_COMMA);
  });

  void test('range with two variables, and if/end around a comma between actions', () => {
    expectScope(t, 10, 'range', KEYWORD);
    expectScope(t, 10, '$i', VARIABLE);
    expectScope(t, 10, ',', 'punctuation.separator.comma.go-template');
    expectScope(t, 10, '$e', VARIABLE);
    expectScope(t, 10, ':=', 'keyword.operator.assignment.go-template');
    expectScope(t, 10, '.endpoints', FIELD);
    expectScope(t, 10, '.list', FIELD);
    expectScope(t, 10, 'if', KEYWORD);
    expectScope(t, 10, '$i', VARIABLE, 2);
    expectScope(t, 10, ',', JSON_COMMA, 2);
    expectNoScope(t, 10, ',', ACTION, 2);
    expectScope(t, 10, 'end', KEYWORD);
    expectScope(t, 22, 'continue', KEYWORD);
    expectScope(t, 22, 'eq', FUNCTION);
    expectScope(t, 22, '"x-skip"', GO_STRING);
    expectScope(t, 22, '$h', VARIABLE, 3);
    expectScope(t, 22, '$h', JSON_STRING, 3);
    expectScope(t, 22, '"x-end"', JSON_STRING);
  });

  void test('trim markers, and an action inside a key', () => {
    expectScope(t, 16, '{{', BEGIN);
    expectScope(t, 16, '-', TRIM);
    expectScope(t, 16, 'end', KEYWORD);
    expectScope(t, 18, '"', 'punctuation.support.type.property-name.begin.json');
    expectScope(t, 18, '{{ .service.key }}', KEY);
    expectScope(t, 18, '.key', FIELD);
    expectScope(t, 18, '"', 'punctuation.support.type.property-name.end.json', 2);
    expectScope(t, 18, 'template', KEYWORD);
    expectScope(t, 18, '"extra.tmpl"', 'entity.name.function.template.go-template');
    expectScope(t, 18, '.', 'variable.language.dot.go-template');
    expectScope(t, 19, 'and', FUNCTION);
    expectScope(t, 19, 'ne', FUNCTION);
    expectScope(t, 19, '-', TRIM, 1);
    expectScope(t, 19, 'true', 'constant.language.json');
    expectNoScope(t, 19, 'true', ACTION);
    expectScope(t, 19, 'else', KEYWORD);
    expectScope(t, 19, 'false', 'constant.language.json');
    expectScope(t, 19, 'end', KEYWORD);
  });

  void test('a raw string holds quotes and braces, and an indexed field chains after parentheses', () => {
    expectScope(t, 23, '`a "raw" {{ string`', 'string.quoted.raw.go-template');
    expectScope(t, 23, '}}', END);
    expectScope(t, 25, 'index', FUNCTION);
    expectScope(t, 25, '.', 'variable.language.dot.go-template');
    expectScope(t, 25, '"my-urls"', GO_STRING);
    expectScope(t, 25, '.github', FIELD);
    expectScope(t, 25, 'quote', FUNCTION);
  });
});

void test('a partial that is a fragment still has keys, strings and actions', () => {
  const t = tokenize(grammar, fixture('fragment.json'));
  expectScope(t, 1, 'qos/ratelimit/router', KEY);
  expectScope(t, 2, 'max_rate', KEY);
  expectScope(t, 2, '.rate', FIELD);
  expectScope(t, 3, 'strategy', KEY);
  expectScope(t, 3, '.strategy', FIELD);
  expectScope(t, 5, 'key', KEY);
  expectScope(t, 5, 'value', JSON_STRING);
  expectNoScope(t, 5, 'value', KEY);
});

void test('if/else branches with unbalanced braces do not shift the rest of the file', () => {
  const t = tokenize(grammar, fixture('unbalanced.tmpl'));
  expectScope(t, 1, 'define', KEYWORD);
  expectScope(t, 1, '"backend.tmpl"', 'entity.name.function.template.go-template');
  expectScope(t, 2, 'else', KEYWORD);
  expectScope(t, 2, '3', 'constant.numeric.json');
  const after = tokensOf(t, 3, '"after"');
  for (const token of after) assert.deepEqual(token.scopes.filter((s) => !s.startsWith('punctuation')), [SCOPE, 'string.json', KEY]);
  expectScope(t, 3, 'still a key', JSON_STRING);
  expectScope(t, 4, 'end', KEYWORD);
});

void test("every function KrakenD registers (Go's builtins, sprig's generic set, marshal, include) is a known function", () => {
  const names = fixture('functions.txt').split('\n').filter((n) => n !== '');
  assert.ok(names.length > 200 && names.includes('marshal') && names.includes('include') && names.includes('env'));
  const t = tokenize(grammar, names.map((n) => `{{ ${n} }}`).join('\n'));
  names.forEach((name, i) => expectScope(t, i + 1, name, FUNCTION));
});

void test('Go lexing details: fields and variables are not functions, trim needs a space, braces after an action are JSON', () => {
  const t = tokenize(grammar, ['{{ frobnicate .marshal $include }}', '{{-3}} {{ 3 -}}', '{"a": {{ .a }}}', '{{ nil }} {{ true }} {{ \'x\' }} {{ "a\\tb" }}', '{{ 1.5e3 }} {{ -2 }} {{ .5 }} {{ 0b101 }}'].join('\n'));
  expectScope(t, 1, 'frobnicate', 'variable.function.go-template');
  expectScope(t, 1, '.marshal', FIELD);
  expectNoScope(t, 1, '.marshal', FUNCTION);
  expectScope(t, 1, '$include', VARIABLE);
  expectScope(t, 2, '-3', 'constant.numeric.go-template');
  expectNoScope(t, 2, '-3', TRIM);
  expectScope(t, 2, '-', TRIM);
  expectScope(t, 3, '}}', END);
  expectScope(t, 3, '}', 'punctuation.definition.dictionary.end.json');
  expectScope(t, 4, 'nil', 'constant.language.nil.go-template');
  expectScope(t, 4, 'true', 'constant.language.boolean.go-template');
  expectScope(t, 4, "'x'", 'constant.character.go-template');
  expectScope(t, 4, '\\t', 'constant.character.escape.go-template');
  for (const n of ['1.5e3', '-2', '.5', '0b101']) expectScope(t, 5, n, 'constant.numeric.go-template');
});

void test('a comment may span lines, and an action may too', () => {
  const t = tokenize(grammar, ['{{/* one', 'two */}} "k": {{ if', '  .a }}1{{ end }}'].join('\n'));
  expectScope(t, 1, '{{/* one', COMMENT);
  expectScope(t, 2, 'two */}}', COMMENT);
  expectScope(t, 2, 'k', KEY);
  expectScope(t, 3, '.a', FIELD);
  expectScope(t, 3, '1', 'constant.numeric.json');
});

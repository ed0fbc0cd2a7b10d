// needs: code-server
// The KrakenD Template (YAML) grammar injects Go template actions into VS Code's own YAML grammar,
// so the test tokenises with the YAML grammar the installed code-server ships (VS Code 1.100).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IGrammar } from 'vscode-textmate';
import { requireComponent } from '../support/env';
import { REPO_ROOT } from './support/schemas';
import { TokenType, loadGrammar, tokenize } from './support/textmate';
import type { Token } from './support/textmate';

let grammar: IGrammar;
before(async () => {
  const yamlExtension = join(requireComponent('code-server').dir, 'node_modules', 'code-server', 'lib', 'vscode', 'extensions', 'yaml');
  const manifest = JSON.parse(readFileSync(join(yamlExtension, 'package.json'), 'utf8')) as { contributes: { grammars: { scopeName: string; path: string }[] } };
  const yamlGrammars = Object.fromEntries(manifest.contributes.grammars.map((g) => [g.scopeName, join(yamlExtension, g.path)]));
  grammar = await loadGrammar('source.yaml.krakend-template', yamlGrammars);
});

/** The scopes (without the root) of the one token that is exactly `needle`, its `nth` time on `line`. */
function token(tokens: readonly Token[], line: number, needle: string, nth = 1): Token {
  const found = tokens.filter((t) => t.line === line && t.text === needle)[nth - 1];
  assert.ok(found, `line ${line}: no token ${JSON.stringify(needle)} (#${nth}) in ${JSON.stringify(tokens.filter((t) => t.line === line).map((t) => t.text))}`);
  return found;
}

function expectScope(tokens: readonly Token[], line: number, needle: string, scope: string, nth = 1): void {
  const t = token(tokens, line, needle, nth);
  assert.ok(t.scopes.includes(scope), `${JSON.stringify(needle)} on line ${line}: expected ${scope}, got ${t.scopes.join(' ')}`);
}

test('actions win in YAML values, quoted and plain scalars, comments and between entries; YAML keeps its scopes', () => {
  const t = tokenize(grammar, readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'grammar', 'krakend-template.yaml'), 'utf8'));
  expectScope(t, 1, 'version', 'entity.name.tag.yaml');
  expectScope(t, 2, '{{', 'punctuation.section.embedded.begin.go-template');
  expectScope(t, 2, '{{', 'string.quoted.double.yaml');
  assert.equal(token(t, 2, '{{').type, TokenType.other);
  expectScope(t, 2, ' gateway', 'string.quoted.double.yaml');
  expectScope(t, 3, '.port', 'variable.other.member.go-template');
  expectScope(t, 4, 'default', 'support.function.builtin.go-template');
  expectScope(t, 4, '3s', 'string.quoted.double.go-template');
  // Inside a plain scalar the action ends at `}}` and the scalar goes on.
  expectScope(t, 5, '.host', 'variable.other.member.go-template');
  expectScope(t, 5, ':8080/path', 'string.unquoted.plain.out.yaml');
  assert.ok(!token(t, 5, ':8080/path').scopes.includes('meta.embedded.line.go-template'));
  // The template runs before YAML is parsed, so an action in a YAML comment still runs.
  expectScope(t, 6, '.x', 'variable.other.member.go-template');
  expectScope(t, 7, ' a template comment ', 'comment.block.go-template');
  expectScope(t, 9, 'range', 'keyword.control.go-template');
  expectScope(t, 9, '-', 'keyword.operator.trim.go-template');
  expectScope(t, 10, 'endpoint', 'entity.name.tag.yaml');
  expectScope(t, 10, '$e', 'variable.other.go-template');
  expectScope(t, 13, 'lower', 'support.function.builtin.go-template');
  expectScope(t, 14, '.urls', 'variable.other.member.go-template');
  expectScope(t, 15, 'end', 'keyword.control.go-template');
  expectScope(t, 16, 'include', 'support.function.builtin.go-template');
  expectScope(t, 17, 'extra_config', 'entity.name.tag.yaml');
  for (const line of [1, 8, 11, 17]) {
    for (const x of t.filter((y) => y.line === line)) assert.ok(!x.scopes.includes('meta.embedded.line.go-template'), `line ${line} ${JSON.stringify(x.text)} leaked into an action`);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATE_LANGUAGE, TemplateLanguageChooser, YAML_TEMPLATE_LANGUAGE, hasActionOutsideJsonString } from '../../client/src/templateLanguageChoice';
import { REPO_ROOT } from './support/schemas';

test('actions outside strings make a template; actions only inside strings leave valid JSON', () => {
  const template = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'grammar', 'krakend.tmpl'), 'utf8');
  assert.equal(hasActionOutsideJsonString(template), true);
  const cases: [string, boolean][] = [
    ['{ "version": 3 }', false],
    ['{ "host": ["{{ .urls.users }}"] }', false],
    ['{ "a": "{{ printf "%s" .x }}", "b": 1 }', false],
    ['{ "a": "\\"{{ .x }}\\"" }', false],
    ['{ "path": "/users/{id}" }', false],
    ['{ "port": {{ .port }} }', true],
    ['{\n  {{ include "extra.json" }}\n}', true],
    ['{{/* a comment */}}\n{ "version": 3 }', true],
    ['{ "a": "{{ printf "%s" .x }}", "b": {{ .b }} }', true],
    // An unclosed string ends at its line, so the next line's action is outside it.
    ['{ "a": "oops\n  "b": {{ .b }} }', true],
    ['{ "a": "{{ unclosed', false],
  ];
  for (const [text, expected] of cases) assert.equal(hasActionOutsideJsonString(text), expected, JSON.stringify(text));
});

const doc = (over: Partial<{ uri: string; languageId: string; isConfigFile: boolean; text: string }> = {}) => {
  const text = over.text ?? '{ "port": {{ .port }} }';
  return { uri: over.uri ?? 'file:///w/krakend.json', languageId: over.languageId ?? 'json', isConfigFile: over.isConfigFile ?? true, text: () => text };
};

test('only config files with actions are switched: JSON ones with an action outside strings, YAML ones with any', () => {
  const chooser = new TemplateLanguageChooser();
  assert.equal(chooser.switchTo(doc({ isConfigFile: false })), undefined, 'not a KrakenD config');
  assert.equal(chooser.switchTo(doc({ languageId: 'plaintext' })), undefined, 'neither JSON nor YAML');
  assert.equal(chooser.switchTo(doc({ languageId: TEMPLATE_LANGUAGE })), undefined, 'already a template');
  assert.equal(chooser.switchTo(doc({ text: '{ "version": 3 }' })), undefined, 'plain JSON');
  assert.equal(chooser.switchTo(doc({ text: '{ "host": "{{ .host }}" }' })), undefined, 'actions only in strings');
  assert.equal(chooser.switchTo(doc({ uri: 'file:///w/a/krakend.json', languageId: 'jsonc' })), TEMPLATE_LANGUAGE, 'jsonc');
  assert.equal(chooser.switchTo(doc({ uri: 'file:///w/krakend.yaml', languageId: 'yaml', text: 'version: 3\n' })), undefined, 'plain YAML');
  assert.equal(chooser.switchTo(doc({ uri: 'file:///w/krakend.yaml', languageId: 'yaml', text: 'host: "{{ .host }}"\n' })), YAML_TEMPLATE_LANGUAGE);
  assert.equal(chooser.switchTo(doc()), TEMPLATE_LANGUAGE);
});

test('a switched document that the user sets back to JSON stays JSON until it is really closed', () => {
  const chooser = new TemplateLanguageChooser();
  assert.equal(chooser.switchTo(doc()), TEMPLATE_LANGUAGE);
  // The switch reopens it as krakend-template; the user then picks JSON again, which reopens it as json.
  assert.equal(chooser.switchTo(doc({ languageId: TEMPLATE_LANGUAGE })), undefined);
  assert.equal(chooser.switchTo(doc({ languageId: 'json' })), undefined, 'the user chose JSON');
  assert.equal(chooser.switchTo(doc({ uri: 'file:///w/other/krakend.json' })), TEMPLATE_LANGUAGE, 'another file is decided on its own');
  chooser.closed('file:///w/krakend.json');
  assert.equal(chooser.switchTo(doc()), TEMPLATE_LANGUAGE, 'reopened later: decided afresh');
});

test('a plain JSON config that gains an action is switched when that is saved', () => {
  const chooser = new TemplateLanguageChooser();
  assert.equal(chooser.switchTo(doc({ text: '{ "version": 3 }' })), undefined);
  assert.equal(chooser.switchTo(doc({ text: '{ "version": 3, {{ include "x.json" }} }' })), TEMPLATE_LANGUAGE);
});

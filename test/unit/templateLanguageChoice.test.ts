import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATE_LANGUAGE, TemplateLanguageChooser, hasActionOutsideJsonString } from '../../client/src/templateLanguageChoice';
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

test('only JSON config files with actions outside strings are switched', () => {
  const chooser = new TemplateLanguageChooser();
  assert.equal(chooser.shouldSwitch(doc({ isConfigFile: false })), false, 'not a KrakenD config');
  assert.equal(chooser.shouldSwitch(doc({ languageId: 'yaml' })), false, 'not JSON');
  assert.equal(chooser.shouldSwitch(doc({ languageId: TEMPLATE_LANGUAGE })), false, 'already a template');
  assert.equal(chooser.shouldSwitch(doc({ text: '{ "version": 3 }' })), false, 'plain JSON');
  assert.equal(chooser.shouldSwitch(doc({ uri: 'file:///w/a/krakend.json', languageId: 'jsonc' })), true, 'jsonc');
  assert.equal(chooser.shouldSwitch(doc()), true);
});

test('a switched document that the user sets back to JSON stays JSON until it is really closed', () => {
  const chooser = new TemplateLanguageChooser();
  assert.equal(chooser.shouldSwitch(doc()), true);
  // The switch reopens it as krakend-template; the user then picks JSON again, which reopens it as json.
  assert.equal(chooser.shouldSwitch(doc({ languageId: TEMPLATE_LANGUAGE })), false);
  assert.equal(chooser.shouldSwitch(doc({ languageId: 'json' })), false, 'the user chose JSON');
  chooser.closed('file:///w/krakend.json');
  assert.equal(chooser.shouldSwitch(doc()), true, 'reopened later: decided afresh');
});

test('a plain JSON config that gains an action is switched when that is saved', () => {
  const chooser = new TemplateLanguageChooser();
  assert.equal(chooser.shouldSwitch(doc({ text: '{ "version": 3 }' })), false);
  assert.equal(chooser.shouldSwitch(doc({ text: '{ "version": 3, {{ include "x.json" }} }' })), true);
});

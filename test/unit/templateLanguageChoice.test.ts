import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_LANGUAGE, TEMPLATE_LANGUAGE, TemplateLanguageChooser, YAML_TEMPLATE_LANGUAGE, hasActionOutsideJsonString } from '../../client/src/templateLanguageChoice';
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

const doc = (over: Partial<{ uri: string; languageId: string; isConfigFile: boolean; isPartial: boolean; text: string }> = {}) => {
  const text = over.text ?? '{ "port": {{ .port }} }';
  return { uri: over.uri ?? 'file:///w/krakend.json', languageId: over.languageId ?? 'json', isConfigFile: over.isConfigFile ?? true, isPartial: over.isPartial ?? false, text: () => text };
};

test('only config files with actions are switched: JSON ones with an action outside strings, YAML ones with any', () => {
  const chooser = new TemplateLanguageChooser();
  assert.equal(chooser.switchTo(doc({ isConfigFile: false })), undefined, 'not a KrakenD config');
  assert.equal(chooser.switchTo(doc({ languageId: 'plaintext' })), undefined, 'neither JSON nor YAML');
  assert.equal(chooser.switchTo(doc({ languageId: TEMPLATE_LANGUAGE })), undefined, 'already a template');
  assert.equal(chooser.switchTo(doc({ languageId: CONFIG_LANGUAGE, text: '{ "version": 3 }' })), undefined, 'plain JSON');
  assert.equal(chooser.switchTo(doc({ uri: 'file:///w/b/krakend.json', languageId: CONFIG_LANGUAGE, text: '{ "host": "{{ .host }}" }' })), undefined, 'actions only in strings');
  assert.equal(chooser.switchTo(doc({ uri: 'file:///w/c/krakend.json', languageId: CONFIG_LANGUAGE })), TEMPLATE_LANGUAGE, 'a krakend*.json with actions');
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
  assert.equal(chooser.switchTo(doc({ languageId: CONFIG_LANGUAGE, text: '{ "version": 3 }' })), undefined);
  assert.equal(chooser.switchTo(doc({ languageId: CONFIG_LANGUAGE, text: '{ "version": 3, {{ include "x.json" }} }' })), TEMPLATE_LANGUAGE);
});

test('configs opened as JSON (other configFiles patterns) move to the KrakenD language, once; the user may set JSON back', () => {
  const chooser = new TemplateLanguageChooser();
  const gateway = { uri: 'file:///w/gateway.json', text: '{ "version": 3 }' };
  assert.equal(chooser.switchTo(doc({ ...gateway, languageId: 'json' })), CONFIG_LANGUAGE);
  assert.equal(chooser.switchTo(doc({ ...gateway, languageId: CONFIG_LANGUAGE })), undefined, 'reopened by the switch');
  assert.equal(chooser.switchTo(doc({ ...gateway, languageId: 'json' })), undefined, 'the user chose JSON');
  chooser.closed(gateway.uri);
  assert.equal(chooser.switchTo(doc({ ...gateway, languageId: 'jsonc' })), CONFIG_LANGUAGE, 'reopened later: decided afresh');
  // krakend*.json opens as the KrakenD language by its name; setting it to JSON is the user's choice.
  assert.equal(chooser.switchTo(doc({ uri: 'file:///w/krakend.json', languageId: CONFIG_LANGUAGE, text: '{}' })), undefined);
  assert.equal(chooser.switchTo(doc({ uri: 'file:///w/krakend.json', languageId: 'json', text: '{}' })), undefined);
});

test('Flexible Configuration partials opened as JSON become templates (fragments are not JSON); other files are left alone', () => {
  const chooser = new TemplateLanguageChooser();
  const fragment = { isConfigFile: false, text: '"encoding": "json"\n' };
  assert.equal(chooser.switchTo(doc({ ...fragment, uri: 'file:///w/partials/backend.json', isPartial: true })), TEMPLATE_LANGUAGE);
  assert.equal(chooser.switchTo(doc({ ...fragment, uri: 'file:///w/partials/backend.json', isPartial: true, languageId: 'json' })), undefined, 'set back by the user');
  assert.equal(chooser.switchTo(doc({ ...fragment, uri: 'file:///w/partials/a.yml', isPartial: true, languageId: 'yaml' })), undefined, 'not JSON');
  assert.equal(chooser.switchTo(doc({ ...fragment, uri: 'file:///w/settings/service.json' })), undefined, 'settings are JSON');
});

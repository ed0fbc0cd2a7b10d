import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SaveReasons } from '../../client/src/gateway/saveReasons';

const CONFIG = 'file:///w/krakend.json';
const PARTIAL = 'file:///w/partials/backend.json';

void test('reloadOn save: a deliberate save of the config applies, an auto-save does not', () => {
  const r = new SaveReasons();
  r.willSave(CONFIG, 'auto');
  assert.equal(r.applies(CONFIG, 'save'), false);
  r.willSave(CONFIG, 'manual');
  assert.equal(r.applies(CONFIG, 'save'), true);
});

void test('reloadOn everySave: auto-saves apply too', () => {
  const r = new SaveReasons();
  r.willSave(CONFIG, 'auto');
  assert.equal(r.applies(CONFIG, 'everySave'), true);
});

void test('a check that followed a partial\'s save takes that save\'s reason; the config\'s own pending save wins', () => {
  const r = new SaveReasons();
  r.willSave(PARTIAL, 'auto');
  assert.equal(r.applies(CONFIG, 'save'), false, 'the auto-saved partial');
  r.willSave(PARTIAL, 'manual');
  assert.equal(r.applies(CONFIG, 'save'), true, 'the partial saved by hand');
  // The config saved by hand, then a partial auto-saved before the config's check came back.
  r.willSave(CONFIG, 'manual');
  r.willSave(PARTIAL, 'auto');
  assert.equal(r.applies(CONFIG, 'save'), true, "the config's own save");
  assert.equal(r.applies(CONFIG, 'save'), false, "then the partial's auto-save");
});

void test('a save never seen counts as deliberate; a closed document forgets its pending save', () => {
  assert.equal(new SaveReasons().applies(CONFIG, 'save'), true);
  const r = new SaveReasons();
  r.willSave(PARTIAL, 'manual');
  r.willSave(CONFIG, 'auto');
  r.forget(CONFIG);
  r.willSave(PARTIAL, 'manual');
  assert.equal(r.applies(CONFIG, 'save'), true);
});

void test('a change on disk (git checkout) is nobody\'s auto-save, also after one; the config\'s own pending save still decides', () => {
  const r = new SaveReasons();
  r.willSave(CONFIG, 'auto');
  assert.equal(r.applies(CONFIG, 'save'), false, 'the auto-save itself');
  assert.equal(r.applies(CONFIG, 'save', true), true, 'then the config changed on disk');
  r.willSave(PARTIAL, 'auto');
  assert.equal(r.applies(CONFIG, 'save', true), true, 'a partial changed on disk after a partial\'s auto-save');
  assert.equal(r.applies(CONFIG, 'save'), false, 'while an editor save of the partial still takes the latest reason');
  // The disk watcher can report the editor's own auto-save before its didSave: the pending save wins.
  r.willSave(CONFIG, 'auto');
  assert.equal(r.applies(CONFIG, 'save', true), false);
});

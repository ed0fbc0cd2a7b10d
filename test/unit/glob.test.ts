import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesAnyGlob } from '../../server/src/core/glob';
import { DEFAULT_SERVER_SETTINGS } from '../../shared/settings';

const defaults = DEFAULT_SERVER_SETTINGS.configFiles;

test('the default globs pick KrakenD configs at any depth', () => {
  for (const p of ['krakend.json', 'config/krakend.json', 'a/b/krakend-dev.json', 'krakend.yaml', 'x/krakend.prod.yml', 'krakend.tmpl', 'fc/krakend-dev.tmpl']) {
    assert.equal(matchesAnyGlob(p, defaults), true, p);
  }
});

test('the default globs leave other files alone', () => {
  // A sub-template (templates/endpoint.tmpl) is checked through the configuration that runs it.
  for (const p of ['package.json', 'templates/endpoint.tmpl', 'partials/krakend.tmpl.json.bak', 'krakend.json.bak', 'mykrakend.json', 'krakend.toml']) {
    assert.equal(matchesAnyGlob(p, defaults), false, p);
  }
});

test('windows separators, ?, classes and groups', () => {
  assert.equal(matchesAnyGlob('a\\b\\krakend.json', defaults), true);
  assert.equal(matchesAnyGlob('gw/k1.json', ['gw/k?.json']), true);
  assert.equal(matchesAnyGlob('gw/k12.json', ['gw/k?.json']), false);
  assert.equal(matchesAnyGlob('gw/k2.json', ['gw/k[0-9].json']), true);
  assert.equal(matchesAnyGlob('gw/ka.json', ['gw/k[!0-9].json']), true);
  assert.equal(matchesAnyGlob('gw/k.json', ['gw/**/k.json']), true);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { COMMAND } from '../../client/src/commands/ids';
import { DEFAULT_GATEWAY_SETTINGS, DEFAULT_SERVER_SETTINGS } from '../../shared/settings';
import { codesTable, diagnosticsPage, withTable } from '../../scripts/docsCodes';

interface Manifest {
  contributes: {
    commands: { command: string; category: string }[];
    configuration: { properties: Record<string, { default: unknown; scope?: string }> };
    languages: { id: string; extensions?: string[]; configuration?: string }[];
    grammars: { language?: string; scopeName: string; path: string }[];
  };
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
  main: string;
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
const props = pkg.contributes.configuration.properties;

test('package.json declares exactly the commands of the id table, all in the KrakenD category', () => {
  const declared = pkg.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(declared, Object.values(COMMAND).sort());
  for (const c of pkg.contributes.commands) assert.equal(c.category, 'KrakenD');
});

test('server settings defaults in package.json match shared/settings.ts', () => {
  assert.equal(props['krakend.validate.run']?.default, DEFAULT_SERVER_SETTINGS.validate.run);
  assert.deepEqual(props['krakend.configFiles']?.default, DEFAULT_SERVER_SETTINGS.configFiles);
  assert.equal(props['krakend.schema.url']?.default, DEFAULT_SERVER_SETTINGS.schema.url);
  assert.equal(props['krakend.schema.download']?.default, DEFAULT_SERVER_SETTINGS.schema.download);
  assert.deepEqual(props['krakend.schema.allowedHosts']?.default, DEFAULT_SERVER_SETTINGS.schema.allowedHosts);
  const fc = DEFAULT_SERVER_SETTINGS.flexibleConfig;
  assert.equal(props['krakend.flexibleConfig.enable']?.default, fc.enable);
  assert.equal(props['krakend.flexibleConfig.settings']?.default, fc.settings);
  assert.equal(props['krakend.flexibleConfig.partials']?.default, fc.partials);
  assert.equal(props['krakend.flexibleConfig.templates']?.default, fc.templates);
  assert.equal(props['krakend.flexibleConfig.out']?.default, fc.out);
  const audit = DEFAULT_SERVER_SETTINGS.audit;
  assert.equal(props['krakend.audit.enable']?.default, audit.enable);
  assert.deepEqual(props['krakend.audit.severities']?.default, audit.severities);
  assert.deepEqual(props['krakend.audit.ignore']?.default, audit.ignore);
  assert.equal(props['krakend.audit.ignoreFile']?.default, audit.ignoreFile);
});

test('a krakend.tmpl base template activates the extension and is a configuration', () => {
  const events = (JSON.parse(readFileSync('package.json', 'utf8')) as { activationEvents: string[] }).activationEvents;
  assert.ok(events.includes('workspaceContains:**/krakend*.tmpl'));
  assert.ok(DEFAULT_SERVER_SETTINGS.configFiles.includes('**/krakend*.tmpl'));
});

test('gateway settings defaults in package.json match shared/settings.ts', () => {
  const g = DEFAULT_GATEWAY_SETTINGS;
  const expected: Record<string, unknown> = {
    'krakend.gateway.image': g.image,
    'krakend.gateway.port': g.port,
    'krakend.gateway.hostIp': g.hostIp,
    'krakend.gateway.network': g.network,
    'krakend.gateway.env': g.env,
    'krakend.gateway.gracePeriod': g.gracePeriod,
    'krakend.gateway.healthTimeout': g.healthTimeout,
    'krakend.gateway.onDeactivate': g.onDeactivate,
    'krakend.gateway.maxCrashRestarts': g.maxCrashRestarts,
    'krakend.gateway.reloadOn': g.reloadOn,
    'krakend.docker.host': g.dockerHost,
  };
  for (const [key, value] of Object.entries(expected)) assert.deepEqual(props[key]?.default, value, key);
});

test('every setting has a deliberate scope', () => {
  for (const [key, p] of Object.entries(props)) assert.ok(p.scope, `${key} has no scope`);
});

test('untrusted workspaces: limited support, Docker settings restricted', () => {
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
  // The FC folders: an untrusted workspace must not point the renderer at files outside it.
  for (const key of ['krakend.gateway.image', 'krakend.gateway.env', 'krakend.gateway.hostIp', 'krakend.gateway.network', 'krakend.docker.host', 'krakend.flexibleConfig.settings', 'krakend.flexibleConfig.partials', 'krakend.flexibleConfig.templates']) {
    assert.ok(restricted.includes(key), `${key} must be restricted`);
  }
});

test('the README code table and docs/diagnostics.md are generated from the registry (npm run docs:codes)', () => {
  const readme = readFileSync('README.md', 'utf8');
  assert.equal(readme, withTable(readme), 'README.md code table is stale: run npm run docs:codes');
  assert.ok(readme.includes(codesTable()));
  assert.equal(readFileSync('docs/diagnostics.md', 'utf8'), diagnosticsPage(), 'docs/diagnostics.md is stale: run npm run docs:codes');
});

test('the KrakenD Template languages: .tmpl files, grammars and language configurations that exist and are packaged', () => {
  const languages = pkg.contributes.languages;
  const template = languages.find((l) => l.id === 'krakend-template');
  assert.ok(template, 'no krakend-template language');
  assert.deepEqual(template.extensions, ['.tmpl']);
  for (const g of pkg.contributes.grammars) {
    assert.ok(existsSync(g.path), `${g.path} does not exist`);
    if (g.language !== undefined) assert.ok(languages.some((l) => l.id === g.language), `${g.path} names an unknown language ${g.language}`);
    assert.equal((JSON.parse(readFileSync(g.path, 'utf8')) as { scopeName?: string }).scopeName, g.scopeName, g.path);
  }
  assert.ok(pkg.contributes.grammars.some((g) => g.language === 'krakend-template'));
  for (const l of languages) {
    if (l.configuration) assert.ok(existsSync(l.configuration), `${l.configuration} does not exist`);
    assert.ok(pkg.contributes.grammars.some((g) => g.language === l.id), `language ${l.id} has no grammar`);
  }
  // .vscodeignore is an allowlist: the grammars ship only if their folder is re-included.
  assert.match(readFileSync('.vscodeignore', 'utf8'), /^!syntaxes\/\*\*$/m);
});

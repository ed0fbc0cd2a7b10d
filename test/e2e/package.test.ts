/**
 * The .vsix holds exactly what the installed extension needs, and its bundles need nothing else.
 * (Installing it into a real code-server is what editor.test.ts does first.)
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { before, test } from 'node:test';
import { artifactsDir, ensureArtifactsDir, repoRoot } from './support/paths';
import { ensureVsix, vsceList } from './support/vsix';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(repoRoot, dir))) {
    const path = join(repoRoot, dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(relative(repoRoot, path)));
    else out.push(relative(repoRoot, path));
  }
  return out;
}

/**
 * Module names a bundle still loads at run time (everything esbuild left as `require("…")`).
 * A `require(` right after a quote or backtick is text inside a string, such as the code Ajv
 * generates for standalone validators, not a load.
 */
function requiredModules(bundle: string): string[] {
  const text = readFileSync(join(repoRoot, 'dist', bundle), 'utf8');
  return [...new Set([...text.matchAll(/(?<![`"'\w$.])require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!))].sort();
}

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

let vsix = '';
let listed: string[] = [];

before(async () => {
  vsix = await ensureVsix();
  listed = await vsceList();
  ensureArtifactsDir();
  writeFileSync(join(artifactsDir, 'vsce-ls.txt'), `${listed.join('\n')}\n`);
});

void test('vsce ls lists only the bundles, the manifest, the Marketplace files, the schemas and the grammars', () => {
  const expected = [
    'CHANGELOG.md',
    'LICENSE',
    'README.md',
    'dist/ajvCompile.js',
    'dist/bundledValidator.js',
    'dist/cli.js',
    'dist/client.js',
    'dist/flexible.js',
    'dist/parseYaml.js',
    'dist/server.js',
    'dist/watch.js',
    'media/icon.png',
    'package.json',
    ...filesUnder('schemas'),
    ...filesUnder('syntaxes'),
  ].sort();
  assert.deepEqual(listed, expected);
});

void test('every file the manifest points at is in the package', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    main: string;
    icon: string;
    contributes?: { grammars?: { path: string }[]; languages?: { configuration?: string }[]; jsonValidation?: { url: string }[] };
  };
  const referenced = [manifest.main, manifest.icon, ...(manifest.contributes?.grammars ?? []).map((g) => g.path)]
    .concat((manifest.contributes?.languages ?? []).flatMap((l) => (l.configuration ? [l.configuration] : [])))
    .concat((manifest.contributes?.jsonValidation ?? []).map((j) => j.url).filter((u) => u.startsWith('.')))
    .map((p) => p.replace(/^\.\//, ''));
  for (const path of referenced) assert.ok(listed.includes(path), `${path} is referenced by package.json but not packaged`);
});

void test('the client bundle loads only vscode, Node built-ins and the optional native addons ssh2 guards', () => {
  // ssh2 loads `cpu-features` and its `sshcrypto.node` in try/catch and falls back to Node's crypto;
  // neither is packaged (see .vscodeignore), everything else must be inside the bundle.
  const optional = new Set(['vscode', 'cpu-features']);
  const loads = requiredModules('client.js');
  assert.ok(loads.includes('vscode'), `the scan finds no require("vscode") in dist/client.js: ${JSON.stringify(loads)}`);
  const outside = loads.filter((m) => !builtins.has(m) && !optional.has(m) && !m.endsWith('.node'));
  assert.deepEqual(outside, []);
});

void test('the server and CLI bundles load only Node built-ins and the packaged files beside them', () => {
  // parseYaml.js, ajvCompile.js, bundledValidator.js and (the CLI's) flexible.js are loaded on first use (esbuild.mjs).
  for (const bundle of ['server.js', 'cli.js', 'parseYaml.js', 'ajvCompile.js', 'bundledValidator.js', 'flexible.js']) {
    const outside = requiredModules(bundle).filter((m) => !builtins.has(m) && !(m.startsWith('./') && listed.includes(`dist/${m.slice(2)}`)));
    assert.deepEqual(outside, [], bundle);
  }
  assert.deepEqual(requiredModules('server.js').filter((m) => m.startsWith('./')), ['./ajvCompile.js', './bundledValidator.js', './parseYaml.js']);
  assert.deepEqual(requiredModules('cli.js').filter((m) => m.startsWith('./')), ['./ajvCompile.js', './bundledValidator.js', './flexible.js', './parseYaml.js', './watch.js']);
  // `watch` (dist/watch.js, required by the CLI for that command only) carries dockerode, with ssh2's optional addons as in the client.
  const watch = requiredModules('watch.js').filter((m) => !builtins.has(m) && m !== 'cpu-features' && !m.endsWith('.node'));
  assert.deepEqual(watch.filter((m) => !(m.startsWith('./') && listed.includes(`dist/${m.slice(2)}`))), [], 'watch.js');
});

void test('the package stays small', () => {
  const size = statSync(vsix).size;
  assert.ok(size < 3 * 1024 * 1024, `${vsix} is ${size} bytes`);
});

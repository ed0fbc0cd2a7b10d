// Builds the bundles. Only the client bundle may treat `vscode` as external: the server and the
// CLI must run in a plain Node process.
//
// The server and the CLI load three files of their own only when they need them, so a cold
// `node dist/cli.js check file.json` reads none of the code it does not run:
//   dist/parseYaml.js         the YAML parser and the `yaml` package (the first YAML file)
//   dist/ajvCompile.js        Ajv (a schema without a precompiled validator)
//   dist/bundledValidator.js  the bundled schema's validator as Ajv standalone code, made here
//                             with dist/ajvCompile.js from schemas/krakend.json
//   dist/flexible.js          the CLI only: the template engine and the Flexible Configuration
//                             pipeline, for FC_ENABLE (the server uses them everywhere, so its
//                             bundle keeps them, and one copy of their state)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const require = createRequire(import.meta.url);

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

/** The lazily loaded modules: (the importer's path, the specifier) → the file next to the bundle. */
const LAZY = [
  { importer: /server[\\/]src[\\/]core[\\/]parse\.ts$/, specifier: './parseYaml', file: './parseYaml.js' },
  { importer: /server[\\/]src[\\/]core[\\/]schema[\\/]compile\.ts$/, specifier: './ajvCompile', file: './ajvCompile.js' },
  { importer: /server[\\/]src[\\/]node[\\/]precompiled\.ts$/, specifier: './bundledValidator.js', file: './bundledValidator.js' },
];

/** The CLI's one more: node/checker.ts requires the Flexible Configuration pipeline on first use. */
const CLI_LAZY = [...LAZY, { importer: /server[\\/]src[\\/]node[\\/]checker\.ts$/, specifier: '../core/flexible', file: './flexible.js' }];

/** Leaves the lazy `require`s of the server and the CLI pointing at the files beside them. */
function lazyFiles(rules) {
  return {
    name: 'lazy-files',
    setup(build) {
      build.onResolve({ filter: /^\.\/(parseYaml|ajvCompile|bundledValidator\.js)$|^\.\.\/core\/flexible$/ }, (args) => {
        const lazy = rules.find((l) => l.specifier === args.path && l.importer.test(args.importer));
        return lazy ? { path: lazy.file, external: true } : undefined;
      });
    },
  };
}

const chunks = [
  { ...common, entryPoints: { parseYaml: 'server/src/core/parseYaml.ts' }, outdir: 'dist' },
  { ...common, entryPoints: { ajvCompile: 'server/src/core/schema/ajvCompile.ts' }, outdir: 'dist' },
  // Its own parse and schema modules load their lazy files beside it, like the CLI's.
  { ...common, entryPoints: { flexible: 'server/src/core/flexible/index.ts' }, outdir: 'dist', plugins: [lazyFiles(LAZY)] },
];

const builds = [
  {
    ...common,
    entryPoints: { client: 'client/src/extension.ts' },
    outdir: 'dist',
    // dockerode -> ssh2 optionally loads native addons; bundlers cannot inline `.node` files.
    external: ['vscode', 'cpu-features', '*.node'],
  },
  { ...common, entryPoints: { server: 'server/src/server.ts' }, outdir: 'dist', plugins: [lazyFiles(LAZY)] },
  { ...common, entryPoints: { cli: 'server/src/cli/main.ts' }, outdir: 'dist', plugins: [lazyFiles(CLI_LAZY)], banner: { js: '#!/usr/bin/env node' } },
];

/**
 * dist/bundledValidator.js: schemas/krakend.json compiled by the Ajv module just built, with
 * the same options the server uses, as standalone code plus what server/src/node/precompiled.ts
 * checks before using it (the schema's hash and the format).
 */
async function bundledValidator() {
  const ajvCompile = require('./dist/ajvCompile.js');
  delete require.cache[require.resolve('./dist/ajvCompile.js')];
  const schema = JSON.parse(readFileSync('schemas/krakend.json', 'utf8'));
  const { code } = await ajvCompile.compileWithAjv('https://krakend-live.dev/schema/krakend.json', schema, 'draft-07', undefined, true);
  if (!code) throw new Error('Ajv made no standalone code for schemas/krakend.json');
  const schemaHash = ajvCompile.hashText(JSON.stringify(schema));
  const contents = `${code}\nmodule.exports = { validate: module.exports, schemaHash: ${JSON.stringify(schemaHash)}, format: ${ajvCompile.PRECOMPILED_FORMAT} };\n`;
  // Bundled, so Ajv's small runtime helpers the code requires travel with it.
  await esbuild.build({ ...common, stdin: { contents, resolveDir: import.meta.dirname, sourcefile: 'bundledValidator.js', loader: 'js' }, outfile: 'dist/bundledValidator.js' });
}

if (watch) {
  // The bundled validator is made once; a change to schemas/krakend.json needs `npm run build`
  // (until then the server sees the hash differ and compiles the schema itself).
  await Promise.all(chunks.map((b) => esbuild.build(b)));
  await bundledValidator();
  const contexts = await Promise.all([...chunks, ...builds].map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(chunks.map((b) => esbuild.build(b)));
  await Promise.all([bundledValidator(), ...builds.map((b) => esbuild.build(b))]);
}

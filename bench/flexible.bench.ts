// Flexible Configuration: render + check + mapping of a generated FC project (settings with n
// endpoints, a range over them, a template file per endpoint, marshal and include) against the
// plain check of the configuration it renders to, both with the official v2.13 schema lint.
// Target: FC under 2× the plain check at 100 endpoints.
//
// Both sides run from one esbuild bundle of the core, as the language server runs them: under
// tsx every cross-module call goes through a CommonJS export getter and every closure through
// keepNames' __name, which the template engine (many small calls) pays far more than the checker.
import { buildSync } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_SERVER_SETTINGS } from '../shared/settings';
import type * as Check from '../server/src/core/check';
import type * as Flexible from '../server/src/core/flexible';
import type { FlexibleCheckInput } from '../server/src/core/flexible';
import type * as Parse from '../server/src/core/parse';
import { officialSchemaUrl } from '../server/src/core/schema/url';
import { createSchemaResolver } from '../server/src/node/schemaResolver';
import { SchemaStore } from '../server/src/node/schemaStore';
import { percentile, time } from './support/generate';

const MAIN = `{
  "$schema": "https://www.krakend.io/schema/v2.13/krakend.json",
  "version": 3,
  "name": "{{ .service.name }}",
  "port": {{ .service.port }},
  "timeout": "{{ .service.timeout }}",
  "extra_config": {{ marshal .service.extra_config }},
  "endpoints": [
    {{- range $i, $e := .endpoints.list }}{{ if $i }},{{ end }}
    {{ template "endpoint.tmpl" (dict "e" $e "service" $.service) }}
    {{- end }}
  ]
}
`;

const ENDPOINT = `{
      "endpoint": "/api/v1/{{ .e.name }}/{id}",
      "method": "{{ .e.method | default "GET" }}",
      "output_encoding": "json",
      "timeout": "{{ .service.timeout }}",
      "extra_config": {{ include "endpoint_extra.json" }},
      "backend": [
        {
          "url_pattern": "/internal/{{ .e.name }}/{id}",
          "host": {{ marshal .service.hosts }},
          "encoding": "json",
          "extra_config": {{ marshal .e.backend_extra }}
        }
      ]
    }`;

function project(n: number): Record<string, string> {
  const list = [];
  for (let i = 0; i < n; i++) {
    list.push({ name: `resource${i}`, method: i % 3 === 0 ? 'POST' : 'GET', backend_extra: { 'qos/circuit-breaker': { interval: 60, timeout: 10, max_errors: 5 }, 'backend/http': { return_error_code: true } } });
  }
  const service = { name: 'bench', port: 8080, timeout: '3s', hosts: ['http://127.0.0.1:8081'], extra_config: { 'telemetry/logging': { level: 'ERROR', prefix: '[KRAKEND]', stdout: true }, router: { return_error_msg: true } } };
  return {
    'krakend.tmpl': MAIN,
    'settings/service.json': JSON.stringify(service, null, 2),
    'settings/endpoints.json': JSON.stringify({ list }, null, 2),
    'templates/endpoint.tmpl': ENDPOINT,
    'partials/endpoint_extra.json': '{ "qos/ratelimit/router": { "max_rate": 100, "client_max_rate": 10, "strategy": "ip" }, "validation/cel": [{ "check_expr": "\'id\' in req_params" }] }',
  };
}

function input(files: Record<string, string>): FlexibleCheckInput {
  return {
    mainPath: 'krakend.tmpl',
    mainText: files['krakend.tmpl']!,
    options: { settings: 'settings', partials: 'partials', templates: 'templates' },
    readers: {
      listDir: (dir) => Object.keys(files).filter((p) => p.startsWith(`${dir}/`)).map((p) => p.slice(dir.length + 1)),
      readFile: (p) => files[p],
      env: () => undefined,
      now: () => new Date(),
    },
  };
}

type Core = typeof Check & typeof Flexible & typeof Parse;

/** The core as one esbuild bundle (no keepNames, one scope), loaded with require. */
function bundledCore(dir: string): Core {
  const outfile = join(dir, 'core.cjs');
  const root = resolve(__dirname, '..', 'server', 'src', 'core');
  buildSync({
    stdin: { contents: `export * from './check'; export * from './flexible'; export * from './parse';`, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'error',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(outfile) as Core;
}

async function main(): Promise<void> {
  const { checkConfig, checkFlexibleProject, renderProject, parseConfig } = bundledCore(mkdtempSync(join(tmpdir(), 'krakend-live-bench-fc-core-')));
  // The official schema as the editor has it after its first download, as in check.bench.ts.
  const upstream = resolve('..', 'shared', 'reference', 'krakend-schema', 'v2.13', 'krakend.json');
  const storageDir = join(mkdtempSync(join(tmpdir(), 'krakend-live-bench-fc-')), 'schemas');
  if (existsSync(upstream)) {
    mkdirSync(storageDir, { recursive: true });
    copyFileSync(upstream, new SchemaStore({ storageDir }).cachePath(officialSchemaUrl('2.13')));
  }
  const resolver = createSchemaResolver({ storagePath: storageDir, log: () => undefined });
  console.log(`schema: ${existsSync(upstream) ? 'official v2.13 from the cache' : 'bundled'}`);
  console.log('| endpoints | rendered bytes | plain check p50 ms | render p50 ms | render + check + map p50 ms | p95 ms | ratio to plain | errors |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const n of [10, 100, 1000]) {
    const files = project(n);
    const fc = input(files);
    const rendered = renderProject(fc).result?.output;
    if (rendered === undefined) throw new Error('the generated project does not render');
    const root = parseConfig(rendered, 'json').root!;
    const prepared = await resolver.prepare(root, { ...DEFAULT_SERVER_SETTINGS.schema, download: false });
    const lint = prepared.lint;
    const runs = n >= 1000 ? 30 : 100;
    const plain = time(() => checkConfig({ text: rendered, format: 'json', lint }), runs);
    const renderOnly = time(() => renderProject(fc), runs);
    let errors = 0;
    const full = time(() => {
      errors = checkFlexibleProject({ ...fc, ...(lint ? { lint } : {}) }).errors;
    }, runs);
    const p = percentile(plain, 50);
    const f = percentile(full, 50);
    console.log(`| ${n} | ${rendered.length} | ${p.toFixed(2)} | ${percentile(renderOnly, 50).toFixed(2)} | ${f.toFixed(2)} | ${percentile(full, 95).toFixed(2)} | ${(f / p).toFixed(2)}× | ${errors} |`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

// The schema lint's cost: compiling the official v2.13 schema (from ../shared, never copied
// into the repo) and our bundled one, then linting generated configs of 10 to 5,000 endpoints.
// Run: `npm run bench -- schema` or `node --import tsx bench/schema.bench.ts`.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { toValue } from '../server/src/core/ast';
import { parseJson } from '../server/src/core/parseJson';
import { compileSchema } from '../server/src/core/schema/compile';
import type { CompiledSchema } from '../server/src/core/schema/compile';
import { lint } from '../server/src/core/schema/lint';
import { SIZES, generateConfig, percentile, time } from './support/generate';

const repoRoot = resolve(__dirname, '..');
const upstream = resolve(repoRoot, '..', 'shared', 'reference', 'krakend-schema', 'v2.13', 'krakend.json');
const bundled = join(repoRoot, 'schemas', 'krakend.json');

const fmt = (ms: number): string => ms.toFixed(ms < 10 ? 2 : 1);

async function compileTimes(name: string, url: string, file: string): Promise<CompiledSchema> {
  const text = readFileSync(file, 'utf8');
  const samples: number[] = [];
  let compiled: CompiledSchema | undefined;
  // Each compileSchema call builds a fresh Ajv, so every sample is a full compilation; the
  // first one also pays for loading and JIT-compiling Ajv itself, as a server start does.
  for (let i = 0; i < 5; i++) {
    const schema = JSON.parse(text) as object;
    const t = performance.now();
    compiled = await compileSchema(url, schema);
    samples.push(performance.now() - t);
  }
  console.log(`compile ${name} (${(text.length / 1024).toFixed(0)} KB): first ${fmt(samples[0]!)} ms, then p50 ${fmt(percentile(samples.slice(1), 50))} ms`);
  return compiled!;
}

async function main(): Promise<void> {
  const schemas: [string, CompiledSchema][] = [];
  if (existsSync(upstream)) schemas.push(['v2.13', await compileTimes('official v2.13', 'https://www.krakend.io/schema/v2.13/krakend.json', upstream)]);
  else console.log(`official v2.13 schema not found at ${upstream}; measuring the bundled schema only`);
  schemas.push(['bundled', await compileTimes('bundled schemas/krakend.json', 'https://krakend-live.dev/schema/krakend.json', bundled)]);

  console.log('\n| schema | endpoints | KB | validate p50 | validate p95 | lint p50 | lint p95 | problems |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, compiled] of schemas) {
    for (const n of SIZES) {
      const text = generateConfig(n);
      const root = parseJson(text).root!;
      const value = toValue(root);
      const runs = n >= 5000 ? 30 : 100;
      // validate: Ajv alone on the plain value. lint: AST → value, Ajv, and error mapping.
      const v = time(() => compiled.validate(value), runs);
      const l = time(() => lint(root, compiled), runs);
      const problems = lint(root, compiled).length;
      console.log(
        `| ${name} | ${n} | ${(text.length / 1024).toFixed(0)} | ${fmt(percentile(v, 50))} | ${fmt(percentile(v, 95))} | ${fmt(percentile(l, 50))} | ${fmt(percentile(l, 95))} | ${problems} |`,
      );
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

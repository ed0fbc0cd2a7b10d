// The Init and router rules alone (checkInit + checkRoutes) on decoded models, per size: the
// shared generated configs, and a route-heavy variant whose endpoints share prefixes, mix
// params and static siblings and run with debug/echo catch-alls, so gin's trees get deep.
import { decodeService } from '../server/src/core/decode';
import { checkInit } from '../server/src/core/init';
import type { ServiceModel } from '../server/src/core/model';
import { parseJson } from '../server/src/core/parseJson';
import { checkRoutes } from '../server/src/core/routes';
import { SIZES, generateConfig, percentile, time } from './support/generate';

function routeHeavyConfig(n: number): string {
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  const endpoints = [];
  for (let i = 0; i < n; i++) {
    const group = `g${i % 37}`;
    const path = i % 4 === 0 ? `/api/${group}/{id}/items/x${i}` : i % 4 === 1 ? `/api/${group}/static${i}` : `/api/${group}/{id}/r${i}/{sub}`;
    endpoints.push({
      endpoint: path,
      method: methods[i % methods.length],
      backend: [{ url_pattern: path.replace('/api', '/int'), host: ['http://127.0.0.1:8081'] }, { url_pattern: '/audit/{resp0_x}' }],
    });
  }
  return JSON.stringify({ version: 3, debug_endpoint: true, echo_endpoint: true, host: ['http://127.0.0.1:8080'], endpoints });
}

function model(text: string): ServiceModel {
  return decodeService(parseJson(text).root).model;
}

for (const [name, gen] of [
  ['generated (bench/support)', generateConfig],
  ['route-heavy', routeHeavyConfig],
] as const) {
  console.log(`\n${name}`);
  console.log('| endpoints | checkInit + checkRoutes p50 ms | p95 ms | problems |');
  console.log('| --- | --- | --- | --- |');
  for (const n of SIZES) {
    const m = model(gen(n));
    const problems = checkInit(m).length + checkRoutes(m).length;
    const samples = time(() => (checkInit(m), checkRoutes(m)), n >= 1000 ? 50 : 200, 10);
    console.log(`| ${n} | ${percentile(samples, 50).toFixed(3)} | ${percentile(samples, 95).toFixed(3)} | ${problems} |`);
  }
}

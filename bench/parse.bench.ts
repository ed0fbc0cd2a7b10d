// Parser micro-benchmark: parseJson (and decode) against plain JSON.parse on generated KrakenD
// configs of 10 to 5,000 endpoints, each endpoint and backend with extra_config. Prints p50/p95
// per size; the checker's benchmark aggregates the numbers.
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { decodeService } from '../server/src/core/decode';
import { parseJson } from '../server/src/core/parseJson';
import { parseYaml } from '../server/src/core/parseYaml';

const SIZES = [10, 100, 1000, 5000];

/** About 500 bytes an endpoint, so 5,000 endpoints make the 2-3 MB of a large real config. */
function generateConfig(endpoints: number): unknown {
  const eps = [];
  for (let i = 0; i < endpoints; i++) {
    eps.push({
      endpoint: `/api/v1/resource-${i}/{id}`,
      method: i % 5 === 0 ? 'POST' : 'GET',
      timeout: '3s',
      input_headers: ['Authorization'],
      extra_config: { 'qos/ratelimit/router': { max_rate: 100, strategy: 'ip' } },
      backend: [
        {
          url_pattern: `/internal/resource/${i}/{id}`,
          host: ['http://backend:8080'],
          extra_config: { 'qos/circuit-breaker': { interval: 60, timeout: 10, max_errors: 3 } },
        },
      ],
    });
  }
  const config = {
    $schema: 'https://www.krakend.io/schema/v2.13/krakend.json',
    version: 3,
    name: 'benchmark gateway',
    port: 8080,
    timeout: '3s',
    host: ['http://default-backend:8080'],
    extra_config: { router: { health_path: '/__health', return_error_msg: true } },
    endpoints: eps,
  };
  return config;
}

function generate(endpoints: number): string {
  return JSON.stringify(generateConfig(endpoints), null, 2);
}

function measure(fn: () => unknown, minRuns: number, minMs: number): { p50: number; p95: number; runs: number } {
  // Warm up so the JIT has compiled the hot paths before anything is timed.
  for (let i = 0; i < 5; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || performance.now() - start < minMs) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
    if (times.length >= 2000) break;
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p95: at(0.95), runs: times.length };
}

const ms = (v: number): string => `${v.toFixed(2)} ms`.padStart(10);

console.log('size        bytes      JSON.parse p50/p95       parseJson p50/p95        ratio(p50)  parse+decode p50/p95');
for (const n of SIZES) {
  const text = generate(n);
  const runs = n >= 1000 ? 30 : 200;
  const native = measure(() => JSON.parse(text), runs, 500);
  const ours = measure(() => parseJson(text), runs, 500);
  const full = measure(() => decodeService(parseJson(text).root), runs, 500);
  const check = parseJson(text);
  if (check.problems.length !== 0) throw new Error(`generated config did not parse: ${check.problems[0]!.message}`);
  console.log(
    `${String(n).padStart(5)} eps ${String(text.length).padStart(9)}   ${ms(native.p50)} /${ms(native.p95)}   ${ms(ours.p50)} /${ms(ours.p95)}   ${(ours.p50 / native.p50).toFixed(2).padStart(6)}x   ${ms(full.p50)} /${ms(full.p95)}`,
  );
}

// YAML goes through the `yaml` package's parser, which dominates its time.
console.log('\nsize        bytes      parseYaml p50/p95');
for (const n of SIZES) {
  const text = stringify(generateConfig(n));
  const r = parseYaml(text);
  if (r.problems.length !== 0) throw new Error(`generated YAML did not parse: ${r.problems[0]!.message}`);
  const yaml = measure(() => parseYaml(text), n >= 1000 ? 10 : 50, 300);
  console.log(`${String(n).padStart(5)} eps ${String(text.length).padStart(9)}   ${ms(yaml.p50)} /${ms(yaml.p95)}`);
}

/** Generated KrakenD configurations for benchmarks: n endpoints, each with extra_config. */

export function generateConfig(endpoints: number): string {
  const list = [];
  for (let i = 0; i < endpoints; i++) {
    list.push({
      endpoint: `/api/v1/resource${i}/{id}`,
      method: i % 3 === 0 ? 'POST' : 'GET',
      output_encoding: 'json',
      timeout: '3s',
      extra_config: {
        'qos/ratelimit/router': { max_rate: 100, client_max_rate: 10, strategy: 'ip' },
        'validation/cel': [{ check_expr: "'id' in req_params" }],
      },
      backend: [
        {
          url_pattern: `/internal/resource${i}/{id}`,
          host: ['http://127.0.0.1:8081'],
          encoding: 'json',
          extra_config: {
            'qos/circuit-breaker': { interval: 60, timeout: 10, max_errors: 5 },
            'backend/http': { return_error_code: true },
          },
        },
      ],
    });
  }
  const config = {
    $schema: 'https://www.krakend.io/schema/v2.13/krakend.json',
    version: 3,
    name: 'bench',
    port: 8080,
    timeout: '3s',
    cache_ttl: '300s',
    extra_config: {
      'telemetry/logging': { level: 'ERROR', prefix: '[KRAKEND]', stdout: true },
      router: { return_error_msg: true },
    },
    endpoints: list,
  };
  return JSON.stringify(config, null, 2);
}

export const SIZES = [10, 100, 1000, 5000] as const;

/** p-th percentile of a sorted copy (nearest-rank). */
export function percentile(samples: readonly number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i]!;
}

/** Times `fn` `runs` times after `warmup` runs; returns milliseconds per run. */
export function time(fn: () => unknown, runs: number, warmup = 5): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

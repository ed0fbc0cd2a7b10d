/** Helpers of the gateway benchmarks (gateway.bench.ts, watch.bench.ts). */
import { get } from '../../test/support/docker';

/** Resolves with the moment GET /hello on `port` first answers 200 with `{"message":"<version>"}`. */
export async function answersWith(port: number, version: string, timeoutMs: number): Promise<number> {
  const want = `"message":"${version}"`;
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    try {
      const r = await get(port, '/hello', 2000);
      if (r.status === 200 && r.body.includes(want)) return performance.now();
    } catch {
      // Refused or cut while the gateway restarts: ask again.
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`GET /hello on ${port} did not answer ${want} within ${timeoutMs} ms`);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export function summary(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${Math.round(median(s))} ms (min ${Math.round(s[0] ?? NaN)}, max ${Math.round(s.at(-1) ?? NaN)})`;
}

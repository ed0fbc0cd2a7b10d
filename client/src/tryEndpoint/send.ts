/** Sends one try to the local gateway with fetch, timing it and capping what it keeps of the body. */
import type { TryResponse, TryResult } from './request';

export interface SendOptions {
  readonly method: string;
  readonly url: string;
  readonly body?: string;
  readonly timeoutMs?: number;
  /** Bytes of body kept for the document; the rest is read and dropped. */
  readonly maxBodyBytes?: number;
  readonly now?: () => number;
}

/** Never rejects: a failure is a result with `error`. */
export async function sendTry(o: SendOptions): Promise<TryResult> {
  const now = o.now ?? (() => performance.now());
  const at = Date.now();
  const started = now();
  const max = o.maxBodyBytes ?? 1024 * 1024;
  try {
    const res = await fetch(o.url, {
      method: o.method,
      headers: { accept: 'application/json, */*;q=0.5', ...(o.body ? { 'content-type': 'application/json' } : {}) },
      ...(o.body ? { body: o.body } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
    });
    const { text, truncated } = await readCapped(res, max);
    const headers: [string, string][] = [];
    res.headers.forEach((v, k) => headers.push([k.toLowerCase(), v]));
    const response: TryResponse = { status: res.status, statusText: res.statusText, headers, body: text, truncated };
    return { method: o.method, url: o.url, latencyMs: now() - started, at, response };
  } catch (e) {
    return { method: o.method, url: o.url, latencyMs: now() - started, at, error: describe(e) };
  }
}

async function readCapped(res: Response, max: number): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
    if (chunk.done || !chunk.value) break;
    const value = chunk.value;
    if (size < max) chunks.push(value.subarray(0, Math.max(0, max - size)));
    size += value.byteLength;
    if (size > max) truncated = true;
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks)), truncated };
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    if (e.name === 'TimeoutError') return 'timed out';
    const cause = (e as { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message}: ${cause.message}` : e.message;
  }
  return String(e);
}

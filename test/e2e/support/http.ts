/** Loopback HTTP for the gateway scenarios. */
export interface Answer {
  readonly status: number;
  readonly body: string;
}

export async function get(url: string, timeoutMs = 5_000): Promise<Answer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text() };
}

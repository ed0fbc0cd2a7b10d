/**
 * Trying an endpoint against the local gateway, as data: which values the path needs, the URL
 * they make, and the response as the read-only document shows it. Pure (no vscode, no I/O);
 * send.ts does the HTTP and commands/tryEndpoint.ts the prompts.
 */

/** One thing to ask the user for: a `{param}` of the path, or the rest of a `/*` wildcard. */
export interface PathInput {
  /** The param name, or `*` for the wildcard. */
  readonly name: string;
  readonly prompt: string;
}

/** What the path needs filled in, in order. */
export function pathInputs(path: string, params: readonly string[]): PathInput[] {
  const out: PathInput[] = params.map((p) => ({ name: p, prompt: `Value for {${p}}` }));
  if (/\/\*$/.test(path)) out.push({ name: '*', prompt: 'The rest of the path after the wildcard /* (may be empty or hold slashes)' });
  return out;
}

/**
 * The URL of a try: the gateway's origin and the endpoint path with its params filled in, each
 * value percent-encoded as one segment (a wildcard's slashes are kept). Braces lura did not
 * extract stay in the path, encoded, as KrakenD would see them.
 */
export function buildTryUrl(origin: string, path: string, params: readonly string[], values: Readonly<Record<string, string>>): string {
  let p = path.startsWith('/') ? path : `/${path}`;
  for (const name of params) p = p.split(`{${name}}`).join(encodeURIComponent(values[name] ?? ''));
  if (/\/\*$/.test(p)) {
    const rest = (values['*'] ?? '').replace(/^\/+/, '');
    p = p.slice(0, -1) + rest.split('/').map(encodeURIComponent).join('/');
  }
  const base = new URL(origin);
  // Only what the URL parser must escape is escaped again; `%` from encodeURIComponent stays.
  return `${base.origin}${p.replace(/[{}\s"<>`]/g, (c) => encodeURIComponent(c))}`;
}

/** The gateway's origin from its health URL (the snapshot's `healthUrl`). */
export function gatewayOrigin(healthUrl: string | undefined): string | undefined {
  if (!healthUrl) return undefined;
  try {
    return new URL(healthUrl).origin;
  } catch {
    return undefined;
  }
}

/** Whether a method usually carries a body, so the try asks for one. */
export function takesBody(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH';
}

export interface TryResponse {
  readonly status: number;
  readonly statusText: string;
  /** Header names lower-cased, in the order received. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  /** The body was longer than the cap and was cut. */
  readonly truncated: boolean;
}

export interface TryResult {
  readonly method: string;
  readonly url: string;
  /** Milliseconds from sending to the end of the body (or to the failure). */
  readonly latencyMs: number;
  /** When it was tried (ms since the epoch). */
  readonly at: number;
  readonly response?: TryResponse;
  /** Set when no response came (refused, timed out, reset). */
  readonly error?: string;
}

/** A try failed when no response came, or the gateway answered with an error status. */
export function tryFailed(r: TryResult): boolean {
  return r.response === undefined || r.response.status >= 400;
}

function header(r: TryResponse, name: string): string | undefined {
  return r.headers.find(([k]) => k === name)?.[1];
}

function prettyBody(r: TryResponse): string {
  const type = header(r, 'content-type') ?? '';
  if (/json/i.test(type) && !r.truncated) {
    try {
      return JSON.stringify(JSON.parse(r.body), null, 2);
    } catch {
      return r.body;
    }
  }
  return r.body;
}

/** The one-line summary: `200 OK · 12 ms · X-Krakend-Completed: true`. */
export function summaryLine(r: TryResult): string {
  const ms = `${Math.round(r.latencyMs)} ms`;
  if (!r.response) return `failed after ${ms}: ${r.error ?? 'no response'}`;
  const completed = header(r.response, 'x-krakend-completed');
  return [`${r.response.status}${r.response.statusText ? ` ${r.response.statusText}` : ''}`, ms, ...(completed !== undefined ? [`X-Krakend-Completed: ${completed}`] : [])].join(' · ');
}

/** The read-only document of a try: request, summary, headers, body. */
export function formatTryResult(r: TryResult): string {
  const lines = [`${r.method} ${r.url}`, summaryLine(r), ''];
  if (r.response) {
    for (const [k, v] of r.response.headers) lines.push(`${k}: ${v}`);
    lines.push('', prettyBody(r.response));
    if (r.response.truncated) lines.push('', '… (body cut at the display limit)');
  }
  return `${lines.join('\n')}\n`;
}

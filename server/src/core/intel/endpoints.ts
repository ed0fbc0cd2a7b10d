/**
 * The endpoints of a configuration as the router sees them, from the decoded model (decode.ts):
 * method as lura routes it, the cleaned path, its input params and the path gin registers.
 * Shared by hover, document and workspace symbols, and the "try" code lenses.
 */
import { head } from '../init';
import { cleanPath, ginJoinPath, inputParams, isInvalidEndpointPath, toRouterPath } from '../luraPaths';
import type { EndpointModel, ServiceModel } from '../model';
import type { Span } from '../types';

/** The methods lura's gin router registers; it skips an endpoint with any other. */
export const ROUTED_METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

export interface EndpointInfo {
  readonly index: number;
  /** As written (lura adds a missing leading slash). */
  readonly path: string;
  /** As lura routes it: upper-cased, GET when empty. */
  readonly method: string;
  /** The input params lura extracts (`{id}`), in order, without repeats. */
  readonly params: readonly string[];
  /** The path as gin registers it (`/users/:id`). */
  readonly routerPath: string;
  /** Whether KrakenD registers it at all (a known method, a path lura accepts, a backend). */
  readonly routed: boolean;
  /** The endpoint object. */
  readonly span: Span;
  /** The `endpoint` value, or the object's first character when it has none. */
  readonly pathSpan: Span;
  readonly methodSpan?: Span;
  readonly model: EndpointModel;
}

/** Every endpoint of the model, in config order. */
export function endpointsOf(model: ServiceModel): EndpointInfo[] {
  const disableRest = model.disableRest?.value === true;
  return model.endpoints.map((e) => {
    const raw = e.endpoint?.value ?? '';
    const cleaned = cleanPath(raw);
    const params = [...new Set(inputParams(cleaned, disableRest))];
    const method = (e.method?.value || 'GET').toUpperCase();
    return {
      index: e.index,
      path: raw,
      method,
      params,
      routerPath: ginJoinPath(toRouterPath(cleaned, inputParams(cleaned, disableRest))),
      routed: e.endpoint !== undefined && ROUTED_METHODS.has(method) && !isInvalidEndpointPath(cleaned) && e.backends.length > 0,
      span: e.span,
      pathSpan: e.endpoint?.span ?? head(e.span),
      ...(e.method ? { methodSpan: e.method.span } : {}),
      model: e,
    };
  });
}

/** The first `n` segments of a gin path, as a prefix (`/users/:id/x`, 1 → `/users`). */
export function segmentPrefix(path: string, n: number): string {
  return `/${path.split('/').filter(Boolean).slice(0, n).join('/')}`;
}

/** How many leading segments two gin paths share. */
export function sharedSegments(a: string, b: string): number {
  const x = a.split('/').filter(Boolean);
  const y = b.split('/').filter(Boolean);
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/**
 * "Where am I" in KrakenD terms: which service, endpoint, backend or async agent a path is in,
 * and which extra_config namespace, from the path alone (so it works on half-typed text).
 */
import type { NamespaceScope } from '../schema/namespaces';
import type { PathSegment } from './context';

export interface Place {
  /** The KrakenD object the path is in. */
  readonly owner: NamespaceScope;
  readonly endpoint?: number;
  readonly asyncAgent?: number;
  readonly backend?: number;
  /** The path inside that object. */
  readonly rest: readonly PathSegment[];
  /** Set when the path is in (or is) that object's extra_config. */
  readonly extraConfig?: {
    /** The namespace the path is in; undefined for the extra_config object itself. */
    readonly namespace?: string;
    /** The path inside the namespace. */
    readonly rest: readonly PathSegment[];
  };
}

/** The KrakenD object and extra_config namespace of a path from the root. */
export function placeOf(path: readonly PathSegment[]): Place {
  let owner: NamespaceScope = 'service';
  let rest = path;
  const ids: { endpoint?: number; asyncAgent?: number; backend?: number } = {};
  if ((path[0] === 'endpoints' || path[0] === 'async_agent') && typeof path[1] === 'number') {
    owner = path[0] === 'endpoints' ? 'endpoint' : 'async_agent';
    if (owner === 'endpoint') ids.endpoint = path[1];
    else ids.asyncAgent = path[1];
    rest = path.slice(2);
    if (rest[0] === 'backend' && typeof rest[1] === 'number') {
      owner = 'backend';
      ids.backend = rest[1];
      rest = rest.slice(2);
    }
  }
  const base = { owner, ...ids, rest };
  if (rest[0] !== 'extra_config') return base;
  const namespace = typeof rest[1] === 'string' ? rest[1] : undefined;
  return { ...base, extraConfig: namespace === undefined ? { rest: [] } : { namespace, rest: rest.slice(2) } };
}

/** The words for a scope, as hovers and completion details say them. */
export const SCOPE_NAMES: Record<NamespaceScope, string> = {
  service: 'service (root)',
  endpoint: 'endpoint',
  backend: 'backend',
  async_agent: 'async agent',
};

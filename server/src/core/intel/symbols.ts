/**
 * The outline of a configuration: endpoints grouped by path with their methods, each with its
 * backends, then the async agents with theirs. And the flat list of endpoints that workspace
 * symbols search across every config.
 */
import { head } from '../init';
import type { BackendModel, ServiceModel } from '../model';
import type { Span } from '../types';
import { endpointsOf } from './endpoints';

export type SymbolKind = 'path' | 'endpoint' | 'backend' | 'asyncAgent';

export interface SymbolData {
  readonly name: string;
  readonly detail?: string;
  readonly kind: SymbolKind;
  /** All of it. */
  readonly span: Span;
  /** The part to select (its path, url_pattern or name). */
  readonly selection: Span;
  readonly children: readonly SymbolData[];
}

function cover(spans: readonly Span[]): Span {
  const start = Math.min(...spans.map((s) => s.offset));
  const end = Math.max(...spans.map((s) => s.offset + s.length));
  return { offset: start, length: end - start };
}

function backendSymbol(b: BackendModel): SymbolData {
  const url = b.urlPattern?.value;
  const host = b.host[0]?.value;
  const method = b.method?.value ? b.method.value.toUpperCase() : undefined;
  return {
    name: url !== undefined && url !== '' ? url : `backend ${b.index}`,
    ...(host !== undefined || method !== undefined ? { detail: [method, host].filter(Boolean).join(' ') } : {}),
    kind: 'backend',
    span: b.span,
    selection: b.urlPattern?.span ?? head(b.span),
    children: [],
  };
}

/** The document outline. */
export function documentSymbols(model: ServiceModel): SymbolData[] {
  const groups = new Map<string, SymbolData[]>();
  for (const e of endpointsOf(model)) {
    const key = e.path;
    const list = groups.get(key) ?? [];
    list.push({
      name: e.method,
      detail: e.routed ? `${e.method} ${e.routerPath}` : 'not routed',
      kind: 'endpoint',
      span: e.span,
      selection: e.methodSpan ?? e.pathSpan,
      children: e.model.backends.map(backendSymbol),
    });
    groups.set(key, list);
  }
  const out: SymbolData[] = [];
  for (const [path, endpoints] of groups) {
    const span = cover(endpoints.map((e) => e.span));
    const first = endpoints[0]!;
    out.push({
      name: path === '' ? '(no path)' : path,
      detail: endpoints.map((e) => e.name).join(', '),
      kind: 'path',
      span,
      selection: model.endpoints.find((e) => e.span === first.span)?.endpoint?.span ?? head(first.span),
      children: endpoints,
    });
  }
  for (const a of model.asyncAgents) {
    out.push({
      name: a.name?.value ? a.name.value : `async agent ${a.index}`,
      detail: 'async agent',
      kind: 'asyncAgent',
      span: a.span,
      selection: a.name?.span ?? head(a.span),
      children: a.backends.map(backendSymbol),
    });
  }
  return out;
}

export interface EndpointSymbol {
  /** `GET /users/{id}` */
  readonly name: string;
  readonly selection: Span;
  readonly span: Span;
}

/** Every endpoint as `METHOD path`, for workspace symbols. */
export function endpointSymbols(model: ServiceModel): EndpointSymbol[] {
  return endpointsOf(model).map((e) => ({ name: `${e.method} ${e.path === '' ? '(no path)' : e.path}`, selection: e.pathSpan, span: e.span }));
}

/**
 * Whether `query` matches `name` as VS Code's symbol search does it: the query's characters
 * in order, ignoring case (`gus` matches `GET /users`).
 */
export function fuzzyMatch(query: string, name: string): boolean {
  const q = query.toLowerCase().replace(/\s+/g, '');
  const n = name.toLowerCase();
  let i = 0;
  for (const c of n) if (i < q.length && c === q[i]) i++;
  return i === q.length;
}

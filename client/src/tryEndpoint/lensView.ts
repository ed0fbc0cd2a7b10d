/**
 * When the "try" lenses show and what they say. Pure: the gateway snapshot and the history of
 * tries in, visibility and titles out (lenses.ts applies them).
 */
import type { GatewaySnapshot } from '../statusBar/view';
import { gatewayOrigin, summaryLine, tryFailed } from './request';
import type { TryResult } from './request';

/**
 * The origin to send tries to, when the gateway of the document's folder is healthy and runs
 * this very file; undefined otherwise (then no lens shows). A gateway that keeps serving the
 * last good config while the latest save is invalid is still healthy.
 */
export function tryTarget(snapshot: GatewaySnapshot | undefined, relativePath: string): string | undefined {
  if (!snapshot || snapshot.state.phase !== 'healthy') return undefined;
  if (snapshot.configRelativePath !== relativePath) return undefined;
  return gatewayOrigin(snapshot.healthUrl);
}

/** The key of an endpoint in the history: its file, method and path as written. */
export function endpointKey(uri: string, method: string, path: string): string {
  return `${uri}#${method} ${path}`;
}

/** The lens title: `GET /users/{id} → try`, marked when the last try failed. */
export function lensTitle(base: string, last: TryResult | undefined): string {
  if (!last) return base;
  if (tryFailed(last)) return `$(error) ${base} (last: ${summaryLine(last).split(' · ').slice(0, 2).join(', ')})`;
  return `${base} (last: ${last.response!.status}, ${Math.round(last.latencyMs)} ms)`;
}

/** The last try of each endpoint. */
export class TryHistory {
  private readonly last = new Map<string, TryResult>();

  record(key: string, result: TryResult): void {
    this.last.set(key, result);
  }

  get(key: string): TryResult | undefined {
    return this.last.get(key);
  }
}

/**
 * Whether a document's text is what its gateway runs: saved, applied (no invalid, rejected or
 * auto-saved-but-unapplied save pending) and no reload under way.
 */
export function textIsServed(snapshot: GatewaySnapshot | undefined, dirty: boolean): boolean {
  const s = snapshot?.state;
  return !dirty && s !== undefined && s.op === undefined && s.configIssue === undefined && s.unapplied !== true;
}

/**
 * The endpoints each document's gateway serves, learnt from its lenses while its text is what
 * runs. While it is not (unsaved edits, an invalid save), only lenses of served endpoints show:
 * a lens on half-typed `/users/:id` would try a route the gateway does not have.
 */
export class ServedEndpoints {
  private readonly byUri = new Map<string, ReadonlySet<string>>();

  /** The lenses to show; `keyOf` gives an endpoint key (method and path) of each. */
  filter<T>(uri: string, lenses: readonly T[], keyOf: (lens: T) => string | undefined, served: boolean): T[] {
    if (served) {
      this.byUri.set(uri, new Set(lenses.map(keyOf).filter((k): k is string => k !== undefined)));
      return [...lenses];
    }
    const known = this.byUri.get(uri);
    return known ? lenses.filter((l) => known.has(keyOf(l) ?? '')) : [];
  }
}

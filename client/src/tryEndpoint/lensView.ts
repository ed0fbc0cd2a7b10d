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

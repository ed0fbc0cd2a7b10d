/**
 * What `krakend-live watch` prints: one status line per change, saying what happened and how long
 * it took. Pure (data in, text out), so the wording is unit-tested.
 */
import { describeStandIn } from '../gateway/compose';
import type { GatewayPlan } from '../gateway/plan';

export type WatchEvent =
  /** The gateway serves the first valid config. */
  | {
      readonly kind: 'started';
      readonly file: string;
      readonly url: string;
      readonly image: string;
      readonly reload: GatewayPlan['reload'];
      readonly network: string;
      readonly ms: number;
      /** The compose service whose place it took (its container stopped until the gateway stops). */
      readonly standsInFor?: { readonly project: string; readonly service: string };
    }
  /** The first start (or a start after a fix) failed; nothing serves. */
  | { readonly kind: 'startFailed'; readonly file: string; readonly message: string; readonly logTail: readonly string[]; readonly fatal: boolean }
  /** A valid change is serving; `totalMs` from the first change seen on disk to the new config serving. */
  | { readonly kind: 'reloaded'; readonly changed: readonly string[]; readonly totalMs: number; readonly reloadMs: number; readonly checkMs: number; readonly reload: GatewayPlan['reload'] }
  /** A change with errors: nothing reloads. */
  | { readonly kind: 'invalid'; readonly changed: readonly string[]; readonly errors: number; readonly serving: boolean }
  /** A valid change KrakenD would not run (blue/green threw it away). */
  | { readonly kind: 'rejected'; readonly changed: readonly string[]; readonly message: string; readonly logTail: readonly string[]; readonly serving: boolean }
  /** The configuration could not be read (deleted, mid-checkout). */
  | { readonly kind: 'unreadable'; readonly file: string; readonly message: string; readonly serving: boolean }
  /** The running gateway went down on its own (a crash, Docker gone). */
  | { readonly kind: 'down'; readonly message: string; readonly logTail: readonly string[] }
  /** SIGINT/SIGTERM: the gateway was stopped and its containers removed. */
  | { readonly kind: 'stopped' };

/** `14:03:07`: the local wall clock, as a terminal reader compares it. */
export function clock(at: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
}

/** `850 ms` below ten seconds, `12.3 s` above. */
export function duration(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function reloadName(reload: GatewayPlan['reload']): string {
  return reload === 'blueGreen' ? 'blue/green' : reload === 'watch' ? ':watch image' : 'restart';
}

/** `krakend.json changed`, `krakend.json and partials/a.json changed`, `4 files changed`. */
export function changedText(changed: readonly string[]): string {
  if (changed.length === 0) return 'a change';
  if (changed.length === 1) return `${changed[0]} changed`;
  if (changed.length === 2) return `${changed[0]} and ${changed[1]} changed`;
  return `${changed.length} files changed`;
}

function keeps(serving: boolean): string {
  return serving ? 'the gateway keeps serving the last good config' : 'nothing is serving yet';
}

function withTail(line: string, tail: readonly string[]): string {
  return tail.length === 0 ? line : `${line}\n${tail.map((l) => `    ${l}`).join('\n')}`;
}

/** The status line (and, for failures, KrakenD's last log lines indented below it). */
export function statusLine(e: WatchEvent, at: Date): string {
  const t = `[${clock(at)}]`;
  switch (e.kind) {
    case 'started':
      return `${t} serving ${e.file} on ${e.url}${e.standsInFor ? ` in place of ${describeStandIn(e.standsInFor)}` : ''} (${e.image}, ${e.network} network, ${reloadName(e.reload)} reloads): started in ${duration(e.ms)}`;
    case 'startFailed':
      return withTail(`${t} ${e.file} did not start: ${e.message} ${e.fatal ? 'Stopping.' : 'Fix it and save: the next valid change starts it.'}`, e.logTail);
    case 'reloaded':
      return `${t} reloaded in ${duration(e.totalMs)}: ${changedText(e.changed)} (check ${duration(e.checkMs)}, ${reloadName(e.reload)} ${duration(e.reloadMs)})`;
    case 'invalid':
      return `${t} not reloaded: ${changedText(e.changed)} with ${e.errors} error(s); ${keeps(e.serving)}`;
    case 'rejected':
      return withTail(`${t} not reloaded: ${changedText(e.changed)}, but ${e.message.replace(/^The new config/, 'the new config')} ${keeps(e.serving)}`, e.logTail);
    case 'unreadable':
      return `${t} ${e.file} cannot be read (${e.message}); ${keeps(e.serving)}`;
    case 'down':
      return withTail(`${t} the gateway is down: ${e.message}`, e.logTail);
    case 'stopped':
      return `${t} stopped; the gateway's containers are removed`;
  }
}

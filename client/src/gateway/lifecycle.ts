/**
 * The gateway lifecycle as a pure state machine: (state, event, now) → (state, effects).
 *
 * It is the one place that decides what happens next, so the rules that matter are here and
 * unit-tested without Docker:
 * - at most one Docker operation (start, reload, stop) runs at a time; requests that arrive
 *   meanwhile are queued as ONE next operation, so rapid saves coalesce into one reload and
 *   restarts never overlap;
 * - a save with errors never causes an operation, and drops a queued reload;
 * - unexpected exits are restarted until `maxCrashRestarts`, then the machine stops retrying.
 * The controller executes the effects and reports back with `opSucceeded` / `opFailed`.
 */

export type Phase =
  | 'stopped'
  | 'starting'
  | 'reloading'
  | 'healthy'
  | 'unhealthy'
  | 'stopping'
  | 'exited'
  | 'failed'
  | 'dockerUnavailable';

export type Op = 'start' | 'reload' | 'stop';

export type FaultKind =
  | 'dockerUnavailable'
  | 'dockerPermission'
  | 'portInUse'
  | 'imageNotFound'
  | 'registryUnreachable'
  | 'exitedAtStart'
  | 'crashLoop'
  | 'notOwned'
  | 'configMissing'
  /** The staging folder could not be written (permissions, a full disk). */
  | 'staging'
  | 'plan'
  | 'timeout'
  | 'unknown';

export interface Fault {
  readonly kind: FaultKind;
  readonly message: string;
  readonly exitCode?: number;
  readonly logTail?: readonly string[];
}

export interface ExitInfo {
  readonly code: number;
  readonly oom: boolean;
  readonly logTail: readonly string[];
}

export interface CheckSummary {
  readonly ok: boolean;
  readonly errors: number;
  readonly warnings: number;
  readonly trigger: 'open' | 'save' | 'change' | 'request';
  readonly at: number;
}

export interface LifecycleState {
  readonly phase: Phase;
  /** The Docker operation in flight; undefined when idle. */
  readonly op?: Op;
  /** Whether the running op was started by the crash handler, not by the user or a save. */
  readonly opAuto?: boolean;
  readonly opStartedAt?: number;
  /** The one operation to run when `op` finishes. */
  readonly queued?: Op;
  /**
   * The latest saved config is not what runs: the gateway serves the last good one. `rejected`:
   * it passed the check but could not be applied (it could not be staged, or, blue/green, the
   * KrakenD started with it never became healthy); the fault says which.
   */
  readonly configIssue?: 'invalid' | 'deleted' | 'rejected';
  /**
   * The latest save was automatic (`krakend.gateway.reloadOn: save`): its config is valid but not
   * applied; the gateway serves the one before. The next deliberate save, start or restart applies it.
   */
  readonly unapplied?: boolean;
  /** Consecutive unexpected exits since the user last started or a valid save reloaded. */
  readonly crashes: number;
  readonly maxCrashRestarts: number;
  readonly fault?: Fault;
  readonly exit?: ExitInfo;
  /** When the running KrakenD process started. */
  readonly startedAt?: number;
  /** The last start or reload that ended (`op` says which: a first start is not a reload). */
  readonly lastReload?: { readonly at: number; readonly durationMs: number; readonly op: 'start' | 'reload' };
  readonly lastCheck?: CheckSummary;
  /**
   * Blue/green: when the proxy switched new requests to the new config, while the reload still
   * lets the old container finish its requests. The gateway already serves the new config.
   */
  readonly switchedAt?: number;
  /**
   * Start Gateway is checking the config before it asks for the start: the status says so at
   * once instead of keeping the last fault ("port in use") while the check runs.
   */
  readonly startChecking?: boolean;
  /** Completed reloads; the benchmark and tests count them. */
  readonly reloads: number;
  /** Docker went away while the gateway ran: start it again as soon as Docker is back. */
  readonly resumeOnDocker?: boolean;
}

export type LifecycleEvent =
  | { readonly type: 'startRequested' }
  | { readonly type: 'stopRequested' }
  /** The Restart command, after a passing check. */
  | { readonly type: 'restartRequested' }
  /** `autoSaved`: a save VS Code made on its own (after a delay, on focus change) that must not reload. */
  | { readonly type: 'checked'; readonly ok: boolean; readonly errors: number; readonly warnings: number; readonly trigger: CheckSummary['trigger']; readonly autoSaved?: boolean }
  | { readonly type: 'configDeleted' }
  /** Blue/green: the new config is healthy and the proxy sends it the new requests; the old one drains. */
  | { readonly type: 'switched' }
  /** Start Gateway began (`true`) or gave up (`false`, the check refused) checking the config. */
  | { readonly type: 'startChecking'; readonly on: boolean }
  | { readonly type: 'opSucceeded'; readonly op: Op; readonly healthy: boolean }
  | { readonly type: 'opFailed'; readonly op: Op; readonly fault: Fault }
  /**
   * A reload that could not apply the new config while the old one kept serving: a blue/green
   * KrakenD that never became healthy (thrown away), or staging that failed before anything stopped.
   */
  | { readonly type: 'reloadRejected'; readonly fault: Fault }
  /** The container exited while no operation of ours was running. */
  | { readonly type: 'died'; readonly exitCode: number; readonly oom: boolean; readonly logTail: readonly string[] }
  /** The daemon went away (events stream ended, ping failed). */
  | { readonly type: 'dockerLost'; readonly message: string }
  /** A background probe of a running gateway changed its answer. */
  | { readonly type: 'healthChanged'; readonly healthy: boolean }
  /** On activation: our container from an earlier session is still running (onDeactivate "keep"). */
  | { readonly type: 'adopted'; readonly healthy: boolean; readonly startedAt: number }
  /** A probe of the daemon while nothing runs: whether it answered. */
  | { readonly type: 'dockerProbed'; readonly available: boolean; readonly message: string }
  /** The daemon answers again after it was lost (restarted, say). */
  | { readonly type: 'dockerBack' };

export interface Effect {
  readonly kind: 'run';
  readonly op: Op;
  /** Set for restarts after a crash, so the UI can say so. */
  readonly auto?: boolean;
}

export interface Transition {
  readonly state: LifecycleState;
  readonly effects: readonly Effect[];
  /** Why a request was not acted on, for the user. */
  readonly refusal?: string;
}

export function initialState(maxCrashRestarts: number): LifecycleState {
  return { phase: 'stopped', crashes: 0, maxCrashRestarts, reloads: 0 };
}

/** KrakenD is (or is about to be) serving: saves should reach it. */
export function isRunning(s: LifecycleState): boolean {
  return s.phase === 'healthy' || s.phase === 'unhealthy' || s.phase === 'starting' || s.phase === 'reloading' || (s.op !== undefined && s.op !== 'stop');
}

const PHASE_OF_OP: Record<Op, Phase> = { start: 'starting', reload: 'reloading', stop: 'stopping' };

function run(s: LifecycleState, op: Op, now: number, auto = false): Transition {
  const state: LifecycleState = {
    ...s,
    phase: PHASE_OF_OP[op],
    op,
    opAuto: auto,
    opStartedAt: now,
    queued: undefined,
    // An automatic restart keeps the exit that caused it, so the crash stays visible.
    ...(op === 'start' ? (auto ? { fault: undefined } : { fault: undefined, exit: undefined }) : {}),
  };
  return { state, effects: [{ kind: 'run', op, ...(auto ? { auto } : {}) }] };
}

function stay(state: LifecycleState, refusal?: string): Transition {
  return refusal === undefined ? { state, effects: [] } : { state, effects: [], refusal };
}

/** Queues `op` behind the running one. One slot: the latest intent wins, reloads merge. */
function enqueue(s: LifecycleState, op: Op): Transition {
  const busy = s.op;
  if (busy === undefined) throw new Error('enqueue while idle');
  if (op === 'stop') {
    if (busy === 'stop' && s.queued === undefined) return stay(s);
    return stay({ ...s, queued: 'stop' });
  }
  if (op === 'start') {
    if (s.queued === 'stop' || (busy === 'stop' && s.queued === undefined)) return stay({ ...s, queued: 'start' });
    return stay(s, 'The gateway is already starting or running; use Restart Gateway to reload it.');
  }
  // reload
  if (s.queued === 'reload' || s.queued === 'start') return stay(s); // coalesced
  if (s.queued === 'stop' || busy === 'stop') return stay(s, 'The gateway is stopping.');
  return stay({ ...s, queued: 'reload' });
}

function request(s: LifecycleState, op: Op, now: number): Transition {
  return s.op === undefined ? run(s, op, now) : enqueue(s, op);
}

/** Runs the queued operation, if it still makes sense in the phase the last one left. */
function next(s: LifecycleState, now: number): Transition {
  const q = s.queued;
  const idle: LifecycleState = { ...s, op: undefined, opAuto: undefined, opStartedAt: undefined, queued: undefined, switchedAt: undefined };
  if (q === undefined) return stay(idle);
  if (q === 'reload') {
    // A reload of a gateway that is not running would start it behind the user's back.
    if (idle.phase === 'healthy' || idle.phase === 'unhealthy') return run(idle, 'reload', now);
    return stay(idle);
  }
  if (q === 'stop' && (idle.phase === 'stopped' || idle.phase === 'dockerUnavailable')) return stay(idle);
  return run(idle, q, now);
}

function crashed(s: LifecycleState, exit: ExitInfo, now: number): Transition {
  const crashes = s.crashes + 1;
  const base: LifecycleState = { ...s, op: undefined, opAuto: undefined, opStartedAt: undefined, queued: undefined, crashes, exit, startedAt: undefined };
  if (crashes > s.maxCrashRestarts) {
    const fault: Fault = {
      kind: 'crashLoop',
      message: `KrakenD exited ${crashes} times in a row (last exit code ${exit.code}${exit.oom ? ', out of memory' : ''}); not restarting it again. Fix the cause and start it.`,
      exitCode: exit.code,
      logTail: exit.logTail,
    };
    return stay({ ...base, phase: 'exited', fault });
  }
  return run({ ...base, phase: 'exited' }, 'start', now, true);
}

export function transition(s: LifecycleState, e: LifecycleEvent, now: number): Transition {
  switch (e.type) {
    case 'startRequested': {
      if (s.op === undefined && (s.phase === 'healthy' || s.phase === 'unhealthy')) {
        return stay({ ...s, startChecking: undefined }, 'The gateway is already running; use Restart Gateway to reload it.');
      }
      const t = request(s, 'start', now);
      // Start checks the file on disk first (a `request` check), an auto-saved config included.
      return { ...t, state: { ...t.state, crashes: 0, unapplied: undefined, startChecking: undefined } };
    }
    case 'stopRequested': {
      if (s.op === undefined && s.resumeOnDocker) return stay({ ...s, resumeOnDocker: undefined }, 'The gateway will not be started again when Docker is back.');
      if (s.op === undefined && (s.phase === 'stopped' || s.phase === 'dockerUnavailable')) return stay(s, 'The gateway is not running.');
      return request(s, 'stop', now);
    }
    case 'restartRequested': {
      // A restart stages what is on disk, an auto-saved config included.
      const reset = { ...s, crashes: 0, unapplied: undefined };
      if (s.op === undefined) return run(reset, s.phase === 'healthy' || s.phase === 'unhealthy' ? 'reload' : 'start', now);
      return enqueue(reset, 'reload');
    }
    case 'checked': {
      const lastCheck: CheckSummary = { ok: e.ok, errors: e.errors, warnings: e.warnings, trigger: e.trigger, at: now };
      if (e.trigger !== 'save') return stay({ ...s, lastCheck });
      if (!e.ok) {
        // Nothing of this save reaches staging. A reload queued by an earlier, valid save stays: it
        // stages that save's checked files (the controller keeps them), the last good config, which
        // the gateway must end up serving whatever came after it.
        return stay({ ...s, lastCheck, configIssue: 'invalid', unapplied: undefined });
      }
      // Valid is not the same as meant: an auto-save is checked, and said to be not applied.
      if (e.autoSaved) return stay({ ...s, lastCheck, configIssue: undefined, unapplied: true });
      const valid: LifecycleState = { ...s, lastCheck, configIssue: undefined, unapplied: undefined };
      if (s.op === undefined && s.phase === 'exited') {
        // The fix for a config that made KrakenD exit (a missing TLS file, a bad plugin) is a save.
        return run({ ...valid, crashes: 0 }, 'start', now);
      }
      if (!isRunning(s)) return stay(valid);
      const t = request({ ...valid, crashes: 0 }, 'reload', now);
      return { ...t, refusal: undefined };
    }
    case 'startChecking':
      return stay({ ...s, startChecking: e.on ? true : undefined });
    case 'switched':
      if (s.op !== 'reload') return stay(s);
      return stay({ ...s, phase: 'healthy', switchedAt: now, fault: undefined });
    case 'configDeleted':
      return stay({ ...s, configIssue: 'deleted', queued: s.queued === 'reload' ? undefined : s.queued });
    case 'opSucceeded': {
      if (s.op !== e.op) return stay(s);
      if (e.op === 'stop') return next({ ...s, phase: 'stopped', startedAt: undefined, fault: undefined }, now);
      const began = s.opStartedAt ?? now;
      // A blue/green reload took effect at its switch; the old container's drain is not the reload.
      const tookEffect = s.switchedAt ?? now;
      const after: LifecycleState = {
        ...s,
        switchedAt: undefined,
        phase: e.healthy ? 'healthy' : 'unhealthy',
        startedAt: now,
        lastReload: { at: tookEffect, durationMs: tookEffect - began, op: e.op },
        reloads: e.op === 'reload' ? s.reloads + 1 : s.reloads,
        fault: e.healthy ? undefined : { kind: 'timeout', message: 'KrakenD started but its health endpoint did not answer 200 in time.' },
        // After an automatic restart the crash is still news; the user's next op clears it.
        exit: s.opAuto ? s.exit : undefined,
      };
      return next(after, now);
    }
    case 'opFailed': {
      if (s.op !== e.op) return stay(s);
      const f = e.fault;
      if (f.kind === 'exitedAtStart' && s.opAuto) {
        return crashed(s, { code: f.exitCode ?? -1, oom: false, logTail: f.logTail ?? [] }, now);
      }
      const phase: Phase =
        f.kind === 'dockerUnavailable' || f.kind === 'dockerPermission' ? 'dockerUnavailable' : f.kind === 'exitedAtStart' ? 'exited' : 'failed';
      const exit = f.kind === 'exitedAtStart' ? { code: f.exitCode ?? -1, oom: false, logTail: f.logTail ?? [] } : s.exit;
      const failed: LifecycleState = {
        ...s,
        phase,
        fault: f,
        exit,
        startedAt: undefined,
        // A start or reload that Docker's absence stopped is still wanted: it runs once Docker is back.
        ...(phase === 'dockerUnavailable' && s.op !== 'stop' ? { resumeOnDocker: true } : {}),
        // Only a stop still makes sense after a failure; a queued start would fail the same way.
        queued: s.queued === 'stop' && phase !== 'dockerUnavailable' ? 'stop' : undefined,
      };
      return next(failed, now);
    }
    case 'reloadRejected': {
      if (s.op !== 'reload') return stay(s);
      // The old KrakenD is still the one serving; its health is the monitor's business again.
      return next({ ...s, phase: 'healthy', configIssue: 'rejected', fault: e.fault }, now);
    }
    case 'died': {
      // Our own stop and restart make the container die too; the running op reports those.
      if (s.op !== undefined) return stay(s);
      if (s.phase !== 'healthy' && s.phase !== 'unhealthy') return stay(s);
      return crashed(s, { code: e.exitCode, oom: e.oom, logTail: e.logTail }, now);
    }
    case 'healthChanged': {
      if (s.op !== undefined || (s.phase !== 'healthy' && s.phase !== 'unhealthy')) return stay(s);
      if (e.healthy === (s.phase === 'healthy')) return stay(s);
      return stay({
        ...s,
        phase: e.healthy ? 'healthy' : 'unhealthy',
        fault: e.healthy ? undefined : { kind: 'timeout', message: 'The health endpoint stopped answering 200.' },
      });
    }
    case 'adopted': {
      if (s.op !== undefined || s.phase !== 'stopped') return stay(s);
      return stay({ ...s, phase: e.healthy ? 'healthy' : 'unhealthy', startedAt: e.startedAt, fault: undefined });
    }
    case 'dockerProbed': {
      // Only an idle gateway learns from a probe; a running operation finds out for itself.
      if (s.op !== undefined || (s.phase !== 'stopped' && s.phase !== 'dockerUnavailable')) return stay(s);
      if (e.available) return stay({ ...s, phase: 'stopped', fault: undefined });
      return stay({ ...s, phase: 'dockerUnavailable', startedAt: undefined, fault: { kind: 'dockerUnavailable', message: e.message } });
    }
    case 'dockerLost': {
      if (s.op !== undefined || s.phase === 'stopped') return stay(s);
      // A gateway the user had running comes back with Docker; one that had stopped does not.
      const resume = s.phase === 'healthy' || s.phase === 'unhealthy' || s.resumeOnDocker === true;
      return stay({ ...s, phase: 'dockerUnavailable', startedAt: undefined, resumeOnDocker: resume, fault: { kind: 'dockerUnavailable', message: e.message } });
    }
    case 'dockerBack': {
      if (s.op !== undefined || s.phase !== 'dockerUnavailable') return stay(s);
      const back: LifecycleState = { ...s, phase: 'stopped', fault: undefined, resumeOnDocker: undefined };
      return s.resumeOnDocker ? run(back, 'start', now, true) : stay(back);
    }
  }
}

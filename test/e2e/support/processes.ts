/** Child processes for the e2e harness: each runs in its own process group so teardown kills the whole tree. */
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface Managed {
  readonly child: ChildProcess;
  readonly name: string;
  /** Resolves with the first output line matching `re`; rejects on exit or after `timeoutMs`. */
  waitForLine(re: RegExp, timeoutMs: number): Promise<string>;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the leader has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Everything the process wrote so far (also mirrored to the log file). */
  output(): string;
}

const live = new Set<ChildProcess>();
const exitCleanups = new Set<() => void>();

/**
 * Registers synchronous cleanup for an abnormal end (an uncaught error, or the runner's SIGTERM or
 * a Ctrl-C), when the async teardown in `after` cannot run. Returns a function that unregisters it.
 */
export function onAbnormalExit(cleanup: () => void): () => void {
  exitCleanups.add(cleanup);
  return () => exitCleanups.delete(cleanup);
}

function lastResort(): void {
  for (const child of live) killGroup(child, 'SIGKILL');
  for (const cleanup of exitCleanups) {
    try {
      cleanup();
    } catch {
      // Best effort while exiting; the normal teardown reports its own errors.
    }
  }
  exitCleanups.clear();
}

// Last line of defence: a test process that dies still takes its children (and containers) along.
process.once('exit', lastResort);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    lastResort();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone; nothing left to kill.
  }
}

/** Starts `cmd` detached (its own process group), logging stdout and stderr to `logFile`. */
export function startProcess(name: string, cmd: string, args: readonly string[], logFile: string, options: SpawnOptions = {}): Managed {
  const child = spawn(cmd, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const log = createWriteStream(logFile, { flags: 'a' });
  let text = '';
  let pending = '';
  const lineListeners = new Set<(line: string) => void>();
  const onData = (chunk: Buffer): void => {
    const s = chunk.toString('utf8');
    log.write(s);
    text += s;
    pending += s;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) for (const l of lineListeners) l(line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      live.delete(child);
      log.end();
      resolve();
    });
    child.once('error', () => {
      live.delete(child);
      resolve();
    });
  });

  return {
    child,
    name,
    output: () => text,
    waitForLine(re, timeoutMs) {
      const already = text.split('\n').find((l) => re.test(l));
      if (already !== undefined) return Promise.resolve(already);
      return new Promise<string>((resolve, reject) => {
        const done = (): void => {
          clearTimeout(timer);
          lineListeners.delete(onLine);
          child.off('exit', onExit);
        };
        const onLine = (line: string): void => {
          if (!re.test(line)) return;
          done();
          resolve(line);
        };
        const onExit = (code: number | null, signal: string | null): void => {
          done();
          reject(new Error(`${name} exited (code ${String(code)}, signal ${String(signal)}) before printing ${String(re)}; see ${logFile}\n${text.slice(-2000)}`));
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${name} did not print ${String(re)} within ${timeoutMs} ms; see ${logFile}\n${text.slice(-2000)}`));
        }, timeoutMs);
        lineListeners.add(onLine);
        child.once('exit', onExit);
      });
    },
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // The leader may exit before its children (code-server's extension host): sweep the group.
      killGroup(child, 'SIGKILL');
    },
  };
}

/** Runs a command to completion with a bounded time; rejects with its output on failure. */
export function run(cmd: string, args: readonly string[], options: SpawnOptions & { timeoutMs: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} took longer than ${options.timeoutMs} ms\n${out.slice(-3000)}`));
    }, options.timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      live.delete(child);
      reject(e);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      live.delete(child);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${String(code)}\n${out.slice(-3000)}`));
    });
  });
}

/** A free loopback port: the product's own helper. */
export { freeLoopbackPort as freePort } from '../../../client/src/gateway/proxy';

/**
 * Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`.
 * For state that has no event to wait on (a container's StartedAt, an HTTP answer).
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

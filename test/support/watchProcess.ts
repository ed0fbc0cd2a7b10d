/** `node dist/cli.js watch …` as a user runs it in a terminal: a child process and its output, line by line. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { withTimeout } from './docker';
import { Lines } from './lines';

export const CLI = resolve('dist/cli.js');

export class WatchProcess {
  readonly out: Lines;
  readonly err: Lines;
  private readonly child: ChildProcess;
  private readonly timeoutMs: number;

  /** `args` after `watch`; every wait on its output and on its exit is bounded by `timeoutMs`. */
  constructor(args: readonly string[], o: { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly timeoutMs: number }) {
    this.timeoutMs = o.timeoutMs;
    this.child = spawn(process.execPath, [CLI, 'watch', ...args], { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.out = new Lines(this.child.stdout!, o.timeoutMs);
    this.err = new Lines(this.child.stderr!, o.timeoutMs);
  }

  /** Ctrl-C: SIGINT, then its exit status. */
  interrupt(): Promise<number | null> {
    const c = this.child;
    const exited = new Promise<number | null>((resolveExit) => c.once('exit', (code) => resolveExit(code)));
    c.kill('SIGINT');
    return withTimeout(exited, this.timeoutMs, () => `the watch to exit; stderr:\n${this.err.all.join('\n')}`);
  }

  /** What a failed test leaves behind: SIGKILL, if it still runs. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

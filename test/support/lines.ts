/** A child process's output, line by line, for tests and benchmarks that wait on what it prints. */
import { withTimeout } from './docker';

/** A stream's lines so far, with bounded waits on a line that is yet to come. */
export class Lines {
  readonly all: string[] = [];
  private readonly waiters = new Set<{ re: RegExp; resolve: (line: string) => void }>();
  private partial = '';

  constructor(stream: NodeJS.ReadableStream, private readonly timeoutMs: number) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (this.partial + chunk).split('\n');
      this.partial = parts.pop() ?? '';
      for (const line of parts) {
        this.all.push(line);
        for (const w of this.waiters) {
          if (w.re.test(line)) {
            this.waiters.delete(w);
            w.resolve(line);
          }
        }
      }
    });
  }

  /** The next line (from now on) matching `re`. Attach before triggering. */
  next(re: RegExp, what: string): Promise<string> {
    return withTimeout(new Promise<string>((resolveLine) => this.waiters.add({ re, resolve: resolveLine })), this.timeoutMs, () => `${what}; output so far:\n${this.all.join('\n')}`);
  }
}


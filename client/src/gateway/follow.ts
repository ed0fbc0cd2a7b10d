/**
 * One followed stream at a time, the latest request winning. Opening a Docker log stream is
 * async, so two quick requests (Show Gateway Logs twice, or a click racing the re-follow after
 * a restart) would otherwise both open one: every line printed twice and a stream never disposed.
 */
import type { Disposable } from './docker';

export class LatestStream implements Disposable {
  private current: Disposable | undefined;
  private generation = 0;
  private disposed = false;

  /**
   * Closes the current stream and opens a new one. Resolves true when the opened stream is
   * now the current one, false when a later request or dispose() superseded it (it is closed).
   */
  async replace(open: () => Promise<Disposable>): Promise<boolean> {
    const mine = ++this.generation;
    this.current?.dispose();
    this.current = undefined;
    const stream = await open();
    if (this.disposed || mine !== this.generation) {
      stream.dispose();
      return false;
    }
    this.current = stream;
    return true;
  }

  dispose(): void {
    this.disposed = true;
    this.generation++;
    this.current?.dispose();
    this.current = undefined;
  }
}

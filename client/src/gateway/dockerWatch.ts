/**
 * The controller's line to the Docker daemon: one adapter per connection, one event subscription
 * per adapter, and the reconnection after Docker went away under a running gateway. It reports
 * what it sees through hooks and decides nothing about the gateway; the lifecycle machine does.
 */
import { DockerAdapter } from './docker';
import type { ContainerEvent, Disposable } from './docker';
import { pause } from './health';
import type { DockerConnection } from './plan';
import type { Logger } from './strategies/strategy';

/** How long a gateway that lost Docker waits for it to come back before it stays down. */
const DOCKER_BACK_LIMIT_MS = 10 * 60_000;

export interface DockerWatchHooks {
  readonly log: Logger;
  readonly now: () => number;
  /** How often Docker is pinged after it went away. */
  readonly retryMs: number;
  /** Tests and the manager may share or wrap adapters; the default makes one per connection. */
  readonly createAdapter?: (c: DockerConnection) => DockerAdapter;
  /** A container event for one of our containers. */
  onEvent(e: ContainerEvent): void;
  /** The live event stream ended without us ending it. */
  onLost(message: string): void;
  /** Whether the gateway still waits for Docker to come back. */
  stillWaiting(): boolean;
  /** Docker answers again. */
  onBack(): void;
}

export class DockerWatch implements Disposable {
  private adapter: DockerAdapter | undefined;
  private adapterKey = '';
  private sub: Disposable | undefined;
  private pending: { readonly docker: DockerAdapter; readonly done: Promise<void> } | undefined;
  private back: AbortController | undefined;
  private disposed = false;

  constructor(private readonly hooks: DockerWatchHooks) {}

  /** The adapter made last, if any. */
  get current(): DockerAdapter | undefined {
    return this.adapter;
  }

  /** The adapter for this connection; a new connection replaces the adapter and drops its events. */
  adapterFor(c: DockerConnection): DockerAdapter {
    const key = JSON.stringify(c);
    if (!this.adapter || this.adapterKey !== key) {
      this.sub?.dispose();
      this.sub = undefined;
      this.adapter?.dispose();
      this.adapter = this.hooks.createAdapter ? this.hooks.createAdapter(c) : new DockerAdapter(c, { warn: (m) => this.hooks.log.warn(m) });
      this.adapterKey = key;
    }
    return this.adapter;
  }

  /**
   * Subscribes once per adapter. Concurrent callers (adoption racing a start) share one
   * subscription; a second one would double every event and, when its stream ended, clear the
   * live one and report Docker as lost.
   */
  ensureEvents(docker: DockerAdapter): Promise<void> {
    if (this.sub) return Promise.resolve();
    if (this.pending?.docker !== docker) {
      const pending = {
        docker,
        done: this.subscribe(docker).finally(() => {
          if (this.pending === pending) this.pending = undefined;
        }),
      };
      this.pending = pending;
    }
    return this.pending.done;
  }

  private async subscribe(docker: DockerAdapter): Promise<void> {
    // The end handler may in principle run before `events` resolves; it then finds no sub.
    const mine: { sub?: Disposable } = {};
    const sub = await docker.events(
      (e) => this.hooks.onEvent(e),
      (err) => {
        // Only the live subscription's end means anything; a discarded one just goes.
        if (mine.sub === undefined || this.sub !== mine.sub) return;
        this.sub = undefined;
        if (this.disposed) return;
        const msg = `Lost the connection to Docker${err ? ` (${err.message})` : ''}.`;
        this.hooks.log.warn(msg);
        this.hooks.onLost(msg);
      },
    );
    if (this.disposed || this.adapter !== docker) {
      // The adapter was replaced (or we were disposed) while subscribing.
      sub.dispose();
      return;
    }
    mine.sub = sub;
    this.sub = sub;
  }

  /**
   * After Docker went away under a running gateway: pings it every few seconds (for at most
   * DOCKER_BACK_LIMIT_MS) and, once it answers, says so. One wait at a time.
   */
  awaitBack(c: DockerConnection): void {
    if (this.back || this.disposed) return;
    const docker = this.adapterFor(c);
    const ac = new AbortController();
    this.back = ac;
    const began = this.hooks.now();
    const loop = async (): Promise<void> => {
      while (!ac.signal.aborted && this.hooks.stillWaiting() && this.hooks.now() - began < DOCKER_BACK_LIMIT_MS) {
        await pause(this.hooks.retryMs, ac.signal);
        if (ac.signal.aborted || !this.hooks.stillWaiting()) return;
        try {
          await docker.ping();
        } catch {
          continue;
        }
        this.hooks.onBack();
        return;
      }
    };
    loop()
      .catch((err: unknown) => this.hooks.log.warn(`waiting for Docker failed: ${String(err)}`))
      .finally(() => {
        if (this.back === ac) this.back = undefined;
      });
  }

  dispose(): void {
    this.disposed = true;
    this.back?.abort();
    this.sub?.dispose();
    this.sub = undefined;
    this.adapter?.dispose();
    this.adapter = undefined;
  }
}

/**
 * The language client's lifetime, kept free of `vscode` so it is unit-tested: one client at a
 * time, its listeners owned with it (disposed when it is replaced, so a restart leaks nothing),
 * state events from a replaced client ignored, and starts/restarts/stops run one after another
 * (two quick `krakend.configFiles` changes must not start two servers and lose one).
 */

export interface SlotDisposable {
  dispose(): unknown;
}

/** What the slot needs of a client (vscode-languageclient's LanguageClient fits). */
export interface ManagedClient {
  start(): Promise<void>;
  dispose(): Promise<void> | void;
}

export interface ClientWiring<C> {
  /** Makes a new client. */
  readonly create: () => C;
  /**
   * Attaches the listeners of `client`; the slot disposes them with it. `isCurrent` tells a
   * listener whether its client is still the one in the slot.
   */
  readonly wire: (client: C, isCurrent: () => boolean) => readonly SlotDisposable[];
}

export class ClientSlot<C extends ManagedClient> {
  private current: { readonly client: C; readonly subs: readonly SlotDisposable[] } | undefined;
  private isRunning = false;
  private queue: Promise<void> = Promise.resolve();
  /** A restart that is queued and has not begun yet; more requests join it. */
  private pendingRestart: Promise<void> | undefined;

  constructor(private readonly wiring: ClientWiring<C>) {}

  get client(): C | undefined {
    return this.current?.client;
  }

  /** The current client has started and has not stopped since. */
  get running(): boolean {
    return this.current !== undefined && this.isRunning;
  }

  /** A state change reported by `client`; ignored unless it is the current one. */
  setRunning(client: C, running: boolean): void {
    if (this.current?.client === client) this.isRunning = running;
  }

  start(): Promise<void> {
    return this.enqueue(() => this.doStart());
  }

  /** Replaces the client; requests made while one is still waiting to begin share it. */
  restart(): Promise<void> {
    if (this.pendingRestart) return this.pendingRestart;
    const p = this.enqueue(async () => {
      this.pendingRestart = undefined;
      await this.doStop();
      await this.doStart();
    });
    this.pendingRestart = p;
    return p;
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    const p = this.queue.then(op);
    // A failed step must not block the next one; the caller of the failed one gets the error.
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async doStart(): Promise<void> {
    const client = this.wiring.create();
    const entry = { client, subs: this.wiring.wire(client, () => this.current?.client === client) };
    this.current = entry;
    this.isRunning = false;
    try {
      await client.start();
      if (this.current === entry) this.isRunning = true;
    } catch (err) {
      if (this.current === entry) await this.doStop();
      throw err;
    }
  }

  private async doStop(): Promise<void> {
    const entry = this.current;
    this.current = undefined;
    this.isRunning = false;
    if (!entry) return;
    for (const d of entry.subs) d.dispose();
    await entry.client.dispose();
  }
}

// The language client's lifetime (client/src/clientSlot.ts): what ctx.ts restartClient relies on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientSlot } from '../../client/src/clientSlot';
import type { ManagedClient, SlotDisposable } from '../../client/src/clientSlot';

interface Fake extends ManagedClient {
  readonly n: number;
  disposed: boolean;
  /** Listeners attached and not yet disposed. */
  live: number;
  emitState(running: boolean): void;
  finishStart(): void;
  failStart(err: Error): void;
}

function harness(): { slot: ClientSlot<Fake>; made: Fake[]; events: string[] } {
  const made: Fake[] = [];
  const events: string[] = [];
  const slot: ClientSlot<Fake> = new ClientSlot<Fake>({
    create: () => {
      let settle!: { ok: () => void; fail: (e: Error) => void };
      const started = new Promise<void>((resolve, reject) => {
        settle = { ok: resolve, fail: reject };
      });
      const c: Fake = {
        n: made.length + 1,
        disposed: false,
        live: 0,
        start: () => {
          events.push(`start ${c.n}`);
          return started;
        },
        dispose: () => {
          events.push(`dispose ${c.n}`);
          c.disposed = true;
          return Promise.resolve();
        },
        emitState: (running) => slot.setRunning(c, running),
        finishStart: () => settle.ok(),
        failStart: (e) => settle.fail(e),
      };
      made.push(c);
      return c;
    },
    wire: (c): SlotDisposable[] => {
      c.live += 2;
      return [{ dispose: () => c.live-- }, { dispose: () => c.live-- }];
    },
  });
  return { slot, made, events };
}

/** Lets queued promise callbacks run (no timers involved). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

void describe('ClientSlot (language client restarts)', () => {
  void it('a restart disposes the old client and its listeners; none accumulate', async () => {
    const { slot, made } = harness();
    const first = slot.start();
    await settle();
    made[0]!.finishStart();
    await first;
    assert.equal(slot.running, true);
    for (let i = 0; i < 3; i++) {
      const r = slot.restart();
      await settle();
      made.at(-1)!.finishStart();
      await r;
    }
    assert.equal(made.length, 4);
    assert.deepEqual(made.map((c) => [c.disposed, c.live]), [[true, 0], [true, 0], [true, 0], [false, 2]]);
    assert.equal(slot.client, made[3]);
    assert.equal(slot.running, true);
  });

  void it('overlapping restarts never run two clients: the second waits, later ones join the queued one', async () => {
    const { slot, made, events } = harness();
    const s = slot.start();
    await settle();
    made[0]!.finishStart();
    await s;
    const r1 = slot.restart();
    await settle();
    // r1 is starting client 2; these arrive meanwhile.
    const r2 = slot.restart();
    const r3 = slot.restart();
    assert.equal(r2, r3, 'a restart that has not begun absorbs later requests');
    made[1]!.finishStart();
    await r1;
    await settle();
    made[2]!.finishStart();
    await r2;
    assert.deepEqual(events, ['start 1', 'dispose 1', 'start 2', 'dispose 2', 'start 3']);
    assert.equal(made.length, 3);
    assert.equal(made.filter((c) => !c.disposed).length, 1);
  });

  void it("a replaced client's late 'stopped' event does not mark the new one as not running", async () => {
    const { slot, made } = harness();
    const s = slot.start();
    await settle();
    made[0]!.finishStart();
    await s;
    const r = slot.restart();
    await settle();
    made[1]!.finishStart();
    await r;
    made[0]!.emitState(false);
    assert.equal(slot.running, true);
    made[1]!.emitState(false);
    assert.equal(slot.running, false, 'the current client does count');
  });

  void it('a client that fails to start is disposed, the error reaches the caller, and a later restart works', async () => {
    const { slot, made } = harness();
    const s = slot.start();
    await settle();
    made[0]!.failStart(new Error('spawn failed'));
    await assert.rejects(s, /spawn failed/);
    assert.equal(made[0]!.disposed, true);
    assert.equal(made[0]!.live, 0);
    assert.equal(slot.client, undefined);
    assert.equal(slot.running, false);
    const r = slot.restart();
    await settle();
    made[1]!.finishStart();
    await r;
    assert.equal(slot.running, true);
  });

  void it('stop disposes the client and its listeners, and is a no-op the second time', async () => {
    const { slot, made } = harness();
    const s = slot.start();
    await settle();
    made[0]!.finishStart();
    await s;
    await slot.stop();
    await slot.stop();
    assert.equal(made[0]!.disposed, true);
    assert.equal(made[0]!.live, 0);
    assert.equal(slot.running, false);
  });
});

// One followed log stream at a time (client/src/gateway/follow.ts), as the "KrakenD Gateway"
// channel uses it: overlapping requests must not leave two streams open.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatestStream } from '../../client/src/gateway/follow';

function opener(): { open: () => Promise<{ dispose(): void }>; resolveNext: () => void; open_: string[]; disposed: string[] } {
  const open_: string[] = [];
  const disposed: string[] = [];
  const pending: (() => void)[] = [];
  let n = 0;
  return {
    open_,
    disposed,
    open: () => {
      const name = `s${++n}`;
      open_.push(name);
      return new Promise((resolve) => pending.push(() => resolve({ dispose: () => disposed.push(name) })));
    },
    resolveNext: () => pending.shift()?.(),
  };
}

void describe('LatestStream (following the gateway logs)', () => {
  void it('two overlapping requests leave exactly one stream open: the later one', async () => {
    const o = opener();
    const follow = new LatestStream();
    const first = follow.replace(o.open);
    const second = follow.replace(o.open);
    o.resolveNext();
    o.resolveNext();
    assert.equal(await first, false);
    assert.equal(await second, true);
    assert.deepEqual(o.open_, ['s1', 's2']);
    assert.deepEqual(o.disposed, ['s1'], 'the superseded stream is closed as soon as it opens');
    follow.dispose();
    assert.deepEqual(o.disposed, ['s1', 's2']);
  });

  void it('a new request closes the open stream first; dispose closes the last one and any still opening', async () => {
    const o = opener();
    const follow = new LatestStream();
    const a = follow.replace(o.open);
    o.resolveNext();
    assert.equal(await a, true);
    const b = follow.replace(o.open);
    assert.deepEqual(o.disposed, ['s1']);
    follow.dispose();
    o.resolveNext();
    assert.equal(await b, false);
    assert.deepEqual(o.disposed, ['s1', 's2']);
  });

  void it('a failed open reaches the caller and leaves nothing open', async () => {
    const follow = new LatestStream();
    await assert.rejects(follow.replace(() => Promise.reject(new Error('no container yet'))), /no container yet/);
    const o = opener();
    const c = follow.replace(o.open);
    o.resolveNext();
    assert.equal(await c, true);
    follow.dispose();
    assert.deepEqual(o.disposed, ['s1']);
  });
});

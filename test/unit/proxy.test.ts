// The blue/green proxy over real loopback sockets: two small HTTP servers stand for the old and the
// new KrakenD. What a client sees through a switch is what matters: nothing refused, nothing cut,
// keep-alive connections kept, and the old upstream drained before its pool is closed.
import assert from 'node:assert/strict';
import { Agent, createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { GatewayProxy } from '../../client/src/gateway/proxy';
import type { Upstream } from '../../client/src/gateway/proxy';
import { freePort } from '../support/docker';

interface Backend {
  upstream: Upstream;
  server: Server;
  /** Requests answered so far. */
  served: number;
  /** Resolves when the next request arrives; the request is then held until `release()`. */
  hold(): Promise<void>;
  release(): void;
}

async function backend(label: string): Promise<Backend> {
  let holding: { arrived: () => void; waiting: (() => void)[] } | undefined;
  let served = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const answer = (): void => {
      served++;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${label} ${req.url ?? ''}`);
    };
    if (holding && req.url === '/slow') {
      holding.waiting.push(answer);
      holding.arrived();
      return;
    }
    answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    upstream: { host: '127.0.0.1', port, label },
    server,
    get served() {
      return served;
    },
    hold: () => new Promise<void>((arrived) => (holding = { arrived, waiting: [] })),
    release: () => {
      for (const answer of holding?.waiting ?? []) answer();
      holding = undefined;
    },
  };
}

function get(port: number, path: string, agent?: Agent, body?: string): Promise<{ status: number; body: string; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: agent ?? false, method: body === undefined ? 'GET' : 'POST' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, reused: req.reusedSocket }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const quiet = { debug: () => undefined, warn: () => undefined };

/** Resolves once the proxy holds `n` requests (each turn of the event loop is one look; bounded). */
async function heldBy(proxy: GatewayProxy, n: number): Promise<void> {
  for (let i = 0; i < 100_000 && proxy.held !== n; i++) await new Promise((r) => setImmediate(r));
  assert.equal(proxy.held, n, 'the request is held by the proxy');
}

void describe('the blue/green proxy', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of closers.reverse()) await c();
  });

  async function setup(holdMs = 100): Promise<{ proxy: GatewayProxy; port: number; blue: Backend; green: Backend }> {
    const [blue, green] = await Promise.all([backend('blue'), backend('green')]);
    const port = await freePort();
    const proxy = new GatewayProxy({ host: '127.0.0.1', port }, quiet, holdMs);
    await proxy.listen();
    closers.push(async () => {
      await proxy.close(1000);
      for (const b of [blue, green]) {
        b.server.closeAllConnections();
        await new Promise<void>((r) => b.server.close(() => r()));
      }
    });
    return { proxy, port, blue, green };
  }

  void it('answers 503 while no KrakenD is active, then forwards to the active one', async () => {
    const { proxy, port, blue } = await setup();
    const none = await get(port, '/x');
    assert.equal(none.status, 503);
    assert.match(none.body, /not running/);
    await proxy.switchTo(blue.upstream, 1000);
    assert.deepEqual({ ...(await get(port, '/x')), reused: false }, { status: 200, body: 'blue /x', reused: false });
  });

  void it('a switch sends new requests to the new upstream while a request in flight finishes on the old one', async () => {
    const { proxy, port, blue, green } = await setup();
    await proxy.switchTo(blue.upstream, 1000);
    const arrived = blue.hold();
    const slow = get(port, '/slow');
    await arrived;
    let drained: number | undefined;
    const draining = proxy.switchTo(green.upstream, 10_000).then((left) => (drained = left));
    assert.equal((await get(port, '/after')).body, 'green /after');
    assert.equal(drained, undefined, 'the old upstream is not drained while its request runs');
    blue.release();
    assert.deepEqual(await slow, { status: 200, body: 'blue /slow', reused: false });
    assert.equal(await draining, 0);
  });

  void it('a client keep-alive connection survives a switch and its next request reaches the new upstream', async () => {
    const { proxy, port, blue, green } = await setup();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    closers.push(() => Promise.resolve(agent.destroy()));
    await proxy.switchTo(blue.upstream, 1000);
    assert.equal((await get(port, '/1', agent)).body, 'blue /1');
    await proxy.switchTo(green.upstream, 1000);
    const second = await get(port, '/2', agent);
    assert.deepEqual(second, { status: 200, body: 'green /2', reused: true });
  });

  void it('a request that arrives while no KrakenD is active waits for the next one (up to the hold), then gets its answer', async () => {
    const { proxy, port, blue } = await setup(10_000);
    const held = get(port, '/held');
    await heldBy(proxy, 1);
    // Nothing answers until the switch; then the held request goes through.
    await proxy.switchTo(blue.upstream, 1000);
    assert.deepEqual(await held, { status: 200, body: 'blue /held', reused: false });
  });

  void it('a request the active KrakenD refused (it died) goes to the next one; one with a body does not', async () => {
    const { proxy, port, green } = await setup(10_000);
    const gone = await freePort();
    await proxy.switchTo({ host: '127.0.0.1', port: gone, label: 'dead' }, 1000);
    const retried = get(port, '/again');
    const posted = get(port, '/post', undefined, '{"a":1}');
    const p = await posted;
    await heldBy(proxy, 1);
    assert.equal(p.status, 502, 'a body cannot be sent twice');
    assert.match(p.body, /dead.*ECONNREFUSED/);
    await proxy.switchTo(green.upstream, 1000);
    assert.deepEqual(await retried, { status: 200, body: 'green /again', reused: false });
  });

  void it('an upstream that refuses connections gives a 502 that names it, once the hold is over', async () => {
    const { proxy, port } = await setup();
    const gone = await freePort();
    await proxy.switchTo({ host: '127.0.0.1', port: gone, label: 'krakend-live-x-blue' }, 1000);
    const r = await get(port, '/x');
    assert.equal(r.status, 502);
    assert.match(r.body, /krakend-live-x-blue.*ECONNREFUSED/);
  });

  void it('a taken port is an EADDRINUSE at listen, and close frees the port', async () => {
    const { proxy, port } = await setup();
    const second = new GatewayProxy({ host: '127.0.0.1', port }, quiet);
    await assert.rejects(second.listen(), (err: NodeJS.ErrnoException) => err.code === 'EADDRINUSE');
    await proxy.close(1000);
    assert.equal(proxy.listening, false);
    await second.listen();
    await second.close(1000);
  });
});

// The blue/green proxy over real loopback sockets: two small HTTP servers stand for the old and the
// new KrakenD. What a client sees through a switch is what matters: nothing refused, nothing cut,
// keep-alive connections kept, and the old upstream drained before its pool is closed.
import assert from 'node:assert/strict';
import { Agent, createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
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
      const text = `${label} ${req.url ?? ''}`;
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
      res.end(text);
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

/**
 * `n` GETs one after another on one raw connection, sending no Connection header (as curl does);
 * resolves with each answer's head and body. Rejects when the proxy closes the connection early.
 */
function rawGets(port: number, paths: string[]): Promise<{ head: string; body: string }[]> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    const answers: { head: string; body: string }[] = [];
    let buffered = '';
    const next = (): void => {
      const path = paths[answers.length];
      if (path === undefined) {
        socket.end();
        resolve(answers);
        return;
      }
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    };
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      buffered += text;
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.slice(0, end);
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? NaN);
      if (buffered.length < end + 4 + length) return;
      answers.push({ head, body: buffered.slice(end + 4, end + 4 + length) });
      buffered = buffered.slice(end + 4 + length);
      next();
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`the connection closed after ${answers.length} answer(s)`)));
    socket.on('connect', next);
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

  void it('a client without a Connection header keeps one connection, and the proxy one to KrakenD, for 200 requests', async () => {
    const { proxy, port, blue } = await setup();
    await proxy.switchTo(blue.upstream, 1000);
    const paths = Array.from({ length: 200 }, (_, i) => `/k${i}`);
    const answers = await rawGets(port, paths);
    assert.deepEqual(answers.map((a) => a.body), paths.map((p) => `blue ${p}`));
    assert.equal(answers.filter((a) => /connection: close/i.test(a.head)).length, 0);
    assert.deepEqual({ ...proxy.stats }, { clientConnections: 1, upstreamConnections: 1, requests: 200 });
  });

  void it('a keep-alive connection busy at a switch finishes its request on the old upstream, and its next request goes to the new one', async () => {
    const { proxy, port, blue, green } = await setup();
    await proxy.switchTo(blue.upstream, 1000);
    const s = connect({ host: '127.0.0.1', port });
    closers.push(() => Promise.resolve(void s.destroy()));
    let text = '';
    s.setEncoding('latin1');
    const answer = (body: string): Promise<void> => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${body} within 5 s; got ${JSON.stringify(text)}`)), 5000);
      const check = (): void => {
        if (!text.includes(body)) return;
        clearTimeout(timer);
        s.off('data', onData);
        text = '';
        resolve();
      };
      const onData = (t: string): void => {
        text += t;
        check();
      };
      s.on('data', onData);
      s.once('close', () => reject(new Error('the proxy closed the connection')));
    });
    const arrived = blue.hold();
    const slow = answer('blue /slow');
    s.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await arrived;
    const draining = proxy.switchTo(green.upstream, 10_000);
    blue.release();
    await slow;
    assert.equal(await draining, 0);
    const next = answer('green /next');
    s.write('GET /next HTTP/1.1\r\nHost: x\r\n\r\n');
    await next;
    assert.equal(proxy.stats.clientConnections, 1);
  });

  void it('upstream connections are pooled across client connections, and not across a switch', async () => {
    const { proxy, port, blue, green } = await setup();
    await proxy.switchTo(blue.upstream, 1000);
    for (let i = 0; i < 5; i++) assert.equal((await rawGets(port, ['/p']))[0]?.body, 'blue /p');
    assert.equal(proxy.stats.clientConnections, 5);
    assert.equal(proxy.stats.upstreamConnections, 1);
    await proxy.switchTo(green.upstream, 1000);
    assert.equal((await rawGets(port, ['/p']))[0]?.body, 'green /p');
    assert.equal(proxy.stats.upstreamConnections, 2);
  });

  void it('bodies pass unchanged both ways: chunked uploads, pipelined requests, HEAD', async () => {
    const echo = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        const body = Buffer.concat(parts);
        // No length: Node answers chunked.
        res.writeHead(200, { 'x-method': req.method ?? '' });
        res.end(req.method === 'HEAD' ? undefined : `${req.method ?? ''} ${req.url ?? ''} ${body.length} ${body.toString('latin1').slice(0, 12)}`);
      });
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => { echo.closeAllConnections(); echo.close(() => r()); }));
    const { proxy, port } = await setup();
    await proxy.switchTo({ host: '127.0.0.1', port: (echo.address() as AddressInfo).port, label: 'echo' }, 1000);
    const big = 'x'.repeat(300_000);
    const raw = await new Promise<string>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port });
      let text = '';
      s.setEncoding('latin1');
      s.on('data', (t: string) => {
        text += t;
        if ((text.match(/\r\n0\r\n\r\n/g) ?? []).length === 2 && /x-method: HEAD/.test(text)) {
          s.end();
          resolve(text);
        }
      });
      s.on('error', reject);
      // Three requests in one write, then a chunked upload in pieces.
      s.write(`GET /one HTTP/1.1\r\nHost: x\r\n\r\nHEAD /two HTTP/1.1\r\nHost: x\r\n\r\nPOST /three HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`);
      s.write(`${big.length.toString(16)}\r\n${big}\r\n`);
      s.write('5\r\nhello\r\n0\r\n\r\n');
    });
    assert.match(raw, /GET \/one 0 /);
    assert.match(raw, /POST \/three 300005 xxxxxxxxxxxx/);
    assert.ok(raw.indexOf('/one') < raw.indexOf('x-method: HEAD') && raw.indexOf('x-method: HEAD') < raw.indexOf('/three'), 'answers in order');
    assert.equal(proxy.stats.upstreamConnections, 1);
  });

  void it('a websocket-style protocol switch becomes a tunnel to the KrakenD it began with', async () => {
    const { proxy, port, blue, green } = await setup();
    blue.server.on('upgrade', (_req: IncomingMessage, socket: Socket) => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n');
      socket.on('data', (d: Buffer) => socket.write(`blue:${d.toString()}`));
      // The HTTP server's sockets are half-open ones; an upgraded one must close itself.
      socket.on('end', () => socket.end());
    });
    await proxy.switchTo(blue.upstream, 1000);
    const s = connect({ host: '127.0.0.1', port });
    closers.push(() => Promise.resolve(void s.destroy()));
    const heard: string[] = [];
    const hear = (want: RegExp): Promise<void> => new Promise((resolve) => {
      const check = (): void => {
        if (want.test(heard.join(''))) {
          s.off('data', onData);
          resolve();
        }
      };
      const onData = (d: Buffer): void => { heard.push(d.toString()); check(); };
      s.on('data', onData);
      check();
    });
    s.write('GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n');
    await hear(/101 Switching/);
    s.write('GET /not-http');
    await hear(/blue:GET \/not-http/);
    // A switch does not move it (a websocket cannot change servers) and does not wait for it.
    assert.equal(await proxy.switchTo(green.upstream, 5000), 0);
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

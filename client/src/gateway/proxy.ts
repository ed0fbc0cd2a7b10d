/**
 * The loopback proxy of blue/green reloads. For as long as the gateway runs it owns the user's
 * port, and sends each request to the KrakenD container that is active at that moment, so a
 * reload is a switch of where the *next* request goes, and no port is ever closed.
 *
 * It splices TCP sockets (node:net) and reads only where HTTP/1.1 messages begin and end
 * (httpFraming.ts); bytes pass unchanged. That keeps it off Node's `http` module, which VS Code's
 * extension host patches for proxy support (there the patched client made every answer
 * `connection: close` and pooled nothing), and it costs a fraction of parsing and re-serializing
 * every request.
 *
 * Keep-alive, on purpose: a client's connection ends here and survives every reload. Each client
 * connection is tied to one upstream connection while it has a request running; between two
 * requests it may move, and it does after a switch, so the old KrakenD is given nothing new. Once
 * the requests it was given have been answered its connections are closed by us, before KrakenD's
 * own shutdown could close one under a request (the keep-alive race that turns a reload into a
 * reset connection), and it stops at once. Upstream connections a client leaves behind idle are
 * pooled for the next client connection.
 *
 * While no KrakenD can take a request (the gateway is starting, or the active one died and its
 * replacement is starting), a request is held for up to `holdMs` and then sent to the next one; a
 * request the active KrakenD refused (it died) is sent again to the next one if no byte of a body
 * was sent, since a refused connection never reached KrakenD. What a client sees of a crash is a
 * delay. A websocket (any protocol switch) stays on the KrakenD it began with.
 */
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { Framer, FramingError, requestBody, responseBody } from './httpFraming';

export interface Upstream {
  readonly host: string;
  readonly port: number;
  /** For messages: which container this is. */
  readonly label: string;
}

export interface ProxyLogger {
  debug(message: string): void;
  warn(message: string): void;
}

/** Totals since the proxy was made: what keep-alive saves shows here. */
export interface ProxyStats {
  /** Client connections accepted. */
  clientConnections: number;
  /** Connections opened to a KrakenD. */
  upstreamConnections: number;
  /** Requests begun. */
  requests: number;
}

/** How long a client may keep its side open after we ended ours. */
const CLOSE_GRACE_MS = 5_000;

/** Idle upstream connections kept per KrakenD for the next client connection. */
const POOL_SIZE = 64;

interface Route {
  readonly upstream: Upstream;
  /** Requests begun on this route and not yet answered. */
  inFlight: number;
  /** Every connection to this upstream, in use or pooled. */
  readonly legs: Set<Leg>;
  readonly pool: Leg[];
  retired: boolean;
  /** Called when a retired route's last request has finished. */
  onIdle?: () => void;
}

/** One TCP connection to a KrakenD, used by one client connection at a time. */
interface Leg {
  readonly socket: Socket;
  readonly route: Route;
  owner: Conn | undefined;
  connected: boolean;
  error: NodeJS.ErrnoException | undefined;
}

export class GatewayProxy {
  private server: Server | undefined;
  /** @internal for Conn */
  active: Route | undefined;
  private readonly conns = new Set<Conn>();
  /** Requests held until the next upstream (or the close). */
  private readonly waiting = new Set<(route: Route | undefined) => void>();
  /** @internal for Conn */
  closing = false;
  readonly stats: ProxyStats = { clientConnections: 0, upstreamConnections: 0, requests: 0 };

  constructor(
    readonly listenOn: { readonly host: string; readonly port: number },
    /** @internal for Conn */
    readonly log: ProxyLogger,
    /** How long a request may wait for a KrakenD to take it. */
    private readonly holdMs = 10_000,
  ) {}

  get listening(): boolean {
    return this.server?.listening === true;
  }

  /** Where new requests go, if anywhere. */
  get upstream(): Upstream | undefined {
    return this.active?.upstream;
  }

  /** Requests waiting for a KrakenD to take them right now. */
  get held(): number {
    return this.waiting.size;
  }

  /** Binds the user's port. Rejects with the listen error (EADDRINUSE when the port is taken). */
  async listen(): Promise<void> {
    if (this.server) return;
    // Half-open: a client that ends its side after a request still gets the answer.
    const server = createServer({ allowHalfOpen: true }, (socket) => {
      this.stats.clientConnections++;
      const conn = new Conn(this, socket);
      this.conns.add(conn);
      socket.once('close', () => this.conns.delete(conn));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenOn.port, this.listenOn.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.log.warn(`the gateway proxy on ${this.listenOn.host}:${this.listenOn.port} failed: ${err.message}`));
    this.server = server;
  }

  /**
   * From now on new requests go to `next` (none: they are held, then answered 503). Returns a
   * promise that resolves once every request the previous upstream was given has finished, or
   * after `drainTimeoutMs`, with how many were still running; the previous upstream's connections
   * are closed either way.
   */
  switchTo(next: Upstream | undefined, drainTimeoutMs: number): Promise<number> {
    const previous = this.active;
    this.active = next ? { upstream: next, inFlight: 0, legs: new Set(), pool: [], retired: false } : undefined;
    if (this.active) this.release(this.active);
    if (!previous) return Promise.resolve(0);
    this.log.debug(`proxy: new requests go to ${next?.label ?? 'nowhere'}; ${previous.inFlight} still running on ${previous.upstream.label}`);
    previous.retired = true;
    for (const leg of previous.pool.splice(0)) leg.socket.destroy();
    // Idle client connections move now; busy ones once their request is answered.
    for (const conn of this.conns) conn.leaveIfIdle(previous);
    return this.retire(previous, drainTimeoutMs);
  }

  /** Stops listening, lets running requests finish (up to `drainTimeoutMs`), then closes every connection. */
  async close(drainTimeoutMs: number): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.closing = true;
    this.release(undefined);
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const conn of [...this.conns]) conn.closeIfIdle();
    await this.switchTo(undefined, drainTimeoutMs);
    for (const conn of [...this.conns]) conn.destroy();
    await closed;
  }

  /** @internal An upstream connection for a request that begins on `route`: a pooled one, or a new one. */
  takeLeg(route: Route, owner: Conn): Leg {
    let leg = route.pool.pop();
    while (leg && leg.socket.destroyed) leg = route.pool.pop();
    if (leg) {
      leg.owner = owner;
      leg.socket.resume();
      return leg;
    }
    this.stats.upstreamConnections++;
    const socket = connect({ host: route.upstream.host, port: route.upstream.port, noDelay: true });
    const fresh: Leg = { socket, route, owner, connected: false, error: undefined };
    route.legs.add(fresh);
    socket.on('connect', () => {
      fresh.connected = true;
      fresh.owner?.upConnected(fresh);
    });
    socket.on('data', (chunk: Buffer) => {
      if (fresh.owner) fresh.owner.upData(fresh, chunk);
      // A pooled connection has nothing to say; whatever it says, it is not reused.
      else socket.destroy();
    });
    socket.on('drain', () => fresh.owner?.upDrained(fresh));
    socket.on('error', (err: NodeJS.ErrnoException) => (fresh.error = err));
    socket.on('close', () => {
      route.legs.delete(fresh);
      const i = route.pool.indexOf(fresh);
      if (i >= 0) route.pool.splice(i, 1);
      fresh.owner?.upClosed(fresh);
    });
    return fresh;
  }

  /** @internal A client connection is done with an idle, healthy upstream connection. */
  giveBack(leg: Leg): void {
    leg.owner = undefined;
    if (leg.route === this.active && !leg.route.retired && leg.connected && !leg.socket.destroyed && leg.route.pool.length < POOL_SIZE) {
      leg.socket.resume();
      leg.route.pool.push(leg);
    } else {
      leg.socket.destroy();
    }
  }

  /** @internal Called whenever a route's running requests went down. */
  settled(route: Route): void {
    if (route.inFlight === 0) route.onIdle?.();
  }

  /** @internal The next upstream other than `not`, or undefined after `holdMs` (or once the proxy closes). */
  nextRoute(not: Route | undefined, client: Socket): Promise<Route | undefined> {
    if (this.active && this.active !== not) return Promise.resolve(this.active);
    if (this.closing) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const done = (route: Route | undefined): void => {
        clearTimeout(timer);
        this.waiting.delete(done);
        client.off('close', gone);
        resolve(route);
      };
      const gone = (): void => done(undefined);
      const timer = setTimeout(() => done(undefined), this.holdMs);
      this.waiting.add(done);
      // A client that gives up stops waiting too.
      client.once('close', gone);
    });
  }

  private retire(route: Route, drainTimeoutMs: number): Promise<number> {
    return new Promise<number>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        route.onIdle = undefined;
        const left = route.inFlight;
        for (const leg of [...route.legs]) leg.socket.destroy();
        resolve(left);
      };
      const timer = setTimeout(done, drainTimeoutMs);
      if (route.inFlight === 0) done();
      else route.onIdle = done;
    });
  }

  private release(route: Route | undefined): void {
    for (const resolve of [...this.waiting]) resolve(route);
    this.waiting.clear();
  }
}

/** One client connection: its request and response framing, and the upstream connection it is tied to. */
class Conn {
  private leg: Leg | undefined;
  private readonly req = new Framer('request');
  private readonly res = new Framer('response');
  /** Methods of the requests begun and not yet answered, oldest first (a response's framing depends on its request's). */
  private readonly pending: string[] = [];
  /** The response being read is a final one (not 1xx). */
  private final = false;
  /** After a request to switch protocols, the client's bytes are no longer HTTP to us. */
  private rawClient = false;
  /** After the switch was granted, neither side's bytes are. */
  private tunnel = false;
  /** The upstream said it closes after this response: so do we, toward the client. */
  private closeAfter = false;
  private clientEnded = false;
  private finished = false;
  private holding = false;
  private upFull = false;
  /** Client bytes not yet looked at (while a request waits for a KrakenD). */
  private stash: Buffer | undefined;
  /** Bytes written to an upstream connection that has not connected yet, to send again if it refuses. */
  private unconfirmed: Buffer[] | undefined;
  private unconfirmedBody = false;

  constructor(
    private readonly proxy: GatewayProxy,
    private readonly client: Socket,
  ) {
    client.setNoDelay(true);
    client.on('data', (chunk: Buffer) => this.clientData(chunk));
    client.on('drain', () => this.leg?.socket.resume());
    client.on('end', () => this.clientEnd());
    client.on('error', (err) => this.proxy.log.debug(`proxy: client connection: ${err.message}`));
    client.on('close', () => this.clientClosed());
  }

  /** After a switch: an idle connection leaves the old KrakenD now, so its next request goes to the new one. */
  leaveIfIdle(route: Route): void {
    if (this.leg?.route === route && this.idle) this.dropLeg();
  }

  /** The proxy closes: a connection without a request running is closed now. */
  closeIfIdle(): void {
    if (this.idle && !this.holding) this.client.destroy();
  }

  destroy(): void {
    this.client.destroy();
  }

  private get idle(): boolean {
    return this.pending.length === 0 && this.req.idle && this.res.idle && !this.rawClient;
  }

  // --- client → upstream

  private clientData(chunk: Buffer): void {
    if (this.finished) return;
    if (this.holding) {
      this.stash = this.stash ? Buffer.concat([this.stash, chunk]) : chunk;
      return;
    }
    try {
      this.feed(chunk);
    } catch (err) {
      if (!(err instanceof FramingError)) throw err;
      this.proxy.log.debug(`proxy: a request that is not HTTP/1.1: ${err.message}`);
      // Nothing of a response is on its way only when this bad request is the one running.
      if (this.pending.length <= 1 && this.res.idle) this.reply(err.status, err.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request', `KrakenD Live: ${err.message}.`);
      else this.destroy();
    }
  }

  private feed(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && !this.finished) {
      if (this.rawClient) {
        this.send(at === 0 ? chunk : chunk.subarray(at));
        return;
      }
      if (this.req.idle) {
        // Empty lines between requests are ignored (RFC 9112 §2.2), and not passed on.
        while (at < chunk.length && (chunk[at] === 13 || chunk[at] === 10)) at++;
        if (at === chunk.length) return;
        // A new request: on the active KrakenD, unless earlier ones still run where they began.
        const leg = this.leg;
        if (leg && this.pending.length === 0 && leg.route !== this.proxy.active) this.dropLeg();
        if (!this.leg) {
          const route = this.proxy.active;
          if (!route) {
            this.stash = chunk.subarray(at);
            this.wait(undefined, () => this.reply(503, 'Service Unavailable', 'KrakenD Live: the gateway is not running right now (starting, stopping or stopped).'));
            return;
          }
          this.attach(route);
        }
        this.pending.push('');
        this.leg!.route.inFlight++;
        this.proxy.stats.requests++;
      }
      const end = this.req.consume(chunk, at);
      this.send(at === 0 && end === chunk.length ? chunk : chunk.subarray(at, end));
      at = end;
      if (this.req.headDone) {
        const head = this.req.head;
        this.pending[this.pending.length - 1] = head.method;
        const body = requestBody(head);
        if (body.kind !== 'none' && this.unconfirmed) this.unconfirmedBody = true;
        this.req.body(body);
        if (head.upgrade) this.rawClient = true;
      }
    }
  }

  private send(bytes: Buffer): void {
    const leg = this.leg;
    if (!leg || bytes.length === 0) return;
    if (!leg.connected) (this.unconfirmed ??= []).push(bytes);
    if (!leg.socket.write(bytes)) {
      this.upFull = true;
      this.flow();
    }
  }

  private flow(): void {
    if (this.holding || this.upFull) this.client.pause();
    else this.client.resume();
  }

  /** Holds the connection until a KrakenD other than `not` can take its request, or answers with `none`. */
  private wait(not: Route | undefined, none: () => void): void {
    this.holding = true;
    this.flow();
    void this.proxy.nextRoute(not, this.client).then((route) => {
      this.holding = false;
      if (this.finished || this.client.destroyed) return;
      if (!route) {
        none();
        return;
      }
      // Taken before attach: a pooled connection is already connected and clears what is unconfirmed.
      const resend = this.unconfirmed;
      this.unconfirmed = undefined;
      this.attach(route);
      if (resend) {
        route.inFlight += this.pending.length;
        for (const b of resend) this.send(b);
      }
      this.flow();
      const stash = this.stash;
      this.stash = undefined;
      if (stash) this.clientData(stash);
    });
  }

  private attach(route: Route): void {
    this.leg = this.proxy.takeLeg(route, this);
    this.upFull = false;
    if (this.leg.connected) this.unconfirmed = undefined;
  }

  /** Lets go of an idle upstream connection: back to the pool, or closed when its KrakenD is retired. */
  private dropLeg(): void {
    const leg = this.leg;
    if (!leg) return;
    this.leg = undefined;
    this.upFull = false;
    this.closeAfter = false;
    this.proxy.giveBack(leg);
  }

  private clientEnd(): void {
    this.clientEnded = true;
    // Answers still on their way are sent first; then the connection closes.
    if (this.pending.length === 0 || !this.req.idle) this.client.end();
  }

  private clientClosed(): void {
    this.finished = true;
    const leg = this.leg;
    if (!leg) return;
    this.leg = undefined;
    const running = this.pending.length;
    this.pending.length = 0;
    if (running > 0) {
      leg.route.inFlight -= running;
      this.proxy.settled(leg.route);
    }
    // A connection left between requests is clean and can serve another client.
    if (running === 0 && this.req.idle && this.res.idle && !this.rawClient && !this.closeAfter) this.proxy.giveBack(leg);
    else leg.socket.destroy();
  }

  // --- upstream → client

  /** @internal */
  upConnected(leg: Leg): void {
    if (leg !== this.leg) return;
    this.unconfirmed = undefined;
    this.unconfirmedBody = false;
  }

  /** @internal */
  upDrained(leg: Leg): void {
    if (leg !== this.leg) return;
    this.upFull = false;
    this.flow();
  }

  /** @internal */
  upData(leg: Leg, chunk: Buffer): void {
    if (leg !== this.leg || this.finished) {
      leg.socket.destroy();
      return;
    }
    try {
      this.answer(chunk);
    } catch (err) {
      if (!(err instanceof FramingError)) throw err;
      this.proxy.log.debug(`proxy: ${leg.route.upstream.label} answered something that is not HTTP/1.1: ${err.message}`);
      this.destroy();
    }
  }

  private answer(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && !this.finished) {
      if (this.tunnel || this.pending.length === 0) {
        // A switched protocol, or bytes nobody asked for: they are the client's all the same.
        this.toClient(at === 0 ? chunk : chunk.subarray(at));
        return;
      }
      const end = this.res.consume(chunk, at);
      this.toClient(at === 0 && end === chunk.length ? chunk : chunk.subarray(at, end));
      at = end;
      if (this.res.headDone) {
        const head = this.res.head;
        const method = this.pending[0] ?? 'GET';
        if (head.status === 101 || (method === 'CONNECT' && head.status >= 200 && head.status < 300)) {
          this.res.body({ kind: 'none' });
          this.tunnel = true;
          this.rawClient = true;
          this.answered();
          continue;
        }
        this.final = head.status >= 200;
        if (this.final && head.close) this.closeAfter = true;
        this.res.body(responseBody(head, method));
      }
      if (this.res.idle && this.final) {
        this.final = false;
        this.answered();
      }
    }
  }

  private toClient(bytes: Buffer): void {
    if (!this.client.write(bytes)) this.leg?.socket.pause();
  }

  /** The oldest running request got its whole answer. */
  private answered(): void {
    const leg = this.leg!;
    this.pending.shift();
    leg.route.inFlight--;
    this.proxy.settled(leg.route);
    if (this.pending.length > 0 || this.tunnel) return;
    if (this.closeAfter || this.clientEnded || this.proxy.closing) {
      this.endClient();
      leg.owner = undefined;
      leg.socket.destroy();
      this.leg = undefined;
      return;
    }
    if (this.req.idle && leg.route !== this.proxy.active) this.dropLeg();
  }

  /** @internal The upstream connection closed: by KrakenD, by us, or it never opened. */
  upClosed(leg: Leg): void {
    if (leg !== this.leg || this.finished) return;
    this.leg = undefined;
    const route = leg.route;
    const running = this.pending.length;
    route.inFlight -= running;
    this.proxy.settled(route);
    const err = leg.error;
    const what = err ? (err.code ?? err.message) : 'closed';
    if (!leg.connected) {
      this.proxy.log.debug(`proxy: ${route.upstream.label}: ${what}`);
      // Refused: nothing reached KrakenD, so without a body sent it can go to the next one.
      if (err?.code === 'ECONNREFUSED' && !this.unconfirmedBody && !this.proxy.closing) {
        this.wait(route, () => this.reply(502, 'Bad Gateway', `KrakenD Live: the gateway (${route.upstream.label}) did not answer: ${what}`));
        return;
      }
      this.reply(502, 'Bad Gateway', `KrakenD Live: the gateway (${route.upstream.label}) did not answer: ${what}`);
      return;
    }
    if (this.tunnel || this.rawClient || this.res.endsAtClose()) {
      // The close was the end of the answer.
      this.endClient();
      return;
    }
    if (running === 0 && this.req.idle) {
      // Closed between requests (an idle timeout): the client keeps its connection, and its next request gets a new one.
      if (this.closeAfter) this.endClient();
      return;
    }
    this.proxy.log.debug(`proxy: ${route.upstream.label} closed a connection with ${running} request(s) running: ${what}`);
    if (this.res.idle) this.reply(502, 'Bad Gateway', `KrakenD Live: the gateway (${route.upstream.label}) did not answer: ${what}`);
    else this.destroy();
  }

  /** Answers the client ourselves and closes its connection. */
  private reply(status: number, reason: string, message: string): void {
    this.finished = true;
    const leg = this.leg;
    if (leg) {
      this.leg = undefined;
      leg.route.inFlight -= this.pending.length;
      this.proxy.settled(leg.route);
      leg.owner = undefined;
      leg.socket.destroy();
    }
    this.pending.length = 0;
    const body = JSON.stringify({ message });
    this.endClient(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-krakend-live: proxy\r\nconnection: close\r\n\r\n${body}`);
    // What the client still sends is read and dropped, so its side can close.
    this.client.resume();
  }

  /** Ends our side toward the client; the socket is half-open, so one that never closes its side is closed for it. */
  private endClient(last?: string): void {
    this.finished = true;
    if (last === undefined) this.client.end();
    else this.client.end(last);
    setTimeout(() => this.client.destroy(), CLOSE_GRACE_MS).unref();
  }
}

/** A loopback port nobody listens on right now, for a blue/green container's KrakenD. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

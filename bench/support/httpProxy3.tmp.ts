/**
 * The loopback proxy of blue/green reloads. For as long as the gateway runs it owns the user's
 * port, and sends each request to the KrakenD container that is active at that moment, so a
 * reload is a switch of where the *next* request goes, and no port is ever closed.
 *
 * Keep-alive, on purpose: a client's connection ends here and survives every reload, because the
 * proxy never goes away. Behind it, each KrakenD (each upstream) gets its own connection pool. After
 * a switch the old pool carries only the requests sent before the switch; once they have finished
 * its idle sockets are closed by us, before KrakenD's own shutdown could close one under a request
 * (the keep-alive race that turns a reload into a reset connection). The old KrakenD then drains
 * nothing new and stops at once.
 *
 * While no KrakenD can take a request (the gateway is starting, or the active one died and its
 * replacement is starting), a request is held for up to `holdMs` and then sent to the next one; a
 * request the active KrakenD refused (it died) is sent again to the next one if it has no body,
 * since a refused connection never reached KrakenD. What a client sees of a crash is a delay.
 *
 * Requests are forwarded by http-proxy-3 over Node's own HTTP stack; nothing here parses HTTP.
 */
import { Agent, createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { createProxyServer } from 'http-proxy-3';

export interface Upstream {
  readonly host: string;
  readonly port: number;
  /** For messages: which container this is. */
  readonly label: string;
}

interface Route {
  readonly upstream: Upstream;
  readonly agent: Agent;
  inFlight: number;
  /** Called when a retired route's last request has finished. */
  onIdle?: () => void;
}

export interface ProxyLogger {
  debug(message: string): void;
  warn(message: string): void;
}

export class GatewayProxy {
  private server: Server | undefined;
  private active: Route | undefined;
  private readonly proxy = createProxyServer({ xfwd: false });
  private readonly sockets = new Set<Socket>();
  /** Requests held until the next upstream (or the close). */
  private readonly waiting = new Set<(route: Route | undefined) => void>();
  private closing = false;

  constructor(
    readonly listenOn: { readonly host: string; readonly port: number },
    private readonly log: ProxyLogger,
    /** How long a request may wait for a KrakenD to take it. */
    private readonly holdMs = 10_000,
  ) {
    // Errors of requests without a callback (websocket upgrades) land here; a listener must exist.
    this.proxy.on('error', (err: Error) => this.log.debug(`proxy: ${err.message}`));
  }

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
    const server = createServer((req, res) => this.forward(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(req, socket, head));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
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
   * From now on new requests go to `next` (none: they are answered 503). Returns a promise that
   * resolves once every request the previous upstream was given has finished, or after
   * `drainTimeoutMs`, with how many were still running; the previous pool is closed either way.
   */
  switchTo(next: Upstream | undefined, drainTimeoutMs: number): Promise<number> {
    const previous = this.active;
    this.active = next ? { upstream: next, agent: new Agent({ keepAlive: true }), inFlight: 0 } : undefined;
    if (this.active) this.release(this.active);
    if (previous) this.log.debug(`proxy: new requests go to ${next?.label ?? 'nowhere'}; ${previous.inFlight} still running on ${previous.upstream.label}`);
    return previous ? this.retire(previous, drainTimeoutMs) : Promise.resolve(0);
  }

  /** Stops listening, lets running requests finish (up to `drainTimeoutMs`), then closes every connection. */
  async close(drainTimeoutMs: number): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.closing = true;
    this.release(undefined);
    const left = this.switchTo(undefined, drainTimeoutMs);
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await left;
      server.closeAllConnections();
      for (const s of this.sockets) s.destroy();
      await closed;
    } else {
      await left;
    }
    this.proxy.close();
  }

  private retire(route: Route, drainTimeoutMs: number): Promise<number> {
    return new Promise<number>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        route.onIdle = undefined;
        const left = route.inFlight;
        route.agent.destroy();
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

  /** The next upstream other than `not`, or undefined after `holdMs` (or once the proxy closes). */
  private nextRoute(not: Route | undefined, res: ServerResponse): Promise<Route | undefined> {
    if (this.active && this.active !== not) return Promise.resolve(this.active);
    if (this.closing) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const done = (route: Route | undefined): void => {
        clearTimeout(timer);
        this.waiting.delete(done);
        res.off('close', gone);
        resolve(route);
      };
      const gone = (): void => done(undefined);
      const timer = setTimeout(() => done(undefined), this.holdMs);
      this.waiting.add(done);
      // A client that gives up stops waiting too.
      res.once('close', gone);
    });
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    if (this.active) {
      this.send(req, res, this.active, true);
      return;
    }
    void this.nextRoute(undefined, res).then((route) => {
      if (res.writableEnded || res.destroyed) return;
      if (route) this.send(req, res, route, true);
      else reply(res, 503, 'KrakenD Live: the gateway is not running right now (starting, stopping or stopped).');
    });
  }

  private send(req: IncomingMessage, res: ServerResponse, route: Route, mayRetry: boolean): void {
    route.inFlight++;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      route.inFlight--;
      if (route.inFlight === 0) route.onIdle?.();
    };
    res.once('close', finish);
    const { host, port } = route.upstream;
    this.proxy.web(req, res, { target: { host, port }, agent: route.agent }, (err: Error) => {
      const code = (err as NodeJS.ErrnoException).code;
      this.log.debug(`proxy: ${req.method ?? '?'} ${req.url ?? ''} to ${route.upstream.label}: ${err.message}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // Refused: it never reached KrakenD, so without a body to replay it can go to the next one.
      if (mayRetry && code === 'ECONNREFUSED' && !hasBody(req)) {
        finish();
        void this.nextRoute(route, res).then((next) => {
          if (res.writableEnded || res.destroyed) return;
          if (next) this.send(req, res, next, false);
          else reply(res, 502, `KrakenD Live: the gateway (${route.upstream.label}) did not answer: ${code}`);
        });
        return;
      }
      reply(res, 502, `KrakenD Live: the gateway (${route.upstream.label}) did not answer: ${code ?? err.message}`);
    });
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const route = this.active;
    if (!route) {
      socket.destroy();
      return;
    }
    this.proxy.ws(req, socket, head, { target: { host: route.upstream.host, port: route.upstream.port } });
  }
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function reply(res: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ message });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-krakend-live': 'proxy' });
  res.end(body);
}

/** A loopback port nobody listens on right now, for a blue/green container's KrakenD. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createTcpServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

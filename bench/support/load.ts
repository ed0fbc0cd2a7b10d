/**
 * A small HTTP/1.1 load generator for loopback benchmarks: `connections` keep-alive connections,
 * each sending its next GET as soon as the previous answer ended (closed loop), or with `rate` at
 * that many requests per second in all, paced per connection, for `durationMs` (and at most
 * `maxRequests` in all). Paced latencies count from when a request was due, not from when it
 * could be sent, so a slow server is not hidden by a waiting client. Raw sockets and the proxy's own framer keep it cheap, so on
 * a machine with few cores it takes little from what it measures.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { Framer, responseBody } from '../../client/src/gateway/httpFraming';

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  /** Answers per second over the run. */
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Answers that were not 2xx. */
  readonly non2xx: number;
}

/** Latencies are kept in 10 µs buckets up to 2 s; slower ones land in the last bucket. */
const BUCKET_US = 10;
const BUCKETS = 200_000;

export async function runLoad(o: { readonly port: number; readonly path: string; readonly connections: number; readonly durationMs: number; readonly maxRequests?: number; readonly rate?: number }): Promise<LoadResult> {
  const histogram = new Uint32Array(BUCKETS);
  const request = Buffer.from(`GET ${o.path} HTTP/1.1\r\nHost: 127.0.0.1:${o.port}\r\nUser-Agent: krakend-live-bench\r\n\r\n`);
  const maxRequests = o.maxRequests ?? 5_000_000;
  let requests = 0;
  let errors = 0;
  let non2xx = 0;
  let stopped = false;
  const started = process.hrtime.bigint();
  const sockets: Socket[] = [];

  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: o.port, noDelay: true });
      sockets.push(socket);
      const framer = new Framer('response');
      let sentAt = 0n;
      const intervalNs = o.rate ? BigInt(Math.round((1e9 * o.connections) / o.rate)) : 0n;
      // Paced: connections start spread over one interval.
      let due = process.hrtime.bigint() + (intervalNs * BigInt(sockets.length)) / BigInt(o.connections);
      const send = (): void => {
        if (stopped || requests >= maxRequests) {
          socket.end();
          return;
        }
        if (intervalNs > 0n) {
          const now = process.hrtime.bigint();
          if (now < due) {
            setTimeout(send, Number((due - now) / 1_000_000n));
            return;
          }
          sentAt = due;
          due += intervalNs;
        } else {
          sentAt = process.hrtime.bigint();
        }
        requests++;
        socket.write(request);
      };
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        let at = 0;
        while (at < chunk.length) {
          at = framer.consume(chunk, at);
          if (framer.headDone) {
            if (framer.head.status < 200 || framer.head.status >= 300) non2xx++;
            framer.body(responseBody(framer.head, 'GET'));
          }
          if (framer.idle) {
            const us = Number((process.hrtime.bigint() - sentAt) / 1000n);
            histogram[Math.min(BUCKETS - 1, Math.floor(us / BUCKET_US))]!++;
            send();
          }
        }
      });
      socket.on('error', () => errors++);
      socket.on('close', () => resolve());
    });

  const timer = setTimeout(() => {
    stopped = true;
  }, o.durationMs);
  // A server that stops answering does not hold the run past its time.
  const hard = setTimeout(() => {
    for (const s of sockets) s.destroy();
  }, o.durationMs + 5_000);
  await Promise.all(Array.from({ length: o.connections }, one));
  clearTimeout(timer);
  clearTimeout(hard);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let answered = 0;
  for (const n of histogram) answered += n;
  const percentile = (p: number): number => {
    const rank = Math.ceil((p / 100) * answered);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += histogram[i]!;
      if (seen >= rank) return ((i + 0.5) * BUCKET_US) / 1000;
    }
    return NaN;
  };
  return { requests: answered, errors, rps: answered / seconds, p50Ms: percentile(50), p99Ms: percentile(99), non2xx };
}

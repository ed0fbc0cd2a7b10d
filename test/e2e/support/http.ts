/** Loopback HTTP for the gateway scenarios. */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

export interface Answer {
  readonly status: number;
  readonly body: string;
}

export async function get(url: string, timeoutMs = 5_000): Promise<Answer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text() };
}

export interface KeepAliveRun {
  /** Connections the client had to open (1 when the server kept the first one). */
  readonly connections: number;
  readonly statuses: readonly number[];
  /** Answers that carried `Connection: close`. */
  readonly closing: number;
}

/**
 * `n` GETs one after another, as curl or a load tester sends them: HTTP/1.1 with no Connection
 * header, on one connection for as long as the server keeps it, a new one when it closes it.
 * Bounded: at most `n` connections and `timeoutMs` in all.
 */
export function keepAliveGets(port: number, path: string, n: number, timeoutMs = 30_000): Promise<KeepAliveRun> {
  return new Promise((resolve, reject) => {
    const statuses: number[] = [];
    let connections = 0;
    let closing = 0;
    let socket: Socket | undefined;
    const timer = setTimeout(() => {
      socket?.destroy();
      reject(new Error(`${statuses.length} of ${n} answers within ${timeoutMs} ms`));
    }, timeoutMs);
    const open = (): void => {
      if (connections >= n) {
        clearTimeout(timer);
        reject(new Error(`${connections} connections for ${statuses.length} answers`));
        return;
      }
      connections++;
      let buffered = Buffer.alloc(0);
      const s = connect({ host: '127.0.0.1', port });
      socket = s;
      const send = (): void => void s.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      s.on('connect', send);
      s.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.toString('latin1', 0, end);
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
        if (length === undefined) {
          s.destroy();
          clearTimeout(timer);
          reject(new Error(`an answer without Content-Length: ${head}`));
          return;
        }
        if (buffered.length < end + 4 + Number(length)) return;
        buffered = buffered.subarray(end + 4 + Number(length));
        statuses.push(Number(head.slice(9, 12)));
        if (/\r\nconnection:\s*close/i.test(head)) closing++;
        if (statuses.length === n) {
          clearTimeout(timer);
          s.end();
          resolve({ connections, statuses, closing });
        } else if (!s.writableEnded && !s.destroyed) {
          send();
        }
      });
      s.on('error', () => undefined);
      // The server closed it: go on with a new one, as a client does.
      s.on('close', () => {
        if (statuses.length < n && socket === s) open();
      });
    };
    open();
  });
}

/**
 * TCP connections on loopback that have `port` at one end, in any state (TIME_WAIT included, so
 * closed ones count for a minute), each named by its other end's port. From /proc/net/tcp: the
 * whole network namespace, which code-server, the extension host and host-network containers share.
 */
export function loopbackConnections(port: number): Set<number> {
  const peers = new Set<number>();
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, local, remote, state] = line.trim().split(/\s+/);
    if (!local || !remote || state === '0A') continue; // 0A: LISTEN
    const lp = parseInt(local.split(':')[1] ?? '', 16);
    const rp = parseInt(remote.split(':')[1] ?? '', 16);
    if (lp === port) peers.add(rp);
    else if (rp === port) peers.add(lp);
  }
  return peers;
}

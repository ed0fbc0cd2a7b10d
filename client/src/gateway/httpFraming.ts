/**
 * Where HTTP/1.1 messages begin and end in a byte stream, found without changing a byte
 * (RFC 9112 §6: a head up to the empty line, then a body framed by Transfer-Encoding: chunked,
 * Content-Length, or for a response the close of the connection).
 *
 * The blue/green proxy splices raw sockets and needs only this: the boundaries, so that a
 * keep-alive connection can move to the new KrakenD between two requests, and so that it knows
 * when the requests given to the old one have been answered. Nothing is decoded or rewritten;
 * header values other than the framing ones are never looked at.
 */

/** The framing facts of one message head. */
export interface Head {
  /** Requests: the method, as sent. */
  readonly method: string;
  /** Responses: the status code. */
  readonly status: number;
  /** Body length from Content-Length; undefined when absent. */
  readonly contentLength: number | undefined;
  /** Transfer-Encoding is present; `chunked` when its last coding is chunked. */
  readonly transferEncoding: 'none' | 'chunked' | 'other';
  /** The sender will close the connection after this message (Connection: close, or HTTP/1.0 without keep-alive). */
  readonly close: boolean;
  /** Requests: asks to switch protocols (an Upgrade header, websockets) or opens a tunnel (CONNECT). */
  readonly upgrade: boolean;
}

/** How the body after a head is framed; the owner decides for responses, which depend on their request. */
export type Body = { readonly kind: 'none' } | { readonly kind: 'length'; readonly length: number } | { readonly kind: 'chunked' } | { readonly kind: 'untilClose' };

export class FramingError extends Error {
  constructor(
    message: string,
    /** The status a server would answer, for a request. */
    readonly status: 400 | 431 = 400,
  ) {
    super(message);
  }
}

/** Heads larger than this are refused, as KrakenD's own server (Go's 1 MB default) would; ours is smaller. */
const MAX_HEAD = 64 * 1024;
const MAX_LINE = 8 * 1024;

const enum Phase {
  /** Between messages: the next byte begins a head. */
  Idle,
  Head,
  /** A head was read; the owner must call `body()` before feeding more. */
  HeadDone,
  Length,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailers,
  UntilClose,
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const LFLF = Buffer.from('\n\n');

/**
 * A streaming framer for one direction of one connection. `consume` eats bytes up to the end of
 * the current head or message, whichever comes first, so its owner can act exactly at a boundary.
 */
export class Framer {
  private phase = Phase.Idle;
  private headParts: Buffer[] = [];
  private headBytes = 0;
  private remaining = 0;
  private line = '';
  private lastHead: Head | undefined;

  constructor(private readonly kind: 'request' | 'response') {}

  /** No message has begun since the last one ended. */
  get idle(): boolean {
    return this.phase === Phase.Idle;
  }

  /** A head has just been read and waits for `body()`. */
  get headDone(): boolean {
    return this.phase === Phase.HeadDone;
  }

  /** The head just read. */
  get head(): Head {
    if (!this.lastHead) throw new Error('no head was read');
    return this.lastHead;
  }

  /** Sets the framing of the body after the head just read; `none` ends the message at once. */
  body(b: Body): void {
    if (this.phase !== Phase.HeadDone) throw new Error('body() without a head');
    switch (b.kind) {
      case 'none':
        this.phase = Phase.Idle;
        return;
      case 'length':
        this.remaining = b.length;
        this.phase = b.length === 0 ? Phase.Idle : Phase.Length;
        return;
      case 'chunked':
        this.line = '';
        this.phase = Phase.ChunkSize;
        return;
      case 'untilClose':
        this.phase = Phase.UntilClose;
        return;
    }
  }

  /**
   * Consumes bytes of `buf` from `from`, and returns where it stopped: at the end of `buf`, just
   * after a head (then `headDone`), or just after a message's last byte (then `idle`).
   * Throws a FramingError on bytes that are not HTTP/1.1 framing.
   */
  consume(buf: Buffer, from: number): number {
    let at = from;
    while (at < buf.length) {
      switch (this.phase) {
        case Phase.Idle:
          this.phase = Phase.Head;
          this.headParts = [];
          this.headBytes = 0;
          break;
        case Phase.Head:
          return this.readHead(buf, at);
        case Phase.HeadDone:
          throw new Error('consume() before body()');
        case Phase.Length: {
          const n = Math.min(this.remaining, buf.length - at);
          this.remaining -= n;
          at += n;
          if (this.remaining === 0) {
            this.phase = Phase.Idle;
            return at;
          }
          break;
        }
        case Phase.ChunkSize: {
          const end = this.readLine(buf, at);
          if (end < 0) return buf.length;
          at = end;
          const size = parseChunkSize(this.line);
          this.line = '';
          if (size === 0) this.phase = Phase.Trailers;
          else {
            this.remaining = size;
            this.phase = Phase.ChunkData;
          }
          break;
        }
        case Phase.ChunkData: {
          const n = Math.min(this.remaining, buf.length - at);
          this.remaining -= n;
          at += n;
          if (this.remaining === 0) this.phase = Phase.ChunkEnd;
          break;
        }
        case Phase.ChunkEnd: {
          const end = this.readLine(buf, at);
          if (end < 0) return buf.length;
          at = end;
          if (this.line !== '') throw new FramingError('a chunk does not end with CRLF');
          this.phase = Phase.ChunkSize;
          break;
        }
        case Phase.Trailers: {
          const end = this.readLine(buf, at);
          if (end < 0) return buf.length;
          at = end;
          const empty = this.line === '';
          this.line = '';
          if (empty) {
            this.phase = Phase.Idle;
            return at;
          }
          break;
        }
        case Phase.UntilClose:
          return buf.length;
      }
    }
    return at;
  }

  /** The connection closed: true when that ends the message in progress (a body read until close). */
  endsAtClose(): boolean {
    return this.phase === Phase.UntilClose;
  }

  private readHead(buf: Buffer, at: number): number {
    // The terminator may straddle two reads: search from a few bytes before this one.
    const carried = this.headParts.length > 0 ? Buffer.concat([...this.headParts, buf.subarray(at)]) : undefined;
    const hay = carried ?? buf;
    const base = carried ? 0 : at;
    const crlf = hay.indexOf(CRLFCRLF, base);
    // Bare LF line ends are accepted too, as Go's server does; looked for only before a CRLFCRLF,
    // so a body in the same read is not scanned.
    const lfAt = crlf >= 0 ? hay.subarray(base, crlf + 2).indexOf(LFLF) : hay.subarray(base).indexOf(LFLF);
    const lf = lfAt < 0 ? -1 : lfAt + base;
    const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
    if (end < 0) {
      this.headBytes += buf.length - at;
      if (this.headBytes > MAX_HEAD) throw new FramingError('the head is too large', 431);
      // Keep a copy: the caller may reuse its buffer.
      this.headParts = [Buffer.from(hay.subarray(base))];
      return buf.length;
    }
    if (end - base > MAX_HEAD) throw new FramingError('the head is too large', 431);
    this.lastHead = parseHead(hay.toString('latin1', base, end), this.kind);
    this.headParts = [];
    this.phase = Phase.HeadDone;
    // In `buf`'s coordinates: the carried bytes came before `at`.
    return carried ? at + (end - (carried.length - (buf.length - at))) : end;
  }

  /** Reads up to and including a LF into `this.line` (without CR/LF); -1 when `buf` ends first. */
  private readLine(buf: Buffer, at: number): number {
    const nl = buf.indexOf(10, at);
    const part = buf.toString('latin1', at, nl < 0 ? buf.length : nl);
    this.line += part;
    if (this.line.length > MAX_LINE) throw new FramingError('a chunk line is too long');
    if (nl < 0) return -1;
    if (this.line.endsWith('\r')) this.line = this.line.slice(0, -1);
    return nl + 1;
  }
}

function parseChunkSize(line: string): number {
  const semi = line.indexOf(';');
  const hex = (semi < 0 ? line : line.slice(0, semi)).trim();
  if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new FramingError(`a chunk size is not hexadecimal: ${JSON.stringify(hex.slice(0, 20))}`);
  return parseInt(hex, 16);
}

/** The framing facts of a head (latin1 text including its terminating empty line). */
export function parseHead(text: string, kind: 'request' | 'response'): Head {
  const lines = text.split('\n');
  const start = (lines[0] ?? '').replace(/\r$/, '');
  let method = '';
  let status = 0;
  let http10: boolean;
  if (kind === 'request') {
    const sp = start.indexOf(' ');
    method = sp > 0 ? start.slice(0, sp) : '';
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(method)) throw new FramingError('not an HTTP request line');
    http10 = start.endsWith('HTTP/1.0');
    if (!http10 && !start.endsWith('HTTP/1.1')) throw new FramingError('not an HTTP/1.x request line');
  } else {
    const m = /^HTTP\/1\.([01]) (\d{3})/.exec(start);
    if (!m) throw new FramingError('not an HTTP/1.x status line');
    http10 = m[1] === '0';
    status = Number(m[2]);
  }
  let contentLength: number | undefined;
  let transferEncoding: Head['transferEncoding'] = 'none';
  let connection = '';
  let upgrade = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    // Only names as long as the four that frame a message are lowercased.
    if (colon !== 14 && colon !== 17 && colon !== 10 && colon !== 7) continue;
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d{1,15}$/.test(value)) throw new FramingError(`Content-Length is not a number: ${JSON.stringify(value.slice(0, 20))}`);
      const n = Number(value);
      if (contentLength !== undefined && contentLength !== n) throw new FramingError('two different Content-Length headers');
      contentLength = n;
    } else if (name === 'transfer-encoding') {
      const codings = value.toLowerCase().split(',').map((c) => c.trim()).filter(Boolean);
      transferEncoding = codings[codings.length - 1] === 'chunked' ? 'chunked' : 'other';
    } else if (name === 'connection') {
      connection += `,${value.toLowerCase()}`;
    } else if (name === 'upgrade') {
      upgrade = true;
    }
  }
  const tokens = connection.split(',').map((t) => t.trim());
  const close = tokens.includes('close') || (http10 && !tokens.includes('keep-alive'));
  return { method, status, contentLength, transferEncoding, close, upgrade: kind === 'request' && ((upgrade && tokens.includes('upgrade')) || method === 'CONNECT') };
}

/** How a request's body is framed (RFC 9112 §6.3: no Content-Length and no Transfer-Encoding means none). */
export function requestBody(h: Head): Body {
  if (h.transferEncoding === 'chunked') return { kind: 'chunked' };
  if (h.transferEncoding === 'other') throw new FramingError('a request Transfer-Encoding must end with chunked');
  return h.contentLength ? { kind: 'length', length: h.contentLength } : { kind: 'none' };
}

/** How a response's body is framed, given the method of its request (RFC 9112 §6.3). */
export function responseBody(h: Head, method: string): Body {
  if (method === 'HEAD' || (h.status >= 100 && h.status < 200) || h.status === 204 || h.status === 304) return { kind: 'none' };
  if (method === 'CONNECT' && h.status >= 200 && h.status < 300) return { kind: 'untilClose' };
  if (h.transferEncoding === 'chunked') return { kind: 'chunked' };
  if (h.transferEncoding === 'other') return { kind: 'untilClose' };
  return h.contentLength !== undefined ? { kind: 'length', length: h.contentLength } : { kind: 'untilClose' };
}

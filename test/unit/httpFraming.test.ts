// Message boundaries in HTTP/1.1 byte streams, as the blue/green proxy finds them: the same
// boundaries whether the bytes come in one read or one byte at a time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Framer, FramingError, parseHead, requestBody, responseBody } from '../../client/src/gateway/httpFraming';

/**
 * Feeds `text` in reads of `step` bytes and returns where each message ended (offsets in the
 * whole stream). Requests: the body follows from the head; responses: from `methods`, in order.
 */
function boundaries(kind: 'request' | 'response', text: string, step: number, methods: string[] = []): number[] {
  const bytes = Buffer.from(text, 'latin1');
  const f = new Framer(kind);
  const ends: number[] = [];
  let inMessage = false;
  for (let start = 0; start < bytes.length; start += step) {
    const read = Buffer.from(bytes.subarray(start, start + step));
    let at = 0;
    while (at < read.length) {
      // Bytes given to an idle framer begin a message.
      if (f.idle) inMessage = true;
      at = f.consume(read, at);
      if (f.headDone) {
        const head = f.head;
        f.body(kind === 'request' ? requestBody(head) : responseBody(head, methods.shift() ?? 'GET'));
      }
      if (f.idle && inMessage) {
        ends.push(start + at);
        inMessage = false;
      }
    }
  }
  return ends;
}

function bothWays(kind: 'request' | 'response', text: string, methods: string[] = []): number[] {
  const whole = boundaries(kind, text, text.length, [...methods]);
  for (const step of [1, 2, 3, 7]) assert.deepEqual(boundaries(kind, text, step, [...methods]), whole, `in reads of ${step}`);
  return whole;
}

void describe('HTTP/1.1 framing', () => {
  void it('a bodiless request ends at its empty line, a Content-Length one after its body', () => {
    const a = 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n';
    const b = 'POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello';
    assert.deepEqual(bothWays('request', a + b), [a.length, a.length + b.length]);
  });

  void it('a chunked request ends after its last chunk and trailers; chunk extensions are allowed', () => {
    const a = 'POST /c HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n';
    const b = 'GET /next HTTP/1.1\r\n\r\n';
    assert.deepEqual(bothWays('request', a + b), [a.length, a.length + b.length]);
  });

  void it('bare LF line ends frame a head as CRLF ones do', () => {
    const a = 'GET /lf HTTP/1.1\nHost: x\n\n';
    assert.deepEqual(bothWays('request', a + a), [a.length, 2 * a.length]);
  });

  void it('responses: HEAD, 204 and 304 have no body; 1xx is not the final answer', () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n';
    const noContent = 'HTTP/1.1 204 No Content\r\n\r\n';
    const cont = 'HTTP/1.1 100 Continue\r\n\r\n';
    const ok = 'HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok';
    const ends = bothWays('response', head + noContent + cont + ok, ['HEAD', 'GET', 'POST', 'POST']);
    // The 100's own end is a boundary of the framer; the proxy waits for the final one.
    assert.deepEqual(ends, [head.length, head.length + noContent.length, head.length + noContent.length + cont.length, head.length + noContent.length + cont.length + ok.length]);
  });

  void it('a chunked response ends with its zero chunk; one without a length is read until close', () => {
    const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n';
    assert.deepEqual(bothWays('response', chunked), [chunked.length]);
    const f = new Framer('response');
    const bytes = Buffer.from('HTTP/1.0 200 OK\r\n\r\nuntil the end');
    const at = f.consume(bytes, 0);
    f.body(responseBody(f.head, 'GET'));
    assert.equal(f.consume(bytes, at), bytes.length);
    assert.equal(f.idle, false);
    assert.equal(f.endsAtClose(), true);
  });

  void it('reads close, keep-alive and upgrade from the head', () => {
    assert.equal(parseHead('GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'request').close, false);
    assert.equal(parseHead('GET / HTTP/1.1\r\nConnection: Close\r\n\r\n', 'request').close, true);
    assert.equal(parseHead('GET / HTTP/1.0\r\n\r\n', 'request').close, true);
    assert.equal(parseHead('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n', 'request').close, false);
    assert.equal(parseHead('GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n', 'request').upgrade, true);
    assert.equal(parseHead('GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n', 'request').upgrade, false, 'Upgrade without Connection: upgrade is ignored');
    assert.equal(parseHead('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n', 'response').close, true);
  });

  void it('refuses what it cannot frame, with the status a server would answer', () => {
    const bad = (text: string, status: number): void => {
      const f = new Framer('request');
      assert.throws(() => {
        const b = Buffer.from(text);
        const at = f.consume(b, 0);
        if (f.headDone) f.body(requestBody(f.head));
        f.consume(b, at);
      }, (e: unknown) => e instanceof FramingError && e.status === status);
    };
    bad('GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n', 400);
    bad('GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', 400);
    bad('POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n', 400);
    bad('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400);
    bad('\u0000\u0001 / HTTP/1.1\r\n\r\n', 400);
    bad(`GET / HTTP/1.1\r\nX: ${'a'.repeat(70_000)}\r\n\r\n`, 431);
  });
});

// What the controller reads off KrakenD's /__health body to tell one KrakenD process from another,
// and probes whose connection a connector opens (on an ssh:// engine's machine).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { probeHealth, processStartMs, processUptimeSeconds } from '../../client/src/gateway/health';
import type { Connector } from '../../client/src/gateway/health';
import type { HealthTarget } from '../../client/src/gateway/plan';

const body = (now: string): string => `{"agents":{},"now":"${now}","status":"ok"}`;

void test('the uptime is the monotonic suffix of Go\'s time.Now().String()', () => {
  assert.equal(processUptimeSeconds(body('2026-12-01 10:17:44.868078078 +0000 UTC m=+0.311810677')), 0.311810677);
  assert.equal(processUptimeSeconds('{"status":"ok"}'), undefined);
  assert.equal(processUptimeSeconds(undefined), undefined);
});

void test('the start is the wall clock minus the uptime, in the zone the body names', () => {
  const start = Date.UTC(2026, 11, 1, 10, 17, 44) + 556.267401;
  assert.ok(Math.abs(processStartMs(body('2026-12-01 10:17:44.868078078 +0000 UTC m=+0.311810677'))! - start) < 0.001);
  // The same instant printed by a KrakenD whose TZ is two hours east of UTC.
  assert.ok(Math.abs(processStartMs(body('2026-12-01 12:17:44.868078078 +0200 CEST m=+0.311810677'))! - start) < 0.001);
  assert.ok(Math.abs(processStartMs(body('2026-12-01 05:47:44.868078078 -0430 X m=+0.311810677'))! - start) < 0.001);
});

void test('two readings of one process give one start; a restart gives another, however young the old one was', () => {
  const first = processStartMs(body('2026-12-01 10:17:44.868078078 +0000 UTC m=+0.311810677'));
  const later = processStartMs(body('2026-12-01 10:17:47.340049036 +0000 UTC m=+2.783781635'));
  const restarted = processStartMs(body('2026-12-01 10:17:45.100000000 +0000 UTC m=+0.050000000'));
  assert.ok(Math.abs(first! - later!) < 0.01);
  assert.ok(Math.abs(restarted! - first!) > 400);
});

void test('a body without Go\'s time string has no start', () => {
  assert.equal(processStartMs('{"now":"yesterday","status":"ok"}'), undefined);
  assert.equal(processStartMs(undefined), undefined);
});

// ---- probes through a connector (an ssh:// engine's side: engine/sshForward.ts) ------------------

async function server(status: number): Promise<{ port: number; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const s = createServer((_req, res) => {
    hits++;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  return { port, hits: () => hits, close: () => new Promise((resolve) => s.close(() => resolve())) };
}

/** A connector whose streams are plain Duplexes (no setTimeout, as an ssh2 channel), to wherever `to` says. */
function connector(to: number, seen: string[]): Connector {
  return (host, port) =>
    new Promise((resolve, reject) => {
      seen.push(`${host}:${port}`);
      const sock = connect({ host: '127.0.0.1', port: to });
      sock.once('connect', () => resolve(Duplex.from({ readable: sock, writable: sock })));
      sock.once('error', reject);
    });
}

const target = (port: number, tcpOnly = false): HealthTarget => ({ host: '127.0.0.1', port, path: '/__health', tcpOnly, via: 'engine' });

void test('through a connector: the GET goes over the stream it opens, for the target\'s host and port', async () => {
  const s = await server(200);
  try {
    const seen: string[] = [];
    // The target names a port nothing listens on here; only the connector knows where it really is.
    const r = await probeHealth(target(1), 2000, connector(s.port, seen));
    assert.deepEqual(r, { ok: true, status: 200, body: '{"status":"ok"}' });
    assert.deepEqual(seen, ['127.0.0.1:1']);
    assert.equal(s.hits(), 1);
    assert.deepEqual(await probeHealth(target(1, true), 2000, connector(s.port, seen)), { ok: true }, 'a TCP probe opens and closes');
    const other = await server(503);
    try {
      assert.equal((await probeHealth(target(1), 2000, connector(other.port, seen))).status, 503);
    } finally {
      await other.close();
    }
  } finally {
    await s.close();
  }
});

void test('through a connector: its failure is the probe\'s result, and a stream that never answers ends at the deadline', async () => {
  const refused: Connector = () => Promise.reject(new Error('ssh://ana@build.example did not open 127.0.0.1:8080 on its side (administratively prohibited)'));
  const r = await probeHealth(target(8080), 2000, refused);
  assert.equal(r.ok, false);
  assert.match(r.error ?? '', /administratively prohibited/);
  assert.match((await probeHealth(target(8080, true), 2000, refused)).error ?? '', /administratively prohibited/);
  // A stream that takes the request and never answers.
  const silent: Connector = () => Promise.resolve(new Duplex({ read: () => undefined, write: (_c, _e, cb) => cb() }));
  const t0 = Date.now();
  const late = await probeHealth(target(8080), 300, silent);
  assert.equal(late.ok, false);
  assert.match(late.error ?? '', /no answer within 300 ms/);
  assert.ok(Date.now() - t0 < 5000);
});

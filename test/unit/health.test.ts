// What the controller reads off KrakenD's /__health body to tell one KrakenD process from another.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { processStartMs, processUptimeSeconds } from '../../client/src/gateway/health';

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

// Trying an endpoint: the params it asks for, the URL it builds, the document it shows, when
// its lens shows and what it says; and one real request to a loopback server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initialState } from '../../client/src/gateway/lifecycle';
import { ServedEndpoints, TryHistory, endpointKey, lensTitle, textIsServed, tryTarget } from '../../client/src/tryEndpoint/lensView';
import { buildTryUrl, formatTryResult, gatewayOrigin, pathInputs, summaryLine, takesBody, tryFailed } from '../../client/src/tryEndpoint/request';
import type { TryResult } from '../../client/src/tryEndpoint/request';
import { sendTry } from '../../client/src/tryEndpoint/send';
import type { GatewaySnapshot } from '../../client/src/statusBar/view';

test('the inputs a path needs: its params in order, then a wildcard\'s rest', () => {
  assert.deepEqual(pathInputs('/users/{id}/orders/{order}', ['id', 'order']).map((i) => i.name), ['id', 'order']);
  assert.deepEqual(pathInputs('/static/*', []).map((i) => i.name), ['*']);
  assert.deepEqual(pathInputs('/health', []), []);
});

test('URLs: params encoded as one segment, a wildcard keeps its slashes, unextracted braces escaped', () => {
  const o = 'http://127.0.0.1:8080';
  assert.equal(buildTryUrl(o, '/users/{id}', ['id'], { id: '42' }), 'http://127.0.0.1:8080/users/42');
  assert.equal(buildTryUrl(o, '/users/{id}', ['id'], { id: 'a/b c?' }), 'http://127.0.0.1:8080/users/a%2Fb%20c%3F');
  assert.equal(buildTryUrl(o, '/u/{id}/{id}', ['id'], { id: 'x' }), 'http://127.0.0.1:8080/u/x/x');
  assert.equal(buildTryUrl(o, '/files/*', [], { '*': '/a/b c/d.txt' }), 'http://127.0.0.1:8080/files/a/b%20c/d.txt');
  assert.equal(buildTryUrl(o, '/a/x{id}', [], {}), 'http://127.0.0.1:8080/a/x%7Bid%7D');
  assert.equal(buildTryUrl('http://127.0.0.1:9000/__health', 'orders', [], {}), 'http://127.0.0.1:9000/orders');
  assert.equal(gatewayOrigin('http://127.0.0.1:8080/__health'), 'http://127.0.0.1:8080');
  assert.equal(gatewayOrigin(undefined), undefined);
  assert.equal(gatewayOrigin('not a url'), undefined);
  assert.ok(takesBody('POST') && takesBody('PATCH') && !takesBody('GET') && !takesBody('DELETE'));
});

const OK: TryResult = {
  method: 'GET',
  url: 'http://127.0.0.1:8080/users/1',
  latencyMs: 12.4,
  at: 0,
  response: {
    status: 200,
    statusText: 'OK',
    headers: [['content-type', 'application/json; charset=utf-8'], ['x-krakend', 'Version 2.13.8'], ['x-krakend-completed', 'true']],
    body: '{"id":1,"name":"Ada"}',
    truncated: false,
  },
};

test('the response document: request, status, latency, X-Krakend-Completed, headers, pretty JSON', () => {
  assert.equal(
    formatTryResult(OK),
    'GET http://127.0.0.1:8080/users/1\n200 OK · 12 ms · X-Krakend-Completed: true\n\ncontent-type: application/json; charset=utf-8\nx-krakend: Version 2.13.8\nx-krakend-completed: true\n\n{\n  "id": 1,\n  "name": "Ada"\n}\n',
  );
  const refused: TryResult = { method: 'POST', url: 'http://127.0.0.1:8080/x', latencyMs: 3, at: 0, error: 'fetch failed: connect ECONNREFUSED 127.0.0.1:8080' };
  assert.equal(formatTryResult(refused), 'POST http://127.0.0.1:8080/x\nfailed after 3 ms: fetch failed: connect ECONNREFUSED 127.0.0.1:8080\n\n');
  const text: TryResult = { ...OK, response: { ...OK.response!, headers: [['content-type', 'text/plain']], body: 'not json', truncated: true } };
  assert.match(formatTryResult(text), /\n\nnot json\n\n… \(body cut at the display limit\)\n$/);
});

test('failed means no answer or an error status', () => {
  assert.equal(tryFailed(OK), false);
  assert.equal(tryFailed({ ...OK, response: { ...OK.response!, status: 502, statusText: 'Bad Gateway' } }), true);
  assert.equal(tryFailed({ ...OK, response: undefined, error: 'timed out' }), true);
  assert.equal(summaryLine({ ...OK, response: { ...OK.response!, headers: [] } }), '200 OK · 12 ms');
});

function snapshot(phase: 'healthy' | 'stopped' | 'starting', configRelativePath = 'krakend.json'): GatewaySnapshot {
  return { folderName: 'w', configRelativePath, state: { ...initialState(3), phase }, healthUrl: 'http://127.0.0.1:8080/__health' };
}

test('lenses show only while this file\'s gateway is healthy', () => {
  assert.equal(tryTarget(snapshot('healthy'), 'krakend.json'), 'http://127.0.0.1:8080');
  assert.equal(tryTarget(snapshot('stopped'), 'krakend.json'), undefined);
  assert.equal(tryTarget(snapshot('starting'), 'krakend.json'), undefined);
  // The gateway runs another config of the folder.
  assert.equal(tryTarget(snapshot('healthy', 'gw/krakend.json'), 'krakend.json'), undefined);
  assert.equal(tryTarget(undefined, 'krakend.json'), undefined);
  // Serving the last good config while the latest save is invalid is still healthy.
  const invalid = snapshot('healthy');
  assert.equal(tryTarget({ ...invalid, state: { ...invalid.state, configIssue: 'invalid' } }, 'krakend.json'), 'http://127.0.0.1:8080');
});

test('while the text is not what runs, lenses show only the endpoints the gateway serves', () => {
  const healthy = snapshot('healthy');
  assert.equal(textIsServed(healthy, false), true);
  assert.equal(textIsServed(healthy, true), false, 'unsaved edits');
  assert.equal(textIsServed({ ...healthy, state: { ...healthy.state, configIssue: 'invalid' } }, false), false, 'an invalid save');
  assert.equal(textIsServed({ ...healthy, state: { ...healthy.state, unapplied: true } }, false), false, 'an auto-save not applied');
  assert.equal(textIsServed({ ...healthy, state: { ...healthy.state, op: 'reload' } }, false), false, 'a reload under way');
  const served = new ServedEndpoints();
  const key = (l: string): string => l;
  const uri = 'file:///w/krakend.json';
  assert.deepEqual(served.filter(uri, ['GET /users/{id}', 'GET /greeting'], key, true), ['GET /users/{id}', 'GET /greeting']);
  // Typing turns {id} into :id: that lens goes; the served ones stay.
  assert.deepEqual(served.filter(uri, ['GET /users/:id', 'GET /greeting'], key, false), ['GET /greeting']);
  assert.deepEqual(served.filter('file:///w/other.json', ['GET /a'], key, false), [], 'nothing known to be served');
  // Saved and applied: the new set is what runs.
  assert.deepEqual(served.filter(uri, ['GET /users/:id'], key, true), ['GET /users/:id']);
  assert.deepEqual(served.filter(uri, ['GET /greeting'], key, false), []);
});

test('lens titles carry the last try, and a failure is marked', () => {
  const base = 'GET /users/{id} → try';
  assert.equal(lensTitle(base, undefined), base);
  assert.equal(lensTitle(base, OK), 'GET /users/{id} → try (last: 200, 12 ms)');
  assert.equal(lensTitle(base, { ...OK, response: { ...OK.response!, status: 502, statusText: 'Bad Gateway' } }), '$(error) GET /users/{id} → try (last: 502 Bad Gateway, 12 ms)');
  assert.equal(lensTitle(base, { ...OK, response: undefined, error: 'timed out' }), '$(error) GET /users/{id} → try (last: failed after 12 ms: timed out)');
  const h = new TryHistory();
  const k = endpointKey('file:///k.json', 'GET', '/users/{id}');
  h.record(k, OK);
  assert.equal(h.get(k), OK);
  assert.equal(h.get(endpointKey('file:///k.json', 'POST', '/users/{id}')), undefined);
});

test('sendTry against a loopback server: status, X-Krakend-Completed, body, method and body sent', async () => {
  const seen: { method?: string; url?: string; body?: string; type?: string } = {};
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      Object.assign(seen, { method: req.method, url: req.url, body, type: req.headers['content-type'] });
      res.writeHead(201, { 'content-type': 'application/json', 'x-krakend-completed': 'false' });
      res.end(JSON.stringify({ ok: true, big: 'x'.repeat(100) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const r = await sendTry({ method: 'POST', url: `http://127.0.0.1:${port}/orders/7`, body: '{"n":1}', maxBodyBytes: 20 });
    assert.equal(r.response?.status, 201);
    assert.ok(r.response.headers.some(([k, v]) => k === 'x-krakend-completed' && v === 'false'));
    assert.equal(r.response.truncated, true);
    assert.equal(r.response.body.length, 20);
    assert.ok(r.latencyMs >= 0);
    assert.deepEqual(seen, { method: 'POST', url: '/orders/7', body: '{"n":1}', type: 'application/json' });
    assert.match(summaryLine(r), /^201 Created · \d+ ms · X-Krakend-Completed: false$/);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  // Nobody listens on that port any more: a failure result, not an exception.
  const refused = await sendTry({ method: 'GET', url: `http://127.0.0.1:${port}/x`, timeoutMs: 5000 });
  assert.equal(refused.response, undefined);
  assert.match(refused.error ?? '', /ECONNREFUSED|fetch failed/);
});

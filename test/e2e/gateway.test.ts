// needs: code-server, chromium, docker, krakend, krakend-images
/**
 * The gateway as a user drives it from the editor: a real KrakenD container (the locally built
 * krakend:2.13 image, host networking) kept in step with saves, observed through the status bar,
 * the Problems panel, `docker inspect` and HTTP on loopback.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { FAULT, HEALTHY, SERVING_LAST_GOOD, restartedSince, startGatewaySession, stopGatewaySession } from './support/gatewaySession';
import type { GatewaySession } from './support/gatewaySession';
import { runningGateway, runningUpstreamPort } from './support/docker';
import { breakCommaAfterVersion, endpointText, exampleConfig, lastEndpointCloseLine, useExamplePorts } from './support/example';
import { get, keepAliveGets, loopbackConnections } from './support/http';
import { Chain, scenario } from './support/scenario';
import type { PageGlobals } from './support/workbench';
import type { Session } from './support/session';


void describe('e2e: the gateway follows the editor (Docker + KrakenD)', () => {
  let g: GatewaySession | undefined;
  let s: Session | undefined;
  const session = (): Session | undefined => s;
  const chain = new Chain();

  const closeLine = lastEndpointCloseLine(exampleConfig);
  const addedLine = closeLine + 2;
  const url = (path: string): string => g!.url(path);
  let lastStart = '';

  before(async () => {
    g = await startGatewaySession({
      name: 'gateway',
      prepareWorkspace: useExamplePorts,
    });
    s = g.session;
    await s.wb.openFile('krakend.json');
  });

  after(() => stopGatewaySession(g));

  scenario('gateway-start', session, async ({ wb, home }) => {
    await wb.waitForStatus(/krakend/i, 60_000);
    await wb.runCommand('KrakenD: Start Gateway');
    await wb.waitForStatus(HEALTHY, 120_000, FAULT);
    lastStart = await restartedSince(home, '');
    const answer = await get(url('/greeting'));
    assert.equal(answer.status, 200, answer.body);
    assert.match(answer.body, /Hello from the example backend/);
  }, { chain, timeoutMs: 180_000 });

  // Issue 19.1: inside the real extension host (whose patched `http` once made the proxy answer
  // every request with `connection: close`), a client that sends no Connection header keeps its
  // one connection, and the proxy keeps its connection to KrakenD. Counted from /proc/net/tcp:
  // every connection with the user's port or KrakenD's loopback port at one end, closed ones too.
  scenario('gateway-keep-alive', session, async ({ home }) => {
    const upstream = await runningUpstreamPort(home);
    const clientBefore = loopbackConnections(g!.gatewayPort);
    const upstreamBefore = loopbackConnections(upstream);
    const run = await keepAliveGets(g!.gatewayPort, '/__health', 200);
    const fresh = (before: Set<number>, now: Set<number>): number => [...now].filter((p) => !before.has(p)).length;
    const toProxy = fresh(clientBefore, loopbackConnections(g!.gatewayPort));
    const toKrakend = fresh(upstreamBefore, loopbackConnections(upstream));
    const counts = `client: ${run.connections} connection(s) for 200 requests; all connections to the proxy's port: ${toProxy}, to KrakenD's: ${toKrakend}`;
    console.log(`gateway-keep-alive: ${counts}`);
    assert.deepEqual([...new Set(run.statuses)], [200]);
    assert.equal(run.closing, 0, 'no answer says connection: close');
    assert.equal(run.connections, 1, counts);
    // The health monitor's own probes (one connection each) go through the proxy too, so the
    // bound is every connection to the proxy's port in the same moment, the client's one among them.
    assert.ok(toProxy >= 1, counts);
    assert.ok(toKrakend <= toProxy, counts);
  }, { chain });

  scenario('gateway-invalid-save-keeps-serving', session, async ({ wb, home }) => {
    await wb.gotoLineEnd(closeLine);
    // The session's own backend: the example's 127.0.0.1:8081 is not running here, and the next
    // scenario turns this endpoint into /hello, which must reach a backend to answer 200.
    await wb.typeText(endpointText('/greeting', '/greeting', `http://127.0.0.1:${g!.backendPort}`));
    await wb.save();
    const rows = await wb.waitForProblems('route/duplicate', (r) => r.some((p) => p.code.includes('route/duplicate')));
    assert.equal(rows.find((p) => p.code.includes('route/duplicate'))?.line, addedLine);
    await wb.waitForStatus(SERVING_LAST_GOOD, 30_000, FAULT);
    assert.equal(await runningGateway(home), lastStart, 'an invalid save must not restart the container');
    const answer = await get(url('/greeting'));
    assert.equal(answer.status, 200, answer.body);
  }, { chain });

  scenario('gateway-valid-save-restarts', session, async ({ wb, home }) => {
    // Fix the duplicate by making it a new endpoint, /hello.
    await wb.gotoLineEnd(addedLine);
    await wb.page.keyboard.press('Shift+Home');
    await wb.typeText('"endpoint": "/hello",');
    await wb.save();
    await wb.waitForProblems('an empty Problems panel', (r) => r.length === 0);
    lastStart = await restartedSince(home, lastStart);
    await wb.waitForStatus(HEALTHY, 90_000, FAULT);
    const answer = await get(url('/hello'));
    assert.equal(answer.status, 200, answer.body);
    assert.match(answer.body, /Hello from the example backend/);
  }, { chain, timeoutMs: 180_000 });

  scenario('gateway-restart-command', session, async ({ wb, home }) => {
    await wb.runCommand('KrakenD: Restart Gateway');
    lastStart = await restartedSince(home, lastStart);
    await wb.waitForStatus(HEALTHY, 90_000, FAULT);
    assert.equal((await get(url('/hello'))).status, 200);
  }, { chain, timeoutMs: 180_000 });

  scenario('gateway-logs', session, async ({ wb, page }) => {
    await wb.runCommand('KrakenD: Show Gateway Logs');
    await page.locator('.output-view').first().waitFor({ state: 'visible', timeout: 15_000 });
    // KrakenD's own lines, e.g. "[SERVICE: Gin] Listening on port: 8080".
    await page.waitForFunction(
      () => /Listening on port|KRAKEND/.test((globalThis as unknown as PageGlobals).document.querySelector('.output-view .view-lines')?.textContent ?? ''),
      undefined,
      { timeout: 30_000 },
    );
    assert.match(await wb.outputText(), /Listening on port|KRAKEND/);
  }, { chain });

  scenario('gateway-json-syntax-keeps-serving', session, async ({ wb, home }) => {
    await wb.openFile('krakend.json');
    await breakCommaAfterVersion(wb);
    await wb.waitForStatus(SERVING_LAST_GOOD, 30_000, FAULT);
    assert.equal(await runningGateway(home), lastStart, 'a file that does not parse must not restart the container');
    assert.equal((await get(url('/hello'))).status, 200);
  }, { chain });
});

// needs: code-server, chromium, docker, krakend, krakend-images
/**
 * Flexible Configuration as a user drives it: the examples/flexible workspace (a krakend.tmpl with
 * settings, partials and templates) run by a real KrakenD container that renders the template
 * itself. An error in a partial lands in that partial and leaves the gateway serving; fixing it
 * and saving reloads the gateway, which serves the rendered endpoints.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { FAULT, HEALTHY, SERVING_LAST_GOOD, restartedSince, startGatewaySession, stopGatewaySession } from './support/gatewaySession';
import type { GatewaySession } from './support/gatewaySession';
import { runningGateway } from './support/docker';
import { get } from './support/http';
import { Chain, scenario } from './support/scenario';
import type { Session } from './support/session';


void describe('e2e: a Flexible Configuration template runs in the gateway (Docker + KrakenD)', () => {
  let g: GatewaySession | undefined;
  let s: Session | undefined;
  const session = (): Session | undefined => s;
  const chain = new Chain();
  let lastStart = '';
  const url = (path: string): string => g!.url(path);

  before(async () => {
    g = await startGatewaySession({
      name: 'flexible',
      example: 'flexible',
      // The port and the backend live in the settings file, as FC projects keep them.
      prepareWorkspace: (dir, ports) => {
        const file = join(dir, 'settings', 'service.json');
        const service = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        writeFileSync(file, `${JSON.stringify({ ...service, port: ports.gateway, backend: `http://host.docker.internal:${ports.backend}` }, null, 2)}\n`);
      },
    });
    s = g.session;
    await s.wb.openFile('krakend.tmpl');
  });

  after(() => stopGatewaySession(g));

  /** Opens `file` (which focuses its editor), replaces its whole text and saves. */
  async function rewrite(file: string, text: string): Promise<void> {
    const wb = s!.wb;
    await wb.openFile(file);
    await wb.page.keyboard.press('Control+A');
    await wb.page.keyboard.press('Delete');
    await wb.typeText(text);
    await wb.save();
  }

  scenario('flexible-start', session, async ({ wb, home }) => {
    await wb.waitForStatus(/krakend/i, 60_000);
    await wb.runCommand('KrakenD: Start Gateway');
    await wb.waitForStatus(HEALTHY, 120_000, FAULT);
    lastStart = await restartedSince(home, '');
    for (const path of ['/greeting', '/users/1']) {
      const answer = await get(url(path));
      assert.equal(answer.status, 200, `${path}: ${answer.body}`);
    }
  }, { chain, timeoutMs: 180_000 });

  scenario('flexible-error-in-partial', session, async ({ wb, home }) => {
    await rewrite('backend.json', '"encoding": "jsonx"');
    const rows = await wb.waitForProblems('an error in backend.json', (r) => r.some((p) => p.severity === 'error' && p.file === 'backend.json'));
    const errors = rows.filter((p) => p.severity === 'error');
    assert.ok(errors.every((p) => p.file === 'backend.json' && p.line === 1), `every error sits in the partial, line 1: ${JSON.stringify(rows)}`);
    await wb.waitForStatus(SERVING_LAST_GOOD, 30_000, FAULT);
    assert.equal(await runningGateway(home), lastStart, 'a template that renders an invalid config must not restart the gateway');
    assert.equal((await get(url('/greeting'))).status, 200);
  }, { chain });

  scenario('flexible-fix-reloads', session, async ({ wb, home }) => {
    await rewrite('backend.json', '"encoding": "safejson"');
    await wb.waitForProblems('no errors', (r) => !r.some((p) => p.severity === 'error'));
    lastStart = await restartedSince(home, lastStart);
    await wb.waitForStatus(HEALTHY, 90_000, FAULT);
    for (const path of ['/greeting', '/users/2']) {
      const answer = await get(url(path));
      assert.equal(answer.status, 200, `${path}: ${answer.body}`);
    }
  }, { chain, timeoutMs: 180_000 });

  scenario('flexible-rendered-config', session, async ({ wb }) => {
    // The template's tab is open since the start; the command renders the active editor's file.
    await wb.page.locator('.tab', { hasText: 'krakend.tmpl' }).first().click();
    await wb.page.locator('.tab.active', { hasText: 'krakend.tmpl' }).waitFor({ state: 'visible', timeout: 15_000 });
    await wb.runCommand('KrakenD: Show Rendered Configuration');
    await wb.page.locator('.tab.active[aria-label*="krakend.tmpl.rendered.json"]').waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await wb.page.locator('.editor-instance .view-lines').last().textContent()) ?? '';
    assert.match(text, /"url_pattern":\s*"\/users\/\{id\}"/);
    assert.match(text, /"encoding":\s*"safejson"/);
  }, { chain });
});

// needs: code-server, chromium, docker, krakend, krakend-images
/**
 * Editor intelligence the way a user meets it, in a real VS Code with a real gateway: pick a
 * namespace from completion while typing `"extra_config": { "qos/`, accept the quick fix that
 * turns a hand-written `:id` into `{id}`, then click the "try" code lens of that endpoint and
 * read the 200 the real KrakenD returned.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { FAULT, HEALTHY, startGatewaySession, stopGatewaySession } from './support/gatewaySession';
import type { GatewaySession } from './support/gatewaySession';
import { exampleConfig, lastEndpointCloseLine, lineOf, useExamplePorts } from './support/example';
import { get } from './support/http';
import { artifactsDir } from './support/paths';
import { Chain, scenario } from './support/scenario';
import type { PageGlobals } from './support/workbench';
import type { Session } from './support/session';


void describe('e2e: completion, quick fixes and trying an endpoint (Docker + KrakenD)', () => {
  let g: GatewaySession | undefined;
  let s: Session | undefined;
  const session = (): Session | undefined => s;
  const chain = new Chain();

  // The first endpoint's `"method": "GET",` line: the extra_config goes on a new line after it.
  const methodLine = lineOf(exampleConfig, '"method": "GET",');

  before(async () => {
    g = await startGatewaySession({
      name: 'intel',
      settings: { 'editor.codeLens': true },
      prepareWorkspace: useExamplePorts,
    });
    s = g.session;
    await s.wb.openFile('krakend.json');
  });

  after(() => stopGatewaySession(g));

  scenario('completion-namespace', session, async ({ wb, page, workspace }) => {
    await wb.waitForStatus(/krakend/i, 60_000);
    await wb.gotoLineEnd(methodLine);
    await page.keyboard.press('Enter');
    // Typed with its closing brace already there, then back inside it: `{ "qos/| },`.
    await wb.typeText('      "extra_config": {  },');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    await wb.typeText('"qos/');
    await page.keyboard.press('Control+Space');
    const widget = page.locator('.suggest-widget.visible');
    await widget.waitFor({ state: 'visible', timeout: 30_000 });
    const row = widget.locator('.monaco-list-row', { hasText: 'qos/ratelimit/router' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    // Only the namespaces of an endpoint's extra_config: the backend's circuit breaker is not offered.
    const labels = await widget.locator('.monaco-list-row .label-name').allInnerTexts();
    assert.ok(!labels.some((l) => l.includes('qos/circuit-breaker')), `backend namespaces offered in an endpoint: ${labels.join(', ')}`);
    // Ctrl+Space again opens the focused entry's details: the namespace's description and doc link.
    await page.keyboard.press('Control+Space');
    await page.locator('.suggest-details', { hasText: 'KrakenD documentation' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await wb.screenshot(join(artifactsDir, 'completion-namespace-suggest.png'));
    // Move to the entry (it is normally first) and accept it with Tab.
    for (let i = 0; i < 20; i++) {
      const focused = (await widget.locator('.monaco-list-row.focused .label-name').first().innerText().catch(() => '')).trim();
      if (focused === 'qos/ratelimit/router') break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Tab');
    await widget.waitFor({ state: 'hidden', timeout: 15_000 });
    // The snippet selected max_rate's placeholder: type over it, then leave the snippet.
    await wb.typeText('10');
    await page.keyboard.press('Escape');
    await wb.save();
    await wb.waitForProblems('an empty Problems panel', (r) => r.length === 0);
    const saved = readFileSync(join(workspace, 'krakend.json'), 'utf8');
    assert.match(saved, /"extra_config":\s*\{\s*"qos\/ratelimit\/router":\s*\{\s*"max_rate":\s*10\s*\}\s*\},/);
  }, { chain, timeoutMs: 180_000 });

  scenario('quickfix-manual-param', session, async ({ wb, page, workspace }) => {
    // After the last endpoint of the file as the first scenario saved it (the snippet added lines).
    await wb.gotoLineEnd(lastEndpointCloseLine(readFileSync(join(workspace, 'krakend.json'), 'utf8')));
    await wb.typeText(
      [
        ',',
        '    {',
        '      "endpoint": "/people/:id",',
        '      "backend": [',
        '        {',
        `          "host": ["http://host.docker.internal:${g!.backendPort}"],`,
        '          "url_pattern": "/users/{id}"',
        '        }',
        '      ]',
        '    }',
      ].join('\n'),
    );
    await wb.save();
    const rows = await wb.waitForProblems('route/manual-param', (r) => r.some((p) => p.code.includes('route/manual-param')));
    const line = rows.find((p) => p.code.includes('route/manual-param'))!.line;
    // Into the path string, where the warning is, and ask for the quick fixes.
    await wb.gotoLineEnd(line);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: "Use input params: '/people/{id}'" }).first();
    await fix.waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot(join(artifactsDir, 'quickfix-manual-param-menu.png'));
    // The menu blocks pointer events around it while it opens; choose with the keyboard, as most do.
    const focusedFix = page.locator('.action-widget .monaco-list-row.focused', { hasText: 'Use input params' });
    for (let i = 0; i < 10 && (await focusedFix.count()) === 0; i++) await page.keyboard.press('ArrowDown');
    await focusedFix.first().waitFor({ state: 'visible', timeout: 5_000 });
    await page.keyboard.press('Enter');
    await fix.waitFor({ state: 'hidden', timeout: 15_000 });
    await wb.save();
    // The warning and the backend's undefined {id} both go: the path now defines it.
    await wb.waitForProblems('an empty Problems panel', (r) => r.length === 0);
    assert.match(readFileSync(join(workspace, 'krakend.json'), 'utf8'), /"endpoint": "\/people\/\{id\}",/);
  }, { chain, timeoutMs: 120_000 });

  scenario('try-endpoint-lens', session, async ({ wb, page }) => {
    const title = 'GET /people/{id} → try';
    // No gateway, no lens.
    assert.equal(await page.locator('.codelens-decoration a', { hasText: title }).count(), 0);
    await wb.runCommand('KrakenD: Start Gateway');
    await wb.waitForStatus(HEALTHY, 120_000, FAULT);
    const direct = await get(g!.url('/people/1'));
    assert.equal(direct.status, 200, direct.body);
    const lens = page.locator('.codelens-decoration a', { hasText: title }).first();
    await lens.waitFor({ state: 'visible', timeout: 30_000 });
    await lens.click();
    const input = page.locator('.quick-input-widget');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await input.textContent()) ?? '', /Value for \{id\}/);
    await page.keyboard.type('1');
    await page.keyboard.press('Enter');
    // The response opens beside the config: status, latency, X-Krakend-Completed, the body.
    // (The editor renders spaces as no-break spaces.)
    await page.waitForFunction(
      () => [...(globalThis as unknown as PageGlobals).document.querySelectorAll('.monaco-editor .view-lines')].some((e) => /200[\s\u00a0]OK/.test(e.textContent ?? '')),
      undefined,
      { timeout: 30_000 },
    );
    const response = await page.evaluate(() =>
      [...(globalThis as unknown as PageGlobals).document.querySelectorAll('.monaco-editor .view-lines')].map((e) => e.textContent ?? '').find((t) => /200[\s\u00a0]OK/.test(t)) ?? '',
    );
    const flat = response.replace(/\u00a0/g, ' ');
    assert.match(flat, /GET http:\/\/127\.0\.0\.1:\d+\/people\/1/);
    assert.equal(await page.locator('.tab', { hasText: 'GET ∕people∕{id}' }).count(), 1, 'the response tab is named after the endpoint');
    assert.match(flat, /200 OK · \d+ ms · X-Krakend-Completed: true/);
    assert.match(flat, /Ada Lovelace/);
    // The lens now says how the last try went.
    await page.locator('.codelens-decoration a', { hasText: /GET \/people\/\{id\} → try \(last: 200, \d+ ms\)/ }).first().waitFor({ state: 'visible', timeout: 15_000 });
  }, { chain, timeoutMs: 240_000 });
});

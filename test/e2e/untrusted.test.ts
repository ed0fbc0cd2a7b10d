// needs: code-server, chromium
/**
 * Restricted mode: the user answers the trust dialog with "No". Checks must still run; the
 * gateway commands (which would touch Docker) must not be offered.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { endpointText, exampleConfig, lastEndpointCloseLine, offlineSchemaSettings } from './support/example';
import { scenario } from './support/scenario';
import { Session } from './support/session';

void describe('e2e: untrusted workspace', () => {
  let s: Session | undefined;
  const session = (): Session | undefined => s;

  before(async () => {
    s = await Session.start({
      name: 'untrusted',
      settings: { ...offlineSchemaSettings(), 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'always' },
    });
  });

  after(async () => {
    await s?.stop();
  });

  scenario('untrusted-workspace', session, async ({ wb, page }) => {
    const no = page.locator('.monaco-dialog-box .monaco-button', { hasText: /No, I don.t trust/ });
    await no.waitFor({ state: 'visible', timeout: 90_000 });
    await no.click();
    await page.locator('.monaco-dialog-box').waitFor({ state: 'detached', timeout: 15_000 });
    await wb.waitReady();
    await page.locator('.statusbar-item', { hasText: /Restricted Mode/i }).first().waitFor({ timeout: 30_000 });

    await wb.openFile('krakend.json');
    const entries = await wb.paletteEntries('KrakenD:');
    assert.ok(entries.some((e) => e.includes('Check Configuration')), `palette: ${JSON.stringify(entries)}`);
    for (const gated of ['Start Gateway', 'Stop Gateway', 'Restart Gateway', 'Show Gateway Logs']) {
      assert.ok(!entries.some((e) => e.includes(gated)), `${gated} must not be offered in Restricted Mode: ${JSON.stringify(entries)}`);
    }

    const closeLine = lastEndpointCloseLine(exampleConfig);
    await wb.gotoLineEnd(closeLine);
    await wb.typeText(endpointText('/greeting', '/greeting'));
    await wb.save();
    const rows = await wb.waitForProblems('route/duplicate', (r) => r.some((p) => p.code.includes('route/duplicate')));
    assert.equal(rows.find((p) => p.code.includes('route/duplicate'))?.line, closeLine + 2);
  }, { timeoutMs: 180_000 });
});

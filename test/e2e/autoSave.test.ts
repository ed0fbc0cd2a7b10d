// needs: code-server, chromium, docker, krakend, krakend-images
/**
 * Deliberate reloads (issue 19) with the editor saving on its own: `files.autoSave: afterDelay`, as
 * the try-it sandbox had it, and `krakend.gateway.reloadOn` left at its default, `save`. A half-edit
 * that is valid ("/greeting" on its way to something else, deleted to "/greet") is auto-saved and
 * checked, but the gateway keeps serving what it served, and the status bar says the file is valid
 * but not applied. Ctrl+S, the user's own save, then reloads it, and so does a change on disk
 * made after an auto-save.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { FAULT, HEALTHY, restartedSince, startGatewaySession, stopGatewaySession } from './support/gatewaySession';
import type { GatewaySession } from './support/gatewaySession';
import { runningGateway } from './support/docker';
import { exampleConfig, lineOf, useExamplePorts } from './support/example';
import { get } from './support/http';
import { waitFor } from './support/processes';
import { Chain, scenario } from './support/scenario';
import type { Session } from './support/session';

/** The status bar's short text for a valid auto-save that was not applied (client/src/statusBar/view.ts). */
const NOT_APPLIED = /healthy, auto-save not applied/i;
/** Healthy after a reload, and no longer saying that something is not applied. */
const RELOADED = /healthy \(reload [^)]*\)/i;

void describe('e2e: auto-saved half-edits are checked, not applied (files.autoSave afterDelay, reloadOn save)', () => {
  let g: GatewaySession | undefined;
  let s: Session | undefined;
  const session = (): Session | undefined => s;
  const chain = new Chain();
  let lastStart = '';
  const url = (path: string): string => g!.url(path);
  const greetingLine = lineOf(exampleConfig, '"endpoint": "/greeting"');
  const config = (): string => readFileSync(join(s!.workspace, 'krakend.json'), 'utf8');
  /** Waits until the editor's auto-save has written `text` and the tab is no longer dirty. */
  async function autoSaved(text: string): Promise<void> {
    await waitFor(`the auto-save of ${text}`, () => Promise.resolve(config().includes(text) ? true : undefined), 30_000);
    await s!.page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 15_000 });
  }

  before(async () => {
    g = await startGatewaySession({
      name: 'autoSave',
      prepareWorkspace: useExamplePorts,
      // The editor's auto-save, as in the try-it; krakend.gateway.reloadOn is not set (default `save`).
      settings: { 'files.autoSave': 'afterDelay', 'files.autoSaveDelay': 1000 },
    });
    s = g.session;
    await s.wb.openFile('krakend.json');
  });

  after(() => stopGatewaySession(g));

  scenario('autosave-start', session, async ({ wb, home }) => {
    const settings = JSON.parse(readFileSync(join(s!.codeServer.userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(settings['files.autoSave'], 'afterDelay');
    assert.equal(settings['krakend.gateway.reloadOn'], undefined, 'reloadOn stays at its default');
    await wb.waitForStatus(/krakend/i, 60_000);
    await wb.runCommand('KrakenD: Start Gateway');
    await wb.waitForStatus(HEALTHY, 120_000, FAULT);
    lastStart = await restartedSince(home, '');
    assert.equal((await get(url('/greeting'))).status, 200);
    assert.equal((await get(url('/greet'))).status, 404);
  }, { chain, timeoutMs: 180_000 });

  scenario('autosave-half-edit-not-applied', session, async ({ wb, page, home }) => {
    const before = await wb.statusText();
    assert.doesNotMatch(before, NOT_APPLIED);
    // `      "endpoint": "/greeting",`: from the line's end, past `",`, then "ing" deleted in one
    // edit, so exactly one auto-save follows (of `"/greet"`), and its check is the one that
    // changes the status bar.
    await wb.gotoLineEnd(greetingLine);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Backspace');
    // No Ctrl+S: the editor saves on its own after its delay.
    await autoSaved('"endpoint": "/greet",');
    const status = await wb.waitForStatus(NOT_APPLIED, 30_000, FAULT);
    // The tooltip says why.
    await wb.statusItem().hover();
    const tip = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: /valid but not applied/ }).first();
    await tip.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await tip.textContent()) ?? '', /auto-save: the config is valid but not applied/);
    await page.mouse.move(640, 300);
    // The half-edit was checked and is valid: nothing in the Problems panel.
    await wb.waitForProblems('no problems', (r) => r.length === 0);
    assert.equal(await runningGateway(home), lastStart, `an auto-save must not reload the gateway (status: ${status})`);
    assert.equal((await get(url('/greeting'))).status, 200, 'the gateway still serves /greeting');
    assert.equal((await get(url('/greet'))).status, 404, 'the half-edit is not served');
  }, { chain });

  scenario('autosave-explicit-save-reloads', session, async ({ wb, page, home }) => {
    // The file is already saved (by the auto-save); Ctrl+S is the user's deliberate save of it.
    // Back in the editor (the Problems panel has the focus), as a user clicks into it.
    await wb.openFile('krakend.json');
    await page.keyboard.press('Control+S');
    lastStart = await restartedSince(home, lastStart);
    await wb.waitForStatus(RELOADED, 90_000, FAULT);
    const answer = await get(url('/greet'));
    assert.equal(answer.status, 200, answer.body);
    assert.match(answer.body, /Hello from the example backend/);
    assert.equal((await get(url('/greeting'))).status, 404, 'the new config serves /greet instead of /greeting');
  }, { chain, timeoutMs: 180_000 });

  // A change on disk (a git checkout, another editor) is nobody's auto-save: it reloads, also when
  // the editor's last save was an automatic one.
  scenario('autosave-then-disk-change-reloads', session, async ({ wb, page, home }) => {
    await wb.openFile('krakend.json');
    await wb.gotoLineEnd(greetingLine);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 2; i++) await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Backspace');
    await autoSaved('"endpoint": "/gre",');
    await wb.waitForStatus(NOT_APPLIED, 30_000, FAULT);
    assert.equal(await runningGateway(home), lastStart, 'an auto-save must not reload the gateway');
    assert.equal((await get(url('/gre'))).status, 404);
    writeFileSync(join(s!.workspace, 'krakend.json'), config().replace('"endpoint": "/gre",', '"endpoint": "/hello",'));
    lastStart = await restartedSince(home, lastStart);
    await wb.waitForStatus(RELOADED, 90_000, FAULT);
    const answer = await get(url('/hello'));
    assert.equal(answer.status, 200, answer.body);
    assert.equal((await get(url('/greet'))).status, 404, 'the config on disk replaced the one the editor saved');
  }, { chain, timeoutMs: 180_000 });
});

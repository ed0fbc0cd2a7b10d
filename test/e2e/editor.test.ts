// needs: code-server, chromium
/**
 * The checks as a user meets them in a real VS Code (code-server + Chromium), with the packaged
 * .vsix installed. No Docker here: the extension is pointed at a socket that does not exist, so
 * the status bar must say Docker is unavailable while every check still works.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { breakCommaAfterVersion, endpointText, exampleConfig, lastEndpointCloseLine, offlineSchemaSettings, versionLine } from './support/example';
import { Chain, scenario } from './support/scenario';
import { Session } from './support/session';

const NO_DOCKER = 'unix:///nonexistent/krakend-live-e2e/docker.sock';

void describe('e2e: checks in the editor (trusted workspace, no Docker)', () => {
  let s: Session | undefined;
  const session = (): Session | undefined => s;
  const chain = new Chain();

  before(async () => {
    s = await Session.start({
      name: 'editor',
      settings: { ...offlineSchemaSettings(), 'krakend.docker.host': NO_DOCKER },
      env: { DOCKER_HOST: NO_DOCKER },
    });
    await s.wb.waitReady();
  });

  after(async () => {
    await s?.stop();
  });

  // The duplicate is typed after the last endpoint; these lines are in the edited file.
  const closeLine = lastEndpointCloseLine(exampleConfig);
  const duplicateLine = closeLine + 2;

  scenario('activation', session, async ({ wb }) => {
    await wb.openFile('krakend.json');
    // Activation shows our status bar item, and the extension asks Docker at once: this session
    // points it at a socket that does not exist, so the item says so before any command.
    const status = await wb.waitForStatus(/KrakenD Docker unavailable/, 60_000);
    assert.match(status, /KrakenD/);
  }, { chain });

  scenario('duplicate-endpoint', session, async ({ wb }) => {
    await wb.gotoLineEnd(closeLine);
    await wb.typeText(endpointText('/greeting', '/greeting'));
    await wb.save();
    const rows = await wb.waitForProblems('route/duplicate', (r) => r.some((p) => p.code.includes('route/duplicate')));
    const dup = rows.find((p) => p.code.includes('route/duplicate'));
    assert.ok(dup);
    assert.equal(dup.source, 'krakend');
    assert.equal(dup.severity, 'error');
    assert.equal(dup.line, duplicateLine, `route/duplicate should point at the typed endpoint (line ${duplicateLine}): ${JSON.stringify(rows)}`);
  }, { chain });

  scenario('json-syntax-error', session, async ({ wb }) => {
    const { syntax, rows } = await breakCommaAfterVersion(wb);
    assert.equal(syntax.source, 'krakend');
    assert.equal(syntax.column, 3);
    // A file that does not parse has no other findings: the stale route/duplicate is gone too.
    assert.deepEqual(rows.filter((p) => !p.code.includes('json/syntax')), []);
  }, { chain });

  scenario('fix-clears-problems', session, async ({ wb }) => {
    await wb.gotoLineEnd(versionLine);
    await wb.typeText(',');
    // Rename the duplicate: select its line's text (Shift+Home stops at the indentation) and retype it.
    await wb.gotoLineEnd(duplicateLine);
    await wb.page.keyboard.press('Shift+Home');
    await wb.typeText('"endpoint": "/hello",');
    await wb.save();
    const rows = await wb.waitForProblems('an empty Problems panel', (r) => r.length === 0);
    assert.deepEqual(rows, []);
  }, { chain });

  scenario('check-configuration-command', session, async ({ wb }) => {
    await wb.runCommand('KrakenD: Check Configuration');
    const text = await wb.waitForNotification(/krakend\.json: the configuration is valid/i);
    assert.match(text, /valid/);
  }, { chain });

  scenario('start-without-docker', session, async ({ wb }) => {
    // Without a daemon, Start Gateway must end in a clear state, not a spinner, and checks go on.
    await wb.clearNotifications();
    await wb.runCommand('KrakenD: Start Gateway');
    // The status already said so after activation; the start's own error proves it was tried again.
    // The engine was chosen by krakend.docker.host, so the message names it and says what to do.
    await wb.waitForNotification(/No Docker engine answers at .*krakend\.docker\.host/);
    await wb.waitForStatus(/KrakenD Docker unavailable/, 30_000);
    await wb.runCommand('KrakenD: Check Configuration');
    await wb.waitForNotification(/krakend\.json: the configuration is valid/i);
  }, { chain });
});

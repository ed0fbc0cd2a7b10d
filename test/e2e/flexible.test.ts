// needs: code-server, chromium, docker, krakend, krakend-images
/**
 * Flexible Configuration as a user drives it: the examples/flexible workspace (a krakend.tmpl with
 * settings, partials and templates) run by a real KrakenD container that renders the template
 * itself. A partial or a settings file changed on disk while the gateway serves (a `git checkout`,
 * another editor: written here with Node's fs, never through the editor) reloads it when valid and
 * leaves it serving the last good config when not, with the problem in the file that has it. An
 * error in a partial lands in that partial, also when the partial ends with a newline and is
 * included through `| trim`; fixing it and saving reloads the gateway, which serves the rendered
 * endpoints.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { FAULT, HEALTHY, SERVING_LAST_GOOD, restartedSince, startGatewaySession, stopGatewaySession } from './support/gatewaySession';
import type { GatewaySession } from './support/gatewaySession';
import { runningGateway } from './support/docker';
import { get } from './support/http';
import { examplesDir } from './support/paths';
import { Chain, scenario } from './support/scenario';
import type { Session } from './support/session';


/** A first line for the partial that changes every answer: the backend's body under "from_partial". */
const GROUPED = '"group": "from_partial",\n';

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

  const partial = (): string => join(s!.workspace, 'partials', 'backend.json');
  const endpoints = (): string => join(s!.workspace, 'settings', 'endpoints.json');
  /** The example's partial, as the repository has it (one line and a final newline). */
  const originalPartial = readFileSync(join(examplesDir, 'flexible', 'partials', 'backend.json'), 'utf8');

  /**
   * Opens `file` (which focuses its editor), replaces the text of its first line and saves. The
   * rest of the file, its final newline included, stays as it is.
   */
  async function retypeFirstLine(file: string, text: string): Promise<void> {
    const wb = s!.wb;
    await wb.openFile(file);
    await wb.gotoLineEnd(1);
    await wb.page.keyboard.press('Shift+Home');
    await wb.typeText(text);
    await wb.save();
  }

  /** GET `path` through the gateway: 200 and a JSON body. */
  async function getJson(path: string): Promise<Record<string, unknown>> {
    const answer = await get(url(path));
    assert.equal(answer.status, 200, `${path}: ${answer.body}`);
    return JSON.parse(answer.body) as Record<string, unknown>;
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

  // Issue 16: the partial changes on disk, outside the editor (it has not been opened), while the
  // gateway serves. Valid: the gateway reloads and serves what the partial now says (every
  // backend's answer grouped under "from_partial").
  scenario('flexible-partial-on-disk-reloads', session, async ({ wb, home }) => {
    assert.equal(originalPartial, '"encoding": "json"\n', 'the example partial changed: update this scenario');
    writeFileSync(partial(), `${GROUPED}"encoding": "json"\n`);
    lastStart = await restartedSince(home, lastStart);
    await wb.waitForStatus(HEALTHY, 90_000, FAULT);
    assert.deepEqual(await getJson('/greeting'), { from_partial: { message: 'Hello from the example backend' } });
    assert.deepEqual(await getJson('/users/1'), { from_partial: { id: 1, name: 'Ada Lovelace' } });
    await wb.waitForProblems('no errors', (r) => !r.some((p) => p.severity === 'error'));
  }, { chain, timeoutMs: 180_000 });

  // Issue 16, invalid on disk; and issue 19's partial-after-trim case as the issue states it: the
  // partial ends with a newline, the template includes it through `| trim`, and the bad encoding
  // on its second line is reported there, not in templates/endpoint.tmpl.
  scenario('flexible-partial-on-disk-error', session, async ({ wb, home }) => {
    const template = readFileSync(join(s!.workspace, 'templates', 'endpoint.tmpl'), 'utf8');
    assert.ok(template.includes('{{ include "backend.json" | trim }}'), `the template no longer includes the partial through trim:\n${template}`);
    writeFileSync(partial(), `${GROUPED}"encoding": "jsonx"\n`);
    assert.ok(readFileSync(partial(), 'utf8').endsWith('"jsonx"\n'));
    const rows = await wb.waitForProblems('an error in backend.json', (r) => r.some((p) => p.severity === 'error' && p.file === 'backend.json'));
    const errors = rows.filter((p) => p.severity === 'error');
    assert.ok(
      errors.every((p) => p.file === 'backend.json' && p.line === 2 && p.column === 13 && p.code.includes('route/unknown-encoding') && p.source === 'krakend'),
      `every error sits on the partial's second line, at "jsonx": ${JSON.stringify(rows)}`,
    );
    assert.deepEqual(rows.filter((p) => p.file === 'endpoint.tmpl'), [], 'nothing is reported in the template that includes the partial');
    await wb.waitForStatus(SERVING_LAST_GOOD, 30_000, FAULT);
    assert.equal(await runningGateway(home), lastStart, 'a partial that renders an invalid config must not restart the gateway');
    assert.deepEqual(await getJson('/greeting'), { from_partial: { message: 'Hello from the example backend' } }, 'the last good config still serves');
  }, { chain });

  // Back to the example's partial on disk, then a settings file on disk: each reloads.
  scenario('flexible-partial-on-disk-fix-reloads', session, async ({ wb, home }) => {
    writeFileSync(partial(), originalPartial);
    await wb.waitForProblems('no errors', (r) => !r.some((p) => p.severity === 'error'));
    lastStart = await restartedSince(home, lastStart);
    await wb.waitForStatus(HEALTHY, 90_000, FAULT);
    assert.deepEqual(await getJson('/greeting'), { message: 'Hello from the example backend' });
  }, { chain, timeoutMs: 180_000 });

  scenario('flexible-settings-on-disk-reloads', session, async ({ wb, home }) => {
    assert.equal((await get(url('/hello'))).status, 404, 'no /hello before the settings change');
    const list = JSON.parse(readFileSync(endpoints(), 'utf8')) as { list: { path: string; backend: string }[] };
    writeFileSync(endpoints(), `${JSON.stringify({ list: [...list.list, { path: '/hello', backend: '/greeting' }] }, null, 2)}\n`);
    lastStart = await restartedSince(home, lastStart);
    await wb.waitForStatus(HEALTHY, 90_000, FAULT);
    assert.deepEqual(await getJson('/hello'), { message: 'Hello from the example backend' });
    assert.deepEqual(await getJson('/users/2'), { id: 2, name: 'Alan Turing' });
  }, { chain, timeoutMs: 180_000 });

  // The same fault typed in the editor: only the first line is retyped, so the partial keeps its
  // final newline (retyping the whole file would drop it, and with it the case of issue 19).
  scenario('flexible-error-in-partial', session, async ({ wb, home }) => {
    await retypeFirstLine('backend.json', '"encoding": "jsonx"');
    assert.equal(readFileSync(partial(), 'utf8'), '"encoding": "jsonx"\n', 'the saved partial keeps its final newline');
    const rows = await wb.waitForProblems('an error in backend.json', (r) => r.some((p) => p.severity === 'error' && p.file === 'backend.json'));
    const errors = rows.filter((p) => p.severity === 'error');
    assert.ok(errors.every((p) => p.file === 'backend.json' && p.line === 1 && p.column === 13 && p.code.includes('route/unknown-encoding')), `every error sits in the partial, line 1: ${JSON.stringify(rows)}`);
    assert.deepEqual(rows.filter((p) => p.file === 'endpoint.tmpl'), []);
    await wb.waitForStatus(SERVING_LAST_GOOD, 30_000, FAULT);
    assert.equal(await runningGateway(home), lastStart, 'a template that renders an invalid config must not restart the gateway');
    assert.equal((await get(url('/greeting'))).status, 200);
  }, { chain });

  scenario('flexible-fix-reloads', session, async ({ wb, home }) => {
    await retypeFirstLine('backend.json', '"encoding": "safejson"');
    await wb.waitForProblems('no errors', (r) => !r.some((p) => p.severity === 'error'));
    lastStart = await restartedSince(home, lastStart);
    await wb.waitForStatus(HEALTHY, 90_000, FAULT);
    for (const path of ['/greeting', '/users/2', '/hello']) {
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

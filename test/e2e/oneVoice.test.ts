// needs: code-server, chromium
/**
 * One voice in the Problems panel, with VS Code's JSON validation on (its default): KrakenD files
 * get their problems from the KrakenD language server only. A `$schema` served from a local HTTP
 * server (online) and one that cannot be reached (offline) each have a plain JSON file beside them
 * as a witness: VS Code's JSON service reports on those, which proves it was running and had the
 * schema (or failed to load it) when the KrakenD files showed nothing of it. A Flexible
 * Configuration partial is a fragment that JSON would call broken; the rendered configuration is a
 * document of its own with no problems; a fault in a partial included with `| trim` lands in it.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { offlineSchemaSettings } from './support/example';
import { freePort } from './support/processes';
import { Chain, scenario } from './support/scenario';
import { Session } from './support/session';
import type { ProblemRow } from './support/workbench';

const NO_DOCKER = 'unix:///nonexistent/krakend-live-e2e/docker.sock';
/** A schema of the test's own: enough for VS Code's JSON service to find the quoted port. */
const SCHEMA = JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { port: { type: 'integer' } } });

void describe('e2e: one voice in the Problems panel (VS Code JSON validation on)', () => {
  let s: Session | undefined;
  let server: Server | undefined;
  const session = (): Session | undefined => s;
  const chain = new Chain();

  before(async () => {
    server = createServer((req, res) => {
      res.writeHead(req.url === '/schema.json' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(req.url === '/schema.json' ? SCHEMA : '{}');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the schema server has no port');
    const online = `http://127.0.0.1:${address.port}/schema.json`;
    // A port that was free a moment ago and that nothing listens on: the download is refused.
    const offline = `http://127.0.0.1:${await freePort()}/schema.json`;
    s = await Session.start({
      name: 'oneVoice',
      settings: { ...offlineSchemaSettings(), 'krakend.docker.host': NO_DOCKER, 'json.schemaDownload.trustedDomains': { [`http://127.0.0.1:${address.port}/`]: true } },
      env: { DOCKER_HOST: NO_DOCKER },
      prepareWorkspace: (dir) => {
        const config = readFileSync(join(dir, 'krakend.json'), 'utf8').replace('"port": 8080', '"port": "8080"');
        const withSchema = (url: string): string => config.replace(/"\$schema": "[^"]*"/, `"$schema": "${url}"`);
        writeFileSync(join(dir, 'krakend.json'), withSchema(online));
        writeFileSync(join(dir, 'krakend-offline.json'), withSchema(offline));
        writeFileSync(join(dir, 'witness-online.json'), `{\n  "$schema": "${online}",\n  "port": "8080"\n}\n`);
        writeFileSync(join(dir, 'witness-offline.json'), `{\n  "$schema": "${offline}",\n  "port": 8080\n}\n`);
      },
    });
    await s.wb.waitReady();
  });

  after(async () => {
    await s?.stop();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  const inFile = (rows: ProblemRow[], file: string): ProblemRow[] => rows.filter((p) => p.file === file);

  scenario('one-voice-online-offline', session, async ({ wb }) => {
    for (const f of ['witness-online.json', 'witness-offline.json', 'krakend-offline.json', 'krakend.json']) await wb.openFile(f);
    const rows = await wb.waitForProblems(
      'both witnesses reported by VS Code and the quoted port in both KrakenD files',
      (r) =>
        inFile(r, 'witness-online.json').some((p) => /integer/i.test(p.message)) &&
        inFile(r, 'witness-offline.json').some((p) => /unable to load schema/i.test(p.message)) &&
        ['krakend.json', 'krakend-offline.json'].every((f) => inFile(r, f).some((p) => p.code.includes('schema/type'))),
      90_000,
    );
    for (const file of ['krakend.json', 'krakend-offline.json']) {
      const mine = inFile(rows, file);
      assert.ok(mine.every((p) => p.source === 'krakend'), `${file} has problems from another source: ${JSON.stringify(mine)}`);
      assert.equal(mine.filter((p) => p.code.includes('schema/type')).length, 1, `${file}: the quoted port once: ${JSON.stringify(mine)}`);
      assert.ok(!mine.some((p) => /unable to load schema/i.test(p.message)), JSON.stringify(mine));
    }
  }, { chain, timeoutMs: 180_000 });

  scenario('one-voice-partial-and-rendered', session, async ({ wb }) => {
    await wb.openFile('krakend.tmpl');
    await wb.openFile('backend.json');
    // The partial is a fragment ("encoding": "json"); the witnesses prove the JSON service runs.
    // Open as JSON for a moment, then switched: wait until nothing is said about it.
    const rows = await wb.waitForProblems('no problems in the partial', (r) => inFile(r, 'backend.json').length === 0 && inFile(r, 'witness-online.json').length > 0);
    assert.deepEqual(inFile(rows, 'backend.json'), []);
    await wb.page.locator('.tab', { hasText: 'krakend.tmpl' }).first().click();
    await wb.page.locator('.tab.active', { hasText: 'krakend.tmpl' }).waitFor({ state: 'visible', timeout: 15_000 });
    await wb.runCommand('KrakenD: Show Rendered Configuration');
    await wb.page.locator('.tab.active[aria-label*="krakend.tmpl.rendered.json"]').waitFor({ state: 'visible', timeout: 30_000 });
    const after = await wb.waitForProblems('nothing about the rendered configuration', (r) => !r.some((p) => p.file.includes('rendered')));
    assert.ok(!after.some((p) => p.file.includes('rendered')), JSON.stringify(after));
  }, { chain });

  scenario('fault-in-trimmed-partial-lands-in-it', session, async ({ wb }) => {
    // backend.json ends with a newline and is included with `| trim`. The Problems panel only
    // draws the rows that fit: closing the other files takes their problems away.
    await wb.runCommand('View: Close All Editors');
    await wb.waitForProblems('only the template\'s notes', (r) => r.every((p) => p.file === 'krakend.tmpl'));
    await wb.openFile('backend.json');
    await wb.page.keyboard.press('Control+A');
    await wb.page.keyboard.press('Delete');
    await wb.typeText('"encoding": "jsonx"\n');
    await wb.save();
    const rows = await wb.waitForProblems('an error in backend.json', (r) => r.some((p) => p.severity === 'error' && p.file === 'backend.json'));
    const errors = rows.filter((p) => p.severity === 'error' && !p.file.startsWith('krakend'));
    assert.ok(errors.length > 0 && errors.every((p) => p.file === 'backend.json' && p.line === 1 && p.column === 13), `every error sits on the partial's value: ${JSON.stringify(rows)}`);
    assert.ok(!rows.some((p) => p.file === 'endpoint.tmpl'), JSON.stringify(rows));
  }, { chain });
});

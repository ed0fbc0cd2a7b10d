// needs: code-server, chromium
/**
 * KrakenD's audit as a user meets it (issue 17): the try-it example opened with the audit on (its
 * default; the other e2e sessions turn it off because they assert exact problem lists). The
 * Problems panel lists exactly what `krakend-live audit` (the CLI, the same core) finds in the
 * file; Ctrl+. on a finding offers its quick fix, accepting it edits the file as expected, and
 * after the save that finding is gone while the others stay (so the audit still ran). A second
 * finding is silenced with "Ignore audit rule … in .krakend-audit-ignore": the file is created
 * beside the config and the finding goes. No Docker: the extension is pointed at a socket that
 * does not exist.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { endpointText, exampleConfig, lastEndpointCloseLine, offlineSchemaSettings } from './support/example';
import { artifactsDir, repoRoot } from './support/paths';
import { waitFor } from './support/processes';
import { Chain, scenario } from './support/scenario';
import { Session } from './support/session';
import type { ProblemRow } from './support/workbench';

const NO_DOCKER = 'unix:///nonexistent/krakend-live-e2e/docker.sock';

/** One finding as `audit --format json` prints it (the shape of `check --format json`). */
interface CliFinding {
  readonly code: string;
  readonly range: { readonly start: { readonly line: number; readonly character: number } };
}

/** What the CLI's audit finds in `file`: `code@line:col` (1-based, as the Problems panel shows). */
function cliAudit(file: string): string[] {
  const cli = join(repoRoot, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  // Exit 1 means findings; the JSON is on stdout either way.
  const r = spawnSync(process.execPath, [cli, 'audit', '--format', 'json', file], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`krakend-live audit exited with ${String(r.status)}: ${r.stderr}`);
  let parsed: { files: { diagnostics: CliFinding[] }[] };
  try {
    parsed = JSON.parse(r.stdout) as typeof parsed;
  } catch {
    throw new Error(`krakend-live audit printed no JSON (exit ${String(r.status)}): ${r.stdout}${r.stderr}`);
  }
  return parsed.files.flatMap((f) => f.diagnostics).map((d) => `${d.code}@${d.range.start.line + 1}:${d.range.start.character + 1}`).sort();
}

function shown(rows: readonly ProblemRow[]): string[] {
  return rows.filter((r) => r.code.includes('audit/')).map((r) => `${/audit\/[\d.]+/.exec(r.code)![0]}@${r.line}:${r.column}`).sort();
}

void describe('e2e: krakend audit findings in the editor, with their quick fixes', () => {
  let s: Session | undefined;
  const session = (): Session | undefined => s;
  const chain = new Chain();
  let configFile = '';
  /** The findings the CLI reports for the untouched example. */
  let expected: string[] = [];

  before(async () => {
    s = await Session.start({
      name: 'audit',
      settings: { ...offlineSchemaSettings(), 'krakend.docker.host': NO_DOCKER, 'krakend.audit.enable': true },
      env: { DOCKER_HOST: NO_DOCKER },
    });
    configFile = join(s.workspace, 'krakend.json');
    expected = cliAudit(configFile);
    await s.wb.waitReady();
  });

  after(async () => {
    await s?.stop();
  });

  /** Puts the cursor on `line`:`column` (1-based, with Go to Line's `line:column`) and opens the quick fix menu at `title`. */
  async function quickFixMenu(s: Session, line: number, column: number, title: string): Promise<void> {
    const { page } = s;
    const input = page.locator('.quick-input-widget');
    await page.keyboard.press('Control+G');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.type(`${line}:${column}`);
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 15_000 });
    await page.locator('.statusbar-item[id="status.editor.selection"]', { hasText: `Ln ${line}, Col ${column}` }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Control+.');
    await page.locator('.action-widget .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout: 30_000 });
  }

  /** Moves the focus in the open quick fix menu to `title` and accepts it with Enter. */
  async function accept(s: Session, title: string): Promise<void> {
    const { page } = s;
    // The menu blocks pointer events while it opens; choose with the keyboard, as most do.
    const focused = page.locator('.action-widget .monaco-list-row.focused', { hasText: title });
    for (let i = 0; i < 40 && (await focused.count()) === 0; i++) await page.keyboard.press('ArrowDown');
    await focused.first().waitFor({ state: 'visible', timeout: 5_000 });
    await page.keyboard.press('Enter');
    await page.locator('.action-widget').first().waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /**
   * Waits for the Problems panel to satisfy `accept` with the panel maximized: the list renders only
   * the rows it has room for, and a dozen findings do not fit beside the editor. The editor comes back
   * afterwards, with the focus where it was.
   */
  async function waitForAllProblems(s: Session, what: string, accept: (rows: ProblemRow[]) => boolean): Promise<ProblemRow[]> {
    const { wb, page } = s;
    await wb.showProblems();
    const editorPart = page.locator('.part.editor');
    await wb.runCommand('View: Toggle Maximized Panel');
    await editorPart.waitFor({ state: 'hidden', timeout: 15_000 });
    try {
      return await wb.waitForProblems(what, accept);
    } finally {
      await wb.runCommand('View: Toggle Maximized Panel');
      await editorPart.waitFor({ state: 'visible', timeout: 15_000 });
    }
  }

  scenario('audit-findings', session, async (s) => {
    const { wb } = s;
    // The example has no JWT, TLS, CORS, rate limit… : a dozen recommendations, most on its first line.
    assert.ok(expected.length >= 5, `the CLI's audit of the example: ${expected.join(', ')}`);
    assert.ok(expected.includes('audit/2.2.1@1:1'), `the CLI's audit of the example: ${expected.join(', ')}`);
    await wb.openFile('krakend.json');
    // Without Docker the extension says so once, in the status bar and a notification: put that away.
    await wb.waitForStatus(/KrakenD Docker unavailable/, 60_000);
    await wb.waitForNotification(/No Docker engine answers/);
    await wb.clearNotifications();
    const rows = await waitForAllProblems(s, `the audit's ${expected.length} findings`, (r) => shown(r).length === expected.length);
    assert.deepEqual(shown(rows), expected, 'the Problems panel shows what `krakend-live audit` finds');
    // Nothing else: the example is valid, and the audit's findings are warnings and notes only.
    assert.deepEqual(rows.filter((r) => !r.code.includes('audit/')), []);
    const version = rows.find((r) => r.code.includes('audit/2.2.1'))!;
    assert.equal(version.source, 'krakend');
    assert.equal(version.severity, 'warning');
    assert.match(version.message, /Hide the version banner/);
    const low = rows.find((r) => r.code.includes('audit/5.2.2'));
    if (low) assert.equal(low.severity, 'info', 'a LOW finding is a note');
  }, { chain, timeoutMs: 180_000 });

  // What the README's first steps show: the duplicate endpoint a newcomer adds, an error, on top of
  // the audit's advice, which stays as it was. Renaming it brings the panel back to the audit alone.
  scenario('duplicate-endpoint-beside-audit', session, async (s) => {
    const { wb, page, workspace } = s;
    const closeLine = lastEndpointCloseLine(exampleConfig);
    await wb.gotoLineEnd(closeLine);
    await wb.typeText(endpointText('/greeting', '/greeting'));
    await wb.save();
    const rows = await waitForAllProblems(s, 'route/duplicate beside the audit', (r) => r.some((p) => p.code.includes('route/duplicate')) && shown(r).length === expected.length);
    assert.deepEqual(shown(rows), expected, 'the audit\'s findings stay beside an error');
    const dup = rows.filter((r) => !r.code.includes('audit/'));
    assert.equal(dup.length, 1, JSON.stringify(rows));
    assert.match(dup[0]!.code, /route\/duplicate/);
    assert.equal(dup[0]!.severity, 'error');
    assert.equal(dup[0]!.line, closeLine + 2);
    assert.equal(rows.indexOf(dup[0]!), 0, 'the error is listed first');
    await wb.screenshot(join(artifactsDir, 'duplicate-endpoint-audit.png'));
    await wb.gotoLineEnd(closeLine + 2);
    await page.keyboard.press('Shift+Home');
    await wb.typeText('"endpoint": "/hello",');
    await wb.save();
    const fixed = await waitForAllProblems(s, 'the audit alone', (r) => !r.some((p) => p.code.includes('route/duplicate')) && shown(r).length === expected.length);
    assert.deepEqual(fixed.filter((r) => !r.code.includes('audit/')), []);
    assert.deepEqual(cliAudit(join(workspace, 'krakend.json')), shown(fixed));
  }, { chain });

  scenario('audit-quickfix', session, async (s) => {
    const { wb, workspace } = s;
    const before = JSON.parse(readFileSync(join(workspace, 'krakend.json'), 'utf8')) as Record<string, unknown>;
    const title = 'Set router.hide_version_header to true';
    await quickFixMenu(s, 1, 1, title);
    await wb.screenshot(join(artifactsDir, 'audit-quickfix-menu.png'));
    await accept(s, title);
    await wb.save();
    const rows = await waitForAllProblems(s, 'the audit without audit/2.2.1', (r) => !r.some((p) => p.code.includes('audit/2.2.1')) && shown(r).length > 0);
    // The others stay: the audit ran again and this finding alone is gone.
    assert.deepEqual(shown(rows), expected.filter((f) => !f.startsWith('audit/2.2.1@')));
    assert.deepEqual(cliAudit(join(workspace, 'krakend.json')), shown(rows), 'the CLI agrees with the panel after the fix');
    // The file changed by exactly that: the service-level extra_config with the router flag.
    const saved = readFileSync(join(workspace, 'krakend.json'), 'utf8');
    assert.deepEqual(JSON.parse(saved), { ...before, extra_config: { router: { hide_version_header: true } } });
    assert.match(saved, /"extra_config": \{\n\s+"router": \{\n\s+"hide_version_header": true\n\s+\}\n\s+\}/, saved);
  }, { chain });

  scenario('audit-ignore-rule', session, async (s) => {
    const { workspace } = s;
    // A LOW finding placed on the endpoints key rather than the first line.
    const low = expected.find((f) => f.startsWith('audit/5.2.2@'));
    assert.ok(low, `the example's audit has audit/5.2.2: ${expected.join(', ')}`);
    const afterFix = shown(await waitForAllProblems(s, 'the findings after the fix', (r) => shown(r).length === expected.length - 1));
    // Where the panel shows it now (the quick fix added lines to the file).
    const at = afterFix.find((f) => f.startsWith('audit/5.2.2@'))!;
    const [line, column] = at.slice(at.indexOf('@') + 1).split(':').map(Number) as [number, number];
    const title = 'Ignore audit rule 5.2.2 in .krakend-audit-ignore';
    await quickFixMenu(s, line, column, title);
    await accept(s, title);
    const ignoreFile = join(workspace, '.krakend-audit-ignore');
    // The edit creates the file; VS Code saves files a refactoring touched (files.refactoring.autoSave).
    const text = await waitFor('.krakend-audit-ignore on disk', () => Promise.resolve(existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') || undefined : undefined), 30_000);
    assert.equal(text, '5.2.2\n');
    const rows = await waitForAllProblems(s, 'the audit without audit/5.2.2', (r) => !r.some((p) => p.code.includes('audit/5.2.2')) && shown(r).length > 0);
    assert.deepEqual(shown(rows), afterFix.filter((f) => f !== at));
    assert.deepEqual(cliAudit(join(workspace, 'krakend.json')), shown(rows), 'the CLI reads the same ignore file beside the config');
  }, { chain });
});

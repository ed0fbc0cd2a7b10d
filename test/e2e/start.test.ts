// needs: code-server, chromium
/**
 * `npm start`, the README's "run it" command: it must print a URL that opens the example workspace
 * in code-server with KrakenD Live installed, keep workspace trust on, and stop cleanly on Ctrl-C.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { editorComponents } from './support/components';
import { artifactsDir, ensureArtifactsDir, examplesDir, repoRoot } from './support/paths';
import { freePort, startProcess } from './support/processes';
import type { Managed } from './support/processes';
import { ensureVsix } from './support/vsix';

let cache = '';
let start: Managed | undefined;
let browser: Browser | undefined;

before(async () => {
  await ensureVsix();
  ensureArtifactsDir();
  cache = mkdtempSync(join(tmpdir(), 'krakend-e2e-start-'));
});

after(async () => {
  await browser?.close();
  await start?.stop();
  rmSync(cache, { recursive: true, force: true });
});

void test('npm start serves the example workspace with the extension, trust on, and stops on Ctrl-C', { timeout: 180_000 }, async () => {
  const { codeServerEntry, chromium: executablePath } = editorComponents();
  const port = await freePort();
  const exampleBefore = readFileSync(join(examplesDir, 'krakend.json'), 'utf8');
  start = startProcess('npm start', process.execPath, [join(repoRoot, 'scripts', 'start.mjs'), '--port', String(port)], join(artifactsDir, 'npm-start.log'), {
    cwd: repoRoot,
    env: { ...process.env, XDG_CACHE_HOME: cache, KRAKEND_CODE_SERVER: codeServerEntry },
  });
  const line = await start.waitForLine(/http:\/\/127\.0\.0\.1:\d+\/\?folder=/, 120_000);
  // The folder is URI-encoded, so the URL ends where the terminal colour code begins.
  const url = /http:\/\/127\.0\.0\.1:\d+\/\?folder=[\w%.~-]+/.exec(line)?.[0];
  if (!url) throw new Error(`no URL in ${JSON.stringify(line)}`);
  assert.ok(url.startsWith(`http://127.0.0.1:${port}/`), line);
  const tryIt = join(cache, 'krakend-live', 'try-it');
  assert.ok(existsSync(join(tryIt, 'workspace', 'krakend.json')), 'the example is copied into the try-it folder');
  assert.ok(
    readdirNames(join(tryIt, 'extensions')).some((n) => n.startsWith('krakend-live.krakend-live-')),
    'the .vsix is installed into the try-it extensions folder',
  );

  browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url, { timeout: 60_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  // Trust stays on for users: the folder may start containers only once they say so.
  const yes = page.locator('.monaco-dialog-box .monaco-button', { hasText: /Yes, I trust/ });
  await yes.waitFor({ state: 'visible', timeout: 60_000 });
  await page.screenshot({ path: join(artifactsDir, 'npm-start.png') });
  await browser.close();
  browser = undefined;

  // Ctrl-C: the script stops its children and exits 0.
  const exited = new Promise<number | null>((resolve) => start?.child.once('exit', (code) => resolve(code)));
  process.kill(start.child.pid!, 'SIGINT');
  assert.equal(await exited, 0);
  await assert.rejects(fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5_000) }), 'code-server is stopped');
  assert.equal(readFileSync(join(examplesDir, 'krakend.json'), 'utf8'), exampleBefore, 'the repository example is never modified');
});

function readdirNames(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

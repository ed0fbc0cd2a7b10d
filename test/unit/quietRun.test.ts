// scripts/quietRun.mjs, which `npm start` packages the extension through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './support/schemas';

/** Runs runQuietly on a command that prints a file listing and then exits with `code`; returns what it printed. */
function quietly(code: number): { stdout: string; status: number | null } {
  const child = `for (let i = 0; i < 60; i++) console.log('├─ dist/file' + i + '.js'); console.log(' DONE  Packaged: x.vsix (60 files, 1 MB)'); process.exit(${code});`;
  const script = `import { runQuietly } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'scripts', 'quietRun.mjs')).href)};
process.exit(runQuietly(process.execPath, ['-e', ${JSON.stringify(child)}]));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  return { stdout: r.stdout, status: r.status };
}

void test('npm start packages quietly: one summary line, not the packager\'s file listing', () => {
  const r = quietly(0);
  assert.equal(r.status, 0);
  assert.equal(r.stdout, 'DONE  Packaged: x.vsix (60 files, 1 MB)\n');
});

void test('a failed packaging shows everything it printed, and fails', () => {
  const r = quietly(3);
  assert.equal(r.status, 3);
  assert.match(r.stdout, /dist\/file59\.js/);
});

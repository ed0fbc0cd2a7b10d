// Runs one test suite (unit, lsp, integration, e2e) with Node's built-in test runner.
// Usage: node scripts/runTests.mjs <suite> [extra files…]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const suite = process.argv[2];
const suites = ['unit', 'lsp', 'integration', 'e2e'];
if (!suites.includes(suite)) {
  console.error(`usage: node scripts/runTests.mjs <${suites.join('|')}>`);
  process.exit(2);
}

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

const files = findTests(join('test', suite));
if (files.length === 0) {
  console.error(`no tests found under test/${suite}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);

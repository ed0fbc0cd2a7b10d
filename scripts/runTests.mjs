// Runs one test suite (unit, lsp, integration, e2e) with Node's built-in test runner.
// Usage: node scripts/runTests.mjs <suite> [files…]   (files: run only these, from that suite)
//
// A test file declares the real components it needs in its first line: `// needs: docker, krakend`.
// test/.env.json (written by `npm run test:env`) says which components are ready, and
// test/blocked.json lists components this kind of machine cannot provide, each with its issue.
// - all needs ready: the file runs;
// - a need that is blocked and not ready: the file is not run, and says so loudly (BLOCKED);
// - a need that failed and is not blocked: the file runs, and fails with requireComponent's message;
// - a blocked component that is ready: the runner fails, so a block never hides a working part.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const suite = process.argv[2];
const suites = ['unit', 'lsp', 'integration', 'e2e'];
if (!suites.includes(suite)) {
  console.error(`usage: node scripts/runTests.mjs <${suites.join('|')}> [files…]`);
  process.exit(2);
}

function findTests(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    if (err.code === 'ENOENT') return undefined;
    throw new Error(`${relative(root, path)}: ${err.message}`);
  }
}

/** The components named in a file's first line, `// needs: a, b`; none without that line. */
function needsOf(file) {
  const first = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^\/\/\s*needs:\s*(.*)$/.exec(first.trim());
  if (!m) return [];
  return m[1].split(',').map((s) => s.trim()).filter((s) => s !== '');
}

const suiteDir = join(root, 'test', suite);
let files = findTests(suiteDir);
const only = process.argv.slice(3).map((f) => resolve(f));
if (only.length > 0) {
  const unknown = only.filter((f) => !files.includes(f));
  if (unknown.length > 0) {
    console.error(`not test files of the ${suite} suite: ${unknown.map((f) => relative(root, f)).join(', ')}`);
    process.exit(2);
  }
  files = only;
}
if (files.length === 0) {
  console.error(`no tests found under test/${suite}`);
  process.exit(1);
}

// The overrides exist to try the runner's rules on made-up states without touching the real files.
const envPath = process.env.KRAKEND_LIVE_TEST_ENV ?? join(root, 'test', '.env.json');
const env = readJson(envPath);
const components = env?.components ?? {};
const blocked = readJson(process.env.KRAKEND_LIVE_BLOCKED ?? join(root, 'test', 'blocked.json')) ?? {};
const isReady = (name) => components[name]?.status === 'ready';

// A block must never outlive its cause: once the part works, the tests that need it must run.
const nowReady = Object.keys(blocked).filter(isReady);
if (nowReady.length > 0) {
  for (const name of nowReady) {
    console.error(`${name} is available now: remove it from test/blocked.json (issue #${blocked[name].issue})`);
  }
  process.exit(1);
}

const known = new Set([...Object.keys(components), ...Object.keys(blocked)]);
const runnable = [];
const blockedFiles = [];
for (const file of files) {
  const needs = needsOf(file);
  const unknown = env ? needs.filter((n) => !known.has(n)) : [];
  if (unknown.length > 0) {
    console.error(`${relative(root, file)}: unknown component(s) in its needs line: ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
    process.exit(2);
  }
  const blockers = needs.filter((n) => blocked[n] && !isReady(n));
  if (blockers.length > 0) blockedFiles.push({ file: relative(root, file), blockers });
  else runnable.push(file);
}

if (blockedFiles.length > 0) {
  const bar = '='.repeat(100);
  console.log(bar);
  for (const { file, blockers } of blockedFiles) {
    // One line per file: the first blocker's reason is usually the root cause of the others.
    const [name, ...others] = blockers;
    const why = components[name]?.reason || blocked[name].reason;
    const also = others.length > 0 ? `; also blocked: ${others.map((o) => `${o} (issue #${blocked[o].issue})`).join(', ')}` : '';
    console.log(`BLOCKED ${file}: needs ${name} — ${why} (issue #${blocked[name].issue})${also}`);
  }
  if (!env) console.log(`(test/.env.json is missing: run \`npm run test:env\` to see which components are ready)`);
  console.log(`${suite}: ${runnable.length} of ${files.length} test files run, ${blockedFiles.length} BLOCKED (listed in test/blocked.json)`);
  console.log(bar);
}

if (runnable.length === 0) {
  console.log(`No test of the ${suite} suite ran: every file is blocked by a component this machine cannot provide (see above).`);
  process.exit(0);
}

const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...runnable.map((f) => relative(root, f))], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(r.status ?? 1);

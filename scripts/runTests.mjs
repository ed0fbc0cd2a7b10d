// Runs test suites (unit, lsp, integration, e2e) with Node's built-in test runner.
// Usage: node scripts/runTests.mjs <suite…> | <suite> <files…>
//   node scripts/runTests.mjs unit lsp integration e2e   every suite in turn, stopping at the first that fails
//   node scripts/runTests.mjs integration test/integration/gateway.test.ts   only these files
//
// A test file declares the real components it needs in its first line: `// needs: docker, krakend`.
// test/.env.json (written by `npm run test:env`) says what each component's status is:
// - every need ready: the file runs;
// - a need `missing` (KrakenD, which the project finds but never installs, or an optional engine
//   such as sshd or podman that cannot run here): the file is not run,
//   and the runner says so, with the reason and how many tests that is, in the suite's summary
//   and in the final summary. A run where that happens still passes;
// - a need that failed to install: the file runs, and fails with requireComponent's message.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const suites = ['unit', 'lsp', 'integration', 'e2e'];
const args = process.argv.slice(2);
const chosen = args.filter((a) => suites.includes(a));
const only = args.filter((a) => !suites.includes(a)).map((f) => resolve(f));
if (chosen.length === 0 || (only.length > 0 && chosen.length !== 1)) {
  console.error(`usage: node scripts/runTests.mjs <${suites.join('|')}>… | <suite> <files…>`);
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
function needsOf(text) {
  const first = text.split('\n', 1)[0] ?? '';
  const m = /^\/\/\s*needs:\s*(.*)$/.exec(first.trim());
  if (!m) return [];
  return m[1].split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** The tests a file declares (`it(`, `test(`, e2e `scenario(`), counted without running it. */
function testsIn(text) {
  return (text.match(/^\s*(?:void\s+)?(?:it|test|scenario)\(/gm) ?? []).length;
}

// The override exists to try the runner's rules on made-up states without touching the real file.
const envPath = process.env.KRAKEND_LIVE_TEST_ENV ?? join(root, 'test', '.env.json');
const env = readJson(envPath);
const components = env?.components ?? {};
const statusOf = (name) => components[name]?.status;

/** Runs one suite; returns its exit status and what it did not run. */
function runSuite(suite) {
  let files = findTests(join(root, 'test', suite));
  if (only.length > 0) {
    const unknown = only.filter((f) => !files.includes(f));
    if (unknown.length > 0) {
      console.error(`not test files of the ${suite} suite: ${unknown.map((f) => relative(root, f)).join(', ')}`);
      return { status: 2, notRun: [] };
    }
    files = only;
  }
  if (files.length === 0) {
    console.error(`no tests found under test/${suite}`);
    return { status: 1, notRun: [] };
  }
  const runnable = [];
  const notRun = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const needs = needsOf(text);
    const unknown = env ? needs.filter((n) => !(n in components)) : [];
    if (unknown.length > 0) {
      console.error(`${relative(root, file)}: unknown component(s) in its needs line: ${unknown.join(', ')} (known: ${Object.keys(components).join(', ')})`);
      return { status: 2, notRun };
    }
    const missing = needs.filter((n) => statusOf(n) === 'missing');
    if (missing.length > 0) notRun.push({ file: relative(root, file), tests: testsIn(text), missing });
    else runnable.push(file);
  }
  if (!env) console.log('(test/.env.json is missing: run `npm run test:env`; files that need real components will fail)');
  if (notRun.length > 0) {
    const bar = '='.repeat(100);
    console.log(bar);
    for (const n of notRun) {
      // The first missing component's reason is the root cause of the others (images need the binary).
      console.log(`NOT RUN ${n.file} (${n.tests} tests): needs ${n.missing.join(', ')} — ${components[n.missing[0]].reason}`);
    }
    const tests = notRun.reduce((sum, n) => sum + n.tests, 0);
    console.log(`${suite}: ${runnable.length} of ${files.length} test files run; ${notRun.length} files (${tests} tests) not run: a component is missing (see above)`);
    console.log(bar);
  }
  if (runnable.length === 0) {
    console.log(`No test of the ${suite} suite ran (see above).`);
    return { status: 0, notRun };
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...runnable.map((f) => relative(root, f))], {
    stdio: 'inherit',
    cwd: root,
  });
  return { status: r.status ?? 1, notRun };
}

const notRunAll = [];
let status = 0;
for (const suite of chosen) {
  if (chosen.length > 1) console.log(`\n### ${suite} suite\n`);
  const r = runSuite(suite);
  notRunAll.push(...r.notRun);
  if (r.status !== 0) {
    console.log(`\nThe ${suite} suite failed (exit ${r.status}); the suites after it did not run.`);
    status = r.status;
    break;
  }
}
if (chosen.length > 1 && status === 0) {
  const tests = notRunAll.reduce((sum, n) => sum + n.tests, 0);
  const reasons = [...new Set(notRunAll.map((n) => `${n.missing[0]}: ${components[n.missing[0]].reason}`))];
  console.log(`\nSuites ${chosen.join(', ')}: passed.${notRunAll.length > 0 ? ` ${tests} tests in ${notRunAll.length} files did not run because ${reasons.join('; ')}` : ' Every test ran.'}`);
}
process.exit(status);

// The floors of .dependency-cruiser.mjs (run by `npm run lint`) catch what they are for: every
// rule is broken once on purpose in a throwaway tree laid out like the repository, the real
// dependency-cruiser runs over it with the real rules, and each break must be reported by its
// rule. The imports the floors allow (a strategy using docker.ts, the controller using a
// strategy, the CLI using the gateway) must not be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.mjs');

/** [rule, importer, imported]: each breaks exactly the named rule's floor. */
const BREAKS: readonly (readonly [string, string, string])[] = [
  ['no-circular', 'server/src/core/intel/a.ts', 'server/src/core/intel/b.ts'],
  ['no-circular', 'server/src/core/intel/b.ts', 'server/src/core/intel/a.ts'],
  ['shared-is-ground', 'shared/codes.ts', 'server/src/core/types.ts'],
  // The two imports that ran up a floor before core/go existed.
  ['go-is-ground', 'server/src/core/go/strconv.ts', 'server/src/core/template/value.ts'],
  ['parse-below-rules', 'server/src/core/parseJson.ts', 'server/src/core/template/strconv.ts'],
  ['rules-not-schema', 'server/src/core/decode.ts', 'server/src/core/schema/suggest.ts'],
  ['schema-not-rules', 'server/src/core/schema/lint.ts', 'server/src/core/init.ts'],
  ['core-is-pure', 'server/src/core/routes.ts', 'server/src/node/files.ts'],
  ['core-base-below-parse', 'server/src/core/positions.ts', 'server/src/core/parseYaml.ts'],
  ['rules-below-check', 'server/src/core/init.ts', 'server/src/core/check.ts'],
  ['audit-below-check', 'server/src/core/audit/rules.ts', 'server/src/core/check.ts'],
  ['check-below-flexible', 'server/src/core/check.ts', 'server/src/core/flexible/index.ts'],
  ['template-below-flexible', 'server/src/core/template/exec.ts', 'server/src/core/flexible/mapping.ts'],
  ['flexible-below-intel', 'server/src/core/flexible/project.ts', 'server/src/core/intel/hover.ts'],
  ['node-below-lsp-cli', 'server/src/node/checker.ts', 'server/src/lsp/serve.ts'],
  ['lsp-not-cli', 'server/src/lsp/hover.ts', 'server/src/cli/format.ts'],
  ['cli-not-lsp', 'server/src/cli/check.ts', 'server/src/lsp/convert.ts'],
  ['entry-points-on-top', 'server/src/lsp/settings.ts', 'server/src/server.ts'],
  ['server-not-editor-client', 'server/src/cli/watch.ts', 'client/src/gateway/manager.ts'],
  ['server-below-cli-not-client', 'server/src/node/fcEnv.ts', 'client/src/gateway/plan.ts'],
  ['terminal-not-editor', 'client/src/terminal/watch.ts', 'client/src/statusBar/statusBar.ts'],
  ['client-pure', 'client/src/gateway/lifecycle.ts', 'client/src/gateway/docker.ts'],
  ['client-adapters', 'client/src/gateway/proxy.ts', 'client/src/gateway/strategies/blueGreen.ts'],
  ['client-strategies', 'client/src/gateway/strategies/restart.ts', 'client/src/gateway/controller.ts'],
  ['client-gateway-below-glue', 'client/src/gateway/controller.ts', 'client/src/statusBar/statusBar.ts'],
  ['client-glue-below-ctx', 'client/src/commands/gatewayStart.ts', 'client/src/ctx.ts'],
  ['client-below-glue-not-server', 'client/src/gateway/health.ts', 'server/src/core/types.ts'],
];

/** Imports the floors allow, including the ones the reload strategies and the terminal watch need. */
const ALLOWED: readonly (readonly [string, string])[] = [
  ['client/src/gateway/strategies/blueGreen.ts', 'client/src/gateway/proxy.ts'],
  ['client/src/gateway/strategies/blueGreen.ts', 'client/src/gateway/docker.ts'],
  ['client/src/gateway/strategies/restart.ts', 'client/src/gateway/health.ts'],
  ['client/src/gateway/strategies/watchImage.ts', 'client/src/gateway/strategies/strategy.ts'],
  ['client/src/gateway/controller.ts', 'client/src/gateway/strategies/restart.ts'],
  ['client/src/gateway/controller.ts', 'client/src/gateway/dockerWatch.ts'],
  ['client/src/gateway/controller.ts', 'client/src/gateway/composeStack.ts'],
  ['client/src/gateway/composeStack.ts', 'client/src/gateway/docker.ts'],
  ['client/src/gateway/dockerWatch.ts', 'client/src/gateway/docker.ts'],
  ['client/src/gateway/dockerWatch.ts', 'client/src/gateway/strategies/strategy.ts'],
  ['client/src/gateway/manager.ts', 'client/src/commands/gatewayStop.ts'],
  ['client/src/commands/gatewayRestart.ts', 'client/src/gateway/controller.ts'],
  ['client/src/statusBar/view.ts', 'client/src/gateway/lifecycle.ts'],
  ['client/src/ctx.ts', 'client/src/gateway/manager.ts'],
  ['server/src/cli/main.ts', 'server/src/cli/watch.ts'],
  ['server/src/cli/watch.ts', 'client/src/gateway/controller.ts'],
  ['server/src/cli/watch.ts', 'server/src/node/checker.ts'],
  ['server/src/cli/main.ts', 'client/src/terminal/watch.ts'],
  ['client/src/terminal/watch.ts', 'client/src/gateway/controller.ts'],
  ['client/src/terminal/watch.ts', 'server/src/cli/format.ts'],
  ['client/src/terminal/watchCheck.ts', 'server/src/node/checker.ts'],
  ['client/src/terminal/diskWatcher.ts', 'server/src/core/flexible/index.ts'],
  ['server/src/lsp/serve.ts', 'server/src/node/checker.ts'],
  ['server/src/node/checker.ts', 'server/src/core/flexible/index.ts'],
  ['server/src/core/flexible/index.ts', 'server/src/core/check.ts'],
  ['server/src/core/check.ts', 'server/src/core/routes.ts'],
  ['server/src/core/routes.ts', 'server/src/core/ginTree.ts'],
  ['server/src/core/ginTree.ts', 'server/src/core/go/utf8.ts'],
  ['server/src/core/template/lex.ts', 'server/src/core/go/strconv.ts'],
  ['server/src/core/decode.ts', 'server/src/core/go/duration.ts'],
  ['server/src/core/intel/hover.ts', 'server/src/core/schema/lint.ts'],
  ['server/src/core/check.ts', 'server/src/core/audit/index.ts'],
  ['server/src/core/flexible/index.ts', 'server/src/core/audit/index.ts'],
  ['server/src/core/audit/index.ts', 'server/src/core/decode.ts'],
  ['server/src/core/audit/index.ts', 'server/src/core/parse.ts'],
  ['server/src/core/go/duration.ts', 'shared/codes.ts'],
];

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

/** Lays out files whose only content is their imports, and cruises them with the real rules. */
function cruise(imports: readonly (readonly [string, string])[]): Violation[] {
  const dir = mkdtempSync(join(tmpdir(), 'krakend-live-floors-'));
  try {
    const files = new Map<string, string[]>();
    for (const [from, to] of imports) {
      files.set(from, [...(files.get(from) ?? []), to]);
      if (!files.has(to)) files.set(to, []);
    }
    for (const [file, targets] of files) {
      const lines = targets.map((t) => `import '${relative(dirname(file), t).replace(/\.ts$/, '').replace(/^(?!\.)/, './')}';`);
      mkdirSync(join(dir, dirname(file)), { recursive: true });
      writeFileSync(join(dir, file), `${lines.join('\n')}\nexport const here = true;\n`);
    }
    writeFileSync(join(dir, 'tsconfig.json'), readFileSync(join(ROOT, 'tsconfig.base.json'), 'utf8'));
    const r = spawnSync(process.execPath, [DEPCRUISE, 'shared', 'server', 'client', '--config', CONFIG, '--output-type', 'json'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    assert.ok(r.stdout, `dependency-cruiser printed nothing: ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { summary: { violations: Violation[] } };
    return out.summary.violations;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void test('every floor rule reports its own break', () => {
  const violations = cruise(BREAKS.map(([, from, to]) => [from, to] as const));
  const reported = violations.map((v) => `${v.rule.name} ${v.from} → ${v.to}`);
  for (const [rule, from, to] of BREAKS) {
    // A circle is reported once, on whichever of its imports the cruise meets first.
    const found = violations.some((v) => v.rule.name === rule && (rule === 'no-circular' ? v.from === from || v.from === to : v.from === from && v.to === to));
    assert.ok(found, `${rule} did not report ${from} → ${to}; reported: ${reported.join('; ')}`);
  }
  // And nothing else: each break is of one floor only, so a rule that fires on another's break is too wide.
  assert.equal(violations.length, BREAKS.length - 1, reported.join('\n'));
});

void test('the imports the floors allow pass', () => {
  const violations = cruise(ALLOWED);
  assert.deepEqual(violations.map((v) => `${v.rule.name} ${v.from} → ${v.to}`), []);
});

void test('every rule of the configuration is broken once above', async () => {
  const config = (await import(CONFIG)) as { default: { forbidden: readonly { name: string }[] } };
  const tried = new Set(BREAKS.map(([rule]) => rule));
  assert.deepEqual(config.default.forbidden.map((r) => r.name).filter((n) => !tried.has(n)), []);
});

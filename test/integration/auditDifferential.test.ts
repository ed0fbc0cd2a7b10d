// needs: krakend
// The real `krakend audit` and ours over generated configurations (test/support/auditConfigs.ts):
// for each, the set of rule ids must be the same. Every rule must be both reported and not
// reported somewhere in the run, except the two the binary never reports on a configuration
// that parses: 4.1.2 (its check is a stub) and 5.2.1 (lura's Init refuses an endpoint without
// backends before the audit runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_RULES, auditRuleIds } from '../../server/src/core/audit';
import { generateConfig } from '../support/auditConfigs';
import type { GeneratedConfig } from '../support/auditConfigs';
import { krakendCli } from '../support/krakend';
import type { KrakendCli } from '../support/krakend';

const COUNT = Number(process.env.AUDIT_DIFF_COUNT ?? 600);
const SEED = Number(process.env.AUDIT_DIFF_SEED ?? Math.floor(Date.now() / 86_400_000));
const NEVER_REPORTED = new Set(['4.1.2', '5.2.1']);

/** `krakend audit` of one file: its rule ids, from the `{{marshal .}}` format on stderr. */
function realAudit(krakend: KrakendCli, dir: string, file: string): Promise<string[]> {
  const c = krakend.command(['audit', '-c', file, '-f', '{{marshal .}}'], { cwd: dir });
  return new Promise((resolve, reject) => {
    execFile(c.file, c.args, { cwd: dir, env: c.env, timeout: 30_000, maxBuffer: 1 << 20 }, (error, _stdout, stderr) => {
      const line = stderr.split('\n').find((l) => l.startsWith('{"recommendations"'));
      if (!line) {
        reject(new Error(`krakend audit of ${file} printed no result (exit ${error?.code ?? 0}): ${stderr.trim().slice(0, 500)}`));
        return;
      }
      const parsed = JSON.parse(line) as { recommendations: { rule: string }[] };
      resolve(parsed.recommendations.map((r) => r.rule));
    });
  });
}

test(`krakend audit and ours report the same rules on ${COUNT} generated configurations (seed ${SEED})`, async () => {
  const krakend = krakendCli();
  const dir = mkdtempSync(join(tmpdir(), 'krakend-audit-diff-'));
  try {
    const configs: GeneratedConfig[] = [];
    for (let i = 0; i < COUNT; i++) {
      const g = generateConfig(SEED, i);
      writeFileSync(join(dir, g.name), g.text);
      configs.push(g);
    }
    const disagreements: string[] = [];
    const reported = new Map<string, number>();
    // Two at a time: the machine has two cores and other work on them.
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < configs.length) {
        const g = configs[next++]!;
        const real = (await realAudit(krakend, dir, g.name)).sort();
        const ours = (auditRuleIds(g.text, g.format) ?? ['(does not parse)']).sort();
        for (const id of real) reported.set(id, (reported.get(id) ?? 0) + 1);
        if (real.join(',') !== ours.join(',')) {
          const missing = real.filter((id) => !ours.includes(id));
          const extra = ours.filter((id) => !real.includes(id));
          disagreements.push(`${g.name}: krakend only [${missing.join(' ')}], ours only [${extra.join(' ')}]; toggles: ${g.toggles.join('; ')}\n${g.text.slice(0, 2000)}`);
        }
      }
    };
    await Promise.all([worker(), worker()]);
    assert.deepEqual(disagreements.slice(0, 5), [], `${disagreements.length} of ${COUNT} configurations disagree (first five shown)`);
    const coverage = AUDIT_RULES.filter((r) => !NEVER_REPORTED.has(r.id)).flatMap((r) => {
      const n = reported.get(r.id) ?? 0;
      return n === 0 ? [`${r.id} never reported`] : n === COUNT ? [`${r.id} always reported`] : [];
    });
    assert.deepEqual(coverage, [], 'every rule must be both present and absent in the run');
    for (const id of NEVER_REPORTED) assert.equal(reported.get(id) ?? 0, 0, `${id} was reported by the binary`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

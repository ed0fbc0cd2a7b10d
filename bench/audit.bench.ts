// What the audit adds to a check: the editor's check (parse, decode, Init, the official schema's
// lint, routes) of a generated configuration with and without `krakend audit`'s rules, the two
// interleaved run by run so the machine's drift falls on both alike; and the rules alone.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkText } from '../server/src/node/checker';
import { evaluate } from '../server/src/core/audit';
import { decodeService } from '../server/src/core/decode';
import { parseConfig } from '../server/src/core/parse';
import { generateConfig, percentile, time } from './support/generate';
import { benchSchema } from './support/schema';

const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  const { resolver, settings } = benchSchema(mkdtempSync(join(tmpdir(), 'krakend-live-bench-audit-')));
  console.log('| endpoints | check p50 ms | check + audit p50 ms | added p50 | added, paired p50 | check min ms | check + audit min ms | added min | audit rules alone p50 / min ms | rules / check p50 | findings |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const n of [100, 1000, 5000]) {
    const text = generateConfig(n);
    const runs = n >= 5000 ? 20 : 60;
    for (let i = 0; i < 5; i++) {
      await checkText(text, 'krakend.json', resolver, settings);
      await checkText(text, 'krakend.json', resolver, settings, {});
    }
    const plain: number[] = [];
    const audited: number[] = [];
    /** Each pair's own difference, as a share of its plain check: drift between pairs cancels out. */
    const paired: number[] = [];
    let findings = 0;
    for (let i = 0; i < runs; i++) {
      // Alternate which goes first, so neither always runs on a freshly collected heap.
      for (const withAudit of i % 2 === 0 ? [false, true] : [true, false]) {
        // Each run starts from a collected heap, so neither pays for the other's garbage.
        gc?.();
        const t = performance.now();
        const r = await checkText(text, 'krakend.json', resolver, settings, withAudit ? {} : undefined);
        (withAudit ? audited : plain).push(performance.now() - t);
        if (withAudit) findings = r.output.diagnostics.filter((d) => d.code.startsWith('audit/')).length;
      }
      paired.push((audited[i]! - plain[i]!) / plain[i]!);
    }
    const parsed = parseConfig(text, 'json');
    const { model } = decodeService(parsed.root);
    const rules = time(() => evaluate(model, parsed.root), runs);
    const p = percentile(plain, 50);
    const a = percentile(audited, 50);
    // The minimum too: on a shared, loaded machine it is the run least disturbed by others.
    const pm = Math.min(...plain);
    const am = Math.min(...audited);
    const pct = (x: number, y: number): string => `${(((y - x) / x) * 100).toFixed(1)} %`;
    const pairedP50 = percentile(paired, 50) * 100;
    console.log(
      `| ${n} | ${p.toFixed(2)} | ${a.toFixed(2)} | ${pct(p, a)} | ${pairedP50.toFixed(1)} % | ${pm.toFixed(2)} | ${am.toFixed(2)} | ${pct(pm, am)} | ${percentile(rules, 50).toFixed(2)} / ${Math.min(...rules).toFixed(2)} | ${((percentile(rules, 50) / p) * 100).toFixed(1)} % | ${findings} |`,
    );
  }
}

void main();

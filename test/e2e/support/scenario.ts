/** Scenario bookkeeping: a screenshot per scenario (also on failure) and its measured duration. */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { artifactsDir, ensureArtifactsDir } from './paths';
import type { Session } from './session';

/**
 * Scenarios of one file that build on each other's state (an edit, a running gateway). After one
 * fails, the rest fail at once with that reason instead of each waiting out its own timeouts.
 */
export class Chain {
  failed: string | undefined;
}

export interface ScenarioOptions {
  readonly timeoutMs?: number;
  readonly chain?: Chain;
}

/**
 * Declares a test that saves `test/e2e/artifacts/<name>.png` when it ends and appends its duration to
 * `test/e2e/artifacts/durations.jsonl`. `session` is read when the scenario runs.
 */
export function scenario(name: string, session: () => Session | undefined, fn: (s: Session) => Promise<void>, o: ScenarioOptions = {}): void {
  void it(name, { timeout: o.timeoutMs ?? 120_000 }, async () => {
    const s = session();
    if (!s) throw new Error(`scenario ${name}: the session did not start (see the before hook's error)`);
    if (o.chain?.failed) throw new Error(`scenario ${name} builds on ${o.chain.failed}, which failed`);
    const started = Date.now();
    let ok = false;
    try {
      await fn(s);
      ok = true;
    } catch (e) {
      if (o.chain) o.chain.failed = name;
      throw e;
    } finally {
      const ms = Date.now() - started;
      ensureArtifactsDir();
      const shot = join(artifactsDir, ok ? `${name}.png` : `${name}.failed.png`);
      await s.wb.screenshot(shot).catch(() => undefined);
      appendFileSync(join(artifactsDir, 'durations.jsonl'), `${JSON.stringify({ scenario: name, ms, ok, at: new Date().toISOString() })}\n`);
    }
  });
}

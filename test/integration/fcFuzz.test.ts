// needs: krakend
// A short seeded run of the Flexible Configuration differential (`npm run fuzz:fc` runs 1,000):
// generated projects rendered by the real KrakenD (FC_OUT) and by our engine must agree byte for
// byte, or fail with the same Go error text. The seed is fixed, so a failure here reproduces with
// `npm run fuzz:fc -- --seed 20261207 --start <n> --count 1`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMany } from '../fuzz/fc/differential';
import { generateProject } from '../fuzz/fc/generate';
import { krakendCli } from '../support/krakend';

const SEED = 20261207;
const COUNT = 80;

test(`the real KrakenD and our engine agree on ${COUNT} generated FC projects (seed ${SEED})`, async () => {
  const cli = krakendCli();
  const root = mkdtempSync(join(tmpdir(), 'krakend-live-fc-fuzz-'));
  try {
    const results = await runMany(cli, root, SEED, 0, COUNT, 2, generateProject);
    const disagreements = results.filter((r) => r.disagreement).map((r) => `project ${r.index}: ${r.disagreement}`);
    assert.deepEqual(disagreements, []);
    // Both halves of the comparison must have been exercised: renders and errors.
    const rendered = results.filter((r) => r.rendered).length;
    assert.ok(rendered >= COUNT / 10, `only ${rendered} of ${COUNT} projects rendered`);
    assert.ok(rendered < COUNT, 'no project failed: the error comparison was not exercised');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

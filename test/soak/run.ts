// `npm run test:soak`: the full load-and-fault soak (test/soak/harness.ts) for our two reload modes
// (blue/green on the default bridge, on host networking and standing in for a compose stack's
// krakend_ce) and the `:watch` image, one after the other in one run, then the table for
// docs/benchmarks.md. SOAK_FAULTS=a,b runs only those faults.
// Bounded: every wait has a timeout and the whole run ends by itself. SOAK_SEED replays an order.
// It restarts the Docker daemon (only one that test-env started), so run it on a machine where no
// other test uses Docker at the same time. Exit 1 when blue-green misses its targets or a fault
// does not recover.
import { benchCanRun } from '../support/env';
import { bridgeGateway, connectDocker, newRunId, startBackend } from '../support/docker';
import { startComposeStack } from '../support/composeStack';
import { ALL_FAULTS, cleanup, krakendSource, soakOurs, soakWatch } from './harness';
import type { ModeResult, SoakOptions } from './harness';

function table(results: readonly ModeResult[]): string[] {
  const out = ['| mode | requests | refused | cut | 5xx | restarts | last valid config serving at the end |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const r of results) {
    const t = r.traffic;
    out.push(`| ${r.mode} | ${t.ok + t.refused + t.cut + t.status5xx + t.otherStatus} | ${t.refused} | ${t.cut} | ${t.status5xx} | ${r.restarts} | ${r.lastValidServing ? 'yes' : 'no'} |`);
  }
  out.push('', '| mode | fault | refused / cut / 5xx during it | what the user sees | after | recovered |', '| --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    for (const f of r.faults) {
      const t = f.traffic;
      out.push(`| ${r.mode} | ${f.fault} | ${t.refused} / ${t.cut} / ${t.status5xx} | ${f.during.replace(/\|/g, '\\|')} | ${f.after.replace(/\|/g, '\\|')} | ${f.recovered}${f.note ? ` (${f.note})` : ''} |`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  if (!benchCanRun('soak', ['docker', 'krakend', 'krakend-images'])) return;
  const seed = Number(process.env.SOAK_SEED ?? Date.now() % 1_000_000);
  const docker = connectDocker();
  const run = newRunId('soak');
  const backendAddress = await bridgeGateway(docker);
  const backend = await startBackend(backendAddress);
  const o: SoakOptions = {
    docker, run, backend, backendAddress, seed,
    validSaves: Number(process.env.SOAK_VALID ?? 50),
    invalidSaves: Number(process.env.SOAK_INVALID ?? 50),
    saveEveryMs: 500,
    rps: 200,
    connections: 20,
    // SOAK_FAULTS=containerKilled,configDeleted runs only those (the daemon restart disturbs every other Docker user).
    faults: process.env.SOAK_FAULTS ? ALL_FAULTS.filter((f) => process.env.SOAK_FAULTS!.split(',').includes(f)) : ALL_FAULTS,
    log: (l) => console.log(l),
  };
  console.log(`soak: seed ${seed}; ${o.validSaves} valid + ${o.invalidSaves} invalid saves every ${o.saveEveryMs} ms; ${o.rps} req/s over ${o.connections} connections; KrakenD from ${krakendSource()}`);
  const results: ModeResult[] = [];
  const bad: string[] = [];
  /** One mode; a mode that breaks is a failure of the run, and the others still run and print. */
  const mode = async (name: string, f: () => Promise<ModeResult>): Promise<void> => {
    try {
      results.push(await f());
    } catch (err) {
      console.log(`  ${name}: FAILED: ${err instanceof Error ? err.message : String(err)}`);
      bad.push(`${name} did not complete`);
    }
  };
  try {
    // :watch last: its faults leave nothing that the daemon restart of ours could disturb.
    await mode('restart', () => soakOurs(o, 'restart'));
    await mode('blue-green', () => soakOurs(o, 'blue-green'));
    // Host networking, the second variant.
    await mode('blue-green (host network)', () => soakOurs({ ...o, network: 'host' }, 'blue-green'));
    // Standing in for a compose stack's krakend_ce. Stopping ours gives the port back to the stack's
    // own container, so a port taken meanwhile is the stack's; the daemon restart is the others'.
    if (benchCanRun('soak, compose stack', ['compose', 'test-image'])) {
      await mode('blue-green (compose stack)', async () => {
        const stack = await startComposeStack(docker, { name: 'soak', run, endpoints: ['/api'] });
        try {
          return await soakOurs({ ...o, compose: stack, faults: o.faults.filter((f) => f !== 'portTaken' && f !== 'daemonRestarted') }, 'blue-green');
        } finally {
          await stack.remove();
        }
      });
    }
    await mode(':watch', () => soakWatch({ ...o, faults: o.faults.filter((f) => f !== 'daemonRestarted') }));
  } finally {
    await cleanup(connectDocker(), run);
    await backend.close();
  }
  console.log('');
  for (const line of table(results)) console.log(line);
  const blueGreen = results.filter((r) => r.mode.startsWith('ours, blue-green'));
  if (blueGreen.length === 0) bad.push('blue-green did not run');
  for (const r of blueGreen) if (r.traffic.refused + r.traffic.cut + r.traffic.status5xx !== 0) bad.push(`${r.mode} refused, cut or answered 5xx during the saves`);
  for (const r of results.filter((x) => x.mode.startsWith('ours'))) {
    if (!r.lastValidServing) bad.push(`${r.mode}: the last valid config was not serving`);
    for (const f of r.faults) if (f.recovered === 'no' && !f.note?.startsWith('not run')) bad.push(`${r.mode}: ${f.fault} did not recover`);
    if (r.leftContainers !== 0) bad.push(`${r.mode}: ${r.leftContainers} containers left behind`);
  }
  if (bad.length > 0) {
    console.log(`\nsoak FAILED: ${bad.join('; ')}`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

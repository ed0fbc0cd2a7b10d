// needs: docker, krakend, krakend-images
// (integration) The short soak: the full one (`npm run test:soak`) with a few saves and the faults
// that need no daemon restart, for both reload modes. Blue-green must lose nothing while saves come
// in; every fault must end healthy on the last valid config or stopped with its reason; nothing is
// left behind.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bridgeGateway, connectDocker, newRunId, startBackend } from '../support/docker';
import type { Backend } from '../support/docker';
import { requireComponent } from '../support/env';
import { ALL_FAULTS, cleanup, soakOurs } from '../soak/harness';
import type { ModeResult, SoakOptions } from '../soak/harness';

void describe('short soak (integration)', () => {
  const run = newRunId('soak-short');
  let backend: Backend;
  let o: SoakOptions;

  before(async () => {
    requireComponent('krakend-images');
    const docker = connectDocker();
    const backendAddress = await bridgeGateway(docker);
    backend = await startBackend(backendAddress);
    o = {
      docker,
      run,
      backend,
      backendAddress,
      validSaves: 6,
      invalidSaves: 6,
      saveEveryMs: 300,
      rps: 100,
      connections: 10,
      faults: ALL_FAULTS.filter((f) => f !== 'daemonRestarted'),
      seed: 20261201,
      // Progress on stderr: a failure then shows how far the soak got.
      log: (line) => process.stderr.write(`${line}\n`),
    };
  });

  after(async () => {
    await cleanup(connectDocker(), run);
    await backend?.close();
  });

  function recoveredAll(r: ModeResult): void {
    assert.equal(r.faults.length, 5);
    for (const f of r.faults) assert.notEqual(f.recovered, 'no', `${r.mode}: ${f.fault}: during "${f.during}", after "${f.after}"`);
    assert.equal(r.leftContainers, 0);
  }

  for (const network of ['bridge', 'host'] as const) void it(`blue-green on ${network}: nothing refused, cut or answered 5xx while saves come in; every fault recovers`, async () => {
    const r = await soakOurs({ ...o, network }, 'blue-green');
    assert.deepEqual({ refused: r.traffic.refused, cut: r.traffic.cut, status5xx: r.traffic.status5xx }, { refused: 0, cut: 0, status5xx: 0 });
    assert.ok(r.traffic.ok > 0);
    assert.ok(r.restarts > 0);
    assert.equal(r.lastValidServing, true);
    recoveredAll(r);
    const find = (name: string) => r.faults.find((f) => f.fault === name)!;
    assert.match(find('configExitsAtStart').during, /new config not applied, serving last good/);
    assert.match(find('stagingUnwritable').during, /new config not applied.*Staging the new config failed/);
    assert.match(find('configDeleted').during, /config deleted, serving last good/);
    assert.match(find('portTaken').during, /port in use/);
  });

  void it('restart (bridge): the last valid config serves at the end; every fault recovers or stops with its reason', async () => {
    const r = await soakOurs(o, 'restart');
    assert.equal(r.lastValidServing, true);
    assert.equal(r.traffic.status5xx, 0);
    recoveredAll(r);
    assert.match(r.faults.find((f) => f.fault === 'configExitsAtStart')!.during, /exited/);
  });
});

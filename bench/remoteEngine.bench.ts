// A remote engine's cost (README, "Engines that cannot see your files"): the same gateway, graceful
// restarts on a bridge, started and reloaded BENCH_RUNS times (default 5) through the local unix
// socket (the staging folder bind-mounted) and through an ssh docker context to a real sshd on
// 127.0.0.1 (the files put into the container by archive before each restart). Times are from the
// save (the passing check result reaching the controller) to the reload done and healthy; each
// reload's answer is checked. Needs Docker, KrakenD and the sshd test-env.sh sets up.
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayController } from '../client/src/gateway/controller';
import { readTextFile } from '../client/src/gateway/engine/nodeFs';
import { DEFAULT_GATEWAY_SETTINGS } from '../shared/settings';
import { bridgeGateway, connectDocker, freePort, gatewayConfig, get, newRunId, removeTestResources, startBackend, testLabels } from '../test/support/docker';
import { dockerCliOk, startSshd } from '../test/support/engines';
import { benchCanRun, requireComponent } from '../test/support/env';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

async function main(): Promise<void> {
  if (!benchCanRun('remoteEngine', ['docker', 'krakend', 'krakend-images', 'sshd'])) return;
  const image = requireComponent('krakend-images').image;
  const ssh = requireComponent('sshd');
  const docker = connectDocker();
  const run = newRunId('bench-remote');
  const backend = await startBackend(await bridgeGateway(docker));
  const root = await mkdtemp(join(tmpdir(), 'bench-remote-'));
  chmodSync(root, 0o755);
  const cfg = join(root, 'docker-config');
  mkdirSync(cfg);
  const sshd = await startSshd(join(root, 'sshd'), ssh.binary, ssh.user);
  await dockerCliOk(cfg, ['context', 'create', 'kl-ssh', '--docker', `host=ssh://${ssh.user}@127.0.0.1:${sshd.port}`]);
  const home = join(root, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  copyFileSync(sshd.clientKey, join(home, '.ssh', 'id_ed25519'));
  writeFileSync(join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`);
  try {
    const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };
    for (const [name, env] of [['bind (unix socket)', {}], ['archive (ssh context)', { DOCKER_CONFIG: cfg, DOCKER_CONTEXT: 'kl-ssh', HOME: home }]] as const) {
      const folder = join(root, name.split(' ')[0]!);
      mkdirSync(folder);
      const port = await freePort();
      const configPath = join(folder, 'krakend.json');
      const ctrl = new GatewayController({
        folder: { path: folder, name: 'bench' }, configPath, configRelativePath: 'krakend.json', stagingDir: `${folder}-staging`,
        settings: () => ({ ...DEFAULT_GATEWAY_SETTINGS, image, network: 'bridge', port, gracePeriod: 10, healthTimeout: 30, dockerHost: '', reload: 'restart' }),
        env, platform: 'linux', readFile: readTextFile, log: quiet, healthIntervalMs: 20, extraLabels: testLabels(run),
      });
      const result = { uri: `file://${configPath}`, ok: true, errors: 0, warnings: 0, schema: { origin: 'bundled' as const }, trigger: 'save' as const, durationMs: 1 };
      await writeFile(configPath, gatewayConfig(8080, backend.port, '/hello', 'host.docker.internal'));
      await ctrl.checked(result);
      let t = performance.now();
      ctrl.start();
      await ctrl.whenIdle();
      const startMs = performance.now() - t;
      const reloads: number[] = [];
      for (let i = 2; i < 2 + RUNS; i++) {
        await writeFile(configPath, gatewayConfig(8080, backend.port, `/v${i}`, 'host.docker.internal'));
        t = performance.now();
        await ctrl.checked(result);
        await ctrl.whenIdle();
        reloads.push(performance.now() - t);
        const body = (await get(port, '/hello', 5000)).body;
        if (!body.includes(`v${i}`)) throw new Error(`${name}: reload ${i} serves ${body}`);
      }
      ctrl.stop();
      await ctrl.whenIdle();
      ctrl.dispose();
      const sorted = [...reloads].sort((a, b) => a - b);
      console.log(`${name}: start ${startMs.toFixed(0)} ms; reload (save → healthy) median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)} (${RUNS} reloads)`);
    }
  } finally {
    await removeTestResources(docker, run);
    await sshd.close();
    await backend.close();
    await rm(root, { recursive: true, force: true });
  }
}
main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });

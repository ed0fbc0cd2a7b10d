// needs: docker, krakend, krakend-images, podman
// (integration) Podman as a second engine: its Docker-compatible API (`podman system service`,
// rootful, on a socket of its own, with test-env's containers.conf) runs the whole gateway suite,
// test/integration/gateway.test.ts, pointed at it through KRAKEND_LIVE_ENGINE_SOCKET. Where Podman
// cannot run here, test-env records it missing and this file is reported as not run, with why.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withTimeout } from '../support/docker';
import { requireComponent } from '../support/env';

const root = join(__dirname, '..', '..');

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

void describe('Podman as a second engine (integration)', () => {
  const socket = `/run/podman-krakend-live-${process.pid}.sock`;
  let service: ChildProcess | undefined;
  let serviceLog = '';

  before(async () => {
    requireComponent('krakend-images');
    const podman = requireComponent('podman');
    rmSync(socket, { force: true });
    service = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {
      env: { ...process.env, CONTAINERS_CONF: podman.conf },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    service.stderr?.on('data', (c: Buffer) => {
      serviceLog += c.toString();
    });
    // The socket appears, then answers; each try is bounded, and so is the whole wait.
    const up = (async (): Promise<void> => {
      while (!(await ping(socket))) {
        if (service?.exitCode !== null) throw new Error(`podman system service exited: ${serviceLog}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 100);
          service?.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    })();
    await withTimeout(up, 30_000, 'podman system service to answer GET /_ping');
    // Podman's bridge gets its host address only when a first container joins it, and the gateway
    // suite's backend listens on that address before any gateway starts: one container that exits
    // at once brings the bridge up (CNI keeps it after the container is gone).
    const bridgeUp = new Promise<void>((resolve, reject) => {
      execFile('podman', ['run', '--rm', '--entrypoint', '/bin/true', podman.image], { env: { ...process.env, CONTAINERS_CONF: podman.conf }, timeout: 60_000 }, (err, _out, stderr) =>
        err ? reject(new Error(`podman run to bring its bridge up: ${stderr || err.message}`)) : resolve(),
      );
    });
    await withTimeout(bridgeUp, 60_000, "podman's bridge to come up");
  });

  after(async () => {
    if (service && service.exitCode === null) {
      const gone = new Promise<void>((resolve) => service?.once('exit', () => resolve()));
      service.kill('SIGTERM');
      await withTimeout(gone, 15_000, 'podman system service to exit');
    }
    rmSync(socket, { force: true });
  });

  void it('the gateway suite (restart, blue/green, Flexible Configuration, :watch, crashes) passes on Podman', async () => {
    // A child of a test file inherits NODE_TEST_CONTEXT and would refuse to run its tests.
    const { NODE_TEST_CONTEXT: _ctx, ...env } = process.env;
    const r = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=tap', 'test/integration/gateway.test.ts'],
        { cwd: root, env: { ...env, KRAKEND_LIVE_ENGINE_SOCKET: socket, KRAKEND_LIVE_TEST_BACKEND_BY_ADDRESS: '1' }, encoding: 'utf8', timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}\n${stderr}` }),
      );
    });
    const pass = Number(/^# pass (\d+)/m.exec(r.out)?.[1] ?? 0);
    const fail = Number(/^# fail (\d+)/m.exec(r.out)?.[1] ?? -1);
    const failed = r.out.split('\n').filter((l) => /^\s*not ok /.test(l));
    console.log(`gateway suite on Podman: ${pass} passed, ${fail} failed`);
    assert.equal(fail, 0, `${failed.join('\n')}\n\n${r.out.slice(-6000)}`);
    assert.equal(r.code, 0, r.out.slice(-6000));
    assert.ok(pass >= 10, `only ${pass} tests passed: ${r.out.slice(-3000)}`);
  });
});

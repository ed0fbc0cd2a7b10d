// needs: docker, krakend, krakend-images
// (integration) The KrakenD part of the test environment: the locally built krakend:2.13 and
// krakend:watch images behave like the official ones, on the host network and loopback only.
// It also pins the anchor KrakenD Live must beat: SIGTERM drains an in-flight request, while the
// :watch image's reflex restart cuts it (bench/watchAnchor.bench.ts measures both).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Docker from 'dockerode';
import { requireComponent } from '../support/env';
import {
  connectDocker,
  errorText,
  freePort,
  gatewayConfig,
  get,
  listening,
  newRunId,
  removeTestResources,
  runToCompletion,
  settle,
  slowMs,
  startBackend,
  startGateway,
  waitHealthy,
  withTimeout,
} from '../support/docker';
import type { Backend, StartedGateway } from '../support/docker';

const startTimeout = 30_000;

void describe('test environment: KrakenD images (integration)', () => {
  let docker: Docker;
  let image: string;
  let watchImage: string;
  let backend: Backend | undefined;
  const run = newRunId('krakend');
  const dirs: string[] = [];

  /** A config folder of its own (mounted at /etc/krakend) holding the two-endpoint config. */
  function configDir(port: number, helloPath = '/hello'): string {
    const dir = mkdtempSync(join(tmpdir(), 'krakend-live-env-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'krakend.json'), gatewayConfig(port, backendPort(), helloPath));
    return dir;
  }
  function theBackend(): Backend {
    if (!backend) throw new Error('backend not started');
    return backend;
  }
  const backendPort = (): number => theBackend().port;

  before(async () => {
    requireComponent('krakend');
    const images = requireComponent('krakend-images');
    image = images.image;
    watchImage = images.watchImage;
    docker = connectDocker();
    backend = await startBackend();
  });

  after(async () => {
    try {
      if (docker) await removeTestResources(docker, run);
    } finally {
      await backend?.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });

  void describe(`krakend:2.13`, () => {
    void it('runs its default command, answers /__health and proxies an endpoint to a local backend', { timeout: 60_000 }, async () => {
      const port = await freePort();
      // No Cmd: the image's default `krakend run -c krakend.json` in /etc/krakend must do.
      const gw = await startGateway(docker, run, { image, dir: configDir(port), port }, startTimeout);
      try {
        const health = await get(port, '/__health', 5000);
        assert.equal(health.status, 200);
        assert.match(health.body, /"status":"ok"/);
        assert.equal((JSON.parse(health.body) as { status: string }).status, 'ok');

        const reached = theBackend().nextRequest('/hello');
        const hello = await get(port, '/hello', 5000);
        await withTimeout(reached, 5000, 'the backend to receive /hello');
        assert.equal(hello.status, 200);
        assert.deepEqual(JSON.parse(hello.body), { message: 'hello' });
      } finally {
        gw.logs.close();
      }
    });

    void it('`krakend check` inside the image prints Syntax OK! for a valid config and fails on a broken one', { timeout: 60_000 }, async () => {
      const dir = configDir(await freePort());
      const ok = await runToCompletion(docker, run, { image, cmd: ['check', '-c', 'krakend.json'], binds: [`${dir}:/etc/krakend:ro`] }, startTimeout);
      assert.equal(ok.exitCode, 0, ok.stdout + ok.stderr);
      // check prints through cobra's Println, which goes to stderr; accept either stream.
      assert.match(ok.stdout + ok.stderr, /Syntax OK!/);

      writeFileSync(join(dir, 'broken.json'), '{ "version": 3, ');
      const bad = await runToCompletion(docker, run, { image, cmd: ['check', '-c', 'broken.json'], binds: [`${dir}:/etc/krakend:ro`] }, startTimeout);
      assert.notEqual(bad.exitCode, 0);
      assert.doesNotMatch(bad.stdout + bad.stderr, /Syntax OK!/);
    });

    void it('SIGTERM lets a slow in-flight request finish before the gateway exits', { timeout: 60_000 }, async (t) => {
      const port = await freePort();
      const gw: StartedGateway = await startGateway(docker, run, { image, dir: configDir(port), port }, startTimeout);
      try {
        const reached = theBackend().nextRequest('/slow');
        const sent = performance.now();
        const pending = settle(get(port, '/slow', slowMs + 10_000));
        await withTimeout(reached, 5000, 'the backend to receive /slow');
        const signalled = performance.now();
        await gw.container.kill({ signal: 'SIGTERM' });
        const result = await pending;
        const exit = (await withTimeout(gw.container.wait(), 15_000, 'the gateway to exit after SIGTERM')) as { StatusCode: number };

        assert.ok(result.ok, `the in-flight request was cut: ${result.ok ? '' : errorText(result.error)}`);
        assert.equal(result.value.status, 200);
        assert.deepEqual(JSON.parse(result.value.body), { slow: true });
        assert.ok(result.at - sent >= slowMs, `answered after ${Math.round(result.at - sent)} ms, before the backend's ${slowMs} ms`);
        assert.equal(exit.StatusCode, 0);
        assert.match(gw.logs.text, /Signal intercepted/);
        t.diagnostic(`SIGTERM drain: request answered 200 ${Math.round(result.at - signalled)} ms after the signal (${Math.round(result.at - sent)} ms in total)`);
      } finally {
        gw.logs.close();
      }
    });
  });

  void describe('krakend:watch', () => {
    let port: number;
    let dir: string;
    let gw: StartedGateway | undefined;

    before(async () => {
      port = await freePort();
      dir = configDir(port);
      // Like upstream, :watch has no default command.
      gw = await startGateway(docker, run, { image: watchImage, dir, port, cmd: ['run', '-c', 'krakend.json'] }, startTimeout);
    });
    after(() => gw?.logs.close());

    void it('restarts the gateway when a mounted file changes: logs and a changed response show it', { timeout: 60_000 }, async () => {
      const logs = gw!.logs;
      assert.match(logs.text, /Watching changes on files \/etc\/krakend\//);
      assert.match(logs.text, /Ignoring saves to file out\.json/);
      assert.deepEqual(JSON.parse((await get(port, '/hello', 5000)).body), { message: 'hello' });

      const startsBefore = logs.occurrences(listening(port));
      const restarted = logs.waitFor(listening(port), startTimeout, startsBefore + 1);
      writeFileSync(join(dir, 'krakend.json'), gatewayConfig(port, backendPort(), '/v2'));
      await restarted;
      assert.ok(logs.occurrences(/Killing service/) >= 1, `reflex did not report a restart:\n${logs.text}`);

      // The new process may log before it binds; the first answer may need a retry on refusal.
      await waitHealthy(port, startTimeout);
      assert.deepEqual(JSON.parse((await get(port, '/hello', 5000)).body), { message: 'v2' });
    });

    void it('a reflex restart cuts a 3-second request in flight', { timeout: 60_000 }, async (t) => {
      const logs = gw!.logs;
      const reached = theBackend().nextRequest('/slow');
      const sent = performance.now();
      const pending = settle(get(port, '/slow', slowMs + 10_000));
      await withTimeout(reached, 5000, 'the backend to receive /slow');

      const restarted = logs.waitFor(listening(port), startTimeout, logs.occurrences(listening(port)) + 1);
      const changed = performance.now();
      // Any file under /etc/krakend other than out.json triggers reflex.
      writeFileSync(join(dir, 'touched.txt'), `${Date.now()}\n`);
      const result = await pending;
      await restarted;

      const answeredWhole = result.ok && result.value.status === 200 && result.value.body.includes('"slow":true');
      assert.ok(!answeredWhole, `the restart let the slow request finish (${Math.round(result.at - sent)} ms)`);
      assert.ok(result.at - sent < slowMs, `the request ended after ${Math.round(result.at - sent)} ms, not cut before the backend's ${slowMs} ms`);
      const how = result.ok ? `status ${result.value.status}` : errorText(result.error);
      t.diagnostic(`reflex cut: request ended ${Math.round(result.at - changed)} ms after the file change (${how})`);
    });
  });
});

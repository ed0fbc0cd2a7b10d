// needs: krakend, krakend-images
// (integration) `node dist/cli.js watch` as a user runs it, a child process against the real daemon
// and the found KrakenD image: on the default bridge network (the users' default, the backend on the
// host reached as host.docker.internal) and, second, with host networking. Changes are made on disk
// as editors and git make them (rename over the file, delete then create); a valid one reloads
// (status line, the new endpoint answers on 127.0.0.1), an invalid one prints file:line:col problems
// and the old config keeps serving, a request loop through all of it sees no refusal, cut or 5xx,
// and SIGINT exits 0 leaving no container.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Docker from 'dockerode';
import { FOLDER_LABEL, HOST_GATEWAY_ALIAS } from '../../client/src/gateway/plan';
import { bridgeGateway, connectDocker, freePort, gatewayConfig, get, settle, startBackend } from '../support/docker';
import type { Backend } from '../support/docker';
import { requireComponent } from '../support/env';
import type { Lines } from '../support/lines';
import { CLI, WatchProcess } from '../support/watchProcess';

const T = 60_000;
/** The request loop's bounds: it stops at whichever comes first. */
const LOOP_MAX_REQUESTS = 5_000;
const LOOP_MAX_MS = 180_000;

for (const network of ['bridge', 'host'] as const) {
  void describe(`krakend-live watch on ${network} networking (integration)`, () => {
    let docker: Docker;
    let backend: Backend;
    let backendHost: string;
    let root: string;
    let folder: string;
    let config: string;
    let port: number;
    let w: WatchProcess | undefined;
    let out: Lines;
    const ours = async (): Promise<Docker.ContainerInfo[]> => docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${FOLDER_LABEL}=${folder}`] }) });
    // With host networking the gateway is where the config's own port says (as in the extension).
    const write = (path: string): string => gatewayConfig(network === 'host' ? port : 8080, backend.port, path, 'host.docker.internal');

    before(async () => {
      requireComponent('krakend');
      const images = requireComponent('krakend-images');
      assert.ok(existsSync(CLI) && existsSync(resolve('dist/watch.js')), 'dist/cli.js or dist/watch.js is missing: run npm run build');
      docker = connectDocker();
      // Where the gateway container reaches the host: the bridge's gateway, in our daemon's range.
      backendHost = await bridgeGateway(docker);
      backend = await startBackend(backendHost);
      root = await mkdtemp(join(tmpdir(), `krakend-live-watch-${network}-`));
      folder = join(root, 'gateway');
      await mkdir(folder);
      config = join(folder, 'krakend.json');
      port = await freePort();
      await writeFile(config, write('/hello'));
      // The staging folders and the schema cache go to the test's own folder.
      w = new WatchProcess(['--port', String(port), '--image', images.image, '--network', network, 'krakend.json'], { cwd: folder, env: { ...process.env, XDG_CACHE_HOME: join(root, 'cache') }, timeoutMs: T });
      out = w.out;
    });

    after(async () => {
      w?.kill();
      // Whatever a failed run left: only containers of this test's own folder.
      if (docker && folder) for (const c of await ours()) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
      if (backend) await backend.close();
      if (root) await rm(root, { recursive: true, force: true });
    });

    it('starts the gateway on the first valid config; it answers on 127.0.0.1 and resolves host.docker.internal', async () => {
      const line = await out.next(/serving krakend\.json on /, 'the started line');
      assert.match(line, new RegExp(`on http://127\\.0\\.0\\.1:${port} \\(.*, ${network} network, blue/green reloads\\): started in \\d+`));
      const r = await get(port, '/hello', 5000);
      assert.equal(r.status, 200);
      assert.match(r.body, /"message":"hello"/);
      const running = (await ours()).filter((c) => c.State === 'running');
      assert.equal(running.length, 1, JSON.stringify(running.map((c) => c.Names)));
      const info = await docker.getContainer(running[0]!.Id).inspect();
      assert.equal(info.HostConfig.NetworkMode, network);
      assert.deepEqual(info.HostConfig.ExtraHosts, [HOST_GATEWAY_ALIAS]);
    });

    it('through valid and invalid changes on disk: reloads, problems with file:line:col, the old config serving, and no request refused, cut or 5xx', async () => {
      let stop = false;
      const outcomes: string[] = [];
      const began = performance.now();
      const traffic = (async () => {
        while (!stop && outcomes.length < LOOP_MAX_REQUESTS && performance.now() - began < LOOP_MAX_MS) {
          const r = await settle(get(port, '/hello', 10_000));
          outcomes.push(r.ok ? String(r.value.status) : r.error.message);
        }
      })();
      try {
        // An editor's save: a temp file renamed over the config.
        let reloaded = out.next(/reloaded in \d+ ms: krakend\.json changed/, 'the reload after the rename-over');
        await writeFile(join(folder, '.krakend.json.tmp'), write('/v2'));
        await rename(join(folder, '.krakend.json.tmp'), config);
        await reloaded;
        assert.match((await get(port, '/hello', 5000)).body, /"message":"v2"/);

        // git checkout of a broken version: delete, then create.
        const problem = out.next(/^krakend\.json:\d+:\d+: error \S+ /, 'a file:line:col problem');
        const refused = out.next(/not reloaded: krakend\.json changed with \d+ error\(s\); the gateway keeps serving the last good config/, 'the not-reloaded line');
        await unlink(config);
        await writeFile(config, '{\n  "version": 3,\n  "port": 8080,\n  "endpoints": [\n');
        assert.match(await problem, /^krakend\.json:5:1: error json\//);
        await refused;
        assert.match((await get(port, '/hello', 5000)).body, /"message":"v2"/, 'the last good config still serves');

        // The fix, checked out the same way.
        reloaded = out.next(/reloaded in \d+ ms: krakend\.json changed/, 'the reload after the fix');
        await unlink(config);
        await writeFile(config, write('/v3'));
        await reloaded;
        assert.match((await get(port, '/hello', 5000)).body, /"message":"v3"/);
      } finally {
        stop = true;
        await traffic;
      }
      assert.ok(outcomes.length > 0);
      assert.deepEqual(outcomes.filter((o) => o !== '200'), [], `every request through the changes got a 200 (${outcomes.length} sent)`);
      const running = (await ours()).filter((c) => c.State === 'running');
      assert.equal(running.length, 1, 'one color serves after the reloads');
    });

    it('SIGINT stops everything: exit status 0, no container of this gateway left, the port released, the staging folders gone', async () => {
      const stopped = out.next(/stopped; the gateway's containers are removed/, 'the stopped line');
      assert.equal(await w!.interrupt(), 0);
      await stopped;
      assert.deepEqual((await ours()).map((x) => x.Names), []);
      await assert.rejects(get(port, '/hello', 2000), 'nothing listens on the port any more');
      assert.deepEqual(await readdir(join(root, 'cache', 'krakend-live', 'watch')), []);
    });
  });
}

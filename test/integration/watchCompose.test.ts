// needs: docker, krakend, krakend-images, compose
// (integration) `node dist/cli.js watch` inside a real docker compose stack, as a user runs it from
// the project folder: the config is the one krakend_ce mounts, so watch takes that service's place
// (its port on 127.0.0.1, its name on the stack's network, the backend called by service name) and
// says so. Valid and invalid changes on disk under a request loop: reloads, file:line:col problems,
// the last good config serving, and no request refused, cut or 5xx. SIGINT exits 0, leaves no
// container of ours, and the stack's own krakend_ce runs and answers again.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Docker from 'dockerode';
import { FOLDER_LABEL, OWNED_LABEL } from '../../client/src/gateway/plan';
import { connectDocker, get, newRunId, removeTestResources, settle } from '../support/docker';
import { eventually, playgroundConfig, startComposeStack } from '../support/composeStack';
import type { ComposeStack } from '../support/composeStack';
import { requireComponent } from '../support/env';
import type { Lines } from '../support/lines';
import { CLI, WatchProcess } from '../support/watchProcess';

const T = 90_000;
/** The request loop's bounds: it stops at whichever comes first. */
const LOOP_MAX_REQUESTS = 5_000;
const LOOP_MAX_MS = 180_000;
const CONFIG = 'config/krakend/krakend.json';

void describe('krakend-live watch inside a compose stack (integration)', () => {
  const run = newRunId('watch-compose');
  let docker: Docker;
  let stack: ComposeStack;
  let w: WatchProcess | undefined;
  let out: Lines;
  /** Our containers for this config's folder (the folder label every gateway container carries). */
  const ours = async (): Promise<Docker.ContainerInfo[]> =>
    docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${OWNED_LABEL}=true`, `${FOLDER_LABEL}=${join(stack.dir, 'config', 'krakend')}`] }) });

  before(async () => {
    const images = requireComponent('krakend-images');
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run npm run build');
    docker = connectDocker();
    stack = await startComposeStack(docker, { name: 'watch-compose', run, endpoints: ['/api'] });
    w = new WatchProcess(['--image', images.image, CONFIG], {
      cwd: stack.dir,
      env: { ...process.env, XDG_CACHE_HOME: join(stack.dir, '.cache'), DOCKER_HOST: `unix://${requireComponent('docker').socket}` },
      timeoutMs: T,
    });
    out = w.out;
  });

  after(async () => {
    w?.kill();
    // Whatever a failed run left: only containers of this test's own folder, then the stack's.
    if (docker && stack) for (const c of await ours()) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    if (docker) await removeTestResources(docker, run);
    if (stack) await stack.remove();
  });

  it('takes krakend_ce’s place and says so: its 127.0.0.1 port, its name on the stack’s network, the backend by service name', async () => {
    const line = await out.next(/serving .*krakend\.json on /, 'the started line');
    assert.match(line, new RegExp(`on http://127\\.0\\.0\\.1:${stack.port} in place of service krakend_ce of compose stack ${stack.project} \\(.*, ${stack.project}_default network, blue/green reloads\\)`));
    assert.equal((await stack.serviceContainer(docker)).State.Running, false, 'the compose container is stopped while ours runs');
    const running = (await ours()).filter((c) => c.State === 'running');
    assert.equal(running.length, 1, JSON.stringify(running.map((c) => c.Names)));
    const info = await docker.getContainer(running[0]!.Id).inspect();
    assert.ok((info.NetworkSettings.Networks[`${stack.project}_default`]?.Aliases as string[] | undefined)?.includes('krakend_ce'), 'ours answers to the service name');
    const r = await get(stack.port, '/api', 5000);
    assert.equal(r.status, 200);
    assert.match(r.body, /fake_api/, 'the backend is reached by its service name');
  });

  it('through valid and invalid changes on disk: reloads, problems with file:line:col, the old config serving, and no request refused, cut or 5xx', async () => {
    let stop = false;
    const outcomes: string[] = [];
    const began = performance.now();
    const traffic = (async () => {
      while (!stop && outcomes.length < LOOP_MAX_REQUESTS && performance.now() - began < LOOP_MAX_MS) {
        const r = await settle(get(stack.port, '/api', 10_000));
        outcomes.push(r.ok ? String(r.value.status) : r.error.message);
      }
    })();
    try {
      // An editor's save: a temp file renamed over the config.
      let reloaded = out.next(/reloaded in \d+ ms: .*krakend\.json changed/, 'the reload after the rename-over');
      const tmp = join(stack.dir, 'config', 'krakend', '.krakend.json.tmp');
      await writeFile(tmp, playgroundConfig(['/api', '/v2']));
      await rename(tmp, stack.configPath);
      await reloaded;
      assert.equal((await get(stack.port, '/v2', 5000)).status, 200, 'the new endpoint serves');

      const problem = out.next(/krakend\.json:\d+:\d+: error \S+ /, 'a file:line:col problem');
      const refused = out.next(/not reloaded: .*krakend\.json changed with \d+ error\(s\); the gateway keeps serving the last good config/, 'the not-reloaded line');
      await writeFile(stack.configPath, '{\n  "version": 3,\n  "endpoints": [\n');
      assert.match(await problem, /krakend\.json:4:1: error json\//);
      await refused;
      assert.equal((await get(stack.port, '/v2', 5000)).status, 200, 'the last good config still serves');

      reloaded = out.next(/reloaded in \d+ ms: .*krakend\.json changed/, 'the reload after the fix');
      await writeFile(stack.configPath, playgroundConfig(['/api', '/v3']));
      await reloaded;
      assert.equal((await get(stack.port, '/v3', 5000)).status, 200);
    } finally {
      stop = true;
      await traffic;
    }
    assert.ok(outcomes.length > 0);
    assert.deepEqual(outcomes.filter((o) => o !== '200'), [], `every request through the changes got a 200 (${outcomes.length} sent)`);
    assert.equal((await ours()).filter((c) => c.State === 'running').length, 1, 'one color serves after the reloads');
  });

  it('SIGINT gives the place back: exit status 0, no container of ours left, krakend_ce runs and answers again', async () => {
    assert.equal(await w!.interrupt(), 0);
    assert.deepEqual((await ours()).map((x) => x.Names), []);
    assert.equal((await stack.serviceContainer(docker)).State.Running, true, 'the compose container was started again');
    await eventually('the stack’s own KrakenD to answer again', async () => (await get(stack.port, '/api', 2000)).status === 200);
  });
});

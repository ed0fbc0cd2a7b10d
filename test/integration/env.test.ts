// needs: docker
// (integration) The Docker part of the test environment itself: the daemon answers, the locally
// built test image runs with host networking, our labels are applied, cleanup removes what a run
// created, and a container's stdout is readable.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type Docker from 'dockerode';
import { requireComponent } from '../support/env';
import { connectDocker, labels, LogWatcher, newRunId, removeTestResources, runToCompletion, testLabels, withTimeout } from '../support/docker';

void describe('test environment: Docker (integration)', () => {
  let docker: Docker;
  let image: string;
  const run = newRunId('env');

  before(() => {
    const d = requireComponent('docker');
    image = d.testImage;
    docker = connectDocker();
  });

  after(async () => {
    // Runs even when a test failed, so nothing of this run is left on the daemon.
    if (docker) await removeTestResources(docker, run);
  });

  void it('the daemon answers /_ping and speaks API 1.41 or newer', async () => {
    const pong = (await docker.ping()) as Buffer | string;
    assert.equal(String(pong), 'OK');
    const version = await docker.version();
    const [major, minor] = version.ApiVersion.split('.').map(Number);
    assert.ok(major === 1 && (minor ?? 0) >= 41, `API ${version.ApiVersion}`);
  });

  void it('the test image runs with host networking and reaches a server on the host loopback', async () => {
    // A host-side server the container can only reach through the host's network namespace.
    const server = createServer((_req, res) => res.end('from-the-host'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const done = await runToCompletion(
        docker,
        run,
        { image, cmd: ['sh', '-c', `echo out-line; echo err-line >&2; wget -q -O - http://127.0.0.1:${port}/`] },
        20_000,
      );
      assert.equal(done.exitCode, 0, done.stderr);
      assert.match(done.stdout, /^out-line\nfrom-the-host$/);
      assert.equal(done.stderr, 'err-line\n');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  void it('a running container is followed live: a line printed after a trigger is seen', async () => {
    const container = await docker.createContainer({
      Image: image,
      // Prints "ready", then echoes each line it reads on stdin: the test triggers output on demand.
      Cmd: ['sh', '-c', 'echo ready; while read line; do [ "$line" = quit ] && exit 0; echo "got $line"; done; exit 3'],
      OpenStdin: true,
      StdinOnce: false,
      Labels: testLabels(run),
      HostConfig: { NetworkMode: 'host' },
    });
    const logs = await LogWatcher.follow(container);
    const stdin = (await container.attach({ stream: true, stdin: true, hijack: true })) as Duplex;
    try {
      await container.start();
      await logs.waitFor(/^ready$/m, 10_000);
      assert.equal(logs.occurrences(/got ping/), 0);
      const seen = logs.waitFor(/^got ping$/m, 10_000);
      stdin.write('ping\n');
      await seen;
      // A half-close does not reach a hijacked stdin on every engine; a command does.
      stdin.write('quit\n');
      const exit = (await withTimeout(container.wait(), 10_000, 'the echo container to exit')) as { StatusCode: number };
      assert.equal(exit.StatusCode, 0);
    } finally {
      // A hijacked socket stays open after the container exits and would keep this process alive.
      stdin.destroy();
      logs.close();
    }
  });

  void it('labels are applied to containers, networks and images, and cleanup removes exactly this run', async () => {
    const other = newRunId('env-other');
    const filters = (r: string): string => JSON.stringify({ label: [`${labels.test}=${r}`] });
    const container = await docker.createContainer({ Image: image, Cmd: ['true'], Labels: testLabels(other), HostConfig: { NetworkMode: 'host' } });
    const network = await docker.createNetwork({ Name: other, Internal: true, Labels: testLabels(other) });
    // An image made from the container, labelled like the rest, so image cleanup is exercised too.
    const committed = (await container.commit({ repo: 'krakend-live/cleanup-probe', tag: other, changes: `LABEL ${labels.test}=${other}` })) as { Id: string };
    try {
      const info = await container.inspect();
      assert.equal(info.Config.Labels[labels.owned], 'true');
      assert.equal(info.Config.Labels[labels.test], other);
      assert.equal((await network.inspect() as { Labels: Record<string, string> }).Labels[labels.test], other);
      assert.equal((await docker.getImage(committed.Id).inspect()).Config.Labels[labels.test], other);

      const removed = await removeTestResources(docker, other);
      assert.deepEqual(removed, { containers: 1, images: 1, networks: 1 });
      assert.equal((await docker.listContainers({ all: true, filters: filters(other) })).length, 0);
      assert.equal((await docker.listNetworks({ filters: filters(other) })).length, 0);
      assert.equal((await docker.listImages({ filters: filters(other) })).length, 0);
      // The setup script's images carry only the owned label and survive a test cleanup.
      assert.ok((await docker.listImages({ filters: JSON.stringify({ reference: [image] }) })).length === 1, `${image} was removed`);
    } finally {
      await removeTestResources(docker, other);
    }
  });
});

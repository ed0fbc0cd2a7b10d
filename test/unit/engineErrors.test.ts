// Engine problems in words that say what to do, one case per problem; the errors are shaped as
// Node's net/tls and ssh2 raise them (the integration file engines.test.ts raises the real ones).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_API_VERSION, apiVersionProblem, compareApiVersions, engineProblem, plainHttpToTlsProblem, podmanInitProblem } from '../../client/src/gateway/engine/errors';
import { extraHostsFor } from '../../client/src/gateway/engine/podman';
import type { DockerConnection } from '../../client/src/gateway/plan';

const socket: DockerConnection = { kind: 'socket', socketPath: '/var/run/docker.sock', description: 'unix:///var/run/docker.sock', origin: { kind: 'default' } };
const colima: DockerConnection = {
  kind: 'socket',
  socketPath: '/home/ana/.colima/default/docker.sock',
  description: 'unix:///home/ana/.colima/default/docker.sock',
  origin: { kind: 'context', name: 'colima', via: 'config.json', store: '/home/ana/.docker/config.json' },
};
const tls: DockerConnection = {
  kind: 'tcp',
  host: '127.0.0.1',
  port: 2376,
  protocol: 'https',
  tls: { ca: '/s/ca.pem', cert: '/s/cert.pem', key: '/s/key.pem', skipVerify: false },
  description: 'https://127.0.0.1:2376',
  origin: { kind: 'context', name: 'secure', via: 'DOCKER_CONTEXT', store: '/c' },
};
const ssh: DockerConnection = { kind: 'ssh', host: 'build.example', port: 2222, username: 'deploy', description: 'ssh://deploy@build.example:2222', origin: { kind: 'setting' } };
const err = (code: string, message = code): Error & { code: string } => Object.assign(new Error(message), { code });

void test('permission denied on the socket: the docker group, then log in again', () => {
  const p = engineProblem(err('EACCES'), socket);
  assert.equal(p?.kind, 'dockerPermission');
  assert.match(p?.message ?? '', /usermod -aG docker/);
  assert.match(p?.message ?? '', /log out and in again|newgrp docker/);
});

void test('a context whose endpoint has nothing behind it: start that engine or switch context', () => {
  for (const code of ['ENOENT', 'ECONNREFUSED']) {
    const p = engineProblem(err(code), colima);
    assert.equal(p?.kind, 'dockerUnavailable');
    assert.match(p?.message ?? '', /docker context "colima"/);
    assert.match(p?.message ?? '', /colima start/);
    assert.match(p?.message ?? '', /docker context use default/);
  }
  // The platform default keeps the adapter's generic "is the daemon running?".
  assert.equal(engineProblem(err('ENOENT'), socket), undefined);
});

void test('TLS verification failures name the CA in use and how to fix the context', () => {
  for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']) {
    const p = engineProblem(err(code), tls);
    assert.equal(p?.kind, 'dockerUnavailable');
    assert.match(p?.message ?? '', /TLS verification .* failed: its certificate is not signed by a CA we trust \(the TLS files of docker context "secure"/);
    assert.match(p?.message ?? '', /docker context update secure --docker "host=tcp:\/\/127\.0\.0\.1:2376,ca=/);
  }
  assert.match(engineProblem(err('ERR_TLS_CERT_ALTNAME_INVALID'), tls)?.message ?? '', /not issued for 127\.0\.0\.1/);
  assert.match(engineProblem(err('CERT_HAS_EXPIRED'), tls)?.message ?? '', /expired/);
  assert.match(engineProblem(err('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'tlsv13 alert certificate required'), tls)?.message ?? '', /refused our TLS client certificate/);
  assert.match(engineProblem(err('EPROTO', 'wrong version number'), tls)?.message ?? '', /does not speak TLS/);
  assert.match(plainHttpToTlsProblem('Client sent an HTTP request to an HTTPS server.', tls)?.message ?? '', /wants TLS/);
});

void test('an ssh login refused: the agent or a default key, and the command to check', () => {
  const p = engineProblem(Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }), ssh);
  assert.equal(p?.kind, 'dockerUnavailable');
  assert.match(p?.message ?? '', /ssh-add/);
  assert.match(p?.message ?? '', /ssh -p 2222 deploy@build\.example docker system dial-stdio/);
});

void test('an engine too old for API 1.25 fails the plan with the versions; new enough passes', () => {
  assert.equal(MIN_API_VERSION, '1.25');
  const p = apiVersionProblem('1.24', '1.12.6', socket);
  assert.equal(p?.kind, 'plan');
  assert.match(p?.message ?? '', /too old: it speaks Engine API 1\.24 \(Docker 1\.12\.6\).*needs API 1\.25/);
  assert.equal(apiVersionProblem('1.25', '1.13.0', socket), undefined);
  assert.equal(apiVersionProblem('1.41', '20.10.24', socket), undefined);
  assert.equal(apiVersionProblem(undefined, undefined, socket), undefined);
});

void test('API versions compare as numbers', () => {
  assert.ok(compareApiVersions('1.9', '1.25') < 0);
  assert.ok(compareApiVersions('1.41', '1.25') > 0);
  assert.equal(compareApiVersions('1.25', '1.25.0'), 0);
});

void test('anything else is not an engine problem (the request itself failed)', () => {
  assert.equal(engineProblem(Object.assign(new Error('Conflict'), { statusCode: 409 }), socket), undefined);
});

void test('Podman without catatonit: install it or use a non-watch image', () => {
  const p = podmanInitProblem('container create: container-init binary not found on the host: stat /usr/libexec/podman/catatonit: no such file or directory');
  assert.equal(p?.kind, 'plan');
  assert.match(p?.message ?? '', /catatonit.*non-watch image/s);
  assert.equal(podmanInitProblem('No such image: krakend:9'), undefined);
});

void test('host-gateway: kept for Docker and Podman 5.3+, dropped with a warning naming host.containers.internal before', () => {
  const wanted = ['host.docker.internal:host-gateway', 'db:198.18.0.9'];
  assert.deepEqual(extraHostsFor(wanted, { engine: 'docker', engineVersion: '20.10.24' }).entries, wanted);
  assert.deepEqual(extraHostsFor(wanted, undefined).entries, wanted);
  assert.deepEqual(extraHostsFor(wanted, { engine: 'podman', engineVersion: '5.3.0' }).entries, wanted);
  const old = extraHostsFor(wanted, { engine: 'podman', engineVersion: '4.3.1' });
  assert.deepEqual(old.entries, ['db:198.18.0.9']);
  assert.match(old.warning ?? '', /Podman 4\.3\.1 does not resolve host-gateway.*host\.docker\.internal.*host\.containers\.internal/);
  assert.equal(extraHostsFor(['db:198.18.0.9'], { engine: 'podman', engineVersion: '4.3.1' }).warning, undefined);
});

// known_hosts checks for ssh:// engines, against lines written by the real ssh-keygen
// (`ssh-keygen -H` hashed the two names below; `ssh-keygen -l` printed the fingerprint).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHostKey, fingerprint, hostKeyMessage, hostListMatches, keyTypeOf, knownHostsName } from '../../client/src/gateway/engine/ssh';

const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAINxKFmwH/NsfbmZo54DqgsP73TFCQE0I4ARV5hBF4BwR';
const OTHER = 'AAAAC3NzaC1lZDI1NTE5AAAAIHc2e7vGzXb1Wm1qkq6n7o6bW0g3uQzv9v0m8fDk3l2a';
const blob = Buffer.from(KEY, 'base64');
// `ssh-keygen -H` of "[127.0.0.1]:2222 …" and "build.example …".
const HASHED = [
  `|1|DCHcth9IoDHJ1GikAsBX5epVM7c=|xtVjFYL7dZzz7OkV9evEM42I+KI= ssh-ed25519 ${KEY}`,
  `|1|vkKII0y/mHGOzrORLYcmUTPZvaA=|dxeluRP2jt0ub/peSVHNWV5nJ54= ssh-ed25519 ${KEY}`,
].join('\n');

void test('the blob tells its type and its fingerprint as ssh-keygen -l prints it', () => {
  assert.equal(keyTypeOf(blob), 'ssh-ed25519');
  assert.equal(fingerprint(blob), 'SHA256:reclmKHIpTBKlikUm+7+/9PPr0/e2zDb3vMLkJoQdTY');
});

void test('names: [host]:port off port 22', () => {
  assert.equal(knownHostsName('h', 22), 'h');
  assert.equal(knownHostsName('127.0.0.1', 2222), '[127.0.0.1]:2222');
});

const cases: readonly [string, string, string, number, ReturnType<typeof checkHostKey>][] = [
  ['hashed name with a port', HASHED, '127.0.0.1', 2222, 'trusted'],
  ['hashed name on port 22', HASHED, 'build.example', 22, 'trusted'],
  ['hashed name, other port: unknown', HASHED, '127.0.0.1', 22, 'unknown'],
  ['plain name list', `a.example,build.example ssh-ed25519 ${KEY}`, 'build.example', 22, 'trusted'],
  ['names are case-insensitive', `BUILD.example ssh-ed25519 ${KEY}`, 'build.example', 22, 'trusted'],
  ['wildcard', `*.example ssh-ed25519 ${KEY}`, 'build.example', 22, 'trusted'],
  ['negation wins', `*.example,!build.example ssh-ed25519 ${KEY}`, 'build.example', 22, 'unknown'],
  ['same type, other key: changed', `build.example ssh-ed25519 ${OTHER}`, 'build.example', 22, 'changed'],
  ['other type only: unknown, not changed', `build.example ecdsa-sha2-nistp256 AAAAE2Vj`, 'build.example', 22, 'unknown'],
  ['an old and the current key: trusted', `build.example ssh-ed25519 ${OTHER}\nbuild.example ssh-ed25519 ${KEY}`, 'build.example', 22, 'trusted'],
  ['revoked', `@revoked * ssh-ed25519 ${KEY}\nbuild.example ssh-ed25519 ${KEY}`, 'build.example', 22, 'revoked'],
  ['a CA line does not vouch for a plain key', `@cert-authority *.example ssh-ed25519 ${KEY}`, 'build.example', 22, 'unknown'],
  ['comments and blank lines', `# c\n\n   \nbuild.example ssh-ed25519 ${KEY} comment here`, 'build.example', 22, 'trusted'],
  ['empty file', '', 'build.example', 22, 'unknown'],
];
for (const [name, text, host, port, verdict] of cases) {
  void test(`known_hosts: ${name}`, () => assert.equal(checkHostKey(text, host, port, blob), verdict));
}

void test('host lists: a hashed entry only matches its own name', () => {
  const entry = HASHED.split(' ')[0] ?? '';
  assert.ok(hostListMatches(entry, '[127.0.0.1]:2222'));
  assert.ok(!hostListMatches(entry, '127.0.0.1'));
});

void test('refusals say what to do', () => {
  const unknown = hostKeyMessage('unknown', '127.0.0.1', 2222, 'krakend', blob, ['/h/.ssh/known_hosts']);
  assert.match(unknown, /not trusted/);
  assert.match(unknown, /SHA256:reclmKHIpTBKlikUm/);
  assert.match(unknown, /`ssh -p 2222 krakend@127\.0\.0\.1`/);
  const changed = hostKeyMessage('changed', 'h', 22, undefined, blob, []);
  assert.match(changed, /CHANGED/);
  assert.match(changed, /ssh-keygen -R "h"/);
  assert.match(hostKeyMessage('revoked', 'h', 22, undefined, blob, []), /@revoked/);
});

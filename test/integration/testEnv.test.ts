// needs: docker
// (integration) The setup script itself, on the machine it just set up: the background processes
// it starts (dockerd above all) must not keep its cache lock, so a second `npm test` never waits
// for the first; a second run only checks; and finding a KrakenD binary survives a binary that
// prints more than the one line the script reads.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { loadEnv } from '../support/env';

const ROOT = resolve(__dirname, '..', '..');
const lockFile = join(loadEnv().cache || join(homedir(), '.cache', 'krakend-live'), '.lock');

/** Every process (other than this one) with an open descriptor on `file`, as "pid (command)". */
function holders(file: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      let target = '';
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (target === file) {
        let cmd = '?';
        try {
          cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
        } catch {
          // keep '?'
        }
        found.push(`${pid} (${cmd}) on fd ${fd}`);
      }
    }
  }
  return found;
}

void test('no process that test-env left running (the Docker daemon among them) holds its cache lock', () => {
  assert.deepEqual(holders(lockFile), [], `these processes keep ${lockFile} open, so the next test-env would wait for them`);
});

void test('a second test-env run does not wait for a lock, and finds every component again', () => {
  const r = spawnSync('bash', ['scripts/test-env.sh'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.doesNotMatch(r.stdout + r.stderr, /another run holds/);
  assert.match(r.stdout, /^ready\s+docker\s/m);
  assert.match(r.stdout, /^(ready|MISSING)\s+krakend\s/m);
  assert.deepEqual(holders(lockFile), [], 'the second run left a process holding the lock');
});

void test('a KrakenD binary is accepted even when it prints more than the version line (no SIGPIPE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'krakend-live-fake-bin-'));
  try {
    // `krakend version` prints to stderr; 200,000 lines after the version fill any pipe buffer, so
    // a reader that stops at the first match would kill this process with SIGPIPE.
    const fake = join(dir, 'krakend');
    writeFileSync(fake, '#!/bin/sh\necho "KrakenD Version: 2.13.8" >&2\nseq 1 200000 >&2\n');
    chmodSync(fake, 0o755);
    const script = `set -uo pipefail; . scripts/testEnv/krakendVersion.sh; krakend_version "${fake}"`;
    const r = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '2.13.8');
    const broken = spawnSync('bash', ['-c', `set -uo pipefail; . scripts/testEnv/krakendVersion.sh; krakend_version /bin/true`], { cwd: ROOT, encoding: 'utf8' });
    assert.notEqual(broken.status, 0, 'a program that prints no KrakenD version is not KrakenD');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

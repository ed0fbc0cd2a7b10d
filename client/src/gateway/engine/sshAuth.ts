/**
 * The ssh2 options of an `ssh://` engine, as close to what `ssh` does for the docker CLI as ssh2
 * allows: the agent (SSH_AUTH_SOCK), else the first default identity that loads without a
 * passphrase, and a host key checked against known_hosts (engine/ssh.ts). Reads the user's files,
 * so it sits beside docker.ts, not in the pure plan.
 */
import { readFileSync } from 'node:fs';
import { utils } from 'ssh2';
import type { DockerConnection } from '../plan';
import { checkHostKey, hostKeyMessage } from './ssh';

type SshConnection = Extract<DockerConnection, { kind: 'ssh' }>;

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The first identity file that parses without a passphrase (ssh2 takes one private key). */
export function loadIdentity(paths: readonly string[]): Buffer | undefined {
  for (const p of paths) {
    const text = readIfThere(p);
    if (text === undefined) continue;
    const parsed = utils.parseKey(text);
    if (!(parsed instanceof Error)) return Buffer.from(text);
  }
  return undefined;
}

/**
 * ssh2 connect options. `onRefused` gets the message when the host key is refused: ssh2 itself
 * only says "Host denied (verification failed)", which tells the user nothing.
 */
export function sshConnectOptions(c: SshConnection, onRefused: (message: string) => void): Record<string, unknown> {
  const files = c.knownHosts ?? [];
  const privateKey = loadIdentity(c.identities ?? []);
  return {
    ...(c.agent ? { agent: c.agent } : {}),
    ...(privateKey ? { privateKey } : {}),
    readyTimeout: 15_000,
    hostVerifier: (key: Buffer): boolean => {
      const text = files.map((f) => readIfThere(f) ?? '').join('\n');
      const verdict = checkHostKey(text, c.host, c.port, key);
      if (verdict === 'trusted') return true;
      onRefused(hostKeyMessage(verdict, c.host, c.port, c.username, key, files.filter((f) => readIfThere(f) !== undefined)));
      return false;
    },
  };
}

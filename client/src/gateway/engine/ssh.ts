/**
 * SSH host key trust for `ssh://` engines. The docker CLI runs the system `ssh`, which refuses a
 * host whose key is not in known_hosts when it cannot ask. dockerode's ssh2 accepts any key unless
 * told otherwise, so we check the offered key against the user's known_hosts ourselves, with
 * OpenSSH's rules: plain and hashed (`|1|salt|hmac`) names, `[host]:port` for ports other than 22,
 * `*`/`?` wildcards, `!` negation, `@revoked`. Pure: the file's text comes in.
 */
import { createHash, createHmac } from 'node:crypto';

export type HostKeyVerdict = 'trusted' | 'unknown' | 'changed' | 'revoked';

/** The name OpenSSH looks up: `host`, or `[host]:port` off port 22. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The key type inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return '';
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString('latin1');
}

/** `SHA256:…` as `ssh` and `ssh-keygen -l` print it. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function hashedMatches(entry: string, name: string): boolean {
  const parts = entry.split('|');
  // |1|salt|hash → ['', '1', salt, hash]
  if (parts.length !== 4 || parts[1] !== '1' || !parts[2] || !parts[3]) return false;
  const mac = createHmac('sha1', Buffer.from(parts[2], 'base64')).update(name).digest('base64');
  return mac === parts[3];
}

/** OpenSSH's host list: a negated match wins over any positive one. */
export function hostListMatches(list: string, name: string): boolean {
  if (list.startsWith('|')) return hashedMatches(list, name);
  let matched = false;
  for (const pattern of list.split(',')) {
    if (pattern === '') continue;
    const negated = pattern.startsWith('!');
    const p = negated ? pattern.slice(1) : pattern;
    if (globToRegExp(p).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The verdict on `blob`, offered by host:port, from the text of known_hosts files. */
export function checkHostKey(knownHosts: string, host: string, port: number, blob: Buffer): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const type = keyTypeOf(blob);
  const offered = blob.toString('base64');
  let trusted = false;
  let changed = false;
  for (const raw of knownHosts.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key) continue;
    // A CA line trusts certificates, which ssh2 does not present; it cannot vouch for a plain key.
    if (marker === '@cert-authority') continue;
    if (!hostListMatches(hosts, name)) continue;
    if (marker === '@revoked') {
      if (key === offered) return 'revoked';
      continue;
    }
    if (key === offered) trusted = true;
    else if (keyType === type) changed = true;
  }
  // OpenSSH accepts a key that matches any line, even when another line holds an old key.
  if (trusted) return 'trusted';
  return changed ? 'changed' : 'unknown';
}

/** The message for a key we refused, saying what to do. */
export function hostKeyMessage(verdict: Exclude<HostKeyVerdict, 'trusted'>, host: string, port: number, user: string | undefined, blob: Buffer, files: readonly string[]): string {
  const where = `${host}${port === 22 ? '' : `:${port}`}`;
  const fp = fingerprint(blob);
  const ssh = `ssh ${port === 22 ? '' : `-p ${port} `}${user ? `${user}@` : ''}${host}`;
  const inFiles = files.length > 0 ? files.join(', ') : '~/.ssh/known_hosts';
  switch (verdict) {
    case 'unknown':
      return `The SSH host key of ${where} (${keyTypeOf(blob)} ${fp}) is not trusted: it is not in ${inFiles}. Check the fingerprint with the server's owner, then connect once from a terminal (\`${ssh}\`) and accept it, and start the gateway again.`;
    case 'changed':
      return `The SSH host key of ${where} has CHANGED (now ${keyTypeOf(blob)} ${fp}); ${inFiles} holds another one. This can be an attack. If the server was reinstalled, remove the old key with \`ssh-keygen -R "${knownHostsName(host, port)}"\`, connect once with \`${ssh}\` to accept the new one, and start again.`;
    case 'revoked':
      return `The SSH host key of ${where} (${fp}) is marked @revoked in ${inFiles}; the connection was refused. Ask the server's owner for its current key.`;
  }
}

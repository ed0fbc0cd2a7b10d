/**
 * What went wrong with the engine, in words that say what to do: permission on the socket, an
 * endpoint with nothing behind it, a TLS verification failure, an SSH login or host key refused,
 * an engine too old for the API we use. Pure: an error's code and message in, a message out;
 * docker.ts wraps the result in its DockerError.
 */
import type { FaultKind } from '../lifecycle';
import type { DockerConnection } from '../plan';
import { describeOrigin } from './context';

/**
 * The oldest Engine API we accept: HostConfig.Mounts, HostConfig.Init and StopTimeout, which
 * every plan uses, arrived in API 1.25 (Docker 1.13).
 */
export const MIN_API_VERSION = '1.25';

export interface EngineProblem {
  readonly kind: FaultKind;
  readonly message: string;
}

/** Compares dotted API versions numerically (`1.9` < `1.25`). */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** The problem with an engine whose /version says `apiVersion`, or undefined when it is new enough. */
export function apiVersionProblem(apiVersion: string | undefined, engineVersion: string | undefined, c: DockerConnection): EngineProblem | undefined {
  if (apiVersion === undefined || apiVersion === '') return undefined;
  if (compareApiVersions(apiVersion, MIN_API_VERSION) >= 0) return undefined;
  return {
    kind: 'plan',
    message: `The Docker engine at ${c.description} (${describeOrigin(c.origin)}) is too old: it speaks Engine API ${apiVersion}${engineVersion ? ` (Docker ${engineVersion})` : ''}, and KrakenD Live needs API ${MIN_API_VERSION} (Docker 1.13) or newer. Upgrade the engine, or point krakend.docker.host at a newer one.`,
  };
}

const TLS_VERIFY_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Where this connection's TLS files are, for the message. */
function tlsSource(c: DockerConnection): string {
  if (c.kind !== 'tcp') return '';
  if (c.tls) return `the TLS files of ${describeOrigin(c.origin)}${c.tls.ca ? ` (${c.tls.ca})` : ''}`;
  if (c.certPath) return `DOCKER_CERT_PATH (${c.certPath})`;
  return 'the system CA list (no DOCKER_CERT_PATH, no context TLS files)';
}

function fixTls(c: DockerConnection): string {
  const ctx = c.origin?.kind === 'context' ? c.origin.name : undefined;
  return ctx
    ? `Give the context the CA that signed the engine's certificate and a client certificate it accepts: \`docker context update ${ctx} --docker "host=${c.description.replace(/^https:/, 'tcp:')},ca=CA.pem,cert=CERT.pem,key=KEY.pem"\`. Check with \`docker --context ${ctx} version\`.`
    : 'Point DOCKER_CERT_PATH at a folder with the ca.pem that signed the engine\'s certificate and your cert.pem/key.pem, set DOCKER_TLS_VERIFY=1, and check with `docker version`.';
}

/**
 * The engine problem behind a Node or ssh2 error, or undefined when it is not one (the daemon
 * answered, and the request itself failed).
 */
export function engineProblem(err: unknown, c: DockerConnection): EngineProblem | undefined {
  const e = err as { code?: string; message?: string; level?: string } | undefined;
  const code = e?.code ?? '';
  const msg = e?.message ?? String(err);
  const from = describeOrigin(c.origin);
  const chosen = c.origin && c.origin.kind !== 'default';
  if (c.kind === 'socket' && (code === 'EACCES' || code === 'EPERM')) {
    return {
      kind: 'dockerPermission',
      message: `Permission denied on the Docker socket ${c.socketPath} (${from}). Add your user to the "docker" group (\`sudo usermod -aG docker $USER\`), then log out and in again (or run \`newgrp docker\`), and start the gateway again. With rootless Docker, point krakend.docker.host at its socket (unix:///run/user/UID/docker.sock).`,
    };
  }
  if (c.kind === 'socket' && (code === 'ENOENT' || code === 'ECONNREFUSED') && chosen) {
    const ctx = c.origin?.kind === 'context' ? c.origin.name : undefined;
    return {
      kind: 'dockerUnavailable',
      message: `No Docker engine answers at ${c.description}, the endpoint of ${from} (${code}). Start that engine (Docker Desktop, \`colima start\`, OrbStack, Rancher Desktop, \`systemctl start docker\`…)${ctx ? `, or switch to another context with \`docker context use default\`` : ', or change it'}.`,
    };
  }
  if (TLS_VERIFY_CODES.has(code)) {
    const what = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? `its certificate is not issued for ${c.kind === 'tcp' ? c.host : 'this host'}` : code === 'CERT_HAS_EXPIRED' ? 'its certificate has expired' : `its certificate is not signed by a CA we trust (${tlsSource(c)})`;
    return { kind: 'dockerUnavailable', message: `TLS verification of the Docker engine at ${c.description} (${from}) failed: ${what} (${code}). ${fixTls(c)}` };
  }
  if (/alert (certificate required|bad certificate|unknown ca)|ALERT_CERTIFICATE_REQUIRED|ALERT_BAD_CERTIFICATE|ALERT_UNKNOWN_CA/i.test(`${code} ${msg}`)) {
    return { kind: 'dockerUnavailable', message: `The Docker engine at ${c.description} (${from}) refused our TLS client certificate (${code || msg}). ${fixTls(c)}` };
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(msg)) {
    return { kind: 'dockerUnavailable', message: `The Docker engine at ${c.description} (${from}) does not speak TLS on that port. Use tcp:// without TLS (no DOCKER_TLS_VERIFY, port 2375), or its TLS port (2376).` };
  }
  if (c.kind === 'ssh' && /All configured authentication methods failed/i.test(msg)) {
    return {
      kind: 'dockerUnavailable',
      message: `SSH login to ${c.description} (${from}) was refused. Load your key into the agent (\`ssh-add\`, with SSH_AUTH_SOCK set for VS Code) or keep it at ~/.ssh/id_ed25519, id_ecdsa or id_rsa without a passphrase, and check with \`ssh ${c.port === 22 ? '' : `-p ${c.port} `}${c.username ? `${c.username}@` : ''}${c.host} docker system dial-stdio\`.`,
    };
  }
  return undefined;
}

/** Podman without its init binary, asked for HostConfig.Init (the :watch images). */
export function podmanInitProblem(detail: string): EngineProblem | undefined {
  if (!/container-init binary not found|catatonit: no such file/i.test(detail)) return undefined;
  return { kind: 'plan', message: `Podman cannot start the container: its init binary (catatonit), which :watch images need, is not installed. Install it (\`apt-get install catatonit\`, \`dnf install catatonit\`), or use a non-watch image. (${detail})` };
}

/** The message for `Client sent an HTTP request to an HTTPS server` (plain http to a TLS port). */
export function plainHttpToTlsProblem(detail: string, c: DockerConnection): EngineProblem | undefined {
  if (!/HTTP request to an HTTPS server/i.test(detail)) return undefined;
  return { kind: 'dockerUnavailable', message: `The Docker engine at ${c.description} (${describeOrigin(c.origin)}) wants TLS. Set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH, use a docker context with its TLS files, or port 2376.` };
}

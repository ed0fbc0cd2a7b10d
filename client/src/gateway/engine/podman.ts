/**
 * What Podman's Docker-compatible API does differently, from its documentation and from running
 * the gateway suite on Podman 4.3 (test/integration/podman.test.ts):
 * - events: a `die` is filtered by Podman's own name `died` and carries `containerExitCode`
 *   (docker.ts asks for both names and reads both fields);
 * - HostConfig.Init needs Podman's init, catatonit (a separate package on Debian);
 * - ExtraHosts `NAME:host-gateway` is resolved only from Podman 5.3; before, the words go into
 *   /etc/hosts as they are, and Podman adds `host.containers.internal` for the host instead.
 * Pure: /version's facts in, decisions out.
 */
import type { EngineFacts } from './paths';

/** `5.3.1` ≥ `5.3`, numerically. */
function atLeast(version: string, min: string): boolean {
  const a = version.split(/[.+-]/).map((n) => Number.parseInt(n, 10) || 0);
  const b = min.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < b.length; i++) {
    if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/**
 * The ExtraHosts to send: unchanged for Docker and Podman ≥ 5.3; for older Podman without the
 * `host-gateway` entries (which would be written literally), with a warning saying what to use.
 */
export function extraHostsFor(entries: readonly string[], facts: EngineFacts | undefined): { readonly entries: readonly string[]; readonly warning?: string } {
  if (facts?.engine !== 'podman' || atLeast(facts.engineVersion ?? '0', '5.3')) return { entries };
  const kept = entries.filter((e) => !/:host-gateway$/.test(e));
  if (kept.length === entries.length) return { entries };
  const names = entries.filter((e) => !kept.includes(e)).map((e) => e.slice(0, e.lastIndexOf(':')));
  return {
    entries: kept,
    warning: `Podman ${facts.engineVersion ?? ''} does not resolve host-gateway (Podman 5.3 does), so ${names.join(', ')} is not set in the container; Podman's own name for this machine is host.containers.internal: use it in the config's backend hosts, or upgrade Podman.`,
  };
}

/**
 * Where the engine can find the staging folder. A bind mount names a path on the engine's side,
 * which is our path only for an engine on this machine's own kernel. The rules, from Docker's and
 * each product's documentation (only tested as data here, see test/unit/enginePaths.test.ts):
 * - Docker Desktop on Windows takes Windows paths (`C:\Users\…`) and translates them itself; with
 *   the Hyper-V backend only the drives shared in Settings > Resources > File sharing work.
 * - A dockerd inside a WSL distro (not Docker Desktop) sees drive C: at /mnt/c (WSL's automount
 *   root, /etc/wsl.conf `[automount] root`), and `\\wsl$\Distro\path` at /path.
 * - Docker Desktop on macOS shares /Users, /Volumes, /private, /tmp and /var/folders by default;
 *   Colima and Rancher Desktop (Lima) share the home folder (and their own /tmp folder); OrbStack
 *   shares the whole Mac. Docker Desktop on Linux shares the home folder.
 * Pure: the platform, the connection and what the engine's /version said come in.
 */

/** The kinds of engine whose file sharing differs. */
export type EngineHost =
  | 'native'
  | 'dockerDesktopWindows'
  | 'wslEngine'
  | 'dockerDesktopMac'
  | 'colima'
  | 'orbstack'
  | 'rancherDesktop'
  | 'dockerDesktopLinux'
  | 'remote';

/** What GET /version said about the engine (Platform.Name, KernelVersion, Os). */
export interface EngineFacts {
  /** Podman names itself in /version's Components ("Podman Engine"). */
  readonly engine?: 'docker' | 'podman';
  readonly engineVersion?: string;
  readonly platformName?: string;
  readonly kernelVersion?: string;
  readonly os?: string;
}

/** The part of plan.ts's DockerConnection this needs (a type of its own, so plan.ts can import this file). */
export type EngineAddress = { readonly kind: 'socket'; readonly socketPath: string } | { readonly kind: 'tcp' | 'ssh'; readonly host: string };

/** `localhost`, `127.x.y.z`, `::1` (bracketed or not): this machine's own loopback. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * How the staged configuration reaches the container: a read-only bind mount of the staging
 * folder where the engine reads this machine's files, else an archive put into the container
 * through the engine's API (docker.ts putFiles). The rule:
 * - a socket (unix, npipe) is an engine on this machine: `bind` (with the path the product
 *   understands, mountSource);
 * - tcp:// to a loopback address is the same machine too (Docker Desktop's or a WSL dockerd's
 *   port, a daemon listening on 127.0.0.1): `bind`;
 * - tcp:// to any other host: `archive`;
 * - ssh:// always `archive`, even to 127.0.0.1: the daemon is reached as whoever the ssh user is,
 *   often in a VM or a container of its own, so this machine's paths mean nothing to it in
 *   general; an archive works wherever the API does.
 * A tcp:// port forwarded from another machine (`ssh -L 2375:…`) looks local and is not: set
 * krakend.docker.host to the ssh:// address instead, which then also carries the files.
 */
export function configDelivery(host: EngineHost): 'bind' | 'archive' {
  return host === 'remote' ? 'archive' : 'bind';
}

function hostPath(c: EngineAddress): string {
  return c.kind === 'socket' ? c.socketPath : '';
}

/**
 * The kind of engine, from the platform we run on, its address and (when known) its /version.
 * Socket paths name the products that put their socket in a folder of their own.
 */
export function classifyEngine(platform: string, c: EngineAddress, facts?: EngineFacts): EngineHost {
  // ssh:// is another machine's files even at 127.0.0.1 (see configDelivery).
  const local = c.kind === 'socket' || (c.kind === 'tcp' && isLoopbackHost(c.host));
  if (!local) return 'remote';
  const sock = hostPath(c);
  const name = facts?.platformName ?? '';
  const desktop = /Docker Desktop/i.test(name) || /[\\/]\.docker[\\/](desktop|run)[\\/]docker\.sock$/.test(sock) || sock.includes('dockerDesktop');
  if (/orbstack/i.test(name) || sock.includes('/.orbstack/')) return 'orbstack';
  if (/rancher/i.test(name) || sock.includes('/.rd/')) return 'rancherDesktop';
  if (sock.includes('/.colima/')) return 'colima';
  if (platform === 'win32') {
    if (desktop || c.kind === 'socket') return 'dockerDesktopWindows';
    // A dockerd reached over tcp from Windows whose kernel is WSL's and which is not Docker Desktop.
    return /microsoft|WSL/i.test(facts?.kernelVersion ?? '') ? 'wslEngine' : 'dockerDesktopWindows';
  }
  if (platform === 'darwin') return 'dockerDesktopMac';
  if (platform === 'linux' && desktop) return 'dockerDesktopLinux';
  return 'native';
}

/** `C:\Users\ana\x` → `/mnt/c/Users/ana/x`; `\\wsl$\Ubuntu\home\ana` → `/home/ana`; else undefined. */
export function windowsToWsl(path: string, automountRoot = '/mnt/'): string | undefined {
  const root = automountRoot.endsWith('/') ? automountRoot : `${automountRoot}/`;
  const drive = /^([A-Za-z]):(?:[\\/](.*))?$/.exec(path);
  if (drive) {
    const rest = (drive[2] ?? '').replace(/\\/g, '/').replace(/\/+$/, '');
    return `${root}${drive[1]!.toLowerCase()}${rest ? `/${rest}` : ''}`;
  }
  const unc = /^[\\/]{2}(?:wsl\$|wsl\.localhost)[\\/][^\\/]+(?:[\\/](.*))?$/i.exec(path);
  if (unc) return `/${(unc[1] ?? '').replace(/\\/g, '/').replace(/\/+$/, '')}`;
  return undefined;
}

const MAC_DESKTOP_SHARES = ['/Users', '/Volumes', '/private', '/tmp', '/var/folders'];

function under(path: string, roots: readonly string[]): boolean {
  return roots.some((r) => path === r || path.startsWith(r.endsWith('/') ? r : `${r}/`));
}

export interface MountSource {
  /** The bind mount's Source as the engine must see it. */
  readonly source: string;
  /** Why it may still fail, and what to do; for the plan's warnings. */
  readonly warning?: string;
}

/**
 * The staging folder as a bind-mount source the engine can reach, with a warning where the
 * product shares only some folders and this one is outside them.
 */
export function mountSource(stagingDir: string, host: EngineHost, opts: { readonly home?: string; readonly wslAutomountRoot?: string } = {}): MountSource {
  const home = opts.home?.replace(/\/+$/, '');
  const outside = (product: string, shared: readonly string[], where: string): MountSource =>
    under(stagingDir, shared)
      ? { source: stagingDir }
      : { source: stagingDir, warning: `${product} shares only ${shared.join(', ')} with its containers, and the staging folder ${stagingDir} is outside them: add it (or a folder above it) in ${where}.` };
  switch (host) {
    case 'native':
    case 'orbstack':
      return { source: stagingDir };
    case 'remote':
      // The plan never binds here (configDelivery is `archive`); a caller that does is told why it fails.
      return { source: stagingDir, warning: `The engine is on another machine: a bind mount of ${stagingDir} names a path there, not here; its files must go by archive.` };
    case 'dockerDesktopWindows':
      return /^[A-Za-z]:[\\/]/.test(stagingDir)
        ? { source: stagingDir }
        : { source: stagingDir, warning: `Docker Desktop mounts Windows drive paths (C:\\…); the staging folder ${stagingDir} is not one.` };
    case 'wslEngine': {
      const wsl = windowsToWsl(stagingDir, opts.wslAutomountRoot);
      return wsl
        ? { source: wsl }
        : { source: stagingDir, warning: `The engine runs in WSL, which sees Windows drives under ${opts.wslAutomountRoot ?? '/mnt/'}; the staging folder ${stagingDir} is not on a drive it can see.` };
    }
    case 'dockerDesktopMac':
      return outside('Docker Desktop', MAC_DESKTOP_SHARES, 'Docker Desktop > Settings > Resources > File sharing');
    case 'colima':
      return outside('Colima', home ? [home, '/tmp/colima'] : ['/tmp/colima'], '`colima start --mount PATH:w` (or the mounts of ~/.colima/default/colima.yaml)');
    case 'rancherDesktop':
      return outside('Rancher Desktop', home ? [home, '/tmp/rancher-desktop'] : ['/tmp/rancher-desktop'], 'the mounts of Rancher Desktop (override.yaml of its Lima VM)');
    case 'dockerDesktopLinux':
      return outside('Docker Desktop', home ? [home] : [], 'Docker Desktop > Settings > Resources > File sharing');
  }
}

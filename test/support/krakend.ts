// The real `krakend` command, however test-env found it: a binary it runs directly, or an image
// (a local or pulled official one) it runs with `docker run`. Tests and benchmarks that call
// `krakend check` go through here, so they work the same with either source.
import { spawnSync } from 'node:child_process';
import { getuid, getgid } from 'node:process';
import { requireComponent } from './env';

export interface KrakendRunOptions {
  /** The working directory; with an image it is mounted at the same path, read-write. */
  readonly cwd: string;
  /** Environment variables for krakend (USAGE_DISABLE=1 is always set). */
  readonly env?: Readonly<Record<string, string>>;
  /** More folders the arguments name (a schema, say), mounted read-only at the same path. */
  readonly mounts?: readonly string[];
  readonly timeoutMs?: number;
}

export interface KrakendResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface KrakendCli {
  /** For messages and benchmark tables: the binary's path, or `docker run <image>`. */
  readonly description: string;
  readonly version: string;
  /** The program and arguments that run `krakend <args>` (for timing whole processes). */
  command(args: readonly string[], options: KrakendRunOptions): { file: string; args: string[]; env: NodeJS.ProcessEnv };
  run(args: readonly string[], options: KrakendRunOptions): KrakendResult;
}

/** The found KrakenD as a command; throws requireComponent's reason when there is none. */
export function krakendCli(): KrakendCli {
  const k = requireComponent('krakend');
  const docker = k.binary ? undefined : requireComponent('docker');
  const command = (args: readonly string[], options: KrakendRunOptions): { file: string; args: string[]; env: NodeJS.ProcessEnv } => {
    const env = { USAGE_DISABLE: '1', ...options.env };
    if (k.binary) return { file: k.binary, args: [...args], env: { ...process.env, ...env } };
    const user = getuid && getgid ? ['--user', `${getuid()}:${getgid()}`] : [];
    return {
      file: '/usr/bin/docker',
      args: [
        'run', '--rm', '--network', 'host', '--entrypoint', '/usr/bin/krakend', ...user,
        '-v', `${options.cwd}:${options.cwd}`, '-w', options.cwd,
        ...(options.mounts ?? []).flatMap((m) => ['-v', `${m}:${m}:ro`]),
        ...Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
        k.image, ...args,
      ],
      env: { ...process.env, DOCKER_HOST: `unix://${docker!.socket}` },
    };
  };
  return {
    description: k.binary || `docker run ${k.image}`,
    version: k.version,
    command,
    run(args, options) {
      const c = command(args, options);
      const r = spawnSync(c.file, c.args, { cwd: options.cwd, env: c.env, encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 });
      if (r.error) throw new Error(`running ${c.file} ${c.args.join(' ')} failed: ${r.error.message}`);
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
  };
}

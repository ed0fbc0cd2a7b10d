/**
 * `krakend-live watch`'s arguments: the flags mirror the gateway settings of the extension
 * (`krakend.gateway.port`, `.image`, `.network`, `.reload`, `.hostIp`). Pure, so every flag is a
 * unit test.
 */
import { DEFAULT_GATEWAY_SETTINGS } from '../../../shared/settings';
import type { GatewaySettings } from '../../../shared/settings';
import { walkArgs } from '../../../shared/cliArgs';
import type { ArgSpec } from '../../../shared/cliArgs';

export const WATCH_USAGE = `usage: krakend-live watch [--port N] [--image REF] [--network bridge|host] [--reload blue-green|restart] [--host-ip IP] [--verbose] FILE

Runs FILE in a local KrakenD container (Docker) and keeps it running as you change it: every change
on disk (any editor, git checkout) to FILE or to a file its check read (Flexible Configuration
settings, partials, templates) is checked first. A change with errors prints them and the gateway
keeps serving the last good config; a valid one is reloaded without dropping a request (blue/green).
  --port N             host port the gateway is published on (default ${DEFAULT_GATEWAY_SETTINGS.port}; krakend.gateway.port)
  --image REF          KrakenD image (default: krakend:<version of $schema>; krakend.gateway.image)
  --network MODE       bridge (default) or host (krakend.gateway.network)
  --reload MODE        blue-green (default) or restart (krakend.gateway.reload)
  --host-ip IP         host address the port is published on (default ${DEFAULT_GATEWAY_SETTINGS.hostIp}; krakend.gateway.hostIp)
  --verbose            also print what the gateway controller does
Flexible Configuration: FC_ENABLE, FC_SETTINGS, FC_PARTIALS, FC_TEMPLATES and FC_OUT as for
\`krakend-live check\` (and krakend). Docker: DOCKER_HOST as for the docker CLI.
Ctrl-C (SIGINT) or SIGTERM stops the gateway, removes its containers and exits 0.`;

/** The settings a flag can set. */
export type WatchSettings = Pick<GatewaySettings, 'port' | 'image' | 'network' | 'reload' | 'hostIp'>;

export interface WatchArgs {
  readonly file: string;
  readonly settings: Partial<WatchSettings>;
  readonly verbose: boolean;
}

/** The help text (`help`), or a usage error (`error`, with the usage after it). */
export type WatchArgsResult = { readonly args: WatchArgs } | { readonly help: string } | { readonly error: string };

type Flag = keyof WatchSettings;

const FLAGS: Readonly<Record<string, Flag>> = { '--port': 'port', '--image': 'image', '--network': 'network', '--reload': 'reload', '--host-ip': 'hostIp' };

/** One flag's value, checked as the setting's schema in package.json checks it. */
function flagValue(flag: string, key: Flag, raw: string | undefined): Partial<WatchSettings> | string {
  if (raw === undefined || raw === '') return `${flag} takes a value`;
  switch (key) {
    case 'port': {
      const n = Number(raw);
      return /^\d+$/.test(raw) && n >= 1 && n <= 65535 ? { port: n } : `${flag} takes a port from 1 to 65535, not '${raw}'`;
    }
    case 'network':
      return raw === 'bridge' || raw === 'host' ? { network: raw } : `${flag} takes bridge or host, not '${raw}'`;
    case 'reload':
      return raw === 'blue-green' || raw === 'restart' ? { reload: raw } : `${flag} takes blue-green or restart, not '${raw}'`;
    case 'image':
      return { image: raw };
    case 'hostIp':
      return { hostIp: raw };
  }
}

const WATCH_ARGS: ArgSpec = {
  options: { ...Object.fromEntries(Object.keys(FLAGS).map((f) => [f, 'value' as const])), '--verbose': 'flag' },
  aliases: { '-v': '--verbose' },
};

/** Parses the arguments after `watch`. */
export function parseWatchArgs(argv: readonly string[]): WatchArgsResult {
  const walked = walkArgs(argv, WATCH_ARGS);
  if ('help' in walked) return { help: WATCH_USAGE };
  if ('error' in walked) return walked;
  const settings: Partial<{ -readonly [K in Flag]: WatchSettings[K] }> = {};
  let verbose = false;
  for (const { name, value } of walked.options) {
    const key = FLAGS[name];
    if (key === undefined) {
      verbose = true;
      continue;
    }
    const v = flagValue(name, key, value);
    if (typeof v === 'string') return { error: v };
    Object.assign(settings, v);
  }
  const { files } = walked;
  if (files.length !== 1) return { error: files.length === 0 ? 'no FILE given' : `watch runs one FILE, not ${files.length}` };
  return { args: { file: files[0]!, settings, verbose } };
}

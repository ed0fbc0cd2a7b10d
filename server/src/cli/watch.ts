/**
 * `watch`: the terminal's validated, zero-downtime `:watch` (client/src/terminal/watch.ts, on the
 * extension's gateway controller). It needs Docker and the gateway, so dist/cli.js requires it
 * (dist/watch.js) only when this command runs; `check` loads none of it.
 */
import type * as TerminalWatch from '../../../client/src/terminal/watch';
import { WATCH_USAGE } from '../../../client/src/terminal/watchArgs';
import type { Subcommand } from './subcommand';

export const watch: Subcommand = {
  usage: WATCH_USAGE,
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  run: (args) => (require('../../../client/src/terminal/watch') as typeof TerminalWatch).watchMain(args),
};

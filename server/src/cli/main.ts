/**
 * The CLI's entry point (dist/cli.js): `node dist/cli.js SUBCOMMAND …`. Each subcommand is a
 * file of its own in this folder, listed in SUBCOMMANDS; this file only dispatches and exits.
 */
import { setFlagsFromString } from 'node:v8';
import { audit } from './audit';
import { check } from './check';
import { render } from './render';
import type { Subcommand } from './subcommand';
import { watch } from './watch';

/** Every subcommand by name. A new one is a file beside this one and a line here. */
const SUBCOMMANDS: ReadonlyMap<string, Subcommand> = new Map([
  ['check', check],
  ['watch', watch],
  ['audit', audit],
  ['render', render],
]);

const USAGE = [...SUBCOMMANDS.values()].map((c) => c.usage).join('\n\n');

async function main(argv: readonly string[]): Promise<number> {
  // A check allocates a tree, a decoded copy and a plain copy of the file, almost all of it
  // alive until the end: grown in Node's default steps, the young generation is scavenged and
  // copied over and over on the way to its 16 MB. One step straight there saves a 5,000-endpoint
  // check about a tenth of its time. (The language server gets --max-semi-space-size instead;
  // a command run as `node dist/cli.js` cannot pass Node flags, and this one applies at once.)
  setFlagsFromString('--semi-space-growth-factor=16');
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const subcommand = name === undefined ? undefined : SUBCOMMANDS.get(name);
  if (!subcommand) {
    process.stderr.write(`unknown command ${name === undefined ? '(none)' : `'${name}'`}\n${USAGE}\n`);
    return 2;
  }
  return subcommand.run(args);
}

/**
 * Exits once stdout and stderr have taken everything written. Left to itself, Node would first
 * free the whole heap, tens of megabytes after a large file, which takes longer than some of the
 * check's stages; main has already waited for everything it started.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  process.stderr.write('', () => process.stdout.write('', () => process.exit(code)));
}

// A reader that stops early (`| head`) is not an error of the check.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    exitWhenFlushed(code);
  },
  (e: unknown) => {
    process.stderr.write(`krakend-live: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);

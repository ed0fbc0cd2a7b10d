/** Files named on the command line, read the one way every subcommand reads them. */
import { readFileSync } from 'node:fs';

/**
 * `file` as UTF-8 text; when it cannot be read, `<label>: cannot read: <reason>` goes to `err` and
 * the result is undefined (the subcommand decides whether that ends it). Synchronous: the CLI reads
 * one file at a time anyway, and a cold process pays for every promise.
 */
export function readArgFile(file: string, err: NodeJS.WritableStream, label = file): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    err.write(`${label}: cannot read: ${e instanceof Error ? e.message : String(e)}\n`);
    return undefined;
  }
}

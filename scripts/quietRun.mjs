// Runs a noisy build step for scripts/start.mjs: its output is kept, and shown whole only when it
// fails. On success only the lines matching `keep` are printed (vsce's "Packaged: … (N files, size)"),
// not the packager's listing of every file in the .vsix.
import { spawnSync } from 'node:child_process';

/** Runs `cmd`; returns its exit status. Prints the `keep` lines on success, everything on failure. */
export function runQuietly(cmd, args, options = {}, keep = /Packaged:/) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status === 0) {
    for (const line of output.split('\n')) if (keep.test(line)) console.log(line.trim());
  } else {
    process.stdout.write(output);
  }
  return r.status ?? 1;
}

// `npm run bench`: runs every bench/*.bench.ts in turn, each in its own process so one
// benchmark's heap and JIT state do not colour the next.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_NODE_FLAGS } from '../client/src/serverFlags';

const only = process.argv.slice(2);
const files = readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f}`);
  // With the language server's own Node flags, so the core is timed as it runs in the editor.
  const r = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', '--expose-gc', join(__dirname, f)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);

// Copies the screenshots the Marketplace README shows from the last e2e run
// (test/e2e/artifacts, git-ignored) to media/screenshots (committed; vsce turns the README's relative
// image links into repository URLs, so they are not packaged into the .vsix).
// Usage: npm run test:e2e && node scripts/updateScreenshots.mjs
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'test', 'e2e', 'artifacts');
const to = join(root, 'media', 'screenshots');

/** Scenario screenshots used by README.md, in the order the README shows them. */
export const README_SCREENSHOTS = [
  'duplicate-endpoint.png',
  'json-syntax-error.png',
  'check-configuration-command.png',
  'start-without-docker.png',
  'untrusted-workspace.png',
  'gateway-start.png',
  'gateway-invalid-save-keeps-serving.png',
  'gateway-logs.png',
  'completion-namespace-suggest.png',
  'quickfix-manual-param-menu.png',
  'try-endpoint-lens.png',
];

mkdirSync(to, { recursive: true });
let missing = 0;
for (const name of README_SCREENSHOTS) {
  const src = join(from, name);
  if (!existsSync(src)) {
    console.warn(`missing: ${name} (its scenario did not pass in the last run)`);
    missing++;
    continue;
  }
  copyFileSync(src, join(to, name));
  console.log(`${name}  (${new Date(statSync(src).mtimeMs).toISOString()})`);
}
process.exitCode = missing > 0 ? 1 : 0;

// Copies the screenshots the Marketplace README shows from the last e2e run
// (test/e2e/artifacts, git-ignored) to media/screenshots (committed; vsce turns the README's relative
// image links into repository URLs, so they are not packaged into the .vsix).
// Usage: npm run test:e2e && node scripts/updateScreenshots.mjs
//
// The list is the README's own: every `media/screenshots/<name>.png` it links, so a screenshot
// added to the README is retaken with the others and none is copied that nobody shows. Exits 1
// when one is missing from the run (its scenario did not pass) and names the committed PNGs the
// README no longer links, so they can be deleted.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'test', 'e2e', 'artifacts');
const to = join(root, 'media', 'screenshots');

/** Scenario screenshots used by README.md, in the order the README shows them. */
export const README_SCREENSHOTS = [
  ...new Set([...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/\(media\/screenshots\/([\w.-]+\.png)\)/g)].map((m) => m[1])),
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
  console.log(`${name}  (${new Date(statSync(src).mtimeMs).toISOString()}, ${Math.round(statSync(src).size / 1024)} KB)`);
}
for (const name of readdirSync(to).filter((n) => n.endsWith('.png') && !README_SCREENSHOTS.includes(n))) {
  console.warn(`not in the README: media/screenshots/${name} (delete it)`);
}
process.exitCode = missing > 0 ? 1 : 0;

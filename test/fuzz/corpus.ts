/**
 * The seeds a fuzz run mutates: every JSON and YAML file under test/fixtures (the fuzz
 * findings in test/fixtures/fuzz included, so a fixed crash keeps being mutated around).
 *
 * An input has a kind, which says which mutators and targets apply. Adding a kind (the
 * Flexible Configuration templates, say) means: its file extensions here, its mutators in
 * generate.ts, and a target in targets.ts that accepts it.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';

export type InputKind = 'json' | 'yaml';

export interface Seed {
  /** The fixture's path from the repository root. */
  readonly name: string;
  readonly kind: InputKind;
  readonly text: string;
}

/** The file extensions a seed is read from, and the kind each gives. */
export const SEED_EXTENSIONS: Readonly<Record<string, InputKind>> = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml' };

/** The file name an input of this kind is checked under (the format follows the extension, as in KrakenD). */
export function fileNameFor(kind: InputKind): string {
  return kind === 'yaml' ? 'krakend.yaml' : 'krakend.json';
}

/** Seeds larger than this are left out: they slow every mutation and find nothing more. */
const MAX_SEED_BYTES = 256 * 1024;

/** Every seed under `dir`, sorted by name so a seed number means the same file on every machine. */
export function loadSeeds(repoRoot: string, dir = join(repoRoot, 'test', 'fixtures')): Seed[] {
  const out: Seed[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else {
        const kind = SEED_EXTENSIONS[extname(name).toLowerCase()];
        if (kind && st.size <= MAX_SEED_BYTES) out.push({ name: relative(repoRoot, path), kind, text: readFileSync(path, 'utf8') });
      }
    }
  };
  walk(dir);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

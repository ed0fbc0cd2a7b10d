// Flexible Configuration fixtures: test/fixtures/fc/{valid,broken}/<case>/, each a small FC
// project (krakend.tmpl, settings/, partials/, templates/) with an optional fixture.json:
//   { "main": "krakend.json", "folders": ["settings"], "env": {...},
//     "warnings": 2, "error": { "file": "settings/x.json", "line": 4, "code": "json/syntax" } }
// `folders` (default: whichever of settings/, partials/, templates/ exist) become FC_SETTINGS,
// FC_PARTIALS and FC_TEMPLATES; a broken fixture names its one expected error.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FlexibleCheckOutput, FlexibleReaders } from '../../server/src/core/flexible';
import { checkFlexibleProject } from '../../server/src/core/flexible';

export const FC_FIXTURES = resolve(__dirname, '..', 'fixtures', 'fc');

export interface FcManifest {
  readonly main?: string;
  readonly folders?: readonly ('settings' | 'partials' | 'templates')[];
  readonly env?: Readonly<Record<string, string>>;
  /** Warnings a valid fixture is expected to give (`<no value>`, duplicate settings keys). */
  readonly warnings?: number;
  readonly error?: { readonly file: string; readonly line: number; readonly code: string };
}

export interface FcFixture {
  readonly name: string;
  readonly dir: string;
  readonly valid: boolean;
  readonly main: string;
  readonly folders: { settings?: string; partials?: string; templates?: string };
  readonly manifest: FcManifest;
}

export function fcFixtures(kind: 'valid' | 'broken'): FcFixture[] {
  const base = join(FC_FIXTURES, kind);
  return readdirSync(base)
    .filter((n) => statSync(join(base, n)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(base, name);
      const mf = join(dir, 'fixture.json');
      const manifest = (existsSync(mf) ? JSON.parse(readFileSync(mf, 'utf8')) : {}) as FcManifest;
      const present = (['settings', 'partials', 'templates'] as const).filter((f) => existsSync(join(dir, f)));
      const folders: FcFixture['folders'] = {};
      for (const f of manifest.folders ?? present) folders[f] = f;
      return { name, dir, valid: kind === 'valid', main: manifest.main ?? 'krakend.tmpl', folders, manifest };
    });
}

/** Real file-system readers rooted at the fixture (paths are relative, as KrakenD's cwd is). */
export function fixtureReaders(f: FcFixture): FlexibleReaders {
  return {
    listDir: (d) => {
      const p = join(f.dir, d);
      return existsSync(p) && statSync(p).isDirectory() ? readdirSync(p) : undefined;
    },
    readFile: (p) => {
      try {
        return readFileSync(join(f.dir, p), 'utf8');
      } catch {
        return undefined;
      }
    },
    env: (n) => f.manifest.env?.[n],
    now: () => new Date(Date.UTC(2024, 2, 5, 14, 7, 9)),
  };
}

export function checkFixture(f: FcFixture): FlexibleCheckOutput {
  return checkFlexibleProject({ mainPath: f.main, mainText: readFileSync(join(f.dir, f.main), 'utf8'), options: f.folders, readers: fixtureReaders(f) });
}

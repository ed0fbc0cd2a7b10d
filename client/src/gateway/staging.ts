/**
 * The staging folder: the only thing the container mounts (read-only, at /etc/krakend).
 * A file reaches it only after a check passed, one file at a time, each atomically (write a
 * temp file in the same folder, then rename over the old one), so KrakenD, and reflex in a
 * `:watch` image, never see a half-written file.
 *
 * What is staged (decision): the config file itself, plus the top-level sibling files in its
 * folder with the extensions KrakenD's parsers read (.json .yaml .yml .toml), because configs
 * commonly sit next to the data files they are run with and a folder is what users mount with
 * `-v $PWD:/etc/krakend`. Subfolders (Flexible Configuration's settings/templates/partials,
 * TLS files, plugins, Lua) are not staged: they are not checked yet, and staging unchecked
 * code would defeat the purpose. The main file is written last, so a `:watch` image's reflex
 * (which batches events until 300 ms of quiet) sees one change set.
 *
 * Flexible Configuration is the exception: its folders are checked with the template (the check
 * renders it with them), so they are staged too, under fixed names the container's FC_* variables
 * point at: `settings/` (top-level .json, as KrakenD reads them), `templates/` (top-level .tmpl) and
 * `partials/` (every file below it, as `include` may name any of them). Without FC_PARTIALS, an
 * `include` reads from KrakenD's working folder: the files it read are staged at the same relative
 * path (those inside the configuration's folder; the container sees nothing outside it).
 */
import { chmod, mkdir, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';

export const STAGED_EXTENSIONS: readonly string[] = ['.json', '.yaml', '.yml', '.toml'];
/** Bigger siblings are data dumps, not config. */
export const MAX_SIBLING_BYTES = 1024 * 1024;
export const MAX_SIBLINGS = 50;
const TEMP_PREFIX = '.staging-';

export interface StagedFile {
  /** Path inside the staging folder, forward slashes: a base name, or under an FC folder. */
  readonly name: string;
  readonly content: Buffer;
}

export interface StageReport {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
}

/** The Flexible Configuration folders a check used (absolute host paths); see CheckResultParams. */
export interface FlexibleFolders {
  readonly settings?: string;
  readonly partials?: string;
  readonly templates?: string;
  /**
   * Every file the render read (absolute). With FC_PARTIALS unset, `include "a/b.json"` reads
   * `a/b.json` from KrakenD's working folder, which in the container is the staging folder: those
   * files are staged at that path. Files outside the configuration's folder cannot be (the
   * container mounts the staging folder only), so such an include reads nothing there.
   */
  readonly files?: readonly string[];
}

/** Where each FC folder is staged, relative to the staging folder (and so to /etc/krakend). */
export const STAGED_FC_FOLDERS = { settings: 'settings', partials: 'partials', templates: 'templates' } as const;
/** Which Flexible Configuration folders a set of staged names (relative paths) has files in. */
export function flexibleFoldersIn(names: readonly string[]): { settings: boolean; partials: boolean; templates: boolean } {
  const has = (folder: string): boolean => names.some((n) => n.startsWith(`${folder}/`));
  return { settings: has(STAGED_FC_FOLDERS.settings), partials: has(STAGED_FC_FOLDERS.partials), templates: has(STAGED_FC_FOLDERS.templates) };
}

/** More partials than this, or bigger ones, are not the templates' business. */
export const MAX_PARTIALS = 500;

/**
 * The files to stage for `configPath`: stageable siblings first (sorted), then a Flexible
 * Configuration's folders when it has any, the config last. `mainContent` is the exact text that
 * was checked when the caller has it (the open document), so a save racing the check cannot slip
 * unchecked bytes in; otherwise the file is read.
 */
export async function collectConfigFiles(configPath: string, mainContent?: string | Buffer, flexible?: FlexibleFolders): Promise<StagedFile[]> {
  const dir = dirname(configPath);
  const mainName = basename(configPath);
  const main: StagedFile = { name: mainName, content: mainContent === undefined ? await readFile(configPath) : Buffer.from(mainContent) };
  const siblings: StagedFile[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!e.isFile() || e.name === mainName || e.name.startsWith('.')) continue;
    if (!STAGED_EXTENSIONS.includes(extname(e.name).toLowerCase())) continue;
    if (siblings.length >= MAX_SIBLINGS) break;
    const p = join(dir, e.name);
    const st = await stat(p);
    if (st.size > MAX_SIBLING_BYTES) continue;
    siblings.push({ name: e.name, content: await readFile(p) });
  }
  const fc: StagedFile[] = [];
  if (flexible?.settings) fc.push(...(await topLevel(flexible.settings, '.json', STAGED_FC_FOLDERS.settings)));
  if (flexible?.templates) fc.push(...(await topLevel(flexible.templates, '.tmpl', STAGED_FC_FOLDERS.templates)));
  if (flexible?.partials) fc.push(...(await below(flexible.partials, STAGED_FC_FOLDERS.partials)));
  if (flexible && !flexible.partials && flexible.files) fc.push(...(await includedInPlace(dir, configPath, flexible, [...siblings, ...fc].map((f) => f.name))));
  return [...siblings, ...fc, main];
}

/** Files an `include` read without FC_PARTIALS, at their path relative to the configuration. */
async function includedInPlace(dir: string, configPath: string, flexible: FlexibleFolders, staged: readonly string[]): Promise<StagedFile[]> {
  const out: StagedFile[] = [];
  const folders = [flexible.settings, flexible.templates].filter((f): f is string => !!f);
  const taken = new Set(staged);
  for (const file of flexible.files ?? []) {
    if (file === configPath || folders.some((f) => dirname(file) === f)) continue;
    const name = relative(dir, file).split(sep).join('/');
    if (name === '' || name.startsWith('../') || isAbsolute(name) || name.split('/').some((p) => p.startsWith('.')) || taken.has(name)) continue;
    if (out.length >= MAX_PARTIALS) break;
    try {
      if ((await stat(file)).size > MAX_SIBLING_BYTES) continue;
      out.push({ name, content: await readFile(file) });
      taken.add(name);
    } catch (err) {
      // Gone since the check: KrakenD would read nothing there either.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return out;
}

/** The top-level files of `dir` with extension `ext`, staged under `as/`; a missing folder gives none. */
async function topLevel(dir: string, ext: string, as: string): Promise<StagedFile[]> {
  const out: StagedFile[] = [];
  for (const e of (await readdirOrNone(dir)).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isFile() && extname(e.name) === ext && !e.name.startsWith('.')) out.push({ name: `${as}/${e.name}`, content: await readFile(join(dir, e.name)) });
  }
  return out;
}

/** Every file below `dir` (hidden ones and big ones skipped), staged under `as/`. */
async function below(dir: string, as: string): Promise<StagedFile[]> {
  const out: StagedFile[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of (await readdirOrNone(d)).sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= MAX_PARTIALS || e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && (await stat(p)).size <= MAX_SIBLING_BYTES) out.push({ name: `${as}/${relative(dir, p).split(sep).join('/')}`, content: await readFile(p) });
    }
  };
  await walk(dir);
  return out;
}

async function readdirOrNone(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** A staged name is relative, forward-slashed, with no hidden, empty, `.` or `..` part. */
function checkName(name: string): void {
  const parts = name.split('/');
  if (name.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..' || p.startsWith('.'))) throw new Error(`refusing to stage "${name}"`);
}

export class Staging {
  constructor(readonly dir: string) {}

  /** Creates the folder world-readable: KrakenD runs as uid 1000 inside the official image. */
  async ensure(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await chmod(this.dir, 0o755);
    // Temp files left by a crash mid-stage are never valid config.
    for (const name of await readdir(this.dir)) {
      if (name.startsWith(TEMP_PREFIX)) await rm(join(this.dir, name), { force: true });
    }
  }

  /** Writes one file atomically: temp file in the same folder (same filesystem), then rename. */
  async writeAtomic(name: string, content: Buffer): Promise<void> {
    checkName(name);
    const target = join(this.dir, ...name.split('/'));
    const folder = dirname(target);
    if (folder !== this.dir) {
      await mkdir(folder, { recursive: true });
      await chmod(folder, 0o755);
    }
    const tmp = join(folder, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${basename(target)}`);
    try {
      await writeFile(tmp, content, { mode: 0o644, flush: true });
      await chmod(tmp, 0o644);
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /**
   * Stages `files` in order, skipping files whose staged bytes are identical (a no-op write
   * would still wake reflex), then removes staged files that are no longer in the set.
   * `force` rewrites the last file even when unchanged (a manual restart of a `:watch` image).
   */
  async stage(files: readonly StagedFile[], force = false): Promise<StageReport> {
    await this.ensure();
    const written: string[] = [];
    const unchanged: string[] = [];
    for (const [i, f] of files.entries()) {
      const current = await this.read(f.name);
      if (current !== undefined && current.equals(f.content) && !(force && i === files.length - 1)) {
        unchanged.push(f.name);
        continue;
      }
      await this.writeAtomic(f.name, f.content);
      written.push(f.name);
    }
    const keep = new Set(files.map((f) => f.name));
    const removed: string[] = [];
    for (const name of await this.list()) {
      if (keep.has(name)) continue;
      await rm(join(this.dir, ...name.split('/')), { force: true });
      removed.push(name);
    }
    await this.pruneEmptyFolders(this.dir);
    return { written, unchanged, removed };
  }

  /**
   * The gate between a check and the gateway: stages only when the check passed. A failed
   * check returns undefined and touches nothing, so the gateway keeps its last good config.
   */
  async commit(check: { readonly ok: boolean }, files: () => Promise<readonly StagedFile[]>, force = false): Promise<StageReport | undefined> {
    if (!check.ok) return undefined;
    return this.stage(await files(), force);
  }

  /** Removes folders left empty below `dir` (an FC folder the config no longer uses). */
  private async pruneEmptyFolders(dir: string): Promise<boolean> {
    let empty = true;
    for (const e of await readdirOrNone(dir)) {
      if (e.isDirectory() && (await this.pruneEmptyFolders(join(dir, e.name)))) continue;
      empty = false;
    }
    if (empty && dir !== this.dir) await rmdir(dir);
    return empty;
  }

  async read(name: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.dir, ...name.split('/')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Every staged file, in the order `stage` wants them (siblings sorted, `mainName` last). */
  async snapshot(mainName: string): Promise<StagedFile[]> {
    const files: StagedFile[] = [];
    for (const name of await this.list()) {
      if (name === mainName) continue;
      const content = await this.read(name);
      if (content !== undefined) files.push({ name, content });
    }
    const main = await this.read(mainName);
    return main === undefined ? files : [...files, { name: mainName, content: main }];
  }

  async has(name: string): Promise<boolean> {
    return (await this.read(name)) !== undefined;
  }

  /** Every staged file, as a path relative to the folder (forward slashes), sorted. */
  async list(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (d: string, prefix: string): Promise<void> => {
      for (const e of await readdirOrNone(d)) {
        if (e.name.startsWith(TEMP_PREFIX)) continue;
        if (e.isDirectory()) await walk(join(d, e.name), `${prefix}${e.name}/`);
        else out.push(`${prefix}${e.name}`);
      }
    };
    await walk(this.dir, '');
    return out.sort();
  }

}

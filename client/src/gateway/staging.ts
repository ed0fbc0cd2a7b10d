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
 */
import { chmod, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const STAGED_EXTENSIONS: readonly string[] = ['.json', '.yaml', '.yml', '.toml'];
/** Bigger siblings are data dumps, not config. */
export const MAX_SIBLING_BYTES = 1024 * 1024;
export const MAX_SIBLINGS = 50;
const TEMP_PREFIX = '.staging-';

export interface StagedFile {
  /** Base name inside the staging folder. */
  readonly name: string;
  readonly content: Buffer;
}

export interface StageReport {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
}

/**
 * The files to stage for `configPath`: stageable siblings first (sorted), the config last.
 * `mainContent` is the exact text that was checked when the caller has it (the open document),
 * so a save racing the check cannot slip unchecked bytes in; otherwise the file is read.
 */
export async function collectConfigFiles(configPath: string, mainContent?: string | Buffer): Promise<StagedFile[]> {
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
  return [...siblings, main];
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
    if (name.includes('/') || name.includes('\\') || name.startsWith('.')) throw new Error(`refusing to stage "${name}"`);
    const tmp = join(this.dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${name}`);
    try {
      await writeFile(tmp, content, { mode: 0o644, flush: true });
      await chmod(tmp, 0o644);
      await rename(tmp, join(this.dir, name));
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
    for (const name of await readdir(this.dir)) {
      if (keep.has(name) || name.startsWith(TEMP_PREFIX)) continue;
      await rm(join(this.dir, name), { force: true, recursive: true });
      removed.push(name);
    }
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

  async read(name: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.dir, name));
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

  async list(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((n) => !n.startsWith(TEMP_PREFIX)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}

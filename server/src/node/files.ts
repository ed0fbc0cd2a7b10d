/** The server's file access, shared by the real entry point and the in-process tests. */
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/** Whether the file starts with a UTF-8 byte order mark (false when it cannot be read). */
export async function startsWithBom(path: string): Promise<boolean> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return false;
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(3), 0, 3, 0);
    return bytesRead === 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  } finally {
    await file.close();
  }
}

/** A file that may be a KrakenD configuration, with what tells a changed one apart. */
export interface FileStamp {
  readonly path: string;
  readonly mtimeMs: number;
  readonly size: number;
}

/** Folders never searched for configurations. */
const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', 'vendor']);

/**
 * The `.json`, `.yml` and `.yaml` files under `root`, for workspace symbols. Hidden and
 * dependency folders are skipped and the walk stops after `maxFiles`, so a huge workspace
 * cannot stall the server; unreadable folders are passed over.
 */
export async function listConfigCandidates(root: string, maxFiles = 5000): Promise<FileStamp[]> {
  const out: FileStamp[] = [];
  const queue = [root];
  while (queue.length > 0 && out.length < maxFiles) {
    const dir = queue.shift()!;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name)) queue.push(p);
      } else if (e.isFile() && /\.(json|ya?ml)$/i.test(e.name)) {
        const s = await stat(p).catch(() => undefined);
        if (s) out.push({ path: p, mtimeMs: s.mtimeMs, size: s.size });
        if (out.length >= maxFiles) break;
      }
    }
  }
  return out;
}

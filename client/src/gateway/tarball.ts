/**
 * A tar archive of the staged files, for an engine that cannot see this machine's folders
 * (plan.ts `configDelivery: 'archive'`): docker.ts puts it into the container through the
 * engine's archive API (`PUT /containers/{id}/archive`). Pure: files in, bytes out.
 *
 * POSIX ustar, which the engine's Go `archive/tar` reads: 512-byte headers, octal numbers, a
 * name that does not fit the 100-byte field split at a `/` into the 155-byte prefix, and a PAX
 * `path` record for one that fits neither. Every entry is owned by root (uid 0, gid 0), files
 * 0644 and folders 0755: the engine applies the header's owner, so KrakenD in the official image
 * (uid 1000) can read the configuration and cannot change it. dockerode's own tar-fs packs a
 * folder from disk; ours packs what was checked, from memory, with the owner and modes we choose.
 */

/** One file of the archive: a path relative to the archive's root, forward slashes. */
export interface TarFile {
  readonly name: string;
  readonly content: Buffer;
}

export interface TarOptions {
  /** Every entry goes below this folder (forward slashes, no leading or trailing `/`); its own folders get no entry. */
  readonly root?: string;
  /** Modification time of every entry, in seconds since the epoch. */
  readonly mtime: number;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  // width - 1 digits and a NUL, as GNU and Go's archive/tar write them.
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** Writes `text` (ASCII or UTF-8) at `offset`, at most `max` bytes. */
function put(header: Buffer, offset: number, text: string | Buffer, max: number): void {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  bytes.copy(header, offset, 0, Math.min(bytes.length, max));
}

/** `name` as ustar's name and prefix fields, or undefined when it fits neither. */
export function splitUstarName(name: string): { readonly name: string; readonly prefix: string } | undefined {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes <= 100) return { name, prefix: '' };
  // The prefix is everything before some `/`, at most 155 bytes; the rest at most 100.
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== '/') continue;
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix, 'utf8') <= 155 && Buffer.byteLength(rest, 'utf8') <= 100 && rest !== '') return { name: rest, prefix };
  }
  return undefined;
}

function header(fields: { name: string | Buffer; prefix?: string; mode: number; size: number; mtime: number; type: '0' | '5' | 'x' }): Buffer {
  const h = Buffer.alloc(BLOCK);
  put(h, 0, fields.name, 100);
  put(h, 100, octal(fields.mode, 8), 8);
  put(h, 108, octal(0, 8), 8);
  put(h, 116, octal(0, 8), 8);
  put(h, 124, octal(fields.size, 12), 12);
  put(h, 136, octal(Math.max(0, Math.floor(fields.mtime)), 12), 12);
  put(h, 148, '        ', 8);
  put(h, 156, fields.type, 1);
  put(h, 257, 'ustar\0', 6);
  put(h, 263, '00', 2);
  put(h, 265, 'root', 32);
  put(h, 297, 'root', 32);
  put(h, 345, fields.prefix ?? '', 155);
  let sum = 0;
  for (const b of h) sum += b;
  put(h, 148, `${sum.toString(8).padStart(6, '0')}\0 `, 8);
  return h;
}

function padded(content: Buffer): Buffer[] {
  const rest = content.length % BLOCK;
  return rest === 0 ? [content] : [content, Buffer.alloc(BLOCK - rest)];
}

/** A PAX record `"<len> path=<value>\n"`, whose length counts its own digits. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLen = Buffer.byteLength(body, 'utf8');
  // Adding the digits can add a digit (95 bytes + "95" = 97, but 99 + "99" = 101 needs three).
  let len = bodyLen + String(bodyLen).length;
  if (String(len).length !== String(bodyLen).length) len = bodyLen + String(len).length;
  return `${len}${body}`;
}

/** The header blocks of one entry (a PAX header first when its path fits no ustar field). */
function entry(path: string, mode: number, size: number, mtime: number, type: '0' | '5'): Buffer[] {
  const split = splitUstarName(path);
  if (split) return [header({ ...split, mode, size, mtime, type })];
  const pax = Buffer.from(paxRecord('path', path), 'utf8');
  // The ustar name of a PAX-named entry is only a fallback for readers without PAX.
  const fallback = Buffer.from(path, 'utf8').subarray(-100);
  return [header({ name: 'PaxHeader', mode: 0o644, size: pax.length, mtime, type: 'x' }), ...padded(pax), header({ name: fallback, mode, size, mtime, type })];
}

/** Refuses names that would leave the archive's root or hide a file (the same rule as staging's). */
function checkName(name: string): void {
  const parts = name.split('/');
  if (name.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..')) throw new Error(`refusing to archive "${name}"`);
}

/**
 * The archive of `files`, in their order, below `root`; each folder a file needs gets one entry
 * (0755) before its first file. Ends with the two zero blocks of the format.
 */
export function tarFiles(files: readonly TarFile[], options: TarOptions): Buffer {
  const root = (options.root ?? '').replace(/^\/+|\/+$/g, '');
  if (root !== '') checkName(root);
  const at = (p: string): string => (root === '' ? p : `${root}/${p}`);
  const blocks: Buffer[] = [];
  const folders = new Set<string>();
  const seen = new Set<string>();
  for (const f of files) {
    checkName(f.name);
    if (seen.has(f.name)) throw new Error(`"${f.name}" is in the archive twice`);
    seen.add(f.name);
    const parts = f.name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (folders.has(folder)) continue;
      folders.add(folder);
      blocks.push(...entry(`${at(folder)}/`, 0o755, 0, options.mtime, '5'));
    }
    blocks.push(...entry(at(f.name), 0o644, f.content.length, options.mtime, '0'), ...padded(f.content));
  }
  blocks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(blocks);
}

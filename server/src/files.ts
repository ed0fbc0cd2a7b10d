/** The server's file access, shared by the real entry point and the in-process tests. */
import { open, readFile } from 'node:fs/promises';

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

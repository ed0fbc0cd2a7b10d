/** The file reads of engine resolution (config.json, the context store), for the real machine. */
import { readFileSync } from 'node:fs';
import type { ReadTextFile } from './context';

/** Reads a text file; undefined when it (or a folder on its path) does not exist. */
export const readTextFile: ReadTextFile = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
};

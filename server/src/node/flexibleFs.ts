/**
 * The file access of a Flexible Configuration render, shared by the server and the CLI. The
 * core's readers are synchronous because Go's `include` reads a partial in the middle of
 * executing the template; the files are small, and a render reads each once.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { FlexibleReaders } from '../core/flexible';

/** The few file-system calls a render needs; tests may replace them. */
export interface FlexibleFs {
  /** The entry names of a folder, or undefined when it is not a readable folder. */
  listDir(path: string): readonly string[] | undefined;
  /** A file's text, or undefined when it is missing, unreadable or a folder. */
  readFile(path: string): string | undefined;
  isDir(path: string): boolean;
}

export const nodeFlexibleFs: FlexibleFs = {
  listDir(path) {
    try {
      return readdirSync(path);
    } catch {
      return undefined;
    }
  },
  readFile(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  isDir(path) {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
};

export interface ReaderOptions {
  /**
   * Where relative paths are read from: KrakenD's working directory. The CLI's is the process's;
   * the editor's is the configuration's folder, which is where the gateway container runs KrakenD.
   */
  readonly baseDir: string;
  /** The editor's unsaved text of a file, by absolute path; it wins over the disk. */
  readonly overlay?: (path: string) => string | undefined;
  readonly env: (name: string) => string | undefined;
  readonly now?: () => Date;
}

/** The core's readers over a FlexibleFs, with relative paths taken from `baseDir`. */
export function flexibleReaders(fs: FlexibleFs, options: ReaderOptions): FlexibleReaders {
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(options.baseDir, p));
  return {
    listDir: (dir) => fs.listDir(abs(dir)),
    readFile: (path) => options.overlay?.(abs(path)) ?? fs.readFile(abs(path)),
    env: options.env,
    now: options.now ?? (() => new Date()),
  };
}

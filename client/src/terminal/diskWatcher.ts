/**
 * Watches the files a check read, by watching their folders: editors save by renaming a temp file
 * over the old one and `git checkout` deletes and creates, and a watch on the file itself would
 * follow the old inode and go quiet. Events are coalesced for `debounceMs`, so one save, or one
 * checkout of many files, is one change.
 */
import { watch as fsWatch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';
import { dependsOn } from '../../../server/src/core/flexible';
import type { RenderDependencies } from '../../../server/src/core/flexible';
import { foldersOf } from './watchCheck';

/** node:fs's watch, narrowed to what is used here, so tests can inject their own. */
export type WatchFolder = (folder: string, onEvent: (filename: string | null) => void, onError: (err: Error) => void) => { close(): void };

const nodeWatchFolder: WatchFolder = (folder, onEvent, onError) => {
  const w: FSWatcher = fsWatch(folder, { persistent: true }, (_event, filename) => onEvent(typeof filename === 'string' ? filename : null));
  w.on('error', onError);
  return w;
};

export interface DiskWatcherOptions {
  /** Quiet time after the last event before a change is reported. */
  readonly debounceMs: number;
  /** Called with the changed paths (absolute) and when the first of them was seen (performance.now()). */
  readonly onChange: (paths: readonly string[], firstSeenAt: number) => void;
  readonly onWarning?: (message: string) => void;
  readonly watchFolder?: WatchFolder;
  readonly now?: () => number;
}

export class DiskWatcher {
  private readonly watchers = new Map<string, { close(): void }>();
  private deps: RenderDependencies = { files: new Set(), dirs: new Map() };
  private pending = new Set<string>();
  private firstSeenAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly now: () => number;

  constructor(private readonly options: DiskWatcherOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** The folders being watched. */
  get folders(): string[] {
    return [...this.watchers.keys()].sort();
  }

  /**
   * Watches what the latest check read. Folders no longer needed are let go; a folder that could
   * not be watched (missing, or removed and made again by a checkout) is tried again each time.
   */
  follow(deps: RenderDependencies): void {
    if (this.disposed) return;
    this.deps = deps;
    const wanted = new Set(foldersOf(deps));
    for (const [folder, w] of this.watchers) {
      if (!wanted.has(folder)) {
        w.close();
        this.watchers.delete(folder);
      }
    }
    for (const folder of wanted) if (!this.watchers.has(folder)) this.open(folder);
  }

  private open(folder: string): void {
    const watchFolder = this.options.watchFolder ?? nodeWatchFolder;
    try {
      const w = watchFolder(
        folder,
        (filename) => this.event(folder, filename),
        (err) => {
          // A watched folder that goes away (a checkout that replaces it) ends its watcher.
          this.options.onWarning?.(`stopped watching ${folder}: ${err.message}`);
          this.watchers.get(folder)?.close();
          this.watchers.delete(folder);
          this.event(folder, null);
        },
      );
      this.watchers.set(folder, w);
    } catch (err) {
      this.options.onWarning?.(`cannot watch ${folder}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private event(folder: string, filename: string | null): void {
    if (this.disposed) return;
    if (filename !== null) {
      const path = join(folder, filename);
      if (!dependsOn(this.deps, path, folder)) return;
      this.pending.add(path);
    } else {
      // The platform did not say which file: anything the check read may have changed.
      for (const f of this.deps.files) if (dirname(f) === folder) this.pending.add(f);
    }
    this.firstSeenAt ??= this.now();
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.options.debounceMs);
  }

  private flush(): void {
    this.timer = undefined;
    const paths = [...this.pending].sort();
    const at = this.firstSeenAt ?? this.now();
    this.pending = new Set();
    this.firstSeenAt = undefined;
    if (paths.length > 0 && !this.disposed) this.options.onChange(paths, at);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}

/**
 * Who published what. One check of a Flexible Configuration reports problems in many files (the
 * template, partials, settings, sub-templates), and one partial may be used by several
 * configurations, while LSP's publishDiagnostics replaces a file's whole list. So each check
 * (its *owner*: the configuration's URI) sets the problems it found per file, and a file's list
 * is the union of what its owners report. Pure bookkeeping, no Connection: serve.ts publishes.
 */
import type { Diagnostic } from 'vscode-languageserver/node';
import { dependsOn } from '../core/flexible';
import type { RenderDependencies } from '../core/flexible';

export class Publications {
  /** File URI → owner → that owner's problems in the file. */
  private readonly byFile = new Map<string, Map<string, readonly Diagnostic[]>>();
  /** Owner → the files it currently reports on (with or without problems). */
  private readonly filesOf = new Map<string, Set<string>>();
  /** File URI → the list last published, to publish only what changed. */
  private readonly shown = new Map<string, string>();

  /**
   * Replaces everything `owner` reports. Returns the lists to publish: every file whose union
   * changed, plus `always` (the checked file itself, which is published after every check).
   */
  set(owner: string, files: ReadonlyMap<string, readonly Diagnostic[]>, always?: string): Map<string, Diagnostic[]> {
    const touched = new Set<string>(this.filesOf.get(owner) ?? []);
    for (const uri of touched) this.byFile.get(uri)?.delete(owner);
    const mine = new Set<string>();
    for (const [uri, diagnostics] of files) {
      mine.add(uri);
      touched.add(uri);
      let owners = this.byFile.get(uri);
      if (!owners) {
        owners = new Map();
        this.byFile.set(uri, owners);
      }
      owners.set(owner, diagnostics);
    }
    if (mine.size > 0) this.filesOf.set(owner, mine);
    else this.filesOf.delete(owner);
    if (always !== undefined) touched.add(always);
    return this.changes(touched, always);
  }

  /** Takes away everything `owner` reported (it closed, or is no longer checked). */
  clear(owner: string, always?: string): Map<string, Diagnostic[]> {
    return this.set(owner, new Map(), always);
  }

  /** Whether owners other than `owner` report on the file (with or without problems). */
  reportedByOthers(uri: string, owner: string): boolean {
    for (const o of this.byFile.get(uri)?.keys() ?? []) if (o !== owner) return true;
    return false;
  }

  /** Whether any owner reports problems in the file. */
  hasProblems(uri: string): boolean {
    for (const d of this.byFile.get(uri)?.values() ?? []) if (d.length > 0) return true;
    return false;
  }

  /** The files an owner reports on. */
  filesOfOwner(owner: string): ReadonlySet<string> {
    return this.filesOf.get(owner) ?? new Set();
  }

  private changes(uris: Iterable<string>, always: string | undefined): Map<string, Diagnostic[]> {
    const out = new Map<string, Diagnostic[]>();
    for (const uri of uris) {
      const list = this.union(uri);
      const key = JSON.stringify(list);
      if (uri !== always && (this.shown.get(uri) ?? '[]') === key) continue;
      if (list.length === 0) this.shown.delete(uri);
      else this.shown.set(uri, key);
      out.set(uri, list);
    }
    return out;
  }

  /** The owners' problems together; two configurations using one partial report its fault once. */
  private union(uri: string): Diagnostic[] {
    const owners = this.byFile.get(uri);
    if (!owners) return [];
    if (owners.size === 0) {
      this.byFile.delete(uri);
      return [];
    }
    if (owners.size === 1) return [...owners.values().next().value!];
    const seen = new Set<string>();
    const out: Diagnostic[] = [];
    for (const list of owners.values()) {
      for (const d of list) {
        const key = JSON.stringify([d.range, d.code, d.severity, d.message]);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(d);
      }
    }
    return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }
}

/** What the last render of a configuration read, for re-checking it when one of those changes. */
export interface Dependencies extends RenderDependencies {
  /** The text it read of each file, to tell whether an opened document differs. */
  readonly texts: ReadonlyMap<string, string>;
}

/** Configuration URI → what its last Flexible Configuration render depended on, and the reverse. */
export class DependencyIndex {
  private readonly byConfig = new Map<string, Dependencies>();

  set(config: string, deps: Dependencies): void {
    this.byConfig.set(config, deps);
  }

  delete(config: string): void {
    this.byConfig.delete(config);
  }

  get(config: string): Dependencies | undefined {
    return this.byConfig.get(config);
  }

  /** The configurations that read `path`, or list the folder `dir` it is in. */
  dependents(path: string, dir: string): string[] {
    const out: string[] = [];
    for (const [config, deps] of this.byConfig) if (dependsOn(deps, path, dir)) out.push(config);
    return out;
  }
}

/**
 * Which saves are deliberate. With `files.autoSave`, VS Code saves half-typed text after a delay
 * or on focus change; such text can be valid without being meant (`"/greeting"` becomes `"/"` on
 * the way to `"/hello"`). `krakend.gateway.reloadOn: save` reloads only on saves the user made.
 * Pure: the manager feeds it `onWillSaveTextDocument`'s reasons.
 */
import type { ReloadOn } from '../../../shared/settings';

export type SaveKind = 'manual' | 'auto';

export class SaveReasons {
  /** Saves whose check result has not come in yet, by document URI. */
  private readonly pending = new Map<string, SaveKind>();
  private latest: SaveKind | undefined;

  /** A document is about to be saved. */
  willSave(uri: string, kind: SaveKind): void {
    this.pending.set(uri, kind);
    this.latest = kind;
  }

  /**
   * Whether a passing `save` check of `configUri` may reload its gateway. The config's own save
   * decides when it has one pending. Otherwise a change on disk (`fromDisk`: a git checkout, another
   * editor) is deliberate, and a check that followed the save of a file it reads (a partial, a
   * settings file) takes the latest save's reason. A save never seen (made before activation)
   * counts as deliberate.
   */
  applies(configUri: string, reloadOn: ReloadOn, fromDisk = false): boolean {
    const own = this.pending.get(configUri);
    this.pending.delete(configUri);
    if (reloadOn === 'everySave') return true;
    if (own !== undefined) return own !== 'auto';
    return fromDisk || this.latest !== 'auto';
  }

  /** A document closed: its pending save will have no check. */
  forget(uri: string): void {
    this.pending.delete(uri);
  }
}

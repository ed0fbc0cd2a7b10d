/**
 * What one Flexible Configuration render depended on, so a change to any of it is noticed: the
 * language server re-checks the configurations that read a saved or changed file, and the
 * terminal `watch` watches exactly these files and folders.
 */
import type { FlexibleOptions, FlexibleRender } from './project';

export interface RenderDependencies {
  /** Absolute paths of every file the render read or tried to read (a missing partial included). */
  readonly files: ReadonlySet<string>;
  /**
   * Folders whose listing it read, with the file suffix it takes from them (FC_SETTINGS `.json`,
   * FC_TEMPLATES `.tmpl`): a new file there matters too.
   */
  readonly dirs: ReadonlyMap<string, string>;
}

/** The dependencies of `render`; `abs` turns the render's paths (as the readers took them) absolute. */
export function renderDependencies(render: FlexibleRender, options: FlexibleOptions, abs: (path: string) => string): RenderDependencies {
  return {
    files: new Set([...render.texts.keys(), ...render.templatePaths.values(), ...render.partialPaths.values()].map(abs)),
    dirs: new Map([
      ...(options.settings ? [[abs(options.settings), '.json'] as const] : []),
      ...(options.templates ? [[abs(options.templates), '.tmpl'] as const] : []),
    ]),
  };
}

/** Whether a change to the file `path` (in the folder `dir`) matters to a render with these dependencies. */
export function dependsOn(deps: RenderDependencies, path: string, dir: string): boolean {
  const suffix = deps.dirs.get(dir);
  return deps.files.has(path) || (suffix !== undefined && path.endsWith(suffix));
}

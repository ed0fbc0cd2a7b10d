/**
 * The files a Flexible Configuration reads besides the configuration: the language client syncs
 * them too, so the server sees a partial's or settings file's unsaved text and its saves (and
 * re-checks every configuration that uses it). Pure: no `vscode` here.
 */

export interface FlexibleFolderNames {
  readonly settings: string;
  readonly partials: string;
  readonly templates: string;
}

/** The folder's last path element: a setting may be `../shared/settings` or an absolute path. */
function folderName(setting: string, conventional: string): string {
  const parts = setting.split(/[/\\]+/).filter((p) => p !== '' && p !== '.' && p !== '..');
  return (parts[parts.length - 1] ?? conventional).replace(/[{}[\]*?!]/g, '?');
}

/**
 * Glob patterns of the files Flexible Configurations may read: `*.json` in settings folders,
 * `*.tmpl` in templates folders, anything under partials folders. Folders are matched by name
 * anywhere in the workspace; the server ignores files no configuration reads.
 */
export function flexibleFileGlobs(folders: FlexibleFolderNames): string[] {
  const settings = folderName(folders.settings, 'settings');
  const partials = folderName(folders.partials, 'partials');
  const templates = folderName(folders.templates, 'templates');
  return [...new Set([`**/${settings}/*.json`, `**/${partials}/**`, `**/${templates}/*.tmpl`])];
}

/** Every file under a partials folder (by name, anywhere), from `krakend.flexibleConfig.partials`. */
export function partialsGlob(setting: string): string {
  return `**/${folderName(setting, 'partials')}/**`;
}

/**
 * Help inside `{{ }}` of a template (core/intel/templateHelp.ts), fed from the project's render:
 * its settings files, the partials folder and the templates it parsed.
 */
import type { Position } from 'vscode-languageserver/node';
import { baseName } from '../core/flexible';
import { parseJson } from '../core/parseJson';
import { LineIndex } from '../core/positions';
import type { SettingsTree, TemplateHelpInput } from '../core/intel/templateHelp';
import type { FlexibleProject, IntelContext } from './intelContext';

function under(dir: string | undefined, path: string): boolean {
  if (!dir) return false;
  const d = dir.replace(/[/\\]+$/, '');
  return path.startsWith(`${d}/`) || path.startsWith(`${d}\\`);
}

/** The settings, partials and template names of a project. */
function projectFacts(project: FlexibleProject): Omit<TemplateHelpInput, 'text' | 'offset'> {
  const settings = new Map<string, SettingsTree>();
  const dir = project.setup.options.settings;
  for (const [path, text] of project.render.texts) {
    if (!under(dir, path) || !path.endsWith('.json')) continue;
    const root = parseJson(text).root;
    if (root) settings.set(baseName(path).replace(/\.json$/, ''), { root, path, text });
  }
  const partialsDir = project.setup.options.partials;
  const partials = new Set<string>(project.render.partialPaths.keys());
  if (partialsDir) for (const name of project.readers.listDir(partialsDir) ?? []) if (!name.startsWith('.')) partials.add(name);
  const templates = new Set<string>(project.render.templatePaths.keys());
  for (const text of project.render.texts.values()) for (const m of text.matchAll(/\{\{-?\s*(?:define|block)\s+"([^"]+)"/g)) templates.add(m[1]!);
  return { settings, partials: [...partials].sort(), templates: [...templates].sort() };
}

/** The help input at `position` of a template document, or undefined when it is not one. */
export async function templateHelpInput(ctx: IntelContext, uri: string, position: Position): Promise<TemplateHelpInput | undefined> {
  const doc = ctx.host.documents.get(uri);
  if (!doc) return undefined;
  const text = doc.getText();
  if (!text.includes('{{')) return undefined;
  const project = await ctx.host.flexible(uri);
  if (!project) return undefined;
  return { text, offset: new LineIndex(text).offsetAt(position), ...projectFacts(project) };
}

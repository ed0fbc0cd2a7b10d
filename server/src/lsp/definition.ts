/**
 * textDocument/definition in Flexible Configuration templates (core/flexible/navigation.ts):
 * `include "x"` → the partial, `template "x"` → the sub-template file or its `define`,
 * `.file.key` / `$.file.key` → the key in the settings file.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connection, Location } from 'vscode-languageserver/node';
import { getProperty } from '../core/ast';
import { dataReferenceAt, valuesAt } from '../core/flexible/dataPaths';
import type { DataPath } from '../core/flexible/dataPaths';
import { definitionOf, settingsKeyAt, templateReferenceAt } from '../core/flexible/navigation';
import { parseJson } from '../core/parseJson';
import { LineIndex } from '../core/positions';
import type { Span } from '../core/types';
import { guarded } from './intelContext';
import type { FlexibleProject, IntelContext } from './intelContext';

export function registerDefinition(connection: Connection, ctx: IntelContext): void {
  connection.onDefinition((params) =>
    guarded(ctx.host, 'definition', async (): Promise<Location | null> => {
      const doc = ctx.host.documents.get(params.textDocument.uri);
      if (!doc) return null;
      const text = doc.getText();
      const offset = new LineIndex(text).offsetAt(params.position);
      const ref = templateReferenceAt(text, offset);
      // A field reached through a variable, `range` or `with` (dataPaths.ts) when not directly.
      const data = ref ? undefined : dataReferenceAt(text, offset);
      if (!ref && !data) return null;
      const project = await ctx.host.flexible(params.textDocument.uri);
      if (!project) return null;
      if (!ref) return data && data.path.length > 0 ? settingsValue(project, data.path) : null;
      switch (ref.kind) {
        case 'partial':
          return partial(project, ref.name);
        case 'template':
          return template(project, ref.name);
        case 'settings':
          return settingsValue(project, ref.fields);
      }
    }),
  );
}

function location(project: FlexibleProject, path: string, span?: Span): Location | null {
  const text = project.readers.readFile(path);
  if (text === undefined) return null;
  const range = new LineIndex(text).rangeOf(span ?? { offset: 0, length: 0 });
  return { uri: pathToFileURL(path).href, range };
}

function absolute(project: FlexibleProject, p: string): string {
  return isAbsolute(p) ? p : resolve(project.baseDir, p);
}

/** KrakenD reads `include "x"` from path.Join(FC_PARTIALS, x), relative to its working folder. */
function partial(project: FlexibleProject, name: string): Location | null {
  const read = project.render.partialPaths.get(name);
  const dir = project.setup.options.partials;
  const path = read !== undefined ? absolute(project, read) : absolute(project, dir ? join(dir, name) : name);
  return location(project, path);
}

function template(project: FlexibleProject, name: string): Location | null {
  // A file of FC_TEMPLATES (or the configuration itself) by its base name…
  const file = project.render.templatePaths.get(name);
  if (file !== undefined) return location(project, absolute(project, file));
  // …or a `define`/`block` in any template file the render parsed.
  const templates = new Set(project.render.templatePaths.values());
  for (const [path, text] of project.render.texts) {
    if (!templates.has(path)) continue;
    const span = definitionOf(text, name);
    if (span) return location(project, absolute(project, path), span);
  }
  return null;
}

/** `.urls.users_api`: the key `users_api` of FC_SETTINGS/urls.json; `*` is any element of a list. */
function settingsValue(project: FlexibleProject, fields: DataPath): Location | null {
  const dir = project.setup.options.settings;
  const [name, ...keys] = fields;
  if (!dir || name === undefined || name === '*') return null;
  const path = absolute(project, join(dir, `${name}.json`));
  const text = project.readers.readFile(path);
  if (text === undefined) return null;
  if (!keys.includes('*')) {
    const span = settingsKeyAt(text, keys);
    return span ? location(project, path, span) : null;
  }
  // Through a range: the key in the first element that has it.
  const root = parseJson(text).root;
  const last = keys[keys.length - 1];
  if (!root || last === undefined || last === '*') return null;
  for (const holder of valuesAt(new Map([[name, root]]), [name, ...keys.slice(0, -1)])) {
    const prop = holder.kind === 'object' ? getProperty(holder, last) : undefined;
    if (prop) return location(project, path, { offset: prop.key.offset, length: prop.key.length });
  }
  return null;
}

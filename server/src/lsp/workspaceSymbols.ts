/**
 * workspace/symbol: every endpoint (`GET /users/{id}`) of every configuration matching
 * `krakend.configFiles` in the workspace folders. Open documents are read from the editor;
 * other files from disk, parsed once per change (by modification time and size).
 */
import { pathToFileURL } from 'node:url';
import { relative, sep } from 'node:path';
import { SymbolKind } from 'vscode-languageserver/node';
import type { Connection, SymbolInformation, WorkspaceFolder } from 'vscode-languageserver/node';
import { decodeService } from '../core/decode';
import { endpointSymbols, fuzzyMatch } from '../core/intel/symbols';
import type { EndpointSymbol } from '../core/intel/symbols';
import { matchesAnyGlob } from '../core/glob';
import { parseConfig } from '../core/parse';
import { LineIndex } from '../core/positions';
import { formatOf } from '../core/types';
import type { Range } from '../core/types';
import { guarded } from './intelContext';
import type { IntelContext } from './intelContext';

interface Parsed {
  readonly stamp: string;
  readonly symbols: readonly { readonly name: string; readonly range: Range }[];
}

/** At most this many symbols go back for one query; VS Code shows far fewer. */
const MAX_RESULTS = 1000;

function symbolsOf(text: string, path: string): Parsed['symbols'] {
  const root = parseConfig(text, formatOf(path)).root;
  if (!root) return [];
  const index = new LineIndex(text);
  return endpointSymbols(decodeService(root).model).map((s: EndpointSymbol) => ({ name: s.name, range: index.rangeOf(s.selection) }));
}

export function registerWorkspaceSymbols(connection: Connection, ctx: IntelContext): void {
  const cache = new Map<string, Parsed>();
  const { host } = ctx;

  async function filesOf(folder: WorkspaceFolder): Promise<{ uri: string; path: string; rel: string; stamp: string }[]> {
    const root = host.pathOf(folder.uri);
    const settings = await host.settings(folder.uri);
    const out = [];
    for (const f of await host.listFiles(root)) {
      const rel = relative(root, f.path).split(sep).join('/');
      if (matchesAnyGlob(rel, settings.configFiles)) out.push({ uri: pathToFileURL(f.path).href, path: f.path, rel, stamp: `${f.mtimeMs}:${f.size}` });
    }
    return out;
  }

  connection.onWorkspaceSymbol((params) =>
    guarded(host, 'workspace symbols', async (): Promise<SymbolInformation[]> => {
      const results: SymbolInformation[] = [];
      const seen = new Set<string>();
      const add = (uri: string, container: string, symbols: Parsed['symbols']): void => {
        for (const s of symbols) {
          if (results.length >= MAX_RESULTS) return;
          if (fuzzyMatch(params.query, s.name)) results.push({ name: s.name, kind: SymbolKind.Method, location: { uri, range: s.range }, containerName: container });
        }
      };
      // Open configurations first, as the editor has them (possibly unsaved).
      for (const doc of host.documents.all()) {
        const view = await ctx.view(doc.uri);
        if (!view) continue;
        seen.add(doc.uri);
        const key = `open:${doc.uri}`;
        let parsed = cache.get(key);
        if (parsed?.stamp !== String(view.version)) {
          parsed = { stamp: String(view.version), symbols: symbolsOf(view.text, host.pathOf(doc.uri)) };
          cache.set(key, parsed);
        }
        add(doc.uri, relativeName(host.folders(), doc.uri), parsed.symbols);
      }
      for (const folder of host.folders()) {
        for (const f of await filesOf(folder)) {
          if (seen.has(f.uri)) continue;
          seen.add(f.uri);
          let parsed = cache.get(f.path);
          if (parsed?.stamp !== f.stamp) {
            const text = await host.readFile(f.path).catch(() => undefined);
            parsed = { stamp: f.stamp, symbols: text === undefined ? [] : symbolsOf(text, f.path) };
            cache.set(f.path, parsed);
          }
          add(f.uri, f.rel, parsed.symbols);
        }
      }
      return results;
    }),
  );
}

function relativeName(folders: readonly WorkspaceFolder[], uri: string): string {
  const folder = folders.find((f) => uri.startsWith(f.uri.endsWith('/') ? f.uri : `${f.uri}/`));
  const rest = folder ? uri.slice(folder.uri.replace(/\/$/, '').length + 1) : uri.slice(uri.lastIndexOf('/') + 1);
  return decodeURIComponent(rest);
}

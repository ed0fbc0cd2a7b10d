/**
 * FC_SETTINGS as krakend-flexibleconfig loads it: every top-level `*.json` file becomes
 * `.<base name>` in the template data, decoded as Go's `json.Unmarshal` into a
 * `map[string]interface{}`. Unlike KrakenD, the values remember where they were written, so a
 * problem in the rendered configuration can point into the settings file.
 */
import type { ArrayNode, ObjectNode, ValueNode } from '../ast';
import { getProperty } from '../ast';
import { parseJson } from '../parseJson';
import type { Problem, Span } from '../types';
import { MAP_STRING_IFACE, mapSet, withType } from '../template/value';

/** A place in a file: where a settings value (or key) is written. */
export interface SettingsOrigin {
  readonly file: string;
  readonly span: Span;
}

/** A problem in a named file. */
export interface FileProblem {
  readonly file: string;
  readonly problem: Problem;
}

interface Located {
  readonly file: string;
  readonly node: ObjectNode | ArrayNode;
}

/** Settings data plus the way back from any of its containers to the source. */
export class SettingsIndex {
  private readonly nodes = new WeakMap<object, Located>();

  /**
   * Converts a parsed settings value to template data, remembering each container's node.
   * Iterative: Go accepts settings nested 10,000 deep, deeper than the JavaScript stack.
   */
  toData(file: string, node: ValueNode): unknown {
    const top = this.shallow(file, node);
    const stack: [ObjectNode | ArrayNode, Record<string, unknown> | unknown[]][] = [];
    if (node.kind === 'object' || node.kind === 'array') stack.push([node, top as Record<string, unknown> | unknown[]]);
    while (stack.length > 0) {
      const [n, out] = stack.pop()!;
      if (n.kind === 'object') {
        for (const p of n.properties) {
          const v = this.shallow(file, p.value);
          mapSet(out as Record<string, unknown>, p.key.value, v);
          if (p.value.kind === 'object' || p.value.kind === 'array') stack.push([p.value, v as Record<string, unknown> | unknown[]]);
        }
      } else {
        const arr = out as unknown[];
        n.items.forEach((item, i) => {
          const v = this.shallow(file, item);
          arr[i] = v;
          if (item.kind === 'object' || item.kind === 'array') stack.push([item, v as Record<string, unknown> | unknown[]]);
        });
      }
    }
    return top;
  }

  /** A scalar's value, or an empty container registered with its node (filled by toData). */
  private shallow(file: string, node: ValueNode): unknown {
    switch (node.kind) {
      case 'object': {
        const obj: Record<string, unknown> = {};
        this.nodes.set(obj, { file, node });
        return obj;
      }
      case 'array': {
        const arr = new Array<unknown>(node.items.length);
        this.nodes.set(arr, { file, node });
        return arr;
      }
      case 'null':
        return null;
      default:
        return node.value;
    }
  }

  /** Where `key` of a settings container is written (its value, or the key itself). */
  locate(container: object, key: string | number, isKey: boolean): SettingsOrigin | undefined {
    const at = this.nodes.get(container);
    if (!at) return undefined;
    if (at.node.kind === 'array') {
      const item = typeof key === 'number' ? at.node.items[key] : undefined;
      return item ? { file: at.file, span: { offset: item.offset, length: item.length } } : undefined;
    }
    const prop = typeof key === 'string' ? getProperty(at.node, key) : undefined;
    if (!prop) return undefined;
    const n = isKey ? prop.key : prop.value;
    return { file: at.file, span: { offset: n.offset, length: n.length } };
  }
}

export interface SettingsFile {
  /** The name as listed in the folder (`urls.json`). */
  readonly name: string;
  /** The path it was read from. */
  readonly path: string;
  readonly text: string;
}

export interface LoadedSettings {
  /** The template data: `{ urls: {...}, service: {...} }`. */
  readonly data: Record<string, unknown>;
  /** KrakenD's loading errors (`template/settings`) and duplicate-key warnings. */
  readonly problems: FileProblem[];
  /** Whether KrakenD would refuse to render (a settings file that does not load). */
  readonly failed: boolean;
}

/**
 * Parsed settings texts: a keystroke in the template re-renders with the same settings, and
 * the trees are never modified (each render builds fresh data from them).
 */
const parsedTexts = new Map<string, ReturnType<typeof parseJson>>();

function parseCached(text: string): ReturnType<typeof parseJson> {
  let r = parsedTexts.get(text);
  if (!r) {
    r = parseJson(text);
    if (parsedTexts.size >= 64) parsedTexts.delete(parsedTexts.keys().next().value!);
    parsedTexts.set(text, r);
  }
  return r;
}

/** The message KrakenD gives for one failed settings entry. */
export function settingsErrorMessage(name: string, error: string): string {
  return `loading flexible-config settings:\n\t- ${name}: ${error}`;
}

/**
 * Loads the settings files (already filtered to top-level `*.json`, in directory order).
 * A file that is not JSON or not an object is a `template/settings` error at the fault.
 */
export function loadSettings(files: readonly SettingsFile[], index: SettingsIndex): LoadedSettings {
  const data: Record<string, unknown> = {};
  const problems: FileProblem[] = [];
  let failed = false;
  for (const f of files) {
    const parsed = parseCached(f.text);
    const fatal = parsed.problems.find((p) => p.code === 'json/syntax' || p.code === 'json/not-object');
    if (fatal) {
      failed = true;
      problems.push({ file: f.path, problem: { code: 'template/settings', message: settingsErrorMessage(f.name, fatal.message), span: fatal.span } });
      continue;
    }
    for (const p of parsed.problems) problems.push({ file: f.path, problem: p });
    const key = f.name.replace(/\.json$/, '');
    // A top-level null decodes to a nil map, which prints as map[] and has no keys.
    mapSet(data, key, parsed.root ? index.toData(f.path, parsed.root) : Object.freeze(withType({}, MAP_STRING_IFACE)));
  }
  return { data, problems, failed };
}

/**
 * Reading a JSON schema the way an editor needs it: which subschemas describe the value at a
 * path (through `$ref`, `allOf`, `anyOf`, `oneOf`, `if`/`then`/`else`, `patternProperties`,
 * `additionalProperties` and `items`), and what they say about it (title, description, type,
 * default, allowed values, required properties, the documentation page).
 *
 * It reads the very schema the lint compiled (SchemaDocuments from the resolver), so hover and
 * completion never disagree with the diagnostics. Works with the bundled v2.13 file (one root,
 * `#/$defs/<url>` pointers), the modular v2.0 tree (relative `$ref`s between documents) and
 * KrakenD Live's own draft-07 schema.
 */
import type { SchemaDocuments } from '../schema/prepare';
import type { PathSegment } from './context';

type Json = Record<string, unknown>;

/** One subschema describing a value, with the document URL its `$ref`s resolve against. */
export interface SchemaView {
  readonly schema: Json;
  readonly base: string;
  /** Reached through an `anyOf`/`oneOf`/`if` branch: it may describe the value, not must. */
  readonly alternative: boolean;
}

/** What the subschemas at a path say, merged. */
export interface SchemaFacts {
  readonly title?: string;
  readonly description?: string;
  readonly types: readonly string[];
  readonly default?: unknown;
  /** Allowed values from `enum` and `const`, in schema order, without repeats. */
  readonly values: readonly unknown[];
  /** Properties every matching shape requires; else those of the first shape that requires any. */
  readonly required: readonly string[];
  readonly deprecated: boolean;
  /** The properties an object here may have, by name, first description kept. */
  readonly properties: ReadonlyMap<string, { readonly description?: string; readonly title?: string }>;
  readonly patterns: readonly string[];
  /** A link to the KrakenD documentation, from a `See:` line or a krakend.io/docs link. */
  readonly docUrl?: string;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Above this many views at one path the schema is looping or exploding; stop collecting. */
const MAX_VIEWS = 400;

export class SchemaIndex {
  private readonly documents = new Map<string, Json>();
  private readonly patterns = new Map<string, RegExp | null>();
  private readonly memo = new Map<string, readonly SchemaView[]>();

  constructor(readonly docs: SchemaDocuments) {
    const root = docs.root as Json;
    this.documents.set(stripHash(docs.url), root);
    for (const [url, doc] of docs.refs) if (isObject(doc)) this.documents.set(stripHash(url), doc);
    // Documents also answer to their own `$id` (a v2.0 document may say it is another URL).
    for (const [url, doc] of [...this.documents]) {
      const id = doc.$id;
      if (typeof id === 'string') {
        try {
          const abs = stripHash(new URL(id, url).href);
          if (!this.documents.has(abs)) this.documents.set(abs, doc);
        } catch {
          // an unusable $id: only its URL names it
        }
      }
    }
  }

  /** The subschemas describing the value at `path` (empty when the schema says nothing about it). */
  at(path: readonly PathSegment[]): readonly SchemaView[] {
    const key = path.map((s) => (typeof s === 'number' ? `#${s}` : `.${s}`)).join('');
    const hit = this.memo.get(key);
    if (hit) return hit;
    let views: readonly SchemaView[];
    if (path.length === 0) {
      views = this.expand([{ schema: this.docs.root as Json, base: stripHash(this.docs.url), alternative: false }]);
    } else {
      views = this.step(this.at(path.slice(0, -1)), path[path.length - 1]!);
    }
    if (this.memo.size > 5000) this.memo.clear();
    this.memo.set(key, views);
    return views;
  }

  /** What the subschemas at `path` say. */
  facts(path: readonly PathSegment[]): SchemaFacts {
    return summarise(this.at(path));
  }

  /** The subschemas of the property `name` of the object at `path`, before expanding `$ref`s. */
  private step(parents: readonly SchemaView[], seg: PathSegment): readonly SchemaView[] {
    const direct: SchemaView[] = [];
    for (const v of parents) {
      const s = v.schema;
      const add = (child: unknown): void => {
        if (isObject(child)) direct.push({ schema: child, base: v.base, alternative: v.alternative });
      };
      if (typeof seg === 'string') {
        const props = s.properties;
        if (isObject(props) && Object.prototype.hasOwnProperty.call(props, seg)) {
          add(props[seg]);
          continue;
        }
        let matched = false;
        if (isObject(s.patternProperties)) {
          for (const [pattern, child] of Object.entries(s.patternProperties)) {
            if (this.regex(pattern)?.test(seg)) {
              add(child);
              matched = true;
            }
          }
        }
        if (!matched) add(s.additionalProperties);
      } else {
        const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined;
        if (tuple) {
          if (seg < tuple.length) add(tuple[seg]);
          else add(Array.isArray(s.items) ? s.additionalItems : s.items);
        } else {
          add(s.items);
        }
      }
    }
    return this.expand(direct);
  }

  /** Follows `$ref`s and composition keywords; every schema met is a view. */
  private expand(start: readonly SchemaView[]): SchemaView[] {
    const out: SchemaView[] = [];
    const seen = new Set<Json>();
    const queue = [...start];
    while (queue.length > 0 && out.length < MAX_VIEWS) {
      const v = queue.shift()!;
      if (seen.has(v.schema)) continue;
      seen.add(v.schema);
      out.push(v);
      const s = v.schema;
      if (typeof s.$ref === 'string') {
        const target = this.resolve(s.$ref, v.base);
        if (target) queue.push({ ...target, alternative: v.alternative });
      }
      const push = (list: unknown, alternative: boolean): void => {
        if (!Array.isArray(list)) return;
        for (const x of list) if (isObject(x)) queue.push({ schema: x, base: v.base, alternative: v.alternative || alternative });
      };
      push(s.allOf, false);
      push(s.anyOf, true);
      push(s.oneOf, true);
      if (isObject(s.then)) queue.push({ schema: s.then, base: v.base, alternative: true });
      if (isObject(s.else)) queue.push({ schema: s.else, base: v.base, alternative: true });
    }
    return out;
  }

  private resolve(ref: string, base: string): { schema: Json; base: string } | undefined {
    let docUrl: string;
    let fragment: string;
    if (ref.startsWith('#')) {
      docUrl = base;
      fragment = ref.slice(1);
    } else {
      let abs: URL;
      try {
        abs = new URL(ref, base);
      } catch {
        return undefined;
      }
      fragment = decodeURIComponent(abs.hash.slice(1));
      abs.hash = '';
      docUrl = abs.href;
    }
    const doc = this.documents.get(docUrl);
    if (!doc) return undefined;
    if (fragment === '') return { schema: doc, base: docUrl };
    if (!fragment.startsWith('/')) return undefined; // a plain-name anchor: not used by KrakenD's schemas
    let node: unknown = doc;
    for (const raw of fragment.slice(1).split('/')) {
      const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (Array.isArray(node)) node = node[Number(part)];
      else if (isObject(node)) node = node[part];
      else return undefined;
    }
    return isObject(node) ? { schema: node, base: docUrl } : undefined;
  }

  private regex(pattern: string): RegExp | null {
    let re = this.patterns.get(pattern);
    if (re === undefined) {
      try {
        // Go (RE2) escapes such as `\&` are fine outside JavaScript's `u` mode.
        re = new RegExp(pattern);
      } catch {
        re = null;
      }
      this.patterns.set(pattern, re);
    }
    return re;
  }
}

function stripHash(url: string): string {
  const i = url.indexOf('#');
  return i < 0 ? url : url.slice(0, i);
}

function summarise(views: readonly SchemaView[]): SchemaFacts {
  let title: string | undefined;
  let description: string | undefined;
  let def: unknown;
  let hasDefault = false;
  let deprecated = false;
  const types = new Set<string>();
  const values: unknown[] = [];
  const seenValues = new Set<string>();
  const must = new Set<string>();
  let firstAlternativeRequired: string[] | undefined;
  const properties = new Map<string, { description?: string; title?: string }>();
  const patterns: string[] = [];
  let docUrl: string | undefined;
  const addValue = (v: unknown): void => {
    const k = JSON.stringify(v);
    if (!seenValues.has(k)) {
      seenValues.add(k);
      values.push(v);
    }
  };
  for (const { schema: s, alternative } of views) {
    if (title === undefined && typeof s.title === 'string' && s.title.trim() !== '') title = s.title.trim();
    if (description === undefined && typeof s.description === 'string' && s.description.trim() !== '') description = s.description.trim();
    docUrl ??= typeof s.description === 'string' ? docLinkIn(s.description) : undefined;
    if (!hasDefault && 'default' in s) {
      def = s.default;
      hasDefault = true;
    }
    if (s.deprecated === true) deprecated = true;
    if (typeof s.type === 'string') types.add(s.type);
    else if (Array.isArray(s.type)) for (const t of s.type) if (typeof t === 'string') types.add(t);
    if (Array.isArray(s.enum)) for (const v of s.enum) addValue(v);
    if ('const' in s) addValue(s.const);
    if (Array.isArray(s.required)) {
      const req = s.required.filter((r): r is string => typeof r === 'string');
      if (!alternative) for (const r of req) must.add(r);
      else if (!firstAlternativeRequired && req.length > 0) firstAlternativeRequired = req;
    }
    if (isObject(s.properties)) {
      for (const [name, p] of Object.entries(s.properties)) {
        const prev = properties.get(name);
        const d = isObject(p) && typeof p.description === 'string' ? p.description : undefined;
        const t = isObject(p) && typeof p.title === 'string' ? p.title : undefined;
        if (!prev) properties.set(name, { ...(d ? { description: d } : {}), ...(t ? { title: t } : {}) });
        else if (!prev.description && d) properties.set(name, { ...prev, description: d });
      }
    }
    if (typeof s.pattern === 'string') patterns.push(s.pattern);
  }
  if (types.size === 0 && values.length > 0) for (const v of values) types.add(jsonTypeOf(v));
  const required = must.size > 0 ? [...must] : (firstAlternativeRequired ?? []);
  return {
    ...(title !== undefined ? { title } : {}),
    ...(description !== undefined ? { description } : {}),
    types: [...types],
    ...(hasDefault ? { default: def } : {}),
    values,
    required,
    deprecated,
    properties,
    patterns,
    ...(docUrl !== undefined ? { docUrl } : {}),
  };
}

function jsonTypeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const SEE = /See:\s*(\S+)/;
const DOCS_LINK = /\]\(((?:https?:\/\/(?:www\.)?krakend\.io)?\/docs\/[^)\s]+)\)/;

/** The documentation link a KrakenD schema description carries (`See: https://…`), if any. */
export function docLinkIn(description: string): string | undefined {
  const m = SEE.exec(description) ?? DOCS_LINK.exec(description);
  if (!m) return undefined;
  let url = m[1]!.replace(/[.,;)]+$/, '');
  if (url.startsWith('/')) url = `https://www.krakend.io${url}`;
  return /^https?:\/\//.test(url) ? url : undefined;
}

/** The description without its `See:` line, which the hover shows as a link instead. */
export function withoutSeeLine(description: string): string {
  return description.replace(/\n*\s*See:\s*\S+\s*$/, '').trim();
}

/** Whether the schema facts describe a Go duration string (the `timeunit` pattern). */
export function isDurationFacts(f: SchemaFacts): boolean {
  return f.patterns.some((p) => /\(ns\|ms\|us\|µs\|s\|m\|h\)/.test(p) || /\(ns\|us\|µs\|ms\|s\|m\|h\)/.test(p));
}

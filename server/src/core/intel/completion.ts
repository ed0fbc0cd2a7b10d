/**
 * Completion that knows KrakenD: property names of the object under the cursor (with a
 * snippet of their required fields), only the extra_config namespaces valid at that scope,
 * allowed values (`method`, `encoding`, `output_encoding`, booleans), the endpoint's `{params}`
 * inside a backend's `url_pattern`, and duration units after a number. All from the schema the
 * check used, in JSON and YAML, on half-typed text.
 */
import { inputParams, cleanPath } from '../luraPaths';
import { CE_NAMESPACES, namespaceInfo } from '../schema/namespaces';
import type { ConfigFormat, Span } from '../types';
import { cursorContext } from './context';
import type { CursorContext, PathSegment } from './context';
import { namespaceDocUrl } from './docs';
import { SCOPE_NAMES, placeOf } from './place';
import { yamlString } from './render';
import { isDurationFacts, withoutSeeLine } from './schemaNav';
import type { SchemaFacts, SchemaIndex } from './schemaNav';
import type { ValueNode } from '../ast';

export type CompletionKind = 'property' | 'namespace' | 'value' | 'param' | 'unit';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  readonly insertText: string;
  /** insertText is a snippet (`${1:…}` tab stops). */
  readonly snippet: boolean;
  /** The text the entry replaces. */
  readonly span: Span;
  /** What the typed text is matched against (with the quote, when the range starts at one). */
  readonly filterText?: string;
  readonly sortText?: string;
}

export interface CompletionInput {
  readonly text: string;
  readonly format: ConfigFormat;
  readonly offset: number;
  /** The schema the check used; without one, only KrakenD's own tables answer. */
  readonly schema?: SchemaIndex;
  /** A tolerant tree of the text, when the caller has one (JSON only). */
  readonly tree?: ValueNode;
}

/** The completions at a cursor position. */
export function complete(input: CompletionInput): CompletionEntry[] {
  const ctx = cursorContext(input.text, input.format, input.offset, input.tree);
  if (!ctx) return [];
  const schema = input.schema;
  if (ctx.kind === 'key' || (ctx.bareItem && isObjectHere(schema, ctx.path))) return keyCompletions(ctx, schema);
  return valueCompletions(ctx, schema);
}

function isObjectHere(schema: SchemaIndex | undefined, path: readonly PathSegment[]): boolean {
  const f = schema?.facts(path);
  return f !== undefined && (f.types.includes('object') || f.properties.size > 0);
}

// ---------------------------------------------------------------------------------------------
// keys

function keyCompletions(ctx: CursorContext, schema: SchemaIndex | undefined): CompletionEntry[] {
  const place = placeOf(ctx.path);
  const inExtraConfig = place.extraConfig !== undefined && place.extraConfig.namespace === undefined;
  const facts = schema?.facts(ctx.path);
  const present = new Set(ctx.siblings);
  const out: CompletionEntry[] = [];
  const span = replaceSpan(ctx);
  const names = new Map<string, { description?: string; title?: string }>(facts?.properties ?? []);
  if (inExtraConfig && names.size === 0) {
    // No schema: KrakenD CE's own table of namespaces and where they are read.
    for (const ns of CE_NAMESPACES) if (ns.scopes.includes(place.owner)) names.set(ns.name, {});
  }
  const required = new Set(facts?.required ?? []);
  for (const [name, info] of names) {
    if (present.has(name)) continue;
    const ce = inExtraConfig ? namespaceInfo(name) : undefined;
    // A legacy key (which our bundled schema still accepts) is never the one to write now.
    if (ce && ce.name !== name) continue;
    const childPath = [...ctx.path, name];
    const child = schema?.facts(childPath);
    const ceHere = ce !== undefined && ce.scopes.includes(place.owner);
    const description = child?.description ?? info.description;
    const docUrl = inExtraConfig ? namespaceDocUrl(name, child) : child?.docUrl;
    const title = child?.title ?? info.title;
    // The link goes first, next to the title: the details pane is short and descriptions are long.
    const heading = [title ? `**${title}**` : '', docUrl ? `[KrakenD documentation](${docUrl})` : ''].filter(Boolean).join(' · ');
    const doc = [heading, description ? withoutSeeLine(description) : ''].filter(Boolean).join('\n\n');
    const enterprise = inExtraConfig && !ceHere;
    const where = ce ? ce.scopes.map((s) => SCOPE_NAMES[s]).join(', ') : '';
    const detail = inExtraConfig
      ? ceHere
        ? `namespace (${where})`
        : ce
          ? `KrakenD Enterprise here; CE reads it in: ${where}`
          : `KrakenD Enterprise (${SCOPE_NAMES[place.owner]})`
      : typeLabel(child);
    out.push({
      label: name,
      kind: inExtraConfig ? 'namespace' : 'property',
      detail,
      ...(doc ? { documentation: doc } : {}),
      ...keyInsert(ctx, name, child, schema, childPath),
      span,
      filterText: ctx.token.quote ? `${ctx.token.quote}${name}${ctx.token.quote}` : name,
      // Required first, then CE namespaces before Enterprise ones, then by name.
      sortText: `${required.has(name) ? 0 : 1}${enterprise ? 1 : 0}${name}`,
    });
  }
  return out;
}

/** What a key completion inserts: the key, and unless a colon is already there, a value snippet. */
function keyInsert(ctx: CursorContext, name: string, facts: SchemaFacts | undefined, schema: SchemaIndex | undefined, path: readonly PathSegment[]): { insertText: string; snippet: boolean } {
  if (ctx.format === 'json') {
    const key = JSON.stringify(name);
    if (ctx.hasColon) return { insertText: key, snippet: false };
    const comma = ctx.next === '"' || ctx.next === '{' ? ',' : '';
    // After a value with no comma yet (`"a": 1 |`), the new property needs one before it.
    const lead = ctx.token.length === 0 && /["}\]0-9a-z]/.test(ctx.previous) ? ', ' : '';
    const stops = { n: 1 };
    return { insertText: `${lead}${escapeSnippet(key)}: ${jsonSnippet(facts, schema, path, stops, 0)}${comma}`, snippet: true };
  }
  const key = yamlString(name);
  if (ctx.hasColon) return { insertText: key, snippet: false };
  const stops = { n: 1 };
  return { insertText: `${escapeSnippet(key)}:${yamlSnippet(facts, schema, path, stops, 0)}`, snippet: true };
}

/** The text a key or value completion replaces: the whole token under the cursor, quotes included. */
function replaceSpan(ctx: CursorContext): Span {
  return { offset: ctx.token.offset, length: ctx.token.length };
}

function typeLabel(f: SchemaFacts | undefined): string | undefined {
  if (!f) return undefined;
  if (isDurationFacts(f)) return 'duration';
  if (f.values.length > 0 && f.values.length <= 6) return f.values.map((v) => JSON.stringify(v)).join(' | ');
  return f.types.length > 0 ? f.types.join(' | ') : undefined;
}

// ---------------------------------------------------------------------------------------------
// snippets

interface Stops {
  n: number;
}

/** `$`, `}` and `\` are snippet syntax. */
function escapeSnippet(s: string): string {
  return s.replace(/[$}\\]/g, (c) => `\\${c}`);
}

/** Choice text: `,` and `|` separate choices. */
function escapeChoice(s: string): string {
  return s.replace(/[$}\\,|]/g, (c) => `\\${c}`);
}

const MAX_SNIPPET_DEPTH = 2;

function jsonSnippet(f: SchemaFacts | undefined, schema: SchemaIndex | undefined, path: readonly PathSegment[], stops: Stops, depth: number): string {
  const t = kindOf(f);
  const n = stops.n++;
  switch (t.kind) {
    case 'enum': {
      const strings = t.values.every((v) => typeof v === 'string');
      const choices = t.values.map((v) => escapeChoice(strings ? String(v) : JSON.stringify(v))).join(',');
      return strings ? `"\${${n}|${choices}|}"` : `\${${n}|${choices}|}`;
    }
    case 'string':
      return `"\${${n}${t.placeholder ? `:${escapeSnippet(t.placeholder)}` : ''}}"`;
    case 'number':
      return `\${${n}:${t.placeholder ?? '0'}}`;
    case 'boolean':
      return `\${${n}|${t.placeholder === 'false' ? 'false,true' : 'true,false'}|}`;
    case 'array': {
      const itemPath = [...path, 0];
      const item = schema?.facts(itemPath);
      if (depth < MAX_SNIPPET_DEPTH && item && item.required.length > 0) {
        stops.n--;
        return `[\n\t${jsonObjectSnippet(item, schema, itemPath, stops, depth + 1).replace(/\n/g, '\n\t')}\n]`;
      }
      return `[$${n}]`;
    }
    case 'object':
      if (depth < MAX_SNIPPET_DEPTH && f && f.required.length > 0) {
        stops.n--;
        return jsonObjectSnippet(f, schema, path, stops, depth + 1);
      }
      return `{$${n}}`;
    default:
      return `$${n}`;
  }
}

function jsonObjectSnippet(f: SchemaFacts, schema: SchemaIndex | undefined, path: readonly PathSegment[], stops: Stops, depth: number): string {
  const lines = f.required.map((r) => `\t${escapeSnippet(JSON.stringify(r))}: ${jsonSnippet(schema?.facts([...path, r]), schema, [...path, r], stops, depth).replace(/\n/g, '\n\t')}`);
  return `{\n${lines.join(',\n')}\n}`;
}

/** The YAML after `key:` — ` value` on the same line, or a newline and an indented block. */
function yamlSnippet(f: SchemaFacts | undefined, schema: SchemaIndex | undefined, path: readonly PathSegment[], stops: Stops, depth: number): string {
  const t = kindOf(f);
  const n = stops.n++;
  switch (t.kind) {
    case 'enum':
      return ` \${${n}|${t.values.map((v) => escapeChoice(typeof v === 'string' ? yamlString(v) : JSON.stringify(v))).join(',')}|}`;
    case 'string':
      return ` \${${n}${t.placeholder ? `:${escapeSnippet(yamlString(t.placeholder))}` : ''}}`;
    case 'number':
      return ` \${${n}:${t.placeholder ?? '0'}}`;
    case 'boolean':
      return ` \${${n}|${t.placeholder === 'false' ? 'false,true' : 'true,false'}|}`;
    case 'array': {
      const itemPath = [...path, 0];
      const item = schema?.facts(itemPath);
      if (depth < MAX_SNIPPET_DEPTH && item && item.required.length > 0) {
        stops.n--;
        const body = yamlObjectLines(item, schema, itemPath, stops, depth + 1);
        return `\n  - ${body.map((l, i) => (i === 0 ? l : `    ${l}`)).join('\n')}`;
      }
      return `\n  - $${n}`;
    }
    case 'object':
      if (depth < MAX_SNIPPET_DEPTH && f && f.required.length > 0) {
        stops.n--;
        return `\n${yamlObjectLines(f, schema, path, stops, depth + 1).map((l) => `  ${l}`).join('\n')}`;
      }
      return `\n  $${n}`;
    default:
      return ` $${n}`;
  }
}

function yamlObjectLines(f: SchemaFacts, schema: SchemaIndex | undefined, path: readonly PathSegment[], stops: Stops, depth: number): string[] {
  const out: string[] = [];
  for (const r of f.required) {
    const value = yamlSnippet(schema?.facts([...path, r]), schema, [...path, r], stops, depth);
    // A nested block is indented under its key.
    out.push(...`${escapeSnippet(yamlString(r))}:${value}`.split('\n'));
  }
  return out;
}

type ValueKind =
  | { kind: 'enum'; values: readonly unknown[] }
  | { kind: 'string' | 'number' | 'boolean'; placeholder?: string }
  | { kind: 'array' | 'object' | 'unknown' };

function kindOf(f: SchemaFacts | undefined): ValueKind {
  if (!f) return { kind: 'unknown' };
  const scalarValues = f.values.filter((v) => v === null || typeof v !== 'object');
  if (scalarValues.length > 1) return { kind: 'enum', values: scalarValues };
  const def = f.default;
  const placeholder = def !== undefined && (typeof def === 'string' || typeof def === 'number' || typeof def === 'boolean') ? String(def) : undefined;
  const only = f.types.length === 1 ? f.types[0] : undefined;
  const withPlaceholder = (kind: 'string' | 'number' | 'boolean'): ValueKind => (placeholder !== undefined ? { kind, placeholder } : { kind });
  if (scalarValues.length === 1 && (only === undefined || only === 'string' || only === 'integer' || only === 'number' || only === 'boolean')) {
    const v = scalarValues[0];
    if (typeof v === 'string') return { kind: 'string', placeholder: v };
    if (typeof v === 'number') return { kind: 'number', placeholder: String(v) };
    if (typeof v === 'boolean') return { kind: 'boolean', placeholder: String(v) };
  }
  switch (only) {
    case 'string':
      return withPlaceholder('string');
    case 'integer':
    case 'number':
      return withPlaceholder('number');
    case 'boolean':
      return withPlaceholder('boolean');
    case 'array':
      return { kind: 'array' };
    case 'object':
      return { kind: 'object' };
    default:
      return f.properties.size > 0 ? { kind: 'object' } : { kind: 'unknown' };
  }
}

// ---------------------------------------------------------------------------------------------
// values

/** Allowed values when there is no schema: what lura and CE accept (routes.ts). */
const FALLBACK_VALUES: Readonly<Record<string, readonly string[]>> = {
  method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  output_encoding: ['json', 'json-collection', 'string', 'no-op', 'xml', 'yaml', 'negotiate'],
  encoding: ['json', 'safejson', 'string', 'no-op', 'xml', 'rss'],
};

const UNITS: readonly (readonly [string, string])[] = [
  ['ms', 'milliseconds'],
  ['s', 'seconds'],
  ['m', 'minutes'],
  ['h', 'hours'],
  ['us', 'microseconds'],
  ['ns', 'nanoseconds'],
];

function valueCompletions(ctx: CursorContext, schema: SchemaIndex | undefined): CompletionEntry[] {
  const facts = schema?.facts(ctx.path);
  const last = ctx.path[ctx.path.length - 1];
  const place = placeOf(ctx.path);
  const out: CompletionEntry[] = [];
  if (last === 'url_pattern' && place.owner === 'backend') out.push(...paramCompletions(ctx));
  if (ctx.token.quote !== "'" && /^\d+$/.test(ctx.prefix) && isDuration(facts, last)) out.push(...unitCompletions(ctx));
  let values: readonly unknown[] = facts?.values.filter((v) => v === null || typeof v !== 'object') ?? [];
  if (values.length === 0 && typeof last === 'string' && !facts?.types.length && FALLBACK_VALUES[last] && place.extraConfig === undefined) values = FALLBACK_VALUES[last]!;
  if (values.length === 0 && facts?.types.length === 1 && facts.types[0] === 'boolean') values = [true, false];
  const span = replaceSpan(ctx);
  const lead = ctx.token.length === 0 && ctx.previous === ':' && ctx.format === 'json' && ctx.offset > 0 ? ' ' : '';
  values.forEach((v, i) => {
    const text = valueText(v, ctx);
    out.push({
      label: typeof v === 'string' ? v : JSON.stringify(v),
      kind: 'value',
      ...(facts?.title ? { detail: facts.title } : {}),
      insertText: lead + text,
      snippet: false,
      span,
      filterText: ctx.token.quote && typeof v === 'string' ? `${ctx.token.quote}${v}${ctx.token.quote}` : text,
      sortText: String(i).padStart(3, '0'),
    });
  });
  return out;
}

function valueText(v: unknown, ctx: CursorContext): string {
  if (typeof v !== 'string') return JSON.stringify(v);
  if (ctx.format === 'json') return JSON.stringify(v);
  if (ctx.token.quote === "'") return `'${v.replace(/'/g, "''")}'`;
  if (ctx.token.quote === '"') return JSON.stringify(v);
  return yamlString(v);
}

/** Durations by the schema's pattern; without a schema, by the usual names of lura's duration fields. */
function isDuration(facts: SchemaFacts | undefined, key: PathSegment | undefined): boolean {
  if (facts && facts.patterns.length > 0) return isDurationFacts(facts);
  return typeof key === 'string' && /(^|_)(timeout|ttl|period|interval|delay|keep_alive|wait_time)$/.test(key);
}

function unitCompletions(ctx: CursorContext): CompletionEntry[] {
  const digits = ctx.prefix;
  return UNITS.map(([unit, words], i) => {
    const value = `${digits}${unit}`;
    const text = ctx.format === 'json' || ctx.token.quote === '"' ? JSON.stringify(value) : value;
    return {
      label: value,
      kind: 'unit' as const,
      detail: `${digits} ${words}`,
      insertText: text,
      snippet: false,
      span: replaceSpan(ctx),
      filterText: ctx.token.quote ? `${ctx.token.quote}${value}${ctx.token.quote}` : value,
      sortText: `0${i}`,
    };
  });
}

/** The endpoint's input params as `{name}`, replacing a `{` just typed. */
function paramCompletions(ctx: CursorContext): CompletionEntry[] {
  const place = placeOf(ctx.path);
  if (place.endpoint === undefined) return [];
  const endpoint = ctx.read(['endpoints', place.endpoint, 'endpoint']);
  if (endpoint === undefined) return [];
  const disableRest = ctx.read(['disable_rest']) === 'true';
  const params = [...new Set(inputParams(cleanPath(endpoint), disableRest))];
  if (params.length === 0) return [];
  const valueStart = ctx.token.offset + (ctx.token.quote ? 1 : 0);
  const open = ctx.prefix.lastIndexOf('{');
  const unclosed = open >= 0 && !ctx.prefix.slice(open).includes('}');
  const from = unclosed ? valueStart + open : ctx.offset;
  // A `}` right after the cursor (typed or auto-closed) is replaced too.
  const after = ctx.token.quote ? ctx.token.value.slice(ctx.prefix.length) : '';
  const to = ctx.offset + (unclosed && after.startsWith('}') ? 1 : 0);
  return params.map((p) => ({
    label: `{${p}}`,
    kind: 'param' as const,
    detail: `input param of ${endpoint}`,
    insertText: `{${p}}`,
    snippet: false,
    span: { offset: from, length: to - from },
    filterText: `{${p}}`,
    sortText: `0${p}`,
  }));
}

/** For tests and the benchmark: the scopes a namespace completion offers, by name. */
export function namespacesOffered(entries: readonly CompletionEntry[]): string[] {
  return entries.filter((e) => e.kind === 'namespace').map((e) => e.label);
}

/**
 * Hover that knows KrakenD: on a key, the schema's title, description, type, default and
 * allowed values, and for an extra_config namespace where CE reads it and a link to its
 * documentation page; on an endpoint path, the route as gin registers it (`{id}` → `:id`) and
 * the other endpoints that share its method's tree.
 */
import type { ValueNode } from '../ast';
import { decodeService } from '../decode';
import { namespaceInfo } from '../schema/namespaces';
import type { ConfigFormat, Span } from '../types';
import { cursorContext } from './context';
import type { CursorContext, PathSegment } from './context';
import { namespaceDocUrl } from './docs';
import { endpointsOf, sharedSegments } from './endpoints';
import type { EndpointInfo } from './endpoints';
import { SCOPE_NAMES, placeOf } from './place';
import { isDurationFacts, withoutSeeLine } from './schemaNav';
import type { SchemaFacts, SchemaIndex } from './schemaNav';

export interface HoverInput {
  readonly text: string;
  readonly format: ConfigFormat;
  readonly offset: number;
  readonly schema?: SchemaIndex;
  /** A tree of the document (tolerant for JSON, strict for YAML), for the route hover. */
  readonly tree?: ValueNode;
}

export interface HoverResult {
  /** Markdown. */
  readonly markdown: string;
  /** The key or value hovered. */
  readonly span: Span;
}

/** How many routes of the same tree a route hover lists. */
const MAX_NEIGHBOURS = 8;

/** The hover at a position, or undefined where there is nothing to say. */
export function hoverAt(input: HoverInput): HoverResult | undefined {
  const ctx = cursorContext(input.text, input.format, input.offset, input.format === 'json' ? input.tree : undefined);
  if (!ctx || ctx.token.length === 0) return undefined;
  const span = { offset: ctx.token.offset, length: ctx.token.length };
  const path = ctx.kind === 'key' ? [...ctx.path, ctx.token.value] : ctx.path;
  const place = placeOf(path);
  if (ctx.kind === 'value' && place.owner === 'endpoint' && place.rest.length === 1 && place.rest[0] === 'endpoint') {
    const md = routeHover(ctx, input.tree);
    return md ? { markdown: md, span } : undefined;
  }
  const facts = input.schema?.facts(path);
  const ns = place.extraConfig?.namespace !== undefined && place.extraConfig.rest.length === 0 ? place.extraConfig.namespace : undefined;
  const md = ns !== undefined ? namespaceHover(ns, place.owner, facts) : propertyHover(path, facts);
  return md ? { markdown: md, span } : undefined;
}

function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

function describeFacts(f: SchemaFacts): string[] {
  const out: string[] = [];
  if (f.description) out.push(withoutSeeLine(f.description));
  const facts: string[] = [];
  const type = isDurationFacts(f) ? 'duration (an integer and a unit: ns, us, ms, s, m, h)' : f.types.join(' | ');
  if (type) facts.push(`Type: ${type.includes(' ') && !type.includes('|') ? type : code(type)}`);
  if (f.default !== undefined) facts.push(`Default: ${code(JSON.stringify(f.default))}`);
  const values = f.values.filter((v) => v === null || typeof v !== 'object');
  if (values.length > 0) facts.push(`Allowed: ${values.map((v) => code(typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}`);
  if (f.required.length > 0) facts.push(`Requires: ${f.required.map(code).join(', ')}`);
  if (f.deprecated) facts.push('**Deprecated**');
  if (facts.length > 0) out.push(facts.join('  \n'));
  return out;
}

function propertyHover(path: readonly PathSegment[], f: SchemaFacts | undefined): string | undefined {
  if (!f || (!f.description && !f.title && f.types.length === 0 && f.values.length === 0)) return undefined;
  const name = path[path.length - 1];
  const head = `**${f.title ?? String(name)}**${f.title && typeof name === 'string' && f.title !== name ? ` ${code(name)}` : ''}`;
  const parts = [head, ...describeFacts(f)];
  if (f.docUrl) parts.push(`[KrakenD documentation](${f.docUrl})`);
  return parts.join('\n\n');
}

function namespaceHover(ns: string, scope: ReturnType<typeof placeOf>['owner'], f: SchemaFacts | undefined): string | undefined {
  const info = namespaceInfo(ns);
  const parts = [`**${f?.title ?? ns}** ${code(ns)}`];
  if (f) parts.push(...describeFacts(f));
  if (info) {
    const where = info.scopes.map((s) => SCOPE_NAMES[s]).join(', ');
    if (info.name !== ns) parts.push(`Legacy key of ${code(info.name)}: krakend run accepts it, the schema does not.`);
    parts.push(info.scopes.includes(scope) ? `KrakenD CE reads it in the ${where} extra_config.` : `KrakenD CE reads it in the ${where} extra_config, **not here** (${SCOPE_NAMES[scope]}): it is ignored.`);
  } else if (f) {
    parts.push('Not read by KrakenD CE (KrakenD Enterprise).');
  }
  const url = namespaceDocUrl(info?.name ?? ns, f);
  if (url) parts.push(`[KrakenD documentation](${url})`);
  return parts.length > 1 || f ? parts.join('\n\n') : undefined;
}

function routeHover(ctx: CursorContext, tree: ValueNode | undefined): string | undefined {
  const place = placeOf(ctx.path);
  const all = tree ? endpointsOf(decodeService(tree).model) : [];
  const me = all.find((e) => e.index === place.endpoint);
  if (!me) return undefined;
  const lines: string[] = [];
  const route = `${me.method} ${me.routerPath}`;
  const converted = me.params.length > 0 ? ` (${me.params.map((p) => `${code(`{${p}}`)} → ${code(`:${p}`)}`).join(', ')})` : '';
  lines.push(`**${code(route)}** as gin registers it${converted}`);
  if (!me.routed) lines.push('KrakenD does not register this endpoint as it stands (see the problems on it).');
  if (me.params.length > 0) lines.push(`Input params: ${me.params.map(code).join(', ')}`);
  const sameTree = all.filter((e) => e !== me && e.routed && e.method === me.method);
  if (sameTree.length === 0) {
    lines.push(`The only route in the ${me.method} tree.`);
  } else {
    const near = neighbours(me, sameTree);
    const shown = near.slice(0, MAX_NEIGHBOURS).map((e) => `- ${code(e.routerPath)}`);
    const more = near.length > MAX_NEIGHBOURS ? `\n- … ${near.length - MAX_NEIGHBOURS} more` : '';
    const total = `${sameTree.length} other route${sameTree.length === 1 ? '' : 's'} in the ${me.method} tree`;
    lines.push(near.length > 0 ? `${total}; sharing its first segment:\n${shown.join('\n')}${more}` : `${total}; none shares its first segment.`);
  }
  const otherMethods = all.filter((e) => e !== me && e.routed && e.routerPath === me.routerPath && e.method !== me.method).map((e) => e.method);
  if (otherMethods.length > 0) lines.push(`Same path with ${[...new Set(otherMethods)].map(code).join(', ')}.`);
  return lines.join('\n\n');
}

/** The routes of the same tree that share at least the first segment, closest first. */
function neighbours(me: EndpointInfo, others: readonly EndpointInfo[]): EndpointInfo[] {
  return others
    .map((e) => ({ e, shared: sharedSegments(me.routerPath, e.routerPath) }))
    .filter((x) => x.shared > 0 || me.routerPath === '/' || x.e.routerPath === '/')
    .sort((a, b) => b.shared - a.shared || a.e.routerPath.localeCompare(b.e.routerPath))
    .map((x) => x.e);
}

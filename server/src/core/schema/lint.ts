/**
 * The JSON-schema lint: what `krakend check -l/-s` reports, but on the offending key or value
 * instead of as a bare JSON pointer, with oneOf/anyOf noise collapsed into one message and a
 * "did you mean" for misspelt properties and namespaces.
 *
 * Messages follow santhosh-tekuri/jsonschema v6, the library `krakend check` lints with:
 * `additional properties 'x' not allowed`, `missing property 'backend'`,
 * `got string, want integer`, `value must be one of 'GET', 'POST'`, …
 */
import type { ErrorObject } from 'ajv';
import { findByPointer, toValue } from '../ast';
import type { ValueNode } from '../ast';
import type { Code } from '../../../../shared/codes';
import type { Problem, ProblemData, Span } from '../types';
import type { CompiledSchema } from './compile';
import { CE_NAMESPACE_NAMES, misplacedGuess, namespaceHint, namespaceInfo } from './namespaces';
import { durationSuggestion } from '../go/duration';
import { closestName, renamedInV2 } from './suggest';

/**
 * Lints a parsed document against a compiled schema. Never throws on valid input trees.
 * `plain` makes the plain value (see ParseResult.plainIsJsonParse); by default the tree's own.
 */
export function lint(root: ValueNode, validator: CompiledSchema, plain?: () => unknown): Problem[] {
  const outcome = validator.validate(plain ? plain() : toValue(root));
  const locator = new Locator(root);
  const items: Item[] = [];
  if (!outcome.valid) for (const node of parseErrorTree(outcome.errors)) items.push(...render(node, locator));
  for (const path of outcome.deprecated) {
    const name = lastSegment(path);
    items.push({
      code: 'schema/deprecated',
      path,
      message: name === undefined ? 'value is deprecated' : `property '${name}' is deprecated`,
      span: locator.key(path),
      severity: 'warning',
    });
  }
  return finish(items);
}

// ---------------------------------------------------------------------------------------------
// Ajv reports errors in post-order: the errors of every oneOf/anyOf branch come first, then the
// oneOf error itself. A stack rebuilds the tree so a failed oneOf can be judged as a whole.

interface Leaf {
  readonly kind: 'leaf';
  readonly error: ErrorObject;
}
interface Group {
  readonly kind: 'group';
  readonly error: ErrorObject;
  readonly children: readonly ErrorNode[];
}
type ErrorNode = Leaf | Group;

const isGroupKeyword = (k: string): boolean => k === 'oneOf' || k === 'anyOf';

function isPathPrefix(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Whether an earlier error was produced inside the branches of the oneOf/anyOf error `group`. */
function belongsTo(e: ErrorObject, group: ErrorObject): boolean {
  if (!isPathPrefix(group.instancePath, e.instancePath)) return false;
  const own = group.schemaPath;
  if (e.schemaPath.startsWith(`${own}/`)) return true;
  // A branch that is a local `$ref` reports errors under the referenced schema's path.
  const branches: unknown[] = Array.isArray(group.schema) ? (group.schema as unknown[]) : [];
  for (const b of branches) {
    const ref = b && typeof b === 'object' ? (b as { $ref?: unknown }).$ref : undefined;
    if (typeof ref === 'string' && ref.startsWith('#') && (e.schemaPath === ref || e.schemaPath.startsWith(`${ref}/`))) return true;
  }
  // A keyword of the same schema object evaluated before the oneOf (allOf, enum, another
  // anyOf…) is a sibling, not a branch.
  const parent = own.slice(0, own.lastIndexOf('/'));
  if (e.schemaPath.startsWith(`${parent}/`)) return false;
  // Anything else came through a `$ref`. Deeper down it is a branch's (a branch's properties
  // referencing shared definitions); on the value itself it is a sibling's (`allOf: [{$ref}]`).
  return e.instancePath !== group.instancePath;
}

function parseErrorTree(errors: readonly ErrorObject[]): ErrorNode[] {
  const stack: ErrorNode[] = [];
  for (const error of errors) {
    if (!isGroupKeyword(error.keyword)) {
      stack.push({ kind: 'leaf', error });
      continue;
    }
    const children: ErrorNode[] = [];
    while (stack.length > 0 && belongsTo(stack[stack.length - 1]!.error, error)) children.unshift(stack.pop()!);
    stack.push({ kind: 'group', error, children });
  }
  return stack;
}

// ---------------------------------------------------------------------------------------------

interface Item {
  readonly code: Code;
  readonly path: string;
  readonly message: string;
  readonly span: Span;
  readonly severity?: Problem['severity'];
  /** For merging `required` errors of one object into `missing properties 'a', 'b'`. */
  readonly missing?: readonly string[];
  /** The obvious repair, when there is one (a quick fix applies it). */
  readonly data?: ProblemData;
}

/** Turns instance paths into the spans worth underlining. */
class Locator {
  constructor(private readonly root: ValueNode) {}

  /** The key of the property holding the value, or the value's first character. */
  key(path: string): Span {
    const r = findByPointer(this.root, path);
    return r.property ? span(r.property.key) : head(r.node);
  }

  /** A scalar value itself; for objects and arrays, their key (underlining 200 lines helps no one). */
  value(path: string): Span {
    const r = findByPointer(this.root, path);
    if (!r.complete) return r.property ? span(r.property.key) : head(r.node);
    if (r.node.kind === 'object' || r.node.kind === 'array') return r.property ? span(r.property.key) : head(r.node);
    return span(r.node);
  }

  /** The key `name` inside the object at `path`. */
  childKey(path: string, name: string): Span {
    const r = findByPointer(this.root, path);
    if (r.complete && r.node.kind === 'object') {
      for (let i = r.node.properties.length - 1; i >= 0; i--) {
        const p = r.node.properties[i]!;
        if (p.key.value === name) return span(p.key);
      }
    }
    return this.key(path);
  }

  data(path: string): unknown {
    const r = findByPointer(this.root, path);
    return r.complete ? toValue(r.node) : undefined;
  }
}

function span(n: { offset: number; length: number }): Span {
  return { offset: n.offset, length: n.length };
}

/** The opening character of a value (`{`, `[`, or the first of a scalar). */
function head(n: ValueNode): Span {
  return n.kind === 'object' || n.kind === 'array' ? { offset: n.offset, length: Math.min(1, n.length) } : span(n);
}

function lastSegment(path: string): string | undefined {
  if (path === '') return undefined;
  return path.slice(path.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * `"version": "3"` fails `const: 3` with "value must be 3", which reads as nonsense: say that
 * the quotes are the problem.
 */
function quotedHint(data: unknown, allowed: readonly unknown[]): string {
  const match = quotedMatch(data, allowed);
  return match === undefined ? '' : `; the schema wants the ${typeof match === 'number' ? 'number' : jsonType(match)} ${JSON.stringify(match)}, not the string '${String(data)}'`;
}

/** The number or boolean a quoted string stands for, when the schema allows exactly that one. */
function quotedMatch(data: unknown, allowed: readonly unknown[]): number | boolean | undefined {
  if (typeof data !== 'string') return undefined;
  const match = allowed.find((v) => (typeof v === 'number' || typeof v === 'boolean') && JSON.stringify(v) === data.trim());
  return match as number | boolean | undefined;
}

/**
 * `"port": "8080"` runs (mapstructure reads the string weakly) but fails the lint; the bare
 * "got string, want integer" leaves the user wondering why KrakenD did not complain.
 */
function weakTypeHint(data: unknown, want: readonly string[], path: string): string {
  const unquoted = unquotedValue(data, want);
  if (unquoted === undefined) return '';
  const text = String(unquoted);
  // Only lura's own fields go through mapstructure's weak typing; each extra_config module
  // decodes its options its own way, often strictly.
  return path.includes('/extra_config/') ? `; write ${text} without quotes` : `; write ${text} without quotes (krakend run reads the string, the lint does not)`;
}

function quote(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function schemaTypes(t: unknown): string[] {
  if (Array.isArray(t)) return t.map(String);
  return String(t).split(',');
}

function propertyNamesOf(schema: unknown): string[] {
  if (schema && typeof schema === 'object' && 'properties' in schema) {
    const props = (schema as { properties?: unknown }).properties;
    if (props && typeof props === 'object') return Object.keys(props);
  }
  return [];
}

/** The number or boolean a string holds, when the schema wants that type (`"8080"` → 8080). */
function unquotedValue(data: unknown, want: readonly string[]): number | boolean | undefined {
  if (typeof data !== 'string') return undefined;
  const text = data.trim();
  if (want.includes('integer') && /^-?\d+$/.test(text)) return Number(text);
  if (want.includes('number') && text !== '' && Number.isFinite(Number(text))) return Number(text);
  if (want.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  return undefined;
}

const DURATION_PATTERN = '^[0-9]+(ns|ms|us|µs|s|m|h)$';
// The endpoint path pattern, as the official schema (Go escapes) and ours spell it.
const ENDPOINT_PATTERNS: ReadonlySet<string> = new Set(['^\\/[^\\*\\?\\&\\%]*(\\/\\*)?$', '^/[^*?&%]*(/\\*)?$']);

/** The endpoint pattern, said in words: the regular expression alone leaves users guessing. */
function endpointHint(value: string, pattern: string): string {
  if (!ENDPOINT_PATTERNS.has(pattern)) return '';
  if (!value.startsWith('/')) return `; start it with '/' (KrakenD serves it as '/${value.replace(/^\/*/, '')}', but the lint requires the slash)`;
  if (value.includes('?')) return '; a query string cannot be part of an endpoint: list its parameters in input_query_strings';
  if (/\*/.test(value.replace(/\/\*$/, ''))) return "; '*' is allowed only as a final '/*'";
  return "; '&' and '%' are not allowed in an endpoint path";
}

/** The one duration the schema accepts that `value` plainly meant (`'3 s'`, `'3 seconds'` → `'3s'`). */
function durationFix(value: string, pattern: string): string | undefined {
  if (pattern !== DURATION_PATTERN) return undefined;
  const s = durationSuggestion(value);
  return s !== undefined && /^\d+(ns|ms|us|µs|s|m|h)$/.test(s) ? s : undefined;
}

/** A hint for the most common pattern failure: durations that Go accepts but the lint does not. */
function durationHint(value: string, pattern: string): string {
  if (pattern !== DURATION_PATTERN) return '';
  const fixed = durationFix(value, pattern);
  if (fixed) return `; did you mean '${fixed}'?`;
  if (/^(\d+(\.\d+)?(ns|ms|us|µs|s|m|h))+$/.test(value)) return '; the schema wants one integer and one unit (such as \'90m\'), although krakend run accepts this';
  if (/^\d+$/.test(value)) return `; add a unit, such as '${value}s' (a bare number is read as nanoseconds)`;
  return '; write an integer and a unit: ns, ms, us, s, m or h';
}

function leafItem(e: ErrorObject, at: Locator): Item | undefined {
  const path = e.instancePath;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const namespace = lastSegment(path) === 'extra_config';
      const allowed = propertyNamesOf(e.parentSchema);
      const hint = namespace ? namespaceHint(name, path, new Set(allowed)) : undefined;
      const renamed = namespace ? undefined : renamedInV2(name, allowed);
      const guess = hint || renamed ? undefined : closestName(name, allowed);
      const elsewhere = namespace && !hint && !guess ? misplacedGuess(closestName(name, CE_NAMESPACE_NAMES)) : undefined;
      const tail = hint
        ? `; ${hint}`
        : renamed
          ? `; KrakenD 2 renamed it '${renamed}' and ignores the old name`
          : guess
            ? `; did you mean '${guess}'?`
            : elsewhere
              ? `; ${elsewhere}`
              : '';
      // A legacy key with its friendly name, a KrakenD 1 name, or a near miss: one obvious repair.
      // A namespace that belongs in another scope is not: moving it is the user's call.
      const legacyFriendly = hint && hint.startsWith('did you mean') ? namespaceInfo(name)?.name : undefined;
      const replacement = legacyFriendly ?? renamed ?? guess;
      return {
        code: namespace ? 'schema/unknown-namespace' : 'schema/additional-property',
        path,
        message: namespace
          ? `additional properties '${name}' not allowed: no such extra_config namespace here${tail}`
          : `additional properties '${name}' not allowed${tail}`,
        span: at.childKey(path, name),
        ...(replacement !== undefined ? { data: { replacement } } : {}),
      };
    }
    case 'false schema': {
      const name = lastSegment(path);
      return {
        code: 'schema/additional-property',
        path,
        message: name === undefined ? 'no value is allowed here' : `property '${name}' not allowed`,
        span: at.key(path),
      };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      return { code: 'schema/required', path, message: `missing property '${missing}'`, span: at.key(path), missing: [missing], data: { missing: [missing] } };
    }
    case 'dependentRequired':
    case 'dependencies': {
      const missing = String(params.missingProperty);
      return {
        code: 'schema/required',
        path,
        message: `missing property '${missing}', required when '${String(params.property)}' is present`,
        span: at.key(path),
      };
    }
    case 'type': {
      const want = schemaTypes(params.type);
      const unquoted = unquotedValue(e.data, want);
      return {
        code: 'schema/type',
        path,
        message: `got ${jsonType(e.data)}, want ${want.join(' or ')}${weakTypeHint(e.data, want, path)}`,
        span: at.value(path),
        ...(unquoted !== undefined ? { data: { replacement: unquoted } } : {}),
      };
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? (params.allowedValues as unknown[]) : [];
      const list = allowed.map(quote).join(', ');
      const guess = typeof e.data === 'string' ? closestName(e.data, allowed.filter((v): v is string => typeof v === 'string')) : undefined;
      const replacement = guess ?? quotedMatch(e.data, allowed);
      return {
        code: 'schema/enum',
        path,
        message: `${allowed.length === 1 ? `value must be ${list}` : `value must be one of ${list}`}${guess ? `; did you mean '${guess}'?` : quotedHint(e.data, allowed)}`,
        span: at.value(path),
        ...(replacement !== undefined ? { data: { replacement } } : {}),
      };
    }
    case 'const': {
      const replacement = quotedMatch(e.data, [params.allowedValue]);
      return {
        code: 'schema/enum',
        path,
        message: `value must be ${quote(params.allowedValue)}${quotedHint(e.data, [params.allowedValue])}`,
        span: at.value(path),
        ...(replacement !== undefined ? { data: { replacement } } : {}),
      };
    }
    case 'pattern': {
      const pattern = String(params.pattern);
      const value = typeof e.data === 'string' ? e.data : String(at.data(path));
      const fixed = durationFix(value, pattern);
      return {
        code: 'schema/pattern',
        path,
        message: `'${value}' does not match pattern '${pattern}'${durationHint(value, pattern)}${endpointHint(value, pattern)}`,
        span: at.value(path),
        ...(fixed !== undefined ? { data: { replacement: fixed } } : {}),
      };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'multipleOf':
      return { code: 'schema/range', path, message: `${e.keyword}: got ${JSON.stringify(e.data)}, want ${JSON.stringify(params.limit ?? params.multipleOf)}`, span: at.value(path) };
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
    case 'minProperties':
    case 'maxProperties': {
      const data = e.data;
      const got = Array.isArray(data) ? data.length : typeof data === 'string' ? [...data].length : data && typeof data === 'object' ? Object.keys(data).length : 0;
      return { code: 'schema/range', path, message: `${e.keyword}: got ${got}, want ${JSON.stringify(params.limit)}`, span: at.value(path) };
    }
    case 'uniqueItems': {
      const i = Number(params.i);
      const j = Number(params.j);
      return { code: 'schema/other', path, message: `items at ${Math.min(i, j)} and ${Math.max(i, j)} are equal`, span: at.value(path) };
    }
    case 'propertyNames': {
      const name = String(params.propertyName);
      return { code: 'schema/other', path, message: `invalid property name '${name}'`, span: at.childKey(path, name) };
    }
    case 'if':
      // Ajv adds "must match then schema" after the real error from `then`; that one is enough.
      return undefined;
    default:
      if ('propertyName' in params) return undefined; // the inner errors of propertyNames
      return { code: 'schema/other', path, message: `${e.keyword}: ${e.message ?? 'invalid'}`, span: at.value(path) };
  }
}

function depth(path: string): number {
  return path === '' ? 0 : path.split('/').length - 1;
}

function render(node: ErrorNode, at: Locator): Item[] {
  if (node.kind === 'leaf') {
    const item = leafItem(node.error, at);
    return item ? [item] : [];
  }
  const g = node.error;
  const path = g.instancePath;
  const params = g.params as Record<string, unknown>;
  const shapes = Array.isArray(g.schema) ? g.schema.length : 0;
  const passing = params.passingSchemas;
  if (Array.isArray(passing) && passing.length > 1) {
    const which = (passing as number[]).map((i) => i + 1).join(' and ');
    return [{ code: 'schema/one-of', path, message: `oneOf failed: value matches shapes ${which} of ${shapes}, but exactly one may match`, span: at.key(path) }];
  }
  // Attribute every child to the branch it came from. A child reached through a `$ref` does not
  // carry the branch index in its schema path; it belongs to the branch seen last.
  const branches = new Map<number, Item[]>();
  let current = 0;
  const prefix = `${g.schemaPath}/`;
  for (const child of node.children) {
    const sp = child.error.schemaPath;
    if (sp.startsWith(prefix)) current = Number.parseInt(sp.slice(prefix.length), 10) || 0;
    const list = branches.get(current) ?? [];
    list.push(...render(child, at));
    branches.set(current, list);
  }
  const numbered = [...branches.entries()].filter(([, l]) => l.length > 0);
  const lists = numbered.map(([, l]) => l);
  if (lists.length === 0) return [{ code: 'schema/one-of', path, message: `${g.keyword} failed, none matched`, span: at.key(path) }];
  if (lists.length === 1) return lists[0]!;
  // Every shape rejected the type: say which types would do.
  if (lists.every((l) => l.every((i) => i.code === 'schema/type' && i.path === path))) {
    const want = [...new Set(lists.flatMap((l) => l.map((i) => i.message.replace(/^got \S+, want /, '').replace(/;.*$/, '').split(' or '))).flat())];
    return [{ code: 'schema/type', path, message: `got ${jsonType(at.data(path))}, want ${want.join(' or ')}`, span: at.value(path) }];
  }
  // One shape fits the value itself and fails only deeper down: the user meant that shape, so
  // its own errors are the useful ones.
  const deep = lists.filter((l) => l.every((i) => depth(i.path) > depth(path) && i.code !== 'schema/one-of'));
  const deepest = (l: Item[]): number => Math.max(...l.map((i) => depth(i.path)));
  if (deep.length === 1 && lists.some((l) => !deep.includes(l))) return deep[0]!;
  // Several shapes fit the value: the one that got furthest (deepest errors, then fewest).
  if (deep.length > 1) return [...deep].sort((a, b) => deepest(b) - deepest(a) || a.length - b.length)[0]!;
  const summary = numbered
    .slice(0, 4)
    .map(([branch, l]) => {
      const parts = mergeRequired(l)
        .slice(0, 2)
        .map((it) => (it.path === path ? it.message : `at '${it.path.slice(path.length)}': ${it.message}`));
      return `(${branch + 1}) ${parts.join(', ')}`;
    })
    .join('; ');
  const more = lists.length > 4 ? '; …' : '';
  return [{ code: 'schema/one-of', path, message: `value matches none of the ${shapes || lists.length} allowed shapes: ${summary}${more}`, span: at.key(path) }];
}

/** `missing property 'a'` + `missing property 'b'` on one object → `missing properties 'a', 'b'`. */
function mergeRequired(items: readonly Item[]): Item[] {
  const out: Item[] = [];
  const byPath = new Map<string, number>();
  for (const it of items) {
    if (it.missing) {
      const at = byPath.get(it.path);
      if (at !== undefined) {
        const prev = out[at]!;
        const missing = [...prev.missing!, ...it.missing.filter((m) => !prev.missing!.includes(m))];
        out[at] = { ...prev, missing, data: { missing }, message: `missing properties ${missing.map((m) => `'${m}'`).join(', ')}` };
        continue;
      }
      byPath.set(it.path, out.length);
    }
    out.push(it);
  }
  return out;
}

function finish(items: readonly Item[]): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const it of mergeRequired(items)) {
    const key = `${it.code}|${it.span.offset}|${it.span.length}|${it.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const p: Problem = it.severity ? { code: it.code, message: it.message, span: it.span, severity: it.severity } : { code: it.code, message: it.message, span: it.span };
    out.push(it.data ? { ...p, data: it.data } : p);
  }
  return out;
}

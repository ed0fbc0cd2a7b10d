/**
 * YAML as KrakenD (CE 2.12+, koanf) reads it: go-yaml v3's `yaml.Unmarshal` into a
 * `map[string]interface{}`.
 *
 * The `yaml` package does the tokenising and gives positions. Everything go-yaml decides
 * itself is done here, on the failsafe (all-strings) tree: how a plain scalar resolves
 * (`yes`/`on` stay strings, `0777` is octal, `1e3` is a float), explicit tags, anchors and
 * aliases, merge keys, and duplicate keys, which go-yaml v3 rejects. Only the first document
 * is read, as yaml.Unmarshal does.
 */
import { Composer, Parser, isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Alias, CST, Node as YamlNode, Scalar, YAMLError, YAMLMap, YAMLSeq } from 'yaml';
import type { ArrayNode, NumberNode, ObjectNode, PropertyNode, StringNode, ValueNode } from './ast';
import type { ParseResult } from './parseJson';
import type { Problem, Span } from './types';

/** A number with the Go type go-yaml decodes it to; decode.ts reads `goType` for its messages. */
export interface YamlNumberNode extends NumberNode {
  readonly goType: 'int' | 'uint64' | 'float64';
}

/** Raised to stop at go-yaml's first fatal error (go-yaml panics and recovers the same way). */
class YamlFailure extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
  }
}

/** go-yaml's limit on alias expansion is about this order; it stops billion-laughs documents. */
const MAX_ALIAS_NODES = 1_000_000;

/**
 * How deep collections may nest in the text. The `yaml` package builds its document
 * recursively and runs out of stack somewhere near 900 levels, at a depth that moves with the
 * JIT's state (the same text could pass once and fail the next time), and a stack that runs out
 * while V8 compiles a regular expression aborts the whole process. So the depth is measured on
 * the parser's token tree, which is built without recursion, and nothing deeper is composed.
 * go-yaml reads up to 10,000 levels; no real configuration comes near this.
 */
export const MAX_YAML_DEPTH = 500;

/**
 * Parses `text` as go-yaml v3 would unmarshal it into `map[string]interface{}`.
 *
 * - Syntax errors: one `yaml/syntax` problem, go-yaml's `yaml: line N: <reason>`, no root.
 * - Duplicate keys: one `yaml/syntax` per repeated key (go-yaml reports them all), no root.
 * - A top-level sequence or scalar: `yaml/not-object`.
 * - An empty document or a top-level null: no problem and no root (Go gets a nil map).
 */
export function parseYaml(text: string): ParseResult {
  // Only the first document is read (as yaml.Unmarshal does), so only it is composed.
  const tokens = firstDocumentTokens(new Parser().parse(text));
  const deep = tooDeep(tokens, MAX_YAML_DEPTH);
  if (deep !== undefined) {
    // Our limit, not a syntax error in the file.
    return {
      root: undefined,
      problems: [{
        code: 'internal/error',
        message: `KrakenD Live's YAML reader cannot follow nesting deeper than ${MAX_YAML_DEPTH} levels (go-yaml reads up to 10,000 levels); please report it`,
        span: { offset: Math.min(deep, text.length), length: deep < text.length ? 1 : 0 },
      }],
    };
  }
  const composer = new Composer({ uniqueKeys: false, schema: 'failsafe', merge: false, strict: true });
  const doc = Array.from(composer.compose(tokens))[0];
  if (!doc) return { root: undefined, problems: [] };
  const error = firstError(doc.errors);
  if (error) {
    const span = goYamlErrorSpan(error, text);
    return { root: undefined, problems: [{ code: 'yaml/syntax', message: goYamlSyntaxMessage(error, text, span), span }] };
  }
  const builder = new Builder(text);
  let root: ValueNode | undefined;
  try {
    root = doc.contents ? builder.value(doc.contents) : undefined;
  } catch (e) {
    if (e instanceof YamlFailure) return { root: undefined, problems: [{ code: 'yaml/syntax', message: `yaml: ${e.message}`, span: e.span }] };
    throw e;
  }
  if (builder.problems.length > 0) return { root: undefined, problems: builder.problems };
  if (!root || root.kind === 'null') return { root: undefined, problems: [] };
  if (root.kind !== 'object') {
    const what = root.kind === 'array' ? '!!seq' : `${scalarTagOf(root)}${excerpt(text.slice(root.offset, root.offset + root.length), root)}`;
    return {
      root,
      problems: [{
        code: 'yaml/not-object',
        message: `yaml: unmarshal errors: line ${builder.lineOf(root.offset)}: cannot unmarshal ${what} into map[string]interface {}`,
        span: { offset: root.offset, length: root.length },
      }],
    };
  }
  return { root, problems: [] };
}

/** The parser's tokens up to the start of the second document. */
function firstDocumentTokens(tokens: Iterable<CST.Token>): CST.Token[] {
  const out: CST.Token[] = [];
  let documents = 0;
  for (const t of tokens) {
    if (t.type === 'document' && ++documents > 1) break;
    out.push(t);
  }
  return out;
}

/** The offset of the first collection nested deeper than `limit`, found without recursion. */
function tooDeep(tokens: readonly CST.Token[], limit: number): number | undefined {
  // Depth-first in text order (children pushed in reverse), so the first hit is the first in the text.
  const stack: [CST.Token, number][] = [];
  for (let i = tokens.length - 1; i >= 0; i--) stack.push([tokens[i]!, 0]);
  while (stack.length > 0) {
    const [t, depth] = stack.pop()!;
    if (t.type === 'document') {
      if (t.value) stack.push([t.value, depth]);
    } else if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      if (depth >= limit) return t.offset;
      for (let i = t.items.length - 1; i >= 0; i--) {
        const item = t.items[i]!;
        if (item.value) stack.push([item.value, depth + 1]);
        if (item.key) stack.push([item.key, depth + 1]);
      }
    }
  }
  return undefined;
}

function scalarTagOf(node: ValueNode): string {
  switch (node.kind) {
    case 'string':
      return '!!str';
    case 'boolean':
      return '!!bool';
    case 'number':
      return (node as YamlNumberNode).goType === 'float64' ? '!!float' : '!!int';
    default:
      return '!!map';
  }
}

/** go-yaml's terror shortens values longer than 10 bytes to 7 and an ellipsis. */
function excerpt(source: string, node: ValueNode): string {
  const v = node.kind === 'string' ? node.value : source;
  return v.length > 10 ? ` \`${v.slice(0, 7)}...\`` : ` \`${v}\``;
}

function firstError(errors: readonly YAMLError[]): YAMLError | undefined {
  let first: YAMLError | undefined;
  for (const e of errors) if (!first || e.pos[0] < first.pos[0]) first = e;
  return first;
}

/**
 * Where go-yaml (libyaml) notices the fault, which is not always where the `yaml` package
 * puts it: a nested mapping on one line fails on its `:`, an unclosed quote at the quote.
 */
function goYamlErrorSpan(e: YAMLError, text: string): Span {
  const start = Math.min(e.pos[0], text.length);
  const end = Math.min(Math.max(e.pos[1], start), text.length);
  if (e.code === 'BLOCK_AS_IMPLICIT_KEY') {
    const colon = /:(?=[ \t\r\n]|$)/g;
    colon.lastIndex = start;
    const m = colon.exec(text);
    if (m) return { offset: m.index, length: 1 };
  }
  if ((e.code === 'MISSING_CHAR' || e.code === 'BAD_INDENT') && /flow/i.test(e.message)) {
    // An unclosed flow collection: point at its opening bracket.
    const open = /\}/.test(e.message) ? '{' : '[';
    const b = text.lastIndexOf(open, start - 1);
    if (b >= 0) return { offset: b, length: 1 };
  }
  if (e.code === 'MISSING_CHAR' && /quote/i.test(e.message)) {
    const q = Math.max(text.lastIndexOf('"', start - 1), text.lastIndexOf("'", start - 1));
    if (q >= 0) return { offset: q, length: 1 };
  }
  return { offset: start, length: end - start };
}

/**
 * go-yaml reports libyaml's problem text with a line number. The `yaml` package finds the
 * same faults but words them its own way, so its codes are mapped to the libyaml reason a
 * KrakenD user would see for the usual cause.
 */
function goYamlSyntaxMessage(e: YAMLError, text: string, span: Span): string {
  // libyaml notices a multi-line implicit key only on the line after it starts.
  const line = lineNumberAt(text, e.code === 'MULTILINE_IMPLICIT_KEY' ? span.offset + span.length : span.offset);
  const own = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  let reason: string;
  switch (e.code) {
    case 'TAB_AS_INDENT':
    case 'BAD_SCALAR_START':
      reason = 'found character that cannot start any token';
      break;
    case 'BLOCK_AS_IMPLICIT_KEY':
      reason = 'mapping values are not allowed in this context';
      break;
    case 'MULTILINE_IMPLICIT_KEY':
    case 'KEY_OVER_1024_CHARS':
      reason = "could not find expected ':'";
      break;
    case 'MISSING_CHAR':
      if (/quote/i.test(own)) reason = 'found unexpected end of stream';
      else if (/\]/.test(own)) reason = "did not find expected ',' or ']'";
      else if (/\}/.test(own)) reason = "did not find expected ',' or '}'";
      else reason = "could not find expected ':'";
      break;
    case 'BAD_INDENT':
      reason = /flow/i.test(own) ? (/\}/.test(own) ? "did not find expected ',' or '}'" : "did not find expected ',' or ']'") : 'did not find expected key';
      break;
    case 'BAD_DQ_ESCAPE':
      reason = 'found unknown escape character';
      break;
    case 'UNEXPECTED_TOKEN':
      reason = 'did not find expected key';
      break;
    case 'MULTIPLE_ANCHORS':
    case 'MULTIPLE_TAGS':
    case 'ALIAS_PROPS':
    case 'BAD_PROP_ORDER':
      reason = 'did not find expected node content';
      break;
    default:
      reason = own;
  }
  return `yaml: line ${line}: ${reason} (${own})`;
}

function lineNumberAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 13) {
      if (text.charCodeAt(i + 1) !== 10) line++;
    }
  }
  return line;
}

// --- go-yaml v3's resolve() for plain scalars --------------------------------------------------

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_FLOAT = /^[+-]?(?:(?:[0-9](?:_?[0-9])*)?\.?(?:[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?|inf|infinity|nan)$/i;

type Resolved =
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'number'; readonly value: number; readonly goType: 'int' | 'uint64' | 'float64' }
  | { readonly kind: 'string'; readonly value: string };

const RESOLVE_MAP: ReadonlyMap<string, Resolved> = new Map<string, Resolved>([
  ...['true', 'True', 'TRUE'].map((s): [string, Resolved] => [s, { kind: 'boolean', value: true }]),
  ...['false', 'False', 'FALSE'].map((s): [string, Resolved] => [s, { kind: 'boolean', value: false }]),
  ...['', '~', 'null', 'Null', 'NULL'].map((s): [string, Resolved] => [s, { kind: 'null' }]),
  ...['.nan', '.NaN', '.NAN'].map((s): [string, Resolved] => [s, { kind: 'number', value: NaN, goType: 'float64' }]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s): [string, Resolved] => [s, { kind: 'number', value: Infinity, goType: 'float64' }]),
  ...['-.inf', '-.Inf', '-.INF'].map((s): [string, Resolved] => [s, { kind: 'number', value: -Infinity, goType: 'float64' }]),
]);

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** strconv.ParseInt/ParseUint(s, 0, 64) without underscores (go-yaml strips them first). */
function goParseInteger(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2]!;
  let v: bigint;
  if (/^0[xXoObB]/.test(body)) v = BigInt(`0${body[1]!.toLowerCase()}${body.slice(2)}`);
  else if (body.length > 1 && body.startsWith('0')) v = BigInt(`0o${body.slice(1)}`);
  else v = BigInt(body);
  return m[1] === '-' ? -v : v;
}

/** go-yaml v3's resolve("", in) for a plain scalar. */
function resolvePlain(s: string): Resolved {
  const item = RESOLVE_MAP.get(s);
  if (item) return item;
  const c = s.charCodeAt(0);
  if (c === 46 /* . */) {
    if (GO_FLOAT.test(s) && /[0-9]/.test(s)) {
      const v = Number(s.replace(/_/g, ''));
      if (Number.isFinite(v)) return { kind: 'number', value: v, goType: 'float64' };
    }
    return { kind: 'string', value: s };
  }
  const isDigit = c >= 48 && c <= 57;
  if (!isDigit && c !== 43 && c !== 45) return { kind: 'string', value: s };
  // A timestamp-looking value stays a string when decoded into interface{} (go-yaml v3 keeps it
  // so for compatibility); resolution would only change the type, so nothing to do here.
  const plain = s.replace(/_/g, '');
  const i = goParseInteger(plain);
  if (i !== undefined) {
    // Go's base-0 ParseUint has no sign, so "+5" is parsed by ParseInt only; both agree here.
    if (i >= INT64_MIN && i <= INT64_MAX) return { kind: 'number', value: Number(i), goType: 'int' };
    if (i >= 0n && i <= UINT64_MAX && !plain.startsWith('+')) return { kind: 'number', value: Number(i), goType: 'uint64' };
  }
  if (YAML_STYLE_FLOAT.test(plain)) {
    const v = Number(plain);
    if (Number.isFinite(v)) return { kind: 'number', value: v, goType: 'float64' };
  }
  return { kind: 'string', value: s };
}

const TAG_PREFIX = 'tag:yaml.org,2002:';

// --- building our AST ------------------------------------------------------------------------

class Builder {
  readonly problems: Problem[] = [];
  private readonly anchors = new Map<string, ValueNode>();
  private readonly defining = new Set<string>();
  private aliasNodes = 0;
  private lineStarts: number[] | undefined;

  constructor(private readonly text: string) {}

  /** 1-based line of an offset, for go-yaml's "line N" messages. */
  lineOf(offset: number): number {
    if (!this.lineStarts) {
      const starts = [0];
      const t = this.text;
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (t.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        }
      }
      this.lineStarts = starts;
    }
    const s = this.lineStarts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  value(node: YamlNode): ValueNode {
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) this.defining.add(anchor);
    let out: ValueNode;
    if (isAlias(node)) out = this.alias(node);
    else if (isMap(node)) out = this.mapping(node);
    else if (isSeq(node)) out = this.sequence(node);
    else out = this.scalar(node);
    if (anchor) {
      this.defining.delete(anchor);
      this.anchors.set(anchor, out);
    }
    return out;
  }

  private span(node: YamlNode): Span {
    const r = node.range ?? [0, 0, 0];
    // Block collections and scalars end after their line break; the range should not.
    let end = r[1];
    while (end > r[0] && isSpace(this.text.charCodeAt(end - 1))) end--;
    return { offset: r[0], length: end - r[0] };
  }

  private alias(node: Alias): ValueNode {
    const name = node.source;
    const span = this.span(node);
    if (this.defining.has(name)) throw new YamlFailure(`anchor '${name}' value contains itself`, span);
    const target = this.anchors.get(name);
    if (!target) throw new YamlFailure(`unknown anchor '${name}' referenced`, span);
    return this.relocate(target, span);
  }

  /**
   * A copy of an aliased tree placed at the alias, so problems in it point at the alias use.
   * Iterative: aliases of trees that hold aliases nest far deeper than the text does.
   */
  private relocate(node: ValueNode, at: Span): ValueNode {
    const { offset, length } = at;
    const copy = (n: ValueNode): ValueNode => {
      if (++this.aliasNodes > MAX_ALIAS_NODES) throw new YamlFailure('document contains excessive aliasing', at);
      if (n.kind === 'object') return { kind: 'object', offset, length, properties: [] };
      if (n.kind === 'array') return { kind: 'array', offset, length, items: [] };
      return { ...n, offset, length };
    };
    const top = copy(node);
    const stack: [ValueNode, ValueNode][] = [[node, top]];
    while (stack.length > 0) {
      const [from, to] = stack.pop()!;
      if (from.kind === 'object') {
        const properties = (to as ObjectNode).properties as PropertyNode[];
        for (const p of from.properties) {
          const value = copy(p.value);
          properties.push({ kind: 'property', offset, length, key: { kind: 'string', offset, length, value: p.key.value }, value });
          stack.push([p.value, value]);
        }
      } else if (from.kind === 'array') {
        const items = (to as ArrayNode).items as ValueNode[];
        for (const item of from.items) {
          const value = copy(item);
          items.push(value);
          stack.push([item, value]);
        }
      }
    }
    return top;
  }

  private sequence(node: YAMLSeq<unknown>): ValueNode {
    const span = this.span(node);
    const items: ValueNode[] = [];
    for (const item of node.items) items.push(item ? this.value(item as YamlNode) : this.nullAt(span.offset + span.length));
    return { kind: 'array', offset: span.offset, length: span.length, items };
  }

  private nullAt(offset: number): ValueNode {
    return { kind: 'null', offset, length: 0 };
  }

  private mapping(node: YAMLMap<unknown, unknown>): ValueNode {
    const span = this.span(node);
    const pairs = node.items;
    const properties: PropertyNode[] = [];
    const merges: { node: ValueNode; keyNode: YamlNode | null }[] = [];
    const seen = new Map<string, number>();
    for (const pair of pairs) {
      const keyNode = (pair.key ?? null) as YamlNode | null;
      const valueNode = (pair.value ?? null) as YamlNode | null;
      const keyStart = keyNode?.range?.[0] ?? valueNode?.range?.[0] ?? span.offset;
      const identity = keyNode ? this.keyIdentity(keyNode) : 'scalar:';
      const earlier = seen.get(identity);
      if (earlier !== undefined) {
        const keyText = identity.slice(identity.indexOf(':') + 1);
        this.problems.push({
          code: 'yaml/syntax',
          message: `yaml: unmarshal errors: line ${this.lineOf(keyStart)}: mapping key ${JSON.stringify(keyText)} already defined at line ${this.lineOf(earlier)}`,
          span: keyNode ? this.span(keyNode) : { offset: keyStart, length: 0 },
        });
      } else {
        seen.set(identity, keyStart);
      }
      const value = valueNode ? this.value(valueNode) : this.nullAt(keyNode ? keyNode.range![1] : keyStart);
      if (keyNode && isMergeKey(keyNode)) {
        merges.push({ node: value, keyNode });
        continue;
      }
      const key = keyNode ? this.key(keyNode) : { kind: 'string' as const, offset: keyStart, length: 0, value: '' };
      properties.push({ kind: 'property', offset: key.offset, length: Math.max(key.length, value.offset + value.length - key.offset), key, value });
    }
    // go-yaml uses the last merge key only; keys written in the mapping win over merged
    // ones, and among merged mappings the first to define a key wins.
    const merge = merges[merges.length - 1];
    if (merge) this.applyMerge(properties, merge.node);
    return { kind: 'object', offset: span.offset, length: span.length, properties };
  }

  private applyMerge(properties: PropertyNode[], merge: ValueNode): void {
    const sources: ValueNode[] = merge.kind === 'array' ? [...merge.items] : [merge];
    if (merge.kind !== 'object' && merge.kind !== 'array') {
      throw new YamlFailure('map merge requires map or sequence of maps as the value', { offset: merge.offset, length: merge.length });
    }
    const present = new Set(properties.map((p) => p.key.value));
    for (const src of sources) {
      if (src.kind !== 'object') throw new YamlFailure('map merge requires map or sequence of maps as the value', { offset: src.offset, length: src.length });
      for (const p of src.properties) {
        if (present.has(p.key.value)) continue;
        present.add(p.key.value);
        properties.push(p);
      }
    }
  }

  /** What go-yaml compares to find duplicate keys: the node kind and its raw value. */
  private keyIdentity(node: YamlNode): string {
    if (isAlias(node)) return `alias:${node.source}`;
    if (isScalar(node)) return `scalar:${scalarText(node)}`;
    return `collection:${node.range?.[0] ?? 0}`;
  }

  /**
   * A mapping key as it ends up in Go's map[string]interface{}: the scalar's text. Complex
   * keys cannot be map keys in Go.
   */
  private key(node: YamlNode): StringNode {
    const span = this.span(node);
    if (isScalar(node)) {
      const r = this.scalar(node);
      const value = r.kind === 'null' ? '' : scalarText(node);
      return { kind: 'string', offset: span.offset, length: span.length, value };
    }
    if (isAlias(node)) {
      const v = this.alias(node);
      if (v.kind === 'string') return { kind: 'string', offset: span.offset, length: span.length, value: v.value };
      if (v.kind === 'number') return { kind: 'string', offset: span.offset, length: span.length, value: v.raw };
      if (v.kind === 'boolean') return { kind: 'string', offset: span.offset, length: span.length, value: String(v.value) };
    }
    throw new YamlFailure(`invalid map key: ${isSeq(node) ? '[]interface {}' : 'map[string]interface {}'}`, span);
  }

  private scalar(node: Scalar): ValueNode {
    const span = this.span(node);
    const text = scalarText(node);
    const tag = node.tag;
    const plain = node.type === 'PLAIN' || node.type === undefined;
    let r: Resolved;
    if (!tag || tag === '!') {
      r = plain && tag !== '!' ? resolvePlain(text) : { kind: 'string', value: text };
    } else if (tag.startsWith(TAG_PREFIX)) {
      r = this.resolveTagged(tag.slice(TAG_PREFIX.length), text, span);
    } else {
      // A local tag (`!foo`) is not resolvable: go-yaml hands the text over as a string.
      r = { kind: 'string', value: text };
    }
    switch (r.kind) {
      case 'null':
        return { kind: 'null', offset: span.offset, length: span.length };
      case 'boolean':
        return { kind: 'boolean', offset: span.offset, length: span.length, value: r.value };
      case 'string':
        return { kind: 'string', offset: span.offset, length: span.length, value: r.value };
      case 'number': {
        const n: YamlNumberNode = { kind: 'number', offset: span.offset, length: span.length, value: r.value, raw: text, goType: r.goType };
        return n;
      }
    }
  }

  /** resolve(tag, in) with an explicit tag: the value must resolve to that tag (int → float is allowed). */
  private resolveTagged(tag: string, text: string, span: Span): Resolved {
    switch (tag) {
      case 'str':
      case 'binary':
      case 'timestamp':
        return { kind: 'string', value: text };
      case 'merge':
        return { kind: 'string', value: text };
      case 'int':
      case 'float':
      case 'bool':
      case 'null': {
        const r = resolvePlain(text);
        const got = r.kind === 'boolean' ? 'bool' : r.kind === 'number' ? (r.goType === 'float64' ? 'float' : 'int') : r.kind === 'null' ? 'null' : 'str';
        if (got === tag) return r;
        if (tag === 'float' && got === 'int' && r.kind === 'number') return { kind: 'number', value: r.value, goType: 'float64' };
        throw new YamlFailure(`cannot decode !!${got} \`${text}\` as a !!${tag}`, span);
      }
      default:
        // Collections and unknown !! tags on a scalar: go-yaml keeps the text.
        return { kind: 'string', value: text };
    }
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function scalarText(node: Scalar): string {
  const v: unknown = node.value;
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

/** go-yaml's isMerge: a plain `<<` untagged, `!` or `!!merge`. */
function isMergeKey(node: YamlNode): boolean {
  if (!isScalar(node) || scalarText(node) !== '<<') return false;
  if (node.type !== 'PLAIN') return false;
  const tag = node.tag;
  return !tag || tag === '!' || tag === `${TAG_PREFIX}merge`;
}

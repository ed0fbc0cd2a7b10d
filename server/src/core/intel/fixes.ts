/**
 * Quick fixes for the problems that have one obvious repair. What to write comes from the
 * problem's own data (ProblemData: a suggestion, the missing properties), never from its
 * message; where to write it is the problem's span, which the editor keeps in step with edits.
 * Only the duplicate key and the missing properties need the tree, to find the property or the
 * object to change.
 */
import type { ArrayNode, ObjectNode, PropertyNode, ValueNode } from '../ast';
import { getProperty } from '../ast';
import { parseYaml } from '../parseYaml';
import type { ConfigFormat, ProblemData, Span } from '../types';
import type { PathSegment } from './context';
import { parseJsonLoose } from './looseJson';
import { indentUnit, jsonValue, renderScalar, yamlString, yamlValue } from './render';

export interface FixInput {
  readonly text: string;
  readonly format: ConfigFormat;
  readonly code: string;
  /** The problem's span in the current text. */
  readonly span: Span;
  readonly data?: ProblemData;
}

export interface TextEditData {
  readonly span: Span;
  readonly newText: string;
}

export interface QuickFix {
  readonly title: string;
  readonly edits: readonly TextEditData[];
  /** The fix to apply with "Fix all"/auto-fix: the obvious one. */
  readonly preferred: boolean;
}

/** Properties a quick fix may add, with the value it writes (the endpoint's own path, when known). */
const ADDABLE: ReadonlySet<string> = new Set(['url_pattern', 'backend']);

/** The quick fixes for one problem (none when its repair is not obvious). */
export function quickFixes(input: FixInput): QuickFix[] {
  const fixes = rawFixes(input);
  // New lines in the file's own line ends, so a CRLF file stays CRLF.
  if (!input.text.includes('\r\n')) return fixes;
  return fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, newText: e.newText.replace(/\r?\n/g, '\r\n') })) }));
}

function rawFixes(input: FixInput): QuickFix[] {
  const { data } = input;
  if (input.code === 'json/duplicate-key' && input.format === 'json') {
    const fix = removeDuplicate(input);
    return fix ? [fix] : [];
  }
  if (data?.add && input.code.startsWith('audit/')) {
    const fix = addAtPath(input, data.add);
    return fix ? [fix] : [];
  }
  if (data?.replacement !== undefined) {
    const fix = replace(input, data.replacement);
    return fix ? [fix] : [];
  }
  if (data?.missing) {
    const fixes: QuickFix[] = [];
    for (const name of data.missing) {
      if (!ADDABLE.has(name)) continue;
      const fix = addMissing(input, name);
      if (fix) fixes.push(fix);
    }
    return fixes;
  }
  return [];
}

function slice(text: string, span: Span): string {
  return text.slice(span.offset, span.offset + span.length);
}

function replace(input: FixInput, value: string | number | boolean): QuickFix | undefined {
  const current = slice(input.text, input.span);
  // The span must still be exactly one scalar or key: never overwrite more than that.
  if (!isScalarText(current, input.format)) return undefined;
  const newText = renderScalar(value, input.format, current);
  if (newText === current) return undefined;
  const shown = typeof value === 'string' ? `'${value}'` : String(value);
  const title =
    input.code === 'schema/type'
      ? `Write ${shown} without quotes`
      : input.code === 'route/manual-param'
        ? `Use input params: ${shown}`
        : `Change to ${shown}`;
  return { title, edits: [{ span: input.span, newText }], preferred: true };
}

/** One JSON string or literal, or one YAML scalar on one line, with nothing around it. */
function isScalarText(s: string, format: ConfigFormat): boolean {
  if (format === 'json') return /^"(?:[^"\\\n]|\\.)*"$/.test(s) || /^[^\s{}[\],:"]+$/.test(s);
  return s !== '' && s.trim() === s && !/[\n\r]/.test(s) && !/^[{[]/.test(s) && !/^[^'"].*:\s/.test(s);
}

// ---------------------------------------------------------------------------------------------
// the tree

function treeOf(input: FixInput): ValueNode | undefined {
  if (input.format === 'json') return parseJsonLoose(input.text);
  return parseYaml(input.text).root;
}

function end(n: { offset: number; length: number }): number {
  return n.offset + n.length;
}

interface Found {
  /** The property whose key (or value) is at the span, if that is how it was found. */
  readonly property?: PropertyNode;
  /** The object holding that property, or the node at the span. */
  readonly parent?: ObjectNode;
  readonly node?: ValueNode;
  readonly path: readonly PathSegment[];
}

/** The property whose key or value is exactly at `span`, or the object or list starting there. */
function findAt(root: ValueNode, span: Span): Found | undefined {
  const stack: { node: ValueNode; path: PathSegment[] }[] = [{ node: root, path: [] }];
  let startsHere: Found | undefined;
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (span.offset < node.offset || span.offset > end(node)) continue;
    if (node.offset === span.offset && (node.kind === 'object' || node.kind === 'array')) startsHere ??= { node, path };
    if (node.kind === 'object') {
      for (const p of node.properties) {
        const keyHit = p.key.offset === span.offset && p.key.length === span.length;
        const valueHit = p.value.offset === span.offset && p.value.length === span.length && p.value.kind !== 'object' && p.value.kind !== 'array';
        if (keyHit || valueHit) return { property: p, parent: node, node: p.value, path: [...path, p.key.value] };
        stack.push({ node: p.value, path: [...path, p.key.value] });
      }
    } else if (node.kind === 'array') {
      node.items.forEach((item, i) => stack.push({ node: item, path: [...path, i] }));
    }
  }
  return startsHere;
}

// ---------------------------------------------------------------------------------------------
// duplicate keys

function removeDuplicate(input: FixInput): QuickFix | undefined {
  const root = treeOf(input);
  if (!root) return undefined;
  const found = findAt(root, input.span);
  const p = found?.property;
  const obj = found?.parent;
  if (!p || !obj || p.key.offset !== input.span.offset) return undefined;
  const props = obj.properties;
  const i = props.indexOf(p);
  let span: Span;
  if (i < props.length - 1) {
    // Up to the next key: the property, its comma and the space before the next one.
    span = { offset: p.offset, length: props[i + 1]!.offset - p.offset };
  } else if (i > 0) {
    // The last one: from the end of the one before (taking the comma between).
    const prev = props[i - 1]!;
    span = { offset: end(prev), length: end(p) - end(prev) };
  } else {
    span = { offset: p.offset, length: p.length };
  }
  return { title: `Remove this '${p.key.value}' (KrakenD uses the last one)`, edits: [{ span, newText: '' }], preferred: true };
}

// ---------------------------------------------------------------------------------------------
// missing properties

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  const e = nl < 0 ? text.length : nl;
  return e > 0 && text[e - 1] === '\r' ? e - 1 : e;
}

/** The white space before `offset` on its line, when only white space is there. */
function indentBefore(text: string, offset: number): string | undefined {
  const before = text.slice(lineStartOf(text, offset), offset);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

function lineIndent(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStartOf(text, offset)))![0];
}

function endpointPathFor(root: ValueNode, path: readonly PathSegment[]): string | undefined {
  if (path[0] !== 'endpoints' || typeof path[1] !== 'number' || root.kind !== 'object') return undefined;
  const list = getProperty(root, 'endpoints')?.value;
  const e = list?.kind === 'array' ? list.items[path[1]] : undefined;
  const p = e?.kind === 'object' ? getProperty(e, 'endpoint')?.value : undefined;
  return p?.kind === 'string' && p.value !== '' ? p.value : undefined;
}

function addMissing(input: FixInput, name: string): QuickFix | undefined {
  const root = treeOf(input);
  if (!root) return undefined;
  const found = findAt(root, input.span);
  if (!found?.node) return undefined;
  const urlPattern = endpointPathFor(root, found.path) ?? '/';
  const backend = [{ url_pattern: urlPattern }];
  const unit = indentUnit(input.text);
  const n = found.node;
  if (n.kind === 'object') {
    const value: unknown = name === 'backend' ? backend : urlPattern;
    const edit = insertProperty(input, n, name, value, unit);
    return edit ? { title: name === 'backend' ? `Add a backend for ${urlPattern}` : `Add "url_pattern": "${urlPattern}"`, edits: [edit], preferred: true } : undefined;
  }
  // `"backend": []` (or null): give it one backend.
  if (name === 'backend' && found.property && found.property.key.value === 'backend' && (n.kind === 'null' || (n.kind === 'array' && n.items.length === 0))) {
    const edit = fillBackend(input, found.property, n, backend, unit);
    return edit ? { title: `Add a backend for ${urlPattern}`, edits: [edit], preferred: true } : undefined;
  }
  return undefined;
}

function insertProperty(input: FixInput, obj: ObjectNode, name: string, value: unknown, unit: string): TextEditData | undefined {
  const { text } = input;
  // JSON objects, and YAML flow mappings (`{ a: 1 }`), take the new property JSON's way.
  const flow = input.format === 'yaml' && text[obj.offset] === '{';
  if (input.format === 'json' || flow) {
    const key = input.format === 'json' ? JSON.stringify(name) : yamlString(name);
    const last = obj.properties[obj.properties.length - 1];
    if (last) {
      const indent = indentBefore(text, last.offset);
      const at = end(last);
      if (indent !== undefined && !flow) return { span: { offset: at, length: 0 }, newText: `,\n${indent}${key}: ${jsonValue(value, indent, unit)}` };
      return { span: { offset: at, length: 0 }, newText: `, ${key}: ${JSON.stringify(value)}` };
    }
    const base = lineIndent(text, obj.offset);
    if (flow && input.format === 'yaml') return { span: obj, newText: `{ ${key}: ${JSON.stringify(value)} }` };
    const inner = `${base}${unit}`;
    return { span: obj, newText: `{\n${inner}${key}: ${jsonValue(value, inner, unit)}\n${base}}` };
  }
  // A YAML block mapping: a new line at the column of its keys, after its last entry.
  const first = obj.properties[0];
  const last = obj.properties[obj.properties.length - 1];
  if (!first || !last) return undefined;
  const indent = ' '.repeat(first.key.offset - lineStartOf(text, first.key.offset));
  const lastEnd = Math.max(end(last.key), end(last.value));
  const at = lineEndOf(text, Math.max(lastEnd - 1, last.key.offset));
  return { span: { offset: at, length: 0 }, newText: `\n${indent}${yamlString(name)}:${yamlValue(value, indent, unit)}` };
}

function fillBackend(input: FixInput, p: PropertyNode, value: ArrayNode | ValueNode, backend: readonly object[], unit: string): TextEditData | undefined {
  const { text } = input;
  if (input.format === 'json') {
    if (value.length === 0) return undefined;
    const indent = lineIndent(text, p.key.offset);
    return { span: value, newText: jsonValue(backend, indent, unit) };
  }
  // YAML: replace everything after `backend:` (a `[]`, a `null`, or nothing) with a block.
  const colon = text.indexOf(':', end(p.key));
  if (colon < 0) return undefined;
  const indent = ' '.repeat(p.key.offset - lineStartOf(text, p.key.offset));
  const stop = value.length > 0 ? end(value) : colon + 1;
  return { span: { offset: colon, length: stop - colon }, newText: `:${yamlValue(backend, indent, unit)}` };
}

// ---------------------------------------------------------------------------------------------
// audit recommendations: a property added (or set) at a path from the root

type Addition = NonNullable<ProblemData['add']>;

/** The value of a property created at a missing path segment: `{rest…: {name: value}}`. */
function below(rest: readonly (string | number)[], name: string, value: unknown): Record<string, unknown> {
  return rest.length === 0 ? { [name]: value } : { [String(rest[0])]: below(rest.slice(1), name, value) };
}

function addAtPath(input: FixInput, add: Addition): QuickFix | undefined {
  const root = treeOf(input);
  if (!root) return undefined;
  const unit = indentUnit(input.text);
  const shown = [...add.path.filter((s) => s !== 'extra_config' && typeof s === 'string'), add.name].join('.');
  const title = typeof add.value === 'object' ? `Add ${add.name} with recommended defaults` : `Set ${shown} to ${JSON.stringify(add.value)}`;
  let node: ValueNode = root;
  for (let i = 0; i < add.path.length; i++) {
    const seg = add.path[i]!;
    if (node.kind === 'array' && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) return undefined;
      node = item;
      continue;
    }
    if (node.kind !== 'object') return undefined;
    const p = getProperty(node, String(seg));
    if (!p) {
      const edit = insertProperty(input, node, String(seg), below(add.path.slice(i + 1), add.name, add.value), unit);
      return edit ? { title, edits: [edit], preferred: true } : undefined;
    }
    node = p.value;
  }
  if (node.kind !== 'object') return undefined;
  const existing = getProperty(node, add.name);
  if (existing) {
    // Only a scalar is replaced (hide_version_header: false → true); an object is left alone.
    if (existing.value.kind === 'object' || existing.value.kind === 'array') return undefined;
    const newText = renderScalar(add.value as string | number | boolean, input.format, slice(input.text, existing.value));
    return { title, edits: [{ span: { offset: existing.value.offset, length: existing.value.length }, newText }], preferred: true };
  }
  const edit = insertProperty(input, node, add.name, add.value, unit);
  return edit ? { title, edits: [edit], preferred: true } : undefined;
}

/**
 * Which part of the settings data an expression in a template stands for, through the ways a
 * template reaches it: `.a.b` and `$.a.b`, a variable (`$svc := .service` then `$svc.port`), and
 * the dot or variables of `range` and `with` (`range $e := .endpoints.list` then `$e.path`). For
 * completion, hover and definition inside `{{ }}`.
 *
 * A path is the settings file's base name, then keys, with `*` for "any element" of a list a
 * `range` walks. Read with the lexer, like navigation.ts: the file is being edited.
 */
import type { ValueNode } from '../ast';
import { getProperty } from '../ast';
import { ItemType, Lexer } from '../template/lex';
import type { Item } from '../template/lex';
import type { Span } from '../types';

/** Keys, and `*` for any element (settings keys are never `*` in practice). */
export type DataPath = readonly string[];

/** What the dot and each variable stand for; undefined when it is not (known) settings data. */
interface Scope {
  dot: DataPath | undefined;
  vars: Map<string, DataPath | undefined>;
}

interface Frame {
  readonly kind: 'if' | 'range' | 'with' | 'define';
  readonly outer: Scope;
  scope: Scope;
}

function lex(text: string): Item[] {
  const lexer = new Lexer(text, { emitComment: false, breakOK: true, continueOK: true });
  const out: Item[] = [];
  for (let i = 0; i <= text.length + 1; i++) {
    const item = lexer.nextItem();
    if (item.typ === ItemType.EOF || item.typ === ItemType.Error) break;
    if (item.typ !== ItemType.Space) out.push(item);
  }
  return out;
}

function copy(s: Scope): Scope {
  return { dot: s.dot, vars: new Map(s.vars) };
}

/** The path of a chain that starts at `items[i]`: `.`, `.a.b`, `$`, `$v.a`; undefined for anything else. */
function chainPath(items: readonly Item[], i: number, scope: Scope, end = items.length): DataPath | undefined {
  const first = items[i];
  if (!first) return undefined;
  let base: DataPath | undefined;
  let j = i;
  if (first.typ === ItemType.Dot) return i + 1 === end || items[i + 1]?.typ === ItemType.RightDelim ? scope.dot : undefined;
  if (first.typ === ItemType.Variable) {
    base = scope.vars.get(first.val);
    j++;
  } else if (first.typ === ItemType.Field) base = scope.dot;
  else return undefined;
  const fields: string[] = [];
  for (; j < end && items[j]!.typ === ItemType.Field; j++) fields.push(items[j]!.val.slice(1));
  // Anything after the chain (arguments, a pipe) makes it a call, not the data.
  if (j < end && items[j]!.typ !== ItemType.RightDelim) return undefined;
  return base === undefined ? undefined : [...base, ...fields];
}

/** Applies one action (`items[start]` is its left delimiter) to the frames; returns the index after it. */
function applyAction(items: readonly Item[], start: number, frames: Frame[], scope: () => Scope): number {
  let end = start + 1;
  while (end < items.length && items[end]!.typ !== ItemType.RightDelim) end++;
  const first = items[start + 1];
  if (!first) return end + 1;
  const s = scope();
  const declared = (at: number): { names: string[]; from: number } => {
    // `$a, $b := …` or `$a := …` right after the keyword.
    const names: string[] = [];
    let k = at;
    while (items[k]?.typ === ItemType.Variable && (items[k + 1]?.typ === ItemType.Declare || items[k + 1]?.typ === ItemType.Assign || items[k + 1]?.typ === ItemType.Char)) {
      names.push(items[k]!.val);
      const sep = items[k + 1]!;
      k += 2;
      if (sep.typ !== ItemType.Char) break;
    }
    return names.length > 0 && (items[k - 1]?.typ === ItemType.Declare || items[k - 1]?.typ === ItemType.Assign) ? { names, from: k } : { names: [], from: at };
  };
  switch (first.typ) {
    case ItemType.If:
    case ItemType.Range:
    case ItemType.With: {
      const kind = first.typ === ItemType.If ? 'if' : first.typ === ItemType.Range ? 'range' : 'with';
      const inner = copy(s);
      const d = declared(start + 2);
      const target = chainPath(items, d.from, s, end);
      const each: DataPath | undefined = kind === 'range' ? (target ? [...target, '*'] : undefined) : target;
      if (kind !== 'if') inner.dot = each;
      if (d.names.length === 1) inner.vars.set(d.names[0]!, kind === 'if' ? target : each);
      else if (d.names.length === 2) {
        inner.vars.set(d.names[0]!, undefined);
        inner.vars.set(d.names[1]!, each);
      }
      frames.push({ kind, outer: s, scope: inner });
      break;
    }
    case ItemType.Define:
    case ItemType.Block:
      frames.push({ kind: 'define', outer: s, scope: { dot: undefined, vars: new Map([['$', undefined]]) } });
      break;
    case ItemType.Else: {
      const f = frames[frames.length - 1];
      if (!f) break;
      const next = items[start + 2];
      const inner = copy(f.outer);
      if (next?.typ === ItemType.With) {
        const d = declared(start + 3);
        inner.dot = chainPath(items, d.from, f.outer, end);
        if (d.names.length === 1) inner.vars.set(d.names[0]!, inner.dot);
      }
      f.scope = inner;
      break;
    }
    case ItemType.End:
      frames.pop();
      break;
    case ItemType.Variable: {
      const d = declared(start + 1);
      if (d.names.length === 1) s.vars.set(d.names[0]!, chainPath(items, d.from, s, end));
      break;
    }
    default:
      break;
  }
  return end + 1;
}

/** The scope at `offset`: what the dot and the variables stand for there. */
function scopeAt(items: readonly Item[], offset: number): Scope {
  const root: Scope = { dot: [], vars: new Map([['$', []]]) };
  const frames: Frame[] = [];
  const scope = (): Scope => frames[frames.length - 1]?.scope ?? root;
  let i = 0;
  while (i < items.length) {
    const item = items[i]!;
    if (item.pos >= offset) break;
    if (item.typ !== ItemType.LeftDelim) {
      i++;
      continue;
    }
    // Only actions that end before the cursor change the scope the cursor is in.
    let end = i + 1;
    while (end < items.length && items[end]!.typ !== ItemType.RightDelim) end++;
    if (end >= items.length || items[end]!.pos >= offset) break;
    i = applyAction(items, i, frames, scope);
  }
  return scope();
}

/** A data chain under the cursor: its path up to the field the cursor is on. */
export interface DataReference {
  readonly path: DataPath;
  /** The field (or variable) under the cursor. */
  readonly span: Span;
}

/** The settings path of the field chain under the cursor, through variables, `range` and `with`. */
export function dataReferenceAt(text: string, offset: number): DataReference | undefined {
  const items = lex(text);
  const at = items.findIndex((it) => it.pos <= offset && offset <= it.pos + it.val.length && (it.typ === ItemType.Field || it.typ === ItemType.Variable));
  if (at < 0) return undefined;
  let first = at;
  while (first > 0 && items[first]!.typ === ItemType.Field && items[first - 1]!.pos + items[first - 1]!.val.length === items[first]!.pos && (items[first - 1]!.typ === ItemType.Field || items[first - 1]!.typ === ItemType.Variable)) first--;
  const scope = scopeAt(items, offset);
  const head = items[first]!;
  let base: DataPath | undefined;
  let fieldsFrom = first;
  if (head.typ === ItemType.Variable) {
    base = scope.vars.get(head.val);
    fieldsFrom++;
  } else base = scope.dot;
  if (base === undefined) return undefined;
  const fields = items.slice(fieldsFrom, at + 1).map((f) => f.val.slice(1));
  const cur = items[at]!;
  return { path: [...base, ...fields], span: { offset: cur.pos, length: cur.val.length } };
}

/** What is being typed inside `{{ }}` at the cursor, for completion. */
export type ActionCompletion =
  /** A field after a chain: offer the keys of the data at `path`. */
  | { readonly kind: 'field'; readonly path: DataPath; readonly span: Span }
  /** A partial's or a sub-template's name inside the quotes. */
  | { readonly kind: 'partial' | 'template'; readonly span: Span }
  /** A function (or keyword) name. */
  | { readonly kind: 'function'; readonly span: Span };

/** Whether `offset` is inside an action (`{{` before it, no `}}` between). */
function actionStart(text: string, offset: number): number | undefined {
  const open = text.lastIndexOf('{{', offset - 2);
  if (open < 0) return undefined;
  const close = text.lastIndexOf('}}', offset - 2);
  return close > open ? undefined : open;
}

/** What the cursor inside an action asks for; undefined outside actions and in comments. */
export function actionCompletionAt(text: string, offset: number): ActionCompletion | undefined {
  const open = actionStart(text, offset);
  if (open === undefined) return undefined;
  const typed = text.slice(open, offset);
  if (typed.startsWith('{{/*') || typed.startsWith('{{- /*')) return undefined;
  const quoted = /\b(include|template)\s+"([^"]*)$/.exec(typed);
  if (quoted) return { kind: quoted[1] === 'include' ? 'partial' : 'template', span: { offset: offset - quoted[2]!.length, length: quoted[2]!.length } };
  if (/"[^"]*$/.test(typed.replace(/"(?:[^"\\]|\\.)*"/g, ''))) return undefined;
  const field = /(\$[A-Za-z0-9_]*)?((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\.([A-Za-z0-9_]*)$/.exec(typed);
  if (field && !/[A-Za-z0-9_)\]]$/.test(typed.slice(0, field.index))) {
    const items = lex(text.slice(0, open));
    const scope = scopeAt(items, open);
    const base = field[1] ? scope.vars.get(field[1]) : scope.dot;
    if (base === undefined) return undefined;
    const fields = field[2] ? field[2].slice(1).split('.') : [];
    return { kind: 'field', path: [...base, ...fields], span: { offset: offset - field[3]!.length, length: field[3]!.length } };
  }
  const word = /(^|[\s(|{-])([A-Za-z_][A-Za-z0-9_]*)?$/.exec(typed);
  if (word) return { kind: 'function', span: { offset: offset - (word[2]?.length ?? 0), length: word[2]?.length ?? 0 } };
  return undefined;
}

/**
 * The settings values a path can stand for: the file's tree, then each key (or, for `*`,
 * every element of a list). `trees` maps a settings file's base name to its parsed root.
 */
export function valuesAt(trees: ReadonlyMap<string, ValueNode>, path: DataPath): ValueNode[] {
  const [file, ...keys] = path;
  const root = file === undefined || file === '*' ? undefined : trees.get(file);
  if (!root) return [];
  let nodes: ValueNode[] = [root];
  for (const key of keys) {
    const next: ValueNode[] = [];
    for (const n of nodes) {
      if (key === '*') {
        if (n.kind === 'array') next.push(...n.items);
        else if (n.kind === 'object') next.push(...n.properties.map((p) => p.value));
      } else if (n.kind === 'object') {
        const p = getProperty(n, key);
        if (p) next.push(p.value);
      }
    }
    nodes = next;
  }
  return nodes;
}

/** The keys the values at `path` have (for `.` at the top: the settings files' names). */
export function keysAt(trees: ReadonlyMap<string, ValueNode>, path: DataPath): string[] {
  if (path.length === 0) return [...trees.keys()].sort();
  const keys = new Set<string>();
  for (const n of valuesAt(trees, path)) if (n.kind === 'object') for (const p of (n).properties) keys.add(p.key.value);
  return [...keys];
}

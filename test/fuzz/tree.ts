/**
 * Structure-aware mutation: a seed is read into a small tree that can hold what plain objects
 * cannot (duplicate keys, number literals as written, YAML anchors, aliases and tags), mutated
 * where KrakenD's rules look (types, required keys, endpoint paths, namespaces), and written
 * back out as JSON or block YAML with our own small emitters.
 */
import { parse as parseYamlValue } from 'yaml';
import { DURATIONS, HOSTS, KEYS, METHODS, NAMESPACES, NUMBERS, weirdPath, weirdString } from './dictionary';
import type { Rng } from './random';

interface Props {
  /** YAML only: `&anchor` before the value. */
  anchor?: string;
  /** YAML only: a tag such as `!!str` before the value. */
  tag?: string;
}

export type TNode = Props &
  (
    | { t: 'null' }
    | { t: 'bool'; v: boolean }
    | { t: 'num'; raw: string }
    | { t: 'str'; v: string }
    | { t: 'arr'; items: TNode[] }
    | { t: 'obj'; entries: [string, TNode][] }
    /** YAML only (`*name`); JSON writes null. */
    | { t: 'alias'; name: string }
  );

/** The tree of a seed, or undefined when the seed does not parse (then only text mutations apply). */
export function readTree(text: string, kind: 'json' | 'yaml'): TNode | undefined {
  let value: unknown;
  try {
    value = kind === 'json' ? JSON.parse(text) : parseYamlValue(text, { uniqueKeys: false, merge: true, maxAliasCount: 1000, logLevel: 'error' });
  } catch {
    return undefined;
  }
  return fromValue(value, 0);
}

function fromValue(value: unknown, depth: number): TNode {
  if (depth > 200) return { t: 'null' };
  if (value === null || value === undefined) return { t: 'null' };
  if (typeof value === 'boolean') return { t: 'bool', v: value };
  if (typeof value === 'number' || typeof value === 'bigint') return { t: 'num', raw: Number.isFinite(value) || typeof value === 'bigint' ? String(value) : '0' };
  if (typeof value === 'string') return { t: 'str', v: value };
  if (Array.isArray(value)) return { t: 'arr', items: value.map((v) => fromValue(v, depth + 1)) };
  if (value instanceof Map) return { t: 'obj', entries: [...value.entries()].map(([k, v]) => [String(k), fromValue(v, depth + 1)]) };
  if (typeof value === 'object') return { t: 'obj', entries: Object.entries(value).map(([k, v]) => [k, fromValue(v, depth + 1)]) };
  return { t: 'str', v: typeof value === 'symbol' ? value.toString() : 'unknown' };
}

interface Slot {
  node: TNode;
  /** Replaces the node in its parent. */
  set(n: TNode): void;
  /** The key it sits under, when its parent is an object. */
  key?: string;
  parent?: TNode;
}

/** Every node with a way to replace it; the root's setter replaces the holder's content. */
function slots(holder: { root: TNode }): Slot[] {
  const out: Slot[] = [{ node: holder.root, set: (n) => (holder.root = n) }];
  for (let i = 0; i < out.length && out.length < 20_000; i++) {
    const n = out[i]!.node;
    if (n.t === 'arr') {
      n.items.forEach((item, j) => out.push({ node: item, set: (m) => (n.items[j] = m), parent: n }));
    } else if (n.t === 'obj') {
      n.entries.forEach((e) => out.push({ node: e[1], set: (m) => (e[1] = m), key: e[0], parent: n }));
    }
  }
  return out;
}

function randomScalar(rng: Rng): TNode {
  switch (rng.int(6)) {
    case 0:
      return { t: 'null' };
    case 1:
      return { t: 'bool', v: rng.chance(0.5) };
    case 2:
      return { t: 'num', raw: rng.pick(NUMBERS) };
    case 3:
      return { t: 'str', v: rng.pick(DURATIONS) };
    case 4:
      return { t: 'str', v: rng.pick(HOSTS) };
    default:
      return { t: 'str', v: weirdString(rng) };
  }
}

/** A small random value, used where a whole subtree is made up. */
export function randomValue(rng: Rng, depth = 0): TNode {
  const r = rng.int(depth > 3 ? 3 : 6);
  if (r < 3) return randomScalar(rng);
  if (r === 3) {
    const items: TNode[] = [];
    for (let i = rng.int(4); i > 0; i--) items.push(randomValue(rng, depth + 1));
    return { t: 'arr', items };
  }
  const entries: [string, TNode][] = [];
  for (let i = rng.int(5); i > 0; i--) entries.push([rng.chance(0.2) ? rng.pick(NAMESPACES) : rng.pick(KEYS), randomValue(rng, depth + 1)]);
  return { t: 'obj', entries };
}

/** A value of a different JSON type than `n`. */
function otherType(rng: Rng, n: TNode): TNode {
  for (let i = 0; i < 10; i++) {
    const v = rng.chance(0.5) ? randomScalar(rng) : randomValue(rng, 2);
    if (v.t !== n.t) return v;
  }
  return n.t === 'arr' ? { t: 'obj', entries: [] } : { t: 'arr', items: [] };
}

/** A deep copy, without recursion: nest mutations make trees thousands of levels deep. */
function clone(n: TNode): TNode {
  const shallow = (x: TNode): TNode => (x.t === 'arr' ? { ...x, items: [...x.items] } : x.t === 'obj' ? { ...x, entries: x.entries.map(([k, v]): [string, TNode] => [k, v]) } : { ...x });
  const top = shallow(n);
  const stack: TNode[] = [top];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (c.t === 'arr') {
      for (let i = 0; i < c.items.length; i++) stack.push((c.items[i] = shallow(c.items[i]!)));
    } else if (c.t === 'obj') {
      for (const e of c.entries) stack.push((e[1] = shallow(e[1])));
    }
  }
  return top;
}

/** An endpoint KrakenD would accept, with a path and method chosen to collide or confuse. */
function randomEndpoint(rng: Rng): TNode {
  const backend: TNode = {
    t: 'obj',
    entries: [
      ['url_pattern', { t: 'str', v: rng.chance(0.5) ? weirdPath(rng) : '/x/{id}' }],
      ['host', { t: 'arr', items: [{ t: 'str', v: rng.pick(HOSTS) }] }],
    ],
  };
  return {
    t: 'obj',
    entries: [
      ['endpoint', { t: 'str', v: weirdPath(rng) }],
      ['method', { t: 'str', v: rng.pick(METHODS) }],
      ['backend', { t: 'arr', items: [backend] }],
    ],
  };
}

type TreeMutation = (rng: Rng, holder: { root: TNode }, all: Slot[]) => string;

const TREE_MUTATIONS: readonly (readonly [number, TreeMutation])[] = [
  [4, function swapType(rng, _h, all) {
    const s = rng.pick(all);
    s.set(otherType(rng, s.node));
    return 'swap-type';
  }],
  [4, function dropKey(rng, _h, all) {
    const objs = all.filter((s) => s.node.t === 'obj' && s.node.entries.length > 0);
    if (objs.length === 0) return 'drop-key(none)';
    const o = rng.pick(objs).node as Extract<TNode, { t: 'obj' }>;
    o.entries.splice(rng.int(o.entries.length), 1);
    return 'drop-key';
  }],
  [3, function duplicateKey(rng, _h, all) {
    const objs = all.filter((s) => s.node.t === 'obj' && s.node.entries.length > 0);
    if (objs.length === 0) return 'duplicate-key(none)';
    const o = rng.pick(objs).node as Extract<TNode, { t: 'obj' }>;
    const e = rng.pick(o.entries);
    o.entries.splice(rng.int(o.entries.length + 1), 0, [e[0], rng.chance(0.5) ? clone(e[1]) : randomValue(rng, 2)]);
    return 'duplicate-key';
  }],
  [5, function weirdPaths(rng, h, all) {
    let n = 0;
    for (const s of all) {
      if ((s.key === 'endpoint' || s.key === 'url_pattern') && rng.chance(0.5)) {
        s.set({ t: 'str', v: weirdPath(rng) });
        n++;
      }
    }
    if (n > 0) return 'weird-paths';
    const endpoints = h.root.t === 'obj' ? h.root.entries.find(([k]) => k === 'endpoints') : undefined;
    if (endpoints && endpoints[1].t === 'arr') endpoints[1].items.push(randomEndpoint(rng));
    else if (h.root.t === 'obj') h.root.entries.push(['endpoints', { t: 'arr', items: [randomEndpoint(rng), randomEndpoint(rng)] }]);
    return 'add-endpoints';
  }],
  [3, function addEndpoints(rng, h) {
    if (h.root.t !== 'obj') return 'add-endpoints(no object)';
    let list = h.root.entries.find(([k]) => k === 'endpoints');
    if (!list || list[1].t !== 'arr') {
      list = ['endpoints', { t: 'arr', items: [] }];
      h.root.entries.push(list);
    }
    const items = (list[1] as Extract<TNode, { t: 'arr' }>).items;
    for (let i = rng.range(1, 4); i > 0; i--) {
      // Often a copy of an existing endpoint, so paths and methods collide.
      items.push(items.length > 0 && rng.chance(0.5) ? clone(rng.pick(items)) : randomEndpoint(rng));
    }
    return 'add-endpoints';
  }],
  [3, function renameKey(rng, _h, all) {
    const objs = all.filter((s) => s.node.t === 'obj' && s.node.entries.length > 0);
    if (objs.length === 0) return 'rename-key(none)';
    const o = rng.pick(objs).node as Extract<TNode, { t: 'obj' }>;
    const e = rng.pick(o.entries);
    e[0] = rng.weighted<() => string>([
      [3, () => rng.pick(KEYS)],
      [3, () => rng.pick(NAMESPACES)],
      [1, () => weirdString(rng)],
      [2, () => (e[0].length > 1 ? e[0].slice(0, -1) : e[0] + e[0])],
    ])();
    return 'rename-key';
  }],
  [3, function scalarEdge(rng, _h, all) {
    const scalars = all.filter((s) => s.node.t !== 'arr' && s.node.t !== 'obj');
    if (scalars.length === 0) return 'scalar-edge(none)';
    const s = rng.pick(scalars);
    s.set(rng.weighted<() => TNode>([
      [3, () => ({ t: 'num', raw: rng.pick(NUMBERS) })],
      [2, () => ({ t: 'str', v: rng.pick(DURATIONS) })],
      [2, () => ({ t: 'str', v: weirdString(rng) })],
      [1, () => ({ t: 'str', v: rng.pick(METHODS) })],
      [1, () => ({ t: 'str', v: rng.pick(HOSTS) })],
    ])());
    return 'scalar-edge';
  }],
  [2, function schemaUrl(rng, h) {
    if (h.root.t !== 'obj') return 'schema-url(no object)';
    const url = rng.pick([
      'https://www.krakend.io/schema/v2.13/krakend.json', 'https://www.krakend.io/schema/v2.12/krakend.json',
      'https://www.krakend.io/schema/krakend.json', 'https://www.krakend.io/schema/v2.0/krakend.json',
      'https://www.krakend.io/schema/v3/krakend.json', 'http://www.krakend.io/schema/v2.13/krakend.json',
      'file:///etc/passwd', 'krakend.json', '', 'https://example.com/schema.json', '../schema.json',
    ]);
    h.root.entries.unshift(['$schema', rng.chance(0.9) ? { t: 'str', v: url } : randomScalar(rng)]);
    return 'schema-url';
  }],
  [2, function nest(rng, _h, all) {
    const s = rng.pick(all);
    const depth = rng.pick([2, 10, 100, 1000, 3000]);
    let n = s.node;
    for (let i = 0; i < depth; i++) n = rng.chance(0.5) ? { t: 'arr', items: [n] } : { t: 'obj', entries: [[rng.pick(KEYS), n]] };
    s.set(n);
    return `nest(${depth})`;
  }],
  [2, function copySubtree(rng, _h, all) {
    const from = rng.pick(all);
    const to = rng.pick(all);
    if (from.node === to.node) return 'copy-subtree(same)';
    to.set(clone(from.node));
    return 'copy-subtree';
  }],
  [1, function shuffle(rng, _h, all) {
    const objs = all.filter((s) => s.node.t === 'obj' && s.node.entries.length > 1);
    if (objs.length === 0) return 'shuffle(none)';
    const o = rng.pick(objs).node as Extract<TNode, { t: 'obj' }>;
    for (let i = o.entries.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [o.entries[i], o.entries[j]] = [o.entries[j]!, o.entries[i]!];
    }
    return 'shuffle';
  }],
];

/** Applies one to three structure mutations in place; returns their names for the report. */
export function mutateTree(rng: Rng, holder: { root: TNode }): string[] {
  const names: string[] = [];
  for (let i = rng.range(1, 3); i > 0; i--) names.push(rng.weighted(TREE_MUTATIONS)(rng, holder, slots(holder)));
  return names;
}

/**
 * YAML's own structure: anchors on some nodes, aliases to them later on, merge keys, tags, and
 * now and then an alias to nothing or a nest of aliases that multiplies (a small billion laughs).
 */
export function decorateYaml(rng: Rng, holder: { root: TNode }): string[] {
  const all = slots(holder);
  const names: string[] = [];
  const anchors: string[] = [];
  const count = rng.range(1, 4);
  for (let i = 0; i < count; i++) {
    const what = rng.weighted<number>([[2, 0], [2, 1], [2, 2], [2, 3], [2, 4], [1, 5]]);
    const s = rng.pick(all);
    if (what <= 1) {
      const name = rng.pick(['a', 'b', 'base', 'x', 'a1', 'ä']);
      s.node.anchor = name;
      anchors.push(name);
      names.push('anchor');
    } else if (what === 2) {
      s.set({ t: 'alias', name: anchors.length > 0 && rng.chance(0.8) ? rng.pick(anchors) : rng.pick(['a', 'nope']) });
      names.push('alias');
    } else if (what === 3) {
      const objs = all.filter((x) => x.node.t === 'obj');
      if (objs.length === 0) continue;
      const o = rng.pick(objs).node as Extract<TNode, { t: 'obj' }>;
      const target = anchors.length > 0 ? rng.pick(anchors) : 'a';
      const value: TNode = rng.chance(0.7) ? { t: 'alias', name: target } : rng.chance(0.5) ? { t: 'arr', items: [{ t: 'alias', name: target }, { t: 'alias', name: target }] } : randomScalar(rng);
      o.entries.splice(rng.int(o.entries.length + 1), 0, ['<<', value]);
      names.push('merge-key');
    } else if (what === 4) {
      s.node.tag = rng.pick(['!!str', '!!int', '!!float', '!!bool', '!!null', '!!binary', '!!map', '!!seq', '!!timestamp', '!custom', '!', '!<tag:yaml.org,2002:str>', '!!merge']);
      names.push('tag');
    } else {
      // Each level refers to the one before twice: 2^levels nodes once expanded.
      // Mostly small; now and then big enough to reach the expansion limit's neighbourhood.
      const levels = rng.chance(0.9) ? rng.range(3, 10) : rng.range(11, 21);
      let prev: TNode = { t: 'str', v: 'lol', anchor: 'l0' };
      const chain: TNode = { t: 'arr', items: [prev] };
      for (let l = 1; l <= levels; l++) {
        prev = { t: 'arr', items: [{ t: 'alias', name: `l${l - 1}` }, { t: 'alias', name: `l${l - 1}` }], anchor: `l${l}` };
        chain.items.push(prev);
      }
      s.set(chain);
      names.push(`alias-bomb(${levels})`);
    }
  }
  return names;
}

// --- writers ------------------------------------------------------------------------------

/** JSON text. Aliases and tags do not exist in JSON and are written as null and dropped. */
export function writeJson(root: TNode, indent: string): string {
  const out: string[] = [];
  // Iterative, so a 3,000-deep nest does not need a deep JS stack here.
  type Job = { n: TNode; depth: number } | string;
  const jobs: Job[] = [{ n: root, depth: 0 }];
  const nl = (depth: number): string => (indent ? `\n${indent.repeat(depth)}` : '');
  while (jobs.length > 0) {
    const job = jobs.pop()!;
    if (typeof job === 'string') {
      out.push(job);
      continue;
    }
    const { n, depth } = job;
    switch (n.t) {
      case 'null':
      case 'alias':
        out.push('null');
        break;
      case 'bool':
        out.push(String(n.v));
        break;
      case 'num':
        out.push(n.raw);
        break;
      case 'str':
        out.push(JSON.stringify(n.v));
        break;
      case 'arr': {
        if (n.items.length === 0) {
          out.push('[]');
          break;
        }
        const parts: Job[] = ['['];
        n.items.forEach((item, i) => {
          parts.push(nl(depth + 1), { n: item, depth: depth + 1 });
          if (i < n.items.length - 1) parts.push(',');
        });
        parts.push(nl(depth), ']');
        for (let i = parts.length - 1; i >= 0; i--) jobs.push(parts[i]!);
        break;
      }
      case 'obj': {
        if (n.entries.length === 0) {
          out.push('{}');
          break;
        }
        const parts: Job[] = ['{'];
        n.entries.forEach(([k, v], i) => {
          parts.push(nl(depth + 1), `${JSON.stringify(k)}:${indent ? ' ' : ''}`, { n: v, depth: depth + 1 });
          if (i < n.entries.length - 1) parts.push(',');
        });
        parts.push(nl(depth), '}');
        for (let i = parts.length - 1; i >= 0; i--) jobs.push(parts[i]!);
        break;
      }
    }
  }
  return out.join('');
}

const PLAIN_KEY = /^[A-Za-z_$][\w/.$-]*$/;

function yamlKey(k: string): string {
  return PLAIN_KEY.test(k) || k === '<<' ? k : JSON.stringify(k);
}

function props(n: TNode): string {
  return `${n.anchor ? `&${n.anchor} ` : ''}${n.tag ? `${n.tag} ` : ''}`;
}

function yamlScalar(n: TNode, rng: Rng): string {
  switch (n.t) {
    case 'null':
      return rng.pick(['null', '~', 'Null', '']);
    case 'bool':
      return String(n.v);
    case 'num':
      return n.raw;
    case 'alias':
      return `*${n.name}`;
    case 'str':
      if (/^[A-Za-z][\w /.-]*$/.test(n.v) && rng.chance(0.5)) return n.v;
      if (!/['\n\r]/.test(n.v) && rng.chance(0.2)) return `'${n.v}'`;
      return JSON.stringify(n.v);
    default:
      return '';
  }
}

/**
 * Block-style YAML: maps as `key: value`, sequences as `- value`, nested collections on the
 * next lines indented by two. Empty collections and very deep nests are written in flow style.
 */
export function writeYaml(root: TNode, rng: Rng): string {
  const lines: string[] = [];
  const emit = (n: TNode, ind: number, depth: number): void => {
    const pad = ' '.repeat(ind);
    if (depth > 60) {
      // Block indentation grows with depth; deeper than this, flow style keeps the text small.
      lines.push(pad + props(n) + writeJson(n, ''));
      return;
    }
    if (n.t === 'obj') {
      if (n.entries.length === 0) lines.push(`${pad}${props(n)}{}`);
      for (const [k, v] of n.entries) {
        const head = `${pad}${yamlKey(k)}:`;
        if ((v.t === 'obj' || v.t === 'arr') && (v.t === 'obj' ? v.entries.length : v.items.length) > 0) {
          lines.push(head + (props(v) ? ` ${props(v).trimEnd()}` : ''));
          emit({ ...v, anchor: undefined, tag: undefined }, ind + 2, depth + 1);
        } else if (v.t === 'obj' || v.t === 'arr') {
          lines.push(`${head} ${props(v)}${v.t === 'obj' ? '{}' : '[]'}`);
        } else {
          const s = props(v) + yamlScalar(v, rng);
          lines.push(s ? `${head} ${s}` : head);
        }
      }
    } else if (n.t === 'arr') {
      if (n.items.length === 0) lines.push(`${pad}${props(n)}[]`);
      for (const item of n.items) {
        if ((item.t === 'obj' || item.t === 'arr') && (item.t === 'obj' ? item.entries.length : item.items.length) > 0) {
          lines.push(`${pad}-${props(item) ? ` ${props(item).trimEnd()}` : ''}`);
          emit({ ...item, anchor: undefined, tag: undefined }, ind + 2, depth + 1);
        } else if (item.t === 'obj' || item.t === 'arr') {
          lines.push(`${pad}- ${props(item)}${item.t === 'obj' ? '{}' : '[]'}`);
        } else {
          lines.push(`${pad}- ${props(item)}${yamlScalar(item, rng)}`.trimEnd());
        }
      }
    } else {
      lines.push(pad + props(n) + yamlScalar(n, rng));
    }
  };
  emit(root, 0, 0);
  return `${lines.join('\n')}\n`;
}

/**
 * A model of gin's per-method radix tree (gin v1.12.0, the version CE 2.13.x pins), built to
 * answer one question: which route registration makes gin panic, and with which message.
 *
 * gin's messages name node paths, node split points and the highest-priority child, so the
 * model keeps the same node shape gin builds (split edges, one wildcard child kept last,
 * priority-ordered static children) rather than just a set of patterns. Unlike gin, a failed
 * registration is rolled back, so the caller can skip it and keep registering the rest.
 *
 * gin works on bytes; paths are turned into one-char-per-byte strings on the way in, so
 * prefixes split exactly where gin splits them, and messages are decoded on the way out.
 */
import { isAscii, utf8DecodeLossy, utf8Encode } from './go/utf8';

export type GinPanicKind =
  | 'duplicate'
  | 'wildcard-conflict'
  | 'catch-all-conflict'
  | 'unnamed-wildcard'
  | 'multiple-wildcards'
  | 'invalid-escape'
  | 'invalid-catch-all';

/** What gin would have panicked with. */
export interface GinPanic {
  readonly kind: GinPanicKind;
  /** gin's panic string, exactly. */
  readonly message: string;
}

type NodeKind = 'static' | 'root' | 'param' | 'catchAll';

interface GinNode {
  /** The bytes this node adds to its parent's path. */
  path: string;
  /** First byte of each static child, in child order. */
  indices: string;
  /** The last child is a `:param` (or, for a catch-all holder, the `*name` leaf). */
  wildChild: boolean;
  kind: NodeKind;
  priority: number;
  children: GinNode[];
  /** gin's `handlers != nil`: a route ends here. */
  routed: boolean;
  fullPath: string;
}

class Panic extends Error {
  constructor(readonly kind: GinPanicKind, readonly raw: string) {
    super(raw);
  }
}

function newNode(path: string, kind: NodeKind, priority: number, fullPath: string): GinNode {
  return { path, indices: '', wildChild: false, kind, priority, children: [], routed: false, fullPath };
}

/** One method's tree. */
export class GinTree {
  private readonly root: GinNode = newNode('', 'static', 0, '/');
  /**
   * Undo log of the registration in progress (gin mutates the tree before it panics), as
   * parallel arrays reused across registrations: this runs for every node a route touches.
   */
  private readonly undoNodes: GinNode[] = [];
  private readonly undoKeys: (keyof GinNode)[] = [];
  private readonly undoValues: unknown[] = [];

  /**
   * Registers `path` (already as gin's group join leaves it: starting with `/`). Returns the
   * panic gin would raise, after undoing every change this registration made.
   */
  add(path: string): GinPanic | undefined {
    try {
      this.insert(toBytes(path));
      return undefined;
    } catch (e) {
      if (!(e instanceof Panic)) throw e;
      for (let i = this.undoNodes.length - 1; i >= 0; i--) {
        (this.undoNodes[i] as unknown as Record<string, unknown>)[this.undoKeys[i]!] = this.undoValues[i];
      }
      return { kind: e.kind, message: fromBytes(e.raw) };
    } finally {
      this.undoNodes.length = 0;
      this.undoKeys.length = 0;
      this.undoValues.length = 0;
    }
  }

  private set<K extends keyof GinNode>(node: GinNode, key: K, value: GinNode[K]): void {
    this.undoNodes.push(node);
    this.undoKeys.push(key);
    this.undoValues.push(node[key]);
    node[key] = value;
  }

  private insert(full: string): void {
    let n = this.root;
    this.set(n, 'priority', n.priority + 1);
    if (n.path === '' && n.children.length === 0) {
      this.fill(n, full, full);
      this.set(n, 'kind', 'root');
      return;
    }
    let path = full;
    /** How much of `full` the nodes above `n` account for. */
    let above = 0;
    for (;;) {
      const common = commonPrefixLength(path, n.path);
      if (common < n.path.length) this.splitEdge(n, common, full.slice(0, above + common));
      if (common === path.length) {
        if (n.routed) throw new Panic('duplicate', `handlers are already registered for path '${full}'`);
        this.set(n, 'routed', true);
        this.set(n, 'fullPath', full);
        return;
      }
      path = path.slice(common);
      const c = path[0]!;
      // A param node has a single child, the rest of the path after its closing slash.
      if (n.kind === 'param' && c === '/' && n.children.length === 1) {
        above += n.path.length;
        n = n.children[0]!;
        this.set(n, 'priority', n.priority + 1);
        continue;
      }
      const at = n.indices.indexOf(c);
      if (at >= 0) {
        above += n.path.length;
        // promote() replaces the children array, so index it only afterwards.
        const moved = this.promote(n, at);
        n = n.children[moved]!;
        continue;
      }
      if (c !== ':' && c !== '*' && n.kind !== 'catchAll') {
        const child = newNode('', 'static', 0, full);
        this.set(n, 'indices', n.indices + c);
        this.appendChild(n, child);
        this.promote(n, n.indices.length - 1);
        this.fill(child, path, full);
        return;
      }
      if (n.wildChild) {
        const wild = n.children[n.children.length - 1]!;
        this.set(wild, 'priority', wild.priority + 1);
        const sameName =
          path.startsWith(wild.path) &&
          wild.kind !== 'catchAll' &&
          (path.length === wild.path.length || path[wild.path.length] === '/');
        if (sameName) {
          n = wild;
          continue;
        }
        const segment = wild.kind === 'catchAll' ? path : path.split('/', 1)[0]!;
        const prefix = full.slice(0, full.indexOf(segment)) + wild.path;
        const kind = wild.kind === 'catchAll' || segment.startsWith('*') ? 'catch-all-conflict' : 'wildcard-conflict';
        throw new Panic(
          kind,
          `'${segment}' in new path '${full}' conflicts with existing wildcard '${wild.path}' in existing prefix '${prefix}'`,
        );
      }
      this.fill(n, path, full);
      return;
    }
  }

  /** Splits `n` after `at` bytes: the tail and everything below it move into one new child. */
  private splitEdge(n: GinNode, at: number, fullPath: string): void {
    const tail = newNode(n.path.slice(at), 'static', n.priority - 1, n.fullPath);
    tail.wildChild = n.wildChild;
    tail.indices = n.indices;
    tail.children = n.children;
    tail.routed = n.routed;
    this.set(n, 'children', [tail]);
    this.set(n, 'indices', n.path[at]!);
    this.set(n, 'path', n.path.slice(0, at));
    this.set(n, 'routed', false);
    this.set(n, 'wildChild', false);
    this.set(n, 'fullPath', fullPath);
  }

  /** Adds a child, keeping an existing wildcard child last. */
  private appendChild(n: GinNode, child: GinNode): void {
    const cs = n.children;
    if (n.wildChild && cs.length > 0) this.set(n, 'children', [...cs.slice(0, -1), child, cs[cs.length - 1]!]);
    else this.set(n, 'children', [...cs, child]);
  }

  /** Bumps a static child's priority and moves it ahead of lower-priority siblings; returns its new index. */
  private promote(n: GinNode, at: number): number {
    const child = n.children[at]!;
    this.set(child, 'priority', child.priority + 1);
    let to = at;
    while (to > 0 && n.children[to - 1]!.priority < child.priority) to--;
    if (to !== at) {
      // A new array rather than an in-place move, so the undo log can restore the old one.
      const cs = [...n.children];
      cs.splice(at, 1);
      cs.splice(to, 0, child);
      this.set(n, 'children', cs);
      const ix = n.indices;
      this.set(n, 'indices', ix.slice(0, to) + ix[at]! + ix.slice(to, at) + ix.slice(at + 1));
    }
    return to;
  }

  /** Writes `path` below `n`, which holds nothing yet at this point, creating wildcard nodes. */
  private fill(n: GinNode, path: string, full: string): void {
    for (;;) {
      const w = findWildcard(path);
      if (!w) break;
      if (!w.single) {
        throw new Panic('multiple-wildcards', `only one wildcard per path segment is allowed, has: '${w.name}' in path '${full}'`);
      }
      if (w.name.length < 2) {
        throw new Panic('unnamed-wildcard', `wildcards must be named with a non-empty name in path '${full}'`);
      }
      if (w.name[0] === ':') {
        if (w.at > 0) {
          this.set(n, 'path', path.slice(0, w.at));
          path = path.slice(w.at);
        }
        const param = newNode(w.name, 'param', 1, full);
        this.appendChild(n, param);
        this.set(n, 'wildChild', true);
        if (w.name.length < path.length) {
          path = path.slice(w.name.length);
          const rest = newNode('', 'static', 1, full);
          param.children = [rest];
          n = rest;
          continue;
        }
        param.routed = true;
        return;
      }
      // A catch-all.
      if (w.at + w.name.length !== path.length) {
        throw new Panic('invalid-catch-all', `catch-all routes are only allowed at the end of the path in path '${full}'`);
      }
      if (n.path.endsWith('/')) {
        const segment = n.children.length > 0 ? n.children[0]!.path.split('/', 1)[0]! : '';
        throw new Panic(
          'catch-all-conflict',
          `catch-all wildcard '${path}' in new path '${full}' conflicts with existing path segment '${segment}' in existing prefix '${n.path}${segment}'`,
        );
      }
      const slash = w.at - 1;
      if (slash < 0 || path[slash] !== '/') {
        throw new Panic('invalid-catch-all', `no / before catch-all in path '${full}'`);
      }
      this.set(n, 'path', path.slice(0, slash));
      const holder = newNode('', 'catchAll', 1, full);
      holder.wildChild = true;
      const leaf = newNode(path.slice(slash), 'catchAll', 1, full);
      leaf.routed = true;
      holder.children = [leaf];
      this.appendChild(n, holder);
      this.set(n, 'indices', '/');
      return;
    }
    this.set(n, 'path', path);
    this.set(n, 'routed', true);
    this.set(n, 'fullPath', full);
  }
}

/**
 * The first wildcard of `path`: its text up to the next `/`, where it starts, and whether it
 * holds a single `:`/`*`. `\:` is a literal colon (gin ≥ 1.11); any other escape panics.
 */
function findWildcard(path: string): { name: string; at: number; single: boolean } | undefined {
  let escaped = false;
  for (let start = 0; start < path.length; start++) {
    const c = path[start];
    if (escaped) {
      escaped = false;
      if (c === ':') continue;
      // gin names the part of the path it was still inserting, not the full path.
      throw new Panic('invalid-escape', `invalid escape string in path '${path}'`);
    }
    if (c === '\\') {
      escaped = true;
      continue;
    }
    if (c !== ':' && c !== '*') continue;
    let single = true;
    for (let end = start + 1; end < path.length; end++) {
      const d = path[end];
      if (d === '/') return { name: path.slice(start, end), at: start, single };
      if (d === ':' || d === '*') single = false;
    }
    return { name: path.slice(start), at: start, single };
  }
  return undefined;
}

function commonPrefixLength(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function toBytes(s: string): string {
  if (isAscii(s)) return s;
  let out = '';
  for (const b of utf8Encode(s)) out += String.fromCharCode(b);
  return out;
}

function fromBytes(s: string): string {
  if (isAscii(s)) return s;
  return utf8DecodeLossy(Uint8Array.from(s, (c) => c.charCodeAt(0)));
}

/**
 * gin's engine: one tree per method, created on first use, as `engine.trees` grows.
 */
export class GinEngine {
  private readonly trees = new Map<string, GinTree>();

  /** Registers a route; `path` must already be gin's joined path. */
  add(method: string, path: string): GinPanic | undefined {
    let tree = this.trees.get(method);
    if (!tree) {
      tree = new GinTree();
      this.trees.set(method, tree);
    }
    return tree.add(path);
  }
}

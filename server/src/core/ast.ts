/**
 * The syntax tree shared by the JSON and YAML parsers. Every node keeps its offset and
 * length in the source text so any later stage can point at it.
 */

export interface NodeBase {
  /** UTF-16 offset of the first character of the node. */
  readonly offset: number;
  /** Length in UTF-16 code units. */
  readonly length: number;
}

export interface ObjectNode extends NodeBase {
  readonly kind: 'object';
  /** In source order, duplicates included (Go keeps the last one; see getProperty). */
  readonly properties: readonly PropertyNode[];
}

export interface PropertyNode extends NodeBase {
  readonly kind: 'property';
  readonly key: StringNode;
  readonly value: ValueNode;
}

export interface ArrayNode extends NodeBase {
  readonly kind: 'array';
  readonly items: readonly ValueNode[];
}

export interface StringNode extends NodeBase {
  readonly kind: 'string';
  readonly value: string;
}

export interface NumberNode extends NodeBase {
  readonly kind: 'number';
  readonly value: number;
  /** The literal as written, because Go decodes `1e3` or `1.0` into an int differently from `1000`. */
  readonly raw: string;
}

export interface BooleanNode extends NodeBase {
  readonly kind: 'boolean';
  readonly value: boolean;
}

export interface NullNode extends NodeBase {
  readonly kind: 'null';
}

export type ValueNode = ObjectNode | ArrayNode | StringNode | NumberNode | BooleanNode | NullNode;
export type Node = ValueNode | PropertyNode;

/** The property Go would keep for `key`: the last one written. */
export function getProperty(obj: ObjectNode, key: string): PropertyNode | undefined {
  for (let i = obj.properties.length - 1; i >= 0; i--) {
    const p = obj.properties[i]!;
    if (p.key.value === key) return p;
  }
  return undefined;
}

/**
 * The plain JavaScript value of a node, last duplicate key winning, as Go's decoder sees it.
 * Iterative, because Go accepts JSON nested 10,000 deep and a recursion that deep overflows
 * the stack. A `"__proto__"` key is defined rather than assigned, so it stays an ordinary key
 * (as it is for Go) instead of replacing the object's prototype; every other key is a plain
 * assignment, because this runs on every lint of every endpoint.
 */
export function toValue(node: ValueNode): unknown {
  const top = shallowValue(node);
  // Containers still to fill, each with its node: two stacks, no closures per node.
  const nodes: (ObjectNode | ArrayNode)[] = [];
  const outs: (Record<string, unknown> | unknown[])[] = [];
  if (node.kind === 'object' || node.kind === 'array') {
    nodes.push(node);
    outs.push(top as Record<string, unknown> | unknown[]);
  }
  while (nodes.length > 0) {
    const n = nodes.pop()!;
    const out = outs.pop()!;
    if (n.kind === 'object') {
      const obj = out as Record<string, unknown>;
      for (const p of n.properties) {
        const v = shallowValue(p.value);
        const key = p.key.value;
        if (key === '__proto__') Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
        else obj[key] = v;
        if (p.value.kind === 'object' || p.value.kind === 'array') {
          nodes.push(p.value);
          outs.push(v as Record<string, unknown> | unknown[]);
        }
      }
    } else {
      const arr = out as unknown[];
      for (let i = 0; i < n.items.length; i++) {
        const item = n.items[i]!;
        const v = shallowValue(item);
        arr[i] = v;
        if (item.kind === 'object' || item.kind === 'array') {
          nodes.push(item);
          outs.push(v as Record<string, unknown> | unknown[]);
        }
      }
    }
  }
  return top;
}

/** A scalar's value, or an empty container of the node's shape, filled in later by toValue. */
function shallowValue(node: ValueNode): unknown {
  switch (node.kind) {
    case 'object':
      return {};
    case 'array':
      return new Array<unknown>(node.items.length);
    case 'null':
      return null;
    default:
      return node.value;
  }
}

/**
 * The node at a JSON pointer (RFC 6901), and the property that holds it when there is one,
 * so a caller can point at the key rather than the whole value.
 * Returns the deepest node reached when the pointer goes past the tree.
 */
export function findByPointer(root: ValueNode, pointer: string): { node: ValueNode; property?: PropertyNode; complete: boolean } {
  if (pointer === '' || pointer === '/') return { node: root, complete: pointer === '' };
  const parts = pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: ValueNode = root;
  let property: PropertyNode | undefined;
  for (const part of parts) {
    if (node.kind === 'object') {
      const p = getProperty(node, part);
      if (!p) return { node, property, complete: false };
      property = p;
      node = p.value;
    } else if (node.kind === 'array') {
      const item = node.items[Number(part)];
      if (!item || !/^\d+$/.test(part)) return { node, property, complete: false };
      property = undefined;
      node = item;
    } else {
      return { node, property, complete: false };
    }
  }
  return { node, property, complete: true };
}

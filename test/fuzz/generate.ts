/**
 * Makes fuzz input number i of a run: picks a seed and a recipe of text-level and
 * structure-aware mutations, all drawn from the input's own generator (see random.ts).
 */
import { TOKENS, NUMBERS, KEYS } from './dictionary';
import type { InputKind, Seed } from './corpus';
import { Rng } from './random';
import { decorateYaml, mutateTree, randomValue, readTree, writeJson, writeYaml } from './tree';
import type { TNode } from './tree';

export interface FuzzInput {
  readonly kind: InputKind;
  readonly text: string;
  /** What was done, for the report: the seed's name and each mutation. */
  readonly recipe: readonly string[];
}

/** Generated texts are cut at this size: bigger inputs only slow the run down. */
const MAX_TEXT = 512 * 1024;

type TextMutation = (rng: Rng, text: string, seeds: readonly Seed[]) => [string, string];

function at(rng: Rng, text: string): number {
  return rng.int(text.length + 1);
}

const TEXT_MUTATIONS: readonly (readonly [number, TextMutation])[] = [
  [4, function flipUnit(rng, text) {
    if (text.length === 0) return [String.fromCharCode(rng.int(0x10000)), 'flip-unit'];
    const i = rng.int(text.length);
    const c = rng.chance(0.5) ? text.charCodeAt(i) ^ (1 << rng.int(16)) : rng.int(0x10000);
    return [text.slice(0, i) + String.fromCharCode(c) + text.slice(i + 1), 'flip-unit'];
  }],
  [3, function flipByte(rng, text) {
    // A byte of the UTF-8 encoding, as a corrupt file on disk would be; read back as the CLI
    // reads files (invalid sequences become U+FFFD).
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length === 0) return [text, 'flip-byte(empty)'];
    const i = rng.int(bytes.length);
    bytes[i] = rng.chance(0.5) ? bytes[i]! ^ (1 << rng.int(8)) : rng.int(256);
    return [bytes.toString('utf8'), 'flip-byte'];
  }],
  [4, function insertToken(rng, text) {
    const i = at(rng, text);
    return [text.slice(0, i) + rng.pick(TOKENS) + text.slice(i), 'insert-token'];
  }],
  [3, function deleteSpan(rng, text) {
    const i = at(rng, text);
    return [text.slice(0, i) + text.slice(i + rng.smallLength(text.length - i)), 'delete-span'];
  }],
  [3, function duplicateSpan(rng, text) {
    const i = at(rng, text);
    const span = text.slice(i, i + rng.smallLength(text.length - i));
    const j = at(rng, text);
    return [text.slice(0, j) + span + text.slice(j), 'duplicate-span'];
  }],
  [1, function truncate(rng, text) {
    return [text.slice(0, at(rng, text)), 'truncate'];
  }],
  [2, function splice(rng, text, seeds) {
    const other = rng.pick(seeds).text;
    return [text.slice(0, at(rng, text)) + other.slice(at(rng, other)), 'splice'];
  }],
  [2, function hugeNumber(rng, text) {
    const numbers = [...text.matchAll(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g)];
    if (numbers.length === 0) return [text, 'huge-number(none)'];
    const m = rng.pick(numbers);
    return [text.slice(0, m.index) + rng.pick(NUMBERS) + text.slice(m.index + m[0].length), 'huge-number'];
  }],
  [2, function lineEnds(rng, text) {
    const to = rng.pick(['\r\n', '\r', '\n\r', '\u2028']);
    const lf = text.replace(/\r\n|\r/g, '\n');
    // All line ends, or only some of them (mixed files are common after copy and paste).
    const all = rng.chance(0.6);
    return [lf.replace(/\n/g, (m) => (all || rng.chance(0.5) ? to : m)), `line-ends(${JSON.stringify(to)}${all ? '' : ', some'})`];
  }],
  [1, function bom(rng, text) {
    if (rng.chance(0.7)) return [`\uFEFF${text}`, 'bom'];
    const i = at(rng, text);
    return [`${text.slice(0, i)}\uFEFF${text.slice(i)}`, 'bom(inside)'];
  }],
  [2, function surrogates(rng, text) {
    const i = at(rng, text);
    const s = rng.pick(['\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uDC00\uD800', '\uD83D\uDE00', '\uD83D', '\\uD83D', '\\uDE00x']);
    return [text.slice(0, i) + s + text.slice(i), 'surrogate'];
  }],
  [1, function splitPair(rng, text) {
    // Delete one half of a surrogate pair, if the text has one.
    const m = /[\uD800-\uDBFF][\uDC00-\uDFFF]/.exec(text);
    if (!m) return [text, 'split-pair(none)'];
    const i = m.index + rng.int(2);
    return [text.slice(0, i) + text.slice(i + 1), 'split-pair'];
  }],
];

function mutateText(rng: Rng, text: string, seeds: readonly Seed[], recipe: string[]): string {
  let out = text;
  for (let n = rng.range(1, 4); n > 0; n--) {
    const [next, name] = rng.weighted(TEXT_MUTATIONS)(rng, out, seeds);
    out = next.length > MAX_TEXT ? next.slice(0, MAX_TEXT) : next;
    recipe.push(name);
  }
  return out;
}

/** A whole text nested `depth` levels deep around `inner`, in the syntax of `kind`. */
function nestText(rng: Rng, kind: InputKind, depth: number, inner: string): string {
  if (kind === 'yaml' && rng.chance(0.5)) {
    // Block mappings, each level indented one more space.
    const lines: string[] = [];
    for (let i = 0; i < depth; i++) lines.push(`${' '.repeat(i)}k${i}:`);
    lines.push(`${' '.repeat(depth)}${inner.trim() ? JSON.stringify(inner.slice(0, 40)) : 'v'}`);
    return `${lines.join('\n')}\n`;
  }
  const open = rng.chance(0.5) ? '[' : '{"a":';
  const close = open === '[' ? ']' : '}';
  const core = rng.chance(0.5) ? '1' : inner;
  const body = open.repeat(depth) + core + close.repeat(depth);
  return rng.chance(0.5) ? `{"version":3,"x":${body}}` : body;
}

/** A made-up configuration, not from any seed. */
function fromScratch(rng: Rng): TNode {
  const entries: [string, TNode][] = [['version', { t: 'num', raw: rng.chance(0.8) ? '3' : rng.pick(NUMBERS) }]];
  for (let i = rng.int(6); i > 0; i--) entries.push([rng.pick(KEYS), randomValue(rng)]);
  return { t: 'obj', entries };
}

function write(rng: Rng, root: TNode, kind: InputKind): string {
  if (kind === 'yaml') return rng.chance(0.85) ? writeYaml(root, rng) : writeJson(root, rng.pick(['', '  ']));
  return writeJson(root, rng.pick(['', '  ', '\t', '    ']));
}

/**
 * The input with number `index` in the run started with `seed`. Pure: the same arguments give
 * the same input on every machine (the seeds are read in sorted order).
 */
export function generateInput(runSeed: number, index: number, seeds: readonly Seed[]): FuzzInput {
  const rng = new Rng(runSeed, index);
  const seed = rng.pick(seeds);
  // Now and then the other format, since KrakenD picks the parser by file name, not content.
  const kind: InputKind = rng.chance(0.1) ? (seed.kind === 'json' ? 'yaml' : 'json') : seed.kind;
  const recipe = [seed.name, ...(kind !== seed.kind ? [`as ${kind}`] : [])];
  const strategy = rng.weighted<string>([
    [35, 'tree'],
    [35, 'text'],
    [8, 'scratch'],
    [7, 'nest'],
    [10, 'tree+text'],
    [5, 'seed'],
  ]);
  recipe.push(strategy);
  let text = seed.text;
  if (strategy === 'tree' || strategy === 'tree+text' || strategy === 'scratch') {
    const tree = strategy === 'scratch' ? fromScratch(rng) : readTree(seed.text, seed.kind);
    if (tree) {
      const holder = { root: tree };
      recipe.push(...mutateTree(rng, holder));
      if (kind === 'yaml' && rng.chance(0.5)) recipe.push(...decorateYaml(rng, holder));
      text = write(rng, holder.root, kind);
    } else {
      recipe.push('(no tree)');
      text = mutateText(rng, text, seeds, recipe);
    }
    if (strategy === 'tree+text') text = mutateText(rng, text, seeds, recipe);
  } else if (strategy === 'text') {
    text = mutateText(rng, text, seeds, recipe);
  } else if (strategy === 'nest') {
    const depth = rng.pick([10, 100, 800, 1000, 5000, 9999, 10000, 10001, 20000]);
    recipe.push(`nest-text(${depth})`);
    text = nestText(rng, kind, depth, seed.text.slice(0, 200));
  }
  return { kind, text: text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text, recipe };
}

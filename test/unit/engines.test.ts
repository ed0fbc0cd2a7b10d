// The engines agree: every runtime dependency (the production tree under package.json's
// `dependencies`, as installed in node_modules) runs on the Node of the oldest VS Code that
// `engines.vscode` lets install us. A dependency that needs a newer Node fails here rather than
// in a user's extension host.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(__dirname, '../..');

/**
 * VS Code minor → the Node.js of its extension host (Electron's Node on the desktop; the same
 * major in the server and code-server). Source: the `target` in `remote/.npmrc` of
 * microsoft/vscode's `release/1.<minor>` branch, with the Electron update named in that release's
 * notes (code.visualstudio.com/updates/v1_<minor>); code-server 4.100.3 (VS Code 1.100.3, the e2e
 * one) declares `engines.node: "20"`. Add a row when `engines.vscode` moves past the table.
 */
const EXTENSION_HOST_NODE: Readonly<Record<number, string>> = {
  90: '20.9.0', // Electron 29
  91: '20.9.0',
  92: '20.14.0', // Electron 30
  93: '20.14.0',
  94: '20.14.0',
  95: '20.18.0', // Electron 32
  96: '20.18.1',
  97: '20.18.1',
  98: '20.18.2', // Electron 34
  99: '20.18.2',
  100: '20.18.3',
  101: '22.15.1', // Electron 35: the first on Node 22
  102: '22.15.1',
};

type Version = [number, number, number];

function parse(v: string): Version {
  const [a = 0, b = 0, c = 0] = v.split('.').map((n) => Number.parseInt(n, 10));
  return [a, b, c];
}

function cmp(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * npm's range grammar as engines fields use it: `||` of space-separated comparators, each
 * `>= <= > < =`, `^`, `~`, a partial or `x`/`*` version, or `*`.
 */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((set) => {
    const tokens = set.trim().replace(/(>=|<=|>|<|=)\s+/g, '$1').split(/\s+/).filter(Boolean);
    return tokens.every((t) => {
      const m = /^(>=|<=|>|<|=|\^|~)?v?([0-9x*]+(?:\.[0-9x*]+)*)$/i.exec(t);
      if (!m) throw new Error(`cannot read the range ${JSON.stringify(range)}`);
      const op = m[1] ?? '';
      const parts = m[2]!.split('.').filter((p) => !/^[x*]$/i.test(p));
      if (parts.length === 0) return true;
      const base = parse(parts.join('.'));
      const c = cmp(v, base);
      switch (op) {
        case '>=': return c >= 0;
        case '<=': return c <= 0;
        case '>': return c > 0;
        case '<': return c < 0;
      }
      // `=`, none, `^` and `~`: from base up to the next version the range leaves.
      const upper: Version =
        op === '^' ? (base[0] > 0 ? [base[0] + 1, 0, 0] : base[1] > 0 ? [0, base[1] + 1, 0] : [0, 0, base[2] + 1])
        : op === '~' ? (parts.length >= 2 ? [base[0], base[1] + 1, 0] : [base[0] + 1, 0, 0])
        : parts.length === 1 ? [base[0] + 1, 0, 0] : parts.length === 2 ? [base[0], base[1] + 1, 0] : [base[0], base[1], base[2] + 1];
      return c >= 0 && cmp(v, upper) < 0;
    });
  });
}

interface Manifest {
  name?: string;
  engines?: { node?: string; vscode?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Node's lookup: the nearest node_modules/<name> from `from` up to the root. */
function locate(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) return undefined;
  }
}

/** Every package of the production tree, with its engines.node. */
function productionTree(): Map<string, string | undefined> {
  const seen = new Map<string, string | undefined>();
  const visit = (dir: string, manifest: Manifest): void => {
    const optional = manifest.optionalDependencies ?? {};
    for (const name of Object.keys({ ...manifest.dependencies, ...optional })) {
      const at = locate(name, dir);
      if (!at) {
        if (name in optional) continue;
        throw new Error(`${name} (a dependency of ${manifest.name ?? 'the extension'}) is not installed: run npm ci`);
      }
      if (seen.has(at)) continue;
      const m = readManifest(at);
      seen.set(at, m.engines?.node);
      visit(at, m);
    }
  };
  visit(root, readManifest(root));
  return seen;
}

void describe('engines', () => {
  const own = readManifest(root);
  const lowestMinor = Number(/^\^?1\.(\d+)\./.exec(own.engines?.vscode ?? '')?.[1]);

  void it('the oldest VS Code we install in is in the table of extension-host Node versions', () => {
    assert.ok(EXTENSION_HOST_NODE[lowestMinor], `engines.vscode ${own.engines?.vscode}: add VS Code 1.${lowestMinor} to EXTENSION_HOST_NODE`);
  });

  void it("every runtime dependency's engines.node is met by that VS Code's Node, and so is our own", () => {
    const node = EXTENSION_HOST_NODE[lowestMinor];
    assert.ok(node);
    const tree = productionTree();
    assert.ok(tree.size > 5, 'the production tree was read');
    const unmet = [...tree]
      .filter(([, range]) => range !== undefined && !satisfies(node, range))
      .map(([dir, range]) => `${dir.slice(root.length + 1)} needs node ${range}`);
    assert.deepEqual(unmet, [], `VS Code 1.${lowestMinor} runs Node ${node}`);
    assert.ok(satisfies(node, own.engines?.node ?? '*'), `our own engines.node ${own.engines?.node} excludes Node ${node}`);
  });

  void it('reads the range forms dependencies use', () => {
    const yes: [string, string][] = [['20.18.0', '>=20'], ['20.18.0', '>= 14'], ['20.18.0', '^18.18.0 || ^20.9.0 || >=21.1.0'], ['20.18.0', '18 || 20 || >=22'], ['20.18.0', '*'], ['20.18.0', '6.* || 8.* || >= 10.*'], ['20.18.0', '>=16 || 14 >=14.17'], ['20.18.0', '~20.18'], ['0.7.5', '>=0.6.11 <=0.7.0 || >=0.7.3']];
    const no: [string, string][] = [['20.18.0', '>=22'], ['20.18.0', '^20.19.0 || ^22.13.0 || >=24'], ['20.18.0', '21 || >=22'], ['20.18.0', '>=20.18.1'], ['0.7.1', '>=0.6.11 <=0.7.0 || >=0.7.3']];
    for (const [v, r] of yes) assert.equal(satisfies(v, r), true, `${v} in ${r}`);
    for (const [v, r] of no) assert.equal(satisfies(v, r), false, `${v} not in ${r}`);
  });
});

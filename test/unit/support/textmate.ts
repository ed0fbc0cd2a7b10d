/**
 * Tokenises text with our TextMate grammars the way VS Code does: vscode-textmate over the
 * Oniguruma WebAssembly build, one line at a time, carrying the rule stack across lines.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar } from 'vscode-textmate';
import type { IGrammar, IRawGrammar } from 'vscode-textmate';
import { REPO_ROOT } from './schemas';

/** VS Code's standard token types, as encoded in bits 8–9 of a token's metadata. */
export const TokenType = { other: 0, comment: 1, string: 2, regex: 3 } as const;

export interface Token {
  /** 1-based line number. */
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly scopes: readonly string[];
  /** The standard token type VS Code derives (auto-closing and bracket matching use it). */
  readonly type: number;
}

interface Contributed {
  contributes: { grammars: { scopeName: string; path: string; language?: string }[] };
}

let wasm: Promise<void> | undefined;

function loadOniguruma(): Promise<void> {
  wasm ??= (async () => {
    const bytes = readFileSync(join(REPO_ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  })();
  return wasm;
}

/**
 * A registry that knows every grammar package.json contributes, plus `extra` (scope name →
 * grammar file) for grammars another extension provides, such as VS Code's own YAML.
 */
async function createRegistry(extra: Readonly<Record<string, string>>): Promise<Registry> {
  await loadOniguruma();
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Contributed;
  const files = new Map<string, string>(Object.entries(extra));
  for (const g of manifest.contributes.grammars) files.set(g.scopeName, join(REPO_ROOT, g.path));
  return new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: (scopeName): Promise<IRawGrammar | null> => {
      const file = files.get(scopeName);
      return Promise.resolve(file === undefined ? null : parseRawGrammar(readFileSync(file, 'utf8'), file));
    },
  });
}

/** Loads a grammar by scope name; fails when the registry cannot find it. */
export async function loadGrammar(scopeName: string, extra: Readonly<Record<string, string>> = {}): Promise<IGrammar> {
  const grammar = await (await createRegistry(extra)).loadGrammar(scopeName);
  if (!grammar) throw new Error(`no grammar for ${scopeName}`);
  return grammar;
}

/** Every token of `text`, line by line. */
export function tokenize(grammar: IGrammar, text: string): Token[] {
  const out: Token[] = [];
  let state = INITIAL;
  text.split(/\r?\n/).forEach((lineText, i) => {
    const scoped = grammar.tokenizeLine(lineText, state);
    const encoded = grammar.tokenizeLine2(lineText, state).tokens;
    const typeAt = (offset: number): number => {
      let type = 0;
      for (let k = 0; k < encoded.length; k += 2) {
        if (encoded[k]! > offset) break;
        type = (encoded[k + 1]! & 0b11_0000_0000) >>> 8;
      }
      return type;
    };
    for (const t of scoped.tokens) {
      const end = Math.min(t.endIndex, lineText.length);
      if (end <= t.startIndex) continue;
      out.push({ line: i + 1, start: t.startIndex, end, text: lineText.slice(t.startIndex, end), scopes: t.scopes, type: typeAt(t.startIndex) });
    }
    state = scoped.ruleStack;
  });
  return out;
}

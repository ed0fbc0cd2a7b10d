/**
 * What the fuzzer runs each input through, and what must hold of every answer:
 * - nothing throws;
 * - every span lies inside the text, every diagnostic's range inside the document (line within
 *   the line count, character within that line's UTF-16 length, start ≤ end), every code is
 *   registered;
 * - the same input gives the same output (each target runs twice; the outputs must be equal).
 *
 * To add a target (a Flexible Configuration render, say): a FuzzTarget with the input kinds
 * it accepts and a `run` that returns what to compare and what to bounds-check.
 */
import { mkdirSync, mkdtempSync, copyFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODES } from '../../shared/codes';
import { DEFAULT_SERVER_SETTINGS } from '../../shared/settings';
import { toValue } from '../../server/src/core/ast';
import type { ValueNode } from '../../server/src/core/ast';
import { checkText } from '../../server/src/node/checker';
import type { SchemaResolver } from '../../server/src/node/checker';
import { checkConfig } from '../../server/src/core/check';
import type { CheckOutput } from '../../server/src/core/check';
import { parseConfig } from '../../server/src/core/parse';
import { compileSchema } from '../../server/src/core/schema/compile';
import type { CompiledSchema } from '../../server/src/core/schema/compile';
import { lint } from '../../server/src/core/schema/lint';
import { officialSchemaUrl } from '../../server/src/core/schema/url';
import type { Diagnostic, Range, Span } from '../../server/src/core/types';
import { createSchemaResolver } from '../../server/src/node/schemaResolver';
import { BUNDLED_SCHEMA_ID, SchemaStore } from '../../server/src/node/schemaStore';
import { upstreamSchemaPath } from '../support/reference';
import { fileNameFor } from './corpus';
import type { InputKind } from './corpus';
import type { FuzzInput } from './generate';

export interface TargetResult {
  /** Compared between the two runs; plain data only. */
  readonly output: unknown;
  readonly spans?: readonly Span[];
  readonly diagnostics?: readonly Diagnostic[];
  /** A target's own rule that did not hold. */
  readonly mismatch?: string;
}

export interface FuzzTarget {
  readonly name: string;
  readonly kinds: readonly InputKind[];
  run(input: FuzzInput): TargetResult | Promise<TargetResult>;
}

/** One way an input broke a rule; `kind` and `target` group findings of the same bug. */
export interface Violation {
  readonly target: string;
  readonly kind: 'throw' | 'span' | 'range' | 'code' | 'nondeterministic' | 'mismatch';
  readonly message: string;
}

// --- the targets ---------------------------------------------------------------------------

/** Every node's span, iteratively (trees may be 10,000 deep). */
function nodeSpans(root: ValueNode | undefined, out: Span[], limit = 200_000): void {
  if (!root) return;
  const stack: ValueNode[] = [root];
  while (stack.length > 0 && out.length < limit) {
    const n = stack.pop()!;
    out.push(n);
    if (n.kind === 'object') {
      for (const p of n.properties) {
        out.push(p, p.key);
        stack.push(p.value);
      }
    } else if (n.kind === 'array') {
      for (const item of n.items) stack.push(item);
    }
  }
}

function parserTarget(): FuzzTarget {
  return {
    name: 'parse',
    kinds: ['json', 'yaml'],
    run(input) {
      const r = parseConfig(input.text, input.kind);
      const spans: Span[] = r.problems.map((p) => p.span);
      nodeSpans(r.root, spans);
      // The schema lint takes JSON.parse's value instead of the tree's when the parser says they agree.
      let mismatch: string | undefined;
      if (r.root && r.plainIsJsonParse) {
        let native: unknown;
        try {
          native = JSON.parse(input.text);
        } catch (e) {
          mismatch = `plainIsJsonParse, but JSON.parse fails: ${e instanceof Error ? e.message : String(e)}`;
        }
        if (mismatch === undefined && fingerprint(native) !== fingerprint(toValue(r.root))) mismatch = 'plainIsJsonParse, but JSON.parse gives another value than toValue(root)';
      }
      return mismatch === undefined ? { output: { problems: r.problems, root: r.root }, spans } : { output: { problems: r.problems, root: r.root }, spans, mismatch };
    },
  };
}

function projection(out: CheckOutput): unknown {
  return { diagnostics: out.diagnostics, errors: out.errors, warnings: out.warnings };
}

function checkTarget(name: string, schema: CompiledSchema): FuzzTarget {
  return {
    name,
    kinds: ['json', 'yaml'],
    run(input) {
      const out = checkConfig({ text: input.text, format: input.kind, lint: (root, plain) => lint(root, schema, plain) });
      return { output: projection(out), diagnostics: out.diagnostics };
    },
  };
}

function checkerTarget(resolver: SchemaResolver): FuzzTarget {
  const settings = { ...DEFAULT_SERVER_SETTINGS.schema, download: false };
  return {
    name: 'checker',
    kinds: ['json', 'yaml'],
    async run(input) {
      const r = await checkText(input.text, fileNameFor(input.kind), resolver, settings);
      return { output: { ...(projection(r.output) as object), schema: r.schema }, diagnostics: r.output.diagnostics };
    },
  };
}

/**
 * The standard targets: the parsers alone, the pure pipeline with the schema lint compiled
 * from our bundled schema and from the upstream v2.13 one, and the checker the server and the
 * CLI share, with a real schema resolver whose cache holds v2.13 (as after a first download),
 * so `$schema` decides which schema lints, as it does for users. Downloads are off.
 */
export async function standardTargets(repoRoot: string): Promise<FuzzTarget[]> {
  const bundledSchema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'krakend.json'), 'utf8')) as object;
  const upstreamPath = upstreamSchemaPath('v2.13');
  const upstreamSchema = JSON.parse(readFileSync(upstreamPath, 'utf8')) as object;
  const bundled = await compileSchema(BUNDLED_SCHEMA_ID, bundledSchema);
  const upstream = await compileSchema(officialSchemaUrl('2.13'), upstreamSchema);
  const storageDir = join(mkdtempSync(join(tmpdir(), 'krakend-live-fuzz-')), 'schemas');
  mkdirSync(storageDir, { recursive: true });
  copyFileSync(upstreamPath, new SchemaStore({ storageDir }).cachePath(officialSchemaUrl('2.13')));
  const resolver = createSchemaResolver({ storagePath: storageDir, log: () => undefined });
  return [parserTarget(), checkTarget('check(bundled)', bundled), checkTarget('check(v2.13)', upstream), checkerTarget(resolver)];
}

// --- the rules -----------------------------------------------------------------------------

/** The UTF-16 length of each line, line breaks excluded; `\n`, `\r\n` and a lone `\r` end a line. */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

function rangeProblem(r: Range, lines: readonly number[]): string | undefined {
  for (const [what, p] of [['start', r.start], ['end', r.end]] as const) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character)) return `${what} is not integral: ${JSON.stringify(p)}`;
    if (p.line < 0 || p.line >= lines.length) return `${what} line ${p.line} is outside the document's ${lines.length} lines`;
    if (p.character < 0 || p.character > lines[p.line]!) return `${what} character ${p.character} is outside line ${p.line}, which is ${lines[p.line]} long`;
  }
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) return `start ${JSON.stringify(r.start)} is after end ${JSON.stringify(r.end)}`;
  return undefined;
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint']);

/** What is wrong with one result of `target` for `text`; empty when nothing is. */
export function validate(target: string, text: string, result: TargetResult, lines: readonly number[]): Violation[] {
  const out: Violation[] = [];
  if (result.mismatch !== undefined) out.push({ target, kind: 'mismatch', message: result.mismatch });
  for (const s of result.spans ?? []) {
    const { offset, length } = s;
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > text.length) {
      out.push({ target, kind: 'span', message: `span {offset: ${offset}, length: ${length}} is outside the ${text.length}-unit text` });
      break;
    }
  }
  for (const d of result.diagnostics ?? []) {
    const bad = rangeProblem(d.range, lines);
    if (bad) out.push({ target, kind: 'range', message: `${d.code}: ${bad}` });
    if (!(d.code in CODES) || !SEVERITIES.has(d.severity) || typeof d.message !== 'string' || d.message === '') {
      out.push({ target, kind: 'code', message: `diagnostic ${JSON.stringify({ code: d.code, severity: d.severity, message: d.message })} is not a registered code with a message` });
    }
  }
  return out;
}

/**
 * A canonical text of plain data, built iteratively: Node's deep-equal and JSON.stringify
 * recurse, and the trees here may be 10,000 levels deep.
 */
class Key {
  constructor(readonly name: string) {}
}

export function fingerprint(value: unknown): string {
  const parts: string[] = [];
  const stack: unknown[] = [value];
  const CLOSE_ARR = Symbol('close-array');
  const CLOSE_OBJ = Symbol('close-object');
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === CLOSE_ARR) parts.push(']');
    else if (v === CLOSE_OBJ) parts.push('}');
    else if (v instanceof Key) parts.push(`${JSON.stringify(v.name)}:`);
    else if (typeof v === 'string') parts.push(JSON.stringify(v));
    else if (typeof v === 'number') parts.push(Object.is(v, -0) ? '-0' : String(v));
    else if (v === null || v === undefined || typeof v === 'boolean') parts.push(String(v));
    else if (Array.isArray(v)) {
      parts.push('[');
      stack.push(CLOSE_ARR);
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (typeof v === 'object') {
      parts.push('{');
      stack.push(CLOSE_OBJ);
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push((v as Record<string, unknown>)[keys[i]!]);
        stack.push(new Key(keys[i]!));
      }
    } else parts.push(`<${typeof v}>`);
  }
  return parts.join(',');
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    // The first frames say where it broke, which is what groups findings of one bug.
    const frames = (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 3).map((l) => l.trim());
    return `${e.name}: ${e.message}${frames.length ? ` (${frames.join(' < ')})` : ''}`;
  }
  return String(e);
}

/** Runs one input through one target twice and checks every rule. */
export async function runTarget(target: FuzzTarget, input: FuzzInput, lines: readonly number[]): Promise<Violation[]> {
  let first: TargetResult;
  let second: TargetResult;
  try {
    first = await target.run(input);
    second = await target.run(input);
  } catch (e) {
    return [{ target: target.name, kind: 'throw', message: describe(e) }];
  }
  const out = validate(target.name, input.text, first, lines);
  if (fingerprint(first.output) !== fingerprint(second.output)) {
    out.push({ target: target.name, kind: 'nondeterministic', message: 'two runs on the same input gave different outputs' });
  }
  return out;
}

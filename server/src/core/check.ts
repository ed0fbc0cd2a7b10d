/**
 * The checking pipeline: text in, diagnostics out. It mirrors `krakend check -t -s` —
 * parse, weakly typed decode, lura's Init, the schema lint, gin's routes — but keeps going
 * after the first problem so the user sees all of them, each on its own range.
 */
import type { ValueNode } from './ast';
import { CODES } from '../../../shared/codes';
import { auditProblems } from './audit';
import type { AuditOptions } from './audit';
import { decodeService } from './decode';
import { checkInit } from './init';
import { parseConfig } from './parse';
import type { ParseResult } from './parse';
import { LineIndex } from './positions';
import { checkRoutes } from './routes';
import type { ConfigFormat, Diagnostic, Problem } from './types';

export interface CheckInput {
  readonly text: string;
  readonly format: ConfigFormat;
  /** The result of parseConfig on the same text, when the caller already has it. */
  readonly parsed?: ParseResult;
  /**
   * The schema lint, already compiled for this document's schema. The caller chooses the
   * schema (it may need I/O); the pipeline only runs it, and only on a tree that parsed.
   * `plain`, when given, makes the document's plain value faster than walking the tree.
   */
  readonly lint?: (root: ValueNode, plain?: () => unknown) => readonly Problem[];
  /** Problems the caller found while preparing the check (for example `schema/bundled`). */
  readonly extra?: readonly Problem[];
  /** Runs `krakend audit`'s rules too (advice: warnings and notes, never errors). */
  readonly audit?: AuditOptions;
}

export interface CheckOutput {
  /** Sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
  readonly errors: number;
  readonly warnings: number;
  /** The parsed tree, when the text parsed, so callers can read `$schema` without parsing twice. */
  readonly root?: ValueNode;
}

/** Runs every stage that can run on the text and returns what they found. */
export function checkConfig(input: CheckInput): CheckOutput {
  const { problems, root } = checkProblems(input);
  return summarise(problems, new LineIndex(input.text), root);
}

/**
 * The problems of every stage that can run, still as spans of the text (the Flexible
 * Configuration checker maps them from the rendered text back to the templates).
 */
export function checkProblems(input: CheckInput): { problems: Problem[]; root?: ValueNode } {
  const problems: Problem[] = [];
  const parsed = input.parsed ?? parseConfig(input.text, input.format);
  problems.push(...parsed.problems);
  const parseFailed = parsed.problems.some((p) => (p.severity ?? CODES[p.code].severity) === 'error');
  if (!parseFailed) {
    // A top-level `null` parses (Go decodes it into a nil map), so decoding runs without a root.
    const { model, problems: decodeProblems } = decodeService(parsed.root);
    problems.push(...decodeProblems, ...checkInit(model));
    if (parsed.root && input.lint) {
      const text = input.text;
      problems.push(...input.lint(parsed.root, input.format === 'json' && parsed.plainIsJsonParse === true ? () => JSON.parse(text) as unknown : undefined));
    }
    problems.push(...checkRoutes(model));
    if (input.extra) problems.push(...input.extra);
    if (input.audit) problems.push(...auditProblems(model, parsed.root, input.audit));
  }
  const root = parseFailed ? undefined : parsed.root;
  return root ? { problems: onePerPlace(problems), root } : { problems: onePerPlace(problems) };
}

/**
 * The schema often restates what a KrakenD rule already said about the same value
 * (`version: 2` is both lura's "unsupported version" and the schema's `const`). KrakenD's
 * own message is the more useful one, so a schema problem on exactly the span of another
 * stage's error is dropped. The other way round, a KrakenD warning that only restates a schema
 * error on the same value is dropped.
 */
function onePerPlace(problems: readonly Problem[]): Problem[] {
  const taken = new Set<string>();
  const schemaErrors = new Set<string>();
  for (const p of problems) {
    const error = (p.severity ?? CODES[p.code].severity) === 'error';
    if (!error) continue;
    (p.code.startsWith('schema/') ? schemaErrors : taken).add(`${p.span.offset}:${p.span.length}`);
  }
  return problems.filter((p) => {
    const place = `${p.span.offset}:${p.span.length}`;
    if (p.code.startsWith('schema/')) return !taken.has(place);
    // The lowercase-method warning and the leading-slash note say what the schema's error on the
    // same value says (with its "did you mean" or its hint); next to that error they are the same
    // fault twice.
    return !(RESTATED_BY_SCHEMA.has(p.code) && schemaErrors.has(place));
  });
}

const RESTATED_BY_SCHEMA: ReadonlySet<string> = new Set(['route/lowercase-method', 'init/leading-slash']);

function summarise(problems: readonly Problem[], index: LineIndex, root: ValueNode | undefined): CheckOutput {
  const diagnostics = problems
    .map((p): Diagnostic => {
      const d: Diagnostic = { code: p.code, severity: p.severity ?? CODES[p.code].severity, message: p.message, range: index.rangeOf(p.span) };
      return p.data ? { ...d, data: p.data } : d;
    })
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
  }
  return root ? { diagnostics, errors, warnings, root } : { diagnostics, errors, warnings };
}

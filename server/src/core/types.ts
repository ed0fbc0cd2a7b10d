import type { Code, Severity } from '../../../shared/codes';

/** A stretch of the source text, in UTF-16 code units (JavaScript string offsets). */
export interface Span {
  readonly offset: number;
  readonly length: number;
}

/**
 * One problem found by a core stage. Stages speak in offsets; the pipeline turns them into
 * LSP ranges exactly once (see positions.ts), so no stage ever computes a line number.
 */
export interface Problem {
  readonly code: Code;
  readonly message: string;
  readonly span: Span;
  /** Overrides the code's default severity (for example schema deprecations). */
  readonly severity?: Severity;
  /** What a quick fix needs to repair it, when the repair is obvious (see ProblemData). */
  readonly data?: ProblemData;
}

/**
 * Structured repair data, so a quick fix never has to read a message. It travels as the LSP
 * diagnostic's `data` and must stay JSON. Where the fix applies is the problem's own span
 * (VS Code keeps a diagnostic's range in step with edits; an offset in here would go stale).
 */
export interface ProblemData {
  /**
   * What the text at the span should become: a key or a scalar value, written in the file's
   * syntax by the fix (quoted in JSON, plain where YAML allows).
   */
  readonly replacement?: string | number | boolean;
  /** Required properties missing from the object at (or held by the key at) the span. */
  readonly missing?: readonly string[];
  /** A property to add (an audit recommendation's snippet): to the object at `path` from the root, created as needed. */
  readonly add?: { readonly path: readonly (string | number)[]; readonly name: string; readonly value: unknown };
}

/** An LSP-shaped position: 0-based line, UTF-16 character. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** A problem with its range resolved, as the LSP layer and the CLI print it. */
export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  readonly data?: ProblemData;
}

/** The formats KrakenD's koanf parser picks by file extension. Anything else is read as JSON. */
export type ConfigFormat = 'json' | 'yaml';

/** The format KrakenD uses for a file name: `.yml`/`.yaml` are YAML, everything else JSON. */
export function formatOf(fileName: string): ConfigFormat {
  return /\.ya?ml$/i.test(fileName) ? 'yaml' : 'json';
}

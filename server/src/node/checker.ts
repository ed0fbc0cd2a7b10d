/**
 * One check of one file, shared by the language server and the CLI: parse once, let the
 * schema resolver pick and compile the schema (this may read a cache or download), then run
 * the pure pipeline. Nothing here knows about LSP.
 */
import type { SchemaOrigin } from '../../../shared/protocol';
import type { ServerSettings } from '../../../shared/settings';
import type { ValueNode } from '../core/ast';
import { checkConfig } from '../core/check';
import type { CheckOutput } from '../core/check';
import type * as Flexible from '../core/flexible';
import type { FlexibleCheckOutput, FlexibleReaders, FlexibleSetup } from '../core/flexible';
import { parseConfig } from '../core/parse';
import type { ParseResult } from '../core/parse';
import { formatOf } from '../core/types';
import type { SchemaDocuments } from '../core/schema/prepare';
import type { Problem } from '../core/types';

/** What the schema side hands the pipeline for one document. */
export interface PreparedLint {
  readonly lint?: (root: ValueNode, plain?: () => unknown) => readonly Problem[];
  /** For example the one `schema/bundled` note. */
  readonly extra: readonly Problem[];
  readonly origin: SchemaOrigin;
  readonly url?: string;
  /** The schema as JSON, for hover and completion (the same one the lint used). */
  readonly schema?: SchemaDocuments;
}

/** Chooses and compiles the schema for a parsed document. Must not throw. */
export interface SchemaResolver {
  prepare(root: ValueNode, settings: ServerSettings['schema']): Promise<PreparedLint>;
  /** Settles when the downloads and cache writes started in the background have. Never rejects. */
  idle?(): Promise<void>;
}

export interface FileCheck {
  readonly output: CheckOutput;
  readonly schema: { readonly origin: SchemaOrigin; readonly url?: string };
}

/** Checks one file's text. The file name only chooses the format, as KrakenD does. */
export async function checkText(
  text: string,
  fileName: string,
  resolver: SchemaResolver | undefined,
  schemaSettings: ServerSettings['schema'],
): Promise<FileCheck> {
  const format = formatOf(fileName);
  const parsed = parseConfig(text, format);
  const prepared: PreparedLint =
    resolver && parsed.root ? await resolver.prepare(parsed.root, schemaSettings) : { extra: [], origin: 'none' };
  const output = checkConfig({ text, format, parsed, lint: prepared.lint, extra: prepared.extra });
  return { output, schema: prepared.url ? { origin: prepared.origin, url: prepared.url } : { origin: prepared.origin } };
}

export interface FlexibleFileCheck {
  readonly output: FlexibleCheckOutput;
  readonly schema: { readonly origin: SchemaOrigin; readonly url?: string };
}

export interface FlexibleCheckRequest {
  /** The configuration (the -c file): its path as the readers understand it, and its text. */
  readonly mainPath: string;
  readonly mainText: string;
  readonly setup: FlexibleSetup;
  readonly readers: FlexibleReaders;
}

let flexibleModule: typeof Flexible | undefined;

/**
 * The template engine and the Flexible Configuration pipeline (200 KB of the CLI bundle) are
 * evaluated on the first Flexible Configuration: a plain check, the CLI's usual case, does not
 * pay for them (docs/benchmarks.md, the CLI's cold start).
 */
function flexible(): typeof Flexible {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (flexibleModule ??= require('../core/flexible') as typeof Flexible);
}

/**
 * Checks a Flexible Configuration: renders it, lets the resolver choose the schema by the
 * rendered `$schema` (as KrakenD lints what it rendered), then checks the output and maps every
 * problem back to the template, partial or settings file that produced it.
 */
export async function checkFlexible(
  request: FlexibleCheckRequest,
  resolver: SchemaResolver | undefined,
  schemaSettings: ServerSettings['schema'],
): Promise<FlexibleFileCheck> {
  const { checkFlexibleRender, renderProject, setupFormat } = flexible();
  const { setup } = request;
  const render = renderProject({ mainPath: request.mainPath, mainText: request.mainText, options: setup.options, readers: request.readers });
  let prepared: PreparedLint = { extra: [], origin: 'none' };
  let parsed: ParseResult | undefined;
  if (render.result) {
    parsed = parseConfig(render.result.output, setupFormat(setup));
    if (resolver && parsed.root) prepared = await resolver.prepare(parsed.root, schemaSettings);
  }
  const output = checkFlexibleRender(render, {
    format: setupFormat(setup),
    ...(parsed ? { parsed } : {}),
    ...(prepared.lint ? { lint: prepared.lint } : {}),
    extra: prepared.extra,
  });
  return { output, schema: prepared.url ? { origin: prepared.origin, url: prepared.url } : { origin: prepared.origin } };
}

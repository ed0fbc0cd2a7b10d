/**
 * Custom messages between the client and the server. Names follow `krakend/<name>`.
 * This file has no runtime dependencies so both bundles can import it.
 */

/** Where the schema used for a check came from. */
export type SchemaOrigin = 'setting' | 'cache' | 'download' | 'bundled' | 'none';

/**
 * Server → client, after every check of a configuration file (on open, on save, on type).
 * The gateway controller stages a file only when `ok` is true for its latest saved version.
 */
export interface CheckResultParams {
  readonly uri: string;
  /** The document version that was checked; undefined for files checked from disk. */
  readonly version?: number;
  /** True when the check ran to the end and found no errors. */
  readonly ok: boolean;
  readonly errors: number;
  readonly warnings: number;
  /** Set when the check itself failed; the report is then empty and `ok` is false. */
  readonly failure?: string;
  readonly schema: { readonly origin: SchemaOrigin; readonly url?: string };
  /** Whether this check followed a save (as opposed to an edit or an open). */
  readonly trigger: 'open' | 'save' | 'change' | 'request';
  /** Milliseconds the check took. */
  readonly durationMs: number;
  /**
   * Set when the file was checked as a Flexible Configuration template: the folders the render
   * used (absolute paths) and FC_OUT, so the gateway stages exactly those and runs KrakenD with
   * the same FC_* variables.
   */
  readonly flexible?: FlexibleUsed;
}
export const CheckResultNotification = 'krakend/checkResult';

/** The Flexible Configuration a check used. */
export interface FlexibleUsed {
  readonly settings?: string;
  readonly partials?: string;
  readonly templates?: string;
  /** FC_OUT as set (its extension decides how KrakenD parses the render). */
  readonly out?: string;
}

/** Client → server: the rendered configuration of a Flexible Configuration template. */
export interface RenderedConfigParams {
  readonly uri: string;
}
export type RenderedConfigResult = { readonly text: string; readonly format: 'json' | 'yaml' } | { readonly error: string };
export const RenderedConfigRequest = 'krakend/renderedConfig';

/** Client → server: check a file now (the "Check Configuration" command). */
export interface CheckFileParams {
  readonly uri: string;
}
export const CheckFileRequest = 'krakend/checkFile';

/**
 * The command a "try" code lens runs (client/src/commands/tryEndpoint.ts), with one argument:
 * the endpoint as the server read it. The server offers these lenses only to a client that
 * says it can run them (`initializationOptions.tryEndpointLenses`).
 */
export const TRY_ENDPOINT_COMMAND = 'krakend.tryEndpoint';

export interface TryEndpointArgs {
  /** The configuration file. */
  readonly uri: string;
  /** As lura routes it (upper case, GET by default). */
  readonly method: string;
  /** As written, with its `{params}` (a trailing `/*` is a wildcard). */
  readonly path: string;
  /** The input params of the path, in order, without repeats. */
  readonly params: readonly string[];
  /** 0-based line of the endpoint's path, for marking the endpoint after a try. */
  readonly line: number;
}

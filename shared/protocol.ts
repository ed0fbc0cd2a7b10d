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
  /**
   * Set on a `save` result that a change on disk caused (workspace/didChangeWatchedFiles: a git
   * checkout, another editor, a script) rather than a save in this editor. Such a save is nobody's
   * auto-save: `krakend.gateway.reloadOn: save` applies it, unless the client saw this editor save
   * the configuration itself (the watcher can report the editor's own write before its didSave).
   */
  readonly fromDisk?: true;
  /** Milliseconds the check took. */
  readonly durationMs: number;
  /**
   * Present when the file was checked as a Flexible Configuration (rendered as KrakenD does with
   * `FC_ENABLE` set): what the check used, so the gateway stages the same folders and starts
   * KrakenD with the same `FC_*` variables. A save of a partial, settings file or sub-template
   * also produces a result (with `trigger: 'save'`) for every configuration that uses it.
   */
  readonly flexible?: FlexibleCheckInfo;
}
export const CheckResultNotification = 'krakend/checkResult';

/**
 * The Flexible Configuration inputs of a check, as absolute paths. A folder that is absent was
 * not used (its `FC_*` variable stays unset); `out` is FC_OUT, whose extension decides whether
 * KrakenD parses the rendered output as JSON or YAML.
 */
export interface FlexibleCheckInfo {
  /** FC_SETTINGS: a folder whose top-level `*.json` files are the template's data. */
  readonly settings?: string;
  /** FC_PARTIALS: the folder `include "x"` reads from. */
  readonly partials?: string;
  /** FC_TEMPLATES: a folder whose top-level `*.tmpl` files `template "x.tmpl"` runs. */
  readonly templates?: string;
  /** FC_OUT, when configured. */
  readonly out?: string;
  /**
   * How the check parsed the rendered output. `yaml` without `out` (a YAML configuration):
   * KrakenD parses YAML only when FC_OUT ends in `.yml`/`.yaml`, so the gateway must set one.
   */
  readonly format: 'json' | 'yaml';
  /**
   * Every file the render read: the configuration, settings files, sub-templates and partials
   * (a partial read with `FC_PARTIALS` unset lies wherever its `include` path points).
   */
  readonly files?: readonly string[];
  /**
   * Files among `files` (other than the configuration) whose unsaved editor text the check read
   * instead of the disk. A save's result with such files is reported with `trigger: 'change'`:
   * what was checked is not what is on disk.
   */
  readonly unsaved?: readonly string[];
}

/** Client → server: check a file now (the "Check Configuration" command). */
export interface CheckFileParams {
  readonly uri: string;
}
export const CheckFileRequest = 'krakend/checkFile';

/**
 * Client → server: the rendered configuration of a Flexible Configuration file, rendered as the
 * check renders it (the editor's unsaved text included), for "KrakenD: Show Rendered
 * Configuration". The answer is the output or, when the file cannot be rendered (it is not a
 * Flexible Configuration, or a template or settings error stops the render), why.
 */
export interface RenderedConfigParams {
  readonly uri: string;
}
export type RenderedConfigResult =
  /** The output as KrakenD would write it to FC_OUT, and how KrakenD parses it. */
  | { readonly text: string; readonly format: 'json' | 'yaml' }
  /** For example `template: krakend.tmpl:3: function "foo" not defined`, with the file's path. */
  | { readonly error: string };
export const RenderedConfigRequest = 'krakend/renderedConfig';

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

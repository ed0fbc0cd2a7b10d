/**
 * The registry of every diagnostic KrakenD Live reports.
 *
 * A code is stable: once shipped it is never renamed, because users filter on it and
 * tests assert it. Add new codes at the end of their group; the README's table is
 * generated from this object by `npm run docs:codes`.
 */

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface CodeInfo {
  /** Severity when the rule does not choose one itself. */
  readonly severity: Severity;
  /** One line for the README table and the hover of the code link. */
  readonly summary: string;
}

/** Where `codeDescription` links point: one anchor per code in the project's docs. */
export const CODE_DOCS_BASE = 'https://github.com/krakend-live/krakend-live/blob/main/docs/diagnostics.md';

export const CODES = {
  // --- parsing (Go's encoding/json, go-yaml v3 as koanf uses them)
  'json/syntax': { severity: 'error', summary: 'The file is not JSON that Go\'s encoding/json accepts (comments, trailing commas, single quotes, NaN, empty file…).' },
  'json/not-object': { severity: 'error', summary: 'The top level is not a JSON object.' },
  'json/duplicate-key': { severity: 'warning', summary: 'A key appears twice in one object; Go keeps the last one.' },
  'yaml/syntax': { severity: 'error', summary: 'The file is not valid YAML, or has a duplicate key (go-yaml v3 rejects those).' },
  'yaml/not-object': { severity: 'error', summary: 'The top level of the YAML document is not a mapping.' },

  // --- weakly typed decoding (mapstructure with WeaklyTypedInput and the duration hook)
  'decode/type': { severity: 'error', summary: 'A value cannot be decoded into the type KrakenD expects.' },
  'decode/duration': { severity: 'error', summary: 'A duration string that Go\'s time.ParseDuration rejects.' },

  // --- lura ServiceConfig.Init, in its order
  'init/version': { severity: 'error', summary: 'version is missing or not 3.' },
  'init/listen-ip': { severity: 'error', summary: 'listen_ip is not a literal IP address.' },
  'init/host': { severity: 'error', summary: 'A host that lura\'s host sanitiser rejects.' },
  'init/endpoint-invalid': { severity: 'error', summary: 'An endpoint path that lura rejects (reserved /__debug, /__echo, /__health, or a misplaced *).' },
  'init/no-backends': { severity: 'error', summary: 'An endpoint without backends.' },
  'init/noop-backends': { severity: 'error', summary: 'no-op output encoding with more than one backend.' },
  'init/params-mismatch': { severity: 'error', summary: 'The backend uses more params than the endpoint defines.' },
  'init/undefined-output-param': { severity: 'error', summary: 'The backend url_pattern uses a param the endpoint does not define.' },
  'init/leading-slash': { severity: 'information', summary: 'The path has no leading slash; KrakenD adds one.' },

  // --- gin's router, one tree per method
  'route/duplicate': { severity: 'error', summary: 'Two endpoints register the same method and path.' },
  'route/wildcard-conflict': { severity: 'error', summary: 'Two wildcards at the same position have different names.' },
  'route/catch-all-conflict': { severity: 'error', summary: 'A catch-all wildcard conflicts with another route.' },
  'route/unnamed-wildcard': { severity: 'error', summary: 'A wildcard without a name, such as /a/* or /a/:.' },
  'route/multiple-wildcards': { severity: 'error', summary: 'More than one wildcard in one path segment.' },
  'route/invalid-escape': { severity: 'error', summary: 'A backslash not followed by a colon (gin ≥ 1.11).' },
  'route/reserved-clash': { severity: 'error', summary: 'The path clashes with /__health (or health_path), /__debug/* or /__echo/*; krakend run panics although check -t passes.' },
  'route/manual-param': { severity: 'warning', summary: 'A :param written by hand is not an input param; use {param}.' },
  'route/unsupported-method': { severity: 'error', summary: 'A method the router does not support; KrakenD skips the endpoint.' },
  'route/unknown-encoding': { severity: 'error', summary: 'An output_encoding or backend encoding KrakenD does not know.' },
  'route/invalid-catch-all': { severity: 'error', summary: 'A catch-all that is not the last segment or has no / before it (reachable through health_path).' },
  'route/lowercase-method': { severity: 'warning', summary: 'A method not in upper case: lura upper-cases it, but the schema rejects it.' },

  // --- JSON-schema lint (krakend check -l / -s)
  'schema/additional-property': { severity: 'error', summary: 'A property the schema does not allow here.' },
  'schema/unknown-namespace': { severity: 'error', summary: 'An extra_config namespace the schema does not know.' },
  'schema/required': { severity: 'error', summary: 'A required property is missing.' },
  'schema/type': { severity: 'error', summary: 'A value of the wrong type.' },
  'schema/enum': { severity: 'error', summary: 'A value outside the allowed set.' },
  'schema/pattern': { severity: 'error', summary: 'A string that does not match the schema pattern (durations, paths…).' },
  'schema/range': { severity: 'error', summary: 'A number or list outside its bounds.' },
  'schema/one-of': { severity: 'error', summary: 'A value that matches none of the allowed shapes.' },
  'schema/other': { severity: 'error', summary: 'Any other schema violation.' },
  'schema/deprecated': { severity: 'warning', summary: 'A property the schema marks as deprecated.' },
  'schema/bundled': { severity: 'information', summary: 'The official schema could not be had; KrakenD Live\'s bundled schema was used.' },

  // --- Flexible Configuration (Go templates rendered as krakend-flexibleconfig does)
  'template/syntax': { severity: 'error', summary: 'A template that Go\'s text/template cannot parse (KrakenD\'s "Unable to parse configuration file").' },
  'template/exec': { severity: 'error', summary: 'A template that fails when executed (KrakenD\'s "Found error while executing template").' },
  'template/missing-file': { severity: 'error', summary: 'A partial, template folder or settings folder that KrakenD cannot read (a missing partial renders as nothing).' },
  'template/no-value': { severity: 'warning', summary: 'A template expression printed <no value>: the settings key it reads does not exist.' },
  'template/unsupported-function': { severity: 'warning', summary: 'A template function KrakenD Live cannot reproduce (certificates, DNS, bcrypt); the rendered configuration is not checked.' },
  'template/settings': { severity: 'error', summary: 'A settings file KrakenD cannot load: not JSON, or not a JSON object.' },
  'template/detected': { severity: 'information', summary: 'Flexible Configuration is in use: which settings, partials and templates folders the check reads.' },

  // --- the checker itself
  'internal/error': { severity: 'error', summary: 'The checker failed on this file; please report it.' },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

/** The documentation link of a code, used as the LSP `codeDescription.href`. */
export function codeHref(code: Code): string {
  return `${CODE_DOCS_BASE}#${code.replace(/[^a-z0-9]+/g, '-')}`;
}

/** The fixed LSP `source` of every diagnostic. */
export const DIAGNOSTIC_SOURCE = 'krakend';

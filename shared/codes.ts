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

  // --- krakend audit (krakend-audit v0.9.3 as CE 2.13.8 runs it): advice, never an error
  'audit/1.1.1': { severity: 'warning', summary: 'HIGH: Basic authentication (the deprecated basic-auth server plugin) protects the gateway.' },
  'audit/1.1.2': { severity: 'warning', summary: 'MEDIUM: auth/api-keys is used; stateless authorization such as JWT is recommended.' },
  'audit/1.2.1': { severity: 'warning', summary: 'HIGH: no endpoint validates a JWT (auth/validator).' },
  'audit/2.1.1': { severity: 'warning', summary: 'HIGH: allow_insecure_connections (service or client_tls) accepts any backend certificate.' },
  'audit/2.1.2': { severity: 'warning', summary: 'HIGH: no tls section: the gateway serves plain HTTP.' },
  'audit/2.1.3': { severity: 'warning', summary: 'CRITICAL: tls is configured but disabled.' },
  'audit/2.1.7': { severity: 'warning', summary: 'HIGH: no security/http (HTTP security headers) at service level.' },
  'audit/2.1.8': { severity: 'warning', summary: 'HIGH: use_h2c turns on clear-text HTTP/2.' },
  'audit/2.1.9': { severity: 'information', summary: 'LOW: a backend\'s backend/http/client client_tls allows insecure connections.' },
  'audit/2.2.1': { severity: 'warning', summary: 'MEDIUM: router.hide_version_header is not set, so responses carry the KrakenD version.' },
  'audit/2.2.2': { severity: 'warning', summary: 'HIGH: no security/cors at service level.' },
  'audit/2.2.3': { severity: 'warning', summary: 'HIGH: an endpoint passes every header (input_headers "*").' },
  'audit/2.2.4': { severity: 'warning', summary: 'HIGH: an endpoint passes every query string (input_query_strings "*").' },
  'audit/2.2.5': { severity: 'information', summary: 'LOW: a grpc server declares no services.' },
  'audit/2.3.1': { severity: 'warning', summary: 'MEDIUM: a backend\'s qos/http-cache has no max_items or no max_size.' },
  'audit/3.1.1': { severity: 'information', summary: 'LOW: no security/bot-detector at service level.' },
  'audit/3.1.2': { severity: 'warning', summary: 'HIGH: no rate limit anywhere (router, proxy, service or the redis-ratelimit plugin).' },
  'audit/3.1.3': { severity: 'warning', summary: 'HIGH: no endpoint or backend has qos/circuit-breaker.' },
  'audit/3.3.1': { severity: 'information', summary: 'LOW: an endpoint timeout above 3 seconds.' },
  'audit/3.3.2': { severity: 'warning', summary: 'MEDIUM: an endpoint timeout above 5 seconds.' },
  'audit/3.3.3': { severity: 'warning', summary: 'HIGH: an endpoint timeout above 30 seconds.' },
  'audit/3.3.4': { severity: 'warning', summary: 'CRITICAL: an endpoint timeout above 1 minute.' },
  'audit/4.1.1': { severity: 'warning', summary: 'MEDIUM: no metrics component (telemetry/metrics, opencensus, newrelic, ganalytics, instana).' },
  'audit/4.1.2': { severity: 'warning', summary: 'MEDIUM: the configuration has no name for metrics (the binary never reports it).' },
  'audit/4.1.3': { severity: 'warning', summary: 'HIGH: more than one telemetry component collects metrics.' },
  'audit/4.2.1': { severity: 'warning', summary: 'MEDIUM: no tracing (opencensus, newrelic, instana, or an OpenTelemetry exporter with traces).' },
  'audit/4.3.1': { severity: 'warning', summary: 'MEDIUM: no telemetry/logging, telemetry/gelf or telemetry/logstash.' },
  'audit/5.1.1': { severity: 'information', summary: 'LOW: disable_rest is set.' },
  'audit/5.1.2': { severity: 'information', summary: 'LOW: debug_endpoint is set.' },
  'audit/5.1.3': { severity: 'information', summary: 'LOW: echo_endpoint is set.' },
  'audit/5.1.4': { severity: 'information', summary: 'LOW: an endpoint path ends in a wildcard (*).' },
  'audit/5.1.5': { severity: 'warning', summary: 'MEDIUM: an endpoint is /__catchall.' },
  'audit/5.1.6': { severity: 'warning', summary: 'MEDIUM: an endpoint calls more than one backend with a write method.' },
  'audit/5.1.7': { severity: 'warning', summary: 'MEDIUM: an endpoint uses the sequential proxy.' },
  'audit/5.2.1': { severity: 'warning', summary: 'CRITICAL: an endpoint has no backend.' },
  'audit/5.2.2': { severity: 'information', summary: 'LOW: no endpoint aggregates more than one backend.' },
  'audit/5.2.3': { severity: 'information', summary: 'LOW: every endpoint uses no-op encoding.' },
  'audit/6.1.1': { severity: 'information', summary: 'LOW: sequential_start with 10 or more async agents.' },
  'audit/7.1.1': { severity: 'warning', summary: 'HIGH: the deprecated virtualhost server plugin.' },
  'audit/7.1.2': { severity: 'warning', summary: 'HIGH: the deprecated static-filesystem server plugin.' },
  'audit/7.1.3': { severity: 'warning', summary: 'HIGH: the deprecated basic-auth server plugin.' },
  'audit/7.1.4': { severity: 'warning', summary: 'HIGH: the deprecated wildcard server plugin.' },
  'audit/7.1.5': { severity: 'warning', summary: 'HIGH: the deprecated http-proxy client plugin.' },
  'audit/7.1.6': { severity: 'warning', summary: 'HIGH: the deprecated static-filesystem client plugin.' },
  'audit/7.1.7': { severity: 'warning', summary: 'HIGH: the deprecated no-redirect client plugin.' },
  'audit/7.1.8': { severity: 'warning', summary: 'HIGH: the deprecated content-replacer request/response plugin.' },
  'audit/7.1.9': { severity: 'warning', summary: 'HIGH: the deprecated response-schema-validator request/response plugin.' },
  'audit/7.2.1': { severity: 'warning', summary: 'HIGH: the deprecated telemetry/ganalytics.' },
  'audit/7.2.2': { severity: 'warning', summary: 'HIGH: the deprecated telemetry/instana.' },
  'audit/7.2.3': { severity: 'warning', summary: 'HIGH: the deprecated telemetry/opencensus.' },
  'audit/7.2.4': { severity: 'warning', summary: 'HIGH: the deprecated telemetry/influx.' },
  'audit/7.3.1': { severity: 'warning', summary: 'MEDIUM: tls uses public_key/private_key instead of the keys list.' },

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

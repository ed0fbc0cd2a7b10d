/**
 * Values the fuzzer plants in inputs: the words KrakenD's config uses, and the corner cases of
 * paths, numbers, durations, hosts and text that the checker's stages each have rules for.
 */
import type { Rng } from './random';

export const KEYS = [
  'version', '$schema', 'name', 'port', 'host', 'timeout', 'cache_ttl', 'output_encoding', 'listen_ip',
  'endpoints', 'endpoint', 'method', 'backend', 'url_pattern', 'encoding', 'extra_config', 'sd',
  'disable_host_sanitize', 'input_headers', 'input_query_strings', 'concurrent_calls', 'target', 'allow',
  'deny', 'mapping', 'group', 'is_collection', 'async_agent', 'consumer', 'connection', 'plugin', 'tls',
  'debug_endpoint', 'echo_endpoint', 'sequential_start', 'max_shutdown_wait_time', 'read_timeout',
  'use_h2c', 'dns_cache_ttl', 'client_tls', 'headers_to_pass', 'querystring_params', 'whitelist',
  'blacklist', '__proto__', 'constructor', 'hasOwnProperty', '', ' ', 'Endpoint', 'endpiont', 'backends',
  'url-pattern', 'extraConfig', 'EXTRA_CONFIG',
] as const;

export const NAMESPACES = [
  'qos/ratelimit/router', 'qos/ratelimit/proxy', 'qos/circuit-breaker', 'qos/http-cache', 'backend/http',
  'backend/http/client', 'router', 'telemetry/logging', 'telemetry/metrics', 'telemetry/opentelemetry',
  'security/cors', 'security/http', 'auth/validator', 'auth/signer', 'validation/cel', 'validation/json-schema',
  'modifier/lua-endpoint', 'modifier/martian', 'proxy', 'plugin/http-server', 'server/static-filesystem',
  'github_com/devopsfaith/krakend-ratelimit/juju/router', 'github_com/devopsfaith/krakend-cors',
  'github.com/devopsfaith/krakend-gologging', 'qos/ratelimit/routr', 'security/CORS', 'unknown/namespace',
] as const;

const PATH_SEGMENTS = [
  '', 'a', 'users', '{id}', '{', '}', '{}', '{a}{b}', '{id', 'id}', '{ID}', '{a:b}', '{{x}}', '*', '*rest',
  '*{x}', ':id', ':', '::', '\\', '\\:x', '\\{', '{id}:x', 'x:{id}', '%2F', '%', '..', '.', '__health',
  '__debug', '__echo', 'é', '😀', '\u0000', '\t', ' ', '?q=1', '#f', 'a*b', '{id}.json', 'v{n}',
] as const;

/** A path made of segments that gin and lura each treat specially. */
export function weirdPath(rng: Rng): string {
  const n = rng.range(0, 5);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(rng.pick(PATH_SEGMENTS));
  const body = parts.join(rng.chance(0.9) ? '/' : rng.pick(['//', '\\', '']));
  const lead = rng.weighted<string>([[8, '/'], [1, ''], [1, '//']]);
  const tail = rng.weighted<string>([[8, ''], [1, '/'], [1, '/*']]);
  return lead + body + tail;
}

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE', 'get', 'Post', '', ' GET', 'GET ', 'G\u00c9T', 'ANY'] as const;

export const DURATIONS = ['3s', '3 s', '1h2m3s', '-1s', '1e3s', '', '0', '1.5.5s', '1µs', '1us', '9999999999999999h', '300', 's', '1d', '.5s', '+1s', '1h-1m'] as const;

export const HOSTS = ['http://127.0.0.1:8080', 'localhost', '', '::1', 'http://[::1]:80', 'http://%zz', 'https://a b', 'ws://x', 'http://user:pass@h', 'unix:///tmp/s', 'http://', '://', 'HTTP://H'] as const;

/** Number literals at and past the edges of int64, uint64 and float64. */
export const NUMBERS = [
  '0', '-0', '1', '-1', '3', '2', '1.0', '1e3', '1E+2', '0.1e1', '1e309', '-1e400', '1e-400', '123456789012345678901234567890',
  '9007199254740993', '18446744073709551616', '18446744073709551615', '-9223372036854775809', '9223372036854775807',
  '4294967296', '1.7976931348623157e308', '5e-324', '65535', '65536', '-65536', '100000000000000000000000000000000000000000000000000',
] as const;

/** Text the decoders and the position code must survive: surrogates, BOMs, line breaks, controls, wide characters. */
export const STRINGS = [
  '', ' ', '\uFEFF', '\uD800', '\uDC00', '\uDC00\uD800', '\uD83D\uDE00', 'e\u0301', '\u2028', '\u2029', '\u0085', '\r', '\r\n', '\n',
  '\u0000', '\u001f', '\u007f', '\t', '日本語', 'ﬀ', 'Σ', 'İ', '\\', '"', "'", '{', '}', '${VAR}', '{{ .x }}', 'x'.repeat(1025),
  '0', 'true', 'null', 'yes', 'on', '~', '.inf', '-.nan', '0x1F', '0o17', '0777', '1_000', '2001-12-14t21:59:43.10-05:00',
] as const;

/** Tokens spliced into text: structure of both languages and the YAML corners go-yaml decides itself. */
export const TOKENS = [
  '{', '}', '[', ']', ':', ',', '"', "'", '\\', '\\u', '\\ud800', '\\udc00', '\\uDEAD', '/*', '*/', '//', '#',
  'null', 'true', 'false', 'NaN', 'Infinity', '-', '+', '.', 'e', 'E', '0', '00', '1e999',
  '\n', '\r', '\r\n', '\t', ' ', '\uFEFF', '\u0000', '\uD800', '\uDC00', '\uD83D\uDE00', '\u2028',
  '&a ', '*a', '<<: *a\n', '<<: [*a, *b]\n', '!!str ', '!!int ', '!!float ', '!!bool ', '!!null ', '!!binary ', '!!map ',
  '!!seq ', '!!timestamp ', '!custom ', '! ', '!<tag:yaml.org,2002:str> ', '---\n', '...\n', '? ', '- ', '|\n', '>-\n',
  '%YAML 1.1\n', '%TAG ! tag:x,2000:\n', '@', '`', '|+\n', '? [a, b]\n: c\n', '{a: 1, a: 2}', '[*a, *a]',
] as const;

export function weirdString(rng: Rng): string {
  const n = rng.range(1, 3);
  let s = '';
  for (let i = 0; i < n; i++) s += rng.chance(0.3) ? weirdPath(rng) : rng.pick(STRINGS);
  return s;
}

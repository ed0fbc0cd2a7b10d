/**
 * The extra_config namespaces KrakenD CE 2.13 implements, with their legacy keys and where
 * they are read. KrakenD accepts both names at run time (Normalize renames friendly to
 * legacy), but the official schemas list only the friendly names, so a legacy key fails the
 * official lint; and a namespace in the wrong place is silently ignored. Both deserve a
 * precise hint. schemas/krakend.json lists the same names (a unit test keeps them in step).
 */

export type NamespaceScope = 'service' | 'endpoint' | 'backend' | 'async_agent';

export interface NamespaceInfo {
  readonly name: string;
  readonly legacy: readonly string[];
  readonly scopes: readonly NamespaceScope[];
}

const ns = (name: string, legacy: readonly string[], scopes: readonly NamespaceScope[]): NamespaceInfo => ({ name, legacy, scopes });

export const CE_NAMESPACES: readonly NamespaceInfo[] = [
  ns('router', ['github_com/luraproject/lura/router/gin'], ['service']),
  ns('proxy', ['github.com/devopsfaith/krakend/proxy'], ['endpoint', 'backend']),
  ns('backend/http', ['github.com/devopsfaith/krakend/http'], ['backend']),
  ns('backend/http/client', [], ['backend']),
  ns('backend/graphql', ['github.com/devopsfaith/krakend/transport/http/client/graphql'], ['backend']),
  ns('plugin/http-server', ['github_com/devopsfaith/krakend/transport/http/server/handler'], ['service']),
  ns('plugin/http-client', ['github.com/devopsfaith/krakend/transport/http/client/executor'], ['backend']),
  ns(
    'plugin/req-resp-modifier',
    ['github.com/devopsfaith/krakend/proxy/plugin', 'github.com/devopsfaith/krakend/proxy/plugin/request', 'github.com/devopsfaith/krakend/proxy/plugin/response'],
    ['endpoint', 'backend'],
  ),
  ns('qos/http-cache', ['github.com/devopsfaith/krakend-httpcache'], ['backend']),
  ns('qos/circuit-breaker', ['github.com/devopsfaith/krakend-circuitbreaker/gobreaker'], ['backend']),
  ns('qos/ratelimit/router', [], ['endpoint']),
  ns('qos/ratelimit/proxy', [], ['backend']),
  ns('auth/client-credentials', ['github.com/devopsfaith/krakend-oauth2-clientcredentials'], ['backend']),
  ns('auth/validator', ['github.com/devopsfaith/krakend-jose/validator'], ['endpoint', 'service']),
  ns('auth/signer', ['github.com/devopsfaith/krakend-jose/signer'], ['endpoint']),
  ns('auth/revoker', ['github_com/devopsfaith/bloomfilter'], ['service']),
  ns('security/bot-detector', ['github_com/devopsfaith/krakend-botdetector'], ['service', 'endpoint']),
  ns('security/http', ['github_com/devopsfaith/krakend-httpsecure'], ['service']),
  ns('security/cors', ['github_com/devopsfaith/krakend-cors'], ['service']),
  ns('validation/cel', ['github.com/devopsfaith/krakend-cel'], ['endpoint', 'backend']),
  ns('validation/json-schema', ['github.com/devopsfaith/krakend-jsonschema'], ['endpoint']),
  ns('async/amqp', ['github.com/devopsfaith/krakend-amqp/agent'], ['async_agent']),
  ns('backend/amqp/consumer', ['github.com/devopsfaith/krakend-amqp/consume'], ['backend']),
  ns('backend/amqp/producer', ['github.com/devopsfaith/krakend-amqp/produce'], ['backend']),
  ns('backend/lambda', ['github.com/devopsfaith/krakend-lambda'], ['backend']),
  ns('backend/pubsub/publisher', ['github.com/devopsfaith/krakend-pubsub/publisher'], ['backend']),
  ns('backend/pubsub/subscriber', ['github.com/devopsfaith/krakend-pubsub/subscriber'], ['backend']),
  ns('telemetry/gelf', ['github_com/devopsfaith/krakend-gelf'], ['service']),
  ns('telemetry/logging', ['github_com/devopsfaith/krakend-gologging'], ['service']),
  ns('telemetry/logstash', ['github_com/devopsfaith/krakend-logstash'], ['service']),
  ns('telemetry/metrics', ['github_com/devopsfaith/krakend-metrics'], ['service']),
  ns('telemetry/influx', ['github_com/letgoapp/krakend-influx'], ['service']),
  ns('telemetry/opencensus', ['github_com/devopsfaith/krakend-opencensus'], ['service']),
  ns('telemetry/opentelemetry', [], ['service', 'endpoint', 'backend']),
  ns('modifier/lua-endpoint', ['github.com/devopsfaith/krakend-lua/router'], ['service', 'endpoint']),
  ns('modifier/lua-proxy', ['github.com/devopsfaith/krakend-lua/proxy'], ['endpoint']),
  ns('modifier/lua-backend', ['github.com/devopsfaith/krakend-lua/proxy/backend'], ['backend']),
  ns('modifier/martian', ['github.com/devopsfaith/krakend-martian'], ['backend']),
];

const byName = new Map<string, NamespaceInfo>();
for (const info of CE_NAMESPACES) {
  byName.set(info.name, info);
  for (const l of info.legacy) byName.set(l, info);
}

/** The CE namespace a friendly or legacy key names, if any. */
export function namespaceInfo(key: string): NamespaceInfo | undefined {
  return byName.get(key);
}

/** Which extra_config an instance path (a JSON pointer to an `extra_config` object) is. */
export function scopeOfExtraConfig(pointer: string): NamespaceScope | undefined {
  if (pointer === '/extra_config') return 'service';
  if (/^\/(endpoints|async_agent)\/\d+\/backend\/\d+\/extra_config$/.test(pointer)) return 'backend';
  if (/^\/endpoints\/\d+\/extra_config$/.test(pointer)) return 'endpoint';
  if (/^\/async_agent\/\d+\/extra_config$/.test(pointer)) return 'async_agent';
  return undefined;
}

const SCOPE_WORDS: Record<NamespaceScope, string> = {
  service: "the service's (root) extra_config",
  endpoint: "an endpoint's extra_config",
  backend: "a backend's extra_config",
  async_agent: "an async agent's extra_config",
};

/**
 * A hint for a namespace the schema rejected at `pointer`, from what CE knows about the name:
 * a legacy key whose friendly name is allowed here, or a namespace that belongs elsewhere.
 */
export function namespaceHint(key: string, pointer: string, allowedHere: ReadonlySet<string>): string | undefined {
  const info = namespaceInfo(key);
  if (!info) return ENTERPRISE_NAMESPACES.has(key) ? `'${key}' is a KrakenD Enterprise namespace, which KrakenD CE ignores` : undefined;
  const scope = scopeOfExtraConfig(pointer);
  if (key !== info.name && allowedHere.has(info.name)) {
    return `did you mean '${info.name}'? '${key}' is its legacy key, which krakend run still accepts but the schema does not`;
  }
  if (scope && !info.scopes.includes(scope)) return `'${info.name}' belongs in ${where(info)}`;
  return undefined;
}

// Namespaces the v2.13 schema lists that no CE 2.13 module reads (KRAKEND-BEHAVIOUR.md 8.2). Our
// bundled schema rejects them, so offline a user of KrakenD Enterprise would otherwise be told
// only that there is "no such namespace".
const ENTERPRISE_NAMESPACES: ReadonlySet<string> = new Set([
  'ai/mcp', 'auth/api-keys', 'auth/basic', 'documentation/openapi', 'documentation/postman', 'governance/processors',
  'governance/quota', 'grpc', 'modifier/request-body-extractor', 'modifier/response-headers', 'qos/ratelimit/service',
  'qos/ratelimit/service/redis', 'qos/ratelimit/tiered', 'redis', 'server/static-filesystem', 'server/virtualhost',
  'telemetry/moesif', 'telemetry/newrelic', 'telemetry/opentelemetry-security',
  'modifier/jmespath', 'modifier/request-body-generator', 'modifier/response-body', 'modifier/response-body-generator',
  'plugin/middleware', 'qos/ratelimit/router/redis', 'security/policies', 'validation/response-json-schema', 'websocket',
  'ai/llm', 'auth/aws-sigv4', 'auth/gcp', 'auth/ntlm', 'backend/conditional', 'backend/grpc', 'backend/soap',
  'backend/static-filesystem', 'backend/pubsub/publisher/kafka', 'backend/pubsub/subscriber/kafka', 'qos/circuit-breaker/http', 'workflow',
]);

function where(info: NamespaceInfo): string {
  return info.scopes.map((s) => SCOPE_WORDS[s]).join(' or ');
}

/** Every CE namespace, friendly names first: candidates for "did you mean". */
export const CE_NAMESPACE_NAMES: readonly string[] = [...CE_NAMESPACES.map((n) => n.name), ...CE_NAMESPACES.flatMap((n) => n.legacy)];

/**
 * For a misspelt namespace with no close match among the names allowed here: the closest CE
 * namespace anywhere, and where it belongs (`ratelimit/router` in a service → the endpoint's
 * `qos/ratelimit/router`).
 */
export function misplacedGuess(guess: string | undefined): string | undefined {
  const info = guess === undefined ? undefined : namespaceInfo(guess);
  return info ? `did you mean '${guess}'? It belongs in ${where(info)}` : undefined;
}

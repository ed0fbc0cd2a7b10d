/**
 * Documentation links for extra_config namespaces. The schema is the first source: most
 * KrakenD schema descriptions end with `See: https://www.krakend.io/docs/…`, on the namespace
 * itself, on the schema it references, or on its properties. For CE namespaces whose schema
 * carries no link, this small table of ours answers.
 */
import type { SchemaFacts } from './schemaNav';
import { docLinkIn } from './schemaNav';

const DOCS = 'https://www.krakend.io/docs';

/** CE namespaces whose v2.13 schema gives no link of its own. */
const FALLBACK: ReadonlyMap<string, string> = new Map([
  ['router', `${DOCS}/service-settings/router-options/`],
  ['proxy', `${DOCS}/endpoints/sequential-proxy/`],
  ['backend/http', `${DOCS}/backends/detailed-errors/`],
  ['backend/graphql', `${DOCS}/backends/graphql/`],
  ['plugin/http-server', `${DOCS}/extending/http-server-plugins/`],
  ['plugin/http-client', `${DOCS}/extending/http-client-plugins/`],
  ['plugin/req-resp-modifier', `${DOCS}/extending/plugin-modifiers/`],
  ['auth/validator', `${DOCS}/authorization/jwt-validation/`],
  ['auth/signer', `${DOCS}/authorization/jwt-signing/`],
  ['auth/revoker', `${DOCS}/authorization/revoking-tokens/`],
  ['validation/json-schema', `${DOCS}/endpoints/json-schema/`],
  ['async/amqp', `${DOCS}/async/amqp/`],
  ['qos/ratelimit/router', `${DOCS}/endpoints/rate-limit/`],
  ['qos/ratelimit/proxy', `${DOCS}/backends/rate-limit/`],
  ['qos/circuit-breaker', `${DOCS}/backends/circuit-breaker/`],
  ['qos/http-cache', `${DOCS}/backends/caching/`],
  ['security/cors', `${DOCS}/service-settings/cors/`],
  ['telemetry/logging', `${DOCS}/logging/`],
]);

/**
 * The documentation page of a namespace: the schema's own link (on the namespace, or the one
 * most of its properties point to), else ours.
 */
export function namespaceDocUrl(namespace: string, facts: SchemaFacts | undefined): string | undefined {
  if (facts?.docUrl) return facts.docUrl;
  if (facts) {
    const counts = new Map<string, number>();
    for (const p of facts.properties.values()) {
      const url = p.description ? docLinkIn(p.description) : undefined;
      if (url) counts.set(url, (counts.get(url) ?? 0) + 1);
    }
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    if (best) return best[0];
  }
  return FALLBACK.get(namespace);
}

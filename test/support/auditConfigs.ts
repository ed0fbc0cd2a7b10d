// Generated configurations for the audit differential: valid for `krakend audit` (they pass
// lura's Init), each switching a random set of every rule's triggers on at service, endpoint or
// backend level, with the binary's quirks in the mix (legacy namespace names, loose booleans,
// numeric nanosecond timeouts, YAML integers, both spellings of a namespace at once).
import { stringify } from 'yaml';
import { mulberry32 } from './mulberry32';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export interface GeneratedConfig {
  readonly name: string;
  readonly format: 'json' | 'yaml';
  readonly text: string;
  /** The toggles applied, for a readable failure. */
  readonly toggles: readonly string[];
}


interface Cfg {
  readonly root: Obj;
  readonly endpoints: Obj[];
  /** Endpoints that may take more backends (not no-op). */
  multi: boolean;
  noop: boolean;
}

function extra(o: Obj): Obj {
  const e = o.extra_config;
  if (e && typeof e === 'object' && !Array.isArray(e)) return e;
  const n: Obj = {};
  o.extra_config = n;
  return n;
}

function backends(e: Obj): Obj[] {
  return e.backend as Obj[];
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const LOOSE_TRUE: readonly Json[] = [true, 'true', 1, '1', 'T', 'True'];
const LOOSE_FALSE: readonly Json[] = [false, 'false', 0, '0', ''];

type Toggle = (c: Cfg, r: () => number) => string;

/** Where a namespace goes: the service, a random endpoint or a random backend. */
function someEndpoint(c: Cfg, r: () => number): Obj | undefined {
  return c.endpoints.length > 0 ? pick(r, c.endpoints) : undefined;
}
function someBackend(c: Cfg, r: () => number): Obj | undefined {
  const e = someEndpoint(c, r);
  return e ? pick(r, backends(e)) : undefined;
}

/** Writes a namespace by its friendly name, its legacy name, or both (the friendly one wins). */
function put(o: Obj, friendly: string, legacy: string | undefined, value: Json, r: () => number, other: Json = {}): string {
  const x = extra(o);
  const v = legacy ? r() : 0;
  if (!legacy || v < 0.5) x[friendly] = value;
  else if (v < 0.8) x[legacy] = value;
  else {
    x[legacy] = other;
    x[friendly] = value;
    return `${friendly}+legacy`;
  }
  return v >= 0.5 && v < 0.8 ? legacy! : friendly;
}

const TOGGLES: Record<string, Toggle> = {
  serverPlugin(c, r) {
    const names = ['basic-auth', 'virtualhost', 'static-filesystem', 'wildcard', 'redis-ratelimit', 'geoip'];
    const chosen = names.filter(() => r() < 0.3);
    const name: Json = chosen.length === 1 && r() < 0.5 ? chosen[0]! : chosen;
    return `plugin/http-server:${put(c.root, 'plugin/http-server', 'github_com/devopsfaith/krakend/transport/http/server/handler', { name }, r)}=${JSON.stringify(name)}`;
  },
  authBasic(c, r) {
    const where = r() < 0.5 ? c.root : someEndpoint(c, r) ?? c.root;
    extra(where)['auth/basic'] = { users: { a: 'b' } };
    return 'auth/basic';
  },
  apiKeys(c, r) {
    extra(r() < 0.8 ? c.root : someEndpoint(c, r) ?? c.root)['auth/api-keys'] = { keys: [] };
    return 'auth/api-keys';
  },
  jwt(c, r) {
    const at = r() < 0.8 ? someEndpoint(c, r) ?? c.root : c.root;
    return `auth/validator@${at === c.root ? 'service' : 'endpoint'}:${put(at, 'auth/validator', 'github.com/devopsfaith/krakend-jose/validator', { alg: 'RS256', jwk_url: 'http://x:8080/jwk' }, r)}`;
  },
  insecure(c, r) {
    const v = pick(r, [...LOOSE_TRUE, ...LOOSE_FALSE]);
    if (r() < 0.5) c.root.allow_insecure_connections = v;
    else c.root.client_tls = { allow_insecure_connections: v };
    return `insecure=${JSON.stringify(v)}`;
  },
  tls(c, r) {
    const v = r();
    const tls: Obj = {};
    if (v < 0.3) tls.disabled = pick(r, [...LOOSE_TRUE, ...LOOSE_FALSE]);
    if (r() < 0.3) tls.public_key = pick(r, ['cert.pem', '']);
    if (r() < 0.3) tls.private_key = pick(r, ['key.pem', '']);
    if (r() < 0.3) tls.keys = [{ public_key: 'a.pem', private_key: 'b.pem' }];
    c.root.tls = tls;
    return `tls=${JSON.stringify(tls)}`;
  },
  securityHttp(c, r) {
    const at = r() < 0.85 ? c.root : someEndpoint(c, r) ?? c.root;
    return `security/http@${at === c.root ? 'service' : 'endpoint'}:${put(at, 'security/http', 'github_com/devopsfaith/krakend-httpsecure', { frame_deny: true }, r)}`;
  },
  h2c(c, r) {
    const v = pick(r, [...LOOSE_TRUE, false]);
    if (r() < 0.5) {
      c.root.use_h2c = v;
      return `use_h2c=${JSON.stringify(v)}`;
    }
    return `router.use_h2c=${JSON.stringify(v)}:${put(c.root, 'router', 'github_com/luraproject/lura/router/gin', { use_h2c: v }, r, { use_h2c: true })}`;
  },
  backendInsecure(c, r) {
    const b = someBackend(c, r);
    if (!b) return 'backendInsecure:none';
    const tls: Obj = { allow_insecure_connections: pick(r, [true, true, false, 'true']) };
    if (r() < 0.25) tls.ca_certs = pick(r, ['one.pem', ['one.pem']]);
    extra(b)['backend/http/client'] = { client_tls: tls };
    return `backend/http/client=${JSON.stringify(tls)}`;
  },
  hideVersion(c, r) {
    const v = pick(r, [true, true, 'true', false, 1]);
    return `router.hide_version_header=${JSON.stringify(v)}:${put(c.root, 'router', 'github_com/luraproject/lura/router/gin', { hide_version_header: v }, r, { hide_version_header: !v })}`;
  },
  cors(c, r) {
    const at = r() < 0.85 ? c.root : someEndpoint(c, r) ?? c.root;
    return `security/cors@${at === c.root ? 'service' : 'endpoint'}:${put(at, 'security/cors', 'github_com/devopsfaith/krakend-cors', { allow_origins: ['*'] }, r)}`;
  },
  headersWildcard(c, r) {
    const e = someEndpoint(c, r);
    if (!e) return 'headers:none';
    e.input_headers = pick(r, [['*'], '*', ['Authorization', '*'], ['Authorization']]);
    return `input_headers=${JSON.stringify(e.input_headers)}`;
  },
  queryWildcard(c, r) {
    const e = someEndpoint(c, r);
    if (!e) return 'query:none';
    e.input_query_strings = pick(r, [['*'], '*', ['a', '*'], ['a']]);
    return `input_query_strings=${JSON.stringify(e.input_query_strings)}`;
  },
  grpc(c, r) {
    const g = pick<Json>(r, [{ server: { services: [] } }, { server: {} }, { server: { services: [{ name: 'a' }] } }, {}, { server: { services: 'x' } }]);
    extra(c.root).grpc = g;
    return `grpc=${JSON.stringify(g)}`;
  },
  httpCache(c, r) {
    const b = someBackend(c, r);
    if (!b) return 'cache:none';
    const v = pick<Json>(r, [{ max_items: 100, max_size: 1000 }, { max_items: 10.5, max_size: 20.5 }, { shared: true }, { max_items: 100 }, { max_items: 0, max_size: 10.5 }]);
    return `qos/http-cache=${JSON.stringify(v)}:${put(b, 'qos/http-cache', 'github.com/devopsfaith/krakend-httpcache', v, r)}`;
  },
  botDetector(c, r) {
    const at = r() < 0.7 ? c.root : someEndpoint(c, r) ?? c.root;
    const v = pick<Json>(r, [{ allow: [] }, { deny: ['a'] }, true]);
    return `bot-detector@${at === c.root ? 'service' : 'endpoint'}=${JSON.stringify(v)}:${put(at, 'security/bot-detector', 'github_com/devopsfaith/krakend-botdetector', v, r)}`;
  },
  rateLimit(c, r) {
    const v = r();
    if (v < 0.2) {
      extra(c.root)['qos/ratelimit/router'] = pick<Json>(r, [{ max_rate: 10 }, 'x']);
      return `ratelimit/router@service=${JSON.stringify(extra(c.root)['qos/ratelimit/router'])}`;
    }
    if (v < 0.4) {
      const e = someEndpoint(c, r);
      if (!e) return 'ratelimit:none';
      extra(e)['qos/ratelimit/router'] = pick<Json>(r, [{ max_rate: 10 }, 'x', { client_max_rate: 1 }]);
      return `ratelimit/router@endpoint=${JSON.stringify(extra(e)['qos/ratelimit/router'])}`;
    }
    if (v < 0.55) {
      const e = someEndpoint(c, r);
      if (!e) return 'ratelimit:none';
      extra(e)['qos/ratelimit/proxy'] = { max_rate: 10 };
      return 'ratelimit/proxy@endpoint';
    }
    if (v < 0.7) {
      const b = someBackend(c, r);
      if (!b) return 'ratelimit:none';
      extra(b)['qos/ratelimit/proxy'] = { max_rate: 10 };
      return 'ratelimit/proxy@backend';
    }
    if (v < 0.85) {
      extra(c.root)['qos/ratelimit/service'] = { max_rate: 10 };
      return 'ratelimit/service';
    }
    const b = someBackend(c, r);
    if (!b) return 'ratelimit:none';
    extra(b)['qos/ratelimit/router'] = { max_rate: 10 };
    return 'ratelimit/router@backend';
  },
  circuitBreaker(c, r) {
    const v = r();
    const cb = { interval: 60, timeout: 10, max_errors: 1 };
    if (v < 0.4) {
      const b = someBackend(c, r);
      return b ? `cb@backend:${put(b, 'qos/circuit-breaker', 'github.com/devopsfaith/krakend-circuitbreaker/gobreaker', cb, r)}` : 'cb:none';
    }
    if (v < 0.7) {
      const e = someEndpoint(c, r);
      return e ? `cb@endpoint:${put(e, 'qos/circuit-breaker', 'github.com/devopsfaith/krakend-circuitbreaker/gobreaker', cb, r)}` : 'cb:none';
    }
    return `cb@service:${put(c.root, 'qos/circuit-breaker', 'github.com/devopsfaith/krakend-circuitbreaker/gobreaker', cb, r)}`;
  },
  serviceTimeout(c, r) {
    c.root.timeout = pick<Json>(r, ['1s', '3s', '3001ms', '4s', '5s', '6s', '31s', '61s', '2m', 4_000_000_000, 3_000_999_999, 3_001_000_000, 4000, '0s', 0, '-10s', '1h']);
    return `timeout=${JSON.stringify(c.root.timeout)}`;
  },
  endpointTimeout(c, r) {
    const e = someEndpoint(c, r);
    if (!e) return 'etimeout:none';
    e.timeout = pick<Json>(r, ['1s', '3s', '3001ms', '4s', '6s', '31s', '61s', 5_000_000_001, 4000, '0s', 0, '500ms']);
    return `endpoint.timeout=${JSON.stringify(e.timeout)}`;
  },
  metrics(c, r) {
    const names: [string, string | undefined, Json][] = [
      ['telemetry/metrics', 'github_com/devopsfaith/krakend-metrics', { collection_time: '60s' }],
      ['telemetry/newrelic', undefined, { license: 'x' }],
      ['telemetry/ganalytics', undefined, { track_id: 'x' }],
      ['telemetry/instana', undefined, {}],
      ['telemetry/opencensus', 'github_com/devopsfaith/krakend-opencensus', pick<Json>(r, [{ exporters: { prometheus: { port: 9091 } } }, { sample_rate: 100 }])],
      ['telemetry/influx', 'github_com/letgoapp/krakend-influx', { address: 'http://x:8086' }],
    ];
    const out: string[] = [];
    for (const [f, l, v] of names) if (r() < 0.3) out.push(put(c.root, f, l, v, r));
    return `metrics:${out.join(',')}`;
  },
  otel(c, r) {
    const exporters: Obj = {};
    if (r() < 0.6) exporters.otlp = Array.from({ length: Math.floor(r() * 3) }, () => ({ name: 'o', host: 'x', ...(r() < 0.4 ? { disable_metrics: pick(r, [true, false, 'true']) } : {}), ...(r() < 0.4 ? { disable_traces: pick(r, [true, false, 'true']) } : {}) }));
    if (r() < 0.5) exporters.prometheus = Array.from({ length: Math.floor(r() * 3) }, () => ({ name: 'p', ...(r() < 0.4 ? { disable_metrics: pick(r, [true, false]) } : {}) }));
    const v: Json = r() < 0.1 ? 'x' : { exporters };
    extra(c.root)['telemetry/opentelemetry'] = v;
    return `otel=${JSON.stringify(v)}`;
  },
  logging(c, r) {
    const names: [string, string][] = [
      ['telemetry/logging', 'github_com/devopsfaith/krakend-gologging'],
      ['telemetry/gelf', 'github_com/devopsfaith/krakend-gelf'],
      ['telemetry/logstash', 'github_com/devopsfaith/krakend-logstash'],
    ];
    const [f, l] = pick(r, names);
    const at = r() < 0.85 ? c.root : someEndpoint(c, r) ?? c.root;
    return `logging@${at === c.root ? 'service' : 'endpoint'}:${put(at, f, l, { level: 'DEBUG' }, r)}`;
  },
  flags(c, r) {
    const out: string[] = [];
    for (const f of ['disable_rest', 'debug_endpoint', 'echo_endpoint']) {
      if (r() < 0.5) {
        // mapstructure matches a field's name case-insensitively when no key matches exactly.
        const key = r() < 0.2 ? f.toUpperCase() : f;
        c.root[key] = pick(r, [...LOOSE_TRUE, ...LOOSE_FALSE]);
        out.push(`${key}=${JSON.stringify(c.root[key])}`);
      }
    }
    return out.join(',');
  },
  wildcardEndpoint(c, r) {
    const e = someEndpoint(c, r);
    if (!e) return 'wildcard:none';
    e.endpoint = `${e.endpoint as string}/*`;
    // A url_pattern keeps no params the endpoint lacks.
    return `endpoint=${e.endpoint}`;
  },
  catchAll(c, r) {
    c.endpoints.push(endpoint(pick(r, ['/__catchall', '__catchall', '/__catchall/x'])));
    return `catchall=${c.endpoints[c.endpoints.length - 1]!.endpoint as string}`;
  },
  writeMethods(c, r) {
    if (c.noop) return 'write:noop';
    const e = endpoint(`/w${c.endpoints.length}`);
    const v = r();
    if (v < 0.3) e.method = 'POST';
    const n = 2 + Math.floor(r() * 2);
    e.backend = Array.from({ length: n }, (_, i) => {
      const b: Obj = { url_pattern: `/b${i}`, host: ['http://x:8080'] };
      const m = r();
      if (m < 0.3) b.method = pick(r, ['POST', 'PUT', 'DELETE', 'get', 'HEAD', 'GET']);
      else if (m < 0.45) extra(b)['backend/grpc'] = {};
      return b;
    });
    c.endpoints.push(e);
    c.multi = true;
    return `write:${JSON.stringify(e.backend.map((b) => (b as Obj).method ?? (extra(b as Obj)['backend/grpc'] ? 'grpc' : '-')))}@${(e.method as string | undefined) ?? 'GET'}`;
  },
  sequential(c, r) {
    const e = someEndpoint(c, r);
    if (!e) return 'seq:none';
    const v = pick(r, [true, true, 'true', false]);
    return `proxy.sequential=${JSON.stringify(v)}:${put(e, 'proxy', 'github.com/devopsfaith/krakend/proxy', { sequential: v }, r, { sequential: !v })}`;
  },
  noop(c, r) {
    if (c.multi) return 'noop:multi';
    c.noop = true;
    if (r() < 0.4) {
      c.root.output_encoding = 'no-op';
      return 'service no-op';
    }
    for (const e of c.endpoints) if (r() < 0.8) e.output_encoding = 'no-op';
    return `no-op on ${c.endpoints.filter((e) => e.output_encoding === 'no-op').length}/${c.endpoints.length}`;
  },
  agents(c, r) {
    const n = pick(r, [9, 10, 12]);
    c.root.sequential_start = pick(r, [true, 'true', 1, false]);
    c.root.async_agent = Array.from({ length: n }, (_, i) => ({ name: `a${i}`, consumer: { topic: 't' }, backend: [{ url_pattern: '/a', host: ['http://x:8080'] }], extra_config: { 'async/amqp': { name: 'q' } } }));
    return `agents=${n},sequential_start=${JSON.stringify(c.root.sequential_start)}`;
  },
  clientPlugin(c, r) {
    const name = pick(r, ['http-proxy', 'static-filesystem', 'no-redirect', 'http-logger']);
    const onBackend = r() < 0.3;
    const at = onBackend ? someBackend(c, r) : someEndpoint(c, r);
    if (!at) return 'clientPlugin:none';
    const v: Json = r() < 0.2 ? { name: [name] } : { name };
    return `plugin/http-client@${onBackend ? 'backend' : 'endpoint'}=${JSON.stringify(v)}:${put(at, 'plugin/http-client', 'github.com/devopsfaith/krakend/transport/http/client/executor', v, r)}`;
  },
  reqResp(c, r) {
    const names = ['content-replacer', 'response-schema-validator', 'other'].filter(() => r() < 0.5);
    const onBackend = r() < 0.5;
    const at = onBackend ? someBackend(c, r) : someEndpoint(c, r);
    if (!at) return 'reqResp:none';
    const v: Json = r() < 0.2 && names.length === 1 ? { name: names[0]! } : { name: names };
    return `plugin/req-resp-modifier@${onBackend ? 'backend' : 'endpoint'}=${JSON.stringify(v)}:${put(at, 'plugin/req-resp-modifier', 'github.com/devopsfaith/krakend/proxy/plugin', v, r)}`;
  },
  name(c) {
    c.root.name = 'My gateway';
    return 'name';
  },
};

function endpoint(path: string): Obj {
  return { endpoint: path, backend: [{ url_pattern: '/x', host: ['http://x:8080'] }] };
}

/** Configuration number `i` of a run seeded with `seed`. */
export function generateConfig(seed: number, i: number): GeneratedConfig {
  const r = mulberry32(seed * 7919 + i);
  const count = pick(r, [0, 1, 1, 2, 3]);
  const endpoints = Array.from({ length: count }, (_, k) => endpoint(`/e${k}`));
  const root: Obj = { version: 3, port: 8080 };
  const c: Cfg = { root, endpoints, multi: false, noop: false };
  const toggles: string[] = [];
  // Each toggle is on about a third of the time; the order is shuffled so no toggle always wins.
  const names = Object.keys(TOGGLES).sort(() => r() - 0.5);
  const p = 0.15 + r() * 0.4;
  for (const name of names) if (r() < p) toggles.push(`${name}: ${TOGGLES[name]!(c, r)}`);
  if (c.endpoints.length > 0 || r() < 0.5) root.endpoints = c.endpoints;
  const format = i % 2 === 0 ? 'json' : 'yaml';
  const text = format === 'json' ? JSON.stringify(root, null, r() < 0.5 ? 2 : 0) : stringify(root);
  return { name: `audit-${seed}-${i}.${format === 'json' ? 'json' : 'yaml'}`, format, text, toggles };
}

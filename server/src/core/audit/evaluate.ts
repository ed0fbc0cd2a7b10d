/**
 * Which audit rules a configuration triggers, and where. The semantics are the binary's
 * (krakend-cobra's `audit`: koanf parse, lura Init, cfg.Normalize(), then krakend-audit's
 * Parse and rules), read from the decoded model:
 *
 * - service flags (`debug_endpoint`, `tls.disabled`…) went through mapstructure's weakly typed
 *   decode, so `"true"` and `1` count; values inside `extra_config` are read with Go type
 *   assertions, so only a real boolean, a float64 number (a YAML integer is an int), a list or a
 *   map counts;
 * - Normalize renames every friendly namespace to its legacy key, the friendly one winning when
 *   both are written, and the rules read the legacy keys: both spellings count alike;
 * - Init has run: an endpoint without `timeout` has the service's (2s by default), a backend
 *   without `method` the endpoint's (GET by default), an endpoint without `output_encoding`
 *   the service's (json by default).
 *
 * docs/diagnostics.md lists the surprising cases and why they are kept.
 */
import type { ObjectNode, PropertyNode, StringNode, ValueNode } from '../ast';
import type { EndpointModel, ExtraConfigModel, Field, ServiceModel } from '../model';
import type { Span } from '../types';

/** A repair the editor can offer: add `name: value` to the object at `path` (created as needed). */
export interface AuditAddition {
  /** Keys from the root to the object that takes the property (`['extra_config']`). */
  readonly path: readonly (string | number)[];
  readonly name: string;
  readonly value: unknown;
}

/** One place a rule applies. */
export interface AuditFinding {
  readonly rule: string;
  readonly span: Span;
  /** What was found here, said for this place (the rule's message says what to do). */
  readonly detail: string;
  readonly add?: AuditAddition;
}

/** A namespace as the rules see it after Normalize: the value kept and the key it was written as. */
interface Entry {
  readonly key: StringNode | undefined;
  readonly value: ValueNode;
}


/**
 * CE's alias table (cmd/krakend-ce/main.go) for the namespaces the rules read: friendly name →
 * legacy key. Normalize moves a friendly key onto its legacy one, overwriting it.
 */
const LEGACY: Readonly<Record<string, string>> = {
  'plugin/http-server': 'github_com/devopsfaith/krakend/transport/http/server/handler',
  'plugin/http-client': 'github.com/devopsfaith/krakend/transport/http/client/executor',
  'plugin/req-resp-modifier': 'github.com/devopsfaith/krakend/proxy/plugin',
  proxy: 'github.com/devopsfaith/krakend/proxy',
  router: 'github_com/luraproject/lura/router/gin',
  'qos/http-cache': 'github.com/devopsfaith/krakend-httpcache',
  'qos/circuit-breaker': 'github.com/devopsfaith/krakend-circuitbreaker/gobreaker',
  'auth/validator': 'github.com/devopsfaith/krakend-jose/validator',
  'security/bot-detector': 'github_com/devopsfaith/krakend-botdetector',
  'security/http': 'github_com/devopsfaith/krakend-httpsecure',
  'security/cors': 'github_com/devopsfaith/krakend-cors',
  'telemetry/gelf': 'github_com/devopsfaith/krakend-gelf',
  'telemetry/logging': 'github_com/devopsfaith/krakend-gologging',
  'telemetry/logstash': 'github_com/devopsfaith/krakend-logstash',
  'telemetry/metrics': 'github_com/devopsfaith/krakend-metrics',
  'telemetry/influx': 'github_com/letgoapp/krakend-influx',
  'telemetry/opencensus': 'github_com/devopsfaith/krakend-opencensus',
};

/**
 * `extra_config[name]` after Normalize, by the friendly name: the friendly key if written, else
 * its legacy key (the last of duplicates, as Go's map keeps). Looked up in place: building a map
 * per endpoint and backend cost more than the rules themselves.
 */
function ns(extra: ExtraConfigModel | undefined, friendly: string): Entry | undefined {
  if (extra === undefined) return undefined;
  const legacy = LEGACY[friendly];
  if (isObjectNode(extra)) {
    let old: PropertyNode | undefined;
    const props = extra.properties;
    for (let i = props.length - 1; i >= 0; i--) {
      const p = props[i]!;
      if (p.key.value === friendly) return p;
      if (old === undefined && legacy !== undefined && p.key.value === legacy) old = p;
    }
    return old;
  }
  const d = extra.get(friendly) ?? (legacy !== undefined ? extra.get(legacy) : undefined);
  return d ? { key: d.key, value: d.node } : undefined;
}

function has(extra: ExtraConfigModel | undefined, friendly: string): boolean {
  return ns(extra, friendly) !== undefined;
}

function isObjectNode(x: ExtraConfigModel): x is ObjectNode {
  return (x as { kind?: unknown }).kind === 'object';
}

// --- Go's type assertions on interface{} values -----------------------------------------

function asMap(v: ValueNode | undefined): ObjectNode | undefined {
  return v?.kind === 'object' ? v : undefined;
}

/** `m[key]`: the last property of that exact key (Go's map lookup is case-sensitive). */
function prop(m: ObjectNode | undefined, key: string): PropertyNode | undefined {
  if (!m) return undefined;
  for (let i = m.properties.length - 1; i >= 0; i--) if (m.properties[i]!.key.value === key) return m.properties[i];
  return undefined;
}

/** `m[key].(bool)` is true. */
function isTrue(m: ObjectNode | undefined, key: string): boolean {
  const v = prop(m, key)?.value;
  return v?.kind === 'boolean' && v.value;
}

/** `m[key].(float64)` is above zero: JSON numbers are float64, YAML integers are not. */
function positiveFloat(m: ObjectNode | undefined, key: string): boolean {
  const v = prop(m, key)?.value;
  if (v?.kind !== 'number') return false;
  const goType = (v as { goType?: string }).goType;
  return (goType === undefined || goType === 'float64') && v.value > 0;
}

function spanOf(n: { offset: number; length: number }): Span {
  return { offset: n.offset, length: n.length };
}

/** Where a finding about a namespace goes: its key, else its value. */
function entrySpan(e: Entry): Span {
  return spanOf(e.key ?? e.value);
}

// --- the facts -------------------------------------------------------------------------

/** krakend-audit's plugin ids are bit positions; the rules only ask about these names. */
function serverPluginNames(c: ExtraConfigModel | undefined): { readonly name: string; readonly node: ValueNode }[] | undefined {
  const m = asMap(ns(c, 'plugin/http-server')?.value);
  const name = prop(m, 'name')?.value;
  if (name?.kind === 'string') return [{ name: name.value, node: name }];
  if (name?.kind === 'array') return name.items.flatMap((n) => (n.kind === 'string' ? [{ name: n.value, node: n }] : []));
  return undefined;
}

/** `plugin/req-resp-modifier` names, only when `name` is a list (krakend-audit skips a string). */
function reqRespNames(c: ExtraConfigModel | undefined): { readonly name: string; readonly node: ValueNode }[] {
  const name = prop(asMap(ns(c, 'plugin/req-resp-modifier')?.value), 'name')?.value;
  if (name?.kind !== 'array') return [];
  return name.items.flatMap((n) => (n.kind === 'string' ? [{ name: n.value, node: n }] : []));
}

/** A strict (not weakly typed) mapstructure decode of `client_tls` into config.ClientTLS. */
function strictClientTls(m: ObjectNode): { ok: boolean; insecure?: PropertyNode } {
  const fields: Record<string, 'bool' | 'string' | 'strings' | 'uint16s' | 'certs'> = {
    allow_insecure_connections: 'bool',
    ca_certs: 'strings',
    disable_system_ca_pool: 'bool',
    min_version: 'string',
    max_version: 'string',
    curve_preferences: 'uint16s',
    cipher_suites: 'uint16s',
    client_certs: 'certs',
  };
  let insecure: PropertyNode | undefined;
  let value = false;
  const scalarOk = (v: ValueNode, t: 'bool' | 'string' | 'uint16'): boolean =>
    v.kind === 'null' || (t === 'bool' ? v.kind === 'boolean' : t === 'string' ? v.kind === 'string' : v.kind === 'number' && v.value >= 0);
  const listOk = (v: ValueNode, each: (item: ValueNode) => boolean): boolean => v.kind === 'null' || (v.kind === 'array' && v.items.every(each));
  // mapstructure matches a key to a field exactly, else case-insensitively.
  for (const [field, type] of Object.entries(fields)) {
    const p = prop(m, field) ?? [...m.properties].reverse().find((q) => q.key.value.toLowerCase() === field);
    if (!p) continue;
    const v = p.value;
    let ok: boolean;
    switch (type) {
      case 'bool':
      case 'string':
        ok = scalarOk(v, type);
        break;
      case 'strings':
        ok = listOk(v, (i) => scalarOk(i, 'string'));
        break;
      case 'uint16s':
        ok = listOk(v, (i) => scalarOk(i, 'uint16'));
        break;
      case 'certs':
        ok = listOk(v, (i) => i.kind === 'null' || (i.kind === 'object' && ['certificate', 'private_key'].every((k) => { const c = prop(i, k)?.value; return !c || scalarOk(c, 'string'); })));
        break;
    }
    if (!ok) return { ok: false };
    if (field === 'allow_insecure_connections' && v.kind === 'boolean') {
      insecure = p;
      value = v.value;
    }
  }
  return value && insecure ? { ok: true, insecure } : { ok: true };
}

const DEFAULT_TIMEOUT_NS = 2_000_000_000;

/** Every finding of every rule, in the rules' order, unfiltered. `root` places the service-wide ones. */
export function evaluate(model: ServiceModel, root: ValueNode | undefined): AuditFinding[] {
  const out: AuditFinding[] = [];
  const sx = model.extraConfig;
  const service = { get: (name: string): Entry | undefined => ns(sx, name), has: (name: string): boolean => ns(sx, name) !== undefined };
  const endpoints = model.endpoints;
  const top = serviceSpan(root);
  const endpointsKey = root?.kind === 'object' ? lastProp(root, 'endpoints') : undefined;
  const listSpan = endpointsKey ? spanOf(endpointsKey.key) : top;
  const at = (rule: string, span: Span, detail: string, add?: AuditAddition): void => {
    out.push(add ? { rule, span, detail, add } : { rule, span, detail });
  };
  const flag = (f: Field<boolean> | undefined): f is Field<boolean> => f?.value === true;
  const serverPlugins = serverPluginNames(sx);
  const plugin = (name: string): ValueNode[] => (serverPlugins ?? []).filter((p) => p.name === name).map((p) => p.node);
  const extraPath = ['extra_config'];

  // 1.1.1: the basic-auth server plugin. (auth/basic is parsed into an empty list, which the
  // rule's "first bit" test never sees: it cannot trigger this rule.)
  for (const n of plugin('basic-auth')) at('1.1.1', spanOf(n), 'the basic-auth server plugin');
  const apiKeys = service.get('auth/api-keys');
  if (apiKeys) at('1.1.2', entrySpan(apiKeys), 'auth/api-keys');
  if (!endpoints.some((e) => has(e.extraConfig, 'auth/validator'))) at('1.2.1', top, 'no endpoint has auth/validator');

  if (flag(model.allowInsecureConnections)) at('2.1.1', model.allowInsecureConnections.keySpan, 'allow_insecure_connections is true');
  if (flag(model.clientTlsAllowInsecure)) at('2.1.1', model.clientTlsAllowInsecure.keySpan, 'client_tls.allow_insecure_connections is true');
  const tls = model.tls;
  if (!tls) at('2.1.2', top, 'no tls section');
  else if (flag(tls.disabled)) at('2.1.3', tls.disabled.keySpan, 'tls.disabled is true');
  if (!service.has('security/http')) {
    at('2.1.7', top, 'no security/http', { path: extraPath, name: 'security/http', value: { frame_deny: true, content_type_nosniff: true, browser_xss_filter: true, referrer_policy: 'same-origin' } });
  }
  const router = service.get('router');
  const routerMap = asMap(router?.value);
  if (flag(model.useH2c)) at('2.1.8', model.useH2c.keySpan, 'use_h2c is true');
  if (isTrue(routerMap, 'use_h2c')) at('2.1.8', spanOf(prop(routerMap, 'use_h2c')!.key), 'router.use_h2c is true');
  for (const e of endpoints) {
    for (const b of e.backends) {
      const client = ns(b.extraConfig, 'backend/http/client');
      const tlsMap = asMap(prop(asMap(client?.value), 'client_tls')?.value);
      if (!tlsMap) continue;
      const strict = strictClientTls(tlsMap);
      if (strict.insecure) at('2.1.9', spanOf(strict.insecure.key), 'backend/http/client allows insecure connections');
    }
  }
  if (!isTrue(routerMap, 'hide_version_header')) {
    const written = prop(routerMap, 'hide_version_header');
    const fix: AuditAddition = { path: [...extraPath, router?.key ? router.key.value : 'router'], name: 'hide_version_header', value: true };
    if (written) at('2.2.1', spanOf(written.key), 'hide_version_header is not true', fix);
    // A router that is not an object cannot take the property: no fix then.
    else if (router && !routerMap) at('2.2.1', top, 'router.hide_version_header is not set');
    else at('2.2.1', top, 'router.hide_version_header is not set', fix);
  }
  if (!service.has('security/cors')) {
    at('2.2.2', top, 'no security/cors', { path: extraPath, name: 'security/cors', value: { allow_origins: ['*'], allow_methods: ['GET', 'HEAD', 'POST'], max_age: '12h' } });
  }
  for (const e of endpoints) for (const h of e.inputHeaders ?? []) if (h.value === '*') at('2.2.3', h.span, 'input_headers has "*"');
  for (const e of endpoints) for (const q of e.inputQueryStrings ?? []) if (q.value === '*') at('2.2.4', q.span, 'input_query_strings has "*"');
  const grpcServer = prop(asMap(service.get('grpc')?.value), 'server');
  if (grpcServer?.value.kind === 'object') {
    const services = prop(grpcServer.value, 'services')?.value;
    if (services?.kind !== 'array' || services.items.length === 0) at('2.2.5', spanOf(grpcServer.key), 'grpc.server has no services');
  }
  for (const e of endpoints) {
    for (const b of e.backends) {
      const cache = ns(b.extraConfig, 'qos/http-cache');
      if (!cache) continue;
      const m = asMap(cache.value);
      // Not an object: krakend audit panics (index out of range) on it; the cache is unlimited.
      if (!m || !positiveFloat(m, 'max_items') || !positiveFloat(m, 'max_size')) at('2.3.1', entrySpan(cache), 'qos/http-cache without both max_items and max_size');
    }
  }

  if (!asMap(service.get('security/bot-detector')?.value)) at('3.1.1', top, 'no security/bot-detector at service level');
  const rateLimited =
    asMap(service.get('qos/ratelimit/router')?.value) !== undefined ||
    endpoints.some((e) => asMap(ns(e.extraConfig, 'qos/ratelimit/router')?.value) !== undefined || has(e.extraConfig, 'qos/ratelimit/proxy') || e.backends.some((b) => has(b.extraConfig, 'qos/ratelimit/proxy'))) ||
    service.has('qos/ratelimit/service') ||
    plugin('redis-ratelimit').length > 0;
  if (!rateLimited) at('3.1.2', top, 'no rate limit', { path: extraPath, name: 'qos/ratelimit/router', value: { max_rate: 100, client_max_rate: 10, strategy: 'ip' } });
  if (!endpoints.some((e) => has(e.extraConfig, 'qos/circuit-breaker') || e.backends.some((b) => has(b.extraConfig, 'qos/circuit-breaker')))) {
    const first = endpoints.findIndex((e) => e.backends.length > 0);
    const add: AuditAddition | undefined =
      first < 0 ? undefined : { path: ['endpoints', first, 'backend', 0, 'extra_config'], name: 'qos/circuit-breaker', value: { interval: 60, timeout: 10, max_errors: 5, log_status_change: true } };
    at('3.1.3', top, 'no circuit breaker', add);
  }
  timeouts(model, endpoints, at);

  const metrics = ['telemetry/opencensus', 'telemetry/metrics', 'telemetry/newrelic', 'telemetry/ganalytics', 'telemetry/instana'];
  const present = (ns: string): Entry | undefined => {
    const e = service.get(ns);
    // opencensus only counts with an `exporters` object (krakend-audit skips it otherwise).
    if (ns === 'telemetry/opencensus') return asMap(prop(asMap(e?.value), 'exporters')?.value) ? e : undefined;
    return e;
  };
  if (!metrics.some((ns) => present(ns))) at('4.1.1', top, 'no metrics component');
  const otel = service.get('telemetry/opentelemetry');
  const otelCounts = otelExporters(otel);
  const collectors = metrics.filter((ns) => present(ns));
  const total = collectors.length + (otelCounts ? otelCounts.metrics + otelCounts.prometheus : 0);
  if (total > 1) {
    for (const ns of collectors) at('4.1.3', entrySpan(present(ns)!), `${ns} is one of ${total} metrics collectors`);
    if (otel && otelCounts && otelCounts.metrics + otelCounts.prometheus > 0) at('4.1.3', entrySpan(otel), `telemetry/opentelemetry exports metrics; ${total} metrics collectors in all`);
  }
  const tracing = present('telemetry/opencensus') || service.has('telemetry/newrelic') || service.has('telemetry/instana') || (otelCounts !== undefined && otelCounts.traces >= 1);
  if (!tracing) at('4.2.1', top, 'no tracing');
  if (!service.has('telemetry/logging') && !service.has('telemetry/gelf') && !service.has('telemetry/logstash')) at('4.3.1', top, 'no telemetry/logging, telemetry/gelf or telemetry/logstash');

  if (flag(model.disableRest)) at('5.1.1', model.disableRest.keySpan, 'disable_rest is true');
  if (flag(model.debugEndpoint)) at('5.1.2', model.debugEndpoint.keySpan, 'debug_endpoint is true');
  if (flag(model.echoEndpoint)) at('5.1.3', model.echoEndpoint.keySpan, 'echo_endpoint is true');
  for (const e of endpoints) {
    const path = cleanPath(e.endpoint?.value ?? '');
    const place = e.endpoint?.span ?? spanOf(e.span);
    if (path.endsWith('*')) at('5.1.4', place, 'the path ends in a wildcard');
    if (path === '/__catchall') at('5.1.5', place, 'the endpoint is /__catchall');
  }
  for (const e of endpoints) {
    const method = e.method?.value || 'GET';
    let unsafe = 0;
    for (const b of e.backends) {
      const m = b.method?.value || method;
      if ((m !== 'GET' && m !== 'HEAD') || has(b.extraConfig, 'backend/grpc')) unsafe++;
    }
    if (unsafe > 1) at('5.1.6', e.backendKeySpan ?? spanOf(e.span), `${unsafe} backends use a write method (or gRPC)`);
  }
  for (const e of endpoints) {
    const seq = prop(asMap(ns(e.extraConfig, 'proxy')?.value), 'sequential');
    if (seq?.value.kind === 'boolean' && seq.value.value) at('5.1.7', spanOf(seq.key), 'proxy.sequential is true');
  }
  for (const e of endpoints) if (e.backends.length === 0) at('5.2.1', e.backendKeySpan ?? spanOf(e.span), 'the endpoint has no backend');
  if (endpoints.every((e) => e.backends.length <= 1)) at('5.2.2', listSpan, endpoints.length === 0 ? 'there are no endpoints' : 'every endpoint has at most one backend');
  const serviceEncoding = model.outputEncoding?.value || 'json';
  if (endpoints.every((e) => (e.outputEncoding?.value || serviceEncoding) === 'no-op')) at('5.2.3', listSpan, endpoints.length === 0 ? 'there are no endpoints' : 'every endpoint uses no-op');
  if (flag(model.sequentialStart) && model.asyncAgents.length >= 10) at('6.1.1', model.sequentialStart.keySpan, `${model.asyncAgents.length} async agents start sequentially`);

  const deprecatedServer: readonly [string, string][] = [['7.1.1', 'virtualhost'], ['7.1.2', 'static-filesystem'], ['7.1.3', 'basic-auth'], ['7.1.4', 'wildcard']];
  for (const [id, name] of deprecatedServer) for (const n of plugin(name)) at(id, spanOf(n), `the ${name} server plugin`);
  // One pass for the endpoint and backend plugins: 7.1.5–7.1.7, then 7.1.8 and 7.1.9.
  const clientRules: Readonly<Record<string, string>> = { 'http-proxy': '7.1.5', 'static-filesystem': '7.1.6', 'no-redirect': '7.1.7' };
  const reqRespRules: Readonly<Record<string, string>> = { 'content-replacer': '7.1.8', 'response-schema-validator': '7.1.9' };
  const clientFound: AuditFinding[] = [];
  const reqRespFound: AuditFinding[] = [];
  const reqResp = (extra: ExtraConfigModel | undefined): void => {
    if (extra === undefined) return;
    for (const p of reqRespNames(extra)) {
      const id = reqRespRules[p.name];
      if (id) reqRespFound.push({ rule: id, span: spanOf(p.node), detail: `the ${p.name} plugin` });
    }
  };
  for (const e of endpoints) {
    if (e.extraConfig !== undefined) {
      // krakend-audit looks for client plugins on endpoints only, and only a single name.
      const n = prop(asMap(ns(e.extraConfig, 'plugin/http-client')?.value), 'name')?.value;
      const id = n?.kind === 'string' ? clientRules[n.value] : undefined;
      if (id && n?.kind === 'string') clientFound.push({ rule: id, span: spanOf(n), detail: `the ${n.value} client plugin` });
      reqResp(e.extraConfig);
    }
    for (const b of e.backends) reqResp(b.extraConfig);
  }
  // In the rules' order.
  for (const f of [...clientFound, ...reqRespFound].sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0))) out.push(f);
  const deprecatedComponents: readonly [string, string][] = [['7.2.1', 'telemetry/ganalytics'], ['7.2.2', 'telemetry/instana'], ['7.2.3', 'telemetry/opencensus'], ['7.2.4', 'telemetry/influx']];
  for (const [id, ns] of deprecatedComponents) {
    const e = ns === 'telemetry/opencensus' ? present(ns) : service.get(ns);
    if (e) at(id, entrySpan(e), ns);
  }
  if (tls) {
    for (const f of [tls.publicKey, tls.privateKey]) if (f && f.value !== '') at('7.3.1', f.keySpan, 'tls has public_key/private_key');
  }
  return out;
}

/** The rules 3.3.x: each endpoint's timeout after Init, in whole milliseconds. */
function timeouts(model: ServiceModel, endpoints: readonly EndpointModel[], at: (rule: string, span: Span, detail: string) => void): void {
  const serviceNs = model.timeout?.value || DEFAULT_TIMEOUT_NS;
  const limits: readonly [string, number][] = [['3.3.1', 3000], ['3.3.2', 5000], ['3.3.3', 30000], ['3.3.4', 60000]];
  // An inherited timeout is the service's fault, said once on the service's `timeout`.
  let inherited = false;
  const own: { span: Span; ms: number }[] = [];
  for (const e of endpoints) {
    const t = e.timeout;
    if (t && t.value !== 0) own.push({ span: t.span, ms: Math.trunc(t.value / 1e6) });
    else inherited = true;
  }
  const places = [...own];
  if (inherited && model.timeout && model.timeout.value !== 0) places.push({ span: model.timeout.span, ms: Math.trunc(serviceNs / 1e6) });
  for (const [id, limit] of limits) {
    for (const p of places) if (p.ms > limit) at(id, p.span, `the timeout is ${p.ms} ms`);
  }
}

/** Counts krakend-audit takes from `telemetry/opentelemetry`; undefined when it is not an object. */
function otelExporters(e: Entry | undefined): { metrics: number; traces: number; prometheus: number } | undefined {
  const m = asMap(e?.value);
  if (!m) return undefined;
  const exporters = asMap(prop(m, 'exporters')?.value);
  let metrics = 0;
  let traces = 0;
  let prometheus = 0;
  const on = (o: ObjectNode, key: string): boolean => !isTrue(o, key);
  const prom = prop(exporters, 'prometheus')?.value;
  if (prom?.kind === 'array') for (const p of prom.items) if (p.kind === 'object' && on(p, 'disable_metrics')) prometheus++;
  const otlp = prop(exporters, 'otlp')?.value;
  if (otlp?.kind === 'array') {
    for (const o of otlp.items) {
      if (o.kind !== 'object') continue;
      if (on(o, 'disable_metrics')) metrics++;
      if (on(o, 'disable_traces')) traces++;
    }
  }
  return { metrics, traces, prometheus };
}

/** lura's CleanPath: one leading slash. */
function cleanPath(p: string): string {
  return `/${p.startsWith('/') ? p.slice(1) : p}`;
}

function lastProp(o: ObjectNode, key: string): PropertyNode | undefined {
  return prop(o, key);
}

/**
 * The service's opening line: the `{` of a JSON root, the first key of a YAML one. Findings
 * about something missing go there, once.
 */
export function serviceSpan(root: ValueNode | undefined): Span {
  if (!root) return { offset: 0, length: 0 };
  if (root.kind === 'object' && root.properties.length > 0 && root.properties[0]!.key.offset === root.offset) return spanOf(root.properties[0]!.key);
  return { offset: root.offset, length: Math.min(1, root.length) };
}

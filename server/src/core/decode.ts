/**
 * The weakly typed decode KrakenD runs between parsing and Init: koanf's UnmarshalWithConf,
 * i.e. mapstructure v2 with `WeaklyTypedInput: true`, tag `mapstructure` and the
 * string→time.Duration hook, into lura's ServiceConfig.
 *
 * Every field lura declares is type-checked, not only the ones the model keeps, because a
 * bad `read_timeout` stops KrakenD as surely as a bad `port`. Unlike mapstructure, which
 * joins its errors into one, each problem is reported on its own value.
 */
import type { ObjectNode, PropertyNode, StringNode, ValueNode } from './ast';
import { getProperty } from './ast';
import { durationSuggestion, mapstructureDurationError, parseGoDuration } from './go/duration';
import type { AsyncAgentModel, BackendModel, EndpointModel, Field, ServiceModel } from './model';
import type { Problem, ProblemData, Span } from './types';
import { underscoreOK } from './go/strconv';

// --- Go types of lura's config structs -------------------------------------------------

type GoType =
  | { readonly k: 'int'; readonly name: string }
  | { readonly k: 'uint'; readonly name: string; readonly bits: 16 | 64 }
  | { readonly k: 'float'; readonly name: string }
  | { readonly k: 'bool' }
  | { readonly k: 'string' }
  | { readonly k: 'duration' }
  | { readonly k: 'func'; readonly name: string }
  | { readonly k: 'slice'; readonly name: string; readonly elem: GoType }
  | { readonly k: 'map'; readonly name: string; readonly elem: GoType }
  | StructType
  | { readonly k: 'interface' };

interface StructType {
  readonly k: 'struct';
  readonly name: string;
  readonly fields: readonly FieldDef[];
  /** Field index by exact name, and by lower-cased name for mapstructure's EqualFold match. */
  readonly byName: ReadonlyMap<string, number>;
  readonly byFolded: ReadonlyMap<string, number>;
}

interface FieldDef {
  /** The mapstructure tag, or the Go field name when the field has no tag. */
  readonly name: string;
  /** `.name`, the path segment of the field (made once, not on every value). */
  readonly dotted: string;
  readonly type: GoType;
}

const INT: GoType = { k: 'int', name: 'int' };
const UINT16: GoType = { k: 'uint', name: 'uint16', bits: 16 };
const FLOAT64: GoType = { k: 'float', name: 'float64' };
const BOOL: GoType = { k: 'bool' };
const STRING: GoType = { k: 'string' };
const DURATION: GoType = { k: 'duration' };
const STRINGS: GoType = { k: 'slice', name: '[]string', elem: STRING };
const UINT16S: GoType = { k: 'slice', name: '[]uint16', elem: UINT16 };
const EXTRA: GoType = { k: 'map', name: 'config.ExtraConfig', elem: { k: 'interface' } };

const f = (name: string, type: GoType): FieldDef => ({ name, dotted: `.${name}`, type });

/** mapstructure's name for a value: `endpoints[0].backend[1].host`. A top-level field has no dot. */
function joinPath(parent: string, name: string): string {
  if (parent !== '') return parent + name;
  return name.startsWith('.') ? name.slice(1) : name;
}
const struct = (name: string, fields: FieldDef[]): StructType => ({
  k: 'struct',
  name,
  fields,
  byName: new Map(fields.map((d, i) => [d.name, i])),
  byFolded: new Map(fields.map((d, i) => [d.name.toLowerCase(), i])),
});
// mapstructure decodes a pointer by decoding into what it points at; only the type name differs.
const sliceOf = (name: string, elem: GoType): GoType => ({ k: 'slice', name, elem });

const BACKEND = struct('config.Backend', [
  f('group', STRING),
  f('method', STRING),
  f('host', STRINGS),
  f('disable_host_sanitize', BOOL),
  f('url_pattern', STRING),
  f('allow', STRINGS),
  f('deny', STRINGS),
  f('mapping', { k: 'map', name: 'map[string]string', elem: STRING }),
  f('encoding', STRING),
  f('is_collection', BOOL),
  f('target', STRING),
  f('sd', STRING),
  f('sd_scheme', STRING),
  // Untagged exported fields are matched by their Go name (case-insensitively), so a
  // backend "timeout" reaches Backend.Timeout and is decoded as a duration.
  f('URLKeys', STRINGS),
  f('ConcurrentCalls', INT),
  f('Timeout', DURATION),
  f('Decoder', { k: 'func', name: 'encoding.Decoder' }),
  f('extra_config', EXTRA),
  f('input_headers', STRINGS),
  f('input_query_strings', STRINGS),
  // `mapstructure:"-"` is not special-cased by decodeStructFromMap: a key "-" fills both
  // ParentEndpoint and ParentEndpointMethod. One entry, so a bad value is reported once.
  f('-', STRING),
]);

const ENDPOINT = struct('config.EndpointConfig', [
  f('endpoint', STRING),
  f('method', STRING),
  f('backend', sliceOf('[]*config.Backend', BACKEND)),
  f('concurrent_calls', INT),
  f('timeout', DURATION),
  f('cache_ttl', DURATION),
  f('input_query_strings', STRINGS),
  f('extra_config', EXTRA),
  f('input_headers', STRINGS),
  f('output_encoding', STRING),
]);

const ASYNC_AGENT = struct('config.AsyncAgent', [
  f('name', STRING),
  f('connection', struct('config.Connection', [f('max_retries', INT), f('backoff_strategy', STRING), f('health_interval', DURATION)])),
  f('consumer', struct('config.Consumer', [f('timeout', DURATION), f('workers', INT), f('topic', STRING), f('max_rate', FLOAT64)])),
  f('encoding', STRING),
  f('backend', sliceOf('[]*config.Backend', BACKEND)),
  f('extra_config', EXTRA),
]);

const TLS = struct('config.TLS', [
  f('disabled', BOOL),
  f('public_key', STRING),
  f('private_key', STRING),
  f('ca_certs', STRINGS),
  f('min_version', STRING),
  f('max_version', STRING),
  f('curve_preferences', UINT16S),
  f('prefer_server_cipher_suites', BOOL),
  f('cipher_suites', UINT16S),
  f('enable_mtls', BOOL),
  f('disable_system_ca_pool', BOOL),
  f('keys', sliceOf('[]config.TLSKeyPair', struct('config.TLSKeyPair', [f('public_key', STRING), f('private_key', STRING)]))),
]);

const CLIENT_TLS = struct('config.ClientTLS', [
  f('allow_insecure_connections', BOOL),
  f('ca_certs', STRINGS),
  f('disable_system_ca_pool', BOOL),
  f('min_version', STRING),
  f('max_version', STRING),
  f('curve_preferences', UINT16S),
  f('cipher_suites', UINT16S),
  f('client_certs', sliceOf('[]config.ClientTLSCert', struct('config.ClientTLSCert', [f('certificate', STRING), f('private_key', STRING)]))),
]);

/** lura's ServiceConfig at the commit CE 2.13.8 pins (6d79b4ef), field by field. */
const SERVICE = struct('config.ServiceConfig', [
  f('name', STRING),
  f('endpoints', sliceOf('[]*config.EndpointConfig', ENDPOINT)),
  f('async_agent', sliceOf('[]*config.AsyncAgent', ASYNC_AGENT)),
  f('timeout', DURATION),
  f('cache_ttl', DURATION),
  f('host', STRINGS),
  f('port', INT),
  f('listen_ip', STRING),
  f('version', INT),
  f('output_encoding', STRING),
  f('extra_config', EXTRA),
  f('read_timeout', DURATION),
  f('write_timeout', DURATION),
  f('idle_timeout', DURATION),
  f('read_header_timeout', DURATION),
  f('max_header_bytes', INT),
  f('disable_keep_alives', BOOL),
  f('disable_compression', BOOL),
  f('max_idle_connections', INT),
  f('max_idle_connections_per_host', INT),
  f('idle_connection_timeout', DURATION),
  f('response_header_timeout', DURATION),
  f('expect_continue_timeout', DURATION),
  f('dialer_timeout', DURATION),
  f('dialer_fallback_delay', DURATION),
  f('dialer_keep_alive', DURATION),
  f('disable_rest', BOOL),
  f('plugin', struct('config.Plugin', [f('folder', STRING), f('pattern', STRING)])),
  f('tls', TLS),
  f('use_h2c', BOOL),
  f('debug_endpoint', BOOL),
  f('echo_endpoint', BOOL),
  f('sequential_start', BOOL),
  f('allow_insecure_connections', BOOL),
  f('client_tls', CLIENT_TLS),
  f('dns_cache_ttl', DURATION),
  f('max_shutdown_wait_time', DURATION),
]);

// --- the decoded tree ------------------------------------------------------------------

/** A decoded value and where it came from. */
interface Decoded {
  readonly value: unknown;
  readonly node: ValueNode;
  /** The key that held it, when it is a struct field or map entry. */
  readonly key?: StringNode;
}

/** A decoded struct: field name → decoded value (absent when missing, null or undecodable). */
type DecodedStruct = Map<string, Decoded>;

/**
 * Decodes the parsed root the way KrakenD does before Init, and extracts the model the
 * Init and route rules need. A missing root (empty YAML, top-level `null`) decodes to an
 * empty ServiceConfig, as Go's nil map does.
 */
export function decodeService(root: ValueNode | undefined): { model: ServiceModel; problems: Problem[] } {
  const problems: Problem[] = [];
  if (!root) {
    return { model: { span: { offset: 0, length: 0 }, host: [], router: {}, endpoints: [], asyncAgents: [] }, problems };
  }
  const decoder = new Decoder(problems);
  const decoded = decoder.decode('', '', root, SERVICE);
  const service = decoded instanceof Map ? (decoded as DecodedStruct) : new Map<string, Decoded>();
  return { model: buildModel(root, service), problems };
}

/** The Go type name of a parsed value, as reflect prints it in mapstructure's messages. */
function goTypeOf(node: ValueNode): string {
  switch (node.kind) {
    case 'object':
      return 'map[string]interface {}';
    case 'array':
      return '[]interface {}';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return numberGoType(node);
    default:
      return '<nil>';
  }
}

/**
 * JSON numbers are float64 in Go. The YAML parser marks the integers go-yaml resolves to
 * int or uint64 with a `goType` property.
 */
function numberGoType(node: ValueNode & { kind: 'number' }): string {
  const t = (node as { goType?: unknown }).goType;
  return typeof t === 'string' ? t : 'float64';
}

/** reflect.Kind as mapstructure's `%q` prints it. */
function goKindOf(node: ValueNode): string {
  return node.kind === 'array' ? 'slice' : node.kind === 'object' ? 'map' : goTypeOf(node);
}

function typeName(t: GoType): string {
  switch (t.k) {
    case 'bool':
      return 'bool';
    case 'string':
      return 'string';
    case 'duration':
      return 'time.Duration';
    case 'interface':
      return 'interface {}';
    default:
      return t.name;
  }
}

class Decoder {
  constructor(private readonly problems: Problem[]) {}

  /**
   * `key` is the key holding the value (a struct field or map entry), so a wrong object or list
   * is underlined by its key. Passed down rather than looked up: a 5,000-endpoint file has
   * hundreds of thousands of values and only a handful of problems.
   */
  private report(code: 'decode/type' | 'decode/duration', path: string, reason: string, node: ValueNode, key: StringNode | undefined, data?: ProblemData): void {
    // A scalar is underlined itself. An object or list is underlined by its key (or its first
    // character), as the schema lint does: underlining 200 lines helps no one, and the same
    // place lets checkConfig keep one problem where the schema says the same thing.
    const compound = node.kind === 'object' || node.kind === 'array';
    const span = compound && key ? spanOf(key) : compound ? { offset: node.offset, length: Math.min(1, node.length) } : spanOf(node);
    this.problems.push(data ? { code, message: `'${path}' ${reason}`, span, data } : { code, message: `'${path}' ${reason}`, span });
  }

  private unconvertible(parent: string, name: string, t: GoType, node: ValueNode, key: StringNode | undefined): undefined {
    this.report('decode/type', joinPath(parent, name), `expected type '${typeName(t)}', got unconvertible type '${goTypeOf(node)}'`, node, key);
    return undefined;
  }

  private parseError(parent: string, name: string, t: GoType, reason: string, node: ValueNode): undefined {
    this.report('decode/type', joinPath(parent, name), `cannot parse value as '${typeName(t)}': ${reason}`, node, undefined);
    return undefined;
  }

  /**
   * mapstructure's decode(name, input, outVal). Returns undefined for nil input or an error.
   * The value's path is `parent` + `name` (`.field`, `[0]`, `[key]`), joined only for a
   * message or a container's children: most values are scalars that decode cleanly.
   */
  decode(parent: string, name: string, node: ValueNode, t: GoType, key?: StringNode): unknown {
    // A nil input leaves the zero value and is never an error.
    if (node.kind === 'null') return undefined;
    switch (t.k) {
      case 'interface':
        return node;
      case 'string':
        return this.decodeString(parent, name, node, t, key);
      case 'bool':
        return this.decodeBool(parent, name, node, t, key);
      case 'int':
        return this.decodeInt(parent, name, node, t, key);
      case 'uint':
        return this.decodeUint(parent, name, node, t, key);
      case 'float':
        return this.decodeFloat(parent, name, node, t, key);
      case 'duration':
        return this.decodeDuration(parent, name, node, t, key);
      case 'func':
        return this.unconvertible(parent, name, t, node, key);
      case 'slice':
        return this.decodeSlice(parent, name, node, t, key);
      case 'map':
        return this.decodeMap(parent, name, node, t, key);
      case 'struct':
        return this.decodeStruct(parent, name, node, t, key);
    }
  }

  private decodeString(parent: string, name: string, node: ValueNode, t: GoType, key: StringNode | undefined): string | undefined {
    switch (node.kind) {
      case 'string':
        return node.value;
      case 'boolean':
        return node.value ? '1' : '0';
      case 'number':
        return numberGoType(node) === 'float64' ? formatFloatF(node.value) : integerText(node);
      default:
        return this.unconvertible(parent, name, t, node, key);
    }
  }

  private decodeBool(parent: string, name: string, node: ValueNode, t: GoType, key: StringNode | undefined): boolean | undefined {
    switch (node.kind) {
      case 'boolean':
        return node.value;
      case 'number':
        return node.value !== 0;
      case 'string': {
        const b = parseGoBool(node.value);
        if (b !== undefined) return b;
        if (node.value === '') return false;
        return this.parseError(parent, name, t, 'strconv.ParseBool: invalid syntax', node);
      }
      default:
        return this.unconvertible(parent, name, t, node, key);
    }
  }

  private decodeInt(parent: string, name: string, node: ValueNode, t: GoType, key: StringNode | undefined): number | undefined {
    switch (node.kind) {
      case 'number':
        // Go converts float64 to int by truncation: 8080.9 becomes 8080 without a word.
        return Math.trunc(node.value);
      case 'boolean':
        return node.value ? 1 : 0;
      case 'string': {
        const r = parseGoInt(node.value === '' ? '0' : node.value, 64);
        if (typeof r === 'string') return this.parseError(parent, name, t, `strconv.ParseInt: ${r}`, node);
        return Number(r);
      }
      default:
        return this.unconvertible(parent, name, t, node, key);
    }
  }

  private decodeUint(parent: string, name: string, node: ValueNode, t: GoType & { k: 'uint' }, key: StringNode | undefined): number | undefined {
    const mask = (1n << BigInt(t.bits)) - 1n;
    switch (node.kind) {
      case 'number': {
        // Weakly typed input lets negatives through; reflect's SetUint then truncates to the width.
        const v = BigInt.asUintN(64, BigInt(Math.trunc(node.value)));
        return Number(v & mask);
      }
      case 'boolean':
        return node.value ? 1 : 0;
      case 'string': {
        const r = parseGoUint(node.value === '' ? '0' : node.value, t.bits);
        if (typeof r === 'string') return this.parseError(parent, name, t, `strconv.ParseUint: ${r}`, node);
        return Number(r);
      }
      default:
        return this.unconvertible(parent, name, t, node, key);
    }
  }

  private decodeFloat(parent: string, name: string, node: ValueNode, t: GoType, key: StringNode | undefined): number | undefined {
    switch (node.kind) {
      case 'number':
        return node.value;
      case 'boolean':
        return node.value ? 1 : 0;
      case 'string': {
        const r = parseGoFloat(node.value === '' ? '0' : node.value);
        if (typeof r === 'string') return this.parseError(parent, name, t, `strconv.ParseFloat: ${r}`, node);
        return r;
      }
      default:
        return this.unconvertible(parent, name, t, node, key);
    }
  }

  /** The duration hook turns strings into durations; everything else reaches decodeInt (int64 ns). */
  private decodeDuration(parent: string, name: string, node: ValueNode, t: GoType, key: StringNode | undefined): number | undefined {
    switch (node.kind) {
      case 'string': {
        const r = parseGoDuration(node.value);
        if (r.ok) return Number(r.nanoseconds);
        const krakend = mapstructureDurationError(r.error);
        // KrakenD's text first (mapstructure drops the value); Go's full reason after it helps more.
        const detail = krakend === r.error ? '' : ` (Go: ${r.error.slice('time: '.length)}; valid units are ns, us, ms, s, m, h)`;
        const fixed = durationSuggestion(node.value);
        const guess = fixed !== undefined && parseGoDuration(fixed).ok ? fixed : undefined;
        this.report('decode/duration', joinPath(parent, name), krakend + detail + (guess ? `; did you mean '${guess}'?` : ''), node, key, guess ? { replacement: guess } : undefined);
        return undefined;
      }
      case 'number':
        return Math.trunc(node.value);
      case 'boolean':
        return node.value ? 1 : 0;
      default:
        return this.unconvertible(parent, name, t, node, key);
    }
  }

  private decodeSlice(parent: string, name: string, node: ValueNode, t: GoType & { k: 'slice' }, key: StringNode | undefined): Decoded[] | undefined {
    let items: readonly ValueNode[];
    if (node.kind === 'array') {
      items = node.items;
    } else if (node.kind === 'object' && node.properties.length === 0) {
      return [];
    } else {
      // Weakly typed input wraps a single value into a one-element slice.
      items = [node];
    }
    const out: Decoded[] = [];
    const path = joinPath(parent, name);
    // A wrapped single value is still the one the key holds.
    const itemKey = node.kind === 'array' ? undefined : key;
    // Endpoints and async agents become their model as soon as each is decoded: their decoded
    // fields then die young, instead of being copied by every scavenge until the list is done.
    const model = ITEM_MODELS.get(t.elem);
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const value = this.decode(path, `[${i}]`, item, t.elem, itemKey);
      out.push({ value: model ? model(value instanceof Map ? (value as DecodedStruct) : NO_FIELDS, item, i) : value, node: item });
    }
    return out;
  }

  private decodeMap(parent: string, name: string, node: ValueNode, t: GoType & { k: 'map' }, key: StringNode | undefined): Map<string, Decoded> | ValueNode | undefined {
    // Anything fits an interface{} value, so an extra_config object needs no walk.
    if (node.kind === 'object' && t.elem.k === 'interface') return node;
    const path = joinPath(parent, name);
    if (node.kind === 'object') {
      const out = new Map<string, Decoded>();
      for (const p of uniqueProperties(node)) {
        const value = this.decode(path, `[${p.key.value}]`, p.value, t.elem, p.key);
        if (value !== undefined) out.set(p.key.value, { value, node: p.value, key: p.key });
      }
      return out;
    }
    if (node.kind === 'array') {
      // Weakly typed: a list of maps is merged into one map, each element decoded in turn.
      const out = new Map<string, Decoded>();
      for (let i = 0; i < node.items.length; i++) {
        const item = node.items[i]!;
        const part = this.decode(path, `[${i}]`, item, t);
        // mapstructure stops at the first element that fails.
        if (part === undefined && item.kind !== 'null') return undefined;
        if (part instanceof Map) for (const [k, v] of part as Map<string, Decoded>) out.set(k, v);
      }
      return out;
    }
    return this.unconvertible(parent, name, t, node, key);
  }

  private decodeStruct(parent: string, name: string, node: ValueNode, t: GoType & { k: 'struct' }, key: StringNode | undefined): DecodedStruct | undefined {
    const path = joinPath(parent, name);
    if (node.kind !== 'object') {
      this.report('decode/type', path, `expected a map or struct, got "${goKindOf(node)}"`, node, key);
      return undefined;
    }
    const out: DecodedStruct = new Map();
    // One pass over the keys: an exact match (the last duplicate, as Go's map keeps) beats a
    // case-folded one; among folded ones the first key in the file is taken (Go's pick is random).
    const exact: (PropertyNode | undefined)[] = new Array<PropertyNode | undefined>(t.fields.length);
    // Keys that only match case-insensitively are rare: no array for them until one comes.
    let folded: (PropertyNode | undefined)[] | undefined;
    for (const p of node.properties) {
      const key = p.key.value;
      const i = t.byName.get(key);
      if (i !== undefined) {
        exact[i] = p;
        continue;
      }
      const j = t.byFolded.get(key.toLowerCase());
      if (j === undefined) continue;
      folded ??= new Array<PropertyNode | undefined>(t.fields.length);
      if (folded[j] === undefined || folded[j].key.value === key) folded[j] = p;
    }
    for (let i = 0; i < t.fields.length; i++) {
      const field = t.fields[i]!;
      const p = exact[i] ?? folded?.[i];
      if (!p) continue;
      // Kept even when nothing decoded (null, or an error) so the key's position stays known.
      out.set(field.name, { value: this.decode(path, field.dotted, p.value, field.type, p.key), node: p.value, key: p.key });
    }
    return out;
  }
}

/** The properties Go's map holds: the last of each key, in source order of that last one. */
function uniqueProperties(obj: ObjectNode): PropertyNode[] {
  const props = obj.properties;
  if (props.length < 2) return props.slice();
  const seen = new Set<string>();
  const out: PropertyNode[] = [];
  for (let i = props.length - 1; i >= 0; i--) {
    const p = props[i]!;
    if (seen.has(p.key.value)) continue;
    seen.add(p.key.value);
    out.push(p);
  }
  return out.reverse();
}

/**
 * mapstructure's key lookup, built once per object: the exact key first (the last duplicate,
 * as Go's map keeps), else any key equal under case folding (strings.EqualFold). Go picks
 * among several folded matches in map order, which is random; this takes the first in the file.
 */
function indexKeys(obj: ObjectNode): { exact: Map<string, PropertyNode>; folded: Map<string, PropertyNode> } {
  const exact = new Map<string, PropertyNode>();
  for (const p of obj.properties) exact.set(p.key.value, p);
  const folded = new Map<string, PropertyNode>();
  for (const [k, p] of exact) {
    const f = k.toLowerCase();
    if (!folded.has(f)) folded.set(f, p);
  }
  return { exact, folded };
}

function findField(obj: ObjectNode, name: string): PropertyNode | undefined {
  const index = indexKeys(obj);
  return index.exact.get(name) ?? index.folded.get(name.toLowerCase());
}

function spanOf(node: { offset: number; length: number }): Span {
  return { offset: node.offset, length: node.length };
}

// --- Go's strconv, as far as mapstructure uses it ----------------------------------------

/** strconv.ParseBool. */
function parseGoBool(s: string): boolean | undefined {
  switch (s) {
    case '1':
    case 't':
    case 'T':
    case 'TRUE':
    case 'true':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'FALSE':
    case 'false':
    case 'False':
      return false;
    default:
      return undefined;
  }
}

/** strconv.ParseUint(s, 0, bits): the value, or Go's error reason. */
export function parseGoUint(s: string, bits: number): bigint | 'invalid syntax' | 'value out of range' {
  if (s === '') return 'invalid syntax';
  let base = 10;
  let i = 0;
  if (s[0] === '0') {
    const p = s.length >= 3 ? s[1]!.toLowerCase() : '';
    if (p === 'b') {
      base = 2;
      i = 2;
    } else if (p === 'o') {
      base = 8;
      i = 2;
    } else if (p === 'x') {
      base = 16;
      i = 2;
    } else {
      base = 8;
      i = 1;
    }
  }
  const max = (1n << BigInt(bits)) - 1n;
  const b = BigInt(base);
  let n = 0n;
  let underscores = false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5f) {
      underscores = true;
      continue;
    }
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) d = (c | 0x20) - 0x61 + 10;
    else return 'invalid syntax';
    if (d >= base) return 'invalid syntax';
    n = n * b + BigInt(d);
    if (n > max) return 'value out of range';
  }
  if (underscores && !underscoreOK(s)) return 'invalid syntax';
  return n;
}

/** strconv.ParseInt(s, 0, bits). */
export function parseGoInt(s: string, bits: number): bigint | 'invalid syntax' | 'value out of range' {
  if (s === '') return 'invalid syntax';
  let neg = false;
  let body = s;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    body = s.slice(1);
  }
  const un = parseGoUint(body, 64);
  if (typeof un === 'string') return un;
  const cutoff = 1n << BigInt(bits - 1);
  if (!neg && un >= cutoff) return 'value out of range';
  if (neg && un > cutoff) return 'value out of range';
  return neg ? -un : un;
}

const DEC_FLOAT = /^[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?$/;
const HEX_FLOAT = /^[+-]?0[xX](?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+)[pP][+-]?[0-9_]+$/;
const SPECIAL_FLOAT = /^[+-]?(?:inf|infinity|nan)$/i;

/** strconv.ParseFloat(s, 64), close enough for the one float field (consumer.max_rate). */
export function parseGoFloat(s: string): number | 'invalid syntax' | 'value out of range' {
  if (SPECIAL_FLOAT.test(s)) {
    const l = s.toLowerCase();
    return l.endsWith('nan') ? NaN : l.startsWith('-') ? -Infinity : Infinity;
  }
  let v: number;
  if (DEC_FLOAT.test(s)) {
    if (s.includes('_') && !underscoreOK(s)) return 'invalid syntax';
    if (!/[0-9]/.test(s.split(/[eE]/)[0]!)) return 'invalid syntax';
    v = Number(s.replace(/_/g, ''));
  } else if (HEX_FLOAT.test(s)) {
    if (s.includes('_') && !underscoreOK(s)) return 'invalid syntax';
    v = parseHexFloat(s.replace(/_/g, ''));
  } else {
    return 'invalid syntax';
  }
  if (Number.isNaN(v)) return 'invalid syntax';
  if (!Number.isFinite(v)) return 'value out of range';
  return v;
}

function parseHexFloat(s: string): number {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?[0-9]+)$/.exec(s);
  if (!m) return NaN;
  const digits = m[2]! + m[3]!;
  if (digits === '') return NaN;
  const mantissa = Number.parseInt(digits, 16);
  const v = mantissa * Math.pow(2, Number(m[4]) - 4 * m[3]!.length);
  return m[1] === '-' ? -v : v;
}

/** strconv.FormatFloat(f, 'f', -1, 64): the shortest digits, never in exponent form. */
export function formatFloatF(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  if (Object.is(v, -0)) return '-0';
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const neg = s.startsWith('-');
  const mant = s.slice(neg ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const dot = mant.indexOf('.');
  const digits = mant.replace('.', '');
  const intLen = (dot < 0 ? mant.length : dot) + exp;
  let out: string;
  if (intLen <= 0) out = `0.${'0'.repeat(-intLen)}${digits}`;
  else if (intLen >= digits.length) out = digits + '0'.repeat(intLen - digits.length);
  else out = `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  return neg ? `-${out}` : out;
}

/** A YAML integer as Go's FormatInt/FormatUint prints it. */
function integerText(node: { raw: string; value: number }): string {
  try {
    const r = parseGoInt(node.raw.replace(/^\+/, ''), 64);
    if (typeof r === 'bigint') return r.toString();
    const u = parseGoUint(node.raw.replace(/^\+/, ''), 64);
    if (typeof u === 'bigint') return u.toString();
  } catch {
    // Fall through to the number itself.
  }
  return String(Math.trunc(node.value));
}

// --- the model ---------------------------------------------------------------------------

// Plain loops and one helper per type: the model is built once per check, from cold code, for
// every endpoint, and each call and closure costs there.

function stringField(s: DecodedStruct, name: string): Field<string> | undefined {
  const d = s.get(name);
  return d !== undefined && typeof d.value === 'string' ? { value: d.value, span: spanOf(d.node), keySpan: spanOf(d.key ?? d.node) } : undefined;
}

function numberField(s: DecodedStruct, name: string): Field<number> | undefined {
  const d = s.get(name);
  return d !== undefined && typeof d.value === 'number' ? { value: d.value, span: spanOf(d.node), keySpan: spanOf(d.key ?? d.node) } : undefined;
}

function booleanField(s: DecodedStruct, name: string): Field<boolean> | undefined {
  const d = s.get(name);
  return d !== undefined && typeof d.value === 'boolean' ? { value: d.value, span: spanOf(d.node), keySpan: spanOf(d.key ?? d.node) } : undefined;
}

function stringList(s: DecodedStruct, name: string): Field<string>[] {
  const d = s.get(name);
  if (!d || !Array.isArray(d.value)) return [];
  const out: Field<string>[] = [];
  for (const item of d.value as Decoded[]) {
    if (typeof item.value === 'string') {
      // A list item has no key of its own: one span object serves as both.
      const span = spanOf(item.node);
      out.push({ value: item.value, span, keySpan: span });
    }
  }
  return out;
}

/** The decoded items of a list of structs. */
function structItems(s: DecodedStruct, name: string): readonly Decoded[] {
  const d = s.get(name);
  return d !== undefined && Array.isArray(d.value) ? (d.value as Decoded[]) : [];
}

const NO_FIELDS: DecodedStruct = new Map();

/** A null item stays a nil pointer in Go; an undecodable one is reported already. */
function structOf(item: Decoded): DecodedStruct {
  return item.value instanceof Map ? (item.value as DecodedStruct) : NO_FIELDS;
}

function backends(s: DecodedStruct): BackendModel[] {
  const items = structItems(s, 'backend');
  const out: BackendModel[] = [];
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    const b = structOf(item);
    out.push({
      index,
      span: spanOf(item.node),
      urlPattern: stringField(b, 'url_pattern'),
      method: stringField(b, 'method'),
      encoding: stringField(b, 'encoding'),
      host: stringList(b, 'host'),
      disableHostSanitize: booleanField(b, 'disable_host_sanitize'),
    });
  }
  return out;
}

function endpointModel(e: DecodedStruct, node: ValueNode, index: number): EndpointModel {
  const endpoint: EndpointModel = {
    index,
    span: spanOf(node),
    endpoint: stringField(e, 'endpoint'),
    method: stringField(e, 'method'),
    outputEncoding: stringField(e, 'output_encoding'),
    backends: backends(e),
  };
  // Set rather than spread in: a spread literal takes V8's slow copying path on every endpoint.
  const backendKeySpan = backendKeyOf(e);
  if (backendKeySpan) (endpoint as { backendKeySpan?: Span }).backendKeySpan = backendKeySpan;
  return endpoint;
}

function agentModel(a: DecodedStruct, node: ValueNode, index: number): AsyncAgentModel {
  return { index, span: spanOf(node), name: stringField(a, 'name'), backends: backends(a) };
}

/** The list items decodeSlice turns into their model as it goes (a null or undecodable item has no fields). */
const ITEM_MODELS: ReadonlyMap<GoType, (s: DecodedStruct, node: ValueNode, index: number) => unknown> = new Map<GoType, (s: DecodedStruct, node: ValueNode, index: number) => unknown>([
  [ENDPOINT, endpointModel],
  [ASYNC_AGENT, agentModel],
]);

/** The models decodeSlice built for a list field. */
function models<T>(s: DecodedStruct, name: string): T[] {
  const items = structItems(s, name);
  const out: T[] = [];
  for (const item of items) out.push(item.value as T);
  return out;
}

function buildModel(root: ValueNode, s: DecodedStruct): ServiceModel {
  const endpoints = models<EndpointModel>(s, 'endpoints');
  const asyncAgents = models<AsyncAgentModel>(s, 'async_agent');
  return {
    span: spanOf(root),
    version: numberField(s, 'version'),
    port: numberField(s, 'port'),
    listenIp: stringField(s, 'listen_ip'),
    host: stringList(s, 'host'),
    outputEncoding: stringField(s, 'output_encoding'),
    timeout: numberField(s, 'timeout'),
    debugEndpoint: booleanField(s, 'debug_endpoint'),
    echoEndpoint: booleanField(s, 'echo_endpoint'),
    disableRest: booleanField(s, 'disable_rest'),
    router: routerOptions(root),
    endpoints,
    asyncAgents,
  };
}

/**
 * Where "0 backends" points: the `backend` key, also when its list decoded to nothing. For
 * `"backend": null` it is the null, where the schema's type error sits, so the two stages'
 * reports of one fault become one.
 */
function backendKeyOf(e: DecodedStruct): Span | undefined {
  const d = e.get('backend');
  if (!d?.key) return undefined;
  return spanOf(d.node.kind === 'null' ? d.node : d.key);
}

const ROUTER_NAMESPACES = ['router', 'github_com/luraproject/lura/router/gin'];

/**
 * lura's gin engine reads its options with encoding/json (json.Marshal then Unmarshal into a
 * struct), not mapstructure: names match case-insensitively, every matching key is applied in
 * Marshal's sorted key order, and a value of the wrong type is skipped, keeping what came before.
 */
function routerOptions(root: ValueNode): ServiceModel['router'] {
  if (root.kind !== 'object') return {};
  const extra = findField(root, 'extra_config')?.value;
  if (!extra || extra.kind !== 'object') return {};
  let ns: ValueNode | undefined;
  // At run time cfg.Normalize() copies the friendly `router` over the legacy key.
  for (const name of ROUTER_NAMESPACES) {
    const p = getProperty(extra, name);
    if (p) {
      ns = p.value;
      break;
    }
  }
  if (!ns || ns.kind !== 'object') return {};
  let healthPath: Field<string> | undefined;
  let disableHealth: Field<boolean> | undefined;
  const props = uniqueProperties(ns).sort((a, b) => (a.key.value < b.key.value ? -1 : a.key.value > b.key.value ? 1 : 0));
  for (const p of props) {
    const key = p.key.value.toLowerCase();
    if (key === 'health_path' && p.value.kind === 'string') {
      healthPath = { value: p.value.value, span: spanOf(p.value), keySpan: spanOf(p.key) };
    } else if (key === 'disable_health' && p.value.kind === 'boolean') {
      disableHealth = { value: p.value.value, span: spanOf(p.value), keySpan: spanOf(p.key) };
    }
  }
  return { healthPath, disableHealth };
}

/**
 * The router rules: what lura's gin router and gin's route trees do with the endpoints once
 * Init has passed (lura `router/gin/router.go`, `router/gin/engine.go`, `router/gin/render.go`,
 * `encoding/register.go`; CE `encoding.go`; gin v1.12.0).
 *
 * Routes are registered in the order `krakend run` uses: `/__debug/*param` and
 * `/__echo/*param` for every method gin's `Any` covers (when enabled), then `GET` on the
 * health path (unless disabled), then each endpoint in config order. `check -t` registers
 * the same minus the health route, so a clash with the health path is reported as
 * 'route/reserved-clash' and said to be missed by `check -t`. Unlike gin, a failed route is
 * skipped and registration goes on, so every conflict shows.
 */
import type { Code } from '../../../shared/codes';
import type { GinPanic, GinPanicKind } from './ginTree';
import { GinEngine } from './ginTree';
import { head } from './init';
import { cleanPath, ginJoinPath, inputParams, isInvalidEndpointPath, toRouterPath } from './luraPaths';
import type { BackendModel, Field, ServiceModel } from './model';
import type { Problem, Span } from './types';

/** The methods gin's `RouterGroup.Any` registers, in its order. */
const ANY_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'HEAD', 'OPTIONS', 'DELETE', 'CONNECT', 'TRACE'];
/** The only methods lura's gin router registers an endpoint under; it logs and skips any other. */
const ROUTED_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * lura's renders plus CE's (krakend-xml re-registers `xml`). Looked up case-sensitively; an
 * unknown name silently falls back to the backend's render or JSON.
 */
const RENDERS = ['json', 'string', 'no-op', 'json-collection', 'xml', 'yaml', 'negotiate'];
/**
 * lura's decoders plus CE's `xml` (krakend-xml) and `rss` (krakend-rss). lura lower-cases the
 * name before the lookup, so `JSON` works; an unknown name silently decodes as JSON.
 */
const DECODERS = ['json', 'safejson', 'string', 'no-op', 'xml', 'rss'];

const PANIC_CODES: Record<GinPanicKind, Code> = {
  duplicate: 'route/duplicate',
  'wildcard-conflict': 'route/wildcard-conflict',
  'catch-all-conflict': 'route/catch-all-conflict',
  'unnamed-wildcard': 'route/unnamed-wildcard',
  'multiple-wildcards': 'route/multiple-wildcards',
  'invalid-escape': 'route/invalid-escape',
  'invalid-catch-all': 'route/invalid-catch-all',
};

const RUN_ONLY = ' (krakend run panics on this; check -t misses it)';

/**
 * Two engines fed the same endpoints: test (what `check -t` registers: debug/echo catch-alls,
 * then the endpoints) and run (what `krakend run` registers: also the health route, before the
 * endpoints). A route only run refuses clashes with the health path. The usual config builds a
 * single set of trees:
 *
 * - with the health route disabled, test and run are the same;
 * - with a static health path (no `:`, `*` or `\\`) and no debug/echo catch-alls, run needs no
 *   trees of its own either: a static route next to endpoint routes can only clash by being
 *   the same GET path (gin ≥ 1.8 lets static and param siblings live together, and an
 *   endpoint cannot carry a named catch-all past lura), so `runOnlyPath` is compared instead.
 *   The recorded-oracle test in routes.test.ts covers this shortcut against the real gin.
 */
interface Engines {
  readonly test: GinEngine;
  readonly run: GinEngine;
  /** The static health path, when run shares test's trees; undefined otherwise. */
  readonly runOnlyPath: string | undefined;
  /** Prefixes owned by the enabled debug/echo catch-alls. */
  readonly reservedPrefixes: readonly string[];
}

function createEngines(model: ServiceModel, healthPath: string | undefined): Engines {
  const test = new GinEngine();
  const reservedPrefixes = [
    ...(model.debugEndpoint?.value === true ? ['/__debug/'] : []),
    ...(model.echoEndpoint?.value === true ? ['/__echo/'] : []),
  ];
  const shared = { test, run: test, reservedPrefixes };
  if (healthPath === undefined) return { ...shared, runOnlyPath: undefined };
  if (reservedPrefixes.length === 0 && !/[:*\\]/.test(healthPath)) return { ...shared, runOnlyPath: healthPath };
  return { ...shared, run: new GinEngine(), runOnlyPath: undefined };
}

/** Runs the router rules over a decoded model and returns every problem found. */
export function checkRoutes(model: ServiceModel): Problem[] {
  const problems: Problem[] = [];
  const healthField = model.router.healthPath;
  const healthPath = model.router.disableHealth?.value === true ? undefined : ginJoinPath(healthField?.value || '/__health');
  const trees = createEngines(model, healthPath);

  for (const [enabled, path] of [
    [model.debugEndpoint?.value === true, '/__debug/*param'],
    [model.echoEndpoint?.value === true, '/__echo/*param'],
  ] as const) {
    if (!enabled) continue;
    for (const m of ANY_METHODS) {
      trees.test.add(m, path);
      if (trees.run !== trees.test) trees.run.add(m, path);
    }
  }

  if (healthPath !== undefined && trees.runOnlyPath === undefined) {
    const p = trees.run.add('GET', healthPath);
    // Only a configured health path can fail (lura does not validate it); the default is safe.
    if (p && healthField) {
      problems.push({ code: PANIC_CODES[p.kind], message: p.message + RUN_ONLY, span: healthField.span });
    }
  }

  const disableRest = model.disableRest?.value === true;
  for (const e of model.endpoints) {
    const raw = e.endpoint?.value ?? '';
    const path = cleanPath(raw);
    // Init reports these; lura would not get as far as the router.
    if (isInvalidEndpointPath(path) || e.backends.length === 0) continue;
    const where = e.endpoint?.span ?? head(e.span);
    const inputs = inputParams(path, disableRest);
    const routerPath = toRouterPath(path, inputs);

    const manual = manualParams(path, inputs);
    if (manual.length > 0) {
      const fixed = manualParamsFixed(raw, inputs);
      problems.push({
        ...(fixed !== undefined && e.endpoint ? { data: { replacement: fixed } } : {}),
        code: 'route/manual-param',
        message:
          `${manual.map((m) => `'${m}'`).join(', ')} ${manual.length > 1 ? 'are gin wildcards' : 'is a gin wildcard'} written by hand, not KrakenD input params: ` +
          `backends cannot use it. Write ${manual.map((m) => `{${m.slice(1)}}`).join(', ')} instead.`,
        span: where,
      });
    }

    const method = checkMethod(e.method, routerPath, problems);
    if (method === undefined) continue;
    register(trees, method, ginJoinPath(routerPath), where, problems);
  }

  checkEncodings(model, problems);
  return problems;
}

function register(engines: Engines, method: string, path: string, span: Span, problems: Problem[]): void {
  const test = engines.test.add(method, path);
  let run = engines.run === engines.test ? test : engines.run.add(method, path);
  if (!run && method === 'GET' && path === engines.runOnlyPath) {
    run = { kind: 'duplicate', message: `handlers are already registered for path '${path}'` };
  }
  if (test) {
    // Only a path under a catch-all's prefix can meet it in the tree; lura refuses such paths
    // for endpoints (its reserved-path regex), so this is rare, but it is `check -t` visible.
    const reserved = engines.reservedPrefixes.some((prefix) => path.startsWith(prefix));
    problems.push(reserved ? { code: 'route/reserved-clash', message: test.message, span } : fromPanic(test, span));
  } else if (run) {
    problems.push({ code: 'route/reserved-clash', message: run.message + RUN_ONLY, span });
  }
}

function fromPanic(p: GinPanic, span: Span): Problem {
  return { code: PANIC_CODES[p.kind], message: p.message, span };
}

/**
 * The method lura's router registers the endpoint under, or undefined when it skips it.
 *
 * lura applies `strings.ToTitle` before its switch, so `get` is routed as GET (and its proxy
 * upper-cases backend methods too, so `get` reaches backends as GET). It still works, so this
 * is a warning, not an error: the schema's enum rejects it, and `krakend check -l` with it.
 */
function checkMethod(field: Field<string> | undefined, routerPath: string, problems: Problem[]): string | undefined {
  if (!field || field.value === '') return 'GET';
  const raw = field.value;
  const method = goToTitle(raw);
  const span = field.span;
  if (!ROUTED_METHODS.has(method)) {
    problems.push({
      code: 'route/unsupported-method',
      // lura logs `[SERVICE: Gin] [ENDPOINT: <path> ] Unsupported method <METHOD>` and moves on.
      message: `[ENDPOINT: ${routerPath} ] Unsupported method ${method}: KrakenD skips this endpoint (only GET, POST, PUT, PATCH and DELETE are routed).`,
      span,
    });
    return undefined;
  }
  if (method !== raw) {
    problems.push({
      data: { replacement: method },
      code: 'route/lowercase-method',
      message: `'${raw}' is routed as ${method} (KrakenD upper-cases methods), but the schema only allows '${method}'.`,
      span,
    });
  }
  return method;
}

/** Go's strings.ToTitle for the characters a method name can hold. */
function goToTitle(s: string): string {
  if (/^[A-Z]*$/.test(s)) return s;
  let out = '';
  for (const ch of s) {
    const up = ch.toUpperCase();
    // Go maps rune to rune; JavaScript may expand (ß → SS), which Go does not.
    out += [...up].length === 1 ? up : ch;
  }
  return out;
}

/**
 * `:name` wildcards written into the path by hand: gin routes them, but lura never extracted
 * them as input params, so no backend can use them. `\:` is gin's literal colon.
 */
function manualParams(path: string, inputs: readonly string[]): string[] {
  if (!path.includes(':')) return [];
  // With disable_rest an extracted `{a:b}` holds a colon that is lura's, not the user's.
  let masked = path;
  for (const p of inputs) masked = masked.split(`{${p}}`).join('{}');
  const out: string[] = [];
  for (const m of masked.matchAll(/(?<!\\):[^/]*/g)) out.push(m[0]);
  return out;
}

/**
 * The path with every hand-written `:name` turned into the `{name}` lura extracts, when each
 * one is a whole segment with a name lura's param pattern accepts; otherwise the repair is not
 * obvious and this returns undefined. Params lura already extracted stay as they are.
 */
function manualParamsFixed(raw: string, inputs: readonly string[]): string | undefined {
  const keep = inputs.map((p) => `{${p}}`);
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const kept = keep.find((t) => raw.startsWith(t, i));
    if (kept) {
      out += kept;
      i += kept.length;
      continue;
    }
    if (raw[i] === ':' && raw[i - 1] !== '\\') {
      const slash = raw.indexOf('/', i);
      const end = slash < 0 ? raw.length : slash;
      const name = raw.slice(i + 1, end);
      // lura adds the leading slash, so a path that starts with the param is still a segment.
      if (!/^[a-zA-Z\-_0-9]+$/.test(name) || (i > 0 && raw[i - 1] !== '/')) return undefined;
      out += `{${name}}`;
      i = end;
      continue;
    }
    out += raw[i];
    i++;
  }
  return out;
}

function checkEncodings(model: ServiceModel, problems: Problem[]): void {
  checkRender(model.outputEncoding, problems);
  for (const e of model.endpoints) {
    checkRender(e.outputEncoding, problems);
    for (const b of e.backends) checkDecoder(b, problems);
  }
  for (const a of model.asyncAgents) for (const b of a.backends) checkDecoder(b, problems);
}

function checkRender(f: Field<string> | undefined, problems: Problem[]): void {
  if (!f || f.value === '' || RENDERS.includes(f.value)) return;
  const hit = closeEncoding(f.value, RENDERS);
  problems.push({
    ...(hit !== undefined ? { data: { replacement: hit } } : {}),
    code: 'route/unknown-encoding',
    message:
      `unknown output_encoding '${f.value}'${suggest(f.value, RENDERS)}: KrakenD silently falls back to another render ` +
      `(the backend's encoding or JSON). Known: ${RENDERS.join(', ')}.`,
    span: f.span,
  });
}

function checkDecoder(b: BackendModel, problems: Problem[]): void {
  const f = b.encoding;
  if (!f || f.value === '' || DECODERS.includes(f.value) || DECODERS.includes(f.value.toLowerCase())) return;
  const hit = closeEncoding(f.value, DECODERS);
  problems.push({
    ...(hit !== undefined ? { data: { replacement: hit } } : {}),
    code: 'route/unknown-encoding',
    message:
      `unknown backend encoding '${f.value}'${suggest(f.value, DECODERS)}: KrakenD silently decodes the response as JSON. ` +
      `Known: ${DECODERS.join(', ')}.`,
    span: f.span,
  });
}

function suggest(value: string, known: readonly string[]): string {
  const hit = closeEncoding(value, known);
  return hit ? ` (did you mean '${hit}'?)` : '';
}

function closeEncoding(value: string, known: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  return known.find((k) => k === lower) ?? known.find((k) => distance(k, lower) <= 2);
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

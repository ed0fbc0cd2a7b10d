/**
 * lura's string rules for paths, params, hosts and listen addresses (lura `config/config.go`
 * and `config/uri.go` at CE 2.13.8's pin), plus the two Go standard-library functions they
 * lean on: `net.ParseIP` and `path.Clean`. Written from their observed behaviour; every
 * function here is pure.
 */

/**
 * Endpoint paths lura refuses. Not anchored for the reserved part, so `/api/__health` is
 * refused too, while `/__healthz` is not. A `*` followed by anything is refused; a trailing
 * `*` passes here and is left for gin to reject.
 */
const INVALID_ENDPOINT = /^[^/]|\*.|\/__(debug|echo|health)(\/.*)?$/;
/**
 * Input params in REST mode: only `{name}` right after a slash. lura's regex, kept as the
 * definition braceParams is tested against (luraPaths.test.ts).
 */
export const ENDPOINT_PARAM = /\/\{([a-zA-Z\-_0-9]+)\}/g;
/** Input params with `disable_rest`, and output params of every url_pattern (likewise). */
export const SIMPLE_PARAM = /\{([\w\-.:/]+)\}/g;
/** Outputs that never need an input: a previous backend's response, or a JWT claim. */
const SEQUENTIAL_PARAM = /^(resp[\d]+_.+)?(JWT\.([\w\-.:/]+))?$/;
/** lura's host sanitiser; a host must give exactly one match. */
const HOST = /(https?:\/\/)?([a-zA-Z0-9._-]+)(:[0-9]{2,6})?\/?/g;

/** lura's CleanPath: exactly one leading slash is guaranteed, nothing else changes. */
export function cleanPath(path: string): string {
  return '/' + (path.startsWith('/') ? path.slice(1) : path);
}

/** Whether lura's validate() refuses the (already cleaned) endpoint path. */
export function isInvalidEndpointPath(cleaned: string): boolean {
  return INVALID_ENDPOINT.test(cleaned);
}

/**
 * The input params lura extracts from a cleaned endpoint path, in order of appearance,
 * duplicates kept (as Go's FindAllStringSubmatch returns them).
 */
export function inputParams(cleaned: string, disableRest: boolean): string[] {
  return disableRest ? braceParams(cleaned, false, isSimpleParamChar) : braceParams(cleaned, true, isEndpointParamChar);
}

/** Every `{param}` of a backend url_pattern, in order, duplicates kept. */
export function outputParams(urlPattern: string): string[] {
  return braceParams(urlPattern, false, isSimpleParamChar);
}

/** ENDPOINT_PARAM's name characters: `[a-zA-Z\-_0-9]`. */
function isEndpointParamChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

/** SIMPLE_PARAM's name characters: `[\w\-.:/]`. */
function isSimpleParamChar(c: number): boolean {
  return isEndpointParamChar(c) || c === 46 || c === 58 || c === 47;
}

/**
 * What `s.matchAll(ENDPOINT_PARAM or SIMPLE_PARAM)` gives as group 1, without a match object per
 * param (every endpoint and backend of a config goes through here, twice). `afterSlash`: the
 * `{` must follow a `/`, as in ENDPOINT_PARAM. The name class holds neither brace, so the
 * greedy run never needs backtracking and a failed `{` leaves the search at the next one.
 */
function braceParams(s: string, afterSlash: boolean, isNameChar: (c: number) => boolean): string[] {
  const out: string[] = [];
  let open = s.indexOf('{');
  while (open >= 0) {
    let next = open + 1;
    if (!afterSlash || (open > 0 && s.charCodeAt(open - 1) === 47)) {
      let end = open + 1;
      while (end < s.length && isNameChar(s.charCodeAt(end))) end++;
      if (end > open + 1 && s.charCodeAt(end) === 125) {
        out.push(s.slice(open + 1, end));
        next = end + 1;
      }
    }
    open = s.indexOf('{', next);
  }
  return out;
}

/** Whether an output param is filled by the sequential proxy or a JWT claim. */
export function isSequentialParam(name: string): boolean {
  return SEQUENTIAL_PARAM.test(name);
}

/**
 * lura's GetEndpointPath: every `{p}` of an extracted input becomes `:p`, only in the part
 * before the first `?`. Braces lura did not extract (`/a/x{id}`) stay as they are.
 */
export function toRouterPath(cleaned: string, inputs: readonly string[]): string {
  if (inputs.length === 0) return cleaned;
  const q = cleaned.indexOf('?');
  let head = q < 0 ? cleaned : cleaned.slice(0, q);
  const tail = q < 0 ? '' : cleaned.slice(q);
  for (const p of inputs) head = head.replaceAll(`{${p}}`, `:${p}`);
  return head + tail;
}

/**
 * The sorted distinct outputs and lura's `outputSetSize`: the number of distinct outputs that
 * are not sequential, *not counting the last distinct one in sort order* — lura's loop only
 * counts an element when it moves past it, so the last one is never counted. Reproduced on
 * purpose: it decides between the "do not match" and the "undefined output param" message.
 */
export function uniqueOutputs(outputs: readonly string[]): { sorted: string[]; setSize: number } {
  if (outputs.length === 0) return { sorted: [], setSize: 0 };
  // One output (the usual `{id}`): nothing to sort, and the last one is never counted.
  if (outputs.length === 1) return { sorted: [outputs[0]!], setSize: 0 };
  const sorted = [...new Set(outputs)].sort(compareGo);
  let setSize = 0;
  for (let i = 0; i < sorted.length - 1; i++) if (!isSequentialParam(sorted[i]!)) setSize++;
  return { sorted, setSize };
}

/**
 * Go's sort.Strings order: byte-wise on UTF-8, which equals code-point order. UTF-16 code
 * units order the same way below the surrogates, so only a difference at or above them needs
 * the code points (a pair's code point is above every unit, a lone surrogate is itself).
 */
export function compareGo(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
    const cx = a.codePointAt(i)!;
    const cy = b.codePointAt(i)!;
    return cx < cy ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Go's `%v` of a []string: `[a b c]`. */
export function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

/**
 * lura's SafeCleanHost: the sanitised host, or undefined when lura refuses it. The regex must
 * match exactly once anywhere in the string, so `a b` (two matches) is refused while `a!`
 * (one match, `!` ignored) becomes `http://a`. A missing scheme becomes `http://`; only the
 * three groups are kept, which is why `http://` turns into `http://http`.
 */
export function sanitizeHost(host: string): string | undefined {
  // The same few hosts repeat on every backend of a config.
  const known = hostCache.get(host);
  if (known !== undefined) return known === false ? undefined : known;
  HOST.lastIndex = 0;
  const m = HOST.exec(host);
  const once = m !== null && HOST.exec(host) === null;
  const result = once ? (m[1] ?? 'http://') + m[2]! + (m[3] ?? '') : undefined;
  if (hostCache.size > 1000) hostCache.clear();
  hostCache.set(host, result ?? false);
  return result;
}

const hostCache = new Map<string, string | false>();

/** Go's net.ParseIP acceptance (netip.ParseAddr without zones): a literal IPv4 or IPv6 address. */
export function isGoIp(s: string): boolean {
  for (const c of s) {
    if (c === '.') return parseIpv4(s) !== undefined;
    if (c === ':') return isIpv6(s);
    // Go reads a `%` before any `.` or `:` as a zone without an address.
    if (c === '%') return false;
  }
  return false;
}

/** Four decimal octets 0-255, no leading zeros, nothing else. */
function parseIpv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/**
 * IPv6 as Go reads it: hex groups of 1-4 digits, at most one `::` standing for at least one
 * zero group, an optional dotted IPv4 tail taking the last 4 bytes. Any zone makes ParseIP fail.
 */
function isIpv6(s: string): boolean {
  if (s.includes('%')) return false;
  let rest = s;
  let bytes = 0;
  let ellipsis = false;
  if (rest.startsWith('::')) {
    ellipsis = true;
    rest = rest.slice(2);
    if (rest === '') return true;
  }
  while (bytes < 16) {
    const m = /^[0-9a-fA-F]+/.exec(rest);
    if (!m) return false;
    const digits = m[0];
    if (rest[digits.length] === '.') {
      if ((!ellipsis && bytes !== 12) || bytes + 4 > 16) return false;
      if (!parseIpv4(rest)) return false;
      bytes += 4;
      rest = '';
      break;
    }
    if (digits.length > 4) return false;
    bytes += 2;
    rest = rest.slice(digits.length);
    if (rest === '') break;
    if (rest[0] !== ':' || rest.length === 1) return false;
    rest = rest.slice(1);
    if (rest[0] === ':') {
      if (ellipsis) return false;
      ellipsis = true;
      rest = rest.slice(1);
      if (rest === '') break;
    }
  }
  if (rest !== '') return false;
  // Without `::` all 16 bytes must be written; with it, `::` must stand for at least one group.
  return ellipsis ? bytes < 16 : bytes === 16;
}

/**
 * Go's path.Clean: one slash between elements, `.` dropped, `..` eats the element before it
 * (and stops at the root), no trailing slash except for the root itself.
 */
export function goPathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/**
 * The path gin registers for a route added through a group at `/` (gin's joinPaths): the
 * cleaned join, with the trailing slash put back when the route had one. So `/a//b` and
 * `/a/./b` both land on `/a/b`, and `health` on `/health`.
 */
export function ginJoinPath(relative: string): string {
  if (relative === '') return '/';
  // Already clean: rooted, no empty, `.` or `..` element. Clean would only drop a trailing
  // slash, which joinPaths puts back.
  if (relative.startsWith('/') && !relative.includes('//') && !relative.includes('/.')) return relative;
  const joined = goPathClean('/' + relative);
  return relative.endsWith('/') && !joined.endsWith('/') ? joined + '/' : joined;
}

/**
 * "did you mean …?" for property and namespace names. Typos in extra_config namespaces are
 * the most common lint failure, and KrakenD itself silently ignores an unknown namespace at
 * run time, so a good suggestion saves a confusing debugging session.
 */

/** Levenshtein distance with a cut-off: returns `max + 1` as soon as the distance exceeds `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to `name`, or undefined when none is close enough to be a plausible
 * typo. Besides plain edit distance it accepts a different letter case, and a namespace
 * written without its leading group, such as `ratelimit/router` for `qos/ratelimit/router`.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const budget = Math.min(4, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    // The name itself is allowed: nothing to suggest.
    if (c === name) return undefined;
    const cl = c.toLowerCase();
    let score: number;
    if (cl === lower) score = 0.5;
    else if (cl.endsWith(`/${lower}`)) score = 1;
    else score = editDistance(lower, cl, budget);
    if (score <= budget && score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

// KrakenD 2.0 renamed these lura fields. 2.x ignores the old names without a word, so the headers
// or query strings the user meant to forward silently stop reaching the backend.
const RENAMED_IN_V2: ReadonlyMap<string, string> = new Map([
  ['headers_to_pass', 'input_headers'],
  ['querystring_params', 'input_query_strings'],
  ['whitelist', 'allow'],
  ['blacklist', 'deny'],
]);

/** The KrakenD 2 name of a KrakenD 1 field, when it is one of `allowed` here. */
export function renamedInV2(name: string, allowed: readonly string[]): string | undefined {
  const renamed = RENAMED_IN_V2.get(name);
  return renamed !== undefined && allowed.includes(renamed) ? renamed : undefined;
}

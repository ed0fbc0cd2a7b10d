/**
 * Go's `time.ParseDuration`, with its exact results and error texts, and the way
 * mapstructure (v2.3+) shortens those texts before KrakenD prints them.
 *
 * Go works on the UTF-8 bytes of the string; so does this, because the unit scan stops on
 * bytes and `quote` escapes non-ASCII bytes one by one.
 */
import { utf8Decode, utf8Encode } from './utf8';

export type DurationResult = { ok: true; nanoseconds: bigint } | { ok: false; error: string };

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // MICRO SIGN
  ['\u03bcs', 1_000n], // GREEK SMALL LETTER MU
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const TWO_63 = 1n << 63n;
const MAX_INT64 = TWO_63 - 1n;

/** The usual `3s`, `1500ms`: one number and one unit, small enough for exact float math. */
const SIMPLE = /^(\d{1,15})(ns|us|ms|s|m|h)$/;

/** Parses a duration string exactly as Go's `time.ParseDuration` does. */
export function parseGoDuration(input: string): DurationResult {
  const simple = SIMPLE.exec(input);
  if (simple) {
    const ns = Number(simple[1]) * Number(UNITS.get(simple[2]!));
    if (Number.isSafeInteger(ns)) return { ok: true, nanoseconds: BigInt(ns) };
  }
  const bytes = utf8Encode(input);
  const n = bytes.length;
  const invalid = (): DurationResult => ({ ok: false, error: `time: invalid duration ${goTimeQuote(bytes)}` });
  let i = 0;
  let neg = false;
  if (n > 0 && (bytes[0] === 0x2d || bytes[0] === 0x2b)) {
    neg = bytes[0] === 0x2d;
    i = 1;
  }
  if (n - i === 1 && bytes[i] === 0x30) return { ok: true, nanoseconds: 0n };
  if (i === n) return invalid();
  let d = 0n;
  while (i < n) {
    const c = bytes[i]!;
    if (!(c === 0x2e || isDigit(c))) return invalid();
    // Leading integer; Go gives up as soon as it would pass 1<<63.
    const intStart = i;
    let v = 0n;
    while (i < n && isDigit(bytes[i]!)) {
      if (v > TWO_63 / 10n) return invalid();
      v = v * 10n + BigInt(bytes[i]! - 0x30);
      if (v > TWO_63) return invalid();
      i++;
    }
    const pre = i !== intStart;
    // Fraction: digits past what fits are ignored, not an error.
    let f = 0n;
    let scale = 1;
    let post = false;
    if (i < n && bytes[i] === 0x2e) {
      i++;
      const fracStart = i;
      let overflow = false;
      while (i < n && isDigit(bytes[i]!)) {
        if (!overflow) {
          if (f > MAX_INT64 / 10n) {
            overflow = true;
          } else {
            const y = f * 10n + BigInt(bytes[i]! - 0x30);
            if (y > TWO_63) overflow = true;
            else {
              f = y;
              scale *= 10;
            }
          }
        }
        i++;
      }
      post = i !== fracStart;
    }
    if (!pre && !post) return invalid();
    const unitStart = i;
    while (i < n && !(bytes[i] === 0x2e || isDigit(bytes[i]!))) i++;
    if (i === unitStart) return { ok: false, error: `time: missing unit in duration ${goTimeQuote(bytes)}` };
    const unitBytes = bytes.subarray(unitStart, i);
    const unit = UNITS.get(utf8Decode(unitBytes));
    if (unit === undefined) {
      return { ok: false, error: `time: unknown unit ${goTimeQuote(unitBytes)} in duration ${goTimeQuote(bytes)}` };
    }
    if (v > TWO_63 / unit) return invalid();
    v *= unit;
    if (f > 0n) {
      // Go adds the fraction through float64 so fractions of hours stay ns-accurate.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > TWO_63) return invalid();
    }
    d += v;
    if (d > TWO_63) return invalid();
  }
  if (neg) return { ok: true, nanoseconds: -d };
  if (d > MAX_INT64) return invalid();
  return { ok: true, nanoseconds: d };
}

/**
 * mapstructure's wrapTimeParseDurationError (v2.3+, so CE 2.12+): it drops the offending
 * value from the message. "unknown unit" loses everything after it; any other `time: ` error
 * loses its last space-separated word, which cuts a quoted value with a space in two.
 */
export function mapstructureDurationError(goError: string): string {
  if (goError.startsWith('time: unknown unit ')) return 'time: unknown unit';
  if (goError.startsWith('time: ')) return goError.slice(0, goError.lastIndexOf(' '));
  return goError;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** The time package's own `quote`: ASCII as is (escaping " and \), every other byte as \xNN. */
export function goTimeQuote(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (b >= 0x80 || b < 0x20) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else out += String.fromCharCode(b);
  }
  return `${out}"`;
}

// Unit words people write for Go durations, and the unit Go wants.
const DURATION_UNIT_WORDS: ReadonlyMap<string, string> = new Map([
  ...['ns', 'nsec', 'nsecs', 'nano', 'nanos', 'nanosecond', 'nanoseconds'].map((w): [string, string] => [w, 'ns']),
  ...['us', 'µs', 'usec', 'usecs', 'micro', 'micros', 'microsecond', 'microseconds'].map((w): [string, string] => [w, 'us']),
  ...['ms', 'msec', 'msecs', 'milli', 'millis', 'millisecond', 'milliseconds'].map((w): [string, string] => [w, 'ms']),
  ...['s', 'sec', 'secs', 'second', 'seconds'].map((w): [string, string] => [w, 's']),
  ...['m', 'min', 'mins', 'minute', 'minutes'].map((w): [string, string] => [w, 'm']),
  ...['h', 'hr', 'hrs', 'hour', 'hours'].map((w): [string, string] => [w, 'h']),
]);

/**
 * The Go duration a malformed one plainly meant: one number and one unit written with spaces,
 * in capitals or as a word (`'3 s'`, `'3S'`, `'3 seconds'`, `'500 millis'` → `'3s'`, `'500ms'`).
 * Undefined when the text is not such a near miss (a bare number could mean any unit).
 */
export function durationSuggestion(value: string): string | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-zµ]+)\s*$/.exec(value);
  if (!m) return undefined;
  const unit = DURATION_UNIT_WORDS.get(m[2]!) ?? DURATION_UNIT_WORDS.get(m[2]!.toLowerCase());
  // `M` alone is minutes to Go's eyes only after lower-casing; months are not a Go unit either way.
  if (unit === undefined) return undefined;
  const fixed = `${m[1]!}${unit}`;
  return fixed === value ? undefined : fixed;
}

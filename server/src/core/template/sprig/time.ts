/**
 * sprig's date functions over a model of Go's time.Time: Go's layout-based Format and Parse,
 * time.Duration's String, and the injected clock (`now`). Go's Local zone is UTC unless the
 * injected environment has a TZ naming an IANA zone, which Intl resolves (Intl's zone
 * abbreviations can differ from Go's tzdata ones, for example `GMT+1` for `CET`).
 */
import type { CallContext, FuncDef } from '../funcs';
import { fn, registerType } from '../funcs';
import type { GoMethod, GoType } from '../value';
import { GoError, GoInt, GoPointer, GoObject, T, int, int64 } from '../value';
import { UnsupportedFormat } from '../fmt';
import { goTimeQuote, parseGoDuration } from '../../go/duration';
import { utf8Decode, utf8Encode } from '../../go/utf8';

/** The time package's own quote (not strconv's), of a Go string. */
function quote(s: string): string {
  return goTimeQuote(utf8Encode(s));
}

const TIME_TYPE: GoType = { name: 'time.Time', kind: 'struct' };
const LOCATION_PTR: GoType = { name: '*time.Location', kind: 'ptr' };
const MONTH_TYPE: GoType = { name: 'time.Month', kind: 'int' };
const WEEKDAY_TYPE: GoType = { name: 'time.Weekday', kind: 'int' };
registerType(TIME_TYPE);

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A time zone: its name and, per instant, Go's offset and abbreviation. */
export interface Zone {
  readonly name: string;
  at(ms: number): { offset: number; abbrev: string };
  /** How fmt shows the time.Location struct, where it is short enough to know (Local when TZ=UTC). */
  readonly goStruct?: string;
}

export const UTC: Zone = { name: 'UTC', at: () => ({ offset: 0, abbrev: 'UTC' }) };

const zones = new Map<string, Zone | null>();

/**
 * tzdata's abbreviations where Intl (en-US) only has `GMT+5:30`: the common lettered ones by
 * offset, and tzdata's numeric form (`+03`, `+0530`) for the rest.
 */
const LETTERED: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  'Europe/London': { 0: 'GMT', 3600: 'BST' },
  'Europe/Dublin': { 0: 'GMT', 3600: 'IST' },
  'Asia/Kolkata': { 19800: 'IST', 19270: 'MMT', 21200: 'HMT' },
  'Asia/Calcutta': { 19800: 'IST', 19270: 'MMT', 21200: 'HMT' },
  // Intl names US zones only from 1970 on.
  'America/New_York': { [-18000]: 'EST', [-14400]: 'EDT' },
  'America/Chicago': { [-21600]: 'CST', [-18000]: 'CDT' },
  'America/Denver': { [-25200]: 'MST', [-21600]: 'MDT' },
  'America/Los_Angeles': { [-28800]: 'PST', [-25200]: 'PDT' },
  'Asia/Tokyo': { 32400: 'JST' },
  'Asia/Seoul': { 32400: 'KST' },
  'Asia/Shanghai': { 28800: 'CST' },
  'Asia/Hong_Kong': { 28800: 'HKT' },
  'Asia/Jerusalem': { 7200: 'IST', 10800: 'IDT' },
  'Asia/Karachi': { 18000: 'PKT' },
  'Asia/Jakarta': { 25200: 'WIB' },
  'Asia/Manila': { 28800: 'PST' },
  'Africa/Johannesburg': { 7200: 'SAST' },
  'Africa/Lagos': { 3600: 'WAT' },
  'Africa/Nairobi': { 10800: 'EAT' },
  'Africa/Cairo': { 7200: 'EET', 10800: 'EEST' },
  'Australia/Sydney': { 36000: 'AEST', 39600: 'AEDT' },
  'Australia/Melbourne': { 36000: 'AEST', 39600: 'AEDT' },
  'Australia/Brisbane': { 36000: 'AEST' },
  'Australia/Perth': { 28800: 'AWST' },
  'Australia/Adelaide': { 34200: 'ACST', 37800: 'ACDT' },
  'Pacific/Auckland': { 43200: 'NZST', 46800: 'NZDT' },
};
const EUROPE: Readonly<Record<number, string>> = { 0: 'GMT', 3600: 'CET', 7200: 'CEST' };
const EUROPE_EAST = new Set(['Europe/Athens', 'Europe/Bucharest', 'Europe/Helsinki', 'Europe/Kiev', 'Europe/Kyiv', 'Europe/Riga', 'Europe/Sofia', 'Europe/Tallinn', 'Europe/Vilnius']);
const EUROPE_WEST = new Set(['Europe/Lisbon', 'Atlantic/Canary', 'Atlantic/Madeira', 'Atlantic/Faroe']);

function tzdataAbbrev(zone: string, offset: number): string {
  const lettered = LETTERED[zone]?.[offset];
  if (lettered) return lettered;
  if (EUROPE_EAST.has(zone) && (offset === 7200 || offset === 10800)) return offset === 7200 ? 'EET' : 'EEST';
  if (EUROPE_WEST.has(zone) && (offset === 0 || offset === 3600)) return offset === 0 ? 'WET' : 'WEST';
  if (zone.startsWith('Europe/') && EUROPE[offset] && zone !== 'Europe/Istanbul' && zone !== 'Europe/Moscow' && zone !== 'Europe/Minsk') return EUROPE[offset];
  const a = Math.abs(offset);
  const hh = String(Math.floor(a / 3600)).padStart(2, '0');
  const mm = Math.floor((a % 3600) / 60);
  return `${offset < 0 ? '-' : '+'}${hh}${mm === 0 ? '' : String(mm).padStart(2, '0')}`;
}

/** time.LoadLocation for IANA names, through Intl; undefined when the zone is unknown. */
export function loadLocation(name: string): Zone | undefined {
  if (name === '' || name === 'UTC') return UTC;
  if (zones.has(name)) return zones.get(name) ?? undefined;
  let zone: Zone | null = null;
  try {
    const fmtOffset = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' });
    const fmtAbbrev = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'short' });
    const offsetAt = (ms: number): number => {
      const off = fmtOffset.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
      // Local mean time is to the second (New York's -4:56:02).
      const m = /GMT([+-])(\d\d):(\d\d)(?::(\d\d))?/.exec(off);
      return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) : 0;
    };
    // tzdata starts every place on its local mean time, LMT, until its first change of offset.
    const lmt = offsetAt(utcMs(1, 0, 1, 0, 0, 0));
    const changed = lmt !== offsetAt(utcMs(2000, 0, 1, 0, 0, 0));
    zone = {
      name,
      at(ms) {
        const offset = offsetAt(ms);
        const abbrev = fmtAbbrev.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
        if (!/^GMT[+-]/.test(abbrev)) return { offset, abbrev };
        return { offset, abbrev: changed && offset === lmt ? 'LMT' : tzdataAbbrev(name, offset) };
      },
    };
  } catch {
    zone = null;
  }
  zones.set(name, zone);
  return zone ?? undefined;
}

function localZone(ctx: { env(name: string): string | undefined }): Zone {
  const tz = ctx.env('TZ');
  if (tz) {
    const z = loadLocation(tz);
    // Go's Local for TZ=UTC is a Location named UTC with no zones of its own.
    if (z) return z.name === tz ? { ...z, name: 'Local', ...(tz === 'UTC' ? { goStruct: '{UTC [] []  0 0 <nil>}' } : {}) } : z;
  }
  return { name: 'Local', at: () => ({ offset: 0, abbrev: 'UTC' }) };
}

/** time.Duration: an int64 of nanoseconds with Go's String(). */
export function durationString(d: bigint): string {
  if (d === 0n) return '0s';
  const neg = d < 0n;
  let u = neg ? -d : d;
  if (u < 1000000000n) {
    let unit: string;
    let prec: number;
    if (u < 1000n) return `${neg ? '-' : ''}${u}ns`;
    if (u < 1000000n) {
      unit = 'µs';
      prec = 3;
    } else {
      unit = 'ms';
      prec = 6;
    }
    return `${neg ? '-' : ''}${fracString(u, prec)}${unit}`;
  }
  let out = '';
  const secs = fracString(u % 60000000000n, 9);
  u /= 60000000000n;
  out = `${secs}s`;
  if (u > 0n) {
    out = `${u % 60n}m${out}`;
    u /= 60n;
    if (u > 0n) out = `${u}h${out}`;
  }
  return (neg ? '-' : '') + out;
}

function fracString(v: bigint, prec: number): string {
  const p = 10n ** BigInt(prec);
  const whole = v / p;
  let frac = (v % p).toString().padStart(prec, '0').replace(/0+$/, '');
  if (frac !== '') frac = `.${frac}`;
  return `${whole}${frac}`;
}

export class GoTime extends GoObject {
  readonly goType = TIME_TYPE;

  constructor(
    /** Milliseconds since the Unix epoch (floor). */
    readonly ms: number,
    /** Nanoseconds within the second, 0–999999999. */
    readonly nsec: number,
    readonly zone: Zone,
    /** time.Now()'s monotonic reading, printed as m=+… by String(). */
    readonly monotonic?: string,
  ) {
    super();
  }

  static fromUnix(sec: bigint, zone: Zone): GoTime {
    return new GoTime(Number(sec) * 1000, 0, zone);
  }

  unix(): bigint {
    return BigInt(Math.floor(this.ms / 1000));
  }

  /** The wall-clock fields in the time's zone. */
  fields(): { year: number; month: number; day: number; hour: number; min: number; sec: number; wday: number; yday: number; offset: number; abbrev: string } {
    const { offset, abbrev } = this.zone.at(this.ms);
    const d = new Date(Math.floor(this.ms / 1000) * 1000 + offset * 1000);
    const start = utcMs(d.getUTCFullYear(), 0, 1, 0, 0, 0);
    const yday = Math.floor((utcMs(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 0, 0, 0) - start) / 86400000) + 1;
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), min: d.getUTCMinutes(), sec: d.getUTCSeconds(), wday: d.getUTCDay(), yday, offset, abbrev };
  }

  format(layout: string): string {
    return formatTime(this, layout);
  }

  override goString(): string {
    let s = this.format('2006-01-02 15:04:05.999999999 -0700 MST');
    if (this.monotonic) s += ` m=${this.monotonic}`;
    return s;
  }

  formatPlain(): string {
    return this.goString();
  }

  /**
   * time.Time's fields wall, ext and loc. Without a monotonic reading, wall holds the
   * nanoseconds and ext the seconds since January 1 of year 1; loc is nil for UTC. Any other
   * zone is a pointer, printed as a memory address, which we cannot know.
   */
  override structFields(): readonly unknown[] {
    if (this.monotonic !== undefined) throw new UnsupportedFormat("a time.Time's fields (its monotonic clock reading)");
    const ext = BigInt(Math.floor(this.ms / 1000)) + 62135596800n;
    const loc = this.zone === UTC ? null : this.zone.goStruct;
    return [new GoInt(T.uint64, BigInt(this.nsec)), new GoInt(T.int64, BigInt.asIntN(64, ext)), new GoPointer(LOCATION_PTR, loc)];
  }

  toJson(): unknown {
    return this.format('2006-01-02T15:04:05.999999999Z07:00');
  }

  in(zone: Zone): GoTime {
    return new GoTime(this.ms, this.nsec, zone);
  }

  add(ns: bigint): GoTime {
    const total = BigInt(Math.floor(this.ms / 1000)) * 1000000000n + BigInt(this.nsec) + ns;
    const sec = total / 1000000000n - (total % 1000000000n < 0n ? 1n : 0n);
    const nsec = Number(total - sec * 1000000000n);
    return new GoTime(Number(sec) * 1000 + Math.floor(nsec / 1000000), nsec, this.zone);
  }

  method(name: string): GoMethod | undefined {
    const f = (): ReturnType<GoTime['fields']> => this.fields();
    switch (name) {
      case 'Format':
        return { params: [T.string], results: [T.string], call: (a) => this.format(a[0] as string) };
      case 'Unix':
        return { params: [], results: [T.int64], call: () => int64(this.unix()) };
      case 'UnixNano':
        return { params: [], results: [T.int64], call: () => int64(this.unix() * 1000000000n + BigInt(this.nsec)) };
      case 'UnixMilli':
        return { params: [], results: [T.int64], call: () => int64(BigInt(this.ms)) };
      case 'UTC':
        return { params: [], results: [TIME_TYPE], call: () => this.in(UTC) };
      case 'Year':
        return { params: [], results: [T.int], call: () => int(f().year) };
      case 'Month':
        return { params: [], results: [MONTH_TYPE], call: () => new GoMonth(f().month) };
      case 'Day':
        return { params: [], results: [T.int], call: () => int(f().day) };
      case 'Hour':
        return { params: [], results: [T.int], call: () => int(f().hour) };
      case 'Minute':
        return { params: [], results: [T.int], call: () => int(f().min) };
      case 'Second':
        return { params: [], results: [T.int], call: () => int(f().sec) };
      case 'Nanosecond':
        return { params: [], results: [T.int], call: () => int(this.nsec) };
      case 'YearDay':
        return { params: [], results: [T.int], call: () => int(f().yday) };
      case 'Weekday':
        return { params: [], results: [WEEKDAY_TYPE], call: () => new GoWeekday(f().wday) };
      case 'String':
        return { params: [], results: [T.string], call: () => this.goString() };
      default:
        return undefined;
    }
  }
}

/** time.Month and time.Weekday: an int that prints its name (and is an int in JSON and %d). */
abstract class GoNamedInt extends GoObject {
  constructor(readonly n: number) {
    super();
  }
  formatPlain(): string {
    return String(this.n);
  }
  toJson(): unknown {
    return int(this.n);
  }
  method(): GoMethod | undefined {
    return undefined;
  }
}

class GoMonth extends GoNamedInt {
  readonly goType = MONTH_TYPE;
  override goString(): string {
    return MONTHS[this.n - 1] ?? `%!Month(${this.n})`;
  }
}

class GoWeekday extends GoNamedInt {
  readonly goType = WEEKDAY_TYPE;
  override goString(): string {
    return DAYS[this.n]!;
  }
}

/** Go's layout elements, longest first where one is a prefix of another. */
const ELEMENTS = [
  'January', 'Jan', 'Monday', 'Mon', 'MST',
  '2006', '06', '01', '002', '__2', '_2', '02', '15', '03', '04', '05',
  'Z07:00:00', 'Z070000', 'Z07:00', 'Z0700', 'Z07',
  '-07:00:00', '-070000', '-07:00', '-0700', '-07',
  'PM', 'pm', '1', '2', '3', '4', '5',
];

interface Chunk {
  readonly lit?: string;
  readonly el?: string;
  /** Fractional seconds: digits and whether trailing zeros are trimmed (9s). */
  readonly frac?: { n: number; trim: boolean; sep: string };
}

function layoutChunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let lit = '';
  let i = 0;
  const flush = (): void => {
    if (lit) out.push({ lit });
    lit = '';
  };
  while (i < layout.length) {
    const c = layout[i]!;
    if ((c === '.' || c === ',') && /[09]/.test(layout[i + 1] ?? '')) {
      const digit = layout[i + 1]!;
      let j = i + 1;
      while (layout[j] === digit) j++;
      if (!/[0-9]/.test(layout[j] ?? '')) {
        // Go only treats it as fractional seconds right after a seconds element.
        const prev = out[out.length - 1];
        if (lit === '' && prev?.el && ['05', '5'].includes(prev.el)) {
          flush();
          out.push({ frac: { n: j - i - 1, trim: digit === '9', sep: c } });
          i = j;
          continue;
        }
      }
    }
    const el = ELEMENTS.find((e) => layout.startsWith(e, i));
    if (el) {
      // "Jan" only when not followed by a lower-case letter ("January" handled first); Mon likewise.
      if ((el === 'Mon' || el === 'MST') && /[a-z]/.test(layout[i + el.length] ?? '')) {
        lit += c;
        i++;
        continue;
      }
      flush();
      out.push({ el });
      i += el.length;
      continue;
    }
    lit += c;
    i++;
  }
  flush();
  return out;
}

const pad = (n: number, w: number, ch = '0'): string => String(n).padStart(w, ch);

function formatTime(t: GoTime, layout: string): string {
  const f = t.fields();
  let out = '';
  for (const c of layoutChunks(layout)) {
    if (c.lit !== undefined) {
      out += c.lit;
      continue;
    }
    if (c.frac) {
      let digits = pad(t.nsec, 9).slice(0, c.frac.n);
      if (c.frac.trim) digits = digits.replace(/0+$/, '');
      if (digits !== '' || !c.frac.trim) out += c.frac.sep + digits;
      continue;
    }
    const offMin = Math.round(f.offset / 60);
    const sign = offMin < 0 ? '-' : '+';
    const oh = pad(Math.floor(Math.abs(offMin) / 60), 2);
    const om = pad(Math.abs(offMin) % 60, 2);
    const os = pad(Math.abs(f.offset) % 60, 2);
    switch (c.el) {
      case '2006':
        out += pad(f.year, 4);
        break;
      case '06':
        out += pad(f.year % 100, 2);
        break;
      case 'January':
        out += MONTHS[f.month - 1];
        break;
      case 'Jan':
        out += MONTHS[f.month - 1]!.slice(0, 3);
        break;
      case '01':
        out += pad(f.month, 2);
        break;
      case '1':
        out += String(f.month);
        break;
      case 'Monday':
        out += DAYS[f.wday];
        break;
      case 'Mon':
        out += DAYS[f.wday]!.slice(0, 3);
        break;
      case '02':
        out += pad(f.day, 2);
        break;
      case '_2':
        out += pad(f.day, 2, ' ');
        break;
      case '2':
        out += String(f.day);
        break;
      case '002':
        out += pad(f.yday, 3);
        break;
      case '__2':
        out += pad(f.yday, 3, ' ');
        break;
      case '15':
        out += pad(f.hour, 2);
        break;
      case '03':
        out += pad(f.hour % 12 === 0 ? 12 : f.hour % 12, 2);
        break;
      case '3':
        out += String(f.hour % 12 === 0 ? 12 : f.hour % 12);
        break;
      case '04':
        out += pad(f.min, 2);
        break;
      case '4':
        out += String(f.min);
        break;
      case '05':
        out += pad(f.sec, 2);
        break;
      case '5':
        out += String(f.sec);
        break;
      case 'PM':
        out += f.hour >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += f.hour >= 12 ? 'pm' : 'am';
        break;
      case 'MST':
        // A zone without a name (a parsed numeric offset) prints its offset, as Go does.
        out += f.abbrev !== '' ? f.abbrev : `${sign}${oh}${om}`;
        break;
      default: {
        const el = c.el!;
        if (el.startsWith('Z') && f.offset === 0) {
          out += 'Z';
          break;
        }
        const body = el.replace(/^[Z-]/, '');
        out += sign;
        if (body === '07') out += oh;
        else if (body === '0700') out += oh + om;
        else if (body === '07:00') out += `${oh}:${om}`;
        else if (body === '070000') out += oh + om + os;
        else out += `${oh}:${om}:${os}`;
      }
    }
  }
  return out;
}

/**
 * time's `skip`: the layout's literal text against the value, byte by byte; a space in
 * the layout takes any run of spaces in the value (none too). On a mismatch Go's error shows the
 * value from the first character that differed, not from the start of the literal.
 */
function skipLiteral(value: string, lit: string): { rest: string; bad: boolean } {
  // Byte by byte, as Go compares: a literal can match half of a character in the value.
  const vb = utf8Encode(value);
  const lb = utf8Encode(lit);
  let v = 0;
  let l = 0;
  const spaces = (t: Uint8Array, i: number): number => {
    while (t[i] === 32) i++;
    return i;
  };
  const rest = (): string => (v === 0 ? value : utf8Decode(vb.subarray(v)));
  while (l < lb.length) {
    if (lb[l] === 32) {
      if (v < vb.length && vb[v] !== 32) return { rest: rest(), bad: true };
      l = spaces(lb, l);
      v = spaces(vb, v);
      continue;
    }
    if (v >= vb.length || vb[v] !== lb[l]) return { rest: rest(), bad: true };
    l++;
    v++;
  }
  return { rest: rest(), bad: false };
}

/** Days in a month of the proleptic Gregorian calendar. */
function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** time.FixedZone: one offset, and the name as its abbreviation. */
function fixedZone(name: string, offset: number): Zone {
  return { name, at: () => ({ offset, abbrev: name }) };
}

/**
 * How much of `s` Go's time parser takes as a zone abbreviation (0: none): 3 capitals, 4 or 5
 * ending in T (or WITA), ChST and MeST, GMT with an optional signed hour, or a bare signed hour.
 */
function zoneNameLength(s: string): number {
  if (s.length < 3) return 0;
  if (s.startsWith('ChST') || s.startsWith('MeST')) return 4;
  const signedHour = (t: string): number => {
    const m = /^[+-](\d+)/.exec(t);
    return m && m[1]!.length <= 19 && Number(m[1]) <= 23 ? m[0].length : 0;
  };
  if (s.startsWith('GMT')) return 3 + (s.length === 3 ? 0 : signedHour(s.slice(3)));
  if (s[0] === '+' || s[0] === '-') return signedHour(s);
  const upper = /^[A-Z]{0,6}/.exec(s)![0].length;
  if (upper === 3) return 3;
  if (upper === 4 && (s[3] === 'T' || s.startsWith('WITA'))) return 4;
  if (upper === 5 && s[4] === 'T') return 5;
  return 0;
}

/**
 * Location.lookupName for a zone we know only by instant: the offset of a period called `name`,
 * preferring one in effect at `wall`. We look at that instant and at midwinter and midsummer of
 * its year, which finds the standard and daylight names tzdata would list.
 */
function offsetOfName(zone: Zone, name: string, wall: number): number | undefined {
  const year = new Date(wall).getUTCFullYear();
  const probes = [wall, utcMs(year, 0, 1, 0, 0, 0), utcMs(year, 6, 1, 0, 0, 0)].map((ms) => zone.at(ms));
  for (const p of probes) if (p.abbrev === name && zone.at(wall - p.offset * 1000).abbrev === name) return p.offset;
  return probes.find((p) => p.abbrev === name)?.offset;
}

/** time.ParseInLocation for the layout elements above; errors carry Go's text. */
export function parseTime(layout: string, value: string, zone: Zone): GoTime {
  const fail = (elem: string, rest: string): never => {
    throw new GoError(`parsing time ${quote(value)} as ${quote(layout)}: cannot parse ${quote(rest)} as ${quote(elem)}`);
  };
  const outOfRange = (what: string): never => {
    throw new GoError(`parsing time ${quote(value)}: ${what} out of range`);
  };
  // Go starts from year 0: a layout without a year parses into 0000 (a leap year).
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pm: boolean | undefined;
  let offset: number | undefined;
  // A `Z` for an ISO 8601 zone, or UTC for MST, is time.UTC itself, ahead of any other zone.
  let utc = false;
  let zoneName = '';
  let rest = value;
  const num = (elem: string, min: number, max: number): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(rest);
    if (!m) fail(elem, rest);
    rest = rest.slice(m![0].length);
    return Number(m![0]);
  };
  const chunks = layoutChunks(layout);
  for (let ci = 0; ci < chunks.length; ci++) {
    const c = chunks[ci]!;
    if (c.lit !== undefined) {
      const after = skipLiteral(rest, c.lit);
      if (after.bad) fail(c.lit, after.rest);
      rest = after.rest;
      continue;
    }
    if (c.frac) {
      const m = /^[.,](\d+)/.exec(rest);
      if (m) {
        nsec = Number(m[1]!.padEnd(9, '0').slice(0, 9));
        rest = rest.slice(m[0].length);
      } else if (!c.frac.trim) fail(`.${'0'.repeat(c.frac.n)}`, rest);
      continue;
    }
    const el = c.el!;
    switch (el) {
      case '2006':
        year = num(el, 4, 4);
        break;
      case '06':
        year = num(el, 2, 2);
        year += year >= 69 ? 1900 : 2000;
        break;
      case 'January':
      case 'Jan': {
        const i = MONTHS.findIndex((mn) => rest.toLowerCase().startsWith((el === 'Jan' ? mn.slice(0, 3) : mn).toLowerCase()));
        if (i < 0) fail(el, rest);
        month = i + 1;
        rest = rest.slice(el === 'Jan' ? 3 : MONTHS[i]!.length);
        break;
      }
      case 'Monday':
      case 'Mon': {
        const i = DAYS.findIndex((dn) => rest.toLowerCase().startsWith((el === 'Mon' ? dn.slice(0, 3) : dn).toLowerCase()));
        if (i < 0) fail(el, rest);
        rest = rest.slice(el === 'Mon' ? 3 : DAYS[i]!.length);
        break;
      }
      case '01':
      case '1':
        month = num(el, el === '01' ? 2 : 1, 2);
        if (month < 1 || month > 12) outOfRange('month');
        break;
      case '02':
      case '2':
      case '_2':
        if (el === '_2' && rest.startsWith(' ')) rest = rest.slice(1);
        day = num(el, el === '02' ? 2 : 1, 2);
        break;
      case '002':
      case '__2':
        num(el, 3, 3);
        break;
      case '15':
        hour = num(el, 1, 2);
        if (hour >= 24) outOfRange('hour');
        break;
      case '03':
      case '3':
        hour = num(el, el === '03' ? 2 : 1, 2);
        if (hour > 12) outOfRange('hour');
        break;
      case '04':
      case '4':
        min = num(el, el === '04' ? 2 : 1, 2);
        if (min >= 60) outOfRange('minute');
        break;
      case '05':
      case '5': {
        sec = num(el, el === '05' ? 2 : 1, 2);
        if (sec >= 60) outOfRange('second');
        // Go takes fractional seconds the layout does not have, unless its next element is one.
        const frac = /^[.,](\d+)/.exec(rest);
        const next = chunks.slice(ci + 1).find((x) => x.lit === undefined);
        if (frac && !next?.frac) {
          nsec = Number(frac[1]!.slice(0, 9).padEnd(9, '0'));
          rest = rest.slice(frac[0].length);
        }
        break;
      }
      case 'PM':
      case 'pm': {
        const m = /^(AM|PM|am|pm)/.exec(rest);
        if (!m) fail(el, rest);
        pm = m![1]!.toUpperCase() === 'PM';
        rest = rest.slice(2);
        break;
      }
      case 'MST': {
        if (rest.startsWith('UTC')) {
          utc = true;
          rest = rest.slice(3);
          break;
        }
        const n = zoneNameLength(rest);
        if (n === 0) fail(el, rest);
        zoneName = rest.slice(0, n);
        rest = rest.slice(n);
        break;
      }
      default: {
        if (el.startsWith('Z') && rest.startsWith('Z')) {
          utc = true;
          rest = rest.slice(1);
          break;
        }
        const m = /^([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?/.exec(rest);
        if (!m) fail(el, rest);
        offset = (m![1] === '-' ? -1 : 1) * (Number(m![2]) * 3600 + Number(m![3] ?? 0) * 60 + Number(m![4] ?? 0));
        rest = rest.slice(m![0].length);
      }
    }
  }
  if (rest !== '') throw new GoError(`parsing time ${quote(value)}: extra text: ${quote(rest)}`);
  if (day < 1 || day > daysIn(month, year)) outOfRange('day');
  if (pm !== undefined) {
    if (pm && hour < 12) hour += 12;
    else if (!pm && hour === 12) hour = 0;
  }
  const wall = utcMs(year, month - 1, day, hour, min, sec);
  let ms: number;
  let z = zone;
  if (utc) {
    ms = wall;
    z = UTC;
  } else if (offset !== undefined) {
    // The local zone if it had this offset (and name) then; otherwise a made-up fixed zone.
    ms = wall - offset * 1000;
    const here = zone.at(ms);
    if (here.offset !== offset || (zoneName !== '' && here.abbrev !== zoneName)) z = fixedZone(zoneName, offset);
  } else if (zoneName !== '') {
    const known = offsetOfName(zone, zoneName, wall);
    if (known !== undefined) ms = wall - known * 1000;
    else {
      // An unknown name keeps the clock reading as UTC, shown under that name (GMT+3 shifts it).
      ms = wall;
      z = fixedZone(zoneName, zoneName.length > 3 && zoneName.startsWith('GMT') ? Number(zoneName.slice(3)) * 3600 : 0);
    }
  } else {
    ms = wall - zone.at(wall).offset * 1000;
  }
  return new GoTime(ms + Math.floor(nsec / 1000000), nsec, z);
}

function now(ctx: CallContext): GoTime {
  const d = ctx.now();
  const ms = d.getTime();
  return new GoTime(ms, (((ms % 1000) + 1000) % 1000) * 1000000, localZone(ctx), '+0.000000001');
}

/** The date argument sprig accepts: time.Time, or int/int64/int32 seconds; anything else means now. */
function toTime(v: unknown, ctx: CallContext, allowInt32: boolean): GoTime {
  if (v instanceof GoTime) return v;
  if (v instanceof GoInt && (v.type.kind === 'int' || v.type.kind === 'int64' || (allowInt32 && v.type.kind === 'int32'))) return GoTime.fromUnix(v.v, localZone(ctx));
  return now(ctx);
}

function dateInZone(layout: string, date: unknown, zone: string, ctx: CallContext): string {
  const t = toTime(date, ctx, true);
  const loc = zone === 'Local' ? localZone(ctx) : (loadLocation(zone) ?? UTC);
  return t.in(loc).format(layout);
}

function parseDuration(s: string): bigint | undefined {
  const r = parseGoDuration(s);
  return r.ok ? r.nanoseconds : undefined;
}

/** mustDateModify's duration: Go's error text when it does not parse. */
function mustParseDuration(s: string): bigint {
  const r = parseGoDuration(s);
  if (!r.ok) throw new GoError(r.error);
  return r.nanoseconds;
}

function durationRound(v: unknown, ctx: CallContext): string {
  let d = 0n;
  if (typeof v === 'string') d = parseDuration(v) ?? 0n;
  else if (v instanceof GoInt && v.type.kind === 'int64') d = v.v;
  else if (v instanceof GoTime) d = BigInt(Math.round((ctx.now().getTime() - v.ms) * 1e6));
  let u = d < 0n ? -d : d;
  u = BigInt.asUintN(64, u);
  const second = 1000000000n;
  const minute = 60n * second;
  const hour = 60n * minute;
  const day = 24n * hour;
  const month = 30n * day;
  const year = 365n * day;
  if (u > year) return `${u / year}y`;
  if (u > month) return `${u / month}mo`;
  if (u > day) return `${u / day}d`;
  if (u > hour) return `${u / hour}h`;
  if (u > minute) return `${u / minute}m`;
  if (u > second) return `${u / second}s`;
  return '0s';
}

export const TIME_FUNCS: Record<string, FuncDef> = {
  now: fn('', 'time.Time', (_a, ctx) => now(ctx)),
  date: fn('string, interface {}', 'string', (a, ctx) => dateInZone(a[0] as string, a[1], 'Local', ctx)),
  date_in_zone: fn('string, interface {}, string', 'string', (a, ctx) => dateInZone(a[0] as string, a[1], a[2] as string, ctx)),
  dateInZone: fn('string, interface {}, string', 'string', (a, ctx) => dateInZone(a[0] as string, a[1], a[2] as string, ctx)),
  htmlDate: fn('interface {}', 'string', (a, ctx) => dateInZone('2006-01-02', a[0], 'Local', ctx)),
  htmlDateInZone: fn('interface {}, string', 'string', (a, ctx) => dateInZone('2006-01-02', a[0], a[1] as string, ctx)),
  dateModify: fn('string, time.Time', 'time.Time', (a) => {
    const d = parseDuration(a[0] as string);
    return d === undefined ? a[1] : (a[1] as GoTime).add(d);
  }),
  date_modify: fn('string, time.Time', 'time.Time', (a) => {
    const d = parseDuration(a[0] as string);
    return d === undefined ? a[1] : (a[1] as GoTime).add(d);
  }),
  mustDateModify: fn('string, time.Time', 'time.Time', (a) => {
    return (a[1] as GoTime).add(mustParseDuration(a[0] as string));
  }),
  must_date_modify: fn('string, time.Time', 'time.Time', (a) => {
    return (a[1] as GoTime).add(mustParseDuration(a[0] as string));
  }),
  ago: fn('interface {}', 'string', (a, ctx) => {
    const t = toTime(a[0], ctx, false);
    const ns = BigInt(Math.round((ctx.now().getTime() - t.ms) / 1000)) * 1000000000n;
    return durationString(ns);
  }),
  duration: fn('interface {}', 'string', (a) => {
    const v = a[0];
    let n = 0n;
    if (typeof v === 'string') {
      n = /^[+-]?\d+$/.test(v) ? BigInt(v) : 0n;
      if (n >= 2n ** 63n || n < -(2n ** 63n)) n = 0n;
    } else if (v instanceof GoInt && v.type.kind === 'int64') n = v.v;
    return durationString(BigInt.asIntN(64, n * 1000000000n));
  }),
  durationRound: fn('interface {}', 'string', (a, ctx) => durationRound(a[0], ctx)),
  toDate: fn('string, string', 'time.Time', (a, ctx) => {
    try {
      return parseTime(a[0] as string, a[1] as string, localZone(ctx));
    } catch (e) {
      if (e instanceof GoError) return new GoTime(utcMs(1, 0, 1, 0, 0, 0), 0, UTC);
      throw e;
    }
  }),
  mustToDate: fn('string, string', 'time.Time', (a, ctx) => parseTime(a[0] as string, a[1] as string, localZone(ctx))),
  unixEpoch: fn('time.Time', 'string', (a) => (a[0] as GoTime).unix().toString()),
};

/** Date.UTC without its mapping of years 0–99 to 1900–1999. */
function utcMs(year: number, month: number, day: number, hour: number, min: number, sec: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  d.setUTCHours(hour, min, sec, 0);
  return d.getTime();
}

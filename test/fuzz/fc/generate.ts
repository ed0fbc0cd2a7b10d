/**
 * Random Flexible Configuration projects for the differential against the real KrakenD: settings
 * files with nested data, partials, sub-templates, and a main template whose actions call every
 * builtin and sprig function KrakenD 2.13.8 has, with every control structure and printf verb.
 * Arguments are drawn from each function's Go signature most of the time (so most calls run and
 * their output is compared) and from anything at all the rest of the time (so Go's argument
 * errors are compared too). A few projects are broken on purpose: syntax, execution and settings
 * errors.
 *
 * The project is plain data (file paths to texts, plus the FC_* folders and environment), so the
 * same value is written to disk for KrakenD and handed to our renderer through in-memory readers.
 */
import { krakendFunctions } from '../../../server/src/core/template/functions';
import type { FuncDef } from '../../../server/src/core/template/funcs';
import type { GoType } from '../../../server/src/core/template/value';
import { Rng } from '../random';

export interface FcProject {
  /** Relative path → text (UTF-8). */
  readonly files: Readonly<Record<string, string>>;
  readonly main: string;
  readonly folders: { readonly settings?: string; readonly partials?: string; readonly templates?: string };
  /** Environment both renderers see (env, expandenv, the Local zone). */
  readonly env: Readonly<Record<string, string>>;
  /** What the generator meant: 'valid' projects may still fail, 'broken' ones are meant to. */
  readonly intent: 'valid' | 'broken';
}

const FUNCS = krakendFunctions().funcs;

/**
 * Functions whose result changes from run to run (randomness, the clock, key generation): their
 * output is compared through `len`, which does not change. The unsupported ones (certificates,
 * bcrypt, DNS) are refused by KrakenD Live by design and are left out.
 */
const UNSTABLE = new Set(['randAlpha', 'randAlphaNum', 'randAscii', 'randNumeric', 'randBytes', 'uuidv4', 'shuffle', 'now', 'encryptAES', 'randInt', 'ago']);
/** Functions that return a map's keys or values in Go's random map order: compared sorted. */
const MAP_ORDER = new Set(['keys', 'values']);
/** `fail` always fails and `include`/`env` need arguments from the project; they get their own cases. */
const SPECIAL = new Set(['fail', 'include', 'env', 'expandenv', 'call', 'hello']);

/** Every function the generator calls, in a fixed order (the seed reproduces a run only if it is fixed). */
export const CALLED_FUNCTIONS: readonly string[] = [...FUNCS.keys()].filter((n) => !FUNCS.get(n)!.unsupported).sort();

const STRINGS = [
  '', 'a', 'abc', 'hello world', 'Hello World', 'héllo wörld', '日本語のテキスト', '\ufeffbom', '😀 smile', 'a😀b', 'ǅemo', 'ßtraße', 'İstanbul', 'ﬁne',
  'a,b,c', ',', ' ', '  padded  ', '\tTab\n', 'line1\nline2', 'snake_case_name', 'camelCaseName', 'kebab-case-name', 'Title Case Words', 'ALL CAPS',
  '%s %d %v', '%', '-1', '0', '3', '42', '1.5', '-2.5e3', '1e400', '9223372036854775808', '0x1F', 'true', 'null', '[1,2,"x"]', '{"a":1,"b":[true,null]}',
  '{"n":1e400}', '{"big":12345678901234567890}', '[', 'http://example.com/a b?q=1&r=é#frag', 'https://üser:p@ss@exämple.com:8080/p/ä?x=1', 'mailto:a@b.c', '//host/p',
  '/a/b/../c.txt', 'a/b/', '.', '..', 'C:\\dir\\f.txt', '2024-03-05', '2024-03-05T14:07:09Z', '1h30m', '-90s', '1.2.3', '>=1.0.0', '^2.x', 'v1.2.3-beta.1+b5',
  '[a-z]+', '(', 'a|b', '\\d+', '(?i)HELLO', 'x*', '^$', 'aGVsbG8=', 'NBSWY3DP', '!!!', 'UTC', 'America/New_York', 'Asia/Kolkata', 'Nope/Zone',
  '<b>&"\'</b>', 'a\u0000b', '\u2028', 'ABCdef123', 'The quick brown fox jumps over the lazy dog', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
];
/** Go string literals that hold invalid UTF-8 (only reachable through `\x` escapes). */
const RAW_LITERALS = ['"\\xff"', '"a\\xe6\\x97"', '"\\xc3(x"', '"\\xf0\\x9f\\x98"', '"é\\x80"', '"\\xed\\xa0\\x80"'];
const INTS = ['0', '1', '2', '3', '5', '7', '10', '-1', '-2', '-7', '100', '255', '256', '-128', '65535', '2147483647', '-2147483648', '4294967296', '9223372036854775807', '-9223372036854775808', '0x1F', '0o17', '0b101', '1_000', "'a'", "'é'"];
const FLOATS = ['0.0', '1.5', '-2.5', '0.1', '3.14159', '1e3', '1e21', '1e-7', '-0.0', '2.5e-10', '123456789.125', '1e308', '0.5', '-1.5', '9007199254740993.0'];
const VERBS = ['v', '+v', '#v', 'T', 'd', 's', 'q', '#q', 'x', 'X', '#x', 'o', 'O', 'b', 'e', 'E', 'f', 'F', 'g', 'G', 't', 'c', 'U', '#U', '%'];
const FLAGS = ['', '', '', '+', '-', '#', '0', ' ', '-0', '+ '];
const WIDTHS = ['', '', '', '5', '12', '.2', '8.3', '.0', '*', '.*'];
/**
 * What the `interface {}` parameters of a function usually get, so most calls run: L a list,
 * M a map, N a number, C a list, map or string, T a time, D a duration, A anything. The last
 * letter repeats for the rest.
 */
const HINTS: Readonly<Record<string, string>> = {
  len: 'C', first: 'L', mustFirst: 'L', last: 'L', mustLast: 'L', rest: 'L', mustRest: 'L', initial: 'L', mustInitial: 'L', reverse: 'L', mustReverse: 'L',
  compact: 'L', mustCompact: 'L', uniq: 'L', mustUniq: 'L', without: 'LA', mustWithout: 'LA', has: 'AL', mustHas: 'AL', append: 'LA', push: 'LA',
  mustAppend: 'LA', mustPush: 'LA', prepend: 'LA', mustPrepend: 'LA', chunk: 'L', mustChunk: 'L', slice: 'LN', mustSlice: 'LN', concat: 'L', sortAlpha: 'L', join: 'L',
  add1: 'N', add: 'N', sub: 'N', div: 'N', mod: 'N', mul: 'N', addf: 'N', add1f: 'N', subf: 'N', divf: 'N', mulf: 'N', biggest: 'N', max: 'N', min: 'N',
  maxf: 'N', minf: 'N', ceil: 'N', floor: 'N', round: 'N', int: 'N', int64: 'N', float64: 'N', toDecimal: 'N', seq: 'N',
  date: 'T', dateInZone: 'T', date_in_zone: 'T', htmlDate: 'T', htmlDateInZone: 'T', duration: 'D', durationRound: 'D', ago: 'T', urlJoin: 'M',
};
/** Functions whose int parameters are counts or sizes: huge ones would make Go allocate gigabytes. */
const COUNTS = new Set(['repeat', 'until', 'untilStep', 'seq', 'indent', 'nindent', 'randAlpha', 'randAlphaNum', 'randAscii', 'randNumeric', 'randBytes', 'chunk', 'mustChunk', 'wrap', 'wrapWith', 'randInt']);
/**
 * Unix seconds for times: years past ±275,000 (int64's extremes) are beyond JavaScript's Date,
 * where Go wraps its internal clock; KrakenD Live does not model that.
 */
const TIME_INTS = ['0', '1', '-1', '86400', '1700000000', '-62135596800', '253402300799', '0x7fffffff'];
const SMALL_INTS = ['0', '1', '2', '3', '4', '-1', '-3', '10', '0x3'];

const TIME_LAYOUTS = ['"2006-01-02"', '"2006-01-02T15:04:05Z07:00"', '"Jan 2, 2006 at 3:04pm (MST)"', '"Monday 02/01/06 15:04:05.000 -0700"', '""', '"15:04:05.999999999"'];

function goQuote(s: string): string {
  // JSON's escapes are Go's too, save for lone surrogates, which the pool never holds.
  return JSON.stringify(s);
}

/** A path to data in the settings, with what is there. */
interface DataPath {
  readonly expr: string;
  readonly value: unknown;
}

class Gen {
  private readonly paths: DataPath[] = [];
  private readonly partials: string[] = [];
  private readonly subTemplates: string[] = [];
  private vars: string[] = [];
  private depth = 0;
  /** How often an argument is drawn from anything rather than from the parameter's type. */
  private wild: number;

  constructor(private readonly rng: Rng) {
    this.wild = rng.pick([0, 0.01, 0.03, 0.1]);
  }

  // ---- settings data ----

  private key(): string {
    const r = this.rng;
    return r.weighted<() => string>([
      [8, () => r.pick(['name', 'port', 'host', 'list', 'items', 'nested', 'value', 'x', 'flag', 'ratio', 'big', 'neg', 'empty', 'nil', 'text', 'url'])],
      [2, () => `k${r.int(50)}`],
      [1, () => r.pick(['héllo', 'with space', 'with-dash', '3rd', '', 'a.b', '日本', '__proto__', 'constructor'])],
    ])();
  }

  private jsonNumber(): string {
    return this.rng.pick(['0', '1', '-1', '42', '8080', '1000000', '1.5', '-0.25', '1e3', '1E-3', '12345678901234567890', '-9223372036854775808', '9007199254740993', '1e21', '1e20', '0.1', '100000000000000000000000', '3.0', '-0', '5e-324', '1.7976931348623157e308', '2.5e-8', '123456.789']);
  }

  private jsonString(): string {
    const r = this.rng;
    return r.weighted<() => string>([
      [6, () => goQuote(r.pick(STRINGS))],
      [2, () => r.pick(['"\\u00e9t\\u00e9"', '"\\ud83d\\ude00"', '"tab\\there"', '"quote\\"d"', '"back\\\\slash"', '"\\/slash"', '"\\u0000nul"', '"\\ufeffbom"', '"\\ud800lone"', '"\\u2028"', '"<&>"'])],
    ])();
  }

  /** A JSON value as text, and the paths it adds under `prefix`. */
  private jsonValue(prefix: string, level: number, goPath: boolean): string {
    const r = this.rng;
    const kind = level > 3 ? r.pick(['n', 's', 'b', 'z']) : r.weighted([[3, 'n'], [3, 's'], [1, 'b'], [1, 'z'], [2, 'l'], [2, 'm']] as const);
    let text: string;
    switch (kind) {
      case 'n':
        text = this.jsonNumber();
        break;
      case 's':
        text = this.jsonString();
        break;
      case 'b':
        text = r.pick(['true', 'false']);
        break;
      case 'z':
        text = 'null';
        break;
      case 'l': {
        const n = r.pick([0, 1, 2, 3, 5]);
        const items: string[] = [];
        for (let i = 0; i < n; i++) items.push(this.jsonValue(`(index ${prefix} ${i})`, level + 1, false));
        text = `[${items.join(', ')}]`;
        break;
      }
      default: {
        const n = r.pick([0, 1, 2, 3, 4]);
        const seen = new Set<string>();
        const props: string[] = [];
        for (let i = 0; i < n; i++) {
          const k = this.key();
          if (seen.has(k)) continue;
          seen.add(k);
          const ident = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k);
          const sub = goPath && ident ? `${prefix}.${k}` : `(index ${prefix} ${goQuote(k)})`;
          props.push(`${goQuote(k)}: ${this.jsonValue(sub, level + 1, goPath && ident)}`);
        }
        text = `{${props.join(', ')}}`;
      }
    }
    this.paths.push({ expr: prefix, value: kind });
    return text;
  }

  settingsFile(name: string): string {
    const r = this.rng;
    const n = r.range(1, 6);
    const props: string[] = [];
    const seen = new Set<string>();
    const ident = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
    const top = ident ? `$.${name}` : `(index $ ${goQuote(name)})`;
    this.paths.push({ expr: top, value: 'm' });
    for (let i = 0; i < n; i++) {
      const k = this.key();
      if (seen.has(k)) continue;
      seen.add(k);
      const kIdent = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k);
      const sub = ident && kIdent ? `${top}.${k}` : `(index ${top} ${goQuote(k)})`;
      props.push(`  ${goQuote(k)}: ${this.jsonValue(sub, 1, ident && kIdent)}`);
    }
    return `{\n${props.join(',\n')}\n}\n`;
  }

  addPartial(name: string): void {
    this.partials.push(name);
  }

  addSubTemplate(name: string): void {
    this.subTemplates.push(name);
  }

  // ---- template expressions ----

  /** A path into the settings, of a kind (n, s, b, z, l, m) when asked and there is one. */
  private dataRef(kind?: string): string {
    if (this.paths.length === 0 || this.rng.chance(0.05)) return this.rng.pick(['.', '$.nope', '$.nope.deeper', '$']);
    const fit = kind === undefined ? this.paths : this.paths.filter((p) => kind.includes(p.value as string));
    return this.rng.pick(fit.length > 0 ? fit : this.paths).expr;
  }

  /** An argument following a HINTS letter. */
  private hinted(h: string): string {
    const r = this.rng;
    switch (h) {
      case 'L':
        return this.listArg();
      case 'M':
        return this.mapArg();
      case 'N':
        return r.weighted<() => string>([[4, () => r.pick(INTS)], [3, () => r.pick(FLOATS)], [2, () => this.dataRef('n')], [1, () => goQuote(r.pick(['3', '-2', '1.5', '', 'x', '0x10']))], [1, () => 'nil']])();
      case 'C':
        return r.weighted<() => string>([[3, () => this.listArg()], [2, () => this.mapArg()], [2, () => this.stringArg()], [1, () => this.dataRef()]])();
      case 'T':
        return r.weighted<() => string>([[3, () => this.timeArg()], [1, () => r.pick(TIME_INTS)], [1, () => `(int64 ${r.pick(TIME_INTS)})`], [1, () => goQuote(r.pick(STRINGS))], [1, () => this.dataRef('sbz')]])();
      case 'D':
        return r.weighted<() => string>([[2, () => r.pick(INTS)], [2, () => goQuote(r.pick(['1h30m', '-90s', '1.5h', '0', 'x', '300ms', '2562047h']))], [1, () => this.leaf()]])();
      default:
        return this.anyArg();
    }
  }

  private stringArg(): string {
    const r = this.rng;
    return r.weighted<() => string>([
      [10, () => goQuote(r.pick(STRINGS))],
      [1, () => r.pick(RAW_LITERALS)],
      [1, () => r.pick(['`raw`', '`a\\nb`', '`é{x}`', '``'])],
      [3, () => `(toString ${this.dataRef()})`],
      [2, () => this.call(r.pick(['upper', 'substr', 'trunc', 'repeat', 'b64dec', 'toJson', 'join', 'printf', 'title', 'abbrev', 'replace', 'quote', 'cat', 'nospace', 'trim']), 'string')],
    ])();
  }

  private intArg(): string {
    const r = this.rng;
    return r.weighted<() => string>([
      [10, () => r.pick(INTS)],
      [2, () => `(len ${this.anyArg()})`],
      [1, () => `(int ${this.anyArg()})`],
      [1, () => `(atoi ${goQuote(r.pick(STRINGS))})`],
    ])();
  }

  private floatArg(): string {
    return this.rng.weighted<() => string>([
      [6, () => this.rng.pick(FLOATS)],
      [1, () => `(float64 ${this.anyArg()})`],
      [1, () => this.dataRef('n')],
    ])();
  }

  private listArg(): string {
    const r = this.rng;
    return r.weighted<() => string>([
      [4, () => `(list${this.args(r.pick([0, 1, 2, 3, 4]))})`],
      [2, () => this.dataRef('l')],
      [1, () => `(splitList ${goQuote(r.pick([',', ' ', '']))} ${goQuote(r.pick(STRINGS))})`],
      [1, () => `(until ${r.pick(['0', '3', '-2', '5'])})`],
      [1, () => `(${r.pick(['compact', 'uniq', 'reverse', 'rest', 'initial', 'sortAlpha'])} ${this.listLiteral()})`],
      [1, () => `(sortAlpha (${r.pick(['keys', 'values'])} ${this.mapArg()}))`],
      [1, () => 'nil'],
    ])();
  }

  private listLiteral(): string {
    return `(list${this.args(this.rng.pick([0, 1, 2, 3]))})`;
  }

  private mapArg(): string {
    const r = this.rng;
    return r.weighted<() => string>([
      [4, () => `(dict${Array.from({ length: r.pick([0, 1, 2, 3]) }, () => ` ${goQuote(r.pick(['a', 'b', 'c', 'é', '', 'name']))}${this.args(1)}`).join('')})`],
      [3, () => this.dataRef('m')],
      [1, () => `(urlParse ${goQuote(r.pick(STRINGS))})`],
      [1, () => `(fromJson ${goQuote(r.pick(['{"a":1}', '{"a":{"b":[1,2]}}', '{}', 'null', '{"n":1e400}']))})`],
      [1, () => '.'],
    ])();
  }

  private timeArg(): string {
    const r = this.rng;
    return r.weighted<() => string>([
      [3, () => `(toDate ${r.pick(TIME_LAYOUTS)} ${goQuote(r.pick(['2024-03-05', '2024-03-05T14:07:09Z', '2024-03-05T14:07:09+05:30', '1999-12-31T23:59:59.123456789-08:00', 'bad']))})`],
      [1, () => `(dateModify ${goQuote(r.pick(['1h', '-30m', '24h', 'x', '1.5h']))} (toDate "2006-01-02" "2020-02-29"))`],
    ])();
  }

  /** An argument of the given Go type (or, now and then, of any type); `hint` for `interface {}`. */
  argOf(t: GoType, hint?: string, count?: boolean): string {
    if (this.rng.chance(this.wild) || this.depth > 3) return this.depth > 3 ? this.leaf() : this.anyArg();
    if (hint && (t.kind === 'interface' || t.kind === 'struct') && t.name !== 'time.Time') return this.hinted(hint);
    if (count && t.kind.includes('int')) return this.rng.pick(SMALL_INTS);
    switch (t.kind) {
      case 'string':
        return this.stringArg();
      case 'int':
      case 'int64':
      case 'int8':
      case 'int16':
      case 'int32':
      case 'uint8':
      case 'uint32':
      case 'uint':
      case 'uint16':
      case 'uint64':
        return this.intArg();
      case 'float64':
        return this.floatArg();
      case 'bool':
        return this.rng.pick(['true', 'false', `(empty ${this.leaf()})`, `(eq ${this.leaf()} ${this.leaf()})`]);
      case 'slice':
        if (t.elem?.kind === 'string') return `(splitList ${goQuote(this.rng.pick([',', ' ']))} ${goQuote(this.rng.pick(STRINGS))})`;
        return this.listArg();
      case 'map':
        return this.mapArg();
      case 'struct':
        if (t.name === 'time.Time') return this.timeArg();
        return this.anyArg();
      case 'ptr':
        return `(semver ${goQuote(this.rng.pick(['1.2.3', 'v2.0.0-rc.1', '1.2', 'x']))})`;
      default:
        return this.anyArg();
    }
  }

  /** Values Go's comparison functions accept, mostly of one kind. */
  private comparable(kind: string): string {
    const r = this.rng;
    switch (kind) {
      case 'i':
        return r.chance(0.8) ? r.pick(INTS) : `(len ${this.listArg()})`;
      case 's':
        return r.chance(0.8) ? goQuote(r.pick(STRINGS)) : r.pick(RAW_LITERALS);
      case 'f':
        return r.chance(0.5) ? r.pick(FLOATS) : this.dataRef('n');
      case 'n':
        return this.dataRef('nsbz');
      default:
        return this.leaf();
    }
  }

  private leaf(): string {
    const r = this.rng;
    return r.weighted<() => string>([
      [4, () => goQuote(r.pick(STRINGS))],
      [3, () => r.pick(INTS)],
      [2, () => r.pick(FLOATS)],
      [3, () => this.dataRef()],
      [1, () => r.pick(['nil', 'true', 'false'])],
      [1, () => r.pick(RAW_LITERALS)],
    ])();
  }

  anyArg(): string {
    const r = this.rng;
    if (this.depth > 3) return this.leaf();
    return r.weighted<() => string>([
      [6, () => this.leaf()],
      [2, () => this.listLiteral()],
      [1, () => this.mapArg()],
      [2, () => this.call(r.pick(CALLED_FUNCTIONS))],
      [1, () => r.pick(this.vars.length > 0 ? this.vars : ['.'])],
    ])();
  }

  /** `n` arguments of any type, one level deeper (lists of lists end). */
  private args(n: number): string {
    this.depth++;
    let s = '';
    for (let i = 0; i < n; i++) s += ` ${this.anyArg()}`;
    this.depth--;
    return s;
  }

  /** A parenthesised call of `name`, arguments drawn from its signature. */
  call(name: string, want?: 'string'): string {
    const r = this.rng;
    const def = FUNCS.get(name);
    if (!def || SPECIAL.has(name) || def.unsupported) return want === 'string' ? goQuote(r.pick(STRINGS)) : this.leaf();
    this.depth++;
    try {
      const inner = this.callText(name, def);
      // The kind of an unstable result is stable; its errors (bad arguments) are too.
      if (UNSTABLE.has(name)) return `(kindOf (${inner}))`;
      if (MAP_ORDER.has(name)) return `(sortAlpha (${inner}))`;
      return `(${inner})`;
    } finally {
      this.depth--;
    }
  }

  private callText(name: string, def: FuncDef): string {
    const r = this.rng;
    if (name === 'printf') return `printf ${this.format()}${this.args(r.pick([0, 1, 1, 1, 2, 3]))}`;
    const fixed = def.variadic ? def.params.slice(0, -1) : def.params;
    let count = fixed.length;
    // Now and then a wrong argument count, for Go's arity errors.
    if (r.chance(this.wild / 3)) count = Math.max(0, count + r.pick([-1, 1]));
    if (name === 'lt' || name === 'le' || name === 'gt' || name === 'ge' || name === 'eq' || name === 'ne') {
      const kind = r.pick(['i', 'i', 's', 'f', 'n', 'any']);
      const extra = name === 'eq' ? r.pick([0, 0, 1, 2]) : 0;
      return [name, ...Array.from({ length: 2 + extra }, () => this.comparable(kind))].join(' ');
    }
    if (name === 'index') return r.chance(0.5) ? `index ${this.listArg()} ${r.pick(SMALL_INTS)}` : `index ${this.mapArg()} ${goQuote(r.pick(['a', 'name', 'port', 'nope', '']))}`;
    if (name === 'dig') return `dig ${goQuote(r.pick(['a', 'name']))} ${goQuote(r.pick(['b', 'port']))} ${this.leaf()} ${this.mapArg()}`;
    const hints = HINTS[name] ?? '';
    const hint = (i: number): string | undefined => (hints === '' ? undefined : hints[Math.min(i, hints.length - 1)]);
    const counts = COUNTS.has(name);
    const parts: string[] = [name];
    for (let i = 0; i < count; i++) parts.push(this.argOf(fixed[i] ?? def.params[def.params.length - 1] ?? { name: 'interface {}', kind: 'interface' }, hint(i), counts));
    if (def.variadic) {
      const elem = def.params[def.params.length - 1]!;
      const extra = r.pick([0, 1, 1, 2, 3]);
      for (let i = 0; i < extra; i++) parts.push(this.argOf(elem, hint(fixed.length + i), counts));
    }
    return parts.join(' ');
  }

  format(): string {
    const r = this.rng;
    const n = r.pick([1, 1, 2, 3]);
    let f = '';
    for (let i = 0; i < n; i++) {
      f += r.pick(['', 'x=', ' ', 'é']);
      f += `%${r.pick(FLAGS)}${r.pick(WIDTHS)}${r.pick(VERBS)}`;
    }
    if (r.chance(0.05)) f += r.pick(['%', '%!', '%[2]d', '%[0]v', '%z', '%-', '%[1]*d']);
    return goQuote(f);
  }

  // ---- statements ----

  /** An action printing something. */
  private printed(): string {
    const r = this.rng;
    return r.weighted<() => string>([
      [10, () => this.call(r.pick(CALLED_FUNCTIONS))],
      [3, () => `printf ${this.format()}${this.args(r.pick([1, 1, 2]))}`],
      [2, () => this.dataRef()],
      [2, () => `${this.anyArg()} | ${r.pick(['toJson', 'marshal', 'toString', 'quote', 'kindOf', 'typeOf', 'toPrettyJson', 'toRawJson', 'urlquery', 'js', 'html', 'print', 'deepCopy', 'empty', 'squote'])}`],
      [1, () => `${this.stringArg()} | ${r.pick(['substr 1 3', 'trunc 3', 'trunc -2', 'abbrev 5', 'wrapWith 3 "|"', 'wrap 4', 'indent 2', 'nindent 1', 'replace "a" "é"', 'regexFind "[é-ü]+"', 'title', 'swapcase', 'initials', 'camelcase', 'snakecase', 'kebabcase', 'untitle', 'b64enc', 'sha256sum', 'adler32sum'])}`],
      [1, () => `include ${goQuote(this.partials.length > 0 && r.chance(0.8) ? r.pick(this.partials) : r.pick(['missing.txt', '../x', '']))}`],
      [1, () => `env ${goQuote(r.pick(['FUZZ_A', 'FUZZ_EMPTY', 'FUZZ_NOPE', 'TZ']))}`],
      [1, () => `expandenv ${goQuote(r.pick(['$FUZZ_A-${FUZZ_B}', '$$', '${FUZZ_NOPE}x', '$']))}`],
    ])();
  }

  /** One statement: an action or a control structure, as template text. */
  statement(level: number): string {
    const r = this.rng;
    const lt = r.chance(0.15) ? '{{- ' : '{{ ';
    const rt = r.chance(0.15) ? ' -}}' : ' }}';
    const body = (): string => (level < 2 ? this.block(level + 1) : `${lt}${this.printed()}${rt}`);
    const kind = level >= 2 ? 'print' : r.weighted([[10, 'print'], [2, 'if'], [2, 'range'], [1, 'with'], [1, 'var'], [1, 'template'], [1, 'comment'], [1, 'logic']] as const);
    switch (kind) {
      case 'print':
        return `${lt}${this.printed()}${rt}`;
      case 'if': {
        let s = `{{ if ${this.anyArg()} }}${body()}`;
        if (r.chance(0.4)) s += `{{ else if ${this.anyArg()} }}${body()}`;
        if (r.chance(0.5)) s += `{{ else }}${body()}`;
        return `${s}{{ end }}`;
      }
      case 'range': {
        const over = r.weighted<() => string>([[4, () => this.listArg()], [2, () => this.mapArg()], [1, () => r.pick(['3', '0', '-1', '2.5'])], [1, () => this.dataRef('lm')]])();
        const vi = `$i${level}`;
        const vv = `$v${level}`;
        const decl = r.pick(['', `${vv} := `, `${vi}, ${vv} := `]);
        const saved = this.vars;
        if (decl !== '') this.vars = [...this.vars, vv, ...(decl.includes(',') ? [vi] : [])];
        let inner = r.chance(0.2) ? `{{ if ${this.anyArg()} }}{{ ${r.pick(['break', 'continue'])} }}{{ end }}` : '';
        inner += `[${decl !== '' ? `{{ ${vv} }}` : '{{ . }}'}]${body()}`;
        this.vars = saved;
        let s = `{{ range ${decl}${over} }}${inner}`;
        if (r.chance(0.3)) s += `{{ else }}${body()}`;
        return `${s}{{ end }}`;
      }
      case 'with': {
        let s = `{{ with ${this.anyArg()} }}{{ . }}|${body()}`;
        if (r.chance(0.3)) s += `{{ else with ${this.anyArg()} }}${body()}`;
        if (r.chance(0.4)) s += `{{ else }}${body()}`;
        return `${s}{{ end }}`;
      }
      case 'var': {
        const name = `$x${this.vars.length}`;
        const s = `{{ ${name} := ${this.anyArg()} }}{{ ${name} = ${r.chance(0.5) ? this.anyArg() : name} }}`;
        this.vars = [...this.vars, name];
        return `${s}${lt}${name}${rt}`;
      }
      case 'template': {
        if (this.subTemplates.length > 0 && r.chance(0.7)) return `{{ template ${goQuote(r.pick(this.subTemplates))} ${r.chance(0.8) ? '$' : this.anyArg()} }}`;
        return r.pick([`{{ template "local" ${this.anyArg()} }}`, `{{ block "blk${r.int(3)}" ${this.anyArg()} }}b:{{ . }}{{ end }}`]);
      }
      case 'comment':
        return r.pick(['{{/* a comment */}}', '{{- /* trimmed */ -}}', '{{/* two\nlines */}}']);
      default:
        return `{{ ${r.pick(['and', 'or'])} ${this.anyArg()} ${this.anyArg()} }}|{{ not ${this.anyArg()} }}|{{ ${r.pick(['eq', 'ne', 'lt', 'le', 'gt', 'ge'])} ${this.leaf()} ${this.leaf()} }}`;
    }
  }

  /** Statements in one scope: variables declared here end with it, as in Go. */
  block(level: number): string {
    const n = this.rng.range(1, level === 0 ? 3 : 2);
    const saved = this.vars;
    let s = '';
    for (let i = 0; i < n; i++) s += this.statement(level) + this.rng.pick(['', ' ', '\n', ',']);
    if (level > 0) this.vars = saved;
    return s;
  }

  /** A new file (a sub-template): no variables from the main one. */
  startFile(): void {
    this.vars = [];
  }
}

/** Breaks a valid template on purpose, the ways users do. */
function breakTemplate(rng: Rng, text: string): string {
  const at = text.lastIndexOf('}}');
  return rng.pick([
    () => text + '{{ if true }}unclosed',
    () => text + '{{ end }}',
    () => (at > 0 ? text.slice(0, at) + text.slice(at + 2) : text + '{{'),
    () => text + '{{ nosuchfunc 1 }}',
    () => text + '{{ .a. }}',
    () => text + '{{ $undefined }}',
    () => text + '{{ template "nope.tmpl" . }}',
    () => text + '{{ index (list 1 2) 5 }}',
    () => text + '{{ 3 4 }}',
    () => text + '{{ .x | }}',
    () => text + '{{ fail "stop here" }}',
    () => text + '{{ else }}',
    () => text + '{{ printf }}',
    () => text + '{{ "unterminated }}',
    () => text + '{{ range $a, $b, $c := list }}{{ end }}',
    () => text + '{{ 0x1G }}',
    () => text + '{{ break }}',
    () => text + '{{ define "x" }}{{ end }}{{ define "x" }}y{{ end }}',
    () => text + '{{ call .nope }}',
    () => text + '{{ nil }}',
  ])();
}

/** Project number `index` of the run with `seed`. */
export function generateProject(seed: number, index: number): FcProject {
  const rng = new Rng(seed, index);
  const g = new Gen(rng);
  const files: Record<string, string> = {};
  const folders: { settings?: string; partials?: string; templates?: string } = {};
  const broken = rng.chance(0.12);
  const brokenKind = broken ? rng.pick(['template', 'template', 'template', 'settings', 'folder'] as const) : undefined;

  if (rng.chance(0.9)) {
    folders.settings = 'settings';
    const names = ['service', 'urls', 'endpoints', 'my-data', 'x'].filter(() => rng.chance(0.5));
    if (names.length === 0) names.push('service');
    for (const name of names) files[`settings/${name}.json`] = g.settingsFile(name);
    if (rng.chance(0.1)) files['settings/notes.txt'] = 'not JSON, not read\n';
    if (brokenKind === 'settings') {
      files[`settings/${rng.pick(['broken', 'zz'])}.json`] = rng.pick(['{ "a": 1, }', '[1, 2]', '{"n": 1e400}', '"just a string"', '', '{"a": tru}', '{"a":"\\x"}', '{"a":1}{"b":2}', '{"a": "\t"}']);
    }
  }
  if (rng.chance(0.6)) {
    folders.partials = 'partials';
    const n = rng.range(1, 3);
    for (let i = 0; i < n; i++) {
      const name = rng.pick(['p.json', 'extra.txt', 'ü.tmpl', 'sub/deep.json', 'cors.json']);
      files[`partials/${name}`] = rng.pick(['{ "a": 1 }', '"é😀"', '{{ not templated }}', '', '\ufeff{"bom": true}', 'line\r\nwindows\r\n', '[1,2,3]\n']);
      g.addPartial(name);
    }
  }
  if (rng.chance(0.4)) {
    folders.templates = 'templates';
    const n = rng.range(1, 2);
    for (let i = 0; i < n; i++) {
      const name = rng.pick(['sub.tmpl', 'endpoint.tmpl', 'ü.tmpl']);
      g.addSubTemplate(name);
      g.startFile();
      const body = `${rng.pick(['', '{{ define "inner" }}in:{{ . }}{{ end }}'])}${g.block(1)}`;
      files[`templates/${name}`] = body;
    }
    if (rng.chance(0.1)) files['templates/readme.md'] = 'not a template';
  }
  if (brokenKind === 'folder') folders[rng.pick(['settings', 'templates'] as const)] = 'missing-folder';

  const main = rng.chance(0.9) ? 'krakend.tmpl' : rng.pick(['krakend.json', 'gw.json.tmpl']);
  g.startFile();
  let text = rng.pick(['', '\ufeff', '{\n', '// head\n']);
  if (rng.chance(0.97)) text += '{{ define "local" }}L[{{ . }}]{{ end }}';
  const cases = rng.range(2, 6);
  for (let i = 0; i < cases; i++) text += `C${i}:${g.block(0)}\n`;
  if (brokenKind === 'template') text = breakTemplate(rng, text);
  files[main] = text;

  const env: Record<string, string> = { FUZZ_A: rng.pick(['value', 'é😀', '']), FUZZ_B: 'b', FUZZ_EMPTY: '', TZ: rng.pick(['UTC', 'UTC', 'America/New_York', 'Asia/Kolkata']) };
  return { files, main, folders, env, intent: broken ? 'broken' : 'valid' };
}

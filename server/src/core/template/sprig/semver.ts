/**
 * sprig's `semver` and `semverCompare` over Masterminds/semver v3.2.1: its loose version
 * syntax, its comparison, and its constraint language (ranges, ||, x-ranges, ~, ^).
 */
import type { FuncDef } from '../funcs';
import { fn, registerType } from '../funcs';
import { quote } from '../../go/strconv';
import type { GoMethod, GoType } from '../value';
import { GoError, GoInt, GoObject, T, int } from '../value';

const VERSION_TYPE: GoType = { name: '*semver.Version', kind: 'ptr' };
const VALUE_TYPE: GoType = { name: 'semver.Version', kind: 'struct' };
registerType(VERSION_TYPE);

const SEMVER = String.raw`v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const VERSION_RE = new RegExp(`^${SEMVER}$`);
const ALLOWED = /^[A-Za-z0-9-]*$/;
const NUM = /^[0-9]*$/;

function parseU64(s: string): bigint {
  const v = BigInt(s);
  if (v >= 1n << 64n) throw new GoError(`Error parsing version segment: strconv.ParseUint: parsing ${quote(s)}: value out of range`);
  return v;
}

export class SemverVersion extends GoObject {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: string,
    readonly metadata: string,
    readonly original: string,
    readonly pointer = true,
  ) {
    super();
  }

  get goType(): GoType {
    return this.pointer ? VERSION_TYPE : VALUE_TYPE;
  }

  override goString(): string {
    let s = `${this.major}.${this.minor}.${this.patch}`;
    if (this.pre !== '') s += `-${this.pre}`;
    if (this.metadata !== '') s += `+${this.metadata}`;
    return s;
  }

  formatPlain(): string {
    return this.goString();
  }

  toJson(): unknown {
    return this.goString();
  }

  compare(o: SemverVersion): number {
    const seg = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
    const d = seg(this.major, o.major) || seg(this.minor, o.minor) || seg(this.patch, o.patch);
    if (d !== 0) return d;
    if (this.pre === '' && o.pre === '') return 0;
    if (this.pre === '') return 1;
    if (o.pre === '') return -1;
    return comparePrerelease(this.pre, o.pre);
  }

  method(name: string): GoMethod | undefined {
    const u64 = (v: bigint): GoInt => new GoInt(T.uint64, v);
    const self = (v: SemverVersion): SemverVersion => v;
    const other: GoMethod['params'] = [VERSION_TYPE];
    switch (name) {
      case 'Major':
        return { params: [], results: [T.uint64], call: () => u64(this.major) };
      case 'Minor':
        return { params: [], results: [T.uint64], call: () => u64(this.minor) };
      case 'Patch':
        return { params: [], results: [T.uint64], call: () => u64(this.patch) };
      case 'Prerelease':
        return { params: [], results: [T.string], call: () => this.pre };
      case 'Metadata':
        return { params: [], results: [T.string], call: () => this.metadata };
      case 'Original':
        return { params: [], results: [T.string], call: () => this.original };
      case 'String':
        return { params: [], results: [T.string], call: () => this.goString() };
      case 'IncMajor':
        return { params: [], results: [VALUE_TYPE], call: () => self(inc(this, 'major')) };
      case 'IncMinor':
        return { params: [], results: [VALUE_TYPE], call: () => self(inc(this, 'minor')) };
      case 'IncPatch':
        return { params: [], results: [VALUE_TYPE], call: () => self(inc(this, 'patch')) };
      case 'LessThan':
        return { params: other, results: [T.bool], call: (a) => this.compare(a[0] as SemverVersion) < 0 };
      case 'GreaterThan':
        return { params: other, results: [T.bool], call: (a) => this.compare(a[0] as SemverVersion) > 0 };
      case 'Equal':
        return { params: other, results: [T.bool], call: (a) => this.compare(a[0] as SemverVersion) === 0 };
      case 'Compare':
        return { params: other, results: [T.int], call: (a) => int(this.compare(a[0] as SemverVersion)) };
      default:
        return undefined;
    }
  }
}

function inc(v: SemverVersion, part: 'major' | 'minor' | 'patch'): SemverVersion {
  let r: SemverVersion;
  if (part === 'patch') {
    r = v.pre !== '' ? new SemverVersion(v.major, v.minor, v.patch, '', '', '', false) : new SemverVersion(v.major, v.minor, v.patch + 1n, '', '', '', false);
  } else if (part === 'minor') r = new SemverVersion(v.major, v.minor + 1n, 0n, '', '', '', false);
  else r = new SemverVersion(v.major + 1n, 0n, 0n, '', '', '', false);
  return new SemverVersion(r.major, r.minor, r.patch, '', '', r.goString(), false);
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return o !== '' ? -1 : 1;
  if (o === '') return s !== '' ? 1 : -1;
  const sNum = /^[0-9]+$/.test(s) && BigInt(s) < 1n << 64n;
  const oNum = /^[0-9]+$/.test(o) && BigInt(o) < 1n << 64n;
  if (!oNum && !sNum) return s > o ? 1 : -1;
  if (!oNum) return -1;
  if (!sNum) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

function comparePrerelease(v: string, o: string): number {
  const sp = v.split('.');
  const op = o.split('.');
  for (let i = 0; i < Math.max(sp.length, op.length); i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** semver.NewVersion. */
export function newVersion(v: string): SemverVersion {
  const m = VERSION_RE.exec(v);
  if (!m) throw new GoError('Invalid Semantic Version');
  const major = parseU64(m[1]!);
  const minor = m[2] ? parseU64(m[2].slice(1)) : 0n;
  const patch = m[3] ? parseU64(m[3].slice(1)) : 0n;
  const pre = m[5] ?? '';
  const metadata = m[8] ?? '';
  if (pre !== '') {
    for (const p of pre.split('.')) {
      if (NUM.test(p)) {
        if (p.length > 1 && p[0] === '0') throw new GoError('Version segment starts with 0');
      } else if (!ALLOWED.test(p)) throw new GoError('Invalid Prerelease string');
    }
  }
  if (metadata !== '') for (const p of metadata.split('.')) if (!ALLOWED.test(p)) throw new GoError('Invalid Metadata string');
  return new SemverVersion(major, minor, patch, pre, metadata, v);
}

// --- constraints

const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
const CONSTRAINT_RE = new RegExp(String.raw`^\s*(${OPS})\s*(${CV})\s*$`);
const RANGE_RE = new RegExp(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`, 'g');
const FIND_RE = new RegExp(String.raw`(${OPS})\s*(${CV})`, 'g');
const VALID_RE = new RegExp(String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`);

interface Constraint {
  readonly con: SemverVersion;
  readonly op: string;
  readonly minorDirty: boolean;
  readonly patchDirty: boolean;
  readonly dirty: boolean;
}

const isX = (x: string): boolean => x === 'x' || x === '*' || x === 'X';

function parseConstraint(c: string): Constraint {
  const m = CONSTRAINT_RE.exec(c);
  if (!m) throw new GoError(`improper constraint: ${c}`);
  let ver = m[2]!;
  let minorDirty = false;
  let patchDirty = false;
  let dirty = false;
  const m3 = m[3] ?? '';
  const m4 = m[4] ?? '';
  const m5 = m[5] ?? '';
  const m6 = m[6] ?? '';
  if (isX(m3) || m3 === '') {
    ver = `0.0.0${m6}`;
    dirty = true;
  } else if (isX(m4.replace(/^\./, '')) || m4 === '') {
    minorDirty = true;
    dirty = true;
    ver = `${m3}.0.0${m6}`;
  } else if (isX(m5.replace(/^\./, '')) || m5 === '') {
    dirty = true;
    patchDirty = true;
    ver = `${m3}${m4}.0${m6}`;
  }
  let con: SemverVersion;
  try {
    con = newVersion(ver);
  } catch {
    throw new GoError('constraint Parser Error');
  }
  return { con, op: m[1]!, minorDirty, patchDirty, dirty };
}

function tilde(v: SemverVersion, c: Constraint): boolean {
  if (v.pre !== '' && c.con.pre === '') return false;
  if (v.compare(c.con) < 0) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  if (v.minor !== c.con.minor && !c.minorDirty) return false;
  return true;
}

function check(v: SemverVersion, c: Constraint): boolean {
  const preBlocked = v.pre !== '' && c.con.pre === '';
  switch (c.op) {
    case '':
    case '=':
      if (preBlocked) return false;
      return c.dirty ? tilde(v, c) : v.compare(c.con) === 0;
    case '!=': {
      if (c.dirty) {
        if (preBlocked) return false;
        if (c.con.major !== v.major) return true;
        if (c.con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (c.con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.pre !== '' || c.con.pre !== '') return comparePrerelease(v.pre, c.con.pre) !== 0;
          return false;
        }
      }
      return v.compare(c.con) !== 0;
    }
    case '>':
      if (preBlocked) return false;
      if (!c.dirty) return v.compare(c.con) === 1;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return v.compare(c.con) === 1;
    case '<':
      if (preBlocked) return false;
      return v.compare(c.con) < 0;
    case '>=':
    case '=>':
      if (preBlocked) return false;
      return v.compare(c.con) >= 0;
    case '<=':
    case '=<':
      if (preBlocked) return false;
      if (!c.dirty) return v.compare(c.con) <= 0;
      if (v.major > c.con.major) return false;
      if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return tilde(v, c);
    case '^': {
      if (preBlocked) return false;
      if (v.compare(c.con) < 0) return false;
      if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
      if (c.con.major === 0n && v.major > 0n) return false;
      if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
      if (c.con.minor === 0n && v.minor > 0n) return false;
      return c.con.patch === v.patch;
    }
    default:
      return false;
  }
}

/** semver.NewConstraint(c).Check(v). */
export function constraintCheck(constraint: string, v: SemverVersion): boolean {
  let c = constraint;
  const ranges = [...c.matchAll(RANGE_RE)];
  for (const r of ranges) c = c.replace(r[0], `>= ${r[1]}, <= ${r[11]} `);
  const ors = c.split('||').map((part) => {
    if (!VALID_RE.test(part)) throw new GoError(`improper constraint: ${part}`);
    const found = [...part.matchAll(FIND_RE)].map((m) => m[0]);
    return (found.length > 0 ? found : [part]).map((s) => (s.length > 0 ? parseConstraint(s) : { con: newVersion('0.0.0'), op: '', minorDirty: false, patchDirty: false, dirty: true }));
  });
  return ors.some((and) => and.every((k) => check(v, k)));
}

export const SEMVER_FUNCS: Record<string, FuncDef> = {
  semver: fn('string', '*semver.Version', (a) => newVersion(a[0] as string)),
  semverCompare: fn('string, string', 'bool', (a) => {
    // The constraint is parsed first, as sprig does, so its error wins.
    const c = a[0] as string;
    void constraintCheck(c, newVersion('0.0.0'));
    return constraintCheck(c, newVersion(a[1] as string));
  }),
};

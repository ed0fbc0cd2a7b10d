/**
 * sprig v3.2.3's numeric functions (numeric.go and the arithmetic in functions.go): int64
 * arithmetic with Go's wrapping and panics, the `…f` family through shopspring/decimal as
 * sprig does (so `addf 1.1 2.2` is 3.3), and spf13/cast conversions.
 */
import type { FuncDef } from '../funcs';
import { fn } from '../funcs';
import { formatValue } from '../fmt';
import { RangeError_, parseGoInt } from '../../go/strconv';
import type { GoInt } from '../value';
import { GoPanic, RenderLimit, SLICE_INT, appendedCap, int, int64, withSpare, withType } from '../value';
import { toFloat64, toInt, toInt64 } from './util';

/** A shopspring/decimal value: value × 10^exp. */
interface Dec {
  readonly value: bigint;
  readonly exp: number;
}

function decFromFloat(f: number): Dec {
  if (!Number.isFinite(f)) throw new GoPanic(`Cannot create a Decimal from ${formatValue(f)}`);
  if (f === 0) return { value: 0n, exp: 0 };
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(f.toExponential())!;
  const digits = m[2]! + (m[3] ?? '');
  const value = BigInt(m[1] + digits);
  return { value, exp: Number(m[4]) - (digits.length - 1) };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.value * 10n ** BigInt(a.exp - exp), b.value * 10n ** BigInt(b.exp - exp), exp];
}

const decAdd = (a: Dec, b: Dec): Dec => {
  const [x, y, exp] = align(a, b);
  return { value: x + y, exp };
};
const decSub = (a: Dec, b: Dec): Dec => {
  const [x, y, exp] = align(a, b);
  return { value: x - y, exp };
};
const decMul = (a: Dec, b: Dec): Dec => ({ value: a.value * b.value, exp: a.exp + b.exp });

/** Decimal.Div: DivRound to 16 decimal places, half away from zero. */
function decDiv(a: Dec, b: Dec): Dec {
  if (b.value === 0n) throw new GoPanic('decimal division by 0');
  const precision = 16;
  // q = trunc(a / b) at 10^-precision; work with integers scaled to a common exponent.
  const shift = a.exp - b.exp + precision;
  let num = a.value;
  let den = b.value;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  let q = num / den;
  const r = num - q * den;
  const twice = (r < 0n ? -r : r) * 2n;
  const absDen = den < 0n ? -den : den;
  if (twice >= absDen) q += (a.value < 0n) !== (b.value < 0n) ? -1n : 1n;
  return { value: q, exp: -precision };
}

function decToFloat(d: Dec): number {
  return Number(`${d.value}e${d.exp}`);
}

function decimalOp(first: unknown, rest: readonly unknown[], op: (a: Dec, b: Dec) => Dec): number {
  let acc = decFromFloat(toFloat64(first));
  for (const x of rest) acc = op(acc, decFromFloat(toFloat64(x)));
  return decToFloat(acc);
}

function wrap64(n: bigint): GoInt {
  return int64(BigInt.asIntN(64, n));
}

function divide(a: bigint, b: bigint, op: 'div' | 'mod'): bigint {
  if (b === 0n) throw new GoPanic('runtime error: integer divide by zero');
  return op === 'div' ? a / b : a % b;
}

/** The most elements until, untilStep and seq build; past it a JavaScript array would take the process down. */
const MAX_SEQUENCE = 1 << 20;

export function untilStep(start: bigint, stop: bigint, step: bigint): bigint[] {
  const v: bigint[] = [];
  const count = step > 0n && stop > start ? (stop - start + step - 1n) / step : step < 0n && stop < start ? (start - stop - step - 1n) / -step : 0n;
  if (count > BigInt(MAX_SEQUENCE)) throw new RenderLimit(`a sequence of ${count} numbers is more than KrakenD Live renders (${MAX_SEQUENCE}); KrakenD would try to build it and may run out of memory`);
  if (stop < start) {
    if (step >= 0n) return v;
    for (let i = start; i > stop; i += step) v.push(i);
    return v;
  }
  if (step <= 0n) return v;
  for (let i = start; i < stop; i += step) v.push(i);
  return v;
}

/** until's []int, grown by append from empty, so its capacity runs ahead (zeros there). */
function ints(v: bigint[]): GoInt[] {
  const spare = Array.from({ length: appendedCap(v.length, 8, false) - v.length }, () => int(0));
  return withSpare(
    withType(
      v.map((n) => int(n)),
      SLICE_INT,
    ),
    spare,
  );
}

function seq(params: bigint[]): string {
  let increment = 1n;
  switch (params.length) {
    case 0:
      return '';
    case 1: {
      const start = 1n;
      const end = params[0]!;
      if (end < start) increment = -1n;
      return untilStep(start, end + increment, increment).join(' ');
    }
    case 3: {
      const [start, step, end] = params as [bigint, bigint, bigint];
      if (end < start) {
        increment = -1n;
        if (step > 0n) return '';
      }
      return untilStep(start, end + increment, step).join(' ');
    }
    case 2: {
      const [start, end] = params as [bigint, bigint];
      const step = end < start ? -1n : 1n;
      return untilStep(start, end + step, step).join(' ');
    }
    default:
      return '';
  }
}

/** strconv.Atoi as sprig wraps it: the clamped value on overflow, 0 on a syntax error. */
function atoi(s: string): bigint {
  try {
    return parseGoInt(s, 10, true);
  } catch (e) {
    if (e instanceof RangeError_) return s.startsWith('-') ? -(2n ** 63n) : 2n ** 63n - 1n;
    return 0n;
  }
}

function toDecimal(v: unknown): bigint {
  // Printing may fail in a way Go cannot recover from (a value that contains itself); only
  // the parse error gives 0.
  const text = formatValue(v === undefined ? null : v);
  try {
    return parseGoInt(text, 8, true);
  } catch {
    return 0n;
  }
}

function goRound(a: unknown, p: bigint, opts: unknown[]): number {
  const roundOn = opts.length > 0 ? (opts[0] as number) : 0.5;
  const val = toFloat64(a);
  const pow = Math.pow(10, Number(p));
  const digit = pow * val;
  const frac = digit % 1;
  const r = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

const n = (v: unknown): bigint => (v as GoInt).v;

export const NUMERIC_FUNCS: Record<string, FuncDef> = {
  atoi: fn('string', 'int', (a) => int(atoi(a[0] as string))),
  int64: fn('interface {}', 'int64', (a) => int64(toInt64(a[0]))),
  int: fn('interface {}', 'int', (a) => int(toInt(a[0]))),
  float64: fn('interface {}', 'float64', (a) => toFloat64(a[0])),
  seq: fn('...int', 'string', (a) => seq(a.map(n))),
  toDecimal: fn('interface {}', 'int64', (a) => int64(toDecimal(a[0]))),
  until: fn('int', '[]int', (a) => {
    const count = n(a[0]);
    return ints(untilStep(0n, count, count < 0n ? -1n : 1n));
  }),
  untilStep: fn('int, int, int', '[]int', (a) => ints(untilStep(n(a[0]), n(a[1]), n(a[2])))),
  add1: fn('interface {}', 'int64', (a) => wrap64(toInt64(a[0]) + 1n)),
  add: fn('...interface {}', 'int64', (a) => wrap64(a.reduce<bigint>((acc, b) => BigInt.asIntN(64, acc + toInt64(b)), 0n))),
  sub: fn('interface {}, interface {}', 'int64', (a) => wrap64(toInt64(a[0]) - toInt64(a[1]))),
  div: fn('interface {}, interface {}', 'int64', (a) => wrap64(divide(toInt64(a[0]), toInt64(a[1]), 'div'))),
  mod: fn('interface {}, interface {}', 'int64', (a) => wrap64(divide(toInt64(a[0]), toInt64(a[1]), 'mod'))),
  mul: fn('interface {}, ...interface {}', 'int64', (a) => wrap64(a.slice(1).reduce<bigint>((acc, b) => BigInt.asIntN(64, acc * toInt64(b)), toInt64(a[0])))),
  randInt: fn('int, int', 'int', (a) => {
    const span = n(a[1]) - n(a[0]);
    if (span <= 0n) throw new GoPanic('invalid argument to Intn');
    return int(n(a[0]) + BigInt(Math.floor(Math.random() * Number(span))));
  }),
  add1f: fn('interface {}', 'float64', (a) => decimalOp(a[0], [int(1)], decAdd)),
  addf: fn('...interface {}', 'float64', (a) => decimalOp(0, a, decAdd)),
  subf: fn('interface {}, ...interface {}', 'float64', (a) => decimalOp(a[0], a.slice(1), decSub)),
  divf: fn('interface {}, ...interface {}', 'float64', (a) => decimalOp(a[0], a.slice(1), decDiv)),
  mulf: fn('interface {}, ...interface {}', 'float64', (a) => decimalOp(a[0], a.slice(1), decMul)),
  biggest: fn('interface {}, ...interface {}', 'int64', (a) => int64(a.slice(1).reduce<bigint>((m, b) => (toInt64(b) > m ? toInt64(b) : m), toInt64(a[0])))),
  max: fn('interface {}, ...interface {}', 'int64', (a) => int64(a.slice(1).reduce<bigint>((m, b) => (toInt64(b) > m ? toInt64(b) : m), toInt64(a[0])))),
  min: fn('interface {}, ...interface {}', 'int64', (a) => int64(a.slice(1).reduce<bigint>((m, b) => (toInt64(b) < m ? toInt64(b) : m), toInt64(a[0])))),
  maxf: fn('interface {}, ...interface {}', 'float64', (a) => a.slice(1).reduce<number>((m, b) => Math.max(m, toFloat64(b)), toFloat64(a[0]))),
  minf: fn('interface {}, ...interface {}', 'float64', (a) => a.slice(1).reduce<number>((m, b) => Math.min(m, toFloat64(b)), toFloat64(a[0]))),
  ceil: fn('interface {}', 'float64', (a) => Math.ceil(toFloat64(a[0]))),
  floor: fn('interface {}', 'float64', (a) => Math.floor(toFloat64(a[0]))),
  round: fn('interface {}, int, ...float64', 'float64', (a) => goRound(a[0], n(a[1]), a.slice(2))),
};


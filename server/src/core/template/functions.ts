/**
 * The function map KrakenD gives its templates: Go's builtins, sprig v3.2.3's
 * `GenericFuncMap()` (which replaces the builtin `slice`), and KrakenD's own `marshal` and
 * `include` (krakend-flexibleconfig `template.go`).
 */
import { BUILTINS } from './builtins';
import { OriginatedResult } from './exec';
import type { FuncDef } from './funcs';
import { fn, rv } from './funcs';
import { marshal } from './json';
import { GoError } from './value';
import { LIST_FUNCS } from './sprig/lists';
import { MISC_FUNCS } from './sprig/misc';
import { NUMERIC_FUNCS } from './sprig/numeric';
import { REGEX_FUNCS } from './sprig/regex';
import { SEMVER_FUNCS } from './sprig/semver';
import { STRING_FUNCS } from './sprig/strings';
import { TIME_FUNCS } from './sprig/time';
import { assertionPanic } from './sprig/util';

/** sprig.GenericFuncMap() of v3.2.3 (210 functions; `push` and `mustPush` included). */
export const SPRIG: ReadonlyMap<string, FuncDef> = new Map(Object.entries({ ...STRING_FUNCS, ...NUMERIC_FUNCS, ...LIST_FUNCS, ...REGEX_FUNCS, ...SEMVER_FUNCS, ...TIME_FUNCS, ...MISC_FUNCS }));

const MARSHAL_WITH_PARTS = { parts: true } as const;

/** KrakenD's marshal: json.Marshal with errors ignored (an error gives ""). */
const marshalFn = fn('interface {}', 'string', (a) => {
  try {
    const r = marshal(a[0], MARSHAL_WITH_PARTS);
    return new OriginatedResult({ v: r.text, boxed: false, parts: r.parts.length > 0 ? r.parts : undefined });
  } catch (e) {
    if (e instanceof GoError) return '';
    throw e;
  }
});

/**
 * KrakenD's include: the partial's text, raw, not templated; a missing file is "" (KrakenD is
 * silent about it; the renderer records a note so the editor can warn).
 */
const includeFn = fn('interface {}', 'string', (a, ctx) => {
  const path = a[0];
  if (typeof path !== 'string') throw assertionPanic(path, 'string');
  const text = ctx.readPartial(path);
  if (text === undefined) {
    ctx.note({ kind: 'missing-partial', path, node: ctx.node });
    return '';
  }
  return new OriginatedResult(rv(text, { kind: 'partial', path }));
});

/** Every function a KrakenD template can call, by name, and the names that are Go builtins. */
export function krakendFunctions(): { funcs: Map<string, FuncDef>; builtins: Set<string> } {
  const funcs = new Map<string, FuncDef>(BUILTINS);
  for (const [name, def] of SPRIG) funcs.set(name, def);
  funcs.set('marshal', marshalFn);
  funcs.set('include', includeFn);
  const builtins = new Set<string>();
  for (const name of BUILTINS.keys()) if (!SPRIG.has(name)) builtins.add(name);
  return { funcs, builtins };
}

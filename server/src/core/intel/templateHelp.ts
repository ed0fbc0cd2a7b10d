/**
 * Help inside `{{ }}` of a Flexible Configuration template: completion of settings fields,
 * partial and template names, and functions with their Go signatures; hover on a function (its
 * signature and what it does) and on a settings field (its value and the file it comes from).
 * The descriptions are ours, one line each.
 */
import type { ValueNode } from '../ast';
import { actionCompletionAt, dataReferenceAt, keysAt, valuesAt } from '../flexible/dataPaths';
import { krakendFunctions } from '../template/functions';
import type { FuncDef } from '../template/funcs';
import { ItemType, Lexer } from '../template/lex';
import type { Span } from '../types';
import type { CompletionEntry } from './completion';

const D: Readonly<Record<string, string>> = {
  and: 'The first empty argument, or the last one; stops at the first empty one.',
  or: 'The first non-empty argument, or the last one; stops at the first non-empty one.',
  not: 'Whether the argument is empty (false, 0, "", nil, an empty list or map).',
  len: 'The length of a string (in bytes), list or map.',
  index: 'The element at the given index or key; several indexes go deeper.',
  call: 'Calls a function value with the arguments.',
  html: 'The arguments printed and escaped for HTML.',
  js: 'The arguments printed and escaped for JavaScript.',
  urlquery: 'The arguments printed and escaped for a URL query.',
  print: 'The arguments printed like Go fmt.Sprint.',
  printf: 'The arguments formatted like Go fmt.Sprintf.',
  println: 'The arguments printed like Go fmt.Sprintln, with a newline.',
  eq: 'Whether the first argument equals any of the others.',
  ne: 'Whether the two arguments differ.',
  lt: 'Whether the first argument is less than the second.',
  le: 'Whether the first argument is less than or equal to the second.',
  gt: 'Whether the first argument is greater than the second.',
  ge: 'Whether the first argument is greater than or equal to the second.',
  marshal: "KrakenD's: the value as compact JSON (\"\" when it cannot be encoded).",
  include: "KrakenD's: the text of a file in FC_PARTIALS, inserted as is (not a template).",
  hello: 'The text "Hello!".',
  fail: 'Stops the render with this error message.',
  abbrev: 'Cuts the string to a width, ending with "...".',
  abbrevboth: 'Cuts the string at both ends to a width, with "..." on each cut side.',
  trunc: 'The first n bytes of the string (the last n when n is negative).',
  trim: 'The string without leading and trailing white space.',
  upper: 'The string in upper case.',
  lower: 'The string in lower case.',
  title: 'The string with each word capitalised.',
  untitle: 'The string with its first letter in lower case.',
  substr: 'The bytes of the string from start to end (end < 0: to the end).',
  repeat: 'The string repeated n times.',
  trimall: 'The string without the given characters at either end (old name of trimAll).',
  trimAll: 'The string without the given characters at either end.',
  trimSuffix: 'The string without the given suffix.',
  trimPrefix: 'The string without the given prefix.',
  nospace: 'The string without white space.',
  initials: 'The first letter of each word.',
  swapcase: 'The string with upper and lower case swapped.',
  shuffle: 'The string with its characters in random order.',
  snakecase: 'The string in snake_case.',
  camelcase: 'The string in CamelCase.',
  kebabcase: 'The string in kebab-case.',
  wrap: 'The string wrapped at a width with newlines.',
  wrapWith: 'The string wrapped at a width with the given separator.',
  contains: 'Whether the second string contains the first.',
  hasPrefix: 'Whether the second string starts with the first.',
  hasSuffix: 'Whether the second string ends with the first.',
  quote: 'Each argument in double quotes, Go-escaped, separated by spaces.',
  squote: 'Each argument in single quotes, separated by spaces.',
  cat: 'The arguments printed with spaces between them (nil ones skipped).',
  indent: 'Every line of the string indented by n spaces.',
  nindent: 'A newline, then every line of the string indented by n spaces.',
  replace: 'The string with every old substring replaced by the new one.',
  plural: 'The first string when the count is 1, the second otherwise.',
  toString: 'The value printed as a string.',
  split: 'A map of the parts of the string (_0, _1, …), split at the separator.',
  splitList: 'A list of the parts of the string, split at the separator.',
  splitn: 'A map of at most n parts of the string (_0, _1, …).',
  toStrings: 'Each element of the list printed as a string.',
  join: 'The elements of the list printed and joined with the separator.',
  atoi: 'The string as an int (0 when it is not a number).',
  int64: 'The value as an int64.',
  int: 'The value as an int.',
  float64: 'The value as a float64.',
  seq: 'The numbers from start to end (with a step) as a space-separated string.',
  toDecimal: 'The octal string (or number) as a decimal int64.',
  until: 'A list of the ints from 0 up to (not including) n.',
  untilStep: 'A list of the ints from start up to end by step.',
  add1: 'The number plus one, as an int64.',
  add: 'The sum of the numbers, as an int64.',
  sub: 'The first number minus the second, as an int64.',
  div: 'The first number divided by the second, as an int64 (an integer division).',
  mod: 'The remainder of the first number divided by the second.',
  mul: 'The product of the numbers, as an int64.',
  randInt: 'A random int between min (included) and max (excluded).',
  add1f: 'The number plus one, as a float64.',
  addf: 'The sum of the numbers, as a float64.',
  subf: 'The first number minus the others, as a float64.',
  divf: 'The first number divided by the others, as a float64.',
  mulf: 'The product of the numbers, as a float64.',
  biggest: 'The biggest of the numbers, as an int64 (old name of max).',
  max: 'The biggest of the numbers, as an int64.',
  min: 'The smallest of the numbers, as an int64.',
  maxf: 'The biggest of the numbers, as a float64.',
  minf: 'The smallest of the numbers, as a float64.',
  ceil: 'The number rounded up.',
  floor: 'The number rounded down.',
  round: 'The number rounded to a number of decimals.',
  list: 'A list of the arguments.',
  tuple: 'A list of the arguments (another name of list).',
  append: 'A new list: the list plus the value at the end.',
  push: 'A new list: the list plus the value at the end (another name of append).',
  mustAppend: 'append, returning an error instead of failing the render.',
  mustPush: 'push, returning an error instead of failing the render.',
  prepend: 'A new list: the value, then the list.',
  mustPrepend: 'prepend, returning an error instead of failing the render.',
  chunk: 'The list cut into lists of n elements.',
  mustChunk: 'chunk, returning an error instead of failing the render.',
  first: 'The first element of the list (nil when it is empty).',
  mustFirst: 'first, returning an error instead of failing the render.',
  last: 'The last element of the list (nil when it is empty).',
  mustLast: 'last, returning an error instead of failing the render.',
  rest: 'The list without its first element.',
  mustRest: 'rest, returning an error instead of failing the render.',
  initial: 'The list without its last element.',
  mustInitial: 'initial, returning an error instead of failing the render.',
  reverse: 'The list in reverse order.',
  mustReverse: 'reverse, returning an error instead of failing the render.',
  compact: 'The list without its empty elements.',
  mustCompact: 'compact, returning an error instead of failing the render.',
  uniq: 'The list without repeated elements.',
  mustUniq: 'uniq, returning an error instead of failing the render.',
  without: 'The list without the given values.',
  mustWithout: 'without, returning an error instead of failing the render.',
  has: 'Whether the list contains the value.',
  mustHas: 'has, returning an error instead of failing the render.',
  slice: 'The elements of the list from start to end.',
  mustSlice: 'slice, returning an error instead of failing the render.',
  concat: 'One list of the elements of all the lists.',
  sortAlpha: 'The elements printed as strings and sorted.',
  dict: 'A map of the key and value pairs.',
  get: 'The value of the key in the map ("" when missing).',
  set: 'Sets the key in the map and returns the map.',
  unset: 'Removes the key from the map and returns the map.',
  hasKey: 'Whether the map has the key.',
  pluck: 'The values of the key in each of the maps.',
  keys: 'The keys of the maps (in no particular order; sortAlpha sorts them).',
  pick: 'A map of only the given keys.',
  omit: 'A map without the given keys.',
  merge: 'The maps merged into the first; existing keys win.',
  mergeOverwrite: 'The maps merged into the first; later maps win.',
  mustMerge: 'merge, returning an error instead of failing the render.',
  mustMergeOverwrite: 'mergeOverwrite, returning an error instead of failing the render.',
  values: 'The values of the map (in no particular order).',
  deepCopy: 'A deep copy of the value.',
  mustDeepCopy: 'deepCopy, returning an error instead of failing the render.',
  dig: 'The value at the path of keys in nested maps, or the default.',
  default: 'The given value, or the default when the value is empty.',
  empty: 'Whether the value is empty (false, 0, "", nil, an empty list or map).',
  coalesce: 'The first non-empty argument.',
  all: 'Whether every argument is non-empty.',
  any: 'Whether any argument is non-empty.',
  ternary: 'The first value when the condition is true, the second otherwise.',
  fromJson: 'The JSON string decoded (nil or partial when it is not valid).',
  mustFromJson: 'fromJson, failing the render on invalid JSON.',
  toJson: 'The value as compact JSON.',
  mustToJson: 'toJson, failing the render when it cannot be encoded.',
  toPrettyJson: 'The value as indented JSON.',
  mustToPrettyJson: 'toPrettyJson, failing the render when it cannot be encoded.',
  toRawJson: 'The value as compact JSON, without escaping <, > and &.',
  mustToRawJson: 'toRawJson, failing the render when it cannot be encoded.',
  typeOf: 'The Go type of the value, like "float64" or "[]interface {}".',
  typeIs: 'Whether the value has the given Go type.',
  typeIsLike: 'Whether the value has the given Go type, or is a pointer to it.',
  kindOf: 'The kind of the value, like "float64", "slice" or "map".',
  kindIs: 'Whether the value is of the given kind.',
  deepEqual: 'Whether the two values are deeply equal.',
  regexMatch: 'Whether the string matches the regular expression (RE2 syntax).',
  mustRegexMatch: 'regexMatch, failing the render on an invalid expression.',
  regexFindAll: 'Up to n matches of the regular expression (n < 0: all).',
  mustRegexFindAll: 'regexFindAll, failing the render on an invalid expression.',
  regexFind: 'The first match of the regular expression.',
  mustRegexFind: 'regexFind, failing the render on an invalid expression.',
  regexReplaceAll: 'The string with every match replaced ($1 expands groups).',
  mustRegexReplaceAll: 'regexReplaceAll, failing the render on an invalid expression.',
  regexReplaceAllLiteral: 'The string with every match replaced by the literal text.',
  mustRegexReplaceAllLiteral: 'regexReplaceAllLiteral, failing the render on an invalid expression.',
  regexSplit: 'The string split at the matches, into at most n parts (n < 0: all).',
  mustRegexSplit: 'regexSplit, failing the render on an invalid expression.',
  regexQuoteMeta: 'The string with regular-expression characters escaped.',
  semver: 'The string parsed as a semantic version.',
  semverCompare: 'Whether the version satisfies the constraint, like ">=1.2".',
  now: 'The current time (when KrakenD starts).',
  date: 'The time formatted with a Go layout ("2006-01-02"), in the local zone.',
  date_in_zone: 'The time formatted with a Go layout in the given zone.',
  dateInZone: 'The time formatted with a Go layout in the given zone.',
  htmlDate: 'The time as YYYY-MM-DD.',
  htmlDateInZone: 'The time as YYYY-MM-DD in the given zone.',
  dateModify: 'The time moved by a duration like "-1.5h".',
  date_modify: 'The time moved by a duration like "-1.5h".',
  mustDateModify: 'dateModify, failing the render on an invalid duration.',
  must_date_modify: 'dateModify, failing the render on an invalid duration.',
  ago: 'The time since the given time, rounded to seconds.',
  duration: 'Seconds as a duration like "1h2m3s".',
  durationRound: 'A duration rounded to its largest unit, like "2h".',
  toDate: 'The string parsed as a time with a Go layout.',
  mustToDate: 'toDate, failing the render when the string does not parse.',
  unixEpoch: 'The time as Unix seconds.',
  base: 'The last element of a path.',
  dir: 'The path without its last element.',
  clean: 'The shortest equivalent path.',
  ext: 'The extension of the path, with its dot.',
  isAbs: 'Whether the path is absolute.',
  osBase: 'The last element of a file path.',
  osClean: 'The shortest equivalent file path.',
  osDir: 'The file path without its last element.',
  osExt: 'The extension of the file path, with its dot.',
  osIsAbs: 'Whether the file path is absolute.',
  b64enc: 'The string in base64.',
  b64dec: 'The base64 string decoded (the error text when it is not valid).',
  b32enc: 'The string in base32.',
  b32dec: 'The base32 string decoded (the error text when it is not valid).',
  sha1sum: 'The SHA-1 hash of the string, in hex.',
  sha256sum: 'The SHA-256 hash of the string, in hex.',
  adler32sum: 'The Adler-32 checksum of the string.',
  randAlphaNum: 'n random letters and digits.',
  randAlpha: 'n random letters.',
  randAscii: 'n random printable ASCII characters.',
  randNumeric: 'n random digits.',
  randBytes: 'n random bytes in base64.',
  uuidv4: 'A random UUID.',
  derivePassword: 'A password derived with the Master Password algorithm.',
  encryptAES: 'The text encrypted with AES-CBC under the password, in base64.',
  decryptAES: 'The base64 AES-CBC text decrypted with the password.',
  bcrypt: 'The bcrypt hash of the string (not run by KrakenD Live).',
  htpasswd: 'An htpasswd line for the user and password (not run by KrakenD Live).',
  genPrivateKey: 'A new private key in PEM (not run by KrakenD Live).',
  buildCustomCert: 'A certificate from base64 PEM parts (not run by KrakenD Live).',
  genCA: 'A new certificate authority (not run by KrakenD Live).',
  genCAWithKey: 'A new certificate authority with the given key (not run by KrakenD Live).',
  genSelfSignedCert: 'A new self-signed certificate (not run by KrakenD Live).',
  genSelfSignedCertWithKey: 'A new self-signed certificate with the given key (not run by KrakenD Live).',
  genSignedCert: 'A new certificate signed by a CA (not run by KrakenD Live).',
  genSignedCertWithKey: 'A new certificate with the given key, signed by a CA (not run by KrakenD Live).',
  getHostByName: "The host's address from DNS (not run by KrakenD Live).",
  env: 'The value of an environment variable of the KrakenD process.',
  expandenv: 'The string with $VAR and ${VAR} replaced from the environment.',
  urlParse: 'The URL as a map (scheme, host, path, query, fragment, userinfo, opaque).',
  urlJoin: 'A URL built from a map like urlParse gives.',
};

const FUNCTIONS = krakendFunctions();

/** A function's Go signature: `substr(int, int, string) string`. */
export function functionSignature(name: string, def: FuncDef): string {
  const params = def.params.map((p, i) => (def.variadic && i === def.params.length - 1 ? `...${p.name}` : p.name));
  return `${name}(${params.join(', ')}) ${def.result.name}`;
}

/** One line on what the function does, or undefined for a name that is not one. */
export function functionDescription(name: string): string | undefined {
  return FUNCTIONS.funcs.has(name) ? (D[name] ?? 'A sprig function.') : undefined;
}

const KEYWORDS = ['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil', 'true', 'false'];

/** A settings file: its parsed root, where it is and its text (for line numbers). */
export interface SettingsTree {
  readonly root: ValueNode;
  readonly path: string;
  readonly text: string;
}

/** What the help needs of the project: the settings and the names it can offer. */
export interface TemplateHelpInput {
  readonly text: string;
  readonly offset: number;
  /** Each settings file by base name (`service` for settings/service.json). */
  readonly settings: ReadonlyMap<string, SettingsTree>;
  readonly partials: readonly string[];
  readonly templates: readonly string[];
}

function roots(input: TemplateHelpInput): Map<string, ValueNode> {
  return new Map([...input.settings].map(([name, t]) => [name, t.root]));
}

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 200 ? `${one.slice(0, 200)}…` : one;
}

/** Completion inside `{{ }}`; undefined outside actions (the caller falls back to its own). */
export function completeInAction(input: TemplateHelpInput): CompletionEntry[] | undefined {
  const at = actionCompletionAt(input.text, input.offset);
  if (!at) return undefined;
  const span = at.span;
  switch (at.kind) {
    case 'field':
      return keysAt(roots(input), at.path)
        .filter((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
        .map((k) => {
          const values = valuesAt(roots(input), [...at.path, k]);
          const sample = values[0] ? short(nodeText(values[0])) : undefined;
          return { label: k, kind: 'property' as const, insertText: k, snippet: false, span, ...(sample ? { detail: sample } : {}) };
        });
    case 'partial':
      return input.partials.map((p) => ({ label: p, kind: 'value' as const, insertText: p, snippet: false, span, detail: 'partial' }));
    case 'template':
      return input.templates.map((t) => ({ label: t, kind: 'value' as const, insertText: t, snippet: false, span, detail: 'template' }));
    case 'function': {
      const out: CompletionEntry[] = [];
      for (const [name, def] of FUNCTIONS.funcs) {
        const sig = functionSignature(name, def);
        out.push({ label: name, kind: 'value', detail: sig, documentation: `\`${sig}\`\n\n${functionDescription(name) ?? ''}`, insertText: name, snippet: false, span });
      }
      for (const k of KEYWORDS) out.push({ label: k, kind: 'value', detail: 'keyword', insertText: k, snippet: false, span, sortText: `~${k}` });
      return out;
    }
  }
}

/** The text of a settings value, for hover and completion details. */
function nodeText(node: ValueNode): string {
  switch (node.kind) {
    case 'object':
      return `{ ${node.properties.map((p) => p.key.value).join(', ')} }`;
    case 'array':
      return `[ ${node.items.length} item${node.items.length === 1 ? '' : 's'} ]`;
    case 'null':
      return 'null';
    case 'string':
      return JSON.stringify(node.value);
    default:
      return String(node.value);
  }
}

export interface TemplateHover {
  readonly markdown: string;
  readonly span: Span;
}

/** The identifier under the cursor inside an action, when it is a function's name. */
function functionAt(text: string, offset: number): { name: string; span: Span } | undefined {
  const open = text.lastIndexOf('{{', offset);
  if (open < 0) return undefined;
  const close = text.indexOf('}}', open);
  const end = close < 0 ? text.length : close + 2;
  if (offset > end) return undefined;
  const lexer = new Lexer(text.slice(open, end), { emitComment: false, breakOK: true, continueOK: true });
  for (let i = 0; i < end - open + 2; i++) {
    const item = lexer.nextItem();
    if (item.typ === ItemType.EOF || item.typ === ItemType.Error) break;
    const from = open + item.pos;
    if (item.typ === ItemType.Identifier && from <= offset && offset <= from + item.val.length) return { name: item.val, span: { offset: from, length: item.val.length } };
  }
  return undefined;
}

/** Hover inside `{{ }}`: a function's signature and description, or a settings field's value and file. */
export function hoverInAction(input: TemplateHelpInput): TemplateHover | undefined {
  const fn = functionAt(input.text, input.offset);
  if (fn) {
    const def = FUNCTIONS.funcs.get(fn.name);
    if (!def) return undefined;
    const kind = FUNCTIONS.builtins.has(fn.name) ? 'Go template builtin' : fn.name === 'marshal' || fn.name === 'include' ? 'KrakenD function' : 'sprig v3.2.3 function';
    return { markdown: `\`\`\`go\n${functionSignature(fn.name, def)}\n\`\`\`\n${functionDescription(fn.name)} _(${kind})_`, span: fn.span };
  }
  const ref = dataReferenceAt(input.text, input.offset);
  if (!ref || ref.path.length === 0) return undefined;
  const values = valuesAt(roots(input), ref.path);
  if (values.length === 0) return undefined;
  const file = input.settings.get(ref.path[0]!);
  const line = file ? file.text.slice(0, values[0]!.offset).split('\n').length : 0;
  const where = file ? `from \`${file.path}\`, line ${line}` : 'from the settings';
  const shown = ref.path.map((p) => (p === '*' ? '[*]' : p)).join('.').replace(/\.\[\*\]/g, '[*]');
  const value = short(nodeText(values[0]!));
  const more = values.length > 1 ? ` (and ${values.length - 1} more: one per element)` : '';
  return { markdown: `\`.${shown}\` = \`${value}\`${more}\n\n${where}`, span: ref.span };
}

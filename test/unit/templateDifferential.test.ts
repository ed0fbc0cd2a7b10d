// Every disagreement the Flexible Configuration differential (`npm run fuzz:fc`) found between
// the real KrakenD 2.13.8 and our engine, as a named case. Each expected output or error is what
// the real binary wrote to FC_OUT or logged. Outputs are compared as bytes, since Go strings are
// bytes: in `out`, `\xNN` is one raw byte (`\x5c` a backslash) and everything else is UTF-8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from '../../server/src/core/template/render';
import { goStringBytes } from '../../server/src/core/go/utf8';
import { compareOutcomes } from '../fuzz/fc/differential';

interface Case {
  readonly name: string;
  readonly tmpl: string;
  readonly data?: unknown;
  /** The output, `\xNN` for raw bytes. */
  readonly out?: string;
  /** Go's error text. */
  readonly err?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** The bytes of `s`, reading `\xNN` as one byte. */
function bytes(s: string): Buffer {
  return Buffer.concat(s.split(/\\x([0-9a-f]{2})/).map((part, i) => (i % 2 === 1 ? Buffer.from([parseInt(part, 16)]) : Buffer.from(part, 'utf8'))));
}

function run(c: Case): { out?: Buffer; err?: string } {
  const r = render({
    main: { name: 'krakend.tmpl', text: c.tmpl },
    templates: [],
    data: c.data === undefined ? {} : structuredClone(c.data),
    readPartial: () => undefined,
    env: (n) => c.env?.[n] ?? (n === 'TZ' ? 'UTC' : undefined),
    now: () => new Date(Date.UTC(2024, 2, 5, 14, 7, 9)),
  });
  return r.ok ? { out: Buffer.from(goStringBytes(r.output)) } : { err: r.message };
}

function check(cases: readonly Case[]): void {
  for (const c of cases) {
    const got = run(c);
    if (c.err !== undefined) assert.equal(got.err ?? `(no error; output ${JSON.stringify(got.out?.toString('latin1'))})`, c.err, c.name);
    else assert.deepEqual(got.out ?? `(error: ${got.err})`, bytes(c.out!), c.name);
  }
}

test('Go strings are bytes: cuts inside a character, \\x literals and a leading U+FEFF stay raw', () => {
  check([
    { name: 'substr cuts é', tmpl: '{{ substr 0 1 "é" }}|{{ len (substr 0 1 "é") }}', out: '\\xc3|1' },
    { name: 'trunc cuts 日', tmpl: '{{ trunc 4 "日本" }}', out: '日\\xe6' },
    { name: 'a leading U+FEFF survives substr', tmpl: '{{ "\\ufeffx" | substr 0 3 }}', out: '\ufeff' },
    { name: 'a \\xff literal is one byte', tmpl: '{{ "\\xff" }}|{{ len "\\xff" }}', out: '\\xff|1' },
    { name: '%q and quote show raw bytes as \\x', tmpl: '{{ substr 0 1 "é" | printf "%q" }}|{{ quote (trunc 1 "é") }}', out: '"\\x5cxc3"|"\\x5cxc3"' }, // \x5c is the backslash
    { name: 'upper maps a raw byte to U+FFFD (strings.Map)', tmpl: '{{ upper (substr 0 1 "é") }}', out: '\ufffd' },
    { name: 'b64enc encodes the raw byte', tmpl: '{{ "\\xff" | b64enc }}', out: '/w==' },
    { name: 'toJson writes \\ufffd for a raw byte', tmpl: '{{ substr 0 1 "é" | toJson }}', out: '"\\ufffd"' },
    { name: 'an invalid-UTF-8 regexp', tmpl: '{{ regexMatch "é\\x80" "x" }}|{{ mustRegexMatch "é\\x80" "x" }}', err: 'template: krakend.tmpl:1:33: executing "krakend.tmpl" at <mustRegexMatch "é\\x80" "x">: error calling mustRegexMatch: error parsing regexp: invalid UTF-8: `\udc80`' },
  ]);
});

test('nil and empty differ in Go: nil slices marshal as null, deepCopy of nil panics', () => {
  check([
    { name: 'rest and initial of an empty list are nil', tmpl: '{{ toJson (rest (list)) }}|{{ toJson (initial (list)) }}|{{ rest (list) }}', out: 'null|null|[]' },
    { name: 'concat of nothing is nil', tmpl: '{{ toJson (concat) }}|{{ toJson (concat (list) (list)) }}', out: 'null|null' },
    { name: 'regexFindAll without a match and regexSplit n=0 are nil', tmpl: '{{ toJson (regexFindAll "a" "b" -1) }}|{{ toJson (regexSplit "a" "b" 0) }}', out: 'null|null' },
    { name: 'deepCopy nil', tmpl: '{{ deepCopy nil }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <deepCopy nil>: error calling deepCopy: reflect: call of reflect.Value.Type on zero Value' },
    { name: 'chunk -1 makes a negative slice', tmpl: '{{ chunk -1 (list 1) }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <chunk -1 (list 1)>: error calling chunk: runtime error: makeslice: len out of range' },
  ]);
});

test('numbers: out-of-range JSON numbers decode to nil, float verbs %x %X %b', () => {
  check([
    { name: 'fromJson keeps going past 1e400', tmpl: '{{ fromJson "{\\"n\\":1e400,\\"m\\":[2,-1e999]}" }}', out: 'map[m:[2 <nil>] n:<nil>]' },
    { name: 'mustFromJson reports 1e400', tmpl: '{{ mustFromJson "{\\"n\\":1e400}" }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <mustFromJson "{\\"n\\":1e400}">: error calling mustFromJson: json: cannot unmarshal number 1e400 into Go value of type float64' },
    // Seed 2115814826, project 585: into an interface{}, any top level decodes, so its numbers count too.
    { name: 'mustFromJson reports 1e400 at the top level', tmpl: '{{ mustFromJson "1e400" }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <mustFromJson "1e400">: error calling mustFromJson: json: cannot unmarshal number 1e400 into Go value of type float64' },
    { name: 'mustFromJson reports -1e400 in a top-level array', tmpl: '{{ mustFromJson "[1, -1e400]" }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <mustFromJson "[1, -1e400]">: error calling mustFromJson: json: cannot unmarshal number -1e400 into Go value of type float64' },
    { name: 'fromJson of a top-level array keeps going past 1e400', tmpl: '{{ fromJson "[1, 1e400, 2]" | toJson }}', out: '[1,null,2]' },
    { name: 'printf hex and binary floats', tmpl: '{{ printf "%x %X %b %#x %.2x" 1.5 -2.5 1.0 1.0 3.14159 }}', out: '0x1.8p+00 -0X1.4P+01 4503599627370496p-52 0x1.0000p+00 0x1.92p+01' },
  ]);
});

test('time: ParseDuration errors, fractional seconds the layout lacks, the time package quote', () => {
  check([
    { name: 'unknown unit', tmpl: '{{ mustDateModify "2024-03-05" (toDate "2006" "2020") }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <mustDateModify "2024-03-05" (toDate "2006" "2020")>: error calling mustDateModify: time: unknown unit "-" in duration "2024-03-05"' },
    { name: 'missing unit', tmpl: '{{ mustDateModify "9223372036854775808" (toDate "2006" "2020") }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <mustDateModify "9223372036854775808" (toDate "2006" "2020")>: error calling mustDateModify: time: missing unit in duration "9223372036854775808"' },
    { name: 'control characters quoted as \\x', tmpl: '{{ must_date_modify "line1\\nline2" (toDate "2006" "2020") }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <must_date_modify "line1\\nline2" (toDate "2006" "2020")>: error calling must_date_modify: time: invalid duration "line1\\x0aline2"' },
    // Seed 1763604974, project 235: the layout's literal text is matched as far as it goes.
    { name: 'a literal mismatch shows the value from where it differs', tmpl: '{{ mustToDate "aGVsbG8=" "axx" }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <mustToDate "aGVsbG8=" "axx">: error calling mustToDate: parsing time "axx" as "aGVsbG8=": cannot parse "xx" as "aGVsbG8="' },
    { name: 'a space in the layout takes a run of spaces', tmpl: '{{ mustToDate "2006 01" "2006   01" | date "2006/01" }}', out: '2006/01' },
    { name: 'a space in the layout needs one in the value', tmpl: '{{ mustToDate "2006 01" "200601" }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <mustToDate "2006 01" "200601">: error calling mustToDate: parsing time "200601" as "2006 01": cannot parse "01" as " "' },
    // Seed 1999487797, project 999: a layout without a year gives year 0, a leap year.
    { name: 'no year in the layout is year 0', tmpl: '{{ toDate "" "" | toJson }}|{{ toDate "15:04" "10:30" }}|{{ toDate "" "" | date "2006 Mon Jan 002" }}|{{ (toDate "" "").Unix }}|{{ toDate "Jan 2" "Feb 29" }}|{{ toDate "Jan 2" "Feb 30" }}', out: '"0000-01-01T00:00:00Z"|0000-01-01 10:30:00 +0000 UTC|0000 Sat Jan 001|-62167219200|0000-02-29 00:00:00 +0000 UTC|0001-01-01 00:00:00 +0000 UTC' },
    { name: 'hour out of range', tmpl: '{{ mustToDate "03" "13" }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <mustToDate "03" "13">: error calling mustToDate: parsing time "13": hour out of range' },
    { name: 'second out of range', tmpl: '{{ mustToDate "05" "60" }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <mustToDate "05" "60">: error calling mustToDate: parsing time "60": second out of range' },
    { name: 'day out of range', tmpl: '{{ mustToDate "2006-01-02" "2023-02-29" }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <mustToDate "2006-01-02" "2023-02-29">: error calling mustToDate: parsing time "2023-02-29": day out of range' },
    { name: 'fractional seconds after 05', tmpl: '{{ htmlDate (toDate "2006-01-02T15:04:05Z07:00" "1999-12-31T23:59:59.123456789-08:00") }}', out: '2000-01-01' },
  ]);
});

test('encodings: base32 errors name the first bad byte', () => {
  check([{ name: 'b32dec', tmpl: '{{ b32dec "2024-03-05" }}|{{ b32dec "NBSWY3D" }}|{{ b32dec "N=======" }}|{{ b32dec "NBSWY===" }}', out: 'illegal base32 data at input byte 1|illegal base32 data at input byte 0|illegal base32 data at input byte 1|hel' }]);
});

test('regexps Go accepts or refuses: ] and } are literals, a backwards class range is an error', () => {
  check([
    { name: 'lone ] and }', tmpl: '{{ regexFindAll "a]b}" "xa]b}" -1 }}', out: '[a]b}]' },
    { name: 'backwards range', tmpl: '{{ regexFind "[y-d]" "x" }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <regexFind "[y-d]" "x">: error calling regexFind: regexp: Compile(`[y-d]`): error parsing regexp: invalid character class range: `y-d`' },
    { name: "a raw byte in JSON is quoted as that byte's rune", tmpl: '{{ mustFromJson "\\xf0\\x9f\\x98" }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <mustFromJson "\\xf0\\x9f\\x98">: error calling mustFromJson: invalid character \'ð\' looking for beginning of value' },
  ]);
});

test('endless template recursion is Go\'s depth error, and zones have tzdata abbreviations', () => {
  check([
    { name: 'a template calling itself', tmpl: '{{ template "x" }}{{ define "x" }}{{ template "x" }}{{ end }}', err: 'template: krakend.tmpl:1:46: executing "x" at <{{template "x"}}>: exceeded maximum template depth (100000)' },
    { name: 'Asia/Kolkata is IST', tmpl: '{{ dateInZone "MST" (toDate "2006" "2020") "Asia/Kolkata" }}', out: 'IST' },
  ]);
});

test('js copies a raw byte, and a negative slice bound has no length in Go\'s panic', () => {
  check([
    { name: 'js of a raw byte', tmpl: '{{ "\\xc3(x" | js }}', out: '\\xc3(x' },
    { name: 'substr with a negative end', tmpl: '{{ substr -1 -128 "1h30m" }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <substr -1 -128 "1h30m">: error calling substr: runtime error: slice bounds out of range [:-128]' },
    // Seed 2115814826, project 946: the panic names the int64 bound exactly.
    { name: 'substr from the largest int', tmpl: '{{ substr 9223372036854775807 9223372036854775807 "xx" }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <substr 9223372036854775807 9223372036854775807 "xx">: error calling substr: runtime error: slice bounds out of range [9223372036854775807:2]' },
    { name: 'recursion through a sub-template with an argument', tmpl: '{{ template "x" "a" }}{{ define "x" }}{{ template "x" "mailto:a@b.c" }}{{ end }}', err: 'template: krakend.tmpl:1:50: executing "x" at <{{template "x" "mailto:a@b.c"}}>: exceeded maximum template depth (100000)' },
  ]);
});

test("xstrings' case functions keep raw bytes inside words; nospace, untitle, urlParse, decryptAES as Go", () => {
  check([
    { name: 'snakecase and kebabcase keep a raw tail', tmpl: '{{ snakecase "a\\xe6\\x97" }}|{{ kebabcase "a\\xe6\\x97" }}', out: 'a\\xe6\\x97|a\\xe6\\x97' },
    { name: 'an upper-case word writes U+FFFD', tmpl: '{{ snakecase "aB\\xe6C" }}|{{ snakecase "AB\\xe6Cd" }}', out: 'a_b\ufffdc|ab_\ufffdcd' },
    // Seed 386104241, project 87: len(s) - MinInt64 wraps negative in Go, so the offset moves to the end.
    { name: 'abbrevboth with int64 bounds', tmpl: '{{ abbrevboth -9223372036854775808 7 "Asia/Kolkata" }}|{{ abbrevboth 9223372036854775807 7 "Asia/Kolkata" }}|{{ abbrevboth 5 9223372036854775807 "Asia/Kolkata" }}|{{ abbrevboth -9223372036854775807 10 "Asia/Kolkata/Calcutta" }}|{{ abbrevboth 6 10 "Asia/Kolkata/Calcutta" }}', out: '...kata|...kata|Asia/Kolkata|...alcutta|...olka...' },
    { name: 'nospace turns every byte into a rune', tmpl: '{{ nospace "é x" }}|{{ nospace "a\\xe6\\x97 b" }}', out: 'Ã©x|aæ\u0097b' },
    { name: 'untitle maps raw bytes to U+FFFD', tmpl: '{{ untitle "\\xe6\\x97a" }}', out: '\ufffd\ufffda' },
    { name: 'urlParse refuses non-ASCII userinfo', tmpl: '{{ urlParse "https://üser:p@ss@exämple.com/" }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <urlParse "https://üser:p@ss@exämple.com/">: error calling urlParse: unable to parse url: parse "https://üser:p@ss@exämple.com/": net/url: invalid userinfo' },
    { name: "decryptAES names base64's buffer capacity", tmpl: '{{ decryptAES "42" "aGVsbG8=" }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <decryptAES "42" "aGVsbG8=">: error calling decryptAES: runtime error: slice bounds out of range [:16] with capacity 6' },
  ]);
});

test('initials copies each byte as a rune, as goutils does', () => {
  check([
    // Seed 855526250, project 253: a raw byte is one rune U+00xx, not U+FFFD.
    { name: 'initials of \\xff', tmpl: '{{ initials "\\xff" }}|{{ initials "a \\xe6\\x97x b" }}', out: 'ÿ|aæb' },
  ]);
});

// A value that contains itself: Go's encoding/json and reflect.DeepEqual notice the cycle; fmt
// and mergo recurse until the goroutine's 1 GB stack is spent, and KrakenD dies with "fatal
// error: stack overflow" and a trace of fmt.(*pp).printValue or mergo.deepMerge frames. There is
// no Go error text then, so the expected errors below are our report of that crash, at the action.
const SELF = '{{ $m := dict "a" 1 }}{{ $_ := set $m "k" $m }}';
const SELF_VIA_LIST = '{{ $m := dict "a" 1 }}{{ $l := list 0 $m }}{{ $_ := set $m "l" $l }}';
const CRASH = (doing: string): string => `the value contains itself, so ${doing} it never ends: KrakenD crashes here with Go's "fatal error: stack overflow"`;

test('a value that contains itself: json and deepEqual see the cycle, printing and merging crash KrakenD', () => {
  check([
    { name: 'toJson gives nothing, deepEqual, has and uniq end', tmpl: `${SELF}{{ toJson $m }}|{{ deepEqual $m $m }}|{{ has $m (list $m) }}|{{ len (uniq (list $m $m)) }}`, out: '|true|true|1' },
    { name: 'two maps that each contain themselves are deepEqual', tmpl: `${SELF}{{ $n := dict "a" 1 }}{{ $_ := set $n "k" $n }}{{ deepEqual $m $n }}`, out: 'true' },
    { name: 'mustToJson names the type where the cycle shows (a list)', tmpl: `${SELF_VIA_LIST}{{ mustToJson $l }}`, err: 'template: krakend.tmpl:1:71: executing "krakend.tmpl" at <mustToJson $l>: error calling mustToJson: json: unsupported value: encountered a cycle via []interface {}' },
    { name: 'mustToPrettyJson names the type where the cycle shows (a map)', tmpl: `${SELF_VIA_LIST}{{ mustToPrettyJson $m }}`, err: 'template: krakend.tmpl:1:71: executing "krakend.tmpl" at <mustToPrettyJson $m>: error calling mustToPrettyJson: json: unsupported value: encountered a cycle via map[string]interface {}' },
    { name: 'merging one level of it ends', tmpl: `${SELF_VIA_LIST}{{ len (mergeOverwrite (dict "l" (list)) $m) }}`, out: '2' },
    { name: 'ranging over it ends', tmpl: `${SELF}{{ range $m }}{{ end }}{{ range $m.k.k.a }}{{ end }}.`, out: '.' },
    // Seed 1749012271, projects 111 and 149: mergeOverwrite $.urls . puts the settings inside
    // themselves; a later {{ . }} (there inside a sub-template) overflows Go's stack.
    { name: 'printing it', tmpl: `${SELF}x{{ $m }}`, err: `template: krakend.tmpl:1:51: executing "krakend.tmpl" at <{{$m}}>: ${CRASH('printing')}` },
    { name: 'printing it in a sub-template', tmpl: `${SELF}{{ template "t" $m }}{{ define "t" }}{{ . }}{{ end }}`, err: `template: krakend.tmpl:1:87: executing "t" at <{{.}}>: ${CRASH('printing')}` },
    { name: 'toDecimal prints it', tmpl: `${SELF}{{ toDecimal $m }}`, err: `template: krakend.tmpl:1:50: executing "krakend.tmpl" at <toDecimal $m>: ${CRASH('printing')}` },
    // KrakenD was still copying after 25 minutes (copystructure's stack grows slowly).
    { name: 'deepCopy of it', tmpl: `${SELF}{{ deepCopy $m }}`, err: `template: krakend.tmpl:1:50: executing "krakend.tmpl" at <deepCopy $m>: the value contains itself, so copying it never ends: KrakenD hangs here, until Go's "fatal error: stack overflow"` },
    { name: 'merging two of them', tmpl: `${SELF}{{ $n := dict "a" 1 }}{{ $_ := set $n "k" $n }}{{ len (merge $n $m) }}`, err: `template: krakend.tmpl:1:102: executing "krakend.tmpl" at <merge $n $m>: ${CRASH('merging')}` },
  ]);
});

test('trimAll matches runes: an invalid byte on either side is U+FFFD', () => {
  check([
    // Seed 1749012271, project 295: the cutset \xed\xa0\x80 is three U+FFFD, so both raw bytes of "a\xe6\x97" go.
    { name: 'trimall of raw bytes', tmpl: '{{ trimall "\\xed\\xa0\\x80" "a\\xe6\\x97" }}|{{ trimAll "\\xff" "\\xef\\xbf\\xbdx\\xfe" }}|{{ trimAll "\\xef\\xbf\\xbd" "\\xfeyz\\xff" }}|{{ trimAll "ab" "a\\xffb" }}|{{ trimAll "é" "é\\xc3\\xa9\\xc3" }}', out: 'a|x|yz|\\xff|\\xc3' },
  ]);
});

test('time zones a parsed value names: Z and UTC are time.UTC, other names are looked up or made up', () => {
  check([
    // Seed 1749012271, project 262 (TZ Asia/Kolkata): "Z" is UTC by name, not a nameless +0000.
    { name: 'Z under another local zone', tmpl: '{{ toDate "2006-01-02T15:04:05Z07:00" "2024-03-05T14:07:09Z" }}', env: { TZ: 'Asia/Kolkata' }, out: '2024-03-05 14:07:09 +0000 UTC' },
    {
      name: 'MST names under UTC',
      tmpl: '{{ toDate "2006-01-02 MST" "2024-03-05 PST" }}|{{ toDate "2006-01-02 MST" "2024-03-05 GMT+3" }}|{{ toDate "2006-01-02 -0700 MST" "2024-03-05 +0100 CET" }}|{{ toDate "2006-01-02 MST" "2024-03-05 -03" }}|{{ toDate "2006-01-02 MST" "2024-03-05 WITA" }}|{{ toDate "2006-01-02 MST" "2024-03-05 ABCDE" }}|{{ toDate "2006-01-02 MST" "2024-03-05 GMT-25" }}',
      out: '2024-03-05 00:00:00 +0000 PST|2024-03-05 03:00:00 +0300 GMT+3|2024-03-05 00:00:00 +0100 CET|2024-03-05 00:00:00 +0000 -03|2024-03-05 00:00:00 +0000 WITA|0001-01-01 00:00:00 +0000 UTC|0001-01-01 00:00:00 +0000 UTC',
    },
    {
      name: "the local zone's own names",
      tmpl: '{{ toDate "2006-01-02 MST" "2024-03-05 EST" }}|{{ toDate "2006-01-02 MST" "2024-03-05 EDT" }}|{{ toDate "2006-01-02 MST" "2024-07-05 EST" }}|{{ toDate "2006-01-02 -0700 MST" "2024-03-05 -0500 XST" }}|{{ toDate "Jan 2, 2006 at 3:04pm (MST)" "Mar 5, 2024 at 2:07pm (UTC)" }}',
      env: { TZ: 'America/New_York' },
      out: '2024-03-05 00:00:00 -0500 EST|2024-03-04 23:00:00 -0500 EST|2024-07-05 01:00:00 -0400 EDT|2024-03-05 00:00:00 -0500 XST|2024-03-05 14:07:00 +0000 UTC',
    },
  ]);
});

test('local mean time before a zone first changed, to the second and named LMT', () => {
  check([
    // Seed 2106480853, project 15: the zero time in Asia/Kolkata is LMT, +05:53:28.
    { name: 'zero time in Kolkata', tmpl: '{{ date "-2.5e3 MST -07:00:00" (toDate "2006-01-02" "bad") }}|{{ toDate "2006" "1880" }}', env: { TZ: 'Asia/Kolkata' }, out: '-1.28e5 LMT +05:53:28|1880-01-01 00:00:00 +0521 MMT' },
    { name: 'New York before 1883 and before 1970', tmpl: '{{ toDate "2006" "1850" }}|{{ toDate "2006" "1942" }}', env: { TZ: 'America/New_York' }, out: '1850-01-01 00:00:00 -0456 LMT|1942-01-01 00:00:00 -0500 EST' },
  ]);
});

test("verbs that skip String() print time.Time's fields", () => {
  check([
    // Seed 2106480853, project 763: %t of a zero time is its struct {wall ext loc}.
    { name: '%t of the zero time', tmpl: '{{ printf "%5tx=%+ T% 8.3t" (toDate "2006" "bad") }}', out: '{%!t(uint64=    0) %!t(int64=    0) %!t(*time.Location=<nil>)}x=%!T(MISSING)%!t(MISSING)' },
    // Seed 1034317597, project 166: "%*#x" makes # the verb; Local for TZ=UTC is a Location named UTC.
    { name: 'a bad verb shows the Local location', tmpl: '{{ printf "é%*#x" 1e-7 (toDate "2006-01-02" "2020-02-29") }}|{{ printf "%t" (toDate "2006-01-02" "2020-02-29") }}', out: 'é%!(BADWIDTH){%!#(uint64=0) %!#(int64=63718531200) %!#(*time.Location=&{UTC [] []  0 0 <nil>})}x|{%!t(uint64=0) %!t(int64=63718531200) %!t(*time.Location=&{UTC [] []  0 0 <nil>})}' },
    { name: '%d, %8t, %c of UTC times', tmpl: '{{ printf "%d|%8t|%c" (toDate "2006" "bad") (toDate "2006-01-02T15:04:05Z07:00" "2024-03-05T14:07:09.5Z") (toDate "2006" "bad") }}|{{ printf "%d" (list (toDate "2006" "bad")) }}', out: '{0 0 0}|{%!t(uint64=500000000) %!t(int64=63845244429) %!t(*time.Location=   <nil>)}|{\\x00 \\x00 %!c(*time.Location=<nil>)}|[{0 0 0}]' },
  ]);
});

test('slice reaches up to the capacity Go gave the slice, past its length', () => {
  check([
    // Seed 2106480853, project 413: until appends, so until 5 has room for 8.
    { name: 'until', tmpl: '{{ mustSlice (until 5) nil 7 }}|{{ slice (until 5) 0 8 }}|{{ mustSlice (until 3) 0 4 }}|{{ len (slice (until 40) 0 64) }}', out: '[0 1 2 3 4 0 0]|[0 1 2 3 4 0 0 0]|[0 1 2 0]|64' },
    { name: 'append, prepend, a slice of a slice', tmpl: '{{ mustSlice (append (list 1 2 3) 4) 0 6 }}|{{ slice (prepend (list 1 2 3 4) 0) 0 5 }}|{{ slice (slice (until 5) 1 2) 0 7 }}|{{ len (slice (append (until 40) 1) 0 82) }}', out: '[1 2 3 4 <nil> <nil>]|[0 1 2 3 4]|[1 2 3 4 0 0 0]|82' },
    { name: 'JSON arrays grow one element at a time', tmpl: `{{ slice (fromJson "[1,2,3]") 0 4 }}|{{ len (slice (fromJson "[${Array.from({ length: 65 }, (_, i) => i).join(',')}]") 0 71) }}`, out: '[1 2 3 <nil>]|71' },
    { name: 'past the capacity', tmpl: '{{ mustSlice (list 1 2 3) 0 4 }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <mustSlice (list 1 2 3) 0 4>: error calling mustSlice: reflect.Value.Slice: slice index out of bounds' },
    { name: 'initial copies exactly', tmpl: '{{ slice (initial (list 1 2 3)) 0 3 }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <slice (initial (list 1 2 3)) 0 3>: error calling slice: reflect.Value.Slice: slice index out of bounds' },
    { name: 'settings arrays', tmpl: '{{ slice .a 0 4 }}', data: { a: [1, 2, 3] }, out: '[1 2 3 <nil>]' },
  ]);
});

test('a sequence too long to hold is our limit, said at the call', () => {
  check([
    // Seed 935663181, project 951: KrakenD appended until the kernel killed it for memory (about 100 s).
    { name: 'untilStep to MaxInt64', tmpl: '{{ len (untilStep 0 9223372036854775807 3) }}', err: 'template: krakend.tmpl:1:8: executing "krakend.tmpl" at <untilStep 0 9223372036854775807 3>: a sequence of 3074457345618258603 numbers is more than KrakenD Live renders (1048576); KrakenD would try to build it and may run out of memory' },
    { name: 'the limit itself, and counting down', tmpl: '{{ len (until 1048576) }}|{{ untilStep 10 -10 -3 }}|{{ seq 10 -3 1 }}', out: '1048576|[10 7 4 1 -2 -5 -8]|10 7 4 1' },
  ]);
});

test('time literals match byte by byte', () => {
  check([
    // Seed 935663181, project 357: "\xc3" matches the first byte of ß; the error shows the rest from the next byte.
    { name: 'half a character', tmpl: '{{ mustToDate "\\xc3(x" "ßtraße" }}', err: 'template: krakend.tmpl:1:3: executing "krakend.tmpl" at <mustToDate "\\xc3(x" "ßtraße">: error calling mustToDate: parsing time "\\xc3\\x9ftra\\xc3\\x9fe" as "\\xc3(x": cannot parse "\\x9ftra\\xc3\\x9fe" as "\\xc3(x"' },
  ]);
});

test('the differential counts a KrakenD crash as agreement only when ours names the same one', () => {
  const trace = (frame: string): Buffer => Buffer.from(`runtime: goroutine stack exceeds 1000000000-byte limit\nfatal error: stack overflow\n\ngoroutine 1 [running]:\n${frame}(0x1, 0x2)\n`);
  const ours = (text: string) => ({ ok: false as const, error: Buffer.from(text) });
  const printing = `template: k.tmpl:1:5: executing "k.tmpl" at <{{$m}}>: ${CRASH('printing')}`;
  const merging = `template: k.tmpl:1:5: executing "k.tmpl" at <merge $n $m>: ${CRASH('merging')}`;
  const real = { ok: false as const, error: trace('fmt.(*pp).printValue') };
  assert.equal(compareOutcomes(real, ours(printing)), undefined);
  assert.match(compareOutcomes(real, ours(merging)) ?? '', /errors differ/);
  assert.match(compareOutcomes({ ok: false, error: trace('encoding/json.(*encodeState).marshal') }, ours(printing)) ?? '', /errors differ/);
  assert.match(compareOutcomes(real, ours('the template or its data is nested too deeply to render')) ?? '', /errors differ/);
  const limit = 'template: k.tmpl:1:8: executing "k.tmpl" at <until 9223372036854775807>: a sequence of 9223372036854775807 numbers is more than KrakenD Live renders (1048576); KrakenD would try to build it and may run out of memory';
  assert.equal(compareOutcomes({ ok: false, error: Buffer.from('Parsing configuration file: k.tmpl\n'), ended: 'killed' }, ours(limit)), undefined);
  assert.equal(compareOutcomes({ ok: false, error: Buffer.from('runtime: out of memory: cannot allocate 1795162112-byte block (5070422016 in use)\nfatal error: out of memory\n') }, ours(limit)), undefined);
  assert.match(compareOutcomes({ ok: false, error: Buffer.from('Parsing configuration file: k.tmpl\n'), ended: 'timeout' }, ours(limit)) ?? '', /errors differ/);
  assert.match(compareOutcomes({ ok: false, error: Buffer.from('Parsing configuration file: k.tmpl\n') }, ours(limit)) ?? '', /errors differ/);
});

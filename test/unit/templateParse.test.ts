// Go's own parser tests (text/template/parse/parse_test.go, Go 1.26) rewritten as tables:
// each input, whether it parses, the tree Go prints for it (text nodes quoted, as in Go's
// test), and for failures the exact message Go gives in KrakenD's setup (template name
// krakend.tmpl, KrakenD's function map).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { krakendFunctions } from '../../server/src/core/template/functions';
import { nodeString } from '../../server/src/core/template/nodes';
import { TemplateParseError, parseNumberLiteral, parseTemplate } from '../../server/src/core/template/parse';

const { funcs } = krakendFunctions();
const has = (name: string): boolean => funcs.has(name);

interface ParseCase {
  readonly name: string;
  readonly input: string;
  /** The tree's String() when it parses, Go's error text when it does not. */
  readonly tree?: string;
  readonly error?: string;
}

const PARSE_CASES: readonly ParseCase[] = [
  {"name": "empty", "input": "", "tree": ""},
  {"name": "comment", "input": "{{/*\n\n\n*/}}", "tree": ""},
  {"name": "spaces", "input": " \t\n", "tree": "\" \\t\\n\""},
  {"name": "text", "input": "some text", "tree": "\"some text\""},
  {"name": "emptyAction", "input": "{{}}", "error": "template: krakend.tmpl:1: missing value for command"},
  {"name": "field", "input": "{{.X}}", "tree": "{{.X}}"},
  {"name": "simple command", "input": "{{printf}}", "tree": "{{printf}}"},
  {"name": "$ invocation", "input": "{{$}}", "tree": "{{$}}"},
  {"name": "variable invocation", "input": "{{with $x := 3}}{{$x 23}}{{end}}", "tree": "{{with $x := 3}}{{$x 23}}{{end}}"},
  {"name": "variable with fields", "input": "{{$.I}}", "tree": "{{$.I}}"},
  {"name": "multi-word command", "input": "{{printf `%d` 23}}", "tree": "{{printf `%d` 23}}"},
  {"name": "pipeline", "input": "{{.X|.Y}}", "tree": "{{.X | .Y}}"},
  {"name": "pipeline with decl", "input": "{{$x := .X|.Y}}", "tree": "{{$x := .X | .Y}}"},
  {"name": "nested pipeline", "input": "{{.X (.Y .Z) (.A | .B .C) (.E)}}", "tree": "{{.X (.Y .Z) (.A | .B .C) (.E)}}"},
  {"name": "field applied to parentheses", "input": "{{(.Y .Z).Field}}", "tree": "{{(.Y .Z).Field}}"},
  {"name": "simple if", "input": "{{if .X}}hello{{end}}", "tree": "{{if .X}}\"hello\"{{end}}"},
  {"name": "if with else", "input": "{{if .X}}true{{else}}false{{end}}", "tree": "{{if .X}}\"true\"{{else}}\"false\"{{end}}"},
  {"name": "if with else if", "input": "{{if .X}}true{{else if .Y}}false{{end}}", "tree": "{{if .X}}\"true\"{{else}}{{if .Y}}\"false\"{{end}}{{end}}"},
  {"name": "if else chain", "input": "+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+", "tree": "\"+\"{{if .X}}\"X\"{{else}}{{if .Y}}\"Y\"{{else}}{{if .Z}}\"Z\"{{end}}{{end}}{{end}}\"+\""},
  {"name": "simple range", "input": "{{range .X}}hello{{end}}", "tree": "{{range .X}}\"hello\"{{end}}"},
  {"name": "chained field range", "input": "{{range .X.Y.Z}}hello{{end}}", "tree": "{{range .X.Y.Z}}\"hello\"{{end}}"},
  {"name": "nested range", "input": "{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}", "tree": "{{range .X}}\"hello\"{{range .Y}}\"goodbye\"{{end}}{{end}}"},
  {"name": "range with else", "input": "{{range .X}}true{{else}}false{{end}}", "tree": "{{range .X}}\"true\"{{else}}\"false\"{{end}}"},
  {"name": "range over pipeline", "input": "{{range .X|.M}}true{{else}}false{{end}}", "tree": "{{range .X | .M}}\"true\"{{else}}\"false\"{{end}}"},
  {"name": "range []int", "input": "{{range .SI}}{{.}}{{end}}", "tree": "{{range .SI}}{{.}}{{end}}"},
  {"name": "range 1 var", "input": "{{range $x := .SI}}{{.}}{{end}}", "tree": "{{range $x := .SI}}{{.}}{{end}}"},
  {"name": "range 2 vars", "input": "{{range $x, $y := .SI}}{{.}}{{end}}", "tree": "{{range $x, $y := .SI}}{{.}}{{end}}"},
  {"name": "range with break", "input": "{{range .SI}}{{.}}{{break}}{{end}}", "tree": "{{range .SI}}{{.}}{{break}}{{end}}"},
  {"name": "range with continue", "input": "{{range .SI}}{{.}}{{continue}}{{end}}", "tree": "{{range .SI}}{{.}}{{continue}}{{end}}"},
  {"name": "constants", "input": "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}", "tree": "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}"},
  {"name": "template", "input": "{{template `x`}}", "tree": "{{template \"x\"}}"},
  {"name": "template with arg", "input": "{{template `x` .Y}}", "tree": "{{template \"x\" .Y}}"},
  {"name": "with", "input": "{{with .X}}hello{{end}}", "tree": "{{with .X}}\"hello\"{{end}}"},
  {"name": "with with else", "input": "{{with .X}}hello{{else}}goodbye{{end}}", "tree": "{{with .X}}\"hello\"{{else}}\"goodbye\"{{end}}"},
  {"name": "with with else with", "input": "{{with .X}}hello{{else with .Y}}goodbye{{end}}", "tree": "{{with .X}}\"hello\"{{else}}{{with .Y}}\"goodbye\"{{end}}{{end}}"},
  {"name": "with else chain", "input": "{{with .X}}X{{else with .Y}}Y{{else with .Z}}Z{{end}}", "tree": "{{with .X}}\"X\"{{else}}{{with .Y}}\"Y\"{{else}}{{with .Z}}\"Z\"{{end}}{{end}}{{end}}"},
  {"name": "trim left", "input": "x \r\n\t{{- 3}}", "tree": "\"x\"{{3}}"},
  {"name": "trim right", "input": "{{3 -}}\n\n\ty", "tree": "{{3}}\"y\""},
  {"name": "trim left and right", "input": "x \r\n\t{{- 3 -}}\n\n\ty", "tree": "\"x\"{{3}}\"y\""},
  {"name": "trim with extra spaces", "input": "x\n{{-  3   -}}\ny", "tree": "\"x\"{{3}}\"y\""},
  {"name": "comment trim left", "input": "x \r\n\t{{- /* hi */}}", "tree": "\"x\""},
  {"name": "comment trim right", "input": "{{/* hi */ -}}\n\n\ty", "tree": "\"y\""},
  {"name": "comment trim left and right", "input": "x \r\n\t{{- /* */ -}}\n\n\ty", "tree": "\"x\"\"y\""},
  {"name": "block definition", "input": "{{block \"foo\" .}}hello{{end}}", "tree": "{{template \"foo\" .}}"},
  {"name": "newline in assignment", "input": "{{ $x \n := \n 1 \n }}", "tree": "{{$x := 1}}"},
  {"name": "newline in empty action", "input": "{{\n}}", "error": "template: krakend.tmpl:2: missing value for command"},
  {"name": "newline in pipeline", "input": "{{\n\"x\"\n|\nprintf\n}}", "tree": "{{\"x\" | printf}}"},
  {"name": "newline in comment", "input": "{{/*\nhello\n*/}}", "tree": ""},
  {"name": "newline in comment", "input": "{{-\n/*\nhello\n*/\n-}}", "tree": ""},
  {"name": "spaces around continue", "input": "{{range .SI}}{{.}}{{ continue }}{{end}}", "tree": "{{range .SI}}{{.}}{{continue}}{{end}}"},
  {"name": "spaces around break", "input": "{{range .SI}}{{.}}{{ break }}{{end}}", "tree": "{{range .SI}}{{.}}{{break}}{{end}}"},
  {"name": "unclosed action", "input": "hello{{range", "error": "template: krakend.tmpl:1: unclosed action"},
  {"name": "unmatched end", "input": "{{end}}", "error": "template: krakend.tmpl:1: unexpected {{end}}"},
  {"name": "unmatched else", "input": "{{else}}", "error": "template: krakend.tmpl:1: unexpected {{else}}"},
  {"name": "unmatched else after if", "input": "{{if .X}}hello{{end}}{{else}}", "error": "template: krakend.tmpl:1: unexpected {{else}}"},
  {"name": "multiple else", "input": "{{if .X}}1{{else}}2{{else}}3{{end}}", "error": "template: krakend.tmpl:1: expected end; found {{else}}"},
  {"name": "missing end", "input": "hello{{range .x}}", "error": "template: krakend.tmpl:1: unexpected EOF"},
  {"name": "missing end after else", "input": "hello{{range .x}}{{else}}", "error": "template: krakend.tmpl:1: unexpected EOF"},
  {"name": "undefined function", "input": "hello{{undefined}}", "error": "template: krakend.tmpl:1: function \"undefined\" not defined"},
  {"name": "undefined variable", "input": "{{$x}}", "error": "template: krakend.tmpl:1: undefined variable \"$x\""},
  {"name": "variable undefined after end", "input": "{{with $x := 4}}{{end}}{{$x}}", "error": "template: krakend.tmpl:1: undefined variable \"$x\""},
  {"name": "variable undefined in template", "input": "{{template $v}}", "error": "template: krakend.tmpl:1: unexpected \"$v\" in template clause"},
  {"name": "declare with field", "input": "{{with $x.Y := 4}}{{end}}", "error": "template: krakend.tmpl:1: undefined variable \"$x\""},
  {"name": "template with field ref", "input": "{{template .X}}", "error": "template: krakend.tmpl:1: unexpected \".X\" in template clause"},
  {"name": "template with var", "input": "{{template $v}}", "error": "template: krakend.tmpl:1: unexpected \"$v\" in template clause"},
  {"name": "invalid punctuation", "input": "{{printf 3, 4}}", "error": "template: krakend.tmpl:1: unexpected \",\" in operand"},
  {"name": "multidecl outside range", "input": "{{with $v, $u := 3}}{{end}}", "error": "template: krakend.tmpl:1: too many declarations in with"},
  {"name": "too many decls in range", "input": "{{range $u, $v, $w := 3}}{{end}}", "error": "template: krakend.tmpl:1: too many declarations in range"},
  {"name": "dot applied to parentheses", "input": "{{printf (printf .).}}", "error": "template: krakend.tmpl:1: unexpected <.> in operand"},
  {"name": "adjacent args", "input": "{{printf 3`x`}}", "error": "template: krakend.tmpl:1: unexpected \"`x`\" in operand"},
  {"name": "adjacent args with .", "input": "{{printf `x`.}}", "error": "template: krakend.tmpl:1: unexpected <.> in operand"},
  {"name": "extra end after if", "input": "{{if .X}}a{{else if .Y}}b{{end}}{{end}}", "error": "template: krakend.tmpl:1: unexpected {{end}}"},
  {"name": "break outside range", "input": "{{range .}}{{end}} {{break}}", "error": "template: krakend.tmpl:1: {{break}} outside {{range}}"},
  {"name": "continue outside range", "input": "{{range .}}{{end}} {{continue}}", "error": "template: krakend.tmpl:1: {{continue}} outside {{range}}"},
  {"name": "break in range else", "input": "{{range .}}{{else}}{{break}}{{end}}", "error": "template: krakend.tmpl:1: {{break}} outside {{range}}"},
  {"name": "continue in range else", "input": "{{range .}}{{else}}{{continue}}{{end}}", "error": "template: krakend.tmpl:1: {{continue}} outside {{range}}"},
  {"name": "bug0a", "input": "{{$x := 0}}{{$x}}", "tree": "{{$x := 0}}{{$x}}"},
  {"name": "bug0b", "input": "{{$x += 1}}{{$x}}", "error": "template: krakend.tmpl:1: undefined variable \"$x\""},
  {"name": "bug0c", "input": "{{$x ! 2}}{{$x}}", "error": "template: krakend.tmpl:1: undefined variable \"$x\""},
  {"name": "bug0d", "input": "{{$x % 3}}{{$x}}", "error": "template: krakend.tmpl:1: undefined variable \"$x\""},
  {"name": "bug0e", "input": "{{range $x := $y := 3}}{{end}}", "error": "template: krakend.tmpl:1: undefined variable \"$y\""},
  {"name": "bug1a", "input": "{{$x:=.}}{{$x!2}}", "error": "template: krakend.tmpl:1: bad character U+0021 '!'"},
  {"name": "bug1b", "input": "{{$x:=.}}{{$x+2}}", "error": "template: krakend.tmpl:1: bad character U+002B '+'"},
  {"name": "bug1c", "input": "{{$x:=.}}{{$x +2}}", "tree": "{{$x := .}}{{$x +2}}"},
  {"name": "bug2a", "input": "{{range $x := 0}}{{$x}}{{end}}", "tree": "{{range $x := 0}}{{$x}}{{end}}"},
  {"name": "bug2b", "input": "{{range $x = 0}}{{$x}}{{end}}", "tree": "{{range $x = 0}}{{$x}}{{end}}"},
  {"name": "dot after integer", "input": "{{1.E}}", "error": "template: krakend.tmpl:1: illegal number syntax: \"1.E\""},
  {"name": "dot after float", "input": "{{0.1.E}}", "error": "template: krakend.tmpl:1: unexpected . after term \"0.1\""},
  {"name": "dot after boolean", "input": "{{true.E}}", "error": "template: krakend.tmpl:1: unexpected . after term \"true\""},
  {"name": "dot after char", "input": "{{'a'.any}}", "error": "template: krakend.tmpl:1: unexpected . after term \"'a'\""},
  {"name": "dot after string", "input": "{{\"hello\".guys}}", "error": "template: krakend.tmpl:1: unexpected . after term \"\\\"hello\\\"\""},
  {"name": "dot after dot", "input": "{{..E}}", "error": "template: krakend.tmpl:1: unexpected . after term \".\""},
  {"name": "dot after nil", "input": "{{nil.E}}", "error": "template: krakend.tmpl:1: unexpected . after term \"nil\""},
  {"name": "wrong pipeline dot", "input": "{{12|.}}", "error": "template: krakend.tmpl:1: non executable command in pipeline stage 2"},
  {"name": "wrong pipeline number", "input": "{{.|12|printf}}", "error": "template: krakend.tmpl:1: non executable command in pipeline stage 2"},
  {"name": "wrong pipeline string", "input": "{{.|printf|\"error\"}}", "error": "template: krakend.tmpl:1: non executable command in pipeline stage 3"},
  {"name": "wrong pipeline char", "input": "{{12|printf|'e'}}", "error": "template: krakend.tmpl:1: non executable command in pipeline stage 3"},
  {"name": "wrong pipeline boolean", "input": "{{.|true}}", "error": "template: krakend.tmpl:1: non executable command in pipeline stage 2"},
  {"name": "wrong pipeline nil", "input": "{{'c'|nil}}", "error": "template: krakend.tmpl:1: non executable command in pipeline stage 2"},
  {"name": "empty pipeline", "input": "{{printf \"%d\" ( ) }}", "error": "template: krakend.tmpl:1: missing value for parenthesized pipeline"},
  {"name": "block definition", "input": "{{block \"foo\"}}hello{{end}}", "error": "template: krakend.tmpl:1: missing value for block clause"},
];

/** Go's errorTests: line numbers and messages of parse errors. */
const ERROR_CASES: readonly ParseCase[] = [
  {"name": "unclosed1", "input": "line1\n{{", "error": "template: krakend.tmpl:2: unclosed action"},
  {"name": "unclosed2", "input": "line1\n{{define `x`}}line2\n{{", "error": "template: krakend.tmpl:3: unclosed action"},
  {"name": "unclosed3", "input": "line1\n{{\"x\"\n\"y\"\n", "error": "template: krakend.tmpl:4: unclosed action started at krakend.tmpl:2"},
  {"name": "unclosed4", "input": "{{\n\n\n\n\n", "error": "template: krakend.tmpl:6: unclosed action started at krakend.tmpl:1"},
  {"name": "var1", "input": "line1\n{{\nx\n}}", "error": "template: krakend.tmpl:3: function \"x\" not defined"},
  {"name": "function", "input": "{{foo}}", "error": "template: krakend.tmpl:1: function \"foo\" not defined"},
  {"name": "comment1", "input": "{{/*}}", "error": "template: krakend.tmpl:1: unclosed comment"},
  {"name": "comment2", "input": "{{/*\nhello\n}}", "error": "template: krakend.tmpl:1: unclosed comment"},
  {"name": "lparen", "input": "{{.X (1 2 3}}", "error": "template: krakend.tmpl:1: unclosed left paren"},
  {"name": "rparen", "input": "{{.X 1 2 3 ) }}", "error": "template: krakend.tmpl:1: unexpected right paren"},
  {"name": "rparen2", "input": "{{(.X 1 2 3", "error": "template: krakend.tmpl:1: unclosed action"},
  {"name": "space", "input": "{{`x`3}}", "error": "template: krakend.tmpl:1: unexpected \"3\" in operand"},
  {"name": "idchar", "input": "{{a#}}", "error": "template: krakend.tmpl:1: bad character U+0023 '#'"},
  {"name": "charconst", "input": "{{'a}}", "error": "template: krakend.tmpl:1: unterminated character constant"},
  {"name": "stringconst", "input": "{{\"a}}", "error": "template: krakend.tmpl:1: unterminated quoted string"},
  {"name": "rawstringconst", "input": "{{`a}}", "error": "template: krakend.tmpl:1: unterminated raw quoted string"},
  {"name": "number", "input": "{{0xi}}", "error": "template: krakend.tmpl:1: illegal number syntax: \"0xi\""},
  {"name": "multidefine", "input": "{{define `a`}}a{{end}}{{define `a`}}b{{end}}", "error": "template: krakend.tmpl:1: template: multiple definition of template \"a\""},
  {"name": "eof", "input": "{{range .X}}", "error": "template: krakend.tmpl:1: unexpected EOF"},
  {"name": "variable", "input": "{{$x := 23}}{{with $x.y := 3}}{{$x 23}}{{end}}", "error": "template: krakend.tmpl:1: unexpected \":=\" in operand"},
  {"name": "multidecl", "input": "{{$a,$b,$c := 23}}", "error": "template: krakend.tmpl:1: too many declarations in command"},
  {"name": "undefvar", "input": "{{$a}}", "error": "template: krakend.tmpl:1: undefined variable \"$a\""},
  {"name": "wrongdot", "input": "{{true.any}}", "error": "template: krakend.tmpl:1: unexpected . after term \"true\""},
  {"name": "wrongpipeline", "input": "{{12|false}}", "error": "template: krakend.tmpl:1: non executable command in pipeline stage 2"},
  {"name": "emptypipeline", "input": "{{ ( ) }}", "error": "template: krakend.tmpl:1: missing value for parenthesized pipeline"},
  {"name": "multilinerawstring", "input": "{{ $v := `\n` }} {{", "error": "template: krakend.tmpl:2: unclosed action"},
  {"name": "rangeundefvar", "input": "{{range $k}}{{end}}", "error": "template: krakend.tmpl:1: undefined variable \"$k\""},
  {"name": "rangeundefvars", "input": "{{range $k, $v}}{{end}}", "error": "template: krakend.tmpl:1: undefined variable \"$v\""},
  {"name": "rangemissingvalue1", "input": "{{range $k,}}{{end}}", "error": "template: krakend.tmpl:1: missing value for range"},
  {"name": "rangemissingvalue2", "input": "{{range $k, $v := }}{{end}}", "error": "template: krakend.tmpl:1: missing value for range"},
  {"name": "rangenotvariable1", "input": "{{range $k, .}}{{end}}", "error": "template: krakend.tmpl:1: range can only initialize variables"},
  {"name": "rangenotvariable2", "input": "{{range $k, 123 := .}}{{end}}", "error": "template: krakend.tmpl:1: range can only initialize variables"},
];

interface NumberCase {
  readonly text: string;
  readonly isInt: boolean;
  readonly isUint: boolean;
  readonly isFloat: boolean;
  readonly isComplex: boolean;
  readonly int64: number;
  readonly uint64: number;
  readonly float64: number;
  readonly re: number;
  readonly im: number;
}

/** Go's numberTests: how a literal is stored (IsInt, IsUint, IsFloat, IsComplex and values). */
const NUMBER_CASES: readonly NumberCase[] = [
  {"float64": 0, "im": 0, "int64": 0, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "0", "uint64": 0},
  {"float64": 0, "im": 0, "int64": 0, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "-0", "uint64": 0},
  {"float64": 73, "im": 0, "int64": 73, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "73", "uint64": 73},
  {"float64": 73, "im": 0, "int64": 73, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "7_3", "uint64": 73},
  {"float64": 73, "im": 0, "int64": 73, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "0b10_010_01", "uint64": 73},
  {"float64": 73, "im": 0, "int64": 73, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "0B10_010_01", "uint64": 73},
  {"float64": 59, "im": 0, "int64": 59, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "073", "uint64": 59},
  {"float64": 59, "im": 0, "int64": 59, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "0o73", "uint64": 59},
  {"float64": 59, "im": 0, "int64": 59, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "0O73", "uint64": 59},
  {"float64": 115, "im": 0, "int64": 115, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "0x73", "uint64": 115},
  {"float64": 115, "im": 0, "int64": 115, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "0X73", "uint64": 115},
  {"float64": 115, "im": 0, "int64": 115, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "0x7_3", "uint64": 115},
  {"float64": -73, "im": 0, "int64": -73, "isComplex": false, "isFloat": true, "isInt": true, "isUint": false, "re": 0, "text": "-73", "uint64": 0},
  {"float64": 73, "im": 0, "int64": 73, "isComplex": false, "isFloat": true, "isInt": true, "isUint": false, "re": 0, "text": "+73", "uint64": 0},
  {"float64": 100, "im": 0, "int64": 100, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "100", "uint64": 100},
  {"float64": 1000000000, "im": 0, "int64": 1000000000, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "1e9", "uint64": 1000000000},
  {"float64": -1000000000, "im": 0, "int64": -1000000000, "isComplex": false, "isFloat": true, "isInt": true, "isUint": false, "re": 0, "text": "-1e9", "uint64": 0},
  {"float64": -1.2, "im": 0, "int64": 0, "isComplex": false, "isFloat": true, "isInt": false, "isUint": false, "re": 0, "text": "-1.2", "uint64": 0},
  {"float64": 10000000000000000000, "im": 0, "int64": 0, "isComplex": false, "isFloat": true, "isInt": false, "isUint": true, "re": 0, "text": "1e19", "uint64": 10000000000000000000},
  {"float64": 10000000000000000000, "im": 0, "int64": 0, "isComplex": false, "isFloat": true, "isInt": false, "isUint": true, "re": 0, "text": "1e1_9", "uint64": 10000000000000000000},
  {"float64": 10000000000000000000, "im": 0, "int64": 0, "isComplex": false, "isFloat": true, "isInt": false, "isUint": true, "re": 0, "text": "1E19", "uint64": 10000000000000000000},
  {"float64": -10000000000000000000, "im": 0, "int64": 0, "isComplex": false, "isFloat": true, "isInt": false, "isUint": false, "re": 0, "text": "-1e19", "uint64": 0},
  {"float64": 16, "im": 0, "int64": 16, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "0x_1p4", "uint64": 16},
  {"float64": 16, "im": 0, "int64": 16, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "0X_1P4", "uint64": 16},
  {"float64": 0.0625, "im": 0, "int64": 0, "isComplex": false, "isFloat": true, "isInt": false, "isUint": false, "re": 0, "text": "0x_1p-4", "uint64": 0},
  {"float64": 0, "im": 4, "int64": 0, "isComplex": true, "isFloat": false, "isInt": false, "isUint": false, "re": 0, "text": "4i", "uint64": 0},
  {"float64": 0, "im": 4.2, "int64": 0, "isComplex": true, "isFloat": false, "isInt": false, "isUint": false, "re": -1.2, "text": "-1.2+4.2i", "uint64": 0},
  {"float64": 0, "im": 73, "int64": 0, "isComplex": true, "isFloat": false, "isInt": false, "isUint": false, "re": 0, "text": "073i", "uint64": 0},
  {"float64": 0, "im": 0, "int64": 0, "isComplex": true, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "0i", "uint64": 0},
  {"float64": -1.2, "im": 0, "int64": 0, "isComplex": true, "isFloat": true, "isInt": false, "isUint": false, "re": -1.2, "text": "-1.2+0i", "uint64": 0},
  {"float64": -12, "im": 0, "int64": -12, "isComplex": true, "isFloat": true, "isInt": true, "isUint": false, "re": -12, "text": "-12+0i", "uint64": 0},
  {"float64": 13, "im": 0, "int64": 13, "isComplex": true, "isFloat": true, "isInt": true, "isUint": true, "re": 13, "text": "13+0i", "uint64": 13},
  {"float64": 83, "im": 0, "int64": 83, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "0123", "uint64": 83},
  {"float64": 0, "im": 0, "int64": 0, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "-0x0", "uint64": 0},
  {"float64": 3735928559, "im": 0, "int64": 3735928559, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "0xdeadbeef", "uint64": 3735928559},
  {"float64": 97, "im": 0, "int64": 97, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "'a'", "uint64": 97},
  {"float64": 10, "im": 0, "int64": 10, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "'\\n'", "uint64": 10},
  {"float64": 92, "im": 0, "int64": 92, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "'\\\\'", "uint64": 92},
  {"float64": 39, "im": 0, "int64": 39, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "'\\''", "uint64": 39},
  {"float64": 255, "im": 0, "int64": 255, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "'\\xFF'", "uint64": 255},
  {"float64": 12497, "im": 0, "int64": 12497, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "'\u30d1'", "uint64": 12497},
  {"float64": 12497, "im": 0, "int64": 12497, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "'\\u30d1'", "uint64": 12497},
  {"float64": 12497, "im": 0, "int64": 12497, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "'\\U000030d1'", "uint64": 12497},
  {"float64": 0, "im": 0, "int64": 0, "isComplex": false, "isFloat": false, "isInt": false, "isUint": false, "re": 0, "text": "+-2", "uint64": 0},
  {"float64": 0, "im": 0, "int64": 0, "isComplex": false, "isFloat": false, "isInt": false, "isUint": false, "re": 0, "text": "0x123.", "uint64": 0},
  {"float64": 0, "im": 0, "int64": 0, "isComplex": false, "isFloat": false, "isInt": false, "isUint": false, "re": 0, "text": "1e.", "uint64": 0},
  {"float64": 0, "im": 0, "int64": 0, "isComplex": false, "isFloat": false, "isInt": false, "isUint": false, "re": 0, "text": "0xi.", "uint64": 0},
  {"float64": 0, "im": 0, "int64": 0, "isComplex": false, "isFloat": false, "isInt": false, "isUint": false, "re": 0, "text": "1+2.", "uint64": 0},
  {"float64": 0, "im": 0, "int64": 0, "isComplex": false, "isFloat": false, "isInt": false, "isUint": false, "re": 0, "text": "'x", "uint64": 0},
  {"float64": 0, "im": 0, "int64": 0, "isComplex": false, "isFloat": false, "isInt": false, "isUint": false, "re": 0, "text": "'xx'", "uint64": 0},
  {"float64": 0, "im": 0, "int64": 0, "isComplex": false, "isFloat": false, "isInt": false, "isUint": false, "re": 0, "text": "'433937734937734969526500969526500'", "uint64": 0},
  {"float64": 239, "im": 0, "int64": 239, "isComplex": false, "isFloat": true, "isInt": true, "isUint": true, "re": 0, "text": "0xef", "uint64": 239},
];

function parseOrError(input: string): { tree?: string; error?: TemplateParseError } {
  try {
    const trees = parseTemplate('krakend.tmpl', input, has);
    return { tree: nodeString(trees.get('krakend.tmpl')!.root, true) };
  } catch (e) {
    if (e instanceof TemplateParseError) return { error: e };
    throw e;
  }
}

void test("Go's parse tests: trees and error texts", () => {
  for (const c of PARSE_CASES) {
    const r = parseOrError(c.input);
    if (c.tree !== undefined) {
      assert.equal(r.error?.message, undefined, c.name);
      assert.equal(r.tree, c.tree, c.name);
    } else {
      assert.equal(r.error?.message, c.error, c.name);
    }
  }
});

void test("Go's parse error tests: messages and line numbers", () => {
  for (const c of ERROR_CASES) assert.equal(parseOrError(c.input).error?.message, c.error, c.name);
});

void test("Go's number tests: every type a literal can be stored as", () => {
  for (const c of NUMBER_CASES) {
    const ok = c.isInt || c.isUint || c.isFloat || c.isComplex;
    let n;
    try {
      n = parseNumberLiteral(c.text);
    } catch (e) {
      assert.ok(!ok, `${c.text}: ${(e as Error).message}`);
      continue;
    }
    assert.ok(ok, `${c.text} should not parse`);
    assert.equal(n.isInt, c.isInt, `${c.text} isInt`);
    assert.equal(n.isUint, c.isUint, `${c.text} isUint`);
    assert.equal(n.isFloat, c.isFloat, `${c.text} isFloat`);
    assert.equal(n.isComplex, c.isComplex, `${c.text} isComplex`);
    if (c.isInt) assert.equal(Number(n.int64), c.int64, `${c.text} int64`);
    if (c.isUint) assert.equal(Number(n.uint64), c.uint64, `${c.text} uint64`);
    if (c.isFloat) assert.equal(n.float64, c.float64, `${c.text} float64`);
    if (c.isComplex) assert.deepEqual([n.complex.re, n.complex.im], [c.re, c.im], `${c.text} complex`);
  }
});

void test('parse errors point at the token Go complains about', () => {
  const at = (input: string): string => {
    const e = parseOrError(input).error!;
    return input.slice(e.offset, e.offset + e.length) || `@${e.offset}`;
  };
  assert.equal(at('{"a": {{ nope .x }}}'), 'nope');
  assert.equal(at('{\n  "a": {{ .x \n'), '{{');
  assert.equal(at('{\n  "a": {{ .x \n}'), '}');
  // Go reports "unexpected EOF" on the last line; the span is the block left open.
  assert.equal(at('a {{ if .x }}b{{ with .y }}{{ end }}'), '{{');
  assert.equal(parseOrError('a {{ if .x }}b{{ with .y }}{{ end }}').error!.offset, 2);
  assert.equal(at('{{ $y }}'), '$y');
  assert.equal(at('{{ .urls.3rdparty }}'), '@8');
  assert.equal(parseOrError('{{ .urls.3rdparty }}').error!.message, 'template: krakend.tmpl:1: bad number syntax: ".3r"');
  // Lines are Go's: counted from the start of the file, in the action that failed.
  assert.equal(parseOrError('a\nb\n{{ x }}').error!.message, 'template: krakend.tmpl:3: function "x" not defined');
});

void test('definitions go to the tree set; a second definition in one file is an error', () => {
  const trees = parseTemplate('f.tmpl', '{{define "a"}}A{{end}}{{block "b" .}}B{{end}}top', has);
  assert.deepEqual([...trees.keys()].sort(), ['a', 'b', 'f.tmpl']);
  assert.equal(nodeString(trees.get('f.tmpl')!.root), '{{template "b" .}}top');
  assert.throws(() => parseTemplate('f.tmpl', '{{define "a"}}1{{end}}{{define "a"}}2{{end}}', has), /multiple definition of template "a"/);
});

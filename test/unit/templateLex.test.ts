// Go's own lexer tests (text/template/parse/lex_test.go, Go 1.26) as tables: the items, with
// their values (and, for Go's position tests, offsets and lines), that Go's lexer produces with
// comments emitted and break/continue as keywords, as Go's tests run it. Tests with other
// delimiters than {{ }} are left out: KrakenD never changes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ItemType, Lexer } from '../../server/src/core/template/lex';

type TypeName = keyof typeof ItemType;

interface LexCase {
  readonly name: string;
  readonly input: string;
  /** [type, value] or, with positions, [type, value, offset, line]. */
  readonly items: readonly (readonly [TypeName, string] | readonly [TypeName, string, number, number])[];
  readonly positions?: boolean;
}

const LEX_CASES: readonly LexCase[] = [
  {"name": "empty", "input": "", "items": [["EOF", ""]]},
  {"name": "spaces", "input": " \t\n", "items": [["Text", " \t\n"], ["EOF", ""]]},
  {"name": "text", "input": "now is the time", "items": [["Text", "now is the time"], ["EOF", ""]]},
  {"name": "text with comment", "input": "hello-{{/* this is a comment */}}-world", "items": [["Text", "hello-"], ["Comment", "/* this is a comment */"], ["Text", "-world"], ["EOF", ""]]},
  {"name": "punctuation", "input": "{{,@% }}", "items": [["LeftDelim", "{{"], ["Char", ","], ["Char", "@"], ["Char", "%"], ["Space", " "], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "parens", "input": "{{((3))}}", "items": [["LeftDelim", "{{"], ["LeftParen", "("], ["LeftParen", "("], ["Number", "3"], ["RightParen", ")"], ["RightParen", ")"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "empty action", "input": "{{}}", "items": [["LeftDelim", "{{"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "for", "input": "{{for}}", "items": [["LeftDelim", "{{"], ["Identifier", "for"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "block", "input": "{{block \"foo\" .}}", "items": [["LeftDelim", "{{"], ["Block", "block"], ["Space", " "], ["String", "\"foo\""], ["Space", " "], ["Dot", "."], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "quote", "input": "{{\"abc \\n\\t\\\" \"}}", "items": [["LeftDelim", "{{"], ["String", "\"abc \\n\\t\\\" \""], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "raw quote", "input": "{{`abc\\n\\t\\\" `}}", "items": [["LeftDelim", "{{"], ["RawString", "`abc\\n\\t\\\" `"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "raw quote with newline", "input": "{{`now is{{\n}}the time`}}", "items": [["LeftDelim", "{{"], ["RawString", "`now is{{\n}}the time`"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "numbers", "input": "{{1 02 0x14 0X14 -7.2i 1e3 1E3 +1.2e-4 4.2i 1+2i 1_2 0x1.e_fp4 0X1.E_FP4}}", "items": [["LeftDelim", "{{"], ["Number", "1"], ["Space", " "], ["Number", "02"], ["Space", " "], ["Number", "0x14"], ["Space", " "], ["Number", "0X14"], ["Space", " "], ["Number", "-7.2i"], ["Space", " "], ["Number", "1e3"], ["Space", " "], ["Number", "1E3"], ["Space", " "], ["Number", "+1.2e-4"], ["Space", " "], ["Number", "4.2i"], ["Space", " "], ["Complex", "1+2i"], ["Space", " "], ["Number", "1_2"], ["Space", " "], ["Number", "0x1.e_fp4"], ["Space", " "], ["Number", "0X1.E_FP4"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "characters", "input": "{{'a' '\\n' '\\'' '\\\\' '\\u00FF' '\\xFF' '本'}}", "items": [["LeftDelim", "{{"], ["CharConstant", "'a'"], ["Space", " "], ["CharConstant", "'\\n'"], ["Space", " "], ["CharConstant", "'\\''"], ["Space", " "], ["CharConstant", "'\\\\'"], ["Space", " "], ["CharConstant", "'\\u00FF'"], ["Space", " "], ["CharConstant", "'\\xFF'"], ["Space", " "], ["CharConstant", "'本'"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "bools", "input": "{{true false}}", "items": [["LeftDelim", "{{"], ["Bool", "true"], ["Space", " "], ["Bool", "false"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "dot", "input": "{{.}}", "items": [["LeftDelim", "{{"], ["Dot", "."], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "nil", "input": "{{nil}}", "items": [["LeftDelim", "{{"], ["Nil", "nil"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "dots", "input": "{{.x . .2 .x.y.z}}", "items": [["LeftDelim", "{{"], ["Field", ".x"], ["Space", " "], ["Dot", "."], ["Space", " "], ["Number", ".2"], ["Space", " "], ["Field", ".x"], ["Field", ".y"], ["Field", ".z"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "keywords", "input": "{{range if else end with}}", "items": [["LeftDelim", "{{"], ["Range", "range"], ["Space", " "], ["If", "if"], ["Space", " "], ["Else", "else"], ["Space", " "], ["End", "end"], ["Space", " "], ["With", "with"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "variables", "input": "{{$c := printf $ $hello $23 $ $var.Field .Method}}", "items": [["LeftDelim", "{{"], ["Variable", "$c"], ["Space", " "], ["Declare", ":="], ["Space", " "], ["Identifier", "printf"], ["Space", " "], ["Variable", "$"], ["Space", " "], ["Variable", "$hello"], ["Space", " "], ["Variable", "$23"], ["Space", " "], ["Variable", "$"], ["Space", " "], ["Variable", "$var"], ["Field", ".Field"], ["Space", " "], ["Field", ".Method"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "variable invocation", "input": "{{$x 23}}", "items": [["LeftDelim", "{{"], ["Variable", "$x"], ["Space", " "], ["Number", "23"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "pipeline", "input": "intro {{echo hi 1.2 |noargs|args 1 \"hi\"}} outro", "items": [["Text", "intro "], ["LeftDelim", "{{"], ["Identifier", "echo"], ["Space", " "], ["Identifier", "hi"], ["Space", " "], ["Number", "1.2"], ["Space", " "], ["Pipe", "|"], ["Identifier", "noargs"], ["Pipe", "|"], ["Identifier", "args"], ["Space", " "], ["Number", "1"], ["Space", " "], ["String", "\"hi\""], ["RightDelim", "}}"], ["Text", " outro"], ["EOF", ""]]},
  {"name": "declaration", "input": "{{$v := 3}}", "items": [["LeftDelim", "{{"], ["Variable", "$v"], ["Space", " "], ["Declare", ":="], ["Space", " "], ["Number", "3"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "2 declarations", "input": "{{$v , $w := 3}}", "items": [["LeftDelim", "{{"], ["Variable", "$v"], ["Space", " "], ["Char", ","], ["Space", " "], ["Variable", "$w"], ["Space", " "], ["Declare", ":="], ["Space", " "], ["Number", "3"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "field of parenthesized expression", "input": "{{(.X).Y}}", "items": [["LeftDelim", "{{"], ["LeftParen", "("], ["Field", ".X"], ["RightParen", ")"], ["Field", ".Y"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "trimming spaces before and after", "input": "hello- {{- 3 -}} -world", "items": [["Text", "hello-"], ["LeftDelim", "{{"], ["Number", "3"], ["RightDelim", "}}"], ["Text", "-world"], ["EOF", ""]]},
  {"name": "trimming spaces before and after comment", "input": "hello- {{- /* hello */ -}} -world", "items": [["Text", "hello-"], ["Comment", "/* hello */"], ["Text", "-world"], ["EOF", ""]]},
  {"name": "badchar", "input": "#{{\u0001}}", "items": [["Text", "#"], ["LeftDelim", "{{"], ["Error", "unrecognized character in action: U+0001"]]},
  {"name": "unclosed action", "input": "{{", "items": [["LeftDelim", "{{"], ["Error", "unclosed action"]]},
  {"name": "EOF in action", "input": "{{range", "items": [["LeftDelim", "{{"], ["Range", "range"], ["Error", "unclosed action"]]},
  {"name": "unclosed quote", "input": "{{\"\n\"}}", "items": [["LeftDelim", "{{"], ["Error", "unterminated quoted string"]]},
  {"name": "unclosed raw quote", "input": "{{`xx}}", "items": [["LeftDelim", "{{"], ["Error", "unterminated raw quoted string"]]},
  {"name": "unclosed char constant", "input": "{{'\n}}", "items": [["LeftDelim", "{{"], ["Error", "unterminated character constant"]]},
  {"name": "bad number", "input": "{{3k}}", "items": [["LeftDelim", "{{"], ["Error", "bad number syntax: \"3k\""]]},
  {"name": "unclosed paren", "input": "{{(3}}", "items": [["LeftDelim", "{{"], ["LeftParen", "("], ["Number", "3"], ["Error", "unclosed left paren"]]},
  {"name": "extra right paren", "input": "{{3)}}", "items": [["LeftDelim", "{{"], ["Number", "3"], ["Error", "unexpected right paren"]]},
  {"name": "long pipeline deadlock", "input": "{{|||||}}", "items": [["LeftDelim", "{{"], ["Pipe", "|"], ["Pipe", "|"], ["Pipe", "|"], ["Pipe", "|"], ["Pipe", "|"], ["RightDelim", "}}"], ["EOF", ""]]},
  {"name": "text with bad comment", "input": "hello-{{/*/}}-world", "items": [["Text", "hello-"], ["Error", "unclosed comment"]]},
  {"name": "text with comment close separated from delim", "input": "hello-{{/* */ }}-world", "items": [["Text", "hello-"], ["Error", "comment ends before closing delimiter"]]},
  {"name": "unmatched right delimiter", "input": "hello-{.}}-world", "items": [["Text", "hello-{.}}-world"], ["EOF", ""]]},
  {"name": "empty", "input": "", "items": [["EOF", "", 0, 1]], "positions": true},
  {"name": "punctuation", "input": "{{,@%#}}", "items": [["LeftDelim", "{{", 0, 1], ["Char", ",", 2, 1], ["Char", "@", 3, 1], ["Char", "%", 4, 1], ["Char", "#", 5, 1], ["RightDelim", "}}", 6, 1], ["EOF", "", 8, 1]], "positions": true},
  {"name": "sample", "input": "0123{{hello}}xyz", "items": [["Text", "0123", 0, 1], ["LeftDelim", "{{", 4, 1], ["Identifier", "hello", 6, 1], ["RightDelim", "}}", 11, 1], ["Text", "xyz", 13, 1], ["EOF", "", 16, 1]], "positions": true},
  {"name": "trimafter", "input": "{{x -}}\n{{y}}", "items": [["LeftDelim", "{{", 0, 1], ["Identifier", "x", 2, 1], ["RightDelim", "}}", 5, 1], ["LeftDelim", "{{", 8, 2], ["Identifier", "y", 10, 2], ["RightDelim", "}}", 11, 2], ["EOF", "", 13, 2]], "positions": true},
  {"name": "trimbefore", "input": "{{x}}\n{{- y}}", "items": [["LeftDelim", "{{", 0, 1], ["Identifier", "x", 2, 1], ["RightDelim", "}}", 3, 1], ["LeftDelim", "{{", 6, 2], ["Identifier", "y", 10, 2], ["RightDelim", "}}", 11, 2], ["EOF", "", 13, 2]], "positions": true},
  {"name": "longcomment", "input": "{{/*\n*/}}\n{{undefinedFunction \"test\"}}", "items": [["Comment", "/*\n*/", 2, 1], ["Text", "\n", 9, 2], ["LeftDelim", "{{", 10, 3], ["Identifier", "undefinedFunction", 12, 3], ["Space", " ", 29, 3], ["String", "\"test\"", 30, 3], ["RightDelim", "}}", 36, 3], ["EOF", "", 38, 3]], "positions": true},
];

function collect(input: string): [TypeName, string, number, number][] {
  const l = new Lexer(input, { emitComment: true, breakOK: true, continueOK: true });
  const out: [TypeName, string, number, number][] = [];
  for (;;) {
    const item = l.nextItem();
    out.push([ItemType[item.typ] as TypeName, item.val, item.pos, item.line]);
    if (item.typ === ItemType.EOF || item.typ === ItemType.Error) return out;
  }
}

void test("Go's lexer tests: items, values, positions and lines", () => {
  for (const c of LEX_CASES) {
    const got = collect(c.input).map((i) => (c.positions ? i : [i[0], i[1]]));
    assert.deepEqual(got, c.items, c.name);
  }
});

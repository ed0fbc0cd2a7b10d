/**
 * The lexer of Go's text/template (Go 1.26 `text/template/parse/lex.go`), driven one item at
 * a time by the parser. Positions are UTF-16 offsets into the template text; lines count `\n`
 * exactly as Go does, so error messages carry Go's line numbers.
 */
import { quote } from '../go/strconv';

export enum ItemType {
  Error,
  Bool,
  Char,
  CharConstant,
  Comment,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  // Keywords follow; their values are compared with Keyword.
  Keyword,
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

export interface Item {
  readonly typ: ItemType;
  /** UTF-16 offset of the item's first character. */
  readonly pos: number;
  readonly val: string;
  /** Go's line number at the start of the item. */
  readonly line: number;
}

const KEYWORDS: Record<string, ItemType> = {
  '.': ItemType.Dot,
  block: ItemType.Block,
  break: ItemType.Break,
  continue: ItemType.Continue,
  define: ItemType.Define,
  else: ItemType.Else,
  end: ItemType.End,
  if: ItemType.If,
  range: ItemType.Range,
  nil: ItemType.Nil,
  template: ItemType.Template,
  with: ItemType.With,
};

const EOF = -1;
const LEFT_DELIM = '{{';
const RIGHT_DELIM = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
/** The trim marker plus the space that must come with it. */
const TRIM_MARKER_LEN = 2;

function isSpace(r: number): boolean {
  return r === 32 || r === 9 || r === 13 || r === 10;
}

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

/** unicode.IsLetter || unicode.IsDigit || '_'. */
export function isAlphaNumeric(r: number): boolean {
  if (r < 0) return false;
  if (r < 0x80) return r === 95 || (r >= 48 && r <= 57) || (r >= 65 && r <= 90) || (r >= 97 && r <= 122);
  const ch = String.fromCodePoint(r);
  return LETTER.test(ch) || DIGIT.test(ch);
}

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && s.charCodeAt(at) === 45 && isSpace(s.charCodeAt(at + 1));
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && isSpace(s.charCodeAt(at)) && s.charCodeAt(at + 1) === 45;
}

function isTrimSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/** Go's %#U: `U+0001`, or `U+00E9 'é'` for printable runes. */
export function formatRuneU(r: number): string {
  const hex = r.toString(16).toUpperCase().padStart(4, '0');
  const printable = r >= 0x20 && r !== 0x7f && (r < 0x80 || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(String.fromCodePoint(r)));
  return printable ? `U+${hex} '${String.fromCodePoint(r)}'` : `U+${hex}`;
}

type StateFn = ((l: Lexer) => StateFn) | null;

export interface LexOptions {
  readonly emitComment: boolean;
  readonly breakOK: boolean;
  readonly continueOK: boolean;
}

export class Lexer {
  private input: string;
  private pos = 0;
  private start = 0;
  private atEOF = false;
  private parenDepth = 0;
  private line = 1;
  private startLine = 1;
  private item: Item;
  private insideAction = false;

  constructor(
    input: string,
    private readonly options: LexOptions,
  ) {
    this.input = input;
    this.item = { typ: ItemType.EOF, pos: 0, val: 'EOF', line: 1 };
  }

  private next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos)!;
    this.pos += r > 0xffff ? 2 : 1;
    if (r === 10) this.line++;
    return r;
  }

  private peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  private backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const lo = this.input.charCodeAt(this.pos - 1);
      let w = 1;
      if (lo >= 0xdc00 && lo <= 0xdfff && this.pos >= 2) {
        const hi = this.input.charCodeAt(this.pos - 2);
        if (hi >= 0xd800 && hi <= 0xdbff) w = 2;
      }
      this.pos -= w;
      if (lo === 10) this.line--;
    }
  }

  private thisItem(t: ItemType): Item {
    const i: Item = { typ: t, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return i;
  }

  private emit(t: ItemType): StateFn {
    return this.emitItem(this.thisItem(t));
  }

  private emitItem(i: Item): StateFn {
    this.item = i;
    return null;
  }

  private ignore(): void {
    this.line += countNewlines(this.input, this.start, this.pos);
    this.start = this.pos;
    this.startLine = this.line;
  }

  private accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }

  private acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || !valid.includes(String.fromCodePoint(r))) break;
    }
    this.backup();
  }

  private errorf(message: string): StateFn {
    this.item = { typ: ItemType.Error, pos: this.start, val: message, line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = '';
    return null;
  }

  /** The next item; called by the parser. */
  nextItem(): Item {
    this.item = { typ: ItemType.EOF, pos: this.pos, val: 'EOF', line: this.startLine };
    let state: StateFn = this.insideAction ? lexInsideAction : lexText;
    while (state) state = state(this);
    return this.item;
  }

  // --- states (methods so they can reach the private fields)

  lexText(): StateFn {
    const x = this.input.indexOf(LEFT_DELIM, this.pos);
    if (x >= 0) {
      if (x > this.pos) {
        this.pos = x;
        let trimLength = 0;
        const delimEnd = this.pos + LEFT_DELIM.length;
        if (hasLeftTrimMarker(this.input, delimEnd)) {
          let k = this.pos;
          while (k > this.start && isTrimSpace(this.input.charCodeAt(k - 1))) k--;
          trimLength = this.pos - k;
        }
        this.pos -= trimLength;
        this.line += countNewlines(this.input, this.start, this.pos);
        const i = this.thisItem(ItemType.Text);
        this.pos += trimLength;
        this.ignore();
        if (i.val.length > 0) return this.emitItem(i);
      }
      return lexLeftDelim;
    }
    this.pos = this.input.length;
    if (this.pos > this.start) {
      this.line += countNewlines(this.input, this.start, this.pos);
      return this.emit(ItemType.Text);
    }
    return this.emit(ItemType.EOF);
  }

  private atRightDelim(): { delim: boolean; trimSpaces: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(RIGHT_DELIM, this.pos + TRIM_MARKER_LEN)) return { delim: true, trimSpaces: true };
    if (this.input.startsWith(RIGHT_DELIM, this.pos)) return { delim: true, trimSpaces: false };
    return { delim: false, trimSpaces: false };
  }

  private leftTrimLength(at: number): number {
    let k = at;
    while (k < this.input.length && isTrimSpace(this.input.charCodeAt(k))) k++;
    return k - at;
  }

  lexLeftDelim(): StateFn {
    this.pos += LEFT_DELIM.length;
    const trimSpace = hasLeftTrimMarker(this.input, this.pos);
    const afterMarker = trimSpace ? TRIM_MARKER_LEN : 0;
    if (this.input.startsWith(LEFT_COMMENT, this.pos + afterMarker)) {
      this.pos += afterMarker;
      this.ignore();
      return lexComment;
    }
    const i = this.thisItem(ItemType.LeftDelim);
    this.insideAction = true;
    this.pos += afterMarker;
    this.ignore();
    this.parenDepth = 0;
    return this.emitItem(i);
  }

  lexComment(): StateFn {
    this.pos += LEFT_COMMENT.length;
    const x = this.input.indexOf(RIGHT_COMMENT, this.pos);
    if (x < 0) return this.errorf('unclosed comment');
    this.pos = x + RIGHT_COMMENT.length;
    const { delim, trimSpaces } = this.atRightDelim();
    if (!delim) return this.errorf('comment ends before closing delimiter');
    this.line += countNewlines(this.input, this.start, this.pos);
    const i = this.thisItem(ItemType.Comment);
    if (trimSpaces) this.pos += TRIM_MARKER_LEN;
    this.pos += RIGHT_DELIM.length;
    if (trimSpaces) this.pos += this.leftTrimLength(this.pos);
    this.ignore();
    if (this.options.emitComment) return this.emitItem(i);
    return lexText;
  }

  lexRightDelim(): StateFn {
    const { trimSpaces } = this.atRightDelim();
    if (trimSpaces) {
      this.pos += TRIM_MARKER_LEN;
      this.ignore();
    }
    this.pos += RIGHT_DELIM.length;
    const i = this.thisItem(ItemType.RightDelim);
    if (trimSpaces) {
      this.pos += this.leftTrimLength(this.pos);
      this.ignore();
    }
    this.insideAction = false;
    return this.emitItem(i);
  }

  lexInsideAction(): StateFn {
    const { delim } = this.atRightDelim();
    if (delim) {
      if (this.parenDepth === 0) return lexRightDelim;
      return this.errorf('unclosed left paren');
    }
    const r = this.next();
    if (r === EOF) return this.errorf('unclosed action');
    if (isSpace(r)) {
      this.backup();
      return lexSpace;
    }
    switch (r) {
      case 61: // =
        return this.emit(ItemType.Assign);
      case 58: // :
        if (this.next() !== 61) return this.errorf('expected :=');
        return this.emit(ItemType.Declare);
      case 124: // |
        return this.emit(ItemType.Pipe);
      case 34: // "
        return lexQuote;
      case 96: // `
        return lexRawQuote;
      case 36: // $
        return lexVariable;
      case 39: // '
        return lexChar;
      case 40: // (
        this.parenDepth++;
        return this.emit(ItemType.LeftParen);
      case 41: // )
        this.parenDepth--;
        if (this.parenDepth < 0) return this.errorf('unexpected right paren');
        return this.emit(ItemType.RightParen);
      default:
        break;
    }
    if (r === 46) {
      // ".field" unless a digit follows: then a number.
      if (this.pos < this.input.length) {
        const c = this.input.charCodeAt(this.pos);
        if (c < 48 || c > 57) return lexField;
      }
      this.backup();
      return lexNumber;
    }
    if (r === 43 || r === 45 || (r >= 48 && r <= 57)) {
      this.backup();
      return lexNumber;
    }
    if (isAlphaNumeric(r)) {
      this.backup();
      return lexIdentifier;
    }
    if (r <= 0x7f && r >= 0x20 && r !== 0x7f) return this.emit(ItemType.Char);
    return this.errorf(`unrecognized character in action: ${formatRuneU(r)}`);
  }

  lexSpace(): StateFn {
    let numSpaces = 0;
    for (;;) {
      const r = this.peek();
      if (!isSpace(r)) break;
      this.next();
      numSpaces++;
    }
    if (hasRightTrimMarker(this.input, this.pos - 1) && this.input.startsWith(RIGHT_DELIM, this.pos - 1 + TRIM_MARKER_LEN)) {
      this.backup();
      if (numSpaces === 1) return lexRightDelim;
    }
    return this.emit(ItemType.Space);
  }

  lexIdentifier(): StateFn {
    for (;;) {
      const r = this.next();
      if (isAlphaNumeric(r)) continue;
      this.backup();
      const word = this.input.slice(this.start, this.pos);
      if (!this.atTerminator()) return this.errorf(`bad character ${formatRuneU(r)}`);
      const kw = KEYWORDS[word];
      if (kw !== undefined && kw > ItemType.Keyword) {
        if ((kw === ItemType.Break && !this.options.breakOK) || (kw === ItemType.Continue && !this.options.continueOK)) return this.emit(ItemType.Identifier);
        return this.emit(kw);
      }
      if (word[0] === '.') return this.emit(ItemType.Field);
      if (word === 'true' || word === 'false') return this.emit(ItemType.Bool);
      return this.emit(ItemType.Identifier);
    }
  }

  lexFieldOrVariable(typ: ItemType): StateFn {
    if (this.atTerminator()) {
      if (typ === ItemType.Variable) return this.emit(ItemType.Variable);
      return this.emit(ItemType.Dot);
    }
    let r: number;
    for (;;) {
      r = this.next();
      if (!isAlphaNumeric(r)) {
        this.backup();
        break;
      }
    }
    if (!this.atTerminator()) return this.errorf(`bad character ${formatRuneU(r)}`);
    return this.emit(typ);
  }

  lexVariable(): StateFn {
    if (this.atTerminator()) return this.emit(ItemType.Variable);
    return this.lexFieldOrVariable(ItemType.Variable);
  }

  private atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    switch (r) {
      case EOF:
      case 46: // .
      case 44: // ,
      case 124: // |
      case 58: // :
      case 41: // )
      case 40: // (
        return true;
    }
    return this.input.startsWith(RIGHT_DELIM, this.pos);
  }

  lexChar(): StateFn {
    for (;;) {
      let r = this.next();
      if (r === 92) {
        r = this.next();
        if (r !== EOF && r !== 10) continue;
        return this.errorf('unterminated character constant');
      }
      if (r === EOF || r === 10) return this.errorf('unterminated character constant');
      if (r === 39) break;
    }
    return this.emit(ItemType.CharConstant);
  }

  lexNumber(): StateFn {
    if (!this.scanNumber()) return this.errorf(`bad number syntax: ${quote(this.input.slice(this.start, this.pos))}`);
    const sign = this.peek();
    if (sign === 43 || sign === 45) {
      if (!this.scanNumber() || this.input[this.pos - 1] !== 'i') return this.errorf(`bad number syntax: ${quote(this.input.slice(this.start, this.pos))}`);
      return this.emit(ItemType.Complex);
    }
    return this.emit(ItemType.Number);
  }

  private scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }

  lexQuote(): StateFn {
    for (;;) {
      let r = this.next();
      if (r === 92) {
        r = this.next();
        if (r !== EOF && r !== 10) continue;
        return this.errorf('unterminated quoted string');
      }
      if (r === EOF || r === 10) return this.errorf('unterminated quoted string');
      if (r === 34) break;
    }
    return this.emit(ItemType.String);
  }

  lexRawQuote(): StateFn {
    for (;;) {
      const r = this.next();
      if (r === EOF) return this.errorf('unterminated raw quoted string');
      if (r === 96) break;
    }
    return this.emit(ItemType.RawString);
  }
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}


const lexText: StateFn = (l) => l.lexText();
const lexLeftDelim: StateFn = (l) => l.lexLeftDelim();
const lexComment: StateFn = (l) => l.lexComment();
const lexRightDelim: StateFn = (l) => l.lexRightDelim();
const lexInsideAction: StateFn = (l) => l.lexInsideAction();
const lexSpace: StateFn = (l) => l.lexSpace();
const lexIdentifier: StateFn = (l) => l.lexIdentifier();
const lexField: StateFn = (l) => l.lexFieldOrVariable(ItemType.Field);
const lexVariable: StateFn = (l) => l.lexVariable();
const lexChar: StateFn = (l) => l.lexChar();
const lexNumber: StateFn = (l) => l.lexNumber();
const lexQuote: StateFn = (l) => l.lexQuote();
const lexRawQuote: StateFn = (l) => l.lexRawQuote();

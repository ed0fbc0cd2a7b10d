/**
 * The parser of Go's text/template (Go 1.26 `text/template/parse/parse.go`): the same grammar,
 * the same three-token lookahead (so errors carry the same line numbers), the same messages.
 * Beyond Go, every error also carries the span of the token it is about.
 */
import type { Item } from './lex';
import { ItemType, Lexer } from './lex';
import type {
  ActionNode,
  ArgNode,
  BranchNode,
  CommandNode,
  ElseNode,
  EndNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  Source,
  TemplateNode,
  VariableNode,
} from './nodes';
import { isEmptyTree, nodeString } from './nodes';
import { RangeError_, SyntaxError as StrconvSyntaxError, parseGoFloat, parseGoInt, quote, unquote, unquoteChar } from '../go/strconv';

/** A template parse error with Go's exact text and the span of the offending token. */
export class TemplateParseError extends Error {
  constructor(
    message: string,
    readonly source: Source,
    readonly offset: number,
    readonly length: number,
  ) {
    super(message);
  }
}

/** One parsed template: a file's top level, a {{define}} or a {{block}}. */
export interface Tree {
  readonly name: string;
  /** The file it was parsed from (Go's ParseName), used in messages. */
  readonly src: Source;
  readonly root: ListNode;
}

/** Go's maxStackDepth for nested parenthesised expressions. */
const MAX_STACK_DEPTH = 10000;

/** Go's item.String(), used in "unexpected X in Y". */
function itemString(i: Item): string {
  if (i.typ === ItemType.EOF) return 'EOF';
  if (i.typ === ItemType.Error) return i.val;
  if (i.typ > ItemType.Keyword) return `<${i.val}>`;
  const runes = [...i.val];
  if (runes.length > 10) return `${quote(runes.slice(0, 10).join(''))}...`;
  return quote(i.val);
}

/** Shared by a file's parser and the parsers of its {{define}}s and {{block}}s. */
interface Shared {
  readonly lex: Lexer;
  readonly src: Source;
  readonly treeSet: Map<string, Tree>;
  readonly hasFunction: (name: string) => boolean;
}

class Parser {
  name: string;
  root: ListNode | undefined;
  private readonly token: Item[] = [];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private actionLine = 0;
  private rangeDepth = 0;
  private stackDepth = 0;
  /** The token the parser last took, for error spans. */
  private last: Item | undefined;
  /** Offset just past the last `}}` taken, for action spans. */
  private lastRightDelimEnd = 0;
  /** The `{{` of every if/range/with/define/block still open, so "unexpected EOF" can point at it. */
  private readonly open: Item[] = [];

  constructor(
    name: string,
    private readonly shared: Shared,
  ) {
    this.name = name;
  }

  private get src(): Source {
    return this.shared.src;
  }

  // --- token stream

  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.shared.lex.nextItem();
    const t = this.token[this.peekCount]!;
    this.last = t;
    if (t.typ === ItemType.RightDelim) this.lastRightDelimEnd = t.pos + t.val.length;
    return t;
  }

  private backup(): void {
    this.peekCount++;
  }

  private backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!;
    this.peekCount = 1;
    this.token[0] = this.shared.lex.nextItem();
    return this.token[0];
  }

  private nextNonSpace(): Item {
    let t: Item;
    do t = this.next();
    while (t.typ === ItemType.Space);
    return t;
  }

  private peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  // --- errors

  /** Go's errorf: `template: <file>:<line of token[0]>: <message>`; the span is the last token taken. */
  private errorf(message: string, at?: Item): never {
    this.root = undefined;
    const line = this.token[0]?.line ?? 1;
    const tok = at ?? this.last ?? this.token[0];
    let offset = tok?.pos ?? 0;
    let length = tok && tok.typ !== ItemType.Error && tok.typ !== ItemType.EOF ? tok.val.length : 0;
    if (tok?.typ === ItemType.Error && /unclosed action|unclosed left paren|unclosed comment/.test(tok.val) && this.lastLeftDelim) {
      offset = this.lastLeftDelim.pos;
      length = 2;
    }
    throw new TemplateParseError(`template: ${this.src.name}:${line}: ${message}`, this.src, offset, length);
  }

  lastLeftDelim: Item | undefined;

  private expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== expected) this.unexpected(token, context);
    return token;
  }

  private expectOneOf(e1: ItemType, e2: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== e1 && token.typ !== e2) this.unexpected(token, context);
    return token;
  }

  private unexpected(token: Item, context: string): never {
    if (token.typ === ItemType.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.src.name}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${itemString(token)}${extra}`, token);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`, token);
  }

  // --- top level

  /** Parses the whole input: the file's own tree plus its definitions. */
  parseFile(): void {
    this.parse();
    this.add();
  }

  private add(): void {
    const tree = this.shared.treeSet.get(this.name);
    if (!tree || isEmptyTree(tree.root)) {
      this.shared.treeSet.set(this.name, { name: this.name, src: this.src, root: this.root! });
      return;
    }
    if (!isEmptyTree(this.root)) this.errorf(`template: multiple definition of template ${quote(this.name)}`);
  }

  private newList(pos: number): ListNode {
    return { type: 'list', pos, end: pos, src: this.src, nodes: [] };
  }

  private parse(): void {
    this.root = this.newList(this.peek().pos);
    while (this.peek().typ !== ItemType.EOF) {
      if (this.peek().typ === ItemType.LeftDelim) {
        const delim = this.next();
        this.lastLeftDelim = delim;
        if (this.nextNonSpace().typ === ItemType.Define) {
          const newT = new Parser('definition', this.shared);
          newT.lastLeftDelim = delim;
          newT.open.push(delim);
          newT.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      else {
        this.root.nodes.push(n);
        this.root.end = n.end;
      }
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const name = this.expectOneOf(ItemType.String, ItemType.RawString, context);
    try {
      this.name = unquote(name.val);
    } catch (e) {
      if (e instanceof StrconvSyntaxError) this.errorf(e.message);
      throw e;
    }
    this.expect(ItemType.RightDelim, context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  private itemList(): [ListNode, EndNode | ElseNode] {
    const list = this.newList(this.peekNonSpace().pos);
    while (this.peekNonSpace().typ !== ItemType.EOF) {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
      list.end = n.end;
    }
    // Go names the end of the file; the useful place is the block that was never closed.
    const unclosed = this.open[this.open.length - 1] ?? this.lastLeftDelim;
    this.errorf('unexpected EOF', unclosed ? { ...unclosed, typ: ItemType.LeftDelim } : undefined);
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Text:
        return { type: 'text', pos: token.pos, end: token.pos + token.val.length, src: this.src, text: token.val };
      case ItemType.LeftDelim: {
        this.actionLine = token.line;
        this.lastLeftDelim = token;
        try {
          return this.action(token);
        } finally {
          this.actionLine = 0;
        }
      }
      case ItemType.Comment:
        return { type: 'comment', pos: token.pos, end: token.pos + token.val.length, src: this.src, text: token.val };
      default:
        this.unexpected(token, 'input');
    }
  }

  private action(delim: Item): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Block:
        return this.blockControl(delim);
      case ItemType.Break:
        return this.breakControl(token);
      case ItemType.Continue:
        return this.continueControl(token);
      case ItemType.Else:
        return this.elseControl();
      case ItemType.End:
        return this.endControl();
      case ItemType.If:
        return this.ifControl(delim);
      case ItemType.Range:
        return this.rangeControl(delim);
      case ItemType.Template:
        return this.templateControl(delim);
      case ItemType.With:
        return this.withControl(delim);
      default:
        break;
    }
    this.backup();
    const first = this.peek();
    const pipe = this.pipeline('command', ItemType.RightDelim);
    const node: ActionNode = { type: 'action', pos: first.pos, end: pipe.end, src: this.src, line: first.line, pipe, delimStart: delim.pos, delimEnd: this.lastRightDelimEnd };
    return node;
  }

  private breakControl(token: Item): Node {
    const t = this.nextNonSpace();
    if (t.typ !== ItemType.RightDelim) this.unexpected(t, '{{break}}');
    if (this.rangeDepth === 0) this.errorf('{{break}} outside {{range}}', token);
    return { type: 'break', pos: token.pos, end: token.pos + token.val.length, src: this.src, line: token.line };
  }

  private continueControl(token: Item): Node {
    const t = this.nextNonSpace();
    if (t.typ !== ItemType.RightDelim) this.unexpected(t, '{{continue}}');
    if (this.rangeDepth === 0) this.errorf('{{continue}} outside {{range}}', token);
    return { type: 'continue', pos: token.pos, end: token.pos + token.val.length, src: this.src, line: token.line };
  }

  private pipeline(context: string, end: ItemType): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: token.pos, end: token.pos, src: this.src, line: token.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== ItemType.Variable) break;
      this.next();
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === ItemType.Assign || next.typ === ItemType.Declare) {
        pipe.isAssign = next.typ === ItemType.Assign;
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v));
        this.vars.push(v.val);
      } else if (next.typ === ItemType.Char && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const t = this.peekNonSpace().typ;
          if (t === ItemType.Variable || t === ItemType.RightDelim || t === ItemType.RightParen) continue decls;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.typ === ItemType.Space) {
        this.backup3(v, tokenAfterVariable);
      } else {
        this.backup2(v);
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      switch (t.typ) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case ItemType.Bool:
        case ItemType.CharConstant:
        case ItemType.Complex:
        case ItemType.Dot:
        case ItemType.Field:
        case ItemType.Identifier:
        case ItemType.Number:
        case ItemType.Nil:
        case ItemType.RawString:
        case ItemType.String:
        case ItemType.Variable:
        case ItemType.LeftParen: {
          this.backup();
          const cmd = this.command();
          pipe.cmds.push(cmd);
          pipe.end = cmd.end;
          break;
        }
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]!.type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') this.errorf(`non executable command in pipeline stage ${i + 2}`);
    });
  }

  private parseControl(context: 'if' | 'range' | 'with', delim: Item): BranchNode {
    const mark = this.vars.length;
    this.open.push(delim);
    try {
      const pipe = this.pipeline(context, ItemType.RightDelim);
      const headerEnd = this.lastRightDelimEnd;
      if (context === 'range') this.rangeDepth++;
      const [list, first] = this.itemList();
      let next = first;
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      let end = next.end;
      if (next.type === 'else') {
        if (context === 'if' && this.peek().typ === ItemType.If) {
          const ifTok = this.next();
          elseList = this.newList(next.pos);
          const inner = this.parseControl('if', ifTok);
          elseList.nodes.push(inner);
          elseList.end = inner.end;
          end = inner.end;
        } else if (context === 'with' && this.peek().typ === ItemType.With) {
          const withTok = this.next();
          elseList = this.newList(next.pos);
          const inner = this.parseControl('with', withTok);
          elseList.nodes.push(inner);
          elseList.end = inner.end;
          end = inner.end;
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
          end = next.end;
        }
      }
      return { type: context, pos: pipe.pos, end, src: this.src, line: pipe.line, pipe, list, elseList, delimStart: delim.pos, delimEnd: headerEnd };
    } finally {
      this.vars.length = mark;
      this.open.pop();
    }
  }

  private ifControl(delim: Item): Node {
    return this.parseControl('if', delim);
  }

  private rangeControl(delim: Item): Node {
    return this.parseControl('range', delim);
  }

  private withControl(delim: Item): Node {
    return this.parseControl('with', delim);
  }

  private endControl(): EndNode {
    const t = this.expect(ItemType.RightDelim, 'end');
    return { type: 'end', pos: t.pos, end: t.pos + t.val.length, src: this.src };
  }

  private elseControl(): ElseNode {
    const peek = this.peekNonSpace();
    if (peek.typ === ItemType.If || peek.typ === ItemType.With) return { type: 'else', pos: peek.pos, end: peek.pos, src: this.src, line: peek.line };
    const t = this.expect(ItemType.RightDelim, 'else');
    return { type: 'else', pos: t.pos, end: t.pos + t.val.length, src: this.src, line: t.line };
  }

  private blockControl(delim: Item): Node {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, ItemType.RightDelim);
    const headerEnd = this.lastRightDelimEnd;
    const block = new Parser(name, this.shared);
    block.lastLeftDelim = delim;
    block.open.push(delim);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    const node: TemplateNode = { type: 'template', pos: token.pos, end: end.end, src: this.src, line: token.line, name, pipe, delimStart: delim.pos, delimEnd: headerEnd };
    return node;
  }

  private templateControl(delim: Item): Node {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().typ !== ItemType.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, ItemType.RightDelim);
    }
    return { type: 'template', pos: token.pos, end: this.lastRightDelimEnd, src: this.src, line: token.line, name, pipe, delimStart: delim.pos, delimEnd: this.lastRightDelimEnd };
  }

  private parseTemplateName(token: Item, context: string): string {
    if (token.typ === ItemType.String || token.typ === ItemType.RawString) {
      try {
        return unquote(token.val);
      } catch (e) {
        if (e instanceof StrconvSyntaxError) this.errorf(e.message, token);
        throw e;
      }
    }
    this.unexpected(token, context);
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, end: 0, src: this.src, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) {
        cmd.args.push(operand);
        cmd.end = operand.end;
      }
      const token = this.next();
      if (token.typ === ItemType.Space) continue;
      if (token.typ === ItemType.RightDelim || token.typ === ItemType.RightParen) this.backup();
      else if (token.typ !== ItemType.Pipe) this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | undefined {
    let node = this.term();
    if (!node) return undefined;
    if (this.peek().typ === ItemType.Field) {
      const pos = this.peek().pos;
      const fields: string[] = [];
      let end = node.end;
      while (this.peek().typ === ItemType.Field) {
        const f = this.next();
        fields.push(f.val.slice(1));
        end = f.pos + f.val.length;
      }
      switch (node.type) {
        case 'field':
          node = { type: 'field', pos, end, start: node.pos, src: this.src, ident: [...node.ident, ...fields] };
          break;
        case 'variable':
          node = { type: 'variable', pos, end, start: node.pos, src: this.src, ident: [...node.ident, ...fields] };
          break;
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          this.errorf(`unexpected . after term ${quote(nodeString(node))}`);
          break;
        default:
          node = { type: 'chain', pos, end, start: node.start ?? node.pos, src: this.src, node, field: fields };
      }
    }
    return node;
  }

  private term(): ArgNode | undefined {
    const token = this.nextNonSpace();
    const src = this.src;
    const end = token.pos + token.val.length;
    switch (token.typ) {
      case ItemType.Identifier:
        if (!this.shared.hasFunction(token.val)) this.errorf(`function ${quote(token.val)} not defined`, token);
        return { type: 'identifier', pos: token.pos, end, src, ident: token.val };
      case ItemType.Dot:
        return { type: 'dot', pos: token.pos, end, src };
      case ItemType.Nil:
        return { type: 'nil', pos: token.pos, end, src };
      case ItemType.Variable:
        return this.useVar(token);
      case ItemType.Field:
        return { type: 'field', pos: token.pos, end, src, ident: token.val.slice(1).split('.') };
      case ItemType.Bool:
        return { type: 'bool', pos: token.pos, end, src, value: token.val === 'true' };
      case ItemType.CharConstant:
      case ItemType.Complex:
      case ItemType.Number:
        return this.newNumber(token);
      case ItemType.LeftParen: {
        if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf('max expression depth exceeded');
        this.stackDepth++;
        try {
          const p = this.pipeline('parenthesized pipeline', ItemType.RightParen);
          p.end = this.last ? this.last.pos + this.last.val.length : p.end;
          return p;
        } finally {
          this.stackDepth--;
        }
      }
      case ItemType.String:
      case ItemType.RawString:
        try {
          return { type: 'string', pos: token.pos, end, src, quoted: token.val, text: unquote(token.val) };
        } catch (e) {
          if (e instanceof StrconvSyntaxError) this.errorf(e.message, token);
          throw e;
        }
      default:
        this.backup();
        return undefined;
    }
  }

  private newVariable(t: Item): VariableNode {
    return { type: 'variable', pos: t.pos, end: t.pos + t.val.length, src: this.src, ident: t.val.split('.') };
  }

  private useVar(t: Item): VariableNode {
    const v = this.newVariable(t);
    if (this.vars.includes(v.ident[0]!)) return v;
    this.errorf(`undefined variable ${quote(v.ident[0]!)}`, t);
  }

  private newNumber(token: Item): NumberNode {
    try {
      return newNumber(token, this.src);
    } catch (e) {
      if (e instanceof NumberError) this.errorf(e.message, token);
      throw e;
    }
  }
}

class NumberError extends Error {}

/** Go's newNumber: the literal stored under every type that can represent it. */
function newNumber(token: Item, src: Source): NumberNode {
  const text = token.val;
  const n = {
    type: 'number' as const,
    pos: token.pos,
    end: token.pos + text.length,
    src,
    isInt: false,
    isUint: false,
    isFloat: false,
    isComplex: false,
    int64: 0n,
    uint64: 0n,
    float64: 0,
    complex: { re: 0, im: 0 },
    text,
  };
  const simplifyComplex = (): NumberNode => {
    n.isFloat = n.complex.im === 0;
    if (n.isFloat) {
      n.float64 = n.complex.re;
      n.isInt = Number.isInteger(n.float64) && Math.abs(n.float64) < 2 ** 63;
      if (n.isInt) n.int64 = BigInt(n.float64);
      n.isUint = Number.isInteger(n.float64) && n.float64 >= 0 && n.float64 < 2 ** 64;
      if (n.isUint) n.uint64 = BigInt(n.float64);
    }
    return n;
  };
  if (token.typ === ItemType.CharConstant) {
    let r: { value: number; tail: string };
    try {
      r = unquoteChar(text.slice(1), text[0]!);
    } catch (e) {
      if (e instanceof StrconvSyntaxError) throw new NumberError(e.message);
      throw e;
    }
    if (r.tail !== "'") throw new NumberError(`malformed character constant: ${text}`);
    n.int64 = BigInt(r.value);
    n.isInt = true;
    n.uint64 = BigInt(r.value);
    n.isUint = true;
    n.float64 = r.value;
    n.isFloat = true;
    return n;
  }
  if (token.typ === ItemType.Complex) {
    const m = /^([+-]?[^+-]*(?:[eEpP][+-][^+-]*)?)([+-].*)i$/.exec(text);
    if (!m) throw new NumberError('expected integer');
    try {
      n.complex = { re: parseGoFloat(m[1]!), im: parseGoFloat(m[2]!) };
    } catch {
      throw new NumberError('expected integer');
    }
    n.isComplex = true;
    return simplifyComplex();
  }
  if (text.endsWith('i')) {
    try {
      const f = parseGoFloat(text.slice(0, -1));
      n.isComplex = true;
      n.complex = { re: 0, im: f };
      return simplifyComplex();
    } catch {
      // not an imaginary literal after all
    }
  }
  let u = 0n;
  try {
    u = parseGoInt(text, 0, false);
    n.isUint = true;
    n.uint64 = u;
  } catch {
    // not an unsigned integer
  }
  try {
    const i = parseGoInt(text, 0, true);
    n.isInt = true;
    n.int64 = i;
    if (i === 0n) {
      n.isUint = true;
      n.uint64 = u;
    }
  } catch {
    // not a signed integer
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float64 = Number(n.int64);
  } else if (n.isUint) {
    n.isFloat = true;
    n.float64 = Number(n.uint64);
  } else {
    let f: number | undefined;
    try {
      f = parseGoFloat(text);
    } catch (e) {
      if (!(e instanceof StrconvSyntaxError) && !(e instanceof RangeError_)) throw e;
    }
    if (f !== undefined) {
      if (!/[.eEpP]/.test(text)) throw new NumberError(`integer overflow: ${quote(text)}`);
      n.isFloat = true;
      n.float64 = f;
      if (!n.isInt && Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
        n.isInt = true;
        n.int64 = BigInt(f);
      }
      if (!n.isUint && Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
        n.isUint = true;
        n.uint64 = BigInt(f);
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) throw new NumberError(`illegal number syntax: ${quote(text)}`);
  return n;
}

/**
 * How Go stores a numeric literal (its NumberNode), for tests: the literal is lexed as a
 * character constant, a complex pair or a number, as Go's own number tests do.
 */
export function parseNumberLiteral(text: string): NumberNode {
  const typ = text.startsWith("'") ? ItemType.CharConstant : /^[+-]?[^+-]*[^eEpP+-][+-][^+-]*i$/.test(text) ? ItemType.Complex : ItemType.Number;
  try {
    return newNumber({ typ, pos: 0, val: text, line: 1 }, { name: 'number', text });
  } catch (e) {
    if (e instanceof NumberError) throw new TemplateParseError(e.message, { name: 'number', text }, 0, text.length);
    throw e;
  }
}

/**
 * Parses one file as `template.Parse` does: its top-level tree under `name` and every
 * {{define}}/{{block}} in it. `hasFunction` says which function names exist (Go checks them
 * at parse time). Throws {@link TemplateParseError}.
 */
export function parseTemplate(name: string, text: string, hasFunction: (name: string) => boolean): Map<string, Tree> {
  const src: Source = { name, text };
  const shared: Shared = {
    lex: new Lexer(text, { emitComment: false, breakOK: !hasFunction('break'), continueOK: !hasFunction('continue') }),
    src,
    treeSet: new Map(),
    hasFunction,
  };
  const p = new Parser(name, shared);
  p.parseFile();
  return shared.treeSet;
}

/**
 * Parse nodes of Go's text/template (`text/template/parse/node.go`), with Go's `String()`
 * forms (they appear in error messages: `executing "x" at <.a.b>`) and, beyond Go, the end
 * offset of every node so a problem can be underlined.
 */
import { quote } from '../go/strconv';

/** The text a tree was parsed from, and the name Go puts in its messages (`ParseName`). */
export interface Source {
  readonly name: string;
  readonly text: string;
}

interface Base {
  /** UTF-16 offset of the node in its source text. */
  readonly pos: number;
  /** UTF-16 offset just past the node's source text. */
  end: number;
  /**
   * Where the node's source text starts when Go's position is elsewhere: Go positions `.a.b`
   * at `.b` (and reports that column), but the whole chain is underlined.
   */
  readonly start?: number;
  readonly src: Source;
}

export interface ListNode extends Base {
  readonly type: 'list';
  readonly nodes: Node[];
}
export interface TextNode extends Base {
  readonly type: 'text';
  readonly text: string;
}
export interface CommentNode extends Base {
  readonly type: 'comment';
  readonly text: string;
}
export interface PipeNode extends Base {
  readonly type: 'pipe';
  readonly line: number;
  isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}
export interface ActionNode extends Base {
  readonly type: 'action';
  readonly line: number;
  readonly pipe: PipeNode;
  /** Offsets of `{{` and just past `}}`, for the source map. */
  readonly delimStart: number;
  readonly delimEnd: number;
}
export interface CommandNode extends Base {
  readonly type: 'command';
  readonly args: ArgNode[];
}
export interface IdentifierNode extends Base {
  readonly type: 'identifier';
  readonly ident: string;
}
export interface VariableNode extends Base {
  readonly type: 'variable';
  readonly ident: string[];
}
export interface DotNode extends Base {
  readonly type: 'dot';
}
export interface NilNode extends Base {
  readonly type: 'nil';
}
export interface FieldNode extends Base {
  readonly type: 'field';
  readonly ident: string[];
}
export interface ChainNode extends Base {
  readonly type: 'chain';
  readonly node: ArgNode;
  readonly field: string[];
}
export interface BoolNode extends Base {
  readonly type: 'bool';
  readonly value: boolean;
}
export interface NumberNode extends Base {
  readonly type: 'number';
  readonly isInt: boolean;
  readonly isUint: boolean;
  readonly isFloat: boolean;
  readonly isComplex: boolean;
  readonly int64: bigint;
  readonly uint64: bigint;
  readonly float64: number;
  readonly complex: { re: number; im: number };
  readonly text: string;
}
export interface StringNode extends Base {
  readonly type: 'string';
  readonly quoted: string;
  readonly text: string;
}
export interface BranchNode extends Base {
  readonly type: 'if' | 'range' | 'with';
  readonly line: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | undefined;
  /** Offsets of the opening `{{` and just past its `}}`. */
  readonly delimStart: number;
  readonly delimEnd: number;
}
export interface TemplateNode extends Base {
  readonly type: 'template';
  readonly line: number;
  readonly name: string;
  readonly pipe: PipeNode | undefined;
  readonly delimStart: number;
  readonly delimEnd: number;
}
export interface BreakNode extends Base {
  readonly type: 'break';
  readonly line: number;
}
export interface ContinueNode extends Base {
  readonly type: 'continue';
  readonly line: number;
}
/** {{end}} and {{else}} only exist while parsing. */
export interface EndNode extends Base {
  readonly type: 'end';
}
export interface ElseNode extends Base {
  readonly type: 'else';
  readonly line: number;
}

/** What can appear as an argument of a command. */
export type ArgNode = IdentifierNode | VariableNode | DotNode | NilNode | FieldNode | ChainNode | BoolNode | NumberNode | StringNode | PipeNode;

export type Node =
  | ListNode
  | TextNode
  | CommentNode
  | ActionNode
  | CommandNode
  | ArgNode
  | BranchNode
  | TemplateNode
  | BreakNode
  | ContinueNode
  | EndNode
  | ElseNode;

/**
 * Go's `Node.String()`. `quoteText` formats text nodes with %q, as Go's own parse tests do.
 */
export function nodeString(n: Node, quoteText = false): string {
  const out: string[] = [];
  writeNode(n, out, quoteText);
  return out.join('');
}


function writeNode(n: Node, out: string[], q: boolean): void {
  switch (n.type) {
    case 'list':
      for (const c of n.nodes) writeNode(c, out, q);
      return;
    case 'text':
      out.push(q ? quote(n.text) : n.text);
      return;
    case 'comment':
      out.push('{{', n.text, '}}');
      return;
    case 'pipe':
      if (n.decl.length > 0) {
        n.decl.forEach((v, i) => {
          if (i > 0) out.push(', ');
          writeNode(v, out, q);
        });
        out.push(n.isAssign ? ' = ' : ' := ');
      }
      n.cmds.forEach((c, i) => {
        if (i > 0) out.push(' | ');
        writeNode(c, out, q);
      });
      return;
    case 'action':
      out.push('{{');
      writeNode(n.pipe, out, q);
      out.push('}}');
      return;
    case 'command':
      n.args.forEach((a, i) => {
        if (i > 0) out.push(' ');
        if (a.type === 'pipe') {
          out.push('(');
          writeNode(a, out, q);
          out.push(')');
        } else writeNode(a, out, q);
      });
      return;
    case 'identifier':
      out.push(n.ident);
      return;
    case 'variable':
      out.push(n.ident.join('.'));
      return;
    case 'dot':
      out.push('.');
      return;
    case 'nil':
      out.push('nil');
      return;
    case 'field':
      for (const id of n.ident) out.push('.', id);
      return;
    case 'chain':
      if (n.node.type === 'pipe') {
        out.push('(');
        writeNode(n.node, out, q);
        out.push(')');
      } else writeNode(n.node, out, q);
      for (const f of n.field) out.push('.', f);
      return;
    case 'bool':
      out.push(n.value ? 'true' : 'false');
      return;
    case 'number':
      out.push(n.text);
      return;
    case 'string':
      out.push(n.quoted);
      return;
    case 'if':
    case 'range':
    case 'with':
      out.push('{{', n.type, ' ');
      writeNode(n.pipe, out, q);
      out.push('}}');
      writeNode(n.list, out, q);
      if (n.elseList) {
        out.push('{{else}}');
        writeNode(n.elseList, out, q);
      }
      out.push('{{end}}');
      return;
    case 'template':
      out.push('{{template ', quote(n.name));
      if (n.pipe) {
        out.push(' ');
        writeNode(n.pipe, out, q);
      }
      out.push('}}');
      return;
    case 'break':
      out.push('{{break}}');
      return;
    case 'continue':
      out.push('{{continue}}');
      return;
    case 'end':
      out.push('{{end}}');
      return;
    case 'else':
      out.push('{{else}}');
      return;
  }
}

/** parse.IsEmptyTree: only space and comments (definitions are not in the list). */
export function isEmptyTree(n: Node | undefined): boolean {
  if (!n) return true;
  switch (n.type) {
    case 'comment':
      return true;
    case 'list':
      return n.nodes.every((c) => isEmptyTree(c));
    case 'text':
      return GO_SPACE_ONLY.test(n.text);
    default:
      return false;
  }
}

/** Only Go unicode.IsSpace characters (JavaScript's \s also matches U+FEFF, Go's does not). */
const GO_SPACE_ONLY = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

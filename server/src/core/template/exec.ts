/**
 * The executor of Go's text/template (Go 1.26 `text/template/exec.go`): the same evaluation
 * order, the same argument checks and conversions, the same error texts and error positions.
 * Beyond Go, it records where every piece of output came from (a text node, an action, a
 * partial, a value of the data) so problems in the rendered text can be mapped back.
 */
import type { CallContext, CallNote, FuncDef, RV, ValueOrigin, ValuePart } from './funcs';
import { carryText } from './textMap';
import { INVALID, rv } from './funcs';
import { UnsupportedFormat, formatValue, goTypeName } from './fmt';
import type { ActionNode, ArgNode, BranchNode, ChainNode, CommandNode, FieldNode, IdentifierNode, ListNode, Node, NumberNode, PipeNode, Source, TemplateNode, VariableNode } from './nodes';
import { nodeString } from './nodes';
import type { Tree } from './parse';
import { quote } from '../go/strconv';
import type { GoType } from './value';
import { GoComplex, GoError, GoInt, GoObject, GoPanic, GoStackOverflow, RenderLimit, isIntKind, isMap, isTrue, isUintKind, mapGet, sortedKeys, T, typeOf, withType, int } from './value';
import { utf8Length } from '../go/utf8';

/** Go's maxExecDepth. */
const MAX_EXEC_DEPTH = 100000;

/** A part of the output and what produced it. */
export interface OutputSegment {
  /** Output offsets (UTF-16), end exclusive. */
  readonly start: number;
  readonly end: number;
  /** The file the text or the action is in. */
  readonly src: Source;
  /** For text: the source offset of `start` (the text maps 1:1). */
  readonly srcOffset: number;
  /** For a printed value: the action that printed it. */
  readonly action?: ActionNode;
  /** For a printed value: where the value came from, when it came straight from data or a partial. */
  readonly origin?: ValueOrigin;
  /** Finer origins inside the printed value (marshal/toJson of data), offsets relative to `start`. */
  readonly parts?: readonly ValuePart[];
}


/** An action printed `<no value>`. */
export interface NoValueNote {
  readonly kind: 'no-value';
  readonly action: ActionNode;
}

export type ExecNote = NoValueNote | CallNote;

/** A template execution error with Go's text and the node it happened at. */
export class TemplateExecError extends Error {
  constructor(
    message: string,
    readonly source: Source | undefined,
    readonly offset: number,
    readonly length: number,
    /** The name of a function the renderer does not support, when that is the cause. */
    readonly unsupportedFunction?: string,
  ) {
    super(message);
  }

  /** What was written before the error (Go leaves it in the writer too). */
  partialOutput = '';
  /** Notes recorded before the error (a missing partial, a `<no value>`). */
  notes: readonly ExecNote[] = [];
}

/** Marks a function the renderer refuses to run; becomes an exec error naming it. */
export class UnsupportedFunction extends Error {
  constructor(readonly functionName: string) {
    super(`KrakenD Live's renderer does not support ${functionName}`);
  }
}

export interface ExecInput {
  /** Every template of the set, by name (files, defines, blocks). */
  readonly templates: ReadonlyMap<string, Tree>;
  /** The template to execute (ExecuteTemplate's name). */
  readonly name: string;
  /** The name of the set's root template (Go's t.name, "config" in KrakenD). */
  readonly setName: string;
  readonly data: unknown;
  readonly funcs: ReadonlyMap<string, FuncDef>;
  /** Names that resolve to Go's own builtins (and, or, call are special-cased only for them). */
  readonly builtins: ReadonlySet<string>;
  env(name: string): string | undefined;
  now(): Date;
  readPartial(path: string): string | undefined;
}

export interface ExecOutput {
  readonly output: string;
  readonly segments: OutputSegment[];
  readonly notes: ExecNote[];
}

const MISSING: RV = { v: Symbol('missing'), boxed: false };
/** {{break}} and {{continue}} unwind to their range as exceptions, as Go's panics do. */
class LoopSignal extends Error {}
const BREAK = new LoopSignal('break');
const CONTINUE = new LoopSignal('continue');

interface Variable {
  readonly name: string;
  value: RV;
}

/** Output accumulated as chunks, with the segments that explain them. */
class Sink {
  /** V8 builds long strings from += as ropes, cheaper here than collecting and joining chunks. */
  private out = '';
  length = 0;
  readonly segments: OutputSegment[] = [];

  /** Template text, copied from `src` at `srcOffset`. */
  text(text: string, src: Source, srcOffset: number): void {
    if (text.length === 0) return;
    this.out += text;
    const start = this.length;
    this.length += text.length;
    this.segments.push({ start, end: this.length, src, srcOffset });
  }

  /** A printed value. Empty values are kept as empty segments: they say where nothing was printed. */
  value(text: string, action: ActionNode, v: RV): void {
    this.out += text;
    const start = this.length;
    this.length += text.length;
    this.segments.push({ start, end: this.length, src: action.src, srcOffset: action.delimStart, action, origin: v.origin, parts: v.parts });
  }

  toString(): string {
    return this.out;
  }
}

/** Go's byte column of `pos` in `text` (0-based, as ErrorContext prints it) and its 1-based line. */
export function goLineCol(text: string, pos: number): { line: number; col: number } {
  const before = text.slice(0, pos);
  const nl = before.lastIndexOf('\n');
  let line = 1;
  for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) line++;
  const col = nl === -1 ? utf8Length(before) : utf8Length(before.slice(nl + 1));
  return { line, col };
}

function canBeNil(t: GoType): boolean {
  switch (t.kind) {
    case 'map':
    case 'slice':
    case 'interface':
    case 'ptr':
    case 'func':
      return true;
    default:
      return t === T.reflectValue;
  }
}

/** The zero value of a nillable type: nil interface, or an empty typed container standing for a nil one. */
function zeroOf(t: GoType): RV {
  if (t === T.reflectValue) return INVALID;
  if (t.kind === 'interface') return { v: null, boxed: true };
  // A nil map or slice: frozen, so a write panics like Go's "assignment to entry in nil map".
  if (t.kind === 'map') return rv(Object.freeze(withType({}, t)));
  if (t.kind === 'slice') return rv(Object.freeze(withType([], t)));
  return { v: null, boxed: true };
}

/** reflect's AssignableTo for our type set: identical types, or any value to interface{}. */
function assignable(v: unknown, t: GoType): boolean {
  if (t.kind === 'interface') return t === T.iface || t.name === 'interface {}';
  const vt = typeOf(v);
  return vt !== undefined && vt.name === t.name;
}

class State {
  node: Node | undefined;
  vars: Variable[];
  depth: number;
  tmpl: Tree;

  constructor(
    readonly input: ExecInput,
    readonly sink: Sink,
    readonly notes: ExecNote[],
    private readonly ctx: CallContext & { node: Node },
    tmpl: Tree,
    dot: RV,
    depth: number,
  ) {
    this.tmpl = tmpl;
    this.vars = [{ name: '$', value: dot }];
    this.depth = depth;
  }

  // --- variables

  private mark(): number {
    return this.vars.length;
  }

  private pop(mark: number): void {
    this.vars.length = mark;
  }

  private push(name: string, value: RV): void {
    this.vars.push({ name, value });
  }

  private setVar(name: string, value: RV): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: RV): void {
    this.vars[this.vars.length - n]!.value = value;
  }

  private varValue(name: string): RV {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    this.errorf(`undefined variable: ${name}`);
  }

  // --- errors

  private at(node: Node): void {
    this.node = node;
  }

  errorf(message: string, unsupportedFunction?: string): never {
    const name = this.tmpl.name;
    const node = this.node;
    if (!node) throw new TemplateExecError(`template: ${name}: ${message}`, undefined, 0, 0, unsupportedFunction);
    const { line, col } = goLineCol(node.src.text, node.pos);
    const location = `${node.src.name}:${line}:${col}`;
    const start = node.start ?? node.pos;
    throw new TemplateExecError(`template: ${location}: executing ${quote(name)} at <${nodeString(node)}>: ${message}`, node.src, start, Math.max(0, node.end - start), unsupportedFunction);
  }

  // --- walking

  walk(dot: RV, node: Node): void {
    try {
      this.walkNode(dot, node);
    } catch (e) {
      // Go dies where it happened, not with a template error; we say so at the node running.
      if (e instanceof GoStackOverflow) this.errorf(e.message);
      throw e;
    }
  }

  private walkNode(dot: RV, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
      case 'comment':
        return;
      case 'if':
      case 'with':
        return this.walkIfOrWith(node, dot);
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
      case 'text':
        this.sink.text(node.text, node.src, node.pos);
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(node: BranchNode, dot: RV): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (isTrue(val.v)) {
        this.walk(node.type === 'with' ? val : dot, node.list);
      } else if (node.elseList) {
        this.walk(dot, node.elseList);
      }
    } finally {
      this.pop(mark);
    }
  }

  private walkRange(dot: RV, r: BranchNode): void {
    this.at(r);
    const outer = this.mark();
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const mark = this.mark();
      const decl = r.pipe.decl;
      const oneIteration = (index: RV, elem: RV): void => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) {
            if (decl.length > 1) this.setVar(decl[0]!.ident[0]!, index);
            else this.setVar(decl[0]!.ident[0]!, elem);
          } else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
      };
      const v = val.v;
      let ran = false;
      if (v instanceof GoInt) {
        if (decl.length > 1) this.errorf(`can't use ${formatValue(v)} to iterate over more than one variable`);
        for (let i = 0n; i < v.v; i++) {
          ran = true;
          oneIteration(INVALID, rv(new GoInt(v.type, i)));
        }
      } else if (Array.isArray(v)) {
        const elemIface = typeOf(v)!.elem?.kind === 'interface';
        for (let i = 0; i < v.length; i++) {
          ran = true;
          oneIteration(rv(int(i)), { v: v[i], boxed: elemIface, origin: { kind: 'data', container: v, key: i } });
        }
      } else if (v instanceof Uint8Array) {
        for (let i = 0; i < v.length; i++) {
          ran = true;
          oneIteration(rv(int(i)), rv(new GoInt(T.uint8, BigInt(v[i]!))));
        }
      } else if (isMap(v)) {
        const elemIface = typeOf(v)!.elem?.kind === 'interface';
        for (const k of sortedKeys(v)) {
          ran = true;
          oneIteration(rv(k), { v: v[k], boxed: elemIface, origin: { kind: 'data', container: v, key: k } });
        }
      } else if (v !== undefined) {
        this.errorf(`range can't iterate over ${formatValue(v)}`);
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } catch (e) {
      if (e !== BREAK) throw e;
    } finally {
      this.pop(outer);
    }
  }

  private walkTemplate(dot: RV, t: TemplateNode): void {
    this.at(t);
    const tmpl = this.input.templates.get(t.name);
    if (!tmpl) this.errorf(`template ${quote(t.name)} not defined`);
    if (this.depth >= MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = this.evalPipeline(dot, t.pipe);
    const s = new State(this.input, this.sink, this.notes, this.ctx, tmpl, newDot, this.depth + 1);
    try {
      s.walk(newDot, tmpl.root);
    } catch (e) {
      // The JavaScript stack ends before Go's 100,000 levels; no RegExp here, the stack is spent.
      // A RegExp compiled lazily under a spent stack fails with a SyntaxError instead.
      if (e instanceof RangeError || (e instanceof SyntaxError && e.message.includes('call stack'))) {
        this.at(t);
        this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
      }
      throw e;
    }
  }

  // --- evaluation

  evalPipeline(dot: RV, pipe: PipeNode | undefined): RV {
    if (!pipe) return INVALID;
    this.at(pipe);
    let value = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      if (value.boxed) value = { v: value.v === null ? undefined : value.v, boxed: false, origin: value.origin, parts: value.parts };
    }
    for (const variable of pipe.decl) {
      if (pipe.isAssign) this.setVar(variable.ident[0]!, value);
      else this.push(variable.ident[0]!, value);
    }
    return value;
  }

  private notAFunction(args: readonly ArgNode[] | undefined, final: RV): void {
    if ((args && args.length > 1) || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args![0]!)}`);
  }

  private evalCommand(dot: RV, cmd: CommandNode, final: RV): RV {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
      default:
        break;
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return rv(first.value);
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
        break;
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return rv(first.text);
    }
    this.errorf(`can't evaluate command ${quote(nodeString(first))}`);
  }

  private idealConstant(c: NumberNode): RV {
    this.at(c);
    if (c.isComplex) return rv(new GoComplex(c.complex.re, c.complex.im));
    const isHexInt = c.text.length > 2 && c.text[0] === '0' && (c.text[1] === 'x' || c.text[1] === 'X') && !/[pP]/.test(c.text);
    const isRuneInt = c.text[0] === "'";
    if (c.isFloat && !isHexInt && !isRuneInt && /[.eEpP]/.test(c.text)) return rv(c.float64);
    if (c.isInt) return rv(int(c.int64));
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return INVALID;
  }

  private evalFieldNode(dot: RV, field: FieldNode, args: readonly ArgNode[] | undefined, final: RV): RV {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: RV, chain: ChainNode, args: readonly ArgNode[] | undefined, final: RV): RV {
    this.at(chain);
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: RV, variable: VariableNode, args: readonly ArgNode[] | undefined, final: RV): RV {
    this.at(variable);
    const value = this.varValue(variable.ident[0]!);
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, variable, variable.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: RV, receiver: RV, node: Node, ident: readonly string[], args: readonly ArgNode[] | undefined, final: RV): RV {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i]!, node, undefined, MISSING, receiver);
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver);
  }

  private evalFunction(dot: RV, node: IdentifierNode, cmd: Node, args: readonly ArgNode[] | undefined, final: RV): RV {
    this.at(node);
    const name = node.ident;
    const f = this.input.funcs.get(name);
    if (!f) this.errorf(`${quote(name)} is not a defined function`);
    return this.evalCall(dot, f, this.input.builtins.has(name), cmd, name, args, final);
  }

  private evalField(dot: RV, fieldName: string, node: Node, args: readonly ArgNode[] | undefined, final: RV, receiver: RV): RV {
    if (receiver.v === undefined) return INVALID;
    const v = receiver.v;
    if (v === null) this.errorf(`nil pointer evaluating ${receiverType(receiver)}.${fieldName}`);
    if (v instanceof GoObject) {
      const method = v.method(fieldName);
      if (method) {
        const def: FuncDef = { params: method.params, variadic: method.variadic ?? false, result: method.results[0]!, impl: (a) => method.call(a) };
        return this.evalCall(dot, def, false, node, fieldName, args, final);
      }
    }
    const hasArgs = (args !== undefined && args.length > 1) || final !== MISSING;
    if (isMap(v)) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const type = typeOf(v)!;
      const result = mapGet(v, fieldName);
      if (result === undefined) return INVALID;
      return { v: result, boxed: type.elem?.kind === 'interface', origin: { kind: 'data', container: v, key: fieldName } };
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${receiverType(receiver)}`);
  }

  private evalCall(dot: RV, f: FuncDef, isBuiltin: boolean, node: Node, name: string, args: readonly ArgNode[] | undefined, final: RV): RV {
    const argNodes = args ? args.slice(1) : [];
    let numIn = argNodes.length;
    if (final !== MISSING) numIn++;
    let numFixed = argNodes.length;
    if (f.variadic) {
      numFixed = f.params.length - 1;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${f.params.length - 1} got ${argNodes.length}`);
    } else if (numIn !== f.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${f.params.length} got ${numIn}`);
    }

    if (isBuiltin && (name === 'and' || name === 'or')) {
      const argType = f.params[0]!;
      let v: RV = INVALID;
      for (const arg of argNodes) {
        v = this.evalArg(dot, argType, arg);
        if (isTrue(v.v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, argType);
      return v;
    }

    const argv: RV[] = [];
    let i = 0;
    for (; i < numFixed && i < argNodes.length; i++) argv.push(this.evalArg(dot, f.params[i], argNodes[i]!));
    if (f.variadic) {
      const elem = f.params[f.params.length - 1]!;
      for (; i < argNodes.length; i++) argv.push(this.evalArg(dot, elem, argNodes[i]!));
    }
    if (final !== MISSING) {
      let t = f.params[f.params.length - 1]!;
      if (f.variadic && numIn - 1 < numFixed) t = f.params[numIn - 1]!;
      argv.push(this.validateType(final, t));
    }

    if (isBuiltin && name === 'call') {
      // Go names the callee by its node, or by reflect.Value.String() when it came down the pipeline.
      const callee = argNodes.length > 0 ? nodeString(argNodes[0]!) : typeof final.v === 'string' ? final.v : final.v === undefined || final.v === null ? '<invalid Value>' : `<${goTypeName(final.v)} Value>`;
      this.at(node);
      const fnv = argv[0]!.v;
      if (fnv === undefined || fnv === null) this.errorf(`error calling call: call of nil`);
      this.errorf(`error calling call: non-function ${callee} of type ${goTypeName(fnv)}`);
    }

    const ctx = this.callContext(node);
    try {
      if (f.unsupported) throw new UnsupportedFunction(name);
      if (f.rvImpl) return carryText(name, argv, f.rvImpl(argv, ctx));
      const raw = new Array<unknown>(argv.length);
      for (let k = 0; k < argv.length; k++) raw[k] = argv[k]!.v === undefined ? null : argv[k]!.v;
      const result = f.impl!(raw, ctx);
      if (result instanceof OriginatedResult) {
        const r = result.rv;
        if (r.origin) return r;
        // A partial's text made into JSON (toJson of an include) stands for that text.
        const text = carryText(name, argv, r);
        if (text !== r || !r.parts) return text;
        // JSON of a data value (marshal, toJson): the text as a whole stands for that value.
        for (const a of argv) if (a.origin) return { v: r.v, boxed: r.boxed, origin: a.origin, parts: r.parts };
        return r;
      }
      // A function that hands back one of its arguments hands back its origin too.
      let origin: ValueOrigin | undefined;
      if (result !== null && result !== undefined && !(typeof result === 'boolean')) {
        for (const a of argv) {
          if (a.origin && Object.is(a.v, result)) {
            origin = a.origin;
            break;
          }
        }
      }
      const boxed = f.result.kind === 'interface';
      return carryText(name, argv, { v: result === undefined ? (boxed ? null : undefined) : result, boxed, origin });
    } catch (e) {
      this.at(node);
      if (e instanceof GoStackOverflow || e instanceof RenderLimit) this.errorf(e.message);
      if (e instanceof UnsupportedFunction) this.errorf(`error calling ${name}: ${e.message}`, e.functionName);
      if (e instanceof UnsupportedFormat) this.errorf(`error calling ${name}: KrakenD Live's renderer does not support ${e.message}`, name);
      if (e instanceof GoPanic || e instanceof GoError) this.errorf(`error calling ${name}: ${e.message}`);
      if (e instanceof TemplateExecError) throw e;
      throw e;
    }
  }

  /** The execution's one call context, pointed at the node being called (calls do not nest in time). */
  private callContext(node: Node): CallContext {
    this.ctx.node = node;
    return this.ctx;
  }

  private validateType(value: RV, typ: GoType | undefined): RV {
    if (value.v === undefined) {
      if (!typ) return value;
      if (canBeNil(typ)) return zeroOf(typ);
      this.errorf(`invalid value; expected ${typ.name}`);
    }
    if (typ === T.reflectValue) return value;
    if (typ && !assignable(value.v, typ)) {
      if (value.boxed && value.v !== null) {
        if (assignable(value.v, typ)) return { ...value, boxed: false };
      }
      const got = value.v === null ? 'interface {}' : goTypeName(value.v);
      this.errorf(`wrong type for value; expected ${typ.name}; got ${got}`);
    }
    return value;
  }

  private evalArg(dot: RV, typ: GoType | undefined, n: ArgNode): RV {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ && canBeNil(typ)) return zeroOf(typ);
        this.errorf(`cannot assign nil to ${typ?.name ?? '<nil>'}`);
        break;
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, undefined, MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, undefined, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, undefined, MISSING), typ);
      default:
        break;
    }
    const t = typ!;
    switch (t.kind) {
      case 'bool':
        if (n.type === 'bool') return rv(n.value);
        this.errorf(`expected bool; found ${nodeString(n)}`);
        break;
      case 'complex128':
        if (n.type === 'number' && n.isComplex) return rv(new GoComplex(n.complex.re, n.complex.im));
        this.errorf(`expected complex; found ${nodeString(n)}`);
        break;
      case 'float32':
      case 'float64':
        if (n.type === 'number' && n.isFloat) return rv(n.float64);
        this.errorf(`expected float; found ${nodeString(n)}`);
        break;
      case 'interface':
        return this.evalEmptyInterface(dot, n);
      case 'struct':
        if (t === T.reflectValue) return this.evalEmptyInterface(dot, n);
        break;
      case 'string':
        if (n.type === 'string') return rv(n.text);
        this.errorf(`expected string; found ${nodeString(n)}`);
        break;
      default:
        if (isIntKind(t.kind)) {
          if (n.type === 'number' && n.isInt) return rv(new GoInt(t, n.int64));
          this.errorf(`expected integer; found ${nodeString(n)}`);
        }
        if (isUintKind(t.kind)) {
          if (n.type === 'number' && n.isUint) return rv(new GoInt(t, n.uint64));
          this.errorf(`expected unsigned integer; found ${nodeString(n)}`);
        }
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${t.name}`);
  }

  private evalEmptyInterface(dot: RV, n: ArgNode): RV {
    this.at(n);
    switch (n.type) {
      case 'bool':
        return rv(n.value);
      case 'dot':
        return dot;
      case 'field':
        return this.evalFieldNode(dot, n, undefined, MISSING);
      case 'identifier':
        return this.evalFunction(dot, n, n, undefined, MISSING);
      case 'nil':
        this.errorf("evalEmptyInterface: nil (can't happen)");
        break;
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return rv(n.text);
      case 'variable':
        return this.evalVariableNode(dot, n, undefined, MISSING);
      case 'pipe':
        return this.evalPipeline(dot, n);
      default:
        break;
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  private printValue(node: ActionNode, v: RV): void {
    this.at(node);
    let text: string;
    if (v.v === undefined) {
      text = '<no value>';
      this.notes.push({ kind: 'no-value', action: node });
    } else {
      try {
        text = formatValue(v.v);
      } catch (e) {
        if (e instanceof UnsupportedFormat) this.errorf(`KrakenD Live's renderer does not support printing ${e.message}`);
        throw e;
      }
    }
    this.sink.value(text, node, v);
  }
}

/** The type Go names for a receiver: `interface {}` when it sits in an interface container. */
function receiverType(r: RV): string {
  return r.boxed ? 'interface {}' : goTypeName(r.v);
}

/** Lets a plain function return a value together with its origin (include, marshal). */
export class OriginatedResult {
  constructor(readonly rv: RV) {}
}

/**
 * ExecuteTemplate(name) over a template set: the output, where each piece of it came from,
 * and notes; throws {@link TemplateExecError} as Go would fail.
 */
export function execute(input: ExecInput): ExecOutput {
  const tmpl = input.templates.get(input.name);
  const sink = new Sink();
  const notes: ExecNote[] = [];
  if (!tmpl) throw new TemplateExecError(`template: no template ${quote(input.name)} associated with template ${quote(input.setName)}`, undefined, 0, 0);
  const dot = rv(input.data);
  const ctx: CallContext & { node: Node } = {
    node: tmpl.root,
    env: (n) => input.env(n),
    now: () => input.now(),
    readPartial: (p) => input.readPartial(p),
    note: (n: CallNote) => void notes.push(n),
  };
  const state = new State(input, sink, notes, ctx, tmpl, dot, 0);
  try {
    state.walk(dot, tmpl.root);
  } catch (e) {
    if (e === BREAK || e === CONTINUE) throw new Error('break or continue outside range');
    if (e instanceof TemplateExecError) {
      e.partialOutput = sink.toString();
      e.notes = notes;
    }
    throw e;
  }
  return { output: sink.toString(), segments: sink.segments, notes };
}

/** Re-exported for builtins that need to build values the way the executor does. */
export { isTrue };
export type { ListNode };

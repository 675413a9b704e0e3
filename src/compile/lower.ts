// Lowering: a typed syntax tree to the IR of program.ts. Decides, from the
// symbolic shapes, whether `*` is a scaling or a matrix product, folds
// transposes into matmul flags, and turns vector transposes, `vec` and `A^1`
// into aliases that copy nothing.
import type { BinaryNode, CallNode, Expr } from '../parse/ast.js';
import { leftSpine } from '../parse/walk.js';
import type { Analysis } from '../shapes/analyze.js';
import type { Shape } from '../shapes/dims.js';
import { integerExponent } from '../shapes/infer.js';
import { BINARY_ID, ProgramBuilder, UNARY_ID, type Node, type Program, type Stream } from './program.js';

type Part = 'f' | 'claim';

class Lowering {
  readonly b: ProgramBuilder;
  readonly inputs = new Map<string, number>();
  private part: Part = 'f';

  constructor(
    private readonly a: Analysis,
    private readonly wrt: string | undefined,
    private readonly direction: string | undefined,
  ) {
    const dims = a.types.dims;
    this.b = new ProgramBuilder((s) => `${dims.find(s[0])}x${dims.find(s[1])}`);
  }

  lowerPart(e: Expr, part: Part): number {
    this.part = part;
    return this.visit(e);
  }

  private node(id: number): Node {
    return this.b.nodes[id];
  }

  /** The stream of a node computed from `args`. */
  private streamOf(args: number[]): Stream {
    let dependsOnWrt = false;
    let dependsOnDir = false;
    for (const id of args) {
      const s = this.node(id).stream;
      if (s === 'claim') dependsOnDir = true;
      else if (s !== 'const') dependsOnWrt = true;
    }
    if (dependsOnDir) return 'claim';
    // A claim's own constant parts run with the claim, not in `const` with
    // f's: a log of a negative value there is the claim's domain error, and
    // must not read as f's (the check would blame the kinds).
    if (!dependsOnWrt) return this.part === 'f' ? 'const' : 'claimConst';
    return this.part === 'f' ? 'f' : 'claimConst';
  }

  private add(op: Node['op'], args: number[], shape: Shape, extra: { p?: number; q?: number; value?: number } = {}): number {
    const stream = this.streamOf(args);
    // A claim's constant part that f computes too is f's node (computed once).
    const shared = stream === 'claimConst' && args.every((a) => this.node(a).stream === 'const') ? 'const' : undefined;
    return this.b.add({ op, args, shape, stream, ...extra }, shared);
  }

  private isScalar(s: Shape): boolean {
    return this.a.types.isScalar(s);
  }

  private isVectorShape(s: Shape): boolean {
    const d = this.a.types.dims;
    return d.isOne(s[0]) || d.isOne(s[1]);
  }

  private shape(e: Expr): Shape {
    return this.a.types.shapes.get(e)!;
  }

  private input(name: string, shape: Shape): number {
    const known = this.inputs.get(name);
    if (known !== undefined) return known;
    const stream: Stream = name === this.direction ? 'claim' : name === this.wrt ? (this.part === 'f' ? 'f' : 'claimConst') : 'const';
    // The wrt input is one buffer whichever part reads it: give it the f stream.
    const id = this.b.add({ op: 'input', args: [], shape, stream: name === this.wrt ? 'f' : stream, name });
    this.inputs.set(name, id);
    return id;
  }

  private visit(e: Expr): number {
    const shape = this.shape(e);
    switch (e.kind) {
      case 'number':
        return this.add('const', [], shape, { value: e.value });
      case 'var': {
        const info = this.a.types.vars.get(e.name);
        return this.input(e.name, info ? info.shape : shape);
      }
      case 'neg':
        return this.add('unary', [this.visit(e.arg)], shape, { p: UNARY_ID.neg });
      case 'transpose': {
        const arg = this.visit(e.arg);
        if (this.isVectorShape(shape)) return this.add('alias', [arg], shape);
        return this.add('transpose', [arg], shape);
      }
      case 'binary':
        return this.chain(e);
      case 'call':
        return this.call(e, shape);
    }
  }

  private broadcast(l: Shape, r: Shape): number {
    if (this.isScalar(l) && !this.isScalar(r)) return 1;
    if (this.isScalar(r) && !this.isScalar(l)) return 2;
    return 0;
  }

  /** A binary node and the flat chain on its left spine (a+b+c+...), lowered in a loop from the innermost operator out. */
  private chain(e: BinaryNode): number {
    const spine = leftSpine(e);
    let left = this.visit(spine[spine.length - 1].left);
    for (let i = spine.length - 1; i >= 0; i--) left = this.binary(spine[i], left, this.shape(spine[i]));
    return left;
  }

  /** The value of `e`, whose left operand has already been lowered to `l`. */
  private binary(e: BinaryNode, l: number, shape: Shape): number {
    const ls = this.shape(e.left);
    const rs = this.shape(e.right);
    if (e.op === '^' && !this.isScalar(ls)) return this.matrixPower(l, integerExponent(e.right)!, shape);
    const r = this.visit(e.right);
    const elementwise = (op: number) => this.add('binary', [l, r], shape, { p: op, q: this.broadcast(ls, rs) });
    switch (e.op) {
      case '+':
        return elementwise(BINARY_ID.add);
      case '-':
        return elementwise(BINARY_ID.sub);
      case '.*':
        return elementwise(BINARY_ID.mul);
      case './':
      case '/':
        return elementwise(BINARY_ID.div);
      case '^':
      case '.^':
        return elementwise(BINARY_ID.pow);
      case '*':
        if (this.isScalar(ls) || this.isScalar(rs)) return elementwise(BINARY_ID.mul);
        return this.matmul(l, r, shape);
    }
  }

  /** A matrix product; an operand that is a (non-alias) transpose is read transposed instead. */
  private matmul(l: number, r: number, shape: Shape): number {
    let flags = 0;
    const ln = this.node(l);
    const rn = this.node(r);
    if (ln.op === 'transpose') {
      l = ln.args[0];
      flags |= 1;
    }
    if (rn.op === 'transpose') {
      r = rn.args[0];
      flags |= 2;
    }
    return this.add('matmul', [l, r], shape, { p: flags });
  }

  private matrixPower(base: number, k: number, shape: Shape): number {
    if (k === 0) return this.add('eye', [], shape);
    if (k < 0) {
      base = this.add('inv', [base], shape);
      k = -k;
    }
    if (k === 1) return base;
    return this.add('matpow', [base], shape, { p: k });
  }

  private call(e: CallNode, shape: Shape): number {
    if (e.name === 'eye') return this.add('eye', [], shape);
    const args = e.args.map((a) => this.visit(a));
    const [x] = args;
    switch (e.name) {
      case 'sum':
      case 'norm1':
      case 'norm2':
      case 'inv':
      case 'det':
      case 'logdet':
      case 'softmax':
      case 'logsumexp':
        return this.add(e.name, [x], shape);
      case 'tr': {
        // tr(A*B) needs only the product's diagonal: m k multiply-adds, not
        // m^2 k, and the same bits (the product node is left unread).
        const arg = this.node(x);
        if (arg.op === 'matmul') return this.add('traceMatmul', arg.args, shape, { p: arg.p });
        return this.add('trace', [x], shape);
      }
      case 'dot':
        return this.add('dot', args, shape);
      case 'kron':
        return this.add('kron', args, shape);
      case 'vec':
        return this.add('alias', [x], shape);
      case 'diag':
        return this.add(this.a.types.diagMode.get(e) === 'toMatrix' ? 'diagToMatrix' : 'diagOfMatrix', [x], shape);
      case 'vector':
      case 'matrix':
        return this.add('fill', [x], shape);
      default:
        return this.add('unary', [x], shape, { p: UNARY_ID[e.name] });
    }
  }
}

/** Lowers f and the claim of an analysed row into one program. */
export function lower(a: Analysis): Program {
  const wrt = a.spec.claim && a.spec.claim.type !== 'equals' ? a.wrt?.name : undefined;
  const low = new Lowering(a, wrt, a.direction);
  const f = low.lowerPart(a.f, 'f');
  const claim = a.claim ? low.lowerPart(a.claim, 'claim') : undefined;
  return { nodes: low.b.nodes, f, claim, inputs: low.inputs, wrt, direction: a.direction };
}

// Shape inference by unification (spec sections 1-2). One instance types all
// the expressions of a row (function and claim) over one DimTable, so that a
// dimension inferred in `f` constrains the claim and vice versa.
import { MatcheckError, type Span } from '../errors.js';
import type { BinaryNode, CallNode, Expr } from '../parse/ast.js';
import { lookupFunction } from '../parse/functions.js';
import { leftSpine } from '../parse/walk.js';
import { DimTable, type D, type Shape } from './dims.js';
import { defaultBase, kindShape, type Kind } from './kinds.js';

export interface VarInfo {
  name: string;
  kind: Kind;
  declared: boolean;
  shape: Shape;
}

export type DiagMode = 'toMatrix' | 'ofMatrix';

export class ShapeInference {
  readonly dims = new DimTable();
  readonly vars = new Map<string, VarInfo>();
  readonly shapes = new Map<Expr, Shape>();
  readonly diagMode = new Map<CallNode, DiagMode>();
  private source = '';
  private field = '';
  private locals = new Map<string, Shape>();

  constructor(declared: ReadonlyMap<string, Kind>) {
    for (const [name, kind] of declared) {
      const [r, c] = kindShape(kind);
      const toD = (d: typeof r): D => ('symbol' in d ? this.dims.symbol(d.symbol) : this.dims.value(d.value));
      this.vars.set(name, { name, kind, declared: true, shape: [toD(r), toD(c)] });
    }
  }

  /** Types `expr` (parsed from `source`, the row field `field`). `locals` binds extra names such as `dX`. */
  infer(expr: Expr, source: string, field: string, locals?: ReadonlyMap<string, Shape>): Shape {
    this.source = source;
    this.field = field;
    this.locals = new Map(locals ?? []);
    return this.visit(expr);
  }

  get scalar(): Shape {
    return [this.dims.value(1), this.dims.value(1)];
  }

  isScalar(s: Shape): boolean {
    return this.dims.isOne(s[0]) && this.dims.isOne(s[1]);
  }

  printShape(s: Shape): string {
    return this.isScalar(s) ? 'a scalar' : `${this.dims.print(s[0])} x ${this.dims.print(s[1])}`;
  }

  private text(e: Expr): string {
    return this.source.slice(e.span.start, e.span.end);
  }

  /** The source text of `e` as an operand: in parentheses unless it is a name, number or call, possibly transposed. */
  private operandText(e: Expr): string {
    const t = this.text(e);
    return /^([A-Za-z0-9_.]+|[A-Za-z_][A-Za-z0-9_]*\([^()]*\))'*$/.test(t) ? t : `(${t})`;
  }

  private describe(e: Expr): string {
    const s = this.shapes.get(e)!;
    return `'${this.text(e)}' (${this.printShape(s)})`;
  }

  fail(code: string, message: string, span: Span, hint?: string): never {
    throw new MatcheckError({ code, stage: 'shapes', message, source: this.source, span, hint, field: this.field });
  }

  private unify(a: D, b: D): boolean {
    return this.dims.unify(a, b);
  }

  /**
   * Unifies two shapes entry by entry. Each pair is tried before either is
   * joined, so that a mismatch in one leaves the other as it was: the error
   * then describes both operands as inferred so far (rows(X), not a size
   * borrowed from the failed match).
   */
  private unifyShapes(a: Shape, b: Shape): boolean {
    if (!this.dims.canUnify(a[0], b[0]) || !this.dims.canUnify(a[1], b[1])) return false;
    return this.unify(a[0], b[0]) && this.unify(a[1], b[1]);
  }

  private visit(e: Expr): Shape {
    const s = this.visitInner(e);
    this.shapes.set(e, s);
    return s;
  }

  private visitInner(e: Expr): Shape {
    switch (e.kind) {
      case 'number':
        return this.scalar;
      case 'var':
        return this.variable(e.name, e.span);
      case 'neg':
        return this.visit(e.arg);
      case 'transpose': {
        const [r, c] = this.visit(e.arg);
        return [c, r];
      }
      case 'binary':
        return this.chain(e);
      case 'call':
        return this.call(e);
    }
  }

  /** A binary node and the flat chain on its left spine (a+b+c+...), typed in a loop from the innermost operator out. */
  private chain(e: BinaryNode): Shape {
    const spine = leftSpine(e);
    let left = this.visit(spine[spine.length - 1].left);
    for (let i = spine.length - 1; i >= 0; i--) {
      left = this.binary(spine[i], left);
      this.shapes.set(spine[i], left);
    }
    return left;
  }

  private variable(name: string, span: Span): Shape {
    const local = this.locals.get(name);
    if (local) return local;
    const known = this.vars.get(name);
    if (known) return known.shape;
    const base = defaultBase(name);
    if (!base) {
      this.fail('E_UNDECLARED', `'${name}' is not declared and its name gives no default kind`, span, `declare it under vars, e.g. ${name}: "matrix(m,n)"`);
    }
    const shape: Shape =
      base === 'scalar'
        ? this.scalar
        : base === 'vector'
          ? [this.dims.free(`len(${name})`, false), this.dims.value(1)]
          : [this.dims.free(`rows(${name})`, false), this.dims.free(`cols(${name})`, false)];
    this.vars.set(name, { name, kind: { base, positive: false, dims: [] }, declared: false, shape });
    return shape;
  }

  /** The shape of `e`, whose left operand has already been typed as `l`. */
  private binary(e: BinaryNode, l: Shape): Shape {
    const r = this.visit(e.right);
    const ls = this.isScalar(l);
    const rs = this.isScalar(r);
    switch (e.op) {
      case '+':
      case '-':
      case '.*':
      case './': {
        if (ls) return r;
        if (rs) return l;
        if (this.unifyShapes(l, r)) return l;
        const what = e.op === '+' ? 'add' : e.op === '-' ? 'subtract' : 'combine element-wise';
        const transposed = this.sameAfterTranspose(l, r);
        return this.fail(
          e.op === '+' || e.op === '-' ? 'E_SHAPE_ADD' : 'E_SHAPE_ELEMENTWISE',
          `cannot ${what} ${this.describe(e.left)} and ${this.describe(e.right)}: the shapes differ`,
          e.opSpan,
          transposed ? `one side is the transpose of the other: did you mean '${this.text(e.right)}'' ?` : 'both sides need the same shape, or one side a scalar',
        );
      }
      case '*': {
        if (ls) return r;
        if (rs) return l;
        if (this.unify(l[1], r[0])) return [l[0], r[1]];
        return this.fail('E_SHAPE_MATMUL', `cannot multiply ${this.describe(e.left)} by ${this.describe(e.right)}: inner dimensions ${this.dims.print(l[1])} and ${this.dims.print(r[0])} differ`, e.opSpan, this.matmulHint(e.left, e.right, l, r));
      }
      case '/': {
        if (rs) return l;
        return this.fail('E_SHAPE_DIV', `cannot divide by ${this.describe(e.right)}: '/' divides by a scalar`, e.opSpan, `use './' for element-wise division, or '*inv(${this.text(e.right)})' for a matrix`);
      }
      case '.^':
      case '^': {
        if (!rs) this.fail('E_SHAPE_POWER', `the exponent of '${e.op}' must be a scalar, but it is ${this.describe(e.right)}`, e.right.span, this.powerHint(e));
        if (e.op === '.^') return l;
        if (ls) return l;
        const k = integerExponent(e.right);
        if (k === undefined) {
          // A^2' is A^(2'): the transpose is the exponent's, which the writer rarely means.
          const j = transposedExponent(e.right);
          const hint =
            j !== undefined
              ? `' binds tighter than ^, so this transposes the exponent ${j}; for the transpose of the power write (${this.operandText(e.left)}^${j})'`
              : `use '.^' for an element-wise power`;
          this.fail('E_MATRIX_POWER', `a matrix power needs a constant integer exponent, got '${this.text(e.right)}'`, e.right.span, hint);
        }
        // The engine's MATPOW takes the exponent as an i32 word: a larger one
        // would wrap around silently (A^4294967298 would compute A^2).
        if (Math.abs(k) > MAX_MATRIX_EXPONENT) {
          this.fail('E_MATRIX_POWER', `the exponent of a matrix power must lie within ±${MAX_MATRIX_EXPONENT}, got '${this.text(e.right)}'`, e.right.span);
        }
        if (!this.unify(l[0], l[1])) {
          const wrap = (t: string) => (/^[A-Za-z0-9_.]+'*$/.test(t) ? t : `(${t})`);
          const elementwise = `for an element-wise power write ${wrap(this.text(e.left))}.^${wrap(this.text(e.right))}`;
          const square = this.squareHint(l);
          this.fail('E_NOT_SQUARE', `a matrix power needs a square matrix, but ${this.describe(e.left)} is not square`, e.left.span, square ? `${square}; ${elementwise}` : elementwise);
        }
        return l;
      }
    }
  }

  /** The hint for a non-scalar exponent: `X^T` and `X^-T` (T undeclared) are textbook transposes. */
  private powerHint(e: BinaryNode): string {
    const negated = e.right.kind === 'neg';
    const t = e.right.kind === 'neg' ? e.right.arg : e.right;
    if (e.op === '^' && t.kind === 'var' && t.name === 'T' && !this.vars.get('T')?.declared) {
      const base = this.text(e.left);
      return negated
        ? `T here is an undeclared matrix, not a transpose: write inv(${base})' for the inverse transpose`
        : `T here is an undeclared matrix, not a transpose: write ${this.operandText(e.left)}' for the transpose`;
    }
    return `'${e.op}' takes a scalar exponent`;
  }

  /** Whether the two dimension pairs could be unified, without unifying them. */
  could(pairs: [D, D][]): boolean {
    const snap = this.dims.snapshot();
    const ok = pairs.every(([a, b]) => this.unify(a, b));
    this.dims.restore(snap);
    return ok;
  }

  private sameAfterTranspose(a: Shape, b: Shape): boolean {
    return this.could([
      [a[0], b[1]],
      [a[1], b[0]],
    ]);
  }

  private matmulHint(le: Expr, re: Expr, l: Shape, r: Shape): string | undefined {
    const isCol = (s: Shape) => this.dims.isOne(s[1]) && !this.dims.isOne(s[0]);
    const wrap = (t: string) => (/^[A-Za-z0-9_]+$/.test(t) ? t : `(${t})`);
    const a = wrap(this.text(le));
    const b = wrap(this.text(re));
    if (isCol(l) && isCol(r)) return `both are column vectors: did you mean ${a}'*${b} (a scalar) or ${a}*${b}' (an outer product)?`;
    if (this.could([[l[1], r[1]]])) return `did you mean ${a}*${b}'?`;
    if (this.could([[l[0], r[0]]])) return `did you mean ${a}'*${b}?`;
    return undefined;
  }

  private squareHint(s: Shape): string | undefined {
    const a = this.dims.get(s[0]);
    const b = this.dims.get(s[1]);
    if (a.symbol !== undefined && b.symbol !== undefined) {
      return `${a.symbol} and ${b.symbol} are different symbols, so they are different sizes; declare it as matrix(${a.symbol},${a.symbol}) if it is square`;
    }
    return undefined;
  }

  private requireSquare(e: CallNode, arg: Expr, s: Shape): void {
    if (this.unify(s[0], s[1])) return;
    this.fail('E_NOT_SQUARE', `${e.name} needs a square matrix, but ${this.describe(arg)} is not square (${this.dims.print(s[0])} rows, ${this.dims.print(s[1])} columns)`, arg.span, this.squareHint(s));
  }

  private requireVector(e: CallNode, arg: Expr, s: Shape): void {
    if (this.dims.isOne(s[1]) || this.dims.isOne(s[0]) || this.unify(s[1], this.dims.value(1))) return;
    this.fail('E_NOT_VECTOR', `${e.name} takes a vector, but ${this.describe(arg)} is a matrix`, arg.span, e.name === 'softmax' ? 'apply it to vec(...) or to one column' : undefined);
  }

  private call(e: CallNode): Shape {
    const info = lookupFunction(e.name)!;
    if (info.shape === 'eye') return this.eye(e);
    const shapes = e.args.map((a) => this.visit(a));
    const [s] = shapes;
    const arg = e.args[0];
    switch (info.shape) {
      case 'elementwise':
        return s;
      case 'reduce':
        return this.scalar;
      case 'square-scalar':
        this.requireSquare(e, arg, s);
        return this.scalar;
      case 'square-square':
        this.requireSquare(e, arg, s);
        return s;
      case 'vector-vector':
        this.requireVector(e, arg, s);
        return s;
      case 'vector-scalar':
        this.requireVector(e, arg, s);
        return this.scalar;
      case 'diag': {
        if (this.dims.isOne(s[1]) || this.dims.isOne(s[0])) {
          this.diagMode.set(e, 'toMatrix');
          const n = this.dims.isOne(s[1]) ? s[0] : s[1];
          return [n, n];
        }
        this.diagMode.set(e, 'ofMatrix');
        this.requireSquare(e, arg, s);
        return [s[0], this.dims.value(1)];
      }
      case 'kron': {
        const t = shapes[1];
        return [this.dims.product(s[0], t[0]), this.dims.product(s[1], t[1])];
      }
      case 'vec':
        return [this.dims.product(s[0], s[1]), this.dims.value(1)];
      case 'constant': {
        if (!this.isScalar(s)) this.fail('E_CONSTANT_ARG', `${e.name}(c) takes a scalar value c, but ${this.describe(arg)} is not a scalar`, arg.span);
        const at = `${e.name}@${e.span.start + 1}`;
        return e.name === 'vector'
          ? [this.dims.free(`len(${at})`, true), this.dims.value(1)]
          : [this.dims.free(`rows(${at})`, true), this.dims.free(`cols(${at})`, true)];
      }
      case 'dot': {
        const t = shapes[1];
        if (this.unifyShapes(s, t)) return this.scalar;
        return this.fail('E_SHAPE_DOT', `dot needs two arguments of the same shape, got ${this.describe(arg)} and ${this.describe(e.args[1])}`, e.span);
      }
    }
  }

  /** `eye(n)`: the argument is a dimension, a symbol or an integer, not a value. A bare `eye` takes its size from the other operand. */
  private eye(e: CallNode): Shape {
    const a = e.args[0];
    if (a === undefined) {
      const d = this.dims.free(`size(eye@${e.span.start + 1})`, true);
      return [d, d];
    }
    let d: D | undefined;
    if (a.kind === 'var') d = this.dims.symbol(a.name);
    else if (a.kind === 'number' && Number.isInteger(a.value) && a.value >= 1 && a.text !== 'pi') d = this.dims.value(a.value);
    if (d === undefined) {
      this.fail('E_EYE_ARG', `eye takes a dimension (a symbol such as n, or a positive integer), got '${this.text(a)}'`, a.span);
    }
    this.shapes.set(a, this.scalar);
    return [d, d];
  }
}

/** The integer an exponent such as `2'` or `-1'` would be without its transposes (only if it has one), or undefined. */
function transposedExponent(e: Expr): number | undefined {
  let sign = 1;
  let transposed = false;
  for (;;) {
    if (e.kind === 'transpose') transposed = true;
    else if (e.kind === 'neg') sign = -sign;
    else break;
    e = e.arg;
  }
  const k = integerExponent(e);
  return transposed && k !== undefined ? sign * k : undefined;
}

/** The largest matrix-power exponent (in absolute value): an engine instruction word is an i32. */
export const MAX_MATRIX_EXPONENT = 2 ** 31 - 1;

/** The integer value of a constant exponent (`2`, `-1`, `(3)`), or undefined. */
export function integerExponent(e: Expr): number | undefined {
  if (e.kind === 'number') return Number.isInteger(e.value) && e.text !== 'pi' ? e.value : undefined;
  if (e.kind === 'neg') {
    const v = integerExponent(e.arg);
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

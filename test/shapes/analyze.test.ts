// The front end's entry (spec section 3): the shape each claim type must
// have, the transposed-shape rule, usage errors, and shape inference over
// every row of the shipped seed tables.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderError } from '../../src/errors.js';
import { claimOf, type FormulaRow } from '../../src/row.js';
import { analyze, readDeclarations, type Analysis, type FormulaSpec } from '../../src/shapes/analyze.js';
import type { Shape } from '../../src/shapes/dims.js';
import { readTable, type TableRow } from '../../src/table/read.js';
import { analyzeError, dimsOf, spec } from '../helpers/shapes.js';

/** The expected claim shape, printed. */
const expectedOf = (a: Analysis) => a.types.printShape(a.expected!);
const claimOfA = (a: Analysis) => a.types.printShape(a.claimShape!);
const sameDims = (a: Analysis, s: Shape, t: Shape) => a.types.dims.find(s[0]) === a.types.dims.find(t[0]) && a.types.dims.find(s[1]) === a.types.dims.find(t[1]);

describe('the shape a claim must have', () => {
  it('grad: the shape of wrt (denominator layout, the default)', () => {
    const a = analyze(spec('tr(A*X*B)', { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' }, { wrt: 'X', claim: ['grad', "A'*B'"] }));
    expect(expectedOf(a)).toBe('m x n');
    expect(claimOfA(a)).toBe('m x n');
    expect(a.claimTransposed).toBe(false);
    expect(a.wrt!.name).toBe('X');
    expect(a.direction).toBeUndefined();
    const b = analyze(spec("x'*A*x", { A: 'matrix(n,n)', x: 'vector(n)' }, { wrt: 'x', claim: ['grad', "(A+A')*x"], layout: 'denominator' }));
    expect(expectedOf(b)).toBe('n x 1');
  });

  it('grad under layout: numerator: the transpose of wrt', () => {
    const a = analyze(spec('tr(A*X*B)', { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' }, { wrt: 'X', claim: ['grad', 'B*A'], layout: 'numerator' }));
    expect(expectedOf(a)).toBe('n x m');
    expect(claimOfA(a)).toBe('n x m');
    expect(a.claimTransposed).toBe(false);
    const b = analyze(spec("x'*x", { x: 'vector(n)' }, { wrt: 'x', claim: ['grad', "2*x'"], layout: 'numerator' }));
    expect(expectedOf(b)).toBe('1 x n');
    expect(b.claimTransposed).toBe(false);
  });

  it('grad of a scalar wrt a scalar', () => {
    const a = analyze(spec('exp(2*c)', { c: 'scalar' }, { wrt: 'c', claim: ['grad', '2*exp(2*c)'] }));
    expect(expectedOf(a)).toBe('a scalar');
  });

  it('jacobian: size of f by size of wrt (numerator), transposed under layout: denominator', () => {
    const a = analyze(spec('A*x', { A: 'matrix(m,n)', x: 'vector(n)' }, { wrt: 'x', claim: ['jacobian', 'A'] }));
    expect(expectedOf(a)).toBe('m x n');
    expect(a.claimTransposed).toBe(false);
    const b = analyze(spec('A*x', { A: 'matrix(m,n)', x: 'vector(n)' }, { wrt: 'x', claim: ['jacobian', "A'"], layout: 'denominator' }));
    expect(expectedOf(b)).toBe('n x m');
    expect(b.claimTransposed).toBe(false);
    // A scalar f is a 1-entry vector; a scalar wrt a 1-entry one.
    const c = analyze(spec("x'*x", { x: 'vector(n)' }, { wrt: 'x', claim: ['jacobian', "2*x'"] }));
    expect(expectedOf(c)).toBe('1 x n');
    const d = analyze(spec('c*x', { x: 'vector(n)', c: 'scalar' }, { wrt: 'c', claim: ['jacobian', 'x'] }));
    expect(expectedOf(d)).toBe('n x 1');
  });

  it('hessian: size of wrt by size of wrt', () => {
    const a = analyze(spec("x'*Q*x", { Q: 'matrix(n,n)', x: 'vector(n)' }, { wrt: 'x', claim: ['hessian', "Q+Q'"] }));
    expect(expectedOf(a)).toBe('n x n');
    expect(claimOfA(a)).toBe('n x n');
  });

  it('differential: the shape of f, with dX bound to the shape of wrt', () => {
    const a = analyze(spec('X*Y', { X: 'matrix(m,n)', Y: 'matrix(n,p)' }, { wrt: 'X', claim: ['differential', 'dX*Y'] }));
    expect(expectedOf(a)).toBe('m x p');
    expect(claimOfA(a)).toBe('m x p');
    expect(a.direction).toBe('dX');
    // dX is no variable: the claim's use of it took the shape of X.
    expect(a.types.vars.has('dX')).toBe(false);
    const b = analyze(spec('X*Y', { X: 'matrix(m,n)', Y: 'matrix(n,p)' }, { wrt: 'Y', claim: ['differential', 'X*dY'] }));
    expect(b.direction).toBe('dY');
    expect(expectedOf(b)).toBe('m x p');
    // A dX of the wrong shape is a shape error in the claim: dX is m x n.
    const e = analyzeError(spec('X*Y', { X: 'matrix(m,n)', Y: 'matrix(n,p)' }, { wrt: 'X', claim: ['differential', 'X*dX'] }));
    expect(e.code).toBe('E_SHAPE_MATMUL');
    expect(e.message).toContain("'dX' (m x n)");
    // The direction of an undeclared wrt has its inferred shape.
    const c = analyze(spec("x'*A*x", { A: 'matrix(n,n)' }, { wrt: 'x', claim: ['differential', "dx'*(A+A')*x"] }));
    expect(c.direction).toBe('dx');
    expect(expectedOf(c)).toBe('a scalar');
    // A differential of a scalar variable.
    const d = analyze(spec('sin(c)*A', { A: 'matrix(m,n)', c: 'scalar' }, { wrt: 'c', claim: ['differential', 'cos(c)*dc*A'] }));
    expect(expectedOf(d)).toBe('m x n');
  });

  it('equals: the shape of f; no wrt needed', () => {
    const a = analyze(spec('A*B', { A: 'matrix(m,k)', B: 'matrix(k,n)' }, { claim: ['equals', "(B'*A')'"] }));
    expect(expectedOf(a)).toBe('m x n');
    expect(a.wrt).toBeUndefined();
    expect(a.claimTransposed).toBe(false);
  });

  it('a row without a claim has f alone', () => {
    const a = analyze(spec('A*x', { A: 'matrix(m,n)' }));
    expect(a.claim).toBeUndefined();
    expect(a.expected).toBeUndefined();
    expect(a.claimTransposed).toBe(false);
    expect(dimsOf(a, a.fShape)).toBe('m x 1');
  });

  it("undeclared names in the claim are f's, with f's shapes; constants take the expected shape", () => {
    const a = analyze(spec("x'*G*x", { x: 'vector(n)' }, { wrt: 'x', claim: ['grad', "(G+G')*x"] }));
    expect(dimsOf(a, a.types.vars.get('G')!.shape)).toBe('n x n');
    expect(claimOfA(a)).toBe('n x 1');
    const b = analyze(spec('tr(E*X)', { X: 'matrix(m,n)' }, { wrt: 'X', claim: ['grad', "E'"] }));
    expect(dimsOf(b, b.types.vars.get('E')!.shape)).toBe('n x m');
    const c = analyze(spec('sum(X)', { X: 'matrix(m,n)' }, { wrt: 'X', claim: ['grad', 'matrix(1)'] }));
    expect(claimOfA(c)).toBe('m x n');
  });
});

describe('the transposed-shape rule', () => {
  it('a claim with exactly the transposed (non-square) shape is flagged, not refused', () => {
    const a = analyze(spec('tr(A*X*B)', { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' }, { wrt: 'X', claim: ['grad', 'B*A'] }));
    expect(a.claimTransposed).toBe(true);
    expect(expectedOf(a)).toBe('m x n');
    expect(claimOfA(a)).toBe('n x m');
    expect(sameDims(a, a.claimShape!, [a.expected![1], a.expected![0]])).toBe(true);
  });

  it('for vectors: a row claim for a column gradient, and back under numerator layout', () => {
    const a = analyze(spec("x'*x", { x: 'vector(n)' }, { wrt: 'x', claim: ['grad', "2*x'"] }));
    expect(a.claimTransposed).toBe(true);
    const b = analyze(spec("x'*x", { x: 'vector(n)' }, { wrt: 'x', claim: ['grad', '2*x'], layout: 'numerator' }));
    expect(b.claimTransposed).toBe(true);
    expect(expectedOf(b)).toBe('1 x n');
  });

  it('for jacobians and differentials too', () => {
    const a = analyze(spec('A*x', { A: 'matrix(m,n)', x: 'vector(n)' }, { wrt: 'x', claim: ['jacobian', "A'"] }));
    expect(a.claimTransposed).toBe(true);
    const b = analyze(spec('X*Y', { X: 'matrix(m,n)', Y: 'matrix(n,p)' }, { wrt: 'X', claim: ['differential', "(dX*Y)'"] }));
    expect(b.claimTransposed).toBe(true);
    const c = analyze(spec('A*B', { A: 'matrix(m,k)', B: 'matrix(k,n)' }, { claim: ['equals', "B'*A'"] }));
    expect(c.claimTransposed).toBe(true);
  });

  it('a square expected shape is never flagged', () => {
    const a = analyze(spec('tr(A*X)', { A: 'matrix(n,n)', X: 'matrix(n,n)' }, { wrt: 'X', claim: ['grad', 'A'] }));
    expect(a.claimTransposed).toBe(false);
    const b = analyze(spec("x'*Q*x", { Q: 'matrix(n,n)', x: 'vector(n)' }, { wrt: 'x', claim: ['hessian', "Q'"] }));
    expect(b.claimTransposed).toBe(false);
    const c = analyze(spec('logdet(X)', { X: 'invertible(n)' }, { wrt: 'X', claim: ['grad', 'inv(X)'] }));
    expect(c.claimTransposed).toBe(false);
  });

  it('a claim that could take either orientation takes the expected one', () => {
    // matrix(1) takes its shape from its context: free, so it becomes m x n.
    const a = analyze(spec('tr(A*X)', { A: 'matrix(n,m)', X: 'matrix(m,n)' }, { wrt: 'X', claim: ['grad', 'matrix(1)'] }));
    expect(a.claimTransposed).toBe(false);
    expect(claimOfA(a)).toBe('m x n');
  });

  it('any other disagreement is E_CLAIM_SHAPE, located on the whole claim', () => {
    const cases: [FormulaSpec, string][] = [
      [spec('tr(A*X*B)', { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' }, { wrt: 'X', claim: ['grad', "A'*A"] }), 'm x n'],
      [spec("x'*x", { x: 'vector(n)' }, { wrt: 'x', claim: ['grad', "x*x'"] }), 'n x 1'],
      [spec('sum(X)', { X: 'matrix(m,n)' }, { wrt: 'X', claim: ['grad', '1'] }), 'm x n'],
      [spec('X*Y', { X: 'matrix(m,n)', Y: 'matrix(n,p)' }, { wrt: 'X', claim: ['differential', 'tr(dX*Y*Y\'*X\')'] }), 'm x p'],
      [spec('A*x', { A: 'matrix(m,n)', x: 'vector(n)' }, { wrt: 'x', claim: ['jacobian', "A'*A"] }), 'm x n'],
      [spec("x'*Q*x", { Q: 'matrix(n,n)', x: 'vector(n)' }, { wrt: 'x', claim: ['hessian', "Q*x"] }), 'n x n'],
      [spec('A*B', { A: 'matrix(m,k)', B: 'matrix(k,n)' }, { claim: ['equals', 'sum(A*B)'] }), 'm x n'],
    ];
    for (const [s, must] of cases) {
      const e = analyzeError(s);
      expect(e.code, s.claim!.text).toBe('E_CLAIM_SHAPE');
      expect(e.field).toBe(s.claim!.type);
      expect(e.source).toBe(s.claim!.text);
      expect(e.span).toEqual({ start: 0, end: s.claim!.text.length });
      expect(e.message).toContain(`but it must be ${must}`);
    }
    const e = analyzeError(cases[0][0]);
    expect(e.message).toBe('the grad claim is m x m, but it must be m x n (the shape of X)');
    expect(renderError(e)).toContain("  | A'*A\n  | ^^^^ (column 1)");
    const n = analyzeError(spec('tr(A*X*B)', { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' }, { wrt: 'X', claim: ['grad', "A'*A"], layout: 'numerator' }));
    expect(n.message).toContain('transposed for numerator layout');
  });
});

describe('usage errors', () => {
  it('E_F_NOT_SCALAR: grad and hessian need a scalar f', () => {
    const e = analyzeError(spec('X', { X: 'matrix(m,n)' }, { wrt: 'X', claim: ['grad', 'X'] }));
    expect(e.code).toBe('E_F_NOT_SCALAR');
    expect(e.field).toBe('f');
    expect(e.message).toContain('f is m x n');
    expect(e.hint).toContain('jacobian');
    const h = analyzeError(spec('A*x', { A: 'matrix(m,n)', x: 'vector(n)' }, { wrt: 'x', claim: ['hessian', "A'*A"] }));
    expect(h.code).toBe('E_F_NOT_SCALAR');
  });

  it('E_NOT_VECTOR: a jacobian needs vector f and wrt; a hessian a vector wrt', () => {
    const a = analyzeError(spec('A*X', { A: 'matrix(m,n)', X: 'matrix(n,p)' }, { wrt: 'A', claim: ['jacobian', 'X'] }));
    expect(a.code).toBe('E_NOT_VECTOR');
    expect(a.field).toBe('f');
    const b = analyzeError(spec('A*x', { A: 'matrix(m,n)', x: 'vector(n)' }, { wrt: 'A', claim: ['jacobian', "x'"] }));
    expect(b.code).toBe('E_NOT_VECTOR');
    expect(b.field).toBe('wrt');
    expect(b.message).toContain("wrt 'A'");
    const c = analyzeError(spec('tr(X)', { X: 'matrix(n,n)' }, { wrt: 'X', claim: ['hessian', 'X'] }));
    expect(c.code).toBe('E_NOT_VECTOR');
    expect(c.hint).toContain('differential');
  });

  it('E_NO_WRT: a derivative claim needs wrt', () => {
    for (const type of ['grad', 'jacobian', 'differential', 'hessian'] as const) {
      const e = analyzeError(spec("x'*x", { x: 'vector(n)' }, { claim: [type, '2*x'] }));
      expect(e.code, type).toBe('E_NO_WRT');
      expect(e.field).toBe('wrt');
      expect(e.message).toContain(`a ${type} claim needs 'wrt'`);
    }
  });

  it('E_WRT: wrt must be a variable name', () => {
    for (const wrt of ['1x', 'x y', "x'", 'X(1)']) {
      expect(analyzeError(spec("x'*x", { x: 'vector(n)' }, { wrt, claim: ['grad', '2*x'] })).code, wrt).toBe('E_WRT');
    }
  });

  it('E_WRT_UNUSED: wrt must appear in f (case-sensitive, and not as an eye dimension)', () => {
    const e = analyzeError(spec('sum(x)', { x: 'vector(n)', X: 'matrix(n,n)' }, { wrt: 'X', claim: ['grad', 'X'] }));
    expect(e.code).toBe('E_WRT_UNUSED');
    expect(e.field).toBe('wrt');
    expect(e.hint).toContain('case-sensitive');
    expect(analyzeError(spec('sum(x)', { x: 'vector(n)' }, { wrt: 'y', claim: ['grad', 'y'] })).code).toBe('E_WRT_UNUSED');
    expect(analyzeError(spec('tr(eye(n))*c', { c: 'scalar' }, { wrt: 'n', claim: ['grad', '0'] })).code).toBe('E_WRT_UNUSED');
    // An equals claim needs no wrt (and refuses one: E_FIELD_UNUSED).
    expect(analyze(spec('sum(x)', { x: 'vector(n)' }, { claim: ['equals', "x'*vector(1)"] })).wrt).toBeUndefined();
  });

  it('E_DIRECTION_NAME: the direction of a differential is neither declared nor used in f', () => {
    const e = analyzeError(spec("x'*x", { x: 'vector(n)', dx: 'vector(n)' }, { wrt: 'x', claim: ['differential', "2*x'*dx"] }));
    expect(e.code).toBe('E_DIRECTION_NAME');
    expect(e.field).toBe('vars.dx');
    // dX in f would be an undeclared scalar (initial d): it cannot share the direction's name.
    const f = analyzeError(spec('sum(X)*dX', { X: 'matrix(m,n)' }, { wrt: 'X', claim: ['differential', 'sum(dX)*2'] }));
    expect(f.code).toBe('E_DIRECTION_NAME');
    expect(f.field).toBe('f');
    // Other claim types leave the name free.
    expect(analyze(spec('sum(X)*dX', { X: 'matrix(m,n)' }, { wrt: 'X', claim: ['grad', 'dX*matrix(1)'] })).types.vars.has('dX')).toBe(true);
  });

  it('E_NO_DIRECTION: a differential claim that uses a misspelt direction (dX for wrt x) instead of d<wrt>', () => {
    const e = analyzeError(spec("x'*A*x", { A: 'matrix(n,n)' }, { wrt: 'x', claim: ['differential', "dX'*(A+A')*x"] }));
    expect(e.code).toBe('E_NO_DIRECTION');
    expect(e.field).toBe('differential');
    expect(e.message).toBe("the differential claim uses 'dX' but never 'dx', the direction of wrt 'x'");
    expect(e.hint).toBe("did you mean 'dx'? The direction is 'd' followed by wrt's exact name");
    expect(e.span).toEqual({ start: 0, end: 12 });
    // A claim with no direction at all is a formula mistake (a missing d): it is analysed, and fails when checked.
    expect(analyze(spec('tr(X)', { X: 'matrix(n,n)' }, { wrt: 'X', claim: ['differential', 'tr(X)'] })).direction).toBe('dX');
  });

  it('E_UNKNOWN_NAME: a claim uses a name neither declared nor in f (a typo would otherwise be drawn as a new variable and fail)', () => {
    const e = analyzeError(spec("x'*A*x", { x: 'vector(n)', A: 'matrix(n,n)' }, { wrt: 'x', claim: ['grad', "(A+B')*x"] }));
    expect(e.code).toBe('E_UNKNOWN_NAME');
    expect(e.field).toBe('grad');
    expect(e.message).toBe("the grad claim uses 'B', which is neither declared under vars nor used by f");
    expect(e.span).toEqual({ start: 3, end: 4 });
    // One letter is one edit from any other: no guess but a case slip.
    expect(e.hint).toBe("a claim may use f's variables and declared ones (A, x); declare 'B' under vars if it is meant");
    expect(analyzeError(spec("x'*A*x", { x: 'vector(n)', A: 'matrix(n,n)' }, { wrt: 'x', claim: ['grad', "(a+A')*x"] })).hint).toBe("did you mean 'A'?");
    // A misspelt direction that is not a case slip (E_NO_DIRECTION) gets the closest name.
    const d = analyzeError(spec('W1*x', { W1: 'matrix(n,n)', x: 'vector(n)' }, { wrt: 'W1', claim: ['differential', 'dW*x'] }));
    expect([d.code, d.hint]).toEqual(['E_UNKNOWN_NAME', "did you mean 'dW1'?"]);
    // d<wrt> in a claim that has no direction.
    expect(analyzeError(spec('tr(X)', {}, { wrt: 'X', claim: ['grad', 'dX'] })).hint).toBe('dX is the direction of a differential claim: write the claim under differential: instead of grad:');
    // Undeclared names that f uses, declared names f does not use, and the direction stay allowed.
    expect(analyze(spec("a*x'*x", {}, { wrt: 'x', claim: ['grad', '2*a*x'] })).claimShape).toBeDefined();
    expect(analyze(spec("x'*x", { x: 'vector(n)', y: 'vector(n)' }, { wrt: 'x', claim: ['grad', '2*x+0*y'] })).claimShape).toBeDefined();
    expect(analyze(spec("x'*x", { x: 'vector(n)' }, { wrt: 'x', claim: ['differential', "2*x'*dx"] })).direction).toBe('dx');
    // Identities too: the claim is about f's variables.
    expect(analyzeError(spec('tr(A*B)', {}, { claim: ['equals', 'tr(B*C)'] })).message).toBe("the equals claim uses 'C', which is neither declared under vars nor used by f");
  });

  it('E_FIELD_UNUSED: wrt on an identity, layout on other than grad or jacobian, convention on other than a structured grad or differential', () => {
    const w = analyzeError(spec('sum(x)', { x: 'vector(n)' }, { wrt: 'x', claim: ['equals', "x'*vector(1)"] }));
    expect([w.code, w.field, w.message, w.hint]).toEqual(['E_FIELD_UNUSED', 'wrt', "an equals claim compares f with the claim and differentiates nothing, so 'wrt' means nothing here", 'remove wrt, or make a derivative claim (grad, jacobian, ...)']);
    const l = analyzeError(spec("x'*x", { x: 'vector(n)' }, { wrt: 'x', claim: ['hessian', '2*eye(n)'], layout: 'numerator' }));
    expect([l.code, l.field, l.message]).toEqual(['E_FIELD_UNUSED', 'layout', 'layout applies to grad and jacobian claims, not to a hessian claim']);
    const general = analyzeError(spec('tr(A*X)', { A: 'matrix(n,n)', X: 'matrix(n,n)' }, { wrt: 'X', claim: ['grad', "A'"], convention: 'projected' }));
    expect([general.code, general.field, general.message, general.hint]).toEqual(['E_FIELD_UNUSED', 'convention', 'convention applies to a symmetric, spd or diagonal wrt, but X is matrix(n,n)', 'declare X\'s structure (e.g. X: "symmetric(n)"), or remove convention']);
    expect(analyzeError(spec('x', { x: 'vector(n)' }, { wrt: 'x', claim: ['jacobian', 'eye(n)'], convention: 'projected' })).message).toBe('convention applies to grad and differential claims, not to a jacobian claim');
    // Where they mean something they are accepted.
    expect(analyze(spec('tr(A*X)', { A: 'matrix(n,n)', X: 'symmetric(n)' }, { wrt: 'X', claim: ['grad', "(A+A')/2"], convention: 'projected' })).wrt!.name).toBe('X');
    expect(analyze(spec('A*x', { A: 'matrix(m,n)', x: 'vector(n)' }, { wrt: 'x', claim: ['jacobian', "A'"], layout: 'denominator' })).claimTransposed).toBe(false);
  });

  it('E_VAR_NAME: pi and function names cannot be declared, since a formula can never read them as variables', () => {
    // `pi` in a formula is always the constant (spec section 1): a declared
    // pi was drawn but never read, and f silently used 3.14159... instead.
    const p = analyzeError(spec('pi*2', { pi: 'vector(n)' }));
    expect(p.code).toBe('E_VAR_NAME');
    expect(p.field).toBe('vars.pi');
    expect(p.message).toBe("'pi' is the constant pi, so it cannot be declared as a variable");
    expect(p.hint).toBe('rename the variable, e.g. pi_1');
    // A function name followed by '(' is always the call: `sum(x)` summed x, never read the declared sum.
    const s = analyzeError(spec('sum(x)', { sum: 'vector(n)', x: 'vector(n)' }));
    expect(s.code).toBe('E_VAR_NAME');
    expect(s.field).toBe('vars.sum');
    expect(s.message).toBe("'sum' is a function, so it cannot be declared as a variable");
    expect(analyzeError(spec('x', { asin: 'scalar', x: 'vector(n)' })).message).toBe("'asin' is a function (arcsin), so it cannot be declared as a variable");
    // wrt names the same thing: not 'f does not mention pi' when f plainly does.
    const w = analyzeError(spec("pi*x'*x", { x: 'vector(n)' }, { wrt: 'pi', claim: ['grad', '0'] }));
    expect(w.code).toBe('E_WRT');
    expect(w.message).toBe("wrt 'pi' is the constant pi, not a variable");
    // Names that merely resemble them stay variables.
    expect(analyze(spec('pi2*trace', { pi2: 'scalar', trace: 'scalar' })).types.vars.get('trace')!.declared).toBe(true);
  });

  it('E_VAR_NAME and E_KIND from the declarations', () => {
    const e = analyzeError(spec('x', { '1x': 'vector(n)' }));
    expect(e.code).toBe('E_VAR_NAME');
    expect(e.field).toBe('vars.1x');
    expect(analyzeError(spec('x', { 'x-y': 'vector(n)' })).code).toBe('E_VAR_NAME');
    const k = analyzeError(spec('x', { x: 'vectr(n)' }));
    expect(k.code).toBe('E_KIND');
    expect(k.field).toBe('vars.x');
    expect(k.span).toEqual({ start: 0, end: 5 });
    const nonString = analyzeError({ f: 'x', vars: { x: 3 as unknown as string } });
    expect(nonString.code).toBe('E_KIND');
    expect(readDeclarations(undefined).size).toBe(0);
    expect([...readDeclarations({ A: 'matrix(m,n)', c: 'positive scalar' }).keys()]).toEqual(['A', 'c']);
  });

  it('parse errors carry their field', () => {
    expect(analyzeError(spec('x +', { x: 'vector(n)' })).field).toBe('f');
    const e = analyzeError(spec("x'*x", { x: 'vector(n)' }, { wrt: 'x', claim: ['grad', '2*(x'] }));
    expect(e.stage).toBe('parse');
    expect(e.field).toBe('grad');
  });
});

// ------------------------------------------------------------------ seed tables

const SEEDS = fileURLToPath(new URL('../../tables/seeds/', import.meta.url));
const seedFiles = readdirSync(SEEDS).filter((f) => f.endsWith('.yaml')).sort();
const tables = new Map(seedFiles.map((file) => [file, readTable(readFileSync(SEEDS + file, 'utf8'), file)]));

const specOf = (row: FormulaRow): FormulaSpec => ({ vars: row.vars, f: row.f, wrt: row.wrt, claim: claimOf(row), layout: row.layout, convention: row.convention });

function seedRow(file: string, id: string): TableRow {
  const r = tables.get(file)!.rows.find((t) => t.row.id === id);
  if (!r) throw new Error(`no row ${id} in ${file}`);
  return r;
}

describe('every row of the seed tables', () => {
  it('finds the five seed tables, with rows', () => {
    expect(seedFiles).toHaveLength(5);
    for (const [file, t] of tables) expect(t.rows.length, file).toBeGreaterThan(10);
  });

  const rows = [...tables].flatMap(([file, t]) => t.rows.map((r) => [file, r.row.id ?? `line ${r.line}`, r] as const));
  const checked = rows.filter(([, , r]) => !r.problem && r.row.expect !== 'error');

  it.each(checked)('%s %s: f and claim are well-shaped and the claim fits', (_file, _id, r) => {
    const a = analyze(specOf(r.row));
    const claim = claimOf(r.row);
    expect(claim).toBeDefined();
    expect(a.claim).toBeDefined();
    const want = a.claimTransposed ? ([a.expected![1], a.expected![0]] as const) : a.expected!;
    expect(a.types.could([[a.claimShape![0], want[0]], [a.claimShape![1], want[1]]])).toBe(true);
    // Unification has already happened: the dimensions are the same roots.
    expect(sameDims(a, a.claimShape!, want)).toBe(true);
    // Rows meant to pass have the expected orientation (the tables use layout: where needed).
    if ((r.row.expect ?? 'pass') === 'pass') expect(a.claimTransposed).toBe(false);
  });

  it('rows kept as expect: error fail in the front end', () => {
    const errors = rows.filter(([, , r]) => r.row.expect === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const [, id, r] of errors) {
      if (r.problem) continue;
      expect(() => analyze(specOf(r.row)), id).toThrow();
    }
  });

  // Hand-written expectations: [table, row id, f's shape, the claim's shape].
  const M = '000-matrix-calculus.yaml';
  const C = '001-cs4243-matrix-differentiation.yaml';
  const D = '002-differentials-tutorial.yaml';
  const H = '003-ml-handbook.yaml';
  const U = '004-uw-vector-matrix-derivatives.yaml';
  const expectations: [string, string, string, string][] = [
    [M, 'rule1-d-product-wrt-x', 'm x p', 'm x p'],
    [M, 'rule1-d-transpose', 'n x m', 'n x m'],
    [M, 'rule2-d-inverse', 'n x n', 'n x n'],
    [M, 'rule3-d-det', 'a scalar', 'a scalar'],
    [M, 'ex1-grad-a-x-b', 'a scalar', 'm x n'],
    [M, 'ex2-grad-a-exp-xb', 'a scalar', 'm x n'],
    [M, 'ex3-grad-y', 'a scalar', 'l x n'],
    [M, 'ex4-grad-least-squares', 'a scalar', 'n x 1'],
    [M, 'ex4-normal-equations', 'n x 1', 'n x 1'],
    [C, 'eq5-grad-xtx', 'a scalar', 'n x 1'],
    [C, 'eq15-jacobian-ax', 'm x 1', 'm x n'],
    [C, 'eq16-jacobian-ax-denominator', 'm x 1', 'n x m'],
    [C, 'eq26-grad-norm-bax-wrt-b', 'a scalar', 'p x m'],
    [C, 'eq31-grad-norm-bax-wrt-a', 'a scalar', 'm x n'],
    [D, 'eq11-d-triple-product-wrt-x2', 'm x q', 'm x q'],
    [D, 'eq13-d-kron-wrt-x', 'm*p x n*q', 'm*p x n*q'],
    [D, 'eq20-chain-z-y-x', 'a scalar', '1 x n'],
    [D, 'eq21-chain-z-scalar-y-matrix-x', 'a scalar', 'n x m'],
    [D, 'eq22-chain-z-matrix-y-scalar-x', 'a scalar', 'a scalar'],
    [D, 'eq23-chain-vector-z-y-x', 'm x 1', 'm x n'],
    [D, 'eg5-grad-w1-mse-sigmoid', 'a scalar', 'n x k'],
    [D, 'eg5-grad-w2-softmax-ce-tanh', 'a scalar', 'k x p'],
    [D, 'special-eg1-kron-columns', 'a scalar', 'q x p'],
    [D, 'pca-grad-v', 'a scalar', 'k x m'],
    [H, 'rule-d-axb', 'p x q', 'p x q'],
    [H, 'ex-linear-xw-increment', 'm x p', 'm x p'],
    [H, 'exercise1-grad-trace', 'a scalar', 'n x n'],
    [H, 'exercise4-grad-tr-a-xt-x', 'a scalar', 'm x n'],
    [H, 'exercise5-rectangular-grad-det-a-invx-b', 'a scalar', 'n x n'],
    [U, 'linear-grad-btx', 'a scalar', '1 x n'],
    [U, 'eq11-perturbation-of-gradient', '1 x n', '1 x n'],
    [U, 'eq11-hessian-quadratic', 'a scalar', 'n x n'],
    [U, 'chain-df-dx-linear', 'p x 1', 'p x n'],
    [U, 'chain-dg-dy', 'a scalar', '1 x p'],
    [U, 'woodbury-identity-step', 'm x m', 'm x m'],
    [U, 'woodbury-grad-transposed', 'a scalar', 'n x m'],
  ];
  it.each(expectations)('%s %s: f is %s, the claim %s', (file, id, f, claim) => {
    const a = analyze(specOf(seedRow(file, id).row));
    expect(a.types.printShape(a.fShape)).toBe(f);
    expect(a.types.printShape(a.claimShape!)).toBe(claim);
    expect(a.claimTransposed).toBe(false);
  });

  it('has at least 20 hand-written seed expectations', () => {
    expect(expectations.length).toBeGreaterThanOrEqual(20);
  });

  it('the seed row kept as an error fails with the matmul hint', () => {
    const e = analyzeError(specOf(seedRow(U, 'woodbury-f-dims-as-printed').row));
    expect(e.code).toBe('E_SHAPE_MATMUL');
    expect(e.message).toContain('inner dimensions m and n differ');
  });
});

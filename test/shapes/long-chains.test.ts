// Shape inference and the name checks of analyze() walk a flat chain
// (a+b+c+..., A*B*C*...) in a loop: a chain of any length is typed, and a
// shape error at its far end is located there.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/shapes/analyze.js';
import { analyzeError, dimsOf, spanText, spec } from '../helpers/shapes.js';

const terms = (term: string, n: number) => Array(n).fill(term).join(' + ');

// 30000 operators: a stage that recursed once per operator would overflow the stack.
const N = 30_000;

describe('long flat chains', () => {
  it(`types a sum of ${N} traces of matrix products, every node of the chain`, () => {
    const vars = { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' };
    const a = analyze(spec(terms('tr(A*X*B)', N), vars, { wrt: 'X', claim: ['grad', `${N}*A'*B'`] }));
    expect(a.types.printShape(a.fShape)).toBe('a scalar');
    expect(dimsOf(a, a.expected!)).toBe('m x n');
    // Every binary node of f has its shape: N - 1 sums of scalars, N products A*X and N products (A*X)*B.
    const count: Record<string, number> = {};
    for (const [e, s] of a.types.shapes) {
      if (e.kind !== 'binary') continue;
      const key = `${e.op} ${dimsOf(a, s)}`;
      count[key] = (count[key] ?? 0) + 1;
    }
    // And the claim's N*A' (m x p) and (N*A')*B' (m x n).
    expect(count).toEqual({ '+ 1 x 1': N - 1, '* p x n': N, '* p x p': N, '* m x p': 1, '* m x n': 1 });
  });

  it('infers undeclared shapes across a long product chain', () => {
    // x'*A*A*...*A*y: A square, y as long as x.
    const a = analyze(spec(`x'*${Array(N).fill('A').join('*')}*y`, { x: 'vector(n)' }));
    expect(a.types.printShape(a.fShape)).toBe('a scalar');
    expect(dimsOf(a, a.types.vars.get('A')!.shape)).toBe('n x n');
    expect(dimsOf(a, a.types.vars.get('y')!.shape)).toBe('n x 1');
  });

  it('a shape error in the last term of a long chain points at its operator', () => {
    const f = `${terms('A', 5000)} + x`;
    const e = analyzeError(spec(f, { A: 'matrix(m,n)', x: 'vector(n)' }));
    expect(e.code).toBe('E_SHAPE_ADD');
    expect(e.span).toEqual({ start: f.length - 3, end: f.length - 2 });
    expect(e.message).toContain("and 'x' (n x 1)");
    // The left side is the whole chain before it.
    expect(e.message).toContain(`cannot add '${terms('A', 5000)}' (m x n)`);
    const g = `${Array(5000).fill('A').join('*')}*x`;
    const m = analyzeError(spec(g, { A: 'matrix(n,n)', x: 'vector(m)' }));
    expect(m.code).toBe('E_SHAPE_MATMUL');
    expect(m.span!.start).toBe(g.length - 2);
    expect(spanText(m)).toBe('*');
  });

  it('finds wrt, and the direction of a differential, mentioned only at the far end of a long chain', () => {
    const f = `${terms('a', N)} + tr(X)`;
    const a = analyze(spec(f, { X: 'matrix(n,n)' }, { wrt: 'X', claim: ['differential', `${terms('0*a', N)} + tr(dX)`] }));
    expect(a.wrt?.name).toBe('X');
    expect(a.direction).toBe('dX');
    const e = analyzeError(spec(terms('a', N), { X: 'matrix(n,n)' }, { wrt: 'X', claim: ['grad', 'eye(n)'] }));
    expect(e.code).toBe('E_WRT_UNUSED');
    // A misspelt direction at the end of a long claim is still named.
    const d = analyzeError(spec('X', { X: 'matrix(n,n)' }, { wrt: 'X', claim: ['differential', `${terms('0*X', N)} + dx`] }));
    expect(d.code).toBe('E_NO_DIRECTION');
    expect(d.message).toContain("uses 'dx' but never 'dX'");
  });
});

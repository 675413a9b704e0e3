// A variable that a formula mentions but no instruction reads (`X^0` lowers
// to an identity, whatever X is) is still an input of the layout: the check
// samples it, finite differences move it, and a claim may read it.
import { describe, expect, it } from 'vitest';
import { checkFormula } from '../../src/check/formula.js';
import { directional } from '../../src/fd/stencils.js';
import { loadEngine } from '../../src/run/module.js';
import { compile } from '../helpers/layout.js';
import { runEngine } from '../helpers/run.js';
import { spec } from '../helpers/shapes.js';

const engine = loadEngine();

describe('inputs that no instruction reads', () => {
  it.each([
    ['tr(X^0)', { X: 'matrix(n,n)' }],
    ['tr(A*X^0)', { X: 'matrix(n,n)', A: 'matrix(n,n)' }],
    ['tr(inv(X)^0)', { X: 'matrix(n,n)' }],
    ['tr(X^-0)', { X: 'matrix(n,n)' }],
    ['tr((X*X)^0)', { X: 'matrix(n,n)' }],
    ['sum(X^0 + A)', { X: 'matrix(n,n)', A: 'matrix(n,n)' }],
  ])('%s keeps X in the layout, with its shape', (f, vars) => {
    const c = compile(spec(f, vars, { wrt: 'X', claim: ['grad', 'matrix(0)'] }), { n: 4 });
    // X^0 is the identity: nothing of X is read by any instruction.
    const x = c.layout.inputs.get('X');
    expect(x, f).toBeDefined();
    expect([x!.rows, x!.cols], f).toEqual([4, 4]);
    // Its buffer is its own: no other value is placed over it.
    for (const [name, v] of c.layout.inputs) if (name !== 'X') expect(v.addr, `${f}: ${name}`).not.toBe(x!.addr);
    expect(c.layout.f.addr, f).not.toBe(x!.addr);
  });

  it('the direction dX of a differential stays in the layout when the claim reads it only through dX^0', () => {
    const c = compile(spec('X*X', { X: 'matrix(n,n)' }, { wrt: 'X', claim: ['differential', 'dX^0 - eye(n)'] }), { n: 3 });
    expect(c.layout.inputs.get('dX')).toMatchObject({ rows: 3, cols: 3 });
  });

  it('a variable the claim mentions only through Y^0 is laid out (and so sampled)', () => {
    const c = compile(spec('tr(A*X)', { X: 'matrix(n,n)', A: 'matrix(n,n)', Y: 'matrix(n,n)' }, { wrt: 'X', claim: ['grad', "A' * Y^0"] }), { n: 3 });
    expect(c.layout.inputs.get('Y')).toMatchObject({ rows: 3, cols: 3 });
  });

  it('f = tr(X^0) evaluates to n and its finite differences along any direction are exactly 0', () => {
    const r = runEngine(engine, spec('tr(X^0)', { X: 'matrix(n,n)' }, { wrt: 'X', claim: ['grad', 'matrix(0)'] }), { dims: { n: 5 } });
    expect(Array.from(r.f)).toEqual([5]);
    const x = r.trial.input('X');
    const nX = x.rows * x.cols;
    const dirs = r.trial.memory.alloc(8 * 2 * nX);
    for (let i = 0; i < 2 * nX; i++) r.trial.memory.f64[(dirs >>> 3) + i] = Math.sin(i + 1);
    const d = directional(r.trial, dirs, 2);
    expect(Array.from(r.trial.read({ addr: d.values, rows: d.count, cols: 1 }))).toEqual([0, 0]);
  });

  it('f = tr(A*X^0) is tr(A), computed from the sampled A', () => {
    const r = runEngine(engine, spec('tr(A*X^0)', { X: 'matrix(n,n)', A: 'matrix(n,n)' }, { wrt: 'X', claim: ['grad', 'matrix(0)'] }), { dims: { n: 3 } });
    const a = r.inputs.get('A')!.data;
    expect(r.f[0]).toBeCloseTo(a[0] + a[4] + a[8], 14);
    expect(r.trial.input('X')).toMatchObject({ rows: 3, cols: 3 });
  });

  // f is 0 here, so the finite-difference error estimate is exactly 0 too and
  // the verdict shows that the check ran with X as its point.
  it('a row whose f reads X only through X^0 is checked: the zero gradient passes, a wrong claim fails', () => {
    const base = { id: 'x0', vars: { X: 'matrix(n,n)' }, f: '0*tr(X^0)', wrt: 'X' };
    const right = checkFormula({ ...base, grad: 'matrix(0)' }, { seed: '1' });
    expect(right.message ?? '').not.toContain('internal');
    expect(right.verdict).toBe('pass');
    expect(right.relErr).toBe(0);
    const wrong = checkFormula({ ...base, grad: 'eye(n)' }, { seed: '1' });
    expect(wrong.verdict).toBe('fail');
    expect(wrong.relErr).toBe(1);
    const inverse = checkFormula({ ...base, f: '0*tr(inv(X)^0)', grad: 'matrix(0)' }, { seed: '1' });
    expect(inverse.verdict).toBe('pass');
  });
});

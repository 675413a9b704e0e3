// Lowering and layout walk a flat chain (a+b+c+..., A*B*C*...) in a loop: a
// chain of any length compiles to one instruction per operator, runs in the
// engine, and is checked end to end.
import { describe, expect, it } from 'vitest';
import { checkFormula } from '../../src/check/formula.js';
import { loadEngine } from '../../src/run/module.js';
import { compile, layoutViolations } from '../helpers/layout.js';
import { relativeError, runEngine } from '../helpers/run.js';
import { spec } from '../helpers/shapes.js';

const engine = loadEngine();
const terms = (term: string, n: number) => Array(n).fill(term).join('+');

// 30000 operators: a stage that recursed once per operator would overflow the stack.
const N = 30_000;

describe('long flat chains', () => {
  it(`lowers and lays out a sum of ${N} terms: one BINARY add per operator, in order`, () => {
    const c = compile(spec(terms('a', N), undefined, { wrt: 'a', claim: ['grad', String(N)] }));
    const f = c.code.f.filter((i) => i.name !== 'checkFinite');
    expect(f).toHaveLength(N - 1);
    expect(f.every((i) => i.name === 'binary' && i.n === 0 && i.m === 1)).toBe(true);
    // The first adds a to itself; every later one adds a to the previous sum.
    const a = c.layout.inputs.get('a')!.addr;
    expect([f[0].a, f[0].b]).toEqual([a, a]);
    for (let i = 1; i < f.length; i++) expect(f[i].a === f[i - 1].dst && f[i].b === a).toBe(true);
    expect(f[N - 2].dst).toBe(c.layout.f.addr);
  });

  it('a long chain of matrix products lays out without overwriting live values', () => {
    const c = compile(spec(`tr(${Array(5000).fill('A').join('*')})`, { A: 'matrix(n,n)' }), { n: 3 });
    // 4998 products, and the trace of the last one formed from its diagonal alone.
    expect(c.code.const.filter((i) => i.name === 'matmul')).toHaveLength(4998);
    expect(c.code.const.filter((i) => i.name === 'traceMatmul')).toHaveLength(1);
    expect(layoutViolations(c)).toEqual([]);
  });

  it('the engine computes a sum of 5000 terms and a 5000-term chain of products', () => {
    const sum = runEngine(engine, spec(terms('a', 5000), { a: 'scalar' }), { values: { a: [0.5] } });
    expect(Array.from(sum.f)).toEqual([2500]);
    const vars = { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' };
    const one = runEngine(engine, spec('tr(A*X*B)', vars), { dims: { m: 3, n: 4, p: 2 }, seed: 's' });
    const many = runEngine(engine, spec(terms('tr(A*X*B)', 5000), vars), { dims: { m: 3, n: 4, p: 2 }, seed: 's' });
    expect(many.inputs.get('X')!.data).toEqual(one.inputs.get('X')!.data);
    expect(relativeError(many.f, [5000 * one.f[0]])).toBeLessThan(1e-12);
  });
});

describe('matcheck check of 5000-term chains', () => {
  const sum = terms('a', 5000);

  it('a 1001-term sum (no parentheses) is checked, not refused as nested', () => {
    const r = checkFormula({ id: 'sum1001', f: terms('a', 1001), wrt: 'a', grad: '1001' }, { seed: '1' });
    expect(r.message ?? '').not.toContain('nested');
    expect(r.verdict).toBe('pass');
  });

  it('a 5000-term sum: the right gradient passes, a wrong one fails by the right factor', () => {
    const right = checkFormula({ id: 'sum', f: sum, wrt: 'a', grad: '5000' }, { seed: '1' });
    expect(right.verdict).toBe('pass');
    expect(right.relErr).toBeLessThan(1e-9);
    const wrong = checkFormula({ id: 'sum', f: sum, wrt: 'a', grad: '4999' }, { seed: '1' });
    expect(wrong.verdict).toBe('fail');
    expect(wrong.relErr).toBeCloseTo(1 / 5000, 6);
    expect(wrong.diagnosis?.kind).toBe('factor');
    expect(wrong.diagnosis?.factor).toBeCloseTo(5000 / 4999, 6);
  });

  it('5000 traces of matrix products, with a gradient claim and a 5000-term differential claim', () => {
    const vars = { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' };
    const f = terms('tr(A*X*B)', 5000);
    const grad = checkFormula({ id: 'g', vars, f, wrt: 'X', grad: "5000*A'*B'" }, { seed: '1' });
    expect(grad.verdict).toBe('pass');
    const diff = checkFormula({ id: 'd', vars, f, wrt: 'X', differential: terms('tr(A*dX*B)', 5000) }, { seed: '1' });
    expect(diff.verdict).toBe('pass');
    const transposed = checkFormula({ id: 't', vars, f, wrt: 'X', grad: '5000*B*A' }, { seed: '1' });
    expect(transposed.verdict).toBe('fail');
    expect(transposed.diagnosis?.kind).toBe('transposed');
  });
});

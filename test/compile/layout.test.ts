// Structural properties of lowering and layout: transposes folded into
// matmul flags, aliases that emit nothing, common subexpressions computed
// once, the stream each node lands in, buffer reuse that never overwrites a
// live value, and an f stream that can be rerun bit for bit.
import { describe, expect, it } from 'vitest';
import { OPCODE } from '../../src/compile/program.js';
import { loadEngine } from '../../src/run/module.js';
import { allOps, compile, layoutViolations, opsOf, type Compiled } from '../helpers/layout.js';
import { runEngine } from '../helpers/run.js';
import { spec } from '../helpers/shapes.js';
import type { FormulaSpec } from '../../src/shapes/analyze.js';

const engine = loadEngine();

const matmuls = (c: Compiled) => Object.values(c.code).flat().filter((i) => i.op === OPCODE.matmul);

describe('transposes', () => {
  it("A'*B, A*B' and A'*B' fold the transposes into the matmul flags", () => {
    const cases: [string, Record<string, string>, number, [number, number, number]][] = [
      ["A'*B", { A: 'matrix(k,m)', B: 'matrix(k,n)' }, 1, [3, 5, 4]],
      ["A*B'", { A: 'matrix(m,k)', B: 'matrix(n,k)' }, 2, [3, 5, 4]],
      ["A'*B'", { A: 'matrix(k,m)', B: 'matrix(n,k)' }, 3, [3, 5, 4]],
      ['A*B', { A: 'matrix(m,k)', B: 'matrix(k,n)' }, 0, [3, 5, 4]],
    ];
    for (const [f, vars, flags, [m, n, k]] of cases) {
      const c = compile(spec(f, vars), { m, n, k });
      expect(allOps(c), f).toEqual(['matmul']);
      expect(Object.values(c.code).flat().some((i) => i.op === OPCODE.transpose), f).toBe(false);
      const [mm] = matmuls(c);
      expect(mm.x, f).toBe(flags);
      // dst is m x n, the inner dimension k, whatever the flags.
      expect([mm.m, mm.n, mm.k], f).toEqual([m, n, k]);
      expect(mm.a, f).toBe(c.layout.inputs.get('A')!.addr);
      expect(mm.b, f).toBe(c.layout.inputs.get('B')!.addr);
    }
  });

  it('a transpose read by something other than a matmul is computed', () => {
    const c = compile(spec("A' + B", { A: 'matrix(m,n)', B: 'matrix(n,m)' }));
    expect(allOps(c)).toEqual(['transpose', 'binary']);
    // A transpose of a product feeding a product: the inner one is folded.
    const d = compile(spec("(A*B)'*C", { A: 'matrix(m,k)', B: 'matrix(k,n)', C: 'matrix(m,p)' }));
    expect(allOps(d)).toEqual(['matmul', 'matmul']);
    expect(matmuls(d)[1].x).toBe(1);
  });

  it('a transpose shared by a matmul and another reader is computed once, and read transposed by the matmul', () => {
    const c = compile(spec("sum(A') + sum(A'*B)", { A: 'matrix(k,m)', B: 'matrix(k,n)' }));
    expect(allOps(c).filter((o) => o === 'transpose')).toHaveLength(1);
    expect(matmuls(c)[0].x).toBe(1);
  });

  it('vector transposes and vec emit nothing and share their argument\'s buffer', () => {
    const c = compile(spec("x'", { x: 'vector(n)' }));
    expect(allOps(c)).toEqual([]);
    expect(c.layout.f.addr).toBe(c.layout.inputs.get('x')!.addr);
    expect([c.layout.f.rows, c.layout.f.cols]).toEqual([1, 3]);
    const v = compile(spec('vec(A)', { A: 'matrix(m,n)' }));
    expect(allOps(v)).toEqual([]);
    expect(v.layout.f.addr).toBe(v.layout.inputs.get('A')!.addr);
    expect([v.layout.f.rows, v.layout.f.cols]).toEqual([12, 1]);
    const w = compile(spec("x'*y + vec(A)'*vec(B) + (A*x)'*(A*x)", { x: 'vector(n)', y: 'vector(n)', A: 'matrix(m,n)', B: 'matrix(m,n)' }));
    expect(allOps(w).filter((o) => o === 'transpose')).toEqual([]);
    // A^1 is A itself; a scalar's transpose is the scalar.
    expect(allOps(compile(spec('A^1', { A: 'matrix(n,n)' })))).toEqual([]);
    expect(allOps(compile(spec("c'", { c: 'scalar' })))).toEqual([]);
  });

  it("a matrix's transpose is a TRANSPOSE of the stored shape", () => {
    const c = compile(spec("A'", { A: 'matrix(m,n)' }), { m: 2, n: 7 });
    const [t] = c.code.const;
    expect(t.op).toBe(OPCODE.transpose);
    expect([t.m, t.n]).toEqual([2, 7]);
    expect([c.layout.f.rows, c.layout.f.cols]).toEqual([7, 2]);
  });
});

describe('lowering decides products and broadcasts from the shapes', () => {
  it('a product with a scalar side is an element-wise multiply with a broadcast', () => {
    const c = compile(spec('c*A + A*c', { c: 'scalar', A: 'matrix(m,n)' }));
    const bins = c.code.const.filter((i) => i.op === OPCODE.binary);
    expect(bins.map((i) => [i.n, i.k])).toEqual([
      [2, 1],
      [2, 2],
      [0, 0],
    ]);
    // x'*y is a 1x1 product, which then scales.
    const d = compile(spec("(x'*y)*A", { x: 'vector(k)', y: 'vector(k)', A: 'matrix(m,n)' }));
    expect(allOps(d)).toEqual(['matmul', 'binary']);
    expect(d.code.const[1].k).toBe(1);
  });

  it('operators and functions map to their opcodes and ids', () => {
    const c = compile(spec('A./B - A.^2 + -A + A/c + A.^c', { A: 'matrix(m,n)', B: 'matrix(m,n)', c: 'scalar' }));
    const bins = c.code.const.filter((i) => i.op === OPCODE.binary).map((i) => i.n);
    expect(bins).toContain(3); // div
    expect(bins).toContain(4); // pow
    expect(bins).toContain(1); // sub
    expect(c.code.const.some((i) => i.op === OPCODE.unary && i.n === 0)).toBe(true); // neg
    const ids = ['exp', 'log', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sqrt', 'tanh', 'abs', 'sign', 'relu', 'sigmoid', 'softplus'];
    const want = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
    ids.forEach((fn, i) => {
      const u = compile(spec(`${fn}(A)`, { A: 'matrix(m,n)' }));
      expect(u.code.const.map((x) => [x.op, x.n]), fn).toEqual([[OPCODE.unary, want[i]], [OPCODE.checkFinite, 0]]);
    });
  });

  it('matrix powers: eye for 0, nothing for 1, matpow for k > 1, inv first for k < 0', () => {
    const at = (k: string) => allOps(compile(spec(`A^${k}`, { A: 'matrix(n,n)' })));
    expect(at('0')).toEqual(['eye']);
    expect(at('1')).toEqual([]);
    expect(at('2')).toEqual(['matpow']);
    expect(at('-1')).toEqual(['inv']);
    expect(at('-3')).toEqual(['inv', 'matpow']);
    const c = compile(spec('A^5', { A: 'matrix(n,n)' }), { n: 4 });
    const [mp] = c.code.const;
    expect([mp.m, mp.k]).toEqual([4, 5]);
  });

  it('each construct has its instruction with the sizes of docs/engine-abi.md', () => {
    const one = (f: string, vars: Record<string, string>, dims: Record<string, number>) => compile(spec(f, vars), dims).code.const[0];
    expect(one('kron(A,B)', { A: 'matrix(m,n)', B: 'matrix(p,q)' }, { m: 2, n: 3, p: 5, q: 7 })).toMatchObject({ name: 'kron', m: 2, n: 3, k: 5, x: 7 });
    expect(one('diag(x)', { x: 'vector(n)' }, { n: 5 })).toMatchObject({ name: 'diagToMatrix', m: 5 });
    expect(one("diag(x')", { x: 'vector(n)' }, { n: 5 })).toMatchObject({ name: 'diagToMatrix', m: 5 });
    expect(one('diag(A)', { A: 'matrix(n,n)' }, { n: 5 })).toMatchObject({ name: 'diagOfMatrix', m: 5 });
    expect(one('tr(A)', { A: 'matrix(n,n)' }, { n: 5 })).toMatchObject({ name: 'trace', m: 5 });
    expect(one('eye(n)', {}, { n: 6 })).toMatchObject({ name: 'eye', m: 6 });
    expect(one('sum(A)', { A: 'matrix(m,n)' }, { m: 2, n: 3 })).toMatchObject({ name: 'sum', m: 6 });
    expect(one('norm1(A)', { A: 'matrix(m,n)' }, { m: 2, n: 3 })).toMatchObject({ name: 'norm1', m: 6 });
    expect(one('norm2(A)', { A: 'matrix(m,n)' }, { m: 2, n: 3 })).toMatchObject({ name: 'norm2', m: 6 });
    expect(one('dot(A,B)', { A: 'matrix(m,n)', B: 'matrix(m,n)' }, { m: 2, n: 3 })).toMatchObject({ name: 'dot', m: 6 });
    expect(one('softmax(x)', { x: 'vector(n)' }, { n: 5 })).toMatchObject({ name: 'softmax', m: 5 });
    expect(one('logsumexp(x)', { x: 'vector(n)' }, { n: 5 })).toMatchObject({ name: 'logsumexp', m: 5 });
    expect(one('x + vector(c)', { x: 'vector(n)', c: 'scalar' }, { n: 5 })).toMatchObject({ name: 'fill', m: 5 });
    for (const fn of ['det', 'logdet', 'inv']) {
      const c = compile(spec(`${fn}(A)`, { A: 'matrix(n,n)' }), { n: 5 });
      const [i] = c.code.const;
      expect(i).toMatchObject({ name: fn, m: 5 });
      expect(i.b % 16, fn).toBe(0);
      expect(i.b, fn).not.toBe(i.dst);
    }
  });
});

describe('traces of products', () => {
  const traceMatmuls = (c: Compiled) => Object.values(c.code).flat().filter((i) => i.op === OPCODE.traceMatmul);

  it("tr(A*B), tr(A'*B), tr(A*B') and tr(A'*B') form only the diagonal: one TRACE_MATMUL, no product", () => {
    const cases: [string, Record<string, string>, number][] = [
      ['tr(A*B)', { A: 'matrix(m,k)', B: 'matrix(k,m)' }, 0],
      ["tr(A'*B)", { A: 'matrix(k,m)', B: 'matrix(k,m)' }, 1],
      ["tr(A*B')", { A: 'matrix(m,k)', B: 'matrix(m,k)' }, 2],
      ["tr(A'*B')", { A: 'matrix(k,m)', B: 'matrix(m,k)' }, 3],
    ];
    for (const [f, vars, flags] of cases) {
      const c = compile(spec(f, vars), { m: 3, k: 5 });
      expect(allOps(c), f).toEqual(['traceMatmul']);
      const [t] = traceMatmuls(c);
      // m: the rows of op(A) (the product is m x m), k: the inner dimension.
      expect([t.m, t.k, t.x], f).toEqual([3, 5, flags]);
      expect([t.a, t.b], f).toEqual([c.layout.inputs.get('A')!.addr, c.layout.inputs.get('B')!.addr]);
    }
  });

  it('tr(A*X*B) computes A*X and then only the diagonal of (A*X)*B', () => {
    const c = compile(spec('tr(A*X*B)', { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' }, { wrt: 'X', claim: ['grad', "A'*B'"] }));
    expect(opsOf(c, 'f')).toEqual(['matmul', 'traceMatmul']);
  });

  it('a product that is read elsewhere too is computed once, and its trace still fused', () => {
    const c = compile(spec('tr(A*B) + sum(A*B)', { A: 'matrix(m,k)', B: 'matrix(k,m)' }));
    expect(allOps(c).filter((o) => o === 'matmul')).toHaveLength(1);
    expect(allOps(c)).toContain('traceMatmul');
  });

  it('gives the bits of the trace of the product', () => {
    for (const [f, vars] of [
      ['tr(A*B)', { A: 'matrix(m,k)', B: 'matrix(k,m)' }],
      ["tr(A'*B)", { A: 'matrix(k,m)', B: 'matrix(k,m)' }],
      ["tr(A*B')", { A: 'matrix(m,k)', B: 'matrix(m,k)' }],
      ["tr(A'*B')", { A: 'matrix(k,m)', B: 'matrix(m,k)' }],
    ] as const) {
      for (const [m, k] of [[1, 1], [2, 7], [7, 2], [5, 5], [33, 40], [40, 33]]) {
        // sum(diag(P)) adds the diagonal of the whole product P in the same order as TRACE.
        const fused = runEngine(engine, spec(f, vars), { dims: { m, k }, seed: 'fused' });
        const whole = runEngine(engine, spec(`sum(diag(${f.slice(3, -1)}))`, vars), { dims: { m, k }, seed: 'fused' });
        expect(whole.inputs.get('A')!.data).toEqual(fused.inputs.get('A')!.data);
        expect(Object.is(fused.f[0], whole.f[0]), `${f} m=${m} k=${k}: ${fused.f[0]} vs ${whole.f[0]}`).toBe(true);
      }
    }
  });
});

describe('common subexpressions', () => {
  it('are computed once', () => {
    const c = compile(spec('exp(A) + exp(A)', { A: 'matrix(m,n)' }));
    expect(allOps(c)).toEqual(['unary', 'binary']);
    const d = compile(spec('sin(A*B) .* cos(A*B) + A*B', { A: 'matrix(m,k)', B: 'matrix(k,n)' }));
    expect(allOps(d).filter((o) => o === 'matmul')).toHaveLength(1);
    const e = compile(spec("x'*inv(S)*x + logdet(S) + tr(inv(S))", { x: 'vector(n)', S: 'spd(n)' }));
    expect(allOps(e).filter((o) => o === 'inv')).toHaveLength(1);
    // Constants with the same value are one buffer.
    const k = compile(spec('2*A + 2*B', { A: 'matrix(m,n)', B: 'matrix(m,n)' }));
    expect(k.layout.consts).toHaveLength(1);
  });

  it('across f and an equals claim, which share one stream', () => {
    const c = compile({ ...spec('tr(A*B)', { A: 'matrix(m,n)', B: 'matrix(n,m)' }), claim: { type: 'equals', text: 'sum(diag(A*B))' } });
    expect(allOps(c).filter((o) => o === 'matmul')).toHaveLength(1);
  });

  it('but not across different shapes: eye(m) and eye(n) stay apart', () => {
    const c = compile(spec("tr(eye(m)*A*eye(n)*A')", { A: 'matrix(m,n)' }));
    expect(allOps(c).filter((o) => o === 'eye')).toHaveLength(2);
    const d = compile(spec("x + vector(1) + (y'*vector(1))*x", { x: 'vector(m)', y: 'vector(n)' }));
    expect(allOps(d).filter((o) => o === 'fill')).toHaveLength(2);
  });
});

describe('streams', () => {
  it('nodes that do not depend on wrt go to the const stream, not the f stream', () => {
    const c = compile(spec('tr(A*B*X)', { A: 'matrix(m,k)', B: 'matrix(k,n)', X: 'matrix(n,m)' }, { wrt: 'X', claim: ['grad', "(A*B)'"] }));
    // A*B once, in const; in f the trace of its product with X (only that product's diagonal).
    expect(opsOf(c, 'const')).toEqual(['matmul']);
    expect(opsOf(c, 'f')).toEqual(['traceMatmul']);
    expect(c.code.f[0].a).toBe(c.code.const[0].dst);
    const ab = c.program.nodes.find((n) => n.op === 'matmul' && n.args.every((a) => c.program.nodes[a].op === 'input' && c.program.nodes[a].name !== 'X'))!;
    expect(ab.stream).toBe('const');
    // The claim (A*B)' reads the same A*B (computed once, f's); its transpose
    // is the claim's own constant part, run with the claim (claimConst), so
    // that a failure there is the claim's.
    expect(c.program.nodes[c.program.claim!].stream).toBe('claimConst');
    expect(opsOf(c, 'claimConst')).toEqual(['transpose']);
    expect(c.code.claimConst[0].a).toBe(c.code.const[0].dst);
    expect(opsOf(c, 'claim')).toEqual([]);
  });

  it('claim nodes depending on wrt are claimConst; on the direction, claim', () => {
    const c = compile(spec('inv(X)', { X: 'invertible(n)' }, { wrt: 'X', claim: ['differential', '-inv(X)*dX*inv(X)'] }));
    expect(opsOf(c, 'f')).toEqual(['inv']);
    expect(opsOf(c, 'claimConst')).toEqual(['inv', 'unary']);
    expect(opsOf(c, 'claim')).toEqual(['matmul', 'matmul']);
    expect(opsOf(c, 'const')).toEqual([]);
    const inputs = c.program.inputs;
    expect(c.program.nodes[inputs.get('X')!].stream).toBe('f');
    expect(c.program.nodes[inputs.get('dX')!].stream).toBe('claim');
    expect(c.program.direction).toBe('dX');
    expect(c.program.wrt).toBe('X');
  });

  it("an equals claim has no wrt: f is all const, the claim all claimConst (its failures are the claim's)", () => {
    const c = compile({ ...spec('A*B', { A: 'matrix(m,k)', B: 'matrix(k,n)' }), claim: { type: 'equals', text: "(B'*A')'" } });
    expect(c.program.wrt).toBeUndefined();
    expect(opsOf(c, 'f')).toEqual([]);
    expect(opsOf(c, 'const')).toEqual(['matmul']);
    expect(opsOf(c, 'claimConst')).toEqual(['matmul', 'transpose']); // B'*A' folds its transposes into matmul flags
  });

  it('CHECK_FINITE ends the stream that computes each output', () => {
    const c = compile(spec("x'*A*x", { x: 'vector(n)', A: 'matrix(n,n)' }, { wrt: 'x', claim: ['grad', "(A+A')*x"] }));
    const lastOf = (s: 'f' | 'claimConst') => c.code[s][c.code[s].length - 1];
    expect(lastOf('f')).toMatchObject({ name: 'checkFinite', a: c.layout.f.addr, m: 1 });
    expect(lastOf('claimConst')).toMatchObject({ name: 'checkFinite', a: c.layout.claim!.addr, m: 3 });
    expect(c.code.const.some((i) => i.name === 'checkFinite')).toBe(false);
  });

  it('a claim that is an alias of wrt (a vector transpose, vec) lays out and is checked where wrt lives', () => {
    const cases: FormulaSpec[] = [
      spec("x'*x/2", { x: 'vector(n)' }, { wrt: 'x', claim: ['grad', "x'"] }),
      spec("x'*x/2", { x: 'vector(n)' }, { wrt: 'x', claim: ['grad', "x'"], layout: 'numerator' }),
      spec("sum(vec(X)'*vec(X))", { X: 'matrix(m,n)' }, { wrt: 'X', claim: ['differential', "2*vec(X)'*vec(dX)"] }),
      spec('vector(c)', { c: 'scalar' }, { wrt: 'c', claim: ['differential', "dc'"] }),
      spec('c*x', { c: 'scalar', x: 'vector(n)' }, { wrt: 'c', claim: ['jacobian', "vec(x')"] }),
      spec('c^2', { c: 'scalar' }, { wrt: 'c', claim: ['grad', "2*c'"] }),
      spec('sin(c)', { c: 'scalar' }, { wrt: 'c', claim: ['differential', "dc'*cos(c')"] }),
    ];
    for (const s of cases) {
      const c = compile(s);
      expect(layoutViolations(c), s.claim!.text).toEqual([]);
      const claim = c.layout.claim!;
      const checks = Object.values(c.code).flat().filter((i) => i.name === 'checkFinite');
      expect(checks.some((i) => i.a === claim.addr && i.m === claim.rows * claim.cols), s.claim!.text).toBe(true);
    }
    const x = compile(cases[0]);
    expect(x.layout.claim!.addr).toBe(x.layout.inputs.get('x')!.addr);
    expect([x.layout.claim!.rows, x.layout.claim!.cols]).toEqual([1, 3]);
  });

  it('streams are laid out one after another, 32 bytes per instruction', () => {
    const c = compile(spec('inv(X)', { X: 'invertible(n)' }, { wrt: 'X', claim: ['differential', '-inv(X)*dX*inv(X)'] }));
    const s = c.layout.streams;
    expect(s.f.addr).toBe(s.const.addr + 32 * s.const.count);
    expect(s.claimConst.addr).toBe(s.f.addr + 32 * s.f.count);
    expect(s.claim.addr).toBe(s.claimConst.addr + 32 * s.claimConst.count);
    expect(c.layout.words.length).toBe(8 * (s.const.count + s.f.count + s.claimConst.count + s.claim.count));
    expect(c.layout.end).toBeGreaterThanOrEqual(s.claim.addr + 32 * s.claim.count);
    expect(c.layout.end % 16).toBe(0);
  });
});

describe('buffers', () => {
  it('a long chain reuses buffers: fewer buffers than nodes', () => {
    const c = compile(spec('exp(exp(exp(exp(X))))', { X: 'matrix(m,n)' }), { m: 5, n: 7 });
    const computed = c.program.nodes.filter((n) => n.op === 'unary');
    expect(computed).toHaveLength(4);
    const addrs = new Set(computed.map((n) => c.layout.values[n.id]!.addr));
    expect(addrs.size).toBeLessThan(computed.length);
    expect(addrs.size).toBeLessThanOrEqual(2);
    expect(layoutViolations(c)).toEqual([]);
    // The chain's working set does not grow with its length.
    const long = compile(spec(`${'exp('.repeat(40)}X${')'.repeat(40)}`, { X: 'matrix(m,n)' }), { m: 5, n: 7 });
    expect(long.layout.streams.const.addr).toBe(c.layout.streams.const.addr);
  });

  it('matrix ops never write over their operands', () => {
    const c = compile(spec('inv(inv(A)*inv(A))', { A: 'matrix(n,n)' }));
    for (const i of c.code.const) {
      if (['matmul', 'inv', 'transpose', 'kron', 'matpow'].includes(i.name)) {
        expect(i.dst).not.toBe(i.a);
        if (i.name === 'matmul' || i.name === 'kron') expect(i.dst).not.toBe(i.b);
      }
    }
    expect(layoutViolations(c)).toEqual([]);
  });

  it('every buffer is 16-byte aligned and inputs do not overlap', () => {
    const c = compile(spec("x'*A*y + c", { x: 'vector(m)', A: 'matrix(m,n)', y: 'vector(n)', c: 'scalar' }), {}, 1000);
    for (const v of c.layout.values) if (v) expect(v.addr % 16).toBe(0);
    const ins = [...c.layout.inputs.values()].sort((a, b) => a.addr - b.addr);
    for (let i = 1; i < ins.length; i++) expect(ins[i].addr).toBeGreaterThanOrEqual(ins[i - 1].addr + 8 * ins[i - 1].rows * ins[i - 1].cols);
    expect(ins[0].addr).toBeGreaterThanOrEqual(1000);
  });

  // The liveness check of test/helpers/layout.ts over many formulas and sizes.
  const formulas: FormulaSpec[] = [
    spec('exp(exp(exp(exp(X))))', { X: 'matrix(m,n)' }),
    spec('x.^(c+1)', { x: 'vector(n)', c: 'scalar' }),
    spec('(c+1)*A + A/(d+1) - matrix(c*d)', { A: 'matrix(m,n)', c: 'scalar', d: 'scalar' }),
    spec("tr(inv(X)*A*X') + det(X^2) + logdet(X^-3)", { X: 'invertible(n)', A: 'matrix(n,n)' }),
    spec('softmax(W*x + b)', { W: 'matrix(m,n)', x: 'vector(n)', b: 'vector(m)' }),
    spec('kron(A,B)*vec(C) + vec(B*C*A\')', { A: 'matrix(m,n)', B: 'matrix(k,m)', C: 'matrix(m,n)' }),
    spec("sigmoid(X*w)'*y - sum(softplus(X*w)) + norm2(w)^2", { X: 'matrix(m,n)', w: 'vector(n)', y: 'vector(m)' }, { wrt: 'w', claim: ['grad', "X'*(y - sigmoid(X*w)) + 2*w"] }),
    spec('inv(X)', { X: 'invertible(n)' }, { wrt: 'X', claim: ['differential', '-inv(X)*dX*inv(X) + 0*exp(dX)*exp(X)'] }),
    spec("x'*Q*x + exp(sum(x))", { Q: 'matrix(n,n)', x: 'vector(n)' }, { wrt: 'x', claim: ['hessian', "Q+Q' + exp(sum(x))*vector(1)*vector(1)'"] }),
    spec('diag(diag(A)) * (A^3 - A^2) * eye(n)', { A: 'matrix(n,n)' }),
    spec("exp(A.*B)./(1+exp(A.*B)) + sqrt(abs(A' * A' ))'", { A: 'matrix(n,n)', B: 'matrix(n,n)' }),
  ];
  it.each(formulas.map((s) => [s.f, s] as const))('no live buffer is overwritten: %s', (_f, s) => {
    for (const dims of [{} as Record<string, number>, { m: 1, n: 1, k: 1 }, { m: 2, n: 1, k: 2 }, { m: 1, n: 2, k: 1 }, { m: 7, n: 5, k: 3 }]) {
      const c = compile(s, dims);
      expect(layoutViolations(c), JSON.stringify(c.sizes)).toEqual([]);
    }
  });
});

describe('rerunning streams', () => {
  const bits = (a: Float64Array) => Array.from(new BigUint64Array(a.buffer, a.byteOffset, a.length), (b) => b.toString(16));

  it.each([
    spec('exp(exp(exp(exp(X/8)/8)/8))', { X: 'matrix(m,n)' }, { wrt: 'X', claim: ['differential', 'dX'] }),
    spec('tr(A*B*X) + logdet(X*X\' + eye(n))', { A: 'matrix(m,k)', B: 'matrix(k,n)', X: 'matrix(n,m)' }, { wrt: 'X', claim: ['grad', "(A*B)'"] }),
    spec("sigmoid(X*w)'*y - sum(softplus(X*w))", { X: 'matrix(m,n)', w: 'vector(n)', y: 'vector(m)' }, { wrt: 'w', claim: ['grad', "X'*(y - sigmoid(X*w))"] }),
    spec('sum(x.^(c+1))', { x: 'positive vector(n)', c: 'scalar' }, { wrt: 'c', claim: ['grad', 'sum(log(x).*x.^(c+1))'] }),
  ].map((s) => [s.f, s] as const))('running the f stream twice gives bit-identical results: %s', (_f, s) => {
    for (const dims of [{ m: 2, n: 1, k: 3 }, { m: 5, n: 7, k: 2 }]) {
      const r = runEngine(engine, s, { dims, seed: 'rerun' });
      const t = r.trial;
      const first = bits(t.read(t.layout.f));
      const claim = bits(t.read(t.layout.claim!));
      expect(t.run('f')).toBe(0);
      expect(bits(t.read(t.layout.f))).toEqual(first);
      // Move wrt, rerun, move it back, rerun: f is back bit for bit, as the
      // finite-difference loop needs.
      const x = t.input(r.program.wrt!);
      const saved = t.read(x);
      t.setInput(r.program.wrt!, saved.map((v) => v + 0.25));
      t.run('f');
      expect(bits(t.read(t.layout.f))).not.toEqual(first);
      t.setInput(r.program.wrt!, saved);
      t.run('f');
      expect(bits(t.read(t.layout.f))).toEqual(first);
      // And the claim streams after f: the same claim as before.
      t.run('claimConst');
      t.run('claim');
      expect(bits(t.read(t.layout.claim!))).toEqual(claim);
    }
  });
});

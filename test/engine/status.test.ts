// The status word and the kink signature: SINGULAR, DOMAIN, NONFINITE, kinks.
import { describe, it, expect } from 'vitest';
import { Harness, ins, OP, FN, STATUS, VARIANTS } from './harness.js';
import { rng, randArray } from './util.js';

describe.each(VARIANTS)('status and kinks (%s)', (variant) => {
  const h = new Harness(variant);

  /** Runs DET, LOGDET and INV on one matrix; returns each status and value. */
  function lu(av: ArrayLike<number>, n: number) {
    h.reset();
    const a = h.buf(n * n, av);
    const scratch = h.alloc(8 * (n * n + n));
    const out = h.buf(2);
    const d = h.buf(n * n);
    const sDet = h.run([ins(OP.DET, out, a, scratch, n)]);
    const sLog = h.run([ins(OP.LOGDET, out + 8, a, scratch, n)]);
    const sInv = h.run([ins(OP.INV, d, a, scratch, n)]);
    const [det, logdet] = h.read(out, 2);
    return { sDet, sLog, sInv, det, logdet, inv: h.read(d, n * n) };
  }

  it('exactly singular: det is exactly 0 with SINGULAR, logdet -inf with DOMAIN, inv NaN', () => {
    const cases: [number[], number][] = [
      [[1, 2, 2, 4], 2],
      [[0, 0, 0, 0], 2],
      [[0], 1],
      [[1, 4, 7, 2, 5, 8, 0, 0, 0], 3], // a zero column
    ];
    for (const [av, n] of cases) {
      const r = lu(av, n);
      expect(r.sDet).toBe(STATUS.SINGULAR);
      expect(r.det).toBe(0);
      expect(r.sLog).toBe(STATUS.SINGULAR | STATUS.DOMAIN);
      expect(r.logdet).toBe(-Infinity);
      expect(r.sInv).toBe(STATUS.SINGULAR);
      expect(r.inv.every((v) => Number.isNaN(v))).toBe(true);
    }
  });

  it('rank-deficient by rounding (u v\', rank 1; a row sum of others): SINGULAR, det tiny', () => {
    const r = rng('rank');
    for (const n of [3, 5, 8, 13]) {
      const u = randArray(r, n);
      const v = randArray(r, n);
      const av = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) av[i + j * n] = u[i] * v[j];
      const res = lu(av, n);
      expect(res.sDet & STATUS.SINGULAR).toBe(STATUS.SINGULAR);
      expect(Math.abs(res.det)).toBeLessThan(1e-14);
      expect(res.sInv & STATUS.SINGULAR).toBe(STATUS.SINGULAR);
      expect(res.sLog & STATUS.DOMAIN).toBe(STATUS.DOMAIN);
    }
    for (const n of [4, 7, 16]) {
      const av = randArray(r, n * n);
      // Last row = sum of the others.
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let i = 0; i < n - 1; i++) s += av[i + j * n];
        av[n - 1 + j * n] = s;
      }
      expect(lu(av, n).sDet & STATUS.SINGULAR).toBe(STATUS.SINGULAR);
    }
  });

  it('ill-conditioned: Hilbert(12) and diag(1, 1e-13) are SINGULAR', () => {
    const n = 12;
    const hil = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) hil[i + j * n] = 1 / (i + j + 1);
    expect(lu(hil, n).sDet).toBe(STATUS.SINGULAR);
    const r = lu([1, 0, 0, 1e-13], 2);
    expect(r.sDet).toBe(STATUS.SINGULAR);
    expect(r.det).toBe(1e-13); // the value is still computed
  });

  it('well-conditioned and merely small matrices are not SINGULAR', () => {
    const r = rng('wellcond');
    for (const n of [1, 2, 5, 16, 40]) {
      const av = randArray(r, n * n);
      for (let i = 0; i < n; i++) av[i + i * n] += n;
      const res = lu(av, n);
      expect([res.sDet, res.sLog, res.sInv]).toEqual([0, 0, 0]);
    }
    // 0.01 I (det 1e-80 for n = 40): small, but perfectly conditioned.
    const n = 40;
    const small = new Float64Array(n * n);
    for (let i = 0; i < n; i++) small[i + i * n] = 0.01;
    const res = lu(small, n);
    expect([res.sDet, res.sLog, res.sInv]).toEqual([0, 0, 0]);
    expect(Math.abs(res.det / 1e-80 - 1)).toBeLessThan(1e-13);
  });

  it('a negative matrix power of a singular matrix is SINGULAR', () => {
    h.reset();
    const a = h.buf(4, [1, 2, 2, 4]);
    const scratch = h.alloc(16 * 4);
    const d = h.buf(4);
    expect(h.run([ins(OP.MATPOW, d, a, scratch, 2, 0, -2)]) & STATUS.SINGULAR).toBe(STATUS.SINGULAR);
    expect(h.run([ins(OP.MATPOW, d, a, scratch, 2, 0, 2)])).toBe(0);
  });

  it('DOMAIN: log of 0 or negative, sqrt(-1), arcsin/arccos beyond 1, pow(-2, 0.5)', () => {
    const unaryStatus = (fn: number, xs: number[]): number => {
      h.reset();
      const a = h.buf(xs.length, xs);
      const d = h.buf(xs.length);
      return h.run([ins(OP.UNARY, d, a, 0, xs.length, fn)]);
    };
    expect(unaryStatus(FN.log, [1, 0, 2])).toBe(STATUS.DOMAIN);
    expect(unaryStatus(FN.log, [1, -3])).toBe(STATUS.DOMAIN);
    expect(unaryStatus(FN.log, [1, 3, 1e-300])).toBe(0);
    expect(unaryStatus(FN.sqrt, [-1])).toBe(STATUS.DOMAIN);
    expect(unaryStatus(FN.sqrt, [0, 4])).toBe(0);
    expect(unaryStatus(FN.arcsin, [1.5])).toBe(STATUS.DOMAIN);
    expect(unaryStatus(FN.arccos, [-1.01])).toBe(STATUS.DOMAIN);
    expect(unaryStatus(FN.arcsin, [-1, 1])).toBe(0);
    expect(unaryStatus(FN.exp, [-1000, 1000])).toBe(0); // overflow is not a domain error
    h.reset();
    const a = h.buf(1, [-2]);
    const b = h.buf(1, [0.5]);
    const d = h.buf(1);
    expect(h.run([ins(OP.BINARY, d, a, b, 1, 4, 0)])).toBe(STATUS.DOMAIN);
    expect(h.read(d, 1)[0]).toBeNaN();
  });

  it('NONFINITE: exp(1000) then CHECK_FINITE; the status resets on the next run', () => {
    h.reset();
    const a = h.buf(3, [1, 1000, 2]);
    const d = h.buf(3);
    expect(h.run([ins(OP.UNARY, d, a, 0, 3, FN.exp), ins(OP.CHECK_FINITE, 0, d, 0, 3)])).toBe(STATUS.NONFINITE);
    expect(h.read(d, 3)[1]).toBe(Infinity);
    h.write(a, [1, 2, 3]);
    expect(h.run([ins(OP.UNARY, d, a, 0, 3, FN.exp), ins(OP.CHECK_FINITE, 0, d, 0, 3)])).toBe(0);
    const nan = h.buf(2, [0, NaN]);
    expect(h.run([ins(OP.CHECK_FINITE, 0, nan, 0, 2)])).toBe(STATUS.NONFINITE);
    // Flags combine: DOMAIN from log(-1) and NONFINITE from the NaN it makes.
    const neg = h.buf(1, [-1]);
    const out = h.buf(1);
    expect(h.run([ins(OP.UNARY, out, neg, 0, 1, FN.log), ins(OP.CHECK_FINITE, 0, out, 0, 1)])).toBe(STATUS.DOMAIN | STATUS.NONFINITE);
  });

  describe('kink signature', () => {
    function sig(fn: number | 'norm1', xs: number[], pad = 0): number {
      h.reset();
      const a = h.buf(xs.length, xs);
      const d = h.buf(xs.length);
      const prog = Array.from({ length: pad }, () => ins(OP.NOP));
      prog.push(fn === 'norm1' ? ins(OP.NORM1, d, a, 0, xs.length) : ins(OP.UNARY, d, a, 0, xs.length, fn));
      h.run(prog);
      return h.exports.kinkSignature();
    }

    it('is sum over negative entries of (i + 1) (pc + 1)', () => {
      expect(sig(FN.abs, [1, -2, 3, -4])).toBe(2 + 4);
      expect(sig(FN.abs, [1, -2, 3, -4], 2)).toBe((2 + 4) * 3);
      expect(sig(FN.relu, [-1, 2])).toBe(1);
      expect(sig(FN.sign, [0, -0, 5])).toBe(0); // zero is not negative
      expect(sig('norm1', [-1, -1, -1])).toBe(6);
      expect(sig(FN.exp, [-1, -2])).toBe(0); // smooth functions add nothing
    });

    it('changes when an abs() input changes sign and not otherwise', () => {
      const r = rng('kink');
      for (const fn of [FN.abs, FN.sign, FN.relu, 'norm1'] as const) {
        for (let trial = 0; trial < 20; trial++) {
          const xs = Array.from(randArray(r, 7));
          const base = sig(fn, xs);
          // Same signs, different magnitudes: same signature.
          expect(sig(fn, xs.map((v) => v * (0.5 + r())))).toBe(base);
          // One entry crosses zero: the signature changes.
          const i = Math.floor(r() * xs.length);
          const flipped = xs.slice();
          flipped[i] = -flipped[i];
          expect(sig(fn, flipped)).not.toBe(base);
        }
      }
    });

    it('resets at the start of every run', () => {
      sig(FN.abs, [-1, -1]);
      h.reset();
      const a = h.buf(1, [1]);
      h.run([ins(OP.UNARY, a, a, 0, 1, FN.exp)]);
      expect(h.exports.kinkSignature()).toBe(0);
    });
  });
});

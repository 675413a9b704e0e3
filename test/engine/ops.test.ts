// Differential tests: every op and UNARY function id, run through `run` with
// real instruction words, against the plain-JS references, to 1e-12 relative.
import { describe, it, expect } from 'vitest';
import { Harness, ins, OP, FN, VARIANTS } from './harness.js';
import * as ref from './reference-kernels.js';
import { rng, randArray, relDiff, SIZES, SHAPES } from './util.js';

const TOL = 1e-12;

/** Well-conditioned square matrix: random entries plus a diagonal shift. */
function wellConditioned(r: () => number, n: number, shift = 2): Float64Array {
  const a = randArray(r, n * n);
  for (let i = 0; i < n; i++) a[i + i * n] += shift * (r() < 0.5 ? -1 : 1);
  return a;
}

describe.each(VARIANTS)('engine ops (%s)', (variant) => {
  const h = new Harness(variant);

  it('COPY and FILL', () => {
    const r = rng('copy');
    for (const len of [0, 1, 2, 3, 5, 8, 17]) {
      h.reset();
      const src = randArray(r, len);
      const a = h.buf(len, src);
      const d1 = h.buf(len + 1, new Float64Array(len + 1).fill(99));
      const d2 = h.buf(len + 1, new Float64Array(len + 1).fill(99));
      const s = h.buf(1, [3.25]);
      expect(h.run([ins(OP.COPY, d1, a, 0, len), ins(OP.FILL, d2, s, 0, len)])).toBe(0);
      expect(Array.from(h.read(d1, len))).toEqual(Array.from(src));
      expect(Array.from(h.read(d2, len))).toEqual(new Array(len).fill(3.25));
      // Nothing written past the end.
      expect(h.read(d1 + 8 * len, 1)[0]).toBe(99);
      expect(h.read(d2 + 8 * len, 1)[0]).toBe(99);
    }
  });

  for (const [name, op] of [['add', 0], ['sub', 1], ['mul', 2], ['div', 3], ['pow', 4]] as const) {
    it(`BINARY ${name}, every broadcast mode, dst aliasing a or b`, () => {
      const r = rng(`binary-${name}`);
      for (const len of [1, 2, 3, 5, 8, 13, 17, 64]) {
        for (const bc of [0, 1, 2]) {
          h.reset();
          const lo = op === 4 ? 0.1 : -1;
          const av = randArray(r, bc === 1 ? 1 : len, lo, 2);
          const bv = randArray(r, bc === 2 ? 1 : len, op === 4 ? -2 : 0.5, 2);
          if (op !== 4) for (let i = 0; i < bv.length; i++) if (r() < 0.5) bv[i] = -bv[i];
          const want = ref.binary(op, av, bv, len, bc);
          const a = h.buf(av.length, av);
          const b = h.buf(bv.length, bv);
          const d = h.buf(len);
          expect(h.run([ins(OP.BINARY, d, a, b, len, op, bc)])).toBe(0);
          expect(relDiff(h.read(d, len), want)).toBeLessThanOrEqual(TOL);
          // In place: dst == a (when a is a full vector) or dst == b.
          if (bc !== 1) {
            expect(h.run([ins(OP.BINARY, a, a, b, len, op, bc)])).toBe(0);
            expect(relDiff(h.read(a, len), want)).toBeLessThanOrEqual(TOL);
          }
          if (bc !== 2) {
            h.write(a, av);
            expect(h.run([ins(OP.BINARY, b, a, b, len, op, bc)])).toBe(0);
            expect(relDiff(h.read(b, len), want)).toBeLessThanOrEqual(TOL);
          }
        }
      }
    });
  }

  it('BINARY pow: negative base with integer exponent is in the domain', () => {
    h.reset();
    const a = h.buf(3, [-2, -3, -0.5]);
    const b = h.buf(3, [3, 2, -1]);
    const d = h.buf(3);
    expect(h.run([ins(OP.BINARY, d, a, b, 3, 4, 0)])).toBe(0);
    expect(Array.from(h.read(d, 3))).toEqual([-8, 9, -2]);
  });

  // Inputs inside each function's domain, where the reference is accurate.
  const domains: Record<string, [number, number]> = {
    neg: [-3, 3], exp: [-5, 5], log: [0.01, 10], sin: [-6, 6], cos: [-6, 6], tan: [-1.4, 1.4],
    arcsin: [-1, 1], arccos: [-1, 1], arctan: [-10, 10], sqrt: [0, 10], tanh: [-4, 4], abs: [-3, 3],
    sign: [-3, 3], relu: [-3, 3], sigmoid: [-8, 8], softplus: [-5, 5],
  };
  for (const [name, fn] of Object.entries(FN)) {
    it(`UNARY ${name} (id ${fn}), also in place`, () => {
      const r = rng(`unary-${name}`);
      const [lo, hi] = domains[name];
      for (const len of [1, 2, 3, 5, 7, 8, 13, 17, 100]) {
        h.reset();
        const av = randArray(r, len, lo, hi);
        if (name === 'sign' || name === 'relu' || name === 'abs') av[0] = 0;
        const want = ref.unary(fn, av);
        const a = h.buf(len, av);
        const d = h.buf(len);
        h.run([ins(OP.UNARY, d, a, 0, len, fn)]);
        expect(relDiff(h.read(d, len), want)).toBeLessThanOrEqual(TOL);
        h.run([ins(OP.UNARY, a, a, 0, len, fn)]);
        expect(relDiff(h.read(a, len), want)).toBeLessThanOrEqual(TOL);
      }
    });
  }

  it('UNARY tanh gives a value the same bits in either lane and in the odd tail', () => {
    const r = rng('tanh-position');
    for (let k = 0; k < 200; k++) {
      const v = (r() - 0.5) * 60 * r();
      h.reset();
      const a = h.buf(3, [v, v, v]);
      const d = h.buf(3);
      h.run([ins(OP.UNARY, d, a, 0, 3, FN.tanh)]);
      const [x0, x1, x2] = h.read(d, 3);
      expect(Object.is(x0, x1) && Object.is(x1, x2), `tanh(${v}): ${x0} ${x1} ${x2}`).toBe(true);
    }
  });

  it('UNARY tanh is accurate entry by entry on every branch, both SIMD lanes and the odd tail, also in place', () => {
    // The next double above / below a positive finite x.
    const step = (x: number, d: 1 | -1): number => {
      const v = new DataView(new ArrayBuffer(8));
      v.setFloat64(0, x);
      v.setBigUint64(0, v.getBigUint64(0) + BigInt(d));
      return v.getFloat64(0);
    };
    const edges = [0.625, 22].flatMap((x) => [step(x, -1), x, step(x, 1)]);
    const mags = [
      5e-324, 2.2250738585072014e-308, 1e-300, 1e-160, 1e-20, 1e-8, 0.001, 0.3, 0.6, 0.6249999, 0.6250001, ...edges,
      0.7, 1, 2.5, 10, 19, 21.9, 22.1, 30, 40, 710, 1e300, Number.MAX_VALUE, Infinity,
    ];
    const r = rng('tanh-branches');
    for (let i = 0; i < 200; i++) mags.push(Math.exp(r() * 8 - 6)); // 0.0025 .. 7.4
    const all = [...mags, ...mags.map((x) => -x), 0, -0, NaN];
    for (let i = 0; i < 2000; i++) all.push(60 * r() - 30);
    // Shuffled so that every branch meets every other in the two lanes of a vector.
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [all[i], all[j]] = [all[j], all[i]];
    }
    const bad: string[] = [];
    const check = (xs: number[], got: Float64Array, how: string) => {
      xs.forEach((x, i) => {
        const y = got[i];
        const want = Math.tanh(x);
        const ok = Number.isNaN(x) ? Number.isNaN(y) : want === 0 ? Object.is(y, want) : Math.abs(y - want) <= 4 * Number.EPSILON * Math.abs(want);
        if (!ok) bad.push(`${how}: tanh(${x}) = ${y}, Math.tanh ${want}`);
      });
    };
    // Lengths with and without an odd tail; start 0 and 1 put each value in either lane (or the tail).
    for (const len of [1, 2, 3, 4, 5, 17, 1000]) {
      for (const start of [0, 1]) {
        for (let at = start; at < all.length; at += len) {
          const xs = all.slice(at, at + len);
          h.reset();
          const a = h.buf(xs.length, xs);
          const d = h.buf(xs.length + 1, new Float64Array(xs.length + 1).fill(7));
          expect(h.run([ins(OP.UNARY, d, a, 0, xs.length, FN.tanh)])).toBe(0);
          check(xs, h.read(d, xs.length), `len ${xs.length}`);
          if (h.read(d + 8 * xs.length, 1)[0] !== 7) bad.push(`len ${xs.length}: wrote past dst`);
          expect(h.run([ins(OP.UNARY, a, a, 0, xs.length, FN.tanh)])).toBe(0);
          check(xs, h.read(a, xs.length), `len ${xs.length} in place`);
        }
      }
    }
    expect(bad.slice(0, 20)).toEqual([]);
    // ±0 keep their sign, ±Infinity give ±1 exactly, NaN stays NaN: in the tail and in both lanes.
    for (const xs of [[0], [-0], [NaN], [Infinity], [-Infinity], [0, -0], [-0, NaN], [NaN, 0], [Infinity, -Infinity], [-0, Infinity, -Infinity, NaN, 0]]) {
      h.reset();
      const a = h.buf(xs.length, xs);
      h.run([ins(OP.UNARY, a, a, 0, xs.length, FN.tanh)]);
      const got = Array.from(h.read(a, xs.length));
      const want = xs.map((x) => (Number.isFinite(x) ? x : Number.isNaN(x) ? NaN : Math.sign(x)));
      got.forEach((y, i) => expect(Object.is(y, want[i]), `tanh(${xs[i]}) = ${y} in [${xs}]`).toBe(true));
    }
  });

  it('UNARY sigmoid and softplus stay finite and accurate far out', () => {
    h.reset();
    const xs = [-800, -40, 40, 800];
    const a = h.buf(4, xs);
    const s = h.buf(4);
    const p = h.buf(4);
    expect(h.run([ins(OP.UNARY, s, a, 0, 4, FN.sigmoid), ins(OP.UNARY, p, a, 0, 4, FN.softplus)])).toBe(0);
    const sig = h.read(s, 4);
    expect(sig[0]).toBe(0); // exp(-800) underflows to 0, not NaN
    expect(sig[1] / Math.exp(-40)).toBeCloseTo(1, 12);
    expect(sig[2]).toBe(1);
    expect(sig[3]).toBe(1);
    const sp = h.read(p, 4);
    expect(sp[0]).toBe(0);
    expect(sp[1] / Math.exp(-40)).toBeCloseTo(1, 12);
    expect(sp[2]).toBe(40);
    expect(sp[3]).toBe(800);
  });

  /** C = op(A) op(B) for random A, B: the engine's C, the reference's, and no write past C (checked). */
  function matmulCase(r: ReturnType<typeof rng>, m: number, n: number, k: number, flags: number): { got: Float64Array; want: Float64Array } {
    h.reset();
    const av = randArray(r, m * k);
    const bv = randArray(r, k * n);
    const a = h.buf(m * k, av);
    const b = h.buf(k * n, bv);
    const c = h.buf(m * n + 1, new Float64Array(m * n + 1).fill(7));
    expect(h.run([ins(OP.MATMUL, c, a, b, m, n, k, flags)])).toBe(0);
    expect(h.read(c + 8 * m * n, 1)[0], `wrote past dst at m=${m} n=${n} k=${k}`).toBe(7);
    return { got: h.read(c, m * n), want: ref.matmul(av, bv, m, n, k, flags) };
  }

  for (const flags of [0, 1, 2, 3]) {
    it(`MATMUL flags ${flags}: all m, n, k in {${SIZES.join(',')}}`, () => {
      const r = rng(`matmul-${flags}`);
      let worst = 0;
      for (const m of SIZES) {
        for (const n of SIZES) {
          for (const k of SIZES) {
            const { got, want } = matmulCase(r, m, n, k, flags);
            const e = relDiff(got, want);
            worst = Math.max(worst, e);
            expect(e, `m=${m} n=${n} k=${k}`).toBeLessThanOrEqual(TOL);
          }
        }
      }
      expect(worst).toBeLessThanOrEqual(TOL);
    });

    it(`MATMUL flags ${flags}: larger sizes (64, 67, 130) and k = 0`, () => {
      const r = rng(`matmul-big-${flags}`);
      for (const [m, n, k] of [[64, 64, 64], [67, 65, 66], [130, 33, 129], [3, 4, 0]] as const) {
        const { got, want } = matmulCase(r, m, n, k, flags);
        expect(relDiff(got, want), `m=${m} n=${n} k=${k}`).toBeLessThanOrEqual(TOL);
      }
    });
  }

  // Every path but a' b (flags 1) sums each entry in plain p order, so the
  // unfused builds equal the reference loop bit for bit. The shapes cross the
  // packing threshold (32 in the release build, 4 in debug), several K and
  // row blocks (128 / 8), partial 4-row panels and 5- and 4-column blocks.
  for (const flags of [0, 2, 3]) {
    it.skipIf(variant === 'relaxed')(`MATMUL flags ${flags}: bit-identical to the p-ordered loop, packed and unpacked paths`, () => {
      const r = rng(`matmul-exact-${flags}`);
      const shapes: [number, number, number][] = [
        [1, 1, 1], [1, 40, 9], [40, 1, 9], [3, 33, 40], [33, 3, 40], [4, 4, 4], [4, 5, 17], [5, 9, 8], [7, 13, 0],
        [9, 21, 19], [16, 16, 16], [31, 33, 32], [32, 32, 32], [33, 36, 35], [37, 47, 129], [64, 64, 64],
        [67, 65, 66], [130, 41, 260], [131, 34, 3], [257, 36, 33],
      ];
      for (const [m, n, k] of shapes) {
        const { got, want } = matmulCase(r, m, n, k, flags);
        const bytes = (x: Float64Array) => new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
        expect(bytes(got), `m=${m} n=${n} k=${k}`).toEqual(bytes(want));
      }
    });
  }

  // TRACE_MATMUL forms only the product's diagonal; each entry is summed as
  // MATMUL sums it, so in every build it gives TRACE of MATMUL's bits: the
  // packed path (from 32), K blocks (128), odd m (a lone last entry), k = 0.
  for (const flags of [0, 1, 2, 3]) {
    it(`TRACE_MATMUL flags ${flags}: the bits of TRACE of MATMUL`, () => {
      const r = rng(`trace-matmul-${flags}`);
      for (const [m, k] of [[1, 1], [1, 9], [9, 1], [2, 3], [3, 2], [4, 4], [5, 17], [7, 0], [16, 16], [31, 33], [32, 32], [33, 35], [40, 129], [64, 64], [67, 130]]) {
        h.reset();
        const a = h.buf(m * k, randArray(r, m * k));
        const b = h.buf(k * m, randArray(r, k * m));
        const c = h.buf(m * m);
        const [whole, fused] = [h.buf(1), h.buf(1)];
        expect(h.run([ins(OP.MATMUL, c, a, b, m, m, k, flags), ins(OP.TRACE, whole, c, 0, m), ins(OP.TRACE_MATMUL, fused, a, b, m, 0, k, flags)])).toBe(0);
        expect(h.bytes(fused, 8), `m=${m} k=${k}`).toEqual(h.bytes(whole, 8));
        if (k > 0) expect(h.read(fused, 1)[0], `m=${m} k=${k}`).not.toBe(0);
      }
    });
  }

  it('TRANSPOSE', () => {
    const r = rng('transpose');
    for (const [m, n] of SHAPES) {
      h.reset();
      const av = randArray(r, m * n);
      const a = h.buf(m * n, av);
      const d = h.buf(m * n);
      h.run([ins(OP.TRANSPOSE, d, a, 0, m, n)]);
      expect(Array.from(h.read(d, m * n))).toEqual(Array.from(ref.transpose(av, m, n)));
    }
  });

  it('SUM, TRACE, NORM1, NORM2, DOT', () => {
    const r = rng('reduce');
    for (const len of [0, 1, 2, 3, 5, 8, 13, 17, 289]) {
      h.reset();
      const av = randArray(r, len);
      const bv = randArray(r, len);
      const a = h.buf(len, av);
      const b = h.buf(len, bv);
      const out = h.buf(4);
      h.run([ins(OP.SUM, out, a, 0, len), ins(OP.NORM1, out + 8, a, 0, len), ins(OP.NORM2, out + 16, a, 0, len), ins(OP.DOT, out + 24, a, b, len)]);
      const got = h.read(out, 4);
      expect(relDiff([got[0]], [ref.sum(av)])).toBeLessThanOrEqual(TOL);
      expect(relDiff([got[1]], [ref.norm1(av)])).toBeLessThanOrEqual(TOL);
      expect(relDiff([got[2]], [ref.norm2(av)])).toBeLessThanOrEqual(TOL);
      expect(relDiff([got[3]], [ref.dot(av, bv)])).toBeLessThanOrEqual(TOL);
    }
    for (const m of SIZES) {
      h.reset();
      const av = randArray(r, m * m);
      const a = h.buf(m * m, av);
      const out = h.buf(1);
      h.run([ins(OP.TRACE, out, a, 0, m)]);
      expect(relDiff(h.read(out, 1), [ref.trace(av, m)])).toBeLessThanOrEqual(TOL);
    }
  });

  it('NORM2 scales: no needless overflow or underflow', () => {
    h.reset();
    const cases: [number[], number][] = [
      [[3e200, 4e200], 5e200],
      [[3e-200, 4e-200], 5e-200],
      [[1e308, 1e308], Math.SQRT2 * 1e308],
      [[3e-310, 4e-310], 5e-310],
      [[0, 0, 0], 0],
      [[Infinity, 1], Infinity],
    ];
    for (const [xs, want] of cases) {
      const a = h.buf(xs.length, xs);
      const out = h.buf(1);
      h.run([ins(OP.NORM2, out, a, 0, xs.length)]);
      const got = h.read(out, 1)[0];
      if (want === 0 || !Number.isFinite(want)) expect(got).toBe(want);
      else expect(Math.abs(got - want) / want).toBeLessThanOrEqual(1e-15);
      expect(h.exports.norm2(a, xs.length)).toBe(got);
    }
    const nan = h.buf(3, [1, NaN, 2]);
    expect(h.exports.norm2(nan, 3)).toBeNaN();
  });

  it('DET and LOGDET against an unblocked LU', () => {
    const r = rng('det');
    for (const n of [...SIZES, 31, 33, 64]) {
      h.reset();
      const av = wellConditioned(r, n);
      const a = h.buf(n * n, av);
      const scratch = h.alloc(8 * (n * n + n));
      const out = h.buf(2);
      expect(h.run([ins(OP.DET, out, a, scratch, n), ins(OP.LOGDET, out + 8, a, scratch, n)])).toBe(0);
      const got = h.read(out, 2);
      expect(relDiff([got[0]], [ref.det(av, n)]), `n=${n}`).toBeLessThanOrEqual(TOL);
      expect(relDiff([got[1]], [ref.logdet(av, n)]), `n=${n}`).toBeLessThanOrEqual(TOL);
      // a itself is untouched (the LU lives in the scratch).
      expect(Array.from(h.read(a, n * n))).toEqual(Array.from(av));
    }
  });

  it('DET sign follows the row swaps (permutation matrices)', () => {
    h.reset();
    const perms = [[0, 1, 2], [1, 0, 2], [2, 0, 1], [2, 1, 0], [1, 2, 0], [0, 2, 1]];
    const signs = [1, -1, 1, -1, 1, -1];
    perms.forEach((p, idx) => {
      const av = new Float64Array(9);
      p.forEach((row, col) => (av[row + col * 3] = 1));
      const a = h.buf(9, av);
      const scratch = h.alloc(8 * 12);
      const out = h.buf(1);
      expect(h.run([ins(OP.DET, out, a, scratch, 3)])).toBe(0);
      expect(h.read(out, 1)[0]).toBe(signs[idx]);
    });
  });

  it('LOGDET does not overflow where det does', () => {
    h.reset();
    const n = 40;
    const av = new Float64Array(n * n);
    for (let i = 0; i < n; i++) av[i + i * n] = 1e10;
    const a = h.buf(n * n, av);
    const scratch = h.alloc(8 * (n * n + n));
    const out = h.buf(2);
    h.run([ins(OP.DET, out, a, scratch, n), ins(OP.LOGDET, out + 8, a, scratch, n)]);
    const [d, ld] = h.read(out, 2);
    expect(d).toBe(Infinity);
    expect(Math.abs(ld - 400 * Math.log(10)) / ld).toBeLessThanOrEqual(1e-14);
  });

  it('INV against Gauss-Jordan', () => {
    const r = rng('inv');
    for (const n of [...SIZES, 31, 33, 64]) {
      h.reset();
      const av = wellConditioned(r, n);
      const a = h.buf(n * n, av);
      const scratch = h.alloc(8 * (n * n + n));
      const d = h.buf(n * n);
      expect(h.run([ins(OP.INV, d, a, scratch, n)])).toBe(0);
      const got = h.read(d, n * n);
      expect(relDiff(got, ref.inv(av, n)), `n=${n}`).toBeLessThanOrEqual(TOL);
      // And it is an inverse.
      expect(relDiff(ref.matmul(av, got, n, n, n, 0), ref.eye(n))).toBeLessThanOrEqual(TOL);
    }
  });

  it('INV of plain random matrices (no diagonal shift) needing many row swaps', () => {
    const r = rng('inv-plain');
    for (const n of [2, 3, 5, 8, 13, 17]) {
      h.reset();
      const av = randArray(r, n * n);
      const a = h.buf(n * n, av);
      const scratch = h.alloc(8 * (n * n + n));
      const d = h.buf(n * n);
      const status = h.run([ins(OP.INV, d, a, scratch, n)]);
      expect(status).toBe(0);
      expect(relDiff(h.read(d, n * n), ref.inv(av, n)), `n=${n}`).toBeLessThanOrEqual(TOL);
    }
  });

  // Sizes straddling the 4-column blocks, the row-pair loops (odd rows, 4
  // rows per iteration) and the debug build's 32-row panel chunks.
  const LU_SIZES = [...Array.from({ length: 20 }, (_, i) => i + 1), 31, 33, 35, 37, 63, 65, 67, 71];

  it('DET, LOGDET and INV at sizes 1..20 and around the blocks', () => {
    const r = rng('lu-sizes');
    for (const n of LU_SIZES) {
      h.reset();
      // Plain random: many row swaps.
      const pv = randArray(r, n * n);
      const wv = wellConditioned(r, n);
      const p = h.buf(n * n, pv);
      const w = h.buf(n * n, wv);
      const scratch = h.alloc(8 * (n * n + n));
      const out = h.buf(2);
      const d = h.buf(n * n);
      expect(h.run([ins(OP.DET, out, p, scratch, n), ins(OP.LOGDET, out + 8, p, scratch, n)])).toBe(0);
      const got = h.read(out, 2);
      expect(relDiff([got[0]], [ref.det(pv, n)]), `n=${n}`).toBeLessThanOrEqual(TOL);
      expect(relDiff([got[1]], [ref.logdet(pv, n)]), `n=${n}`).toBeLessThanOrEqual(TOL);
      expect(h.run([ins(OP.INV, d, w, scratch, n)])).toBe(0);
      expect(relDiff(h.read(d, n * n), ref.inv(wv, n)), `n=${n}`).toBeLessThanOrEqual(TOL);
    }
  });

  it('DET picks the same pivots as the unblocked LU, ties included (bit-identical without FMA)', () => {
    const r = rng('lu-ties');
    // Few distinct magnitudes: ties in the pivot search are common, and a
    // different choice among them rounds differently.
    const vals = [-1.1, -0.7, -0.3, 0.3, 0.7, 1.1];
    for (const n of LU_SIZES) {
      h.reset();
      const av = Float64Array.from({ length: n * n }, () => vals[Math.floor(r() * vals.length)]);
      const a = h.buf(n * n, av);
      const scratch = h.alloc(8 * (n * n + n));
      const out = h.buf(1);
      h.run([ins(OP.DET, out, a, scratch, n)]);
      const got = h.read(out, 1)[0];
      const want = ref.det(av, n);
      if (variant === 'relaxed') expect(relDiff([got], [want]), `n=${n}`).toBeLessThanOrEqual(TOL);
      else expect(got, `n=${n}`).toBe(want);
    }
  });

  it('KRON', () => {
    const r = rng('kron');
    const shapes: [number, number][] = [[1, 1], [1, 3], [3, 1], [2, 3], [3, 2], [4, 5]];
    for (const [m, n] of shapes) {
      for (const [k, x] of shapes) {
        h.reset();
        const av = randArray(r, m * n);
        const bv = randArray(r, k * x);
        const a = h.buf(m * n, av);
        const b = h.buf(k * x, bv);
        const d = h.buf(m * n * k * x);
        h.run([ins(OP.KRON, d, a, b, m, n, k, x)]);
        expect(Array.from(h.read(d, m * n * k * x))).toEqual(Array.from(ref.kron(av, bv, m, n, k, x)));
      }
    }
  });

  it('DIAG_TO_MATRIX, DIAG_OF_MATRIX, EYE', () => {
    const r = rng('diag');
    for (const m of SIZES) {
      h.reset();
      const v = randArray(r, m);
      const M = randArray(r, m * m);
      const a = h.buf(m, v);
      const b = h.buf(m * m, M);
      const d1 = h.buf(m * m, new Float64Array(m * m).fill(5));
      const d2 = h.buf(m);
      const d3 = h.buf(m * m, new Float64Array(m * m).fill(5));
      h.run([ins(OP.DIAG_TO_MATRIX, d1, a, 0, m), ins(OP.DIAG_OF_MATRIX, d2, b, 0, m), ins(OP.EYE, d3, 0, 0, m)]);
      expect(Array.from(h.read(d1, m * m))).toEqual(Array.from(ref.diagToMatrix(v, m)));
      expect(Array.from(h.read(d2, m))).toEqual(Array.from(ref.diagOfMatrix(M, m)));
      expect(Array.from(h.read(d3, m * m))).toEqual(Array.from(ref.eye(m)));
    }
  });

  it('SOFTMAX (also in place) and LOGSUMEXP', () => {
    const r = rng('softmax');
    for (const len of [1, 2, 3, 5, 8, 17, 100]) {
      h.reset();
      const av = randArray(r, len, -20, 20);
      const a = h.buf(len, av);
      const d = h.buf(len);
      const out = h.buf(1);
      h.run([ins(OP.SOFTMAX, d, a, 0, len), ins(OP.LOGSUMEXP, out, a, 0, len)]);
      expect(relDiff(h.read(d, len), ref.softmax(av))).toBeLessThanOrEqual(TOL);
      expect(relDiff(h.read(out, 1), [ref.logsumexp(av)])).toBeLessThanOrEqual(TOL);
      h.run([ins(OP.SOFTMAX, a, a, 0, len)]);
      expect(relDiff(h.read(a, len), ref.softmax(av))).toBeLessThanOrEqual(TOL);
    }
    // Large inputs: shifted by the max, so no overflow.
    h.reset();
    const big = h.buf(3, [1000, 1001, 999]);
    const out = h.buf(1);
    const d = h.buf(3);
    expect(h.run([ins(OP.LOGSUMEXP, out, big, 0, 3), ins(OP.SOFTMAX, d, big, 0, 3)])).toBe(0);
    expect(relDiff(h.read(out, 1), [1001 + Math.log(1 + Math.exp(-1) + Math.exp(-2))])).toBeLessThanOrEqual(TOL);
    expect(relDiff(h.read(d, 3), ref.softmax(new Float64Array([0, 1, -1])))).toBeLessThanOrEqual(TOL);
  });

  it('MATPOW for k in 0..9 and negative k', () => {
    const r = rng('matpow');
    for (const m of [1, 2, 3, 5, 8, 13]) {
      for (const k of [0, 1, 2, 3, 4, 5, 7, 8, 9, -1, -2, -3]) {
        h.reset();
        const av = randArray(r, m * m, -1 / Math.sqrt(m), 1 / Math.sqrt(m));
        for (let i = 0; i < m; i++) av[i + i * m] += 1; // invertible, spectral radius near 1
        const a = h.buf(m * m, av);
        const scratch = h.alloc(16 * m * m);
        const d = h.buf(m * m);
        expect(h.run([ins(OP.MATPOW, d, a, scratch, m, 0, k)])).toBe(0);
        expect(relDiff(h.read(d, m * m), ref.matpow(av, m, k)), `m=${m} k=${k}`).toBeLessThanOrEqual(TOL);
      }
    }
  });

  it('MATPOW k = 1 returns a exactly', () => {
    h.reset();
    const av = randArray(rng('matpow1'), 9);
    const a = h.buf(9, av);
    const scratch = h.alloc(16 * 9);
    const d = h.buf(9);
    h.run([ins(OP.MATPOW, d, a, scratch, 3, 0, 1)]);
    expect(Array.from(h.read(d, 9))).toEqual(Array.from(av));
  });

  it('NOP does nothing; a multi-instruction program chains buffers', () => {
    const r = rng('chain');
    h.reset();
    const n = 5;
    const xv = randArray(r, n);
    const Av = randArray(r, n * n);
    const x = h.buf(n, xv);
    const A = h.buf(n * n, Av);
    const t = h.buf(n);
    const f = h.buf(1);
    // f = x' A x
    expect(h.run([ins(OP.NOP), ins(OP.MATMUL, t, A, x, n, 1, n, 0), ins(OP.DOT, f, x, t, n)])).toBe(0);
    const want = ref.dot(xv, ref.matmul(Av, xv, n, 1, n, 0));
    expect(relDiff(h.read(f, 1), [want])).toBeLessThanOrEqual(TOL);
  });

  it('is deterministic: the same inputs give the same bits', () => {
    const r = rng('det-bits');
    h.reset();
    const n = 37;
    const av = wellConditioned(r, n);
    const a = h.buf(n * n, av);
    const scratch = h.alloc(8 * (n * n + n));
    const d1 = h.buf(n * n);
    const d2 = h.buf(n * n);
    h.run([ins(OP.INV, d1, a, scratch, n), ins(OP.MATMUL, d2, a, d1, n, n, n, 0)]);
    const first = h.bytes(d1, 16 * n * n);
    h.run([ins(OP.INV, d1, a, scratch, n), ins(OP.MATMUL, d2, a, d1, n, n, n, 0)]);
    expect(h.bytes(d1, 16 * n * n)).toEqual(first);
  });
});

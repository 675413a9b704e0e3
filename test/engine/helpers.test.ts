// The direct helper exports: pairDirections, compare, worst, norm2, dot, fitFactor.
import { describe, it, expect } from 'vitest';
import { Harness, VARIANTS } from './harness.js';
import * as ref from './reference-kernels.js';
import { rng, randArray, relDiff } from './util.js';

describe.each(VARIANTS)('helper exports (%s)', (variant) => {
  const h = new Harness(variant);

  it('norm2 and dot against the references', () => {
    const r = rng('helpers');
    for (const len of [0, 1, 2, 3, 7, 100]) {
      h.reset();
      const av = randArray(r, len);
      const bv = randArray(r, len);
      const a = h.buf(len, av);
      const b = h.buf(len, bv);
      expect(relDiff([h.exports.norm2(a, len)], [ref.norm2(av)])).toBeLessThanOrEqual(1e-12);
      expect(relDiff([h.exports.dot(a, b, len)], [ref.dot(av, bv)])).toBeLessThanOrEqual(1e-12);
    }
  });

  it('fitFactor: <a, b> / <b, b>, also where the dot products themselves would overflow or underflow', () => {
    const r = rng('fit');
    for (const len of [1, 2, 5, 100]) {
      const bv = randArray(r, len);
      const noise = randArray(r, len);
      for (const [k, scale] of [[0.5, 1], [-3, 1e-200], [2, 1e200], [0.25, 1e-300], [7, 1e300 / 8]] as const) {
        h.reset();
        const b = h.buf(len, bv.map((v) => v * scale));
        const a = h.buf(len, bv.map((v, i) => (k * v + 1e-3 * noise[i]) * scale));
        const exact = ref.dot(bv.map((v, i) => k * v + 1e-3 * noise[i]), bv) / ref.dot(bv, bv);
        expect(relDiff([h.exports.fitFactor(a, b, len)], [exact]), `len ${len}, k ${k}, scale ${scale}`).toBeLessThanOrEqual(1e-12);
      }
    }
    h.reset();
    const zero = h.buf(3, [0, 0, 0]);
    expect(h.exports.fitFactor(h.buf(3, [1, 2, 3]), zero, 3)).toBeNaN();
    expect(h.exports.fitFactor(zero, h.buf(3, [1, 2, 3]), 3)).toBe(0);
  });

  it('pairDirections: plain and with off-diagonal weights', () => {
    const r = rng('pair');
    for (const n of [1, 2, 3, 5]) {
      h.reset();
      const nX = n * n;
      const nDir = 3;
      const cv = randArray(r, nX);
      const dv = randArray(r, nDir * nX);
      const c = h.buf(nX, cv);
      const d = h.buf(nDir * nX, dv);
      const out = h.buf(nDir);
      h.exports.pairDirections(c, d, nX, nDir, 0.5, n, out);
      const weighted = h.read(out, nDir);
      h.exports.pairDirections(c, d, nX, nDir, 0.5, 0, out);
      const plain = h.read(out, nDir);
      for (let k = 0; k < nDir; k++) {
        let wSum = 0;
        let pSum = 0;
        for (let j = 0; j < n; j++) {
          for (let i = 0; i < n; i++) {
            const idx = i + j * n;
            const term = cv[idx] * dv[k * nX + idx];
            wSum += (i === j ? 1 : 0.5) * term;
            pSum += term;
          }
        }
        expect(relDiff([weighted[k]], [wSum])).toBeLessThanOrEqual(1e-12);
        expect(relDiff([plain[k]], [pSum])).toBeLessThanOrEqual(1e-12);
      }
    }
  });

  it('compare: difference norm, both norms, max abs difference and its index', () => {
    const r = rng('compare');
    for (const len of [1, 2, 5, 17]) {
      h.reset();
      const av = randArray(r, len);
      const bv = randArray(r, len);
      const a = h.buf(len, av);
      const b = h.buf(len, bv);
      const out = h.buf(5);
      h.exports.compare(a, b, len, out);
      const got = h.read(out, 5);
      const diff = av.map((v, i) => v - bv[i]);
      let mi = 0;
      for (let i = 1; i < len; i++) if (Math.abs(diff[i]) > Math.abs(diff[mi])) mi = i;
      expect(relDiff([got[0]], [ref.norm2(diff)])).toBeLessThanOrEqual(1e-12);
      expect(relDiff([got[1]], [ref.norm2(av)])).toBeLessThanOrEqual(1e-12);
      expect(relDiff([got[2]], [ref.norm2(bv)])).toBeLessThanOrEqual(1e-12);
      expect(got[3]).toBe(Math.abs(diff[mi]));
      expect(got[4]).toBe(mi);
    }
  });

  it('compare: huge values do not overflow, NaN is the worst entry, empty input', () => {
    h.reset();
    const a = h.buf(3, [1e300, 1, 2]);
    const b = h.buf(3, [-1e300, 1, 2]);
    const out = h.buf(5);
    h.exports.compare(a, b, 3, out);
    expect(Array.from(h.read(out, 5))).toEqual([2e300, 1e300, 1e300, 2e300, 0]);
    const c = h.buf(3, [1, NaN, 5]);
    const d = h.buf(3, [0, 0, 0]);
    h.exports.compare(c, d, 3, out);
    const got = h.read(out, 5);
    expect(got[3]).toBeNaN();
    expect(got[4]).toBe(1);
    h.exports.compare(c, d, 0, out);
    expect(Array.from(h.read(out, 5))).toEqual([0, 0, 0, 0, -1]);
  });

  it('worst: indices of the k largest differences, largest first, ties by index', () => {
    const r = rng('worst');
    for (const len of [1, 5, 40]) {
      for (const k of [0, 1, 3, 50]) {
        h.reset();
        const av = randArray(r, len);
        const bv = randArray(r, len);
        if (len > 3) bv[3] = av[3] - (av[1] - bv[1]); // a tie between 1 and 3
        const a = h.buf(len, av);
        const b = h.buf(len, bv);
        const idx = h.alloc(4 * Math.max(k, 1));
        const count = h.exports.worst(a, b, len, k, idx);
        const order = Array.from({ length: len }, (_, i) => i).sort((i, j) => Math.abs(av[j] - bv[j]) - Math.abs(av[i] - bv[i]) || i - j);
        expect(count).toBe(Math.min(k, len));
        expect(Array.from(h.readI32(idx, count))).toEqual(order.slice(0, count));
      }
    }
    h.reset();
    const a = h.buf(4, [0, 0, NaN, 0]);
    const b = h.buf(4, [1, 3, 0, 2]);
    const idx = h.alloc(16);
    expect(h.exports.worst(a, b, 4, 4, idx)).toBe(4);
    expect(Array.from(h.readI32(idx, 4))).toEqual([2, 1, 3, 0]);
  });
});

import { describe, it, expect } from 'vitest';
import { makeRng } from '../../src/sample/rng.js';
import { drawSizes } from '../../src/sample/sizes.js';

const SEEDS = Array.from({ length: 200 }, (_, i) => `sizes-${i}`);

describe('drawSizes', () => {
  it('draws distinct sizes in [2, 7] by default', () => {
    for (const seed of SEEDS) {
      const sizes = drawSizes(['m', 'n', 'p', 'k'], {}, makeRng(seed));
      expect(Object.keys(sizes).sort()).toEqual(['k', 'm', 'n', 'p']);
      const values = Object.values(sizes);
      expect(new Set(values).size).toBe(4);
      for (const v of values) {
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(2);
        expect(v).toBeLessThanOrEqual(7);
      }
    }
  });

  it('reaches every value of the range', () => {
    const seen = new Set<number>();
    for (const seed of SEEDS) seen.add(drawSizes(['n'], {}, makeRng(seed)).n);
    expect([...seen].sort()).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('keeps fixed sizes and draws the others away from them', () => {
    for (const seed of SEEDS) {
      const sizes = drawSizes(['m', 'n', 'p'], { n: 3, q: 5 }, makeRng(seed));
      expect(sizes.n).toBe(3);
      // q is not one of the symbols: it is not returned, but its value is avoided too.
      expect(sizes).not.toHaveProperty('q');
      for (const s of ['m', 'p']) expect([3, 5]).not.toContain(sizes[s]);
      expect(new Set(Object.values(sizes)).size).toBe(3);
    }
  });

  it('takes fixed sizes outside the range, and repeated fixed values, as given', () => {
    const sizes = drawSizes(['m', 'n', 'p'], { m: 20, n: 20 }, makeRng('fixed'));
    expect(sizes.m).toBe(20);
    expect(sizes.n).toBe(20);
    expect(sizes.p).toBeGreaterThanOrEqual(2);
    expect(sizes.p).toBeLessThanOrEqual(7);
  });

  it('draws nothing when every size is fixed, and lists the sizes in sorted order', () => {
    const rng = makeRng('all-fixed');
    const sizes = drawSizes(['p', 'm', 'n', 'm'], { n: 3, m: 9, p: 3, q: 4 }, rng);
    expect(Object.entries(sizes)).toEqual([['m', 9], ['n', 3], ['p', 3]]);
    expect(rng.uniform()).toBe(makeRng('all-fixed').uniform());
    expect(() => drawSizes(['n'], { n: 0 }, rng)).toThrow(/size of 'n' must be a positive integer, got 0/);
  });

  it('widens the range upward, just enough, when there are more symbols than values', () => {
    const symbols = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    for (const seed of SEEDS) {
      expect(Object.values(drawSizes(symbols, {}, makeRng(seed))).sort((x, y) => x - y)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
      // 8 is taken by a fixed symbol: the free values are 2..7 and 9, 10.
      const withFixed = drawSizes(symbols, { a: 8 }, makeRng(seed));
      expect(withFixed.a).toBe(8);
      expect(Object.values(withFixed).sort((x, y) => x - y)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
      const nine = drawSizes([...symbols, 'i'], { a: 8 }, makeRng(seed));
      expect(Object.values(nine).sort((x, y) => x - y)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
  });

  it('honours a custom range', () => {
    for (const seed of SEEDS) {
      const sizes = drawSizes(['x', 'y'], {}, makeRng(seed), { min: 10, max: 12 });
      for (const v of Object.values(sizes)) expect([10, 11, 12]).toContain(v);
      expect(sizes.x).not.toBe(sizes.y);
    }
  });

  it('depends on the set of symbols, not their order or repetition', () => {
    for (const seed of SEEDS) {
      const a = drawSizes(['n', 'm', 'p'], { k: 4 }, makeRng(seed));
      const b = drawSizes(['p', 'm', 'n', 'm'], { k: 4 }, makeRng(seed));
      expect(b).toEqual(a);
    }
  });

  it('is deterministic for a seed', () => {
    for (const seed of SEEDS) {
      expect(drawSizes(['m', 'n'], {}, makeRng(seed))).toEqual(drawSizes(['m', 'n'], {}, makeRng(seed)));
    }
  });

  it('rejects bad ranges and bad fixed sizes', () => {
    const rng = makeRng('bad');
    expect(() => drawSizes(['n'], {}, rng, { min: 5, max: 4 })).toThrow(/size range/);
    expect(() => drawSizes(['n'], {}, rng, { min: 0, max: 4 })).toThrow(/size range/);
    expect(() => drawSizes(['n'], { n: 0 }, rng)).toThrow(/positive integer/);
    expect(() => drawSizes(['n'], { n: 2.5 }, rng)).toThrow(/positive integer/);
  });
});

import { describe, it, expect } from 'vitest';
import { sampleDirection } from '../../src/sample/directions.js';
import { makeRng } from '../../src/sample/rng.js';
import { bits, moments } from './linalg.js';

const CASES = Array.from({ length: 200 }, (_, i) => ({ seed: `dir-${i}`, n: 1 + (i % 8) }));

describe('sampleDirection', () => {
  it('general: rows x cols standard normal entries', () => {
    expect(sampleDirection('general', 3, 5, makeRng('g'))).toHaveLength(15);
    // 200,000 entries: bounds over 6 sd, as for sampleKind's normal entries.
    const { mean, variance } = moments(sampleDirection('general', 400, 500, makeRng('general-moments')));
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });

  it('symmetric: exactly equal to its transpose, not diagonal', () => {
    for (const { seed, n } of CASES) {
      const d = sampleDirection('symmetric', n, n, makeRng(seed));
      for (let j = 0; j < n; j++) for (let i = 0; i < j; i++) expect(d[i + j * n]).toBe(d[j + i * n]);
      if (n > 1) expect(d[1]).not.toBe(0);
    }
  });

  it('diagonal: off-diagonal exactly 0, nonzero diagonal', () => {
    for (const { seed, n } of CASES) {
      const d = sampleDirection('diagonal', n, n, makeRng(seed));
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          if (i === j) expect(d[i + j * n]).not.toBe(0);
          else expect(Object.is(d[i + j * n], 0)).toBe(true);
        }
      }
    }
  });

  it('gives identical bits for the same seed', () => {
    for (const { seed, n } of CASES) {
      for (const s of ['general', 'symmetric', 'diagonal'] as const) {
        expect(bits(sampleDirection(s, n, n, makeRng(seed)))).toEqual(bits(sampleDirection(s, n, n, makeRng(seed))));
      }
    }
  });

  it('rejects non-square structured directions and empty shapes', () => {
    const rng = makeRng('errors');
    expect(() => sampleDirection('symmetric', 2, 3, rng)).toThrow(/square/);
    expect(() => sampleDirection('diagonal', 3, 1, rng)).toThrow(/square/);
    expect(() => sampleDirection('general', 0, 1, rng)).toThrow(/shape/);
  });
});

import { describe, it, expect } from 'vitest';
import * as sample from '../../src/sample/index.js';

describe('src/sample/index', () => {
  it('re-exports the stage', () => {
    expect(Object.keys(sample).sort()).toEqual([
      'DEFAULT_SIZE_RANGE',
      'POSITIVE_RANGE',
      'deriveSeed',
      'drawSizes',
      'fillDirection',
      'haarOrthogonal',
      'hashParts',
      'makeRng',
      'sampleDirection',
      'sampleKind',
      'sampleKindInto',
      'trialSeed',
    ]);
  });

  it('runs a whole draw: row seed, trial seed, sizes, values', () => {
    const rng = sample.makeRng(sample.trialSeed(sample.deriveSeed('table', 'tr-AXB'), 0));
    const sizes = sample.drawSizes(['m', 'n', 'p'], {}, rng);
    const x = sample.sampleKind({ base: 'matrix', positive: false, dims: [{ symbol: 'm' }, { symbol: 'n' }] }, sizes.m, sizes.n, rng);
    expect(x).toHaveLength(sizes.m * sizes.n);
    expect(sample.sampleDirection('general', sizes.m, sizes.n, rng)).toHaveLength(sizes.m * sizes.n);
  });
});

describe('drawing in place (into engine memory)', () => {
  const kind = (base: string, positive = false) => ({ base, positive, dims: [] }) as unknown as Parameters<typeof sample.sampleKind>[0];

  it('sampleKindInto writes exactly sampleKind\'s draws, in the same order, and nothing outside its block', () => {
    const shapes: [string, boolean, number, number][] = [
      ['scalar', false, 1, 1], ['vector', false, 5, 1], ['matrix', false, 3, 4], ['vector', true, 4, 1], ['matrix', true, 2, 3],
      ['symmetric', false, 4, 4], ['spd', false, 3, 3], ['diagonal', true, 3, 3], ['orthogonal', false, 3, 3], ['invertible', true, 4, 4],
    ];
    for (const [base, positive, rows, cols] of shapes) {
      const a = sample.makeRng(`into-${base}`);
      const b = sample.makeRng(`into-${base}`);
      const want = sample.sampleKind(kind(base, positive), rows, cols, a);
      const out = new Float64Array(rows * cols + 6).fill(-7);
      sample.sampleKindInto(kind(base, positive), rows, cols, b, out, 3);
      expect(Array.from(out.subarray(3, 3 + rows * cols)), `${positive ? 'positive ' : ''}${base}`).toEqual(Array.from(want));
      expect([...out.subarray(0, 3), ...out.subarray(3 + rows * cols)]).toEqual([-7, -7, -7, -7, -7, -7]);
      // The generators stay in step afterwards.
      expect(b.uniform()).toBe(a.uniform());
    }
    expect(() => sample.sampleKindInto(kind('vector'), 3, 2, sample.makeRng('x'), new Float64Array(6), 0)).toThrow(/a vector is a column/);
  });

  it('fillDirection writes exactly sampleDirection\'s draws, every entry of its block', () => {
    for (const structure of ['general', 'symmetric', 'diagonal'] as const) {
      const a = sample.makeRng(`dir-${structure}`);
      const b = sample.makeRng(`dir-${structure}`);
      const want = sample.sampleDirection(structure, 4, 4, a);
      const out = new Float64Array(20).fill(NaN);
      sample.fillDirection(out, 2, structure, 4, 4, b);
      expect(Array.from(out.subarray(2, 18)), structure).toEqual(Array.from(want));
      expect([out[0], out[1], out[18], out[19]].every(Number.isNaN)).toBe(true);
      expect(b.uniform()).toBe(a.uniform());
    }
    expect(() => sample.fillDirection(new Float64Array(6), 0, 'symmetric', 2, 3, sample.makeRng('x'))).toThrow(/square/);
  });
});

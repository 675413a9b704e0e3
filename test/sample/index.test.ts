import { describe, it, expect } from 'vitest';
import * as sample from '../../src/sample/index.js';

describe('src/sample/index', () => {
  it('re-exports the stage', () => {
    expect(Object.keys(sample).sort()).toEqual([
      'DEFAULT_SIZE_RANGE',
      'POSITIVE_RANGE',
      'deriveSeed',
      'drawSizes',
      'fillDirections',
      'haarOrthogonal',
      'hashParts',
      'makeRng',
      'makeTrialRng',
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

  it('fillDirections writes exactly the draws of as many sampleDirection calls, every entry of its blocks', () => {
    for (const structure of ['general', 'symmetric', 'diagonal'] as const) {
      for (const count of [1, 3]) {
        const a = sample.makeRng(`dir-${structure}`);
        const b = sample.makeRng(`dir-${structure}`);
        // An odd block length: a block can end on the first normal of a pair.
        const want = Array.from({ length: count }, () => Array.from(sample.sampleDirection(structure, 3, 3, a))).flat();
        const out = new Float64Array(9 * count + 4).fill(NaN);
        sample.fillDirections(out, 2, count, structure, 3, 3, b);
        expect(Array.from(out.subarray(2, 2 + 9 * count)), `${structure} x ${count}`).toEqual(want);
        expect([out[0], out[1], out[9 * count + 2], out[9 * count + 3]].every(Number.isNaN)).toBe(true);
        expect(b.normal()).toBe(a.normal());
      }
    }
    expect(() => sample.fillDirections(new Float64Array(6), 0, 1, 'symmetric', 2, 3, sample.makeRng('x'))).toThrow(/square/);
  });
});

import { describe, it, expect } from 'vitest';
import * as sample from '../../src/sample/index.js';

describe('src/sample/index', () => {
  it('re-exports the stage', () => {
    expect(Object.keys(sample).sort()).toEqual([
      'DEFAULT_SIZE_RANGE',
      'POSITIVE_RANGE',
      'deriveSeed',
      'drawSizes',
      'haarOrthogonal',
      'hashParts',
      'makeRng',
      'sampleDirection',
      'sampleKind',
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

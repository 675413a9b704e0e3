// A failing formula matcher past MAX_LOCATED_DIRECTIONS entry-wise
// directions: checkFormula lists the worst directions (no entry-wise pass),
// and the matcher's diff must not run that pass either (at 100 x 100 it
// took 10 s where the check took 20 ms, and its replay was then dropped:
// it cannot match directions).
import { describe, expect, it, vi } from 'vitest';

const passes = vi.hoisted(() => ({ entrywise: 0 }));
vi.mock('../../src/check/trial.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/check/trial.js')>();
  return {
    ...actual,
    judgeAt: (...args: Parameters<typeof actual.judgeAt>) => {
      if (args[4] === 'entrywise') passes.entrywise++;
      return actual.judgeAt(...args);
    },
  };
});

import '../../src/vitest.js';
import { failure } from './helpers.js';

const wrong = (n: number) => ({ vars: { A: 'matrix(n,n)', X: 'matrix(n,n)' }, dims: { n }, f: 'tr(A*X)', wrt: 'X' });

describe('a failing matcher past the locating limit', () => {
  it('names entries (one entry-wise pass in the check, one in the diff) at 32 x 32', () => {
    passes.entrywise = 0;
    const e = failure(() => expect(wrong(32)).toHaveGradient('A', { seed: 'locate', trials: 1 }));
    expect(e.message).toMatch(/worst entry d\/dX\[\d+,\d+\]/);
    expect(e.message).not.toMatch(/not entries/);
    expect(passes.entrywise).toBe(2);
  });

  it('runs no entry-wise pass at 33 x 33, and lists the worst directions', () => {
    passes.entrywise = 0;
    const e = failure(() => expect(wrong(33)).toHaveGradient('A', { seed: 'locate', trials: 1 }));
    expect(e.message).toContain('the worst random directions are listed, not entries: naming entries takes 1089 entry-wise differences');
    expect(e.message).toMatch(/worst entry direction \d+/);
    expect(passes.entrywise).toBe(0);
  });

  it('replays the entry-wise check in entry-wise mode at any size', () => {
    passes.entrywise = 0;
    const e = failure(() => expect(wrong(33)).toHaveGradient('A', { seed: 'locate', trials: 1, mode: 'entrywise' }));
    expect(e.message).toMatch(/worst entry d\/dX\[\d+,\d+\]/);
    expect(passes.entrywise).toBeGreaterThanOrEqual(2);
  });
});

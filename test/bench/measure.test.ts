import { describe, it, expect } from 'vitest';
import { alternateRounds, median, pairedRatio } from '../../bench/measure.js';

describe('bench ratios', () => {
  it('pair the rounds: a subject timed in a slow window is compared with its own round', () => {
    // Round 1 ran while the machine was slow for the subject only: medians alone would say 2x.
    const subject = [1, 5, 1.25, 1, 1.1];
    const baseline = [8, 10, 10, 8, 9];
    expect(median(baseline) / median(subject)).toBeCloseTo(9 / 1.1, 12);
    expect(pairedRatio(baseline, subject)).toBe(8);
  });

  it('time each function once a round, in turn', () => {
    const order: string[] = [];
    const budget = { time: 1, iterations: 1, warmupTime: 0, warmupIterations: 0 };
    const samples = alternateRounds([() => order.push('a'), () => order.push('b')], budget, 3);
    expect(samples.map((s) => s.length)).toEqual([3, 3]);
    expect(samples.flat().every((ns) => ns > 0)).toBe(true);
    // Each round runs a's calls, then b's: the order changes from a to b exactly 2 * 3 - 1 times.
    const switches = order.filter((x, i) => i > 0 && x !== order[i - 1]).length;
    expect(switches).toBe(5);
  });
});

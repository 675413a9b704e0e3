import { describe, it, expect } from 'vitest';
import { alternateRounds, median, pairedRatio } from '../../bench/measure.js';

describe('bench ratios', () => {
  it('pair the rounds: a slowdown that starts between the two timings of a round moves one median, not the paired ratio', () => {
    // Both run 2x slower until the middle of round 2, which times the subject before the change and the baseline after it.
    const subject = [2, 2, 2, 1, 1];
    const baseline = [20, 20, 10, 10, 10];
    expect(median(baseline) / median(subject)).toBe(5);
    expect(pairedRatio(baseline, subject)).toBe(10);
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

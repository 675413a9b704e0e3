// How every benchmark times a function: tinybench, with calls batched so
// that one sample lasts at least ~20 us (a single performance.now() pair
// costs a few hundred ns, which would swamp sub-microsecond calls and pull
// every ratio towards 1), and, for ratios, alternating rounds.
import { Bench } from 'tinybench';

export interface Budget {
  time: number;
  iterations: number;
  warmupTime: number;
  warmupIterations: number;
}

/** Median time per call in ns. */
export function measure(fn: () => unknown, budget: Budget): number {
  // Rough cost of one call, to choose the batch.
  fn();
  const t0 = performance.now();
  fn();
  const one = Math.max(performance.now() - t0, 1e-5);
  const batch = Math.max(1, Math.min(10_000, Math.ceil(0.02 / one)));
  const bench = new Bench({ ...budget, throws: true });
  bench.add('k', () => {
    const s = performance.now();
    for (let i = 0; i < batch; i++) fn();
    const t = performance.now() - s;
    return { overriddenDuration: t / batch, overriddenIterationCost: t };
  });
  const [task] = bench.runSync();
  const r = task.result;
  if (r.state !== 'completed') throw new Error(`benchmark task ended as ${r.state}`);
  return r.latency.p50 * 1e6;
}

export function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Ns per call of each function in each of `rounds` alternating rounds
 * (samples[f][round]): the machine's speed drifts between time windows
 * (other processes, 2 cores; SIMD code slows by up to 2x for seconds while
 * scalar code does not), and alternating compares like with like.
 * `budget`: one per round for all, or one per function (a slow baseline
 * gets fewer calls). Rounds after the first warm up for at most 10 ms:
 * the code is compiled by then.
 */
export function alternateRounds(fns: (() => unknown)[], budget: Budget | Budget[], rounds: number): number[][] {
  const samples = fns.map(() => [] as number[]);
  const budgetOf = (i: number, round: number): Budget => {
    const b = Array.isArray(budget) ? budget[i] : budget;
    return round === 0 ? b : { ...b, warmupTime: Math.min(b.warmupTime, 10), warmupIterations: Math.min(b.warmupIterations, 2) };
  };
  for (let round = 0; round < rounds; round++) fns.forEach((fn, i) => samples[i].push(measure(fn, budgetOf(i, round))));
  return samples;
}

/** Median ns per call of each function over alternating rounds (alternateRounds). */
export function alternate(fns: (() => unknown)[], budget: Budget | Budget[], rounds: number): number[] {
  return alternateRounds(fns, budget, rounds).map(median);
}

/**
 * How many times slower `baseline` is than `subject`: the median over rounds
 * of their ratio within a round. A ratio of the two medians could pair a
 * subject measured in a slow window with a baseline measured in a fast one
 * (one full run put a check at 3.1x plain TypeScript; timed alone in
 * alternating rounds it ran 7.6-10x).
 */
export function pairedRatio(baseline: readonly number[], subject: readonly number[]): number {
  return median(baseline.map((b, r) => b / subject[r]));
}

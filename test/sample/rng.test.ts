import { describe, it, expect } from 'vitest';
import { deriveSeed, hashParts, makeRng, trialSeed, type Rng } from '../../src/sample/rng.js';
import { moments } from './linalg.js';

const draws = (rng: Rng, count: number): Float64Array => {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 3) {
    out[i] = rng.uniform();
    if (i + 1 < count) out[i + 1] = rng.normal();
    if (i + 2 < count) out[i + 2] = rng.int(-5, 5);
  }
  return out;
};

const popcount = (x: bigint): number => {
  let c = 0;
  for (; x; x &= x - 1n) c++;
  return c;
};

describe('makeRng', () => {
  it('gives the same stream, bit for bit, for the same seed', () => {
    for (let s = 0; s < 200; s++) {
      const a = draws(makeRng(`seed-${s}`), 301);
      const b = draws(makeRng(`seed-${s}`), 301);
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    }
  });

  it('gives different streams for different seeds', () => {
    const a = draws(makeRng('a'), 30);
    const b = draws(makeRng('b'), 30);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(false);
  });

  it('is pinned: these values must not change, or every reported seed stops reproducing', () => {
    const rng = makeRng('golden');
    expect(rng.uniform()).toBe(0.04200733785378241);
    expect(rng.normal()).toBe(-0.7328619405163563);
    expect(rng.normal()).toBe(-0.927318561966088);
    expect(rng.int(2, 7)).toBe(3);
  });

  it('uniform lies in (0, 1) with mean 1/2', () => {
    const rng = makeRng('uniform');
    const xs = new Float64Array(100_000);
    for (let i = 0; i < xs.length; i++) xs[i] = rng.uniform();
    expect(Math.min(...xs)).toBeGreaterThan(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    // sd of the mean is sqrt(1/12 / 1e5) ~ 0.0009; 0.005 is over 5 sd.
    expect(Math.abs(moments(xs).mean - 0.5)).toBeLessThan(0.005);
  });

  it('normal has mean ~0, variance ~1 and the normal share within one sd', () => {
    const rng = makeRng('normal');
    const n = 200_000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = rng.normal();
    const { mean, variance } = moments(xs);
    // The seed is fixed, so these cannot flake; the bounds are still chosen
    // so that a correct sampler would pass for almost any seed:
    // sd(mean) = 1/sqrt(n) ~ 0.0022, bound 0.015 (~6.7 sd);
    // sd(variance) ~ sqrt(2/n) ~ 0.0032, bound 0.02 (~6.3 sd);
    // P(|z| < 1) = 0.6827, sd of the share ~ 0.0010, bound 0.01 (~10 sd).
    // A wrong polar method (sqrt(-log s / s): variance 1/2; no rejection outside the disc: NaN) fails these.
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    let within = 0;
    for (const x of xs) if (Math.abs(x) < 1) within++;
    expect(Math.abs(within / n - 0.6827)).toBeLessThan(0.01);
    expect(xs.every(Number.isFinite)).toBe(true);
  });

  it('int covers [lo, hi] including both ends and nothing outside', () => {
    const rng = makeRng('int');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const k = rng.int(2, 7);
      expect(Number.isInteger(k)).toBe(true);
      seen.add(k);
    }
    expect([...seen].sort()).toEqual([2, 3, 4, 5, 6, 7]);
    expect(rng.int(4, 4)).toBe(4);
  });

  it('int rejects empty or non-integer ranges', () => {
    const rng = makeRng('bad');
    expect(() => rng.int(3, 2)).toThrow(/cannot draw an integer/);
    expect(() => rng.int(0.5, 2)).toThrow(/cannot draw an integer/);
  });
});

describe('deriveSeed and trialSeed', () => {
  it('are pinned: these values must not change, or every reported seed stops reproducing', () => {
    expect(deriveSeed('matcheck', 'tr-AXB')).toBe('088ef23d7b269202');
    expect(trialSeed('088ef23d7b269202', 0)).toBe('92e6ec5af7c3f357');
    expect(hashParts([])).toBe('efd01f60ba992926');
  });

  it('equal FNV-1a + fmix64 computed in 64-bit BigInt arithmetic, on many inputs', () => {
    const M = (1n << 64n) - 1n;
    const reference = (parts: string[]): string => {
      let h = 0xcbf29ce484222325n;
      for (const p of parts) {
        const bytes = new TextEncoder().encode(p);
        for (const b of [...new TextEncoder().encode(`${bytes.length}:`), ...bytes]) h = ((h ^ BigInt(b)) * 0x100000001b3n) & M;
      }
      h ^= h >> 33n;
      h = (h * 0xff51afd7ed558ccdn) & M;
      h ^= h >> 33n;
      h = (h * 0xc4ceb9fe1a85ec53n) & M;
      h ^= h >> 33n;
      return h.toString(16).padStart(16, '0');
    };
    const rng = makeRng('hash-property');
    for (let i = 0; i < 500; i++) {
      const parts = Array.from({ length: rng.int(0, 4) }, () => String.fromCharCode(...Array.from({ length: rng.int(0, 12) }, () => rng.int(32, 0x3ff))));
      expect(hashParts(parts)).toBe(reference(parts));
    }
    // A part longer than one call's arguments, with characters of 1 to 4 UTF-8 bytes.
    const long = ['é', 'x', '中', '😀'].join('').repeat(30000);
    expect(hashParts(['row', long])).toBe(reference(['row', long]));
  });

  it('write 16 hex digits', () => {
    for (const id of ['', 'a', 'x'.repeat(1000), 'ünïcödé', 'tr-AXB']) {
      expect(deriveSeed('t', id)).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it("give each row the same draws however the table's rows are ordered or extended", () => {
    const drawsOf = (rows: string[]) =>
      new Map(rows.map((id) => [id, Array.from(draws(makeRng(trialSeed(deriveSeed('table', id), 1)), 10))]));
    const before = drawsOf(['tr-AXB', 'd-inv', 'quad-form-hessian']);
    const after = drawsOf(['new-row', 'quad-form-hessian', 'tr-AXB', 'another', 'd-inv']);
    for (const [id, xs] of before) expect(after.get(id)).toEqual(xs);
  });

  it('separate rows, tables and trials', () => {
    const seeds = new Set<string>();
    for (let i = 0; i < 1000; i++) seeds.add(deriveSeed('table', `row${i}`));
    expect(seeds.size).toBe(1000);
    expect(deriveSeed('table', 'row')).not.toBe(deriveSeed('other', 'row'));
    // No ambiguity at the separator.
    expect(deriveSeed('a/b', 'c')).not.toBe(deriveSeed('a', 'b/c'));
    expect(deriveSeed('ab', 'c')).not.toBe(deriveSeed('a', 'bc'));
    const trials = new Set<string>();
    for (let t = 0; t < 100; t++) trials.add(trialSeed('088ef23d7b269202', t));
    expect(trials.size).toBe(100);
    expect(trials.has('088ef23d7b269202')).toBe(false);
  });

  it('mix neighbouring ids across all 64 bits', () => {
    // ids differing in the last character should differ in ~32 of 64 bits.
    // Over 999 pairs the mean Hamming distance has sd 4/sqrt(999) ~ 0.13,
    // so [30, 34] is a loose bound. Plain FNV-1a, without the finaliser,
    // averages about 11 here: its hashes of such ids differ by a small
    // multiple of the FNV prime.
    let total = 0;
    for (let i = 0; i < 999; i++) {
      const a = BigInt(`0x${deriveSeed('t', `row${i}`)}`);
      const b = BigInt(`0x${deriveSeed('t', `row${i + 1}`)}`);
      total += popcount(a ^ b);
    }
    expect(total / 999).toBeGreaterThan(30);
    expect(total / 999).toBeLessThan(34);
  });

  it('reject a trial number that is not a non-negative integer', () => {
    expect(() => trialSeed('s', -1)).toThrow(/non-negative integer/);
    expect(() => trialSeed('s', 1.5)).toThrow(/non-negative integer/);
  });
});

import { describe, it, expect } from 'vitest';
import type { BaseKind, Kind } from '../../src/shapes/kinds.js';
import { sampleKind } from '../../src/sample/kinds.js';
import { haarOrthogonal } from '../../src/sample/orthogonal.js';
import { makeRng } from '../../src/sample/rng.js';
import {
  bits,
  choleskySucceeds,
  conditionNumber,
  determinant,
  distanceFromIdentity,
  moments,
  singularValues,
  symmetricEigenvalues,
  timesTranspose,
  transposeTimes,
} from './linalg.js';

const kind = (base: BaseKind, positive = false): Kind => ({ base, positive, dims: [] });

// 200 draws per check, with sizes cycling through 1..8 so that the 1 x 1
// edge case and sizes past the default range are both covered.
const CASES = Array.from({ length: 200 }, (_, i) => ({ seed: `kinds-${i}`, n: 1 + (i % 8) }));

function expectExactlySymmetric(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) for (let i = 0; i < j; i++) expect(a[i + j * n]).toBe(a[j + i * n]);
}

function expectDiagonal(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) if (i !== j) expect(Object.is(a[i + j * n], 0)).toBe(true);
}

function expectPositive(a: Float64Array): void {
  for (const x of a) {
    expect(x).toBeGreaterThanOrEqual(0.5);
    expect(x).toBeLessThan(2);
  }
}

// Rounding slack for bounds that hold exactly in real arithmetic: these
// matrices are products of a few n x n factors with entries of order 1.
const SLACK = 1e-12;

describe('sampleKind: plain kinds', () => {
  it('gives the requested number of entries', () => {
    const rng = makeRng('shapes');
    expect(sampleKind(kind('scalar'), 1, 1, rng)).toHaveLength(1);
    expect(sampleKind(kind('vector'), 5, 1, rng)).toHaveLength(5);
    expect(sampleKind(kind('matrix'), 3, 4, rng)).toHaveLength(12);
    expect(sampleKind(kind('spd'), 4, 4, rng)).toHaveLength(16);
  });

  it('draws scalar, vector and matrix entries as standard normals', () => {
    // 200,000 entries: sd(mean) ~ 0.0022, sd(variance) ~ 0.0032; bounds 0.015 and
    // 0.02 are over 6 sd, so only a wrong distribution fails (the seed is fixed).
    const a = sampleKind(kind('matrix'), 400, 500, makeRng('matrix-moments'));
    const { mean, variance } = moments(a);
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });

  it('symmetric: exactly its transpose; (G+G\')/2 gives variance 1 on the diagonal, 1/2 off it', () => {
    for (const { seed, n } of CASES) expectExactlySymmetric(sampleKind(kind('symmetric'), n, n, makeRng(seed)), n);
    const n = 300;
    const a = sampleKind(kind('symmetric'), n, n, makeRng('symmetric-moments'));
    const diag: number[] = [];
    const off: number[] = [];
    for (let j = 0; j < n; j++) for (let i = 0; i <= j; i++) (i === j ? diag : off).push(a[i + j * n]);
    // 300 diagonal entries: sd(variance) ~ sqrt(2/300) ~ 0.08, bound 0.4 (5 sd).
    // 44,850 off-diagonal entries of variance 1/2: sd ~ 0.5*sqrt(2/44850) ~ 0.0033, bound 0.02.
    expect(Math.abs(moments(diag).variance - 1)).toBeLessThan(0.4);
    expect(Math.abs(moments(off).variance - 0.5)).toBeLessThan(0.02);
  });

  it('spd: exactly symmetric, Cholesky succeeds, eigenvalues in [0.5, 2), condition number < 4', () => {
    for (const { seed, n } of CASES) {
      const a = sampleKind(kind('spd'), n, n, makeRng(seed));
      expectExactlySymmetric(a, n);
      expect(choleskySucceeds(a, n)).toBe(true);
      const eig = symmetricEigenvalues(a, n);
      expect(eig[0]).toBeGreaterThan(0.5 - SLACK);
      expect(eig[n - 1]).toBeLessThan(2 + SLACK);
      expect(eig[n - 1] / eig[0]).toBeLessThan(4 + SLACK);
    }
  });

  it('diagonal: off-diagonal exactly 0, normal diagonal', () => {
    for (const { seed, n } of CASES) expectDiagonal(sampleKind(kind('diagonal'), n, n, makeRng(seed)), n);
    const n = 2000;
    const a = sampleKind(kind('diagonal'), n, n, makeRng('diagonal-moments'));
    const d = Array.from({ length: n }, (_, i) => a[i + i * n]);
    // sd(mean) ~ 0.022, sd(variance) ~ 0.032: bounds 0.12 and 0.16 are 5 sd.
    expect(Math.abs(moments(d).mean)).toBeLessThan(0.12);
    expect(Math.abs(moments(d).variance - 1)).toBeLessThan(0.16);
  });

  it("orthogonal: Q'Q = QQ' = I within 1e-14", () => {
    for (const { seed, n } of CASES) {
      const q = sampleKind(kind('orthogonal'), n, n, makeRng(seed));
      expect(distanceFromIdentity(transposeTimes(q, q, n), n)).toBeLessThan(1e-14);
      expect(distanceFromIdentity(timesTranspose(q, q, n), n)).toBeLessThan(1e-14);
    }
  });

  it('orthogonal: Haar-distributed (the sign fix is applied)', () => {
    // Under Haar measure every entry has mean 0 and variance 1/n, and det = +1
    // and -1 are equally likely. Without the sign fix, Householder QR gives
    // Q[0,0] = -|g11|/|g1| < 0 always. 4000 draws of n = 3: sd of a mean entry
    // ~ 0.577/sqrt(4000) ~ 0.009, bound 0.05; sd of the det share ~ 0.008, bound 0.04.
    const n = 3;
    const draws = 4000;
    const sums = new Float64Array(n * n);
    let positiveDet = 0;
    for (let t = 0; t < draws; t++) {
      const q = haarOrthogonal(n, makeRng(`haar-${t}`));
      for (let i = 0; i < n * n; i++) sums[i] += q[i];
      if (determinant(q, n) > 0) positiveDet++;
    }
    for (const s of sums) expect(Math.abs(s / draws)).toBeLessThan(0.05);
    expect(Math.abs(positiveDet / draws - 0.5)).toBeLessThan(0.04);
  });

  it('invertible: singular values in [0.5, 2), condition number < 4', () => {
    for (const { seed, n } of CASES) {
      const a = sampleKind(kind('invertible'), n, n, makeRng(seed));
      const s = singularValues(a, n);
      expect(s[0]).toBeGreaterThan(0.5 - SLACK);
      expect(s[n - 1]).toBeLessThan(2 + SLACK);
      expect(conditionNumber(a, n)).toBeLessThan(4 + SLACK);
    }
  });

  it('invertible: not symmetric, and both signs of the determinant occur', () => {
    let negative = 0;
    for (const { seed } of CASES) {
      const a = sampleKind(kind('invertible'), 3, 3, makeRng(seed));
      expect(a[1]).not.toBe(a[3]);
      if (determinant(a, 3) < 0) negative++;
    }
    expect(negative).toBeGreaterThan(50);
    expect(negative).toBeLessThan(150);
  });
});

describe('sampleKind: positive kinds', () => {
  it('scalar, vector, matrix: entries in [0.5, 2)', () => {
    for (const { seed, n } of CASES) {
      const rng = makeRng(seed);
      expectPositive(sampleKind(kind('scalar', true), 1, 1, rng));
      expectPositive(sampleKind(kind('vector', true), n, 1, rng));
      expectPositive(sampleKind(kind('matrix', true), n, n + 1, rng));
    }
  });

  it('symmetric: entries in [0.5, 2), exactly symmetric', () => {
    for (const { seed, n } of CASES) {
      const a = sampleKind(kind('symmetric', true), n, n, makeRng(seed));
      expectPositive(a);
      expectExactlySymmetric(a, n);
    }
  });

  it('diagonal: diagonal in [0.5, 2), off-diagonal exactly 0', () => {
    for (const { seed, n } of CASES) {
      const a = sampleKind(kind('diagonal', true), n, n, makeRng(seed));
      expectDiagonal(a, n);
      for (let i = 0; i < n; i++) {
        expect(a[i + i * n]).toBeGreaterThanOrEqual(0.5);
        expect(a[i + i * n]).toBeLessThan(2);
      }
    }
  });

  it('spd: entries > 0, exactly symmetric, Cholesky succeeds, condition number < 3.2', () => {
    for (const { seed, n } of CASES) {
      const a = sampleKind(kind('spd', true), n, n, makeRng(seed));
      for (const x of a) expect(x).toBeGreaterThanOrEqual(0.5);
      expectExactlySymmetric(a, n);
      expect(choleskySucceeds(a, n)).toBe(true);
      const eig = symmetricEigenvalues(a, n);
      // Gershgorin: eigenvalues in [2n - 1.5, 6n - 4) for n >= 2; [0.5, 2) for n = 1.
      expect(eig[0]).toBeGreaterThan(n === 1 ? 0.5 - SLACK : 2 * n - 1.5 - SLACK);
      expect(eig[n - 1] / eig[0]).toBeLessThan(3.2);
    }
  });

  it('invertible: entries > 0, not symmetric, condition number < 3.2', () => {
    for (const { seed, n } of CASES) {
      const a = sampleKind(kind('invertible', true), n, n, makeRng(seed));
      for (const x of a) expect(x).toBeGreaterThanOrEqual(0.5);
      if (n > 1) expect(a[1]).not.toBe(a[n]);
      // Johnson's bound: sigma_min > 2n - 1.5 for n >= 2.
      if (n > 1) expect(singularValues(a, n)[0]).toBeGreaterThan(2 * n - 1.5 - SLACK);
      expect(conditionNumber(a, n)).toBeLessThan(3.2);
    }
  });
});

describe('sampleKind: determinism and errors', () => {
  it('gives identical bits for the same seed, for every kind', () => {
    const bases: BaseKind[] = ['scalar', 'vector', 'matrix', 'symmetric', 'spd', 'diagonal', 'orthogonal', 'invertible'];
    for (const { seed, n } of CASES.slice(0, 40)) {
      for (const base of bases) {
        for (const positive of base === 'orthogonal' ? [false] : [false, true]) {
          const rows = base === 'scalar' ? 1 : n;
          const cols = base === 'scalar' || base === 'vector' ? 1 : base === 'matrix' ? n + 2 : n;
          const a = sampleKind(kind(base, positive), rows, cols, makeRng(seed));
          const b = sampleKind(kind(base, positive), rows, cols, makeRng(seed));
          expect(bits(a)).toEqual(bits(b));
        }
      }
    }
  });

  it('rejects shapes the kind cannot have', () => {
    const rng = makeRng('errors');
    expect(() => sampleKind(kind('scalar'), 2, 1, rng)).toThrow(/1 x 1/);
    expect(() => sampleKind(kind('vector'), 3, 2, rng)).toThrow(/column/);
    expect(() => sampleKind(kind('spd'), 3, 4, rng)).toThrow(/square/);
    expect(() => sampleKind(kind('matrix'), 0, 4, rng)).toThrow(/positive integers/);
    expect(() => sampleKind(kind('orthogonal', true), 3, 3, rng)).toThrow(/orthogonal/);
  });
});

describe('sampleKind: the size limit of Haar-drawn kinds', () => {
  const k = (base: BaseKind, positive = false): Kind => ({ base, positive, dims: [] }) as unknown as Kind;
  it.each(['spd', 'invertible', 'orthogonal'] as const)('%s above 512 x 512 is E_SIZE, before any work, with what to do instead', (base) => {
    expect(() => sampleKind(k(base), 513, 513, makeRng('big'))).toThrow(new RegExp(`^${base}\\(513\\) is drawn from Haar-random orthogonal factors, work that grows as n\\^3`));
    const error = (() => {
      try {
        sampleKind(k(base), 600, 600, makeRng('big'));
      } catch (e) {
        return e as { code: string; hint: string };
      }
    })();
    expect(error?.code).toBe('E_SIZE');
    expect(error?.hint).toBe(base === 'orthogonal' ? 'choose n <= 512' : `choose n <= 512, or declare positive ${base}(600) (diagonally dominant, drawn in n^2 work)`);
  });

  it('positive spd and invertible (drawn in n^2 work) have no such limit', () => {
    const x = sampleKind(k('spd', true), 600, 600, makeRng('big'));
    expect(x.length).toBe(360_000);
    expect(x[0]).toBeGreaterThan(4 * 599);
  });
});

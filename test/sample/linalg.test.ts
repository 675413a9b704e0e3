// The test helpers are checked on matrices with known answers before they
// are trusted to judge the samplers.
import { describe, it, expect } from 'vitest';
import { choleskySucceeds, conditionNumber, determinant, symmetricEigenvalues } from './linalg.js';

const m = (rows: number[][]): Float64Array => {
  const n = rows.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i + j * n] = rows[i][j];
  return a;
};

describe('test linear algebra helpers', () => {
  it('Jacobi eigenvalues of known symmetric matrices', () => {
    expect(symmetricEigenvalues(m([[2, 1], [1, 2]]), 2)).toEqual([expect.closeTo(1, 14), expect.closeTo(3, 14)]);
    // Tridiagonal (2, -1): eigenvalues 2 - 2 cos(k pi / (n + 1)).
    const n = 6;
    const t = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      t[i + i * n] = 2;
      if (i + 1 < n) t[i + (i + 1) * n] = t[i + 1 + i * n] = -1;
    }
    const want = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1))).sort((x, y) => x - y);
    const got = symmetricEigenvalues(t, n);
    got.forEach((x, i) => expect(x).toBeCloseTo(want[i], 13));
  });

  it('condition number, Cholesky and determinant', () => {
    expect(conditionNumber(m([[3, 0], [0, 0.5]]), 2)).toBeCloseTo(6, 12);
    // [[1, 1], [0, 1]]: singular values golden ratio phi and 1/phi, cond = phi^2.
    const phi = (1 + Math.sqrt(5)) / 2;
    expect(conditionNumber(m([[1, 1], [0, 1]]), 2)).toBeCloseTo(phi * phi, 12);
    expect(choleskySucceeds(m([[4, 2], [2, 3]]), 2)).toBe(true);
    expect(choleskySucceeds(m([[1, 2], [2, 1]]), 2)).toBe(false);
    expect(determinant(m([[0, 1], [1, 0]]), 2)).toBe(-1);
    expect(determinant(m([[2, 1, 0], [1, 3, 1], [0, 1, 4]]), 3)).toBeCloseTo(18, 12);
  });
});

// Random directions for directional finite differences, column-major. A
// direction stays inside the structure of the variable it perturbs, so a
// symmetric X + h*D is still symmetric and a diagonal one still diagonal
// (spec section 3, conventions free-entries and projected).
import { MatcheckError } from '../errors.js';
import type { Rng } from './rng.js';

export type DirectionStructure = 'general' | 'symmetric' | 'diagonal';

/**
 * general: standard normal entries. symmetric: (G + G')/2, exactly equal to
 * its transpose. diagonal: standard normal diagonal, off-diagonal exactly 0.
 */
export function sampleDirection(structure: DirectionStructure, rows: number, cols: number, rng: Rng): Float64Array {
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows < 1 || cols < 1) {
    throw new MatcheckError({ code: 'E_SAMPLE', stage: 'sample', message: `cannot sample a direction of shape ${rows} x ${cols}` });
  }
  if (structure !== 'general' && rows !== cols) {
    throw new MatcheckError({
      code: 'E_SAMPLE',
      stage: 'sample',
      message: `a ${structure} direction is square, not ${rows} x ${cols}`,
    });
  }
  const n = rows;
  switch (structure) {
    case 'general': {
      const d = new Float64Array(rows * cols);
      for (let i = 0; i < d.length; i++) d[i] = rng.normal();
      return d;
    }
    case 'symmetric': {
      const d = new Float64Array(n * n);
      for (let i = 0; i < d.length; i++) d[i] = rng.normal();
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < j; i++) {
          const m = (d[i + j * n] + d[j + i * n]) / 2;
          d[i + j * n] = m;
          d[j + i * n] = m;
        }
      }
      return d;
    }
    case 'diagonal': {
      const d = new Float64Array(n * n);
      for (let i = 0; i < n; i++) d[i + i * n] = rng.normal();
      return d;
    }
  }
}

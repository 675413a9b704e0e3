// Random directions for directional finite differences, column-major. A
// direction stays inside the structure of the variable it perturbs, so a
// symmetric X + h*D is still symmetric and a diagonal one still diagonal
// (spec section 3, conventions free-entries and projected).
import { MatcheckError } from '../errors.js';
import { diagonal, normals, symmetrized } from './kinds.js';
import type { Rng } from './rng.js';

export type DirectionStructure = 'general' | 'symmetric' | 'diagonal';

/**
 * general: standard normal entries. symmetric: (G + G')/2, exactly equal to
 * its transpose. diagonal: standard normal diagonal, off-diagonal exactly 0.
 */
export function sampleDirection(structure: DirectionStructure, rows: number, cols: number, rng: Rng): Float64Array {
  const d = new Float64Array(rows * cols);
  fillDirection(d, 0, structure, rows, cols, rng);
  return d;
}

/**
 * sampleDirection written into out[at ...] (engine memory, in a check: a
 * Float64Array of more than 64 bytes costs about a microsecond to allocate
 * in Node 20). Every entry of the block is written.
 */
export function fillDirection(out: Float64Array, at: number, structure: DirectionStructure, rows: number, cols: number, rng: Rng): void {
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
  const len = rows * cols;
  switch (structure) {
    case 'general':
      rng.normals(out, at, len);
      return;
    case 'symmetric':
      // The draws of a symmetric(n) or diagonal(n) value: a direction has its variable's structure.
      return symmetrized(n, rng, normals, out, at);
    case 'diagonal':
      return diagonal(n, rng, normals, out, at);
  }
}

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
  fillDirections(d, 0, 1, structure, rows, cols, rng);
  return d;
}

/**
 * `count` directions, the draws of `count` sampleDirection calls, written
 * one block after another into out[at ...] (engine memory, in a check: a
 * Float64Array of more than 64 bytes costs about a microsecond to allocate
 * in Node 20). Every entry of the blocks is written.
 */
export function fillDirections(out: Float64Array, at: number, count: number, structure: DirectionStructure, rows: number, cols: number, rng: Rng): void {
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
  // General blocks are consecutive normals: one engine call draws them all.
  if (structure === 'general') return rng.normals(out, at, count * len);
  for (let j = 0; j < count; j++) {
    // The draws of a symmetric(n) or diagonal(n) value: a direction has its variable's structure.
    if (structure === 'symmetric') symmetrized(n, rng, normals, out, at + j * len);
    else diagonal(n, rng, normals, out, at + j * len);
  }
}

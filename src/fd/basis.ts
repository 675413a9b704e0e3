// The basis of an entry-wise comparison for a structured wrt, and the
// gradient assembled from it in the convention's form (spec section 3):
// shared by the formula checker (claims.ts) and checkGradient.
import type { Convention } from '../row.js';
import type { DirectionStructure } from '../sample/index.js';

/** The basis directions: [p, q] perturbs entries p and q together (q = -1: p alone); a symmetric pair moves together. */
export function basisPairs(structure: DirectionStructure, rows: number, cols: number): [number, number][] {
  const pairs: [number, number][] = [];
  const n = rows;
  if (structure === 'symmetric') for (let j = 0; j < n; j++) for (let i = 0; i <= j; i++) pairs.push([i + j * n, i === j ? -1 : j + i * n]);
  else if (structure === 'diagonal') for (let i = 0; i < n; i++) pairs.push([i + i * n, -1]);
  else for (let p = 0; p < rows * cols; p++) pairs.push([p, -1]);
  return pairs;
}

/**
 * wrt-shaped values (len entries) from one value per basis pair: the pair's
 * derivative is the free entry's; projected halves an off-diagonal one.
 * Entries no pair moves (off the diagonal of a diagonal wrt) are 0, exactly.
 */
export function inConventionForm(perPair: ArrayLike<number>, pairs: readonly (readonly [number, number])[], convention: Convention, len: number): Float64Array {
  const out = new Float64Array(len);
  pairs.forEach(([p, q], b) => {
    out[p] = perPair[b] * (q >= 0 && convention === 'projected' ? 0.5 : 1);
    if (q >= 0) out[q] = out[p];
  });
  return out;
}

// Gradients with respect to a structured argument (a symmetric, spd or
// diagonal kind): its entries are not independent, and the convention says
// which gradient is meant (spec section 3; the formula checker's
// src/fd/claims.ts does the same in the engine). free-entries (default):
// G + G' - diag(diag(G)) for a symmetric X, G .* I for a diagonal one;
// projected: (G + G')/2, G .* I; unconstrained: G, the structure ignored.
// Directions respect the structure under the first two.
import { STRUCTURE_TOLERANCE } from '../check/trial.js';
import { directionStructure } from '../fd/claims.js';
import type { Convention } from '../row.js';
import type { DirectionStructure } from '../sample/index.js';
import type { Kind } from '../shapes/kinds.js';
import type { EngineScratch } from './engine.js';
import { transposeData } from './matrix.js';

export const CONVENTIONS: readonly Convention[] = ['free-entries', 'projected', 'unconstrained'];
export const DEFAULT_CONVENTION: Convention = 'free-entries';

/** The structure an argument's directions have: a Jacobian is always of the general entries (as in checkFormula). */
export function argStructure(kind: Kind | undefined, claim: 'grad' | 'jacobian' | 'vjp', convention: Convention): DirectionStructure {
  return claim === 'jacobian' ? 'general' : directionStructure(kind, convention);
}

/**
 * The claimed gradient g applied to a direction d of the structure: <g, d>,
 * but under free-entries for a symmetric argument each free entry once
 * (sum over i <= j of g_ij d_ij), as g holds the derivative for X_ij and X_ji together.
 */
export function claimedAlong(scratch: EngineScratch, g: Float64Array, dir: Float64Array, structure: DirectionStructure, convention: Convention, n: number): number {
  const free = structure === 'symmetric' && convention === 'free-entries';
  return free ? scratch.paired(g, dir, 0.5, n) : scratch.dot(g, dir);
}

/**
 * How far an n x n claimed gradient is from the structure, relative to its
 * size (0 when it has it): under free-entries and projected the gradient of a
 * symmetric argument is symmetric, of a diagonal one diagonal, and the
 * directions cannot see a part that is not.
 */
export function structureResidual(scratch: EngineScratch, g: Float64Array, structure: DirectionStructure, n: number): number {
  if (structure === 'general') return 0;
  const t = structure === 'symmetric' ? transposeData(g, n, n) : g.map((v, i) => (i % n === Math.floor(i / n) ? v : 0));
  return scratch.relErr(g, t);
}

/** A claim further than this from its structure fails (checkFormula's rule). */
export const structureLimit = (tolerance: number): number => Math.max(STRUCTURE_TOLERANCE, tolerance);

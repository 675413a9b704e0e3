// Naming a failing check's worst entries: an entry-wise pass at the failing
// point, run only while it costs about as much as the check itself.
import type { JudgedTrial, TrialContext } from './trial.js';

/**
 * The most entry-wise directions (entries of wrt, pairs of them for a
 * Hessian) a failing directional check is examined along to name its worst
 * entries: 6 evaluations of f each, where the whole check took about 25.
 */
export const MAX_LOCATED_DIRECTIONS = 1024;

/**
 * Whether a failing directional check runs the entry-wise pass over
 * `directions` (a check in entry-wise mode has its entries already).
 */
export function runsEntrywisePass(directions: number): boolean {
  return directions <= MAX_LOCATED_DIRECTIONS;
}

/** What a failing check in `mode` adds to its message when it lists directions, not entries ('' when it names entries). */
export function unlocatedNote(mode: 'directional' | 'entrywise', directions: number): string {
  if (mode === 'entrywise' || runsEntrywisePass(directions)) return '';
  return `; the worst random directions are listed, not entries: naming entries takes ${directions} entry-wise differences, more than the ${MAX_LOCATED_DIRECTIONS} matcheck runs for a failing check (check at smaller sizes, or in entry-wise mode, to see them)`;
}

/** How many directions an entry-wise comparison of this row takes (0 for an identity: it compares entries directly). */
export function entrywiseDirections(ctx: TrialContext, j: JudgedTrial): number {
  const wrt = ctx.program.wrt;
  if (wrt === undefined) return 0;
  const x = j.trial.input(wrt);
  const entries = x.rows * x.cols;
  return ctx.setup.type === 'hessian' ? entries * entries : entries;
}

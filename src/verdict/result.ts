// The result of checking one row: the same object the library returns and
// the CLI prints as JSON (`rows[]` of `matcheck table --json`).
import type { ClaimType, Verdict } from '../row.js';

export interface WorstEntry {
  /** Where, e.g. `d/dX[2,1]` or `direction 1`. */
  entry: string;
  /** 0-based index into the compared block (column-major). */
  index: number;
  claimed: number;
  numerical: number;
}

export type DiagnosisKind = 'transposed' | 'factor' | 'sign' | 'symmetric-only' | 'convention' | 'localized' | 'factor-order';

export interface Diagnosis {
  kind: DiagnosisKind;
  /** Plain words, e.g. "correct up to transpose: the formula is in numerator layout". */
  detail: string;
  /** The factor k of a constant-factor diagnosis. */
  factor?: number;
}

export interface RowResult {
  id: string;
  file?: string;
  line?: number;
  source?: string;
  /** The row's claim type (absent when the row makes none it could read). */
  claim?: ClaimType;
  verdict: Verdict;
  /** What the row expects (`expect:`, default pass). */
  expected: Verdict;
  /** The verdict met the expectation. */
  met: boolean;
  /** Largest relative error over the trials judged (null when none was). */
  relErr: number | null;
  tolerance: number | null;
  trials: number;
  /** The row's seed: with the same table, it reproduces every draw. */
  seed: string;
  /** The sizes of the trial reported (the failing one, or the worst). */
  dims: Record<string, number>;
  /** The trial reported (0-based), whose seed is trialSeed(seed, trial). */
  trial: number | null;
  worst: WorstEntry[];
  diagnosis: Diagnosis | null;
  message: string | null;
  /** For an error: the row field it is in (`f`, `grad`, `vars.X`...). */
  field?: string;
  mode: 'directional' | 'entrywise';
}

// The whole numerical and claimed derivative of a failing formula row at the
// point where it failed, for a matcher's readable diff. A RowResult keeps
// only the worst entries, so the failing trial is drawn again from its seed
// exactly as checkFormula draws it (same context, same generator calls) and
// compared entry-wise. The caller checks the replay against the result's
// worst entry and drops it on any mismatch.
import { DEFAULT_DIRECTIONS, type CheckOptions } from '../check/formula.js';
import { drawPoint, judgeAt, type JudgedTrial, type TrialContext } from '../check/trial.js';
import { lower } from '../compile/lower.js';
import { claimOf, type FormulaRow } from '../row.js';
import { sharedEngine } from '../run/module.js';
import { makeRng, trialSeed } from '../sample/index.js';
import { analyze } from '../shapes/analyze.js';
import { MAX_DRAWS } from '../check/formula.js';
import type { RowResult } from '../verdict/result.js';

export interface FormulaDetail {
  rows: number;
  cols: number;
  numerical: Float64Array;
  claimed: Float64Array;
  entryName: (i: number) => string;
  /** The claim was written with the transposed shape (the claimed values here are transposed back). */
  claimTransposed: boolean;
}

export function formulaDetail(row: FormulaRow, result: RowResult, options: CheckOptions): FormulaDetail | undefined {
  if (result.trial === null || result.verdict !== 'fail') return undefined;
  try {
    const claim = claimOf(row)!;
    const analysis = analyze({ vars: row.vars, f: String(row.f), wrt: row.wrt, claim, layout: row.layout, convention: row.convention });
    const program = lower(analysis);
    const ctx: TrialContext = {
      engine: options.engine ?? sharedEngine(),
      analysis,
      program,
      setup: {
        type: claim.type,
        wrtKind: analysis.wrt?.kind,
        layout: row.layout,
        convention: row.convention ?? 'free-entries',
        claimTransposed: analysis.claimTransposed,
        directions: options.directions ?? DEFAULT_DIRECTIONS,
      },
      fixedDims: row.dims ?? {},
      tolerance: row.tolerance ?? options.tolerance,
    };
    const mode = options.mode ?? 'directional';
    const rng = makeRng(trialSeed(result.seed, result.trial));
    let judged: JudgedTrial | undefined;
    for (let draw = 0; draw < MAX_DRAWS && !judged; draw++) {
      const { trial, sizes } = drawPoint(ctx, rng);
      const outcome = judgeAt(ctx, trial, sizes, rng, mode);
      if (outcome.kind === 'judged') judged = outcome;
    }
    if (!judged) return undefined;
    const detail = mode === 'entrywise' ? judged : judgeAt(ctx, judged.trial, judged.sizes, makeRng(trialSeed(result.seed, result.trial)), 'entrywise');
    if (detail.kind !== 'judged') return undefined;
    const c = detail.comparison;
    const m = detail.trial.memory;
    return { rows: c.rows, cols: c.cols, numerical: m.read(c.num, c.len), claimed: m.read(c.claim, c.len), entryName: c.entryName, claimTransposed: analysis.claimTransposed };
  } catch {
    return undefined;
  }
}

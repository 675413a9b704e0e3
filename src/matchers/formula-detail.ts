// The whole numerical and claimed derivative of a failing formula row at the
// point where it failed, for a matcher's readable diff. A RowResult keeps
// only the worst entries, so the failing trial is drawn again from its seed
// exactly as checkFormula draws it (same context, same generator calls) and
// compared entry-wise. The caller checks the replay against the result's
// worst entry and drops it on any mismatch.
import { drawJudged, trialContext, type CheckOptions } from '../check/formula.js';
import { entrywiseDirections, runsEntrywisePass } from '../check/locating.js';
import { judgeAt } from '../check/trial.js';
import type { FormulaRow } from '../row.js';
import { makeTrialRng } from '../sample/index.js';
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
    const ctx = trialContext(row, options);
    const mode = options.mode ?? 'directional';
    const { judged } = drawJudged(ctx, makeTrialRng(result.seed, result.trial, ctx.engine), mode);
    if (!judged) return undefined;
    // Past the limit checkFormula named no entries (its worst are directions),
    // so a replay would not match them: it would only take far longer than the check.
    if (mode !== 'entrywise' && !runsEntrywisePass(entrywiseDirections(ctx, judged))) return undefined;
    const detail = mode === 'entrywise' ? judged : judgeAt(ctx, judged.trial, judged.sizes, makeTrialRng(result.seed, result.trial, ctx.engine), 'entrywise');
    if (detail.kind !== 'judged') return undefined;
    const c = detail.comparison;
    const m = detail.trial.memory;
    return { rows: c.rows, cols: c.cols, numerical: m.read(c.num, c.len), claimed: m.read(c.claim, c.len), entryName: c.entryName, claimTransposed: ctx.analysis.claimTransposed };
  } catch {
    return undefined;
  }
}

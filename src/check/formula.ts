// Checking one formula row: parse and type it, compile it once, then run
// trials (fresh sizes and values each) until one fails or all pass. A
// failing directional trial is re-examined entry-wise on the same point to
// name the worst entries.
import { isMatcheckError, MatcheckError, renderError } from '../errors.js';
import { sharedEngine, type Engine } from '../run/module.js';
import { checkRow, claimOf, type Claim, type FormulaRow, type Mode, type Verdict } from '../row.js';
import { checkCommonOptions, checkDimNames, FORMULA_OPTION_NAMES, TABLE_OPTION_HINTS } from './options.js';
import { deriveSeed, makeTrialRng, type Rng } from '../sample/index.js';
import { mentions } from '../shapes/analyze.js';
import { compiled, dimNamesOf } from './compiled-rows.js';
import { entrywiseDirections, runsEntrywisePass, unlocatedNote } from './locating.js';
import { diagnose, withClaim } from '../verdict/diagnose.js';
import type { RowResult } from '../verdict/result.js';
import { CLAIM_REASONS, drawPoint, judgeAt, REASON_TEXT, worstEntries, type JudgedTrial, type RedrawReason, type TrialContext } from './trial.js';
import { resolvable, unresolvedMessage } from '../verdict/judge.js';

export interface CheckOptions {
  /** Table seed; a row's seed is derived from it and the row id (unless the row has its own). */
  seed?: string | number;
  trials?: number;
  /** Number of random directions per trial in directional mode. */
  directions?: number;
  mode?: Mode;
  tolerance?: number;
  engine?: Engine;
  /** Say what the mistake of a failing claim most likely is (default true). */
  diagnose?: boolean;
}

export const DEFAULT_SEED = '1';
export const DEFAULT_TRIALS = 3;
export const DEFAULT_DIRECTIONS = 4;
/** Draws per trial before a row is an error for want of a valid point. */
export const MAX_DRAWS = 25;

function baseResult(row: FormulaRow, id: string, seed: string, mode: Mode): RowResult {
  const claim = claimOf(row);
  return {
    id,
    source: typeof row.source === 'string' ? row.source : undefined,
    claim: claim?.type,
    verdict: 'error',
    expected: row.expect === 'fail' || row.expect === 'error' ? row.expect : 'pass',
    met: false,
    relErr: null,
    tolerance: null,
    trials: 0,
    seed,
    dims: {},
    trial: null,
    worst: [],
    diagnosis: null,
    message: null,
    mode,
  };
}

function finish(r: RowResult, verdict: Verdict, message: string | null): RowResult {
  r.verdict = verdict;
  r.message = message;
  r.met = verdict === r.expected;
  return r;
}

export function checkFormula(row: FormulaRow, options: CheckOptions = {}): RowResult {
  return checkFormulaLocating(row, options, true);
}

/** checkFormula; `locate`: name a failing row's worst entries (a diagnosis's rechecks need only the verdict). */
function checkFormulaLocating(row: FormulaRow, options: CheckOptions, locate: boolean): RowResult {
  // The result is built before the row and options are checked (a bad one is this result's error).
  const r: Partial<FormulaRow> = typeof row === 'object' && row !== null ? row : {};
  const o: CheckOptions = typeof options === 'object' && options !== null ? options : {};
  // A number written as an id is its text, as in a table (id: 5 is '5').
  const id = typeof r.id === 'string' ? r.id : typeof r.id === 'number' ? String(r.id) : 'formula';
  const seed = typeof r.seed === 'string' || typeof r.seed === 'number' ? String(r.seed) : deriveSeed(String(o.seed ?? DEFAULT_SEED), id);
  const mode: Mode = o.mode === 'entrywise' ? 'entrywise' : 'directional';
  const result = baseResult(r as FormulaRow, id, seed, mode);
  try {
    checkRow(row);
    checkCommonOptions(options, FORMULA_OPTION_NAMES, TABLE_OPTION_HINTS);
    return run(row, options, result, seed, mode, locate);
  } catch (e) {
    if (isMatcheckError(e)) {
      result.field = e.field;
      return finish(result, 'error', renderError(e));
    }
    // A bug of matcheck's own is this row's error, not the end of its table.
    const what = e instanceof Error ? e.message : String(e);
    return finish(result, 'error', `internal error in matcheck: ${what}. Please report it with this row and its seed (${seed}).`);
  }
}

/** What every trial of a row shares: the compiled row, the claim's setup, fixed sizes, tolerance. */
export function trialContext(row: FormulaRow, options: CheckOptions): TrialContext {
  const claim = claimOf(row);
  if (!claim) {
    throw new MatcheckError({ code: 'E_NO_CLAIM', stage: 'check', message: 'the row makes no claim', hint: 'add one of grad, jacobian, differential, hessian or equals' });
  }
  const { analysis, program } = compiled(row, claim);
  checkDimNames(row.dims, dimNamesOf(analysis), 'kind of this row', (name) => `dims.${name}`);
  return {
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
}

/** What to do about a row with no valid point, for the reasons it had (most frequent first). */
function redrawAdvice(reasons: RedrawReason[], claim: Claim['type'] | undefined): string {
  if (reasons.every((r) => CLAIM_REASONS.includes(r))) {
    const so = claim === 'equals' ? 'the two sides cannot be equal there' : 'the claim cannot be its derivative there';
    return `f was defined at these points and the claim was not, so ${so}: check the claim (a log, sqrt, inverse or division that f does not have?).`;
  }
  if (reasons[0] === 'noisy') return 'If f has a large constant term, drop it (it does not change the derivative); if f is tiny, scale it up; or give a tolerance you can accept: differences are judged against it while their estimated error is below a hundredth of it.';
  return "Declare kinds that keep the formula defined (e.g. 'positive', 'spd', 'invertible').";
}

/** Draws points until one can be judged (at most MAX_DRAWS), counting why the others were drawn again. */
export function drawJudged(ctx: TrialContext, rng: Rng, mode: Mode): { judged?: JudgedTrial; reasons: Map<RedrawReason, number> } {
  const reasons = new Map<RedrawReason, number>();
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const { trial, sizes } = drawPoint(ctx, rng);
    const outcome = judgeAt(ctx, trial, sizes, rng, mode);
    if (outcome.kind === 'judged') return { judged: outcome, reasons };
    reasons.set(outcome.reason, (reasons.get(outcome.reason) ?? 0) + 1);
  }
  return { reasons };
}

/** The measured error, tolerance and point of the trial a result reports. */
function record(result: RowResult, t: number, j: JudgedTrial): void {
  result.relErr = Math.max(j.judgement.relErr, j.structureViolated ? j.comparison.structureResidual : 0);
  result.tolerance = j.judgement.tolerance;
  result.dims = j.sizes;
  result.trial = t;
}

function run(row: FormulaRow, options: CheckOptions, result: RowResult, seed: string, mode: Mode, locate: boolean): RowResult {
  const ctx = trialContext(row, options);
  const { analysis } = ctx;
  const trials = row.trials ?? options.trials ?? DEFAULT_TRIALS;
  let worst: { t: number; j: JudgedTrial } | undefined;
  // The first trial that failed only a user's tolerance below what the check resolves.
  let unresolved: { t: number; j: JudgedTrial; floor: number } | undefined;

  for (let t = 0; t < trials; t++) {
    const { judged, reasons } = drawJudged(ctx, makeTrialRng(seed, t, ctx.engine), mode);
    result.trials = t + 1;
    if (!judged) {
      const sorted = [...reasons.entries()].sort((a, b) => b[1] - a[1]);
      const why = sorted.map(([r, n]) => `${n} times ${REASON_TEXT[r]}`);
      return finish(result, 'error', `trial ${t + 1}: no valid point in ${MAX_DRAWS} draws: ${why.join('; ')}. ${redrawAdvice(sorted.map(([r]) => r), claimOf(row)?.type)}`);
    }
    const floor = resolvable(judged.judgement.differenced, judged.judgement.fdRelErr);
    if (!judged.pass && ctx.tolerance !== undefined && !analysis.claimTransposed && !judged.structureViolated && judged.judgement.relErr <= floor) {
      // Neither pass nor fail would mean anything at this point; a later
      // trial may still refute the claim beyond doubt, so go on.
      unresolved ??= { t, j: judged, floor };
      continue;
    }
    if (!worst || judged.judgement.relErr > worst.j.judgement.relErr || !judged.pass) worst = { t, j: judged };
    // A failing trial is examined further at its point, which stays in
    // engine memory only until the next trial is drawn: stop here.
    if (!judged.pass || analysis.claimTransposed) {
      worst = { t, j: judged };
      break;
    }
  }

  if (unresolved && (!worst || worst.j.pass)) {
    const { t, j, floor } = unresolved;
    record(result, t, j);
    return finish(result, 'error', unresolvedMessage('the claim', ctx.tolerance!, j.judgement.relErr, t, floor));
  }
  const { t, j } = worst!;
  record(result, t, j);
  if (j.pass && !analysis.claimTransposed) return finish(result, 'pass', null);

  const printed = analysis.claimTransposed ? `${analysis.types.printShape(analysis.claimShape!)}, but it must be ${analysis.types.printShape(analysis.expected!)}` : '';
  if (analysis.claimTransposed && j.pass) {
    // Every entry agrees once transposed: there is no worst entry to name.
    // Layouts are about gradients and Jacobians; a transposed differential or identity is just transposed.
    // A gradient is expected in the row's layout, so a transposed one is in the other; a Jacobian is
    // m x n (numerator layout) by definition, so a transposed one is in denominator layout.
    const type = claimOf(row)?.type;
    const other = type === 'grad' ? (row.layout === 'numerator' ? 'denominator' : 'numerator') : type === 'jacobian' ? 'denominator' : undefined;
    const layoutNote = other ? ` (it is in ${other} layout)` : '';
    result.diagnosis = { kind: 'transposed', detail: `correct up to transpose: the claim is ${printed}${layoutNote}` };
    return finish(result, 'fail', `the claim has the transposed shape: it is ${printed}; transposed, it agrees (relative error ${j.judgement.relErr.toExponential(1)})`);
  }
  // Name the worst entries from an entry-wise pass at the same point, unless
  // wrt is so large that the pass would take far longer than the check.
  const directions = entrywiseDirections(ctx, j);
  const examine = mode === 'directional' && locate && runsEntrywisePass(directions);
  const detail = mode === 'entrywise' ? j : examine ? judgeAt(ctx, j.trial, j.sizes, makeTrialRng(seed, t, ctx.engine), 'entrywise') : undefined;
  const shown = detail?.kind === 'judged' ? detail : j;
  result.worst = worstEntries(shown.trial, shown.comparison);
  // A differential claim that never uses its direction cannot be repaired by
  // any candidate (a diagnosis is a repair that passes): its message says why.
  const noDirection = analysis.direction !== undefined && !mentions(analysis.claim!, analysis.direction);
  if (options.diagnose !== false && !analysis.claimTransposed && !noDirection) {
    result.diagnosis = diagnose({
      row,
      analysis,
      trial: j.trial,
      comparison: j.comparison,
      entrywise: detail?.kind === 'judged' ? { trial: detail.trial, comparison: detail.comparison, tolerance: detail.judgement.tolerance } : undefined,
      recheck: (repaired) => checkFormulaLocating(repaired, { ...options, diagnose: false }, false),
    });
  }
  if (analysis.claimTransposed) {
    if (options.diagnose !== false) {
      // Transposed and wrong in another way: diagnose the transposed claim
      // (it has the right shape), checked again with the same seed.
      const inner = checkFormula(withClaim(row, `(${claimOf(row)!.text})'`), options).diagnosis;
      if (inner) result.diagnosis = { ...inner, kind: 'transposed', detail: `the claim is transposed (${printed}); transposed back, ${inner.detail}` };
    }
    return finish(result, 'fail', `the claim has the transposed shape: it is ${printed}, and transposed it is still wrong`);
  }
  if (noDirection) {
    const d = analysis.direction!;
    return finish(result, 'fail', `relative error ${j.judgement.relErr.toExponential(2)} exceeds the tolerance ${j.judgement.tolerance.toExponential(2)}: the claim never uses ${d}, so it is not a differential, which is linear in ${d} (is a d missing?)`);
  }
  const what = j.structureViolated
    ? `the claim is not ${j.comparison.structure}, but the gradient with respect to a ${j.comparison.structure} ${row.wrt} under the ${ctx.setup.convention} convention is`
    : `relative error ${j.judgement.relErr.toExponential(2)} exceeds the tolerance ${j.judgement.tolerance.toExponential(2)}`;
  const unlocated = locate ? unlocatedNote(mode, directions) : '';
  return finish(result, 'fail', what + unlocated);
}

// One trial of a row: draw sizes and a valid point, compare the claim with
// finite differences there, judge. A point outside a domain, at a kink, near
// a singular matrix or with noisy differences is drawn again, not judged.
import type { Program } from '../compile/program.js';
import { CLAIM_STATUS_SHIFT, compareDirectional, compareEntrywise, type ClaimSetup, type Comparison } from '../fd/claims.js';
import type { Engine } from '../run/module.js';
import { Trial } from '../run/trial.js';
import { drawSizes, sampleKindInto, type Rng } from '../sample/index.js';
import type { Analysis } from '../shapes/analyze.js';
import { symbolsToDraw } from './compiled-rows.js';
import { judge, type Judgement } from '../verdict/judge.js';
import type { WorstEntry } from '../verdict/result.js';

export const STATUS = { NONFINITE: 1, DOMAIN: 2, SINGULAR: 4, KINK: 8 } as const;
/** A claim that is not symmetric (diagonal) when it must be fails beyond rounding. */
export const STRUCTURE_TOLERANCE = 1e-8;

export type RedrawReason = 'domain' | 'singular' | 'nonfinite' | 'kink' | 'noisy' | 'claim-domain' | 'claim-singular' | 'claim-nonfinite';

export const REASON_TEXT: Record<RedrawReason, string> = {
  domain: 'a function left its domain (log or sqrt of a negative value, arcsin/arccos outside [-1,1], logdet of a singular matrix)',
  singular: 'a matrix was singular or nearly so',
  nonfinite: 'a value overflowed or was not a number',
  kink: 'the point sat at a kink of abs, sign, relu or norm1',
  noisy: 'the finite differences were too noisy to judge (f is tiny, or large next to how much it changes, e.g. a large constant term, or it varies too fast there)',
  'claim-domain': 'the claim left its domain where f did not (log or sqrt of a negative value, arcsin/arccos outside [-1,1], logdet of a singular matrix)',
  'claim-singular': 'a matrix in the claim was singular or nearly so where f was fine',
  'claim-nonfinite': 'the claim overflowed or was not a number where f was fine',
};

/** Reasons that lie with the claim alone: f was defined, the claim was not. */
export const CLAIM_REASONS: readonly RedrawReason[] = ['claim-domain', 'claim-singular', 'claim-nonfinite'];

function claimReasonOf(status: number): RedrawReason | undefined {
  const r = reasonOf(status);
  return r === 'domain' ? 'claim-domain' : r === 'singular' ? 'claim-singular' : r === 'nonfinite' ? 'claim-nonfinite' : undefined;
}

function reasonOf(status: number): RedrawReason | undefined {
  if (status & STATUS.DOMAIN) return 'domain';
  if (status & STATUS.SINGULAR) return 'singular';
  if (status & STATUS.NONFINITE) return 'nonfinite';
  if (status & STATUS.KINK) return 'kink';
  return undefined;
}

export interface TrialContext {
  engine: Engine;
  analysis: Analysis;
  program: Program;
  setup: ClaimSetup;
  fixedDims: Readonly<Record<string, number>>;
  tolerance?: number;
}

export interface JudgedTrial {
  kind: 'judged';
  trial: Trial;
  sizes: Record<string, number>;
  comparison: Comparison;
  judgement: Judgement;
  /** The claim lacks the structure (symmetry, diagonality) the convention requires. */
  structureViolated: boolean;
  pass: boolean;
}

export interface Redraw {
  kind: 'redraw';
  reason: RedrawReason;
}

/** Draws sizes and values for every input, and prepares the trial's memory. */
export function drawPoint(ctx: Pick<TrialContext, 'engine' | 'analysis' | 'program' | 'fixedDims'>, rng: Rng): { trial: Trial; sizes: Record<string, number> } {
  const dims = ctx.analysis.types.dims;
  const sizes = drawSizes(symbolsToDraw(ctx.analysis), ctx.fixedDims, rng);
  const trial = new Trial(ctx.engine, ctx.program, dims, sizes);
  for (const [name, value] of trial.layout.inputs) {
    if (name === ctx.program.direction) continue;
    const info = ctx.analysis.types.vars.get(name)!;
    // Straight into engine memory (the trial has made room for its inputs).
    sampleKindInto(info.kind, value.rows, value.cols, rng, trial.memory.f64, value.addr >>> 3);
  }
  return { trial, sizes };
}

/** Compares and judges at a drawn point, or says why the point must be drawn again. */
export function judgeAt(ctx: TrialContext, trial: Trial, sizes: Record<string, number>, rng: Rng, mode: 'directional' | 'entrywise'): JudgedTrial | Redraw {
  const base = trial.run('const') | trial.run('f');
  const baseReason = reasonOf(base);
  if (baseReason) return { kind: 'redraw', reason: baseReason };
  const comparison = mode === 'entrywise' ? compareEntrywise(trial, ctx.setup) : compareDirectional(trial, ctx.setup, rng);
  const reason = reasonOf(comparison.status & ((1 << CLAIM_STATUS_SHIFT) - 1)) ?? claimReasonOf(comparison.status >>> CLAIM_STATUS_SHIFT);
  if (reason) return { kind: 'redraw', reason };
  let judgement = judge(trial, comparison.num, comparison.claim, comparison.err, comparison.len, ctx.tolerance);
  if (!judgement.pass && !judgement.noisy && comparison.noise) {
    // Look again at any failure, with f's noise measured: the rounding
    // estimate can be far too small (a long reduction, a constant term that
    // cancels: (1e12+x'*x)-1e12 was off by 1e-2), and a correct formula must
    // not fail on it. A failing check costs far more anyway (entry-wise
    // pass, diagnosis), so 8 evaluations a direction are cheap here.
    // Measuring runs f's program again, whose temporaries the claim's
    // buffers may share (the claim was evaluated after f): the claimed
    // values are kept apart first.
    comparison.claim = keptApart(trial, comparison.claim, comparison.len);
    comparison.noise.measureNoise();
    judgement = judge(trial, comparison.num, comparison.claim, comparison.err, comparison.len, ctx.tolerance, true);
  }
  if (judgement.noisy) return { kind: 'redraw', reason: 'noisy' };
  const structureViolated = comparison.structureResidual > Math.max(STRUCTURE_TOLERANCE, judgement.tolerance);
  return { kind: 'judged', trial, sizes, comparison, judgement, structureViolated, pass: judgement.pass && !structureViolated };
}

/** A copy of `len` values at `addr` in a buffer of their own. */
function keptApart(trial: Trial, addr: number, len: number): number {
  const copy = trial.memory.alloc(8 * len);
  const f64 = trial.memory.f64;
  f64.copyWithin(copy >>> 3, addr >>> 3, (addr >>> 3) + len);
  return copy;
}

/** The entries where numerical and claimed values differ most, largest first. */
export function worstEntries(trial: Trial, c: Comparison, count = 3): WorstEntry[] {
  const idx = trial.memory.alloc(4 * count);
  const n = trial.engine.exports.worst(c.num, c.claim, c.len, count, idx);
  const out: WorstEntry[] = [];
  for (let k = 0; k < n; k++) {
    const i = trial.memory.i32[(idx >>> 2) + k];
    out.push({ entry: c.entryName(i), index: i, claimed: trial.memory.scalar(c.claim + 8 * i), numerical: trial.memory.scalar(c.num + 8 * i) });
  }
  return out;
}

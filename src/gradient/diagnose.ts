// Saying what is wrong with a failing JavaScript gradient, the way
// src/verdict/diagnose.ts does for formulas: each candidate mistake is
// repaired (the returned gradient transposed, scaled by a simple factor,
// negated) and the repaired gradient checked again with the same seed; a
// diagnosis is reported only when that check passes. Which arguments and
// entries are wrong comes from the entry-wise comparison at the failing point.
import { simpleFraction } from '../verdict/diagnose.js';
import { TINY } from '../verdict/judge.js';
import type { Convention } from '../row.js';
import type { Diagnosis } from '../verdict/result.js';
import type { ClaimTransform, GradientContext, Judged } from './check.js';
import { transposeData } from './matrix.js';
import { argStructure, CONVENTIONS } from './structure.js';
import { CLAIM_WORD } from './values.js';

export interface GradientDiagnosisInput {
  ctx: GradientContext;
  /** The failing trial's comparison (directional, or entry-wise in that mode). */
  judged: Judged;
  /** The entry-wise comparison at the same point, when there is one. */
  entrywise?: Judged;
  /** Checks the gradient with this repair applied (or under this convention), same options and seed otherwise: does it pass? */
  recheck: (transform: ClaimTransform | undefined, convention?: Convention) => boolean;
}

const word = (ctx: GradientContext) => CLAIM_WORD[ctx.claim];

/** Arguments (positions k in wrt) whose own block fails. */
export function failingBlocks(ctx: GradientContext, j: Judged): number[] {
  const out: number[] = [];
  j.compared.blocks.forEach((b, k) => {
    const num = j.compared.num.subarray(b.start, b.start + b.len);
    const claim = j.compared.claim.subarray(b.start, b.start + b.len);
    if (!(ctx.scratch.relErr(num, claim) <= j.judgement.tolerance)) out.push(k);
  });
  return out;
}

const names = (input: GradientDiagnosisInput, ks: readonly number[]) => ks.map((k) => input.ctx.specs[input.ctx.wrt[k]].name).join(', ');

function transposed(input: GradientDiagnosisInput, bad: readonly number[]): Diagnosis | undefined {
  const { ctx, judged } = input;
  const square = bad.filter((k) => {
    const x = judged.at.point.args[ctx.wrt[k]];
    const [r, c] = ctx.claim === 'jacobian' ? [judged.at.y.data.length, x.rows * x.cols] : [x.rows, x.cols];
    return r === c && r > 1;
  });
  if (square.length !== bad.length) return undefined;
  const set = new Set(square);
  if (!input.recheck((k, d, r, c) => (set.has(k) ? transposeData(d, r, c) : d))) return undefined;
  return { kind: 'transposed', detail: `correct up to transpose: the ${word(ctx)} returned for ${names(input, square)} is the transpose of the right one` };
}

/** Least-squares k with k * claimed ~ numerical over each failing argument's block, in the engine. */
function factor(input: GradientDiagnosisInput, bad: readonly number[]): Diagnosis | undefined {
  const { ctx, judged } = input;
  const fits = new Map<number, { value: number; text: string }>();
  for (const k of bad) {
    const b = judged.compared.blocks[k];
    const num = judged.compared.num.subarray(b.start, b.start + b.len);
    const claim = judged.compared.claim.subarray(b.start, b.start + b.len);
    const cc = ctx.scratch.dot(claim, claim);
    if (!(cc > 0)) return undefined;
    const kk = ctx.scratch.dot(num, claim) / cc;
    if (!Number.isFinite(kk) || kk === 0 || Math.abs(kk - 1) < 1e-6) return undefined;
    const fraction = simpleFraction(kk);
    fits.set(k, fraction ?? { value: kk, text: kk.toPrecision(6) });
  }
  if (!input.recheck((k, d) => (fits.has(k) ? d.map((v) => v * fits.get(k)!.value) : d))) return undefined;
  const values = [...fits.values()];
  const all = names(input, bad);
  if (values.every((v) => v.value === -1)) return { kind: 'sign', detail: `wrong sign: the ${word(ctx)} returned for ${all} is correct when negated`, factor: -1 };
  const same = values.every((v) => v.value === values[0].value);
  const detail = same
    ? `off by a constant factor: the correct ${word(ctx)} for ${all} is ${values[0].text} times the one returned`
    : `off by constant factors: the correct ${word(ctx)} is ${[...fits.entries()].map(([k, v]) => `${v.text} times the one returned for ${names(input, [k])}`).join(', ')}`;
  return same ? { kind: 'factor', detail, factor: values[0].value } : { kind: 'factor', detail };
}

/** Right under another convention for a structured argument (a symmetric, spd or diagonal kind checked). */
function convention(input: GradientDiagnosisInput): Diagnosis | undefined {
  const { ctx } = input;
  if (ctx.wrt.every((a) => argStructure(ctx.specs[a].kind, ctx.claim, 'free-entries') === 'general')) return undefined;
  const current = ctx.convention;
  const given = ctx.conventionGiven ? '' : ' (the default)';
  for (const c of CONVENTIONS) {
    if (c === current || !input.recheck(undefined, c)) continue;
    return { kind: 'convention', detail: `holds under the ${c} convention, not ${current}${given}: pass convention: '${c}', or return the ${current} form` };
  }
  return undefined;
}

/** Wrong only in a few entries, or only for some of the arguments (from the entry-wise comparison). */
function localized(input: GradientDiagnosisInput, bad: readonly number[]): Diagnosis | undefined {
  const e = input.entrywise;
  const { ctx } = input;
  if (e) {
    const c = e.compared;
    const tol = e.judgement.tolerance * Math.max(e.judgement.numNorm, e.judgement.claimNorm, TINY);
    const wrong: number[] = [];
    let goodSq = 0;
    for (let i = 0; i < c.num.length; i++) {
      const d = Math.abs(c.num[i] - c.claim[i]);
      if (d > tol) wrong.push(i);
      else goodSq += d * d;
    }
    // Wrong entries that make up whole arguments (every entry of a 4-vector
    // b1) are said argument by argument, below.
    const wholeArguments = wrong.length > 0 && c.blocks.every((b) => {
      const inBlock = wrong.filter((i) => i >= b.start && i < b.start + b.len).length;
      return inBlock === 0 || inBlock === b.len;
    });
    if (!wholeArguments && wrong.length > 0 && wrong.length <= 4 && wrong.length * 2 <= c.num.length && Math.sqrt(goodSq) <= tol) {
      return { kind: 'localized', detail: `correct except at ${wrong.map(c.entryName).join(', ')}` };
    }
  }
  const total = input.judged.compared.blocks.length;
  if (bad.length > 0 && bad.length < total) {
    const good = input.judged.compared.blocks.map((_, k) => k).filter((k) => !bad.includes(k));
    const many = (n: number, one: string, more: string) => (n > 1 ? more : one);
    return {
      kind: 'localized',
      detail: `the ${word(ctx)}${many(bad.length, '', 's')} returned for ${names(input, bad)} ${many(bad.length, 'is', 'are')} wrong; the one${many(good.length, '', 's')} for ${names(input, good)} ${many(good.length, 'agrees', 'agree')} with f`,
    };
  }
  return undefined;
}

/** The most likely mistake, tried from the cheapest and most common on. */
export function diagnoseGradient(input: GradientDiagnosisInput): Diagnosis | null {
  const bad = failingBlocks(input.ctx, input.judged);
  const which = bad.length ? bad : input.judged.compared.blocks.map((_, k) => k);
  // Localize first from what the failing trial left (rechecks reuse the engine's memory).
  const local = localized(input, bad);
  return transposed(input, which) ?? factor(input, which) ?? convention(input) ?? local ?? null;
}

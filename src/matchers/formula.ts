// Matchers on formulas: expect({ f, wrt, vars }).toHaveGradient("A'*B'") and
// the other claim types. Each builds a FormulaRow and calls checkFormula, so
// a matcher passes exactly when the same row in a table would.
import { MatcheckError } from '../errors.js';
import { checkFormula, type CheckOptions } from '../check/formula.js';
import { CLAIM_TYPES, type ClaimType, type FormulaRow, type Mode } from '../row.js';
import type { RowResult } from '../verdict/result.js';
import { transposeData } from '../gradient/matrix.js';
import { describe } from '../gradient/values.js';
import { formulaDetail } from './formula-detail.js';
import { digitsFor, errorText, indent, MAX_SHOWN, shaped, sizesText, valuesNote, worstAsObject, worstLine } from './format.js';
import { readOptions, usage } from './usage.js';

/** A formula row without its claim: what `expect()` receives. */
export type FormulaSubject = Omit<FormulaRow, ClaimType | 'expect'>;

export interface FormulaMatcherOptions {
  /** The row's seed: the same seed draws the same sizes and points (the failure message says which). */
  seed?: string | number;
  trials?: number;
  /** A fixed tolerance on the relative error, instead of the one derived from the finite-difference error estimate. */
  tolerance?: number;
  mode?: Mode;
}

export interface MatcherOutcome {
  pass: boolean;
  message: () => string;
  /** On a failure: the numerical values (what f does), as small rounded matrices. */
  actual?: unknown;
  /** On a failure: the claimed values, the same way. */
  expected?: unknown;
}

const OPTION_NAMES = ['seed', 'trials', 'tolerance', 'mode'];
const WORDS: Record<ClaimType, string> = { grad: 'gradient', jacobian: 'Jacobian', differential: 'differential', hessian: 'Hessian', equals: 'value' };
const EXAMPLE = '{ f: "tr(A*X*B)", wrt: "X", vars: { X: "matrix(m,n)" } }';

function rowFor(matcher: string, type: ClaimType, received: unknown, claim: unknown, opts: FormulaMatcherOptions): FormulaRow {
  if (typeof received !== 'object' || received === null || Array.isArray(received)) {
    throw usage(matcher, `expect() takes a formula such as ${EXAMPLE}, got ${describe(received)}`, 'received', `expect(${EXAMPLE}).${matcher}(...)`);
  }
  const subject = { ...(received as Record<string, unknown>) };
  if (typeof subject.f !== 'string') throw usage(matcher, `the formula needs f, the function as a formula in a string, got ${describe(subject.f)}`, 'f', `e.g. expect(${EXAMPLE})`);
  if (typeof claim !== 'string') throw usage(matcher, `the claim must be a formula in a string, got ${describe(claim)}`, 'claim', `e.g. ${matcher}("A'*B'")`);
  for (const c of [...CLAIM_TYPES, 'expect']) delete subject[c];
  if (type !== 'equals' && typeof subject.wrt !== 'string') {
    const got = subject.wrt === undefined ? '' : `, got ${describe(subject.wrt)}`;
    throw usage(matcher, `the formula needs wrt, the name of the variable to differentiate with respect to${got}`, 'wrt', `e.g. expect({ f: ${JSON.stringify(subject.f)}, wrt: "X" })`);
  }
  const row = { ...subject, [type]: claim } as unknown as FormulaRow;
  if (opts.seed !== undefined) row.seed = opts.seed;
  return row;
}

export function checkOptionsOf(opts: FormulaMatcherOptions): CheckOptions {
  return { trials: opts.trials, tolerance: opts.tolerance, mode: opts.mode };
}

function headline(row: FormulaRow, type: ClaimType, claim: string, not: boolean): string {
  const to = not ? 'not to' : 'to';
  if (type === 'equals') return `expected ${row.f} ${to} equal ${claim}`;
  const layout = row.layout === 'numerator' ? ' (numerator layout)' : '';
  const convention = row.convention ? ` (${row.convention} convention)` : '';
  return `expected the ${WORDS[type]} of ${row.f} with respect to ${row.wrt} ${to} be ${claim}${layout}${convention}`;
}

function varsLine(row: FormulaRow): string | undefined {
  const vars = Object.entries(row.vars ?? {});
  const dims = row.dims ? `; dims ${sizesText(row.dims)}` : '';
  return vars.length || dims ? `vars: ${vars.map(([k, v]) => `${k}: ${v}`).join(', ')}${dims}` : undefined;
}

function reproduceLine(r: RowResult): string {
  const sizes = sizesText(r.dims);
  const trial = r.trial !== null ? `, trial ${r.trial + 1}` : '';
  return `seed ${r.seed}${trial}${sizes ? `, sizes ${sizes}` : ''} (pass { seed: ${JSON.stringify(r.seed)} } to draw the same points)`;
}

/** The numerical and claimed values at the failing point, as matrices when small, else the worst entries by name. */
function diffValues(row: FormulaRow, r: RowResult, options: CheckOptions): { actual: unknown; expected: unknown; whole: boolean } {
  const digits = digitsFor(r.relErr);
  const d = formulaDetail(row, r, options);
  const w = r.worst[0];
  // A claim that agrees once transposed has no worst entry to compare the replay with.
  const agrees = d && (w ? d.numerical[w.index] === w.numerical && d.claimed[w.index] === w.claimed : d.claimTransposed);
  if (d && agrees && d.rows * d.cols <= MAX_SHOWN) {
    // A claim of the transposed shape is shown as written, so that the diff shows the shapes differ.
    if (d.claimTransposed) return { actual: shaped(d.numerical, d.rows, d.cols, 6), expected: shaped(transposeData(d.claimed, d.rows, d.cols), d.cols, d.rows, 6), whole: true };
    return { actual: shaped(d.numerical, d.rows, d.cols, digits), expected: shaped(d.claimed, d.rows, d.cols, digits), whole: true };
  }
  return { actual: worstAsObject(r.worst, 'numerical', digits), expected: worstAsObject(r.worst, 'claimed', digits), whole: false };
}

/**
 * An error verdict is never a pass or a fail: the test fails with the error,
 * with or without `.not`. A MatcheckError (E_CHECK), as the matchers' usage
 * errors are, so that isMatcheckError tells it from a bug.
 */
export class FormulaError extends MatcheckError {
  constructor(message: string, field?: string) {
    super({ code: 'E_CHECK', stage: 'check', message, field });
  }
}

export function formulaMatcher(type: ClaimType, matcher: string) {
  return function (this: unknown, received: unknown, claim: unknown, options?: unknown): MatcherOutcome {
    const opts = readOptions<FormulaMatcherOptions>(matcher, options, OPTION_NAMES);
    const row = rowFor(matcher, type, received, claim, opts);
    const check = checkOptionsOf(opts);
    const r = checkFormula(row, check);
    const claimText = String(claim);
    if (r.verdict === 'error') {
      throw new FormulaError(`${matcher}: the formula cannot be checked\n${indent([headline(row, type, claimText, false), varsLine(row), r.message ?? 'error'])}`, r.field);
    }
    const pass = r.verdict === 'pass';
    if (pass) {
      return {
        pass,
        message: () =>
          `${headline(row, type, claimText, true)}, but it is\n${indent([varsLine(row), `pass: ${errorText(r.relErr, r.tolerance, true)} in each of ${r.trials} trial${r.trials > 1 ? 's' : ''}`, reproduceLine(r)])}`,
      };
    }
    const diff = diffValues(row, r, check);
    return {
      pass,
      message: () =>
        `${headline(row, type, claimText, false)}\n${indent([
          varsLine(row),
          `fail: ${r.message ?? errorText(r.relErr, r.tolerance, false)}`,
          worstLine(r.worst),
          r.diagnosis ? `diagnosis: ${r.diagnosis.detail}` : undefined,
          reproduceLine(r),
          diff.whole ? valuesNote('the numerical values', 'the claimed ones') : undefined,
        ])}`,
      actual: diff.actual,
      expected: diff.expected,
    };
  };
}

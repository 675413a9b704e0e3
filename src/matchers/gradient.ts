// expect(loss).toMatchGradient(lossGrad, { at: x0 }): checkGradient as a matcher.
import { checkGradient, type GradientCheckOptions, type GradientFunction, type GradientResult, type ObjectiveFunction } from '../gradient/check.js';
import { transposeData } from '../gradient/matrix.js';
import type { Point } from '../gradient/values.js';
import { describe, fnLabel } from '../gradient/values.js';
import { digitsFor, errorText, indent, MAX_SHOWN, shaped, sizesText, valuesNote, worstAsObject, worstLine } from './format.js';
import { FormulaError, type MatcherOutcome } from './formula.js';
import { readOptions, usage } from './usage.js';

export interface GradientMatcherOptions extends Omit<GradientCheckOptions, 'engine' | 'diagnose'> {
  /** The point: arguments in order or by name, each a matrix { rows, cols, data }, a number, or a kind to sample ("matrix(3,4)"). */
  at: Point;
}

/** checkGradient's options the matcher passes on (convention: for symmetric, spd and diagonal arguments), and at. */
const OPTION_NAMES = ['at', 'claim', 'wrt', 'seed', 'trials', 'tolerance', 'convention', 'mode', 'directions', 'dims', 'id'] as const;
/** Every option the matcher's type offers is one it takes: an option added to checkGradient's type and not here fails to compile (convention type-checked and was refused). */
type Unlisted = Exclude<keyof GradientMatcherOptions, (typeof OPTION_NAMES)[number]>;
const everyOptionListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyOptionListed;
const WHAT = { grad: 'gradient', jacobian: 'Jacobian', vjp: 'vector-Jacobian product' } as const;

function headline(r: GradientResult, f: unknown, grad: unknown, not: boolean): string {
  const wrt = r.wrt.length ? ` with respect to ${r.wrt.join(', ')}` : '';
  return `expected ${fnLabel('grad', grad)} ${not ? 'not ' : ''}to be the ${WHAT[r.claim]} of ${fnLabel('f', f)}${wrt}`;
}

function pointLine(r: GradientResult): string | undefined {
  const shapes = Object.entries(r.shapes).map(([k, [m, n]]) => `${k} ${m}x${n}`);
  const sizes = sizesText(r.dims);
  return shapes.length ? `shapes ${shapes.join(', ')}${sizes ? ` (sizes ${sizes})` : ''}` : undefined;
}

function reproduceLine(r: GradientResult): string {
  const trial = r.trial !== null ? `, trial ${r.trial + 1}` : '';
  return `seed ${JSON.stringify(r.seed)}${trial} (the same seed draws the same points and directions)`;
}

function diffValues(r: GradientResult): { actual: unknown; expected: unknown; whole: boolean } {
  const digits = digitsFor(r.relErr);
  const blocks = r.entries ?? [];
  if (blocks.length && blocks.every((b) => b.rows * b.cols <= MAX_SHOWN)) {
    const side = (which: 'numerical' | 'claimed') => {
      // A block returned with the transposed shape is shown as returned, so that the diff shows the shapes differ.
      const parts = blocks.map((b) =>
        which === 'claimed' && b.transposed
          ? ([b.name, shaped(transposeData(b.claimed, b.rows, b.cols), b.cols, b.rows, 6)] as const)
          : ([b.name, shaped(b[which], b.rows, b.cols, b.transposed ? 6 : digits)] as const),
      );
      return parts.length === 1 ? parts[0][1] : Object.fromEntries(parts);
    };
    return { actual: side('numerical'), expected: side('claimed'), whole: true };
  }
  return { actual: worstAsObject(r.worst, 'numerical', digits), expected: worstAsObject(r.worst, 'claimed', digits), whole: false };
}

export function toMatchGradient(this: unknown, received: unknown, grad: unknown, options?: unknown): MatcherOutcome {
  const matcher = 'toMatchGradient';
  if (typeof received !== 'function') throw usage(matcher, `expect() takes the function whose gradient is checked, got ${describe(received)}`, 'received', `e.g. expect(loss).${matcher}(lossGrad, { at: { X: "matrix(3,4)" } })`);
  if (typeof grad !== 'function') throw usage(matcher, `the first argument is the gradient function, got ${describe(grad)}`, 'grad', `e.g. expect(loss).${matcher}(lossGrad, { at: { X: "matrix(3,4)" } })`);
  const opts = readOptions<GradientMatcherOptions>(matcher, options, OPTION_NAMES);
  if (opts.at === undefined) throw usage(matcher, 'the options need at, the point to check at', 'options.at', '{ at: { X: "matrix(3,4)" } } (kinds to sample) or { at: [X0, Y0] } (matrices)');
  const { at, ...rest } = opts;
  const r = checkGradient(received as ObjectiveFunction, grad as GradientFunction, at, rest);
  if (r.verdict === 'error') {
    const where = r.trial !== null ? reproduceLine(r) : undefined;
    throw new FormulaError(`${matcher}: the gradient cannot be checked\n${indent([headline(r, received, grad, false), pointLine(r), r.message ?? 'error', where])}`, r.field);
  }
  const pass = r.verdict === 'pass';
  if (pass) {
    return {
      pass,
      message: () => `${headline(r, received, grad, true)}, but it is\n${indent([`pass: ${errorText(r.relErr, r.tolerance, true)} in each of ${r.trials} trial${r.trials > 1 ? 's' : ''}`, pointLine(r), reproduceLine(r)])}`,
    };
  }
  const diff = diffValues(r);
  return {
    pass,
    message: () =>
      `${headline(r, received, grad, false)}\n${indent([
        `fail: ${r.message ?? errorText(r.relErr, r.tolerance, false)}`,
        worstLine(r.worst),
        r.diagnosis ? `diagnosis: ${r.diagnosis.detail}` : undefined,
        pointLine(r),
        reproduceLine(r),
        diff.whole ? valuesNote('the numerical derivatives', 'what grad returned') : undefined,
      ])}`,
    actual: diff.actual,
    expected: diff.expected,
  };
}

// Helpers for tests of the shapes stage: analyse a row, print the shapes it
// infers, and catch the MatcheckError a malformed row must throw.
import { MatcheckError } from '../../src/errors.js';
import type { Claim, ClaimType, Convention, Layout } from '../../src/row.js';
import { analyze, type Analysis, type FormulaSpec } from '../../src/shapes/analyze.js';
import type { Shape } from '../../src/shapes/dims.js';

export type { Analysis, FormulaSpec };

/** A FormulaSpec from the parts tests write most often. */
export function spec(
  f: string,
  vars?: Record<string, string>,
  more: { wrt?: string; claim?: [ClaimType, string]; layout?: Layout; convention?: Convention } = {},
): FormulaSpec {
  const claim: Claim | undefined = more.claim ? { type: more.claim[0], text: more.claim[1] } : undefined;
  return { f, vars, wrt: more.wrt, claim, layout: more.layout, convention: more.convention };
}

/**
 * A shape as `rows x cols`, with `1 x 1` for scalars (unlike
 * ShapeInference.printShape, which says `a scalar`), so that tables of
 * expectations read uniformly.
 */
export function dimsOf(a: Analysis, s: Shape): string {
  return `${a.types.dims.print(s[0])} x ${a.types.dims.print(s[1])}`;
}

/** The printed shape of f of a row that must analyse without error. */
export function fShapeOf(s: FormulaSpec): string {
  const a = analyze(s);
  return a.types.printShape(a.fShape);
}

/** The MatcheckError that analysing `s` throws; fails the test if there is none, or another kind of error. */
export function analyzeError(s: FormulaSpec): MatcheckError {
  try {
    analyze(s);
  } catch (e) {
    if (e instanceof MatcheckError) return e;
    throw new Error(`expected a MatcheckError for ${JSON.stringify(s)}, got ${String(e)}`);
  }
  throw new Error(`expected ${JSON.stringify(s)} to fail shape analysis`);
}

/** The source text an error's span covers. */
export function spanText(e: MatcheckError): string | undefined {
  if (!e.span || e.source === undefined) return undefined;
  return e.source.slice(e.span.start, e.span.end);
}

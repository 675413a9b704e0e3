// The formula row: what a user asks matcheck to check (spec sections 3-4).
// Tables, the CLI's `check` command and the library API all build these.

export const CLAIM_TYPES = ['grad', 'jacobian', 'differential', 'hessian', 'equals'] as const;
export type ClaimType = (typeof CLAIM_TYPES)[number];

export type Layout = 'denominator' | 'numerator';
export type Convention = 'free-entries' | 'projected' | 'unconstrained';
export type Verdict = 'pass' | 'fail' | 'error';
export type Mode = 'directional' | 'entrywise';

export interface FormulaRow {
  id?: string;
  source?: string;
  /** Variable declarations: name -> kind, e.g. { X: "matrix(m,n)" }. */
  vars?: Record<string, string>;
  /** Fixed sizes for dimension symbols. */
  dims?: Record<string, number>;
  f: string;
  wrt?: string;
  grad?: string;
  jacobian?: string;
  differential?: string;
  hessian?: string;
  equals?: string;
  layout?: Layout;
  convention?: Convention;
  trials?: number;
  seed?: string | number;
  tolerance?: number;
  expect?: Verdict;
}

/** The one claim a row makes. */
export interface Claim {
  type: ClaimType;
  text: string;
}

/** The row's claim, or undefined if it makes none. Several claims are refused by the table reader. */
export function claimOf(row: FormulaRow): Claim | undefined {
  for (const type of CLAIM_TYPES) {
    const text = row[type];
    if (text !== undefined) return { type, text: String(text) };
  }
  return undefined;
}

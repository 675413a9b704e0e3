// The formula row: what a user asks matcheck to check (spec sections 3-4).
// Tables, the CLI's `check` command and the library API all build these, and
// all check their fields here, so that a bad value reads the same everywhere.
import { MatcheckError } from './errors.js';
import { closest } from './suggest.js';

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

/** The largest size a dimension may have: a check's memory is addressed with 31 bits, so no value can be larger. */
export const MAX_SIZE = 2 ** 31 - 1;

/** What is wrong with a size given for dimension `name`, or undefined. */
export function sizeProblem(name: string, v: unknown): FieldCheck | undefined {
  if (Number.isInteger(v) && (v as number) > MAX_SIZE) return { problem: `the size of '${name}' in dims is ${shown(v)}, more than ${MAX_SIZE}, the largest a check can address`, hint: 'choose a smaller size' };
  if (!Number.isInteger(v) || (v as number) < 1) return { problem: `the size of '${name}' in dims must be a positive integer, got ${shown(v)}`, hint: typeof v === 'string' ? `write the number without quotes: ${name}: ${v}` : undefined };
  return undefined;
}

export const ROW_FIELDS = ['id', 'source', 'vars', 'dims', 'f', 'wrt', ...CLAIM_TYPES, 'layout', 'convention', 'trials', 'seed', 'tolerance', 'expect'] as const;

export const ROW_ENUMS: Readonly<Record<string, readonly string[]>> = {
  layout: ['denominator', 'numerator'],
  convention: ['free-entries', 'projected', 'unconstrained'],
  expect: ['pass', 'fail', 'error'],
};

/** A value as the user wrote it: numbers as numbers (JSON would print 1e400 as null), strings quoted. */
export function shown(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v === undefined) return 'nothing';
  try {
    const json = JSON.stringify(v);
    if (json !== undefined) return json.length > 60 ? `${json.slice(0, 57)}...` : json;
  } catch {
    // A value that refers to itself (a YAML alias of its own parent) has no JSON.
  }
  return Array.isArray(v) ? 'a list' : typeof v === 'object' && v !== null ? 'a mapping' : String(v);
}

/** A plain mapping (not null, not a list). */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The most trials one check runs (a row's trials:, the library's option, the CLI's --trials). */
export const MAX_TRIALS = 1000;

/** A seed is a string or a finite number (a row's seed:, the options' seed). */
/** A seed: a finite number, or a string with something in it (a blank seed printed as nothing and reproduced nothing). */
export const isSeed = (v: unknown): v is string | number => (typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v));

export interface FieldCheck {
  value?: unknown;
  problem?: string;
  hint?: string;
}

const TEXT_FIELDS = new Set<string>(['id', 'source', 'f', 'wrt', ...CLAIM_TYPES]);
const FIELDS = new Set<string>(ROW_FIELDS);
const CLAIMS = new Set<string>(CLAIM_TYPES);

/** What is wrong with one field's value, or undefined when it is fine (no allocation then: API rows are checked on every call). */
function fieldProblem(key: string, value: unknown): FieldCheck | undefined {
  if (TEXT_FIELDS.has(key)) {
    if (typeof value === 'string' || (typeof value === 'number' && key !== 'wrt')) return undefined;
    return { problem: `'${key}' must be a string, got ${shown(value)}`, hint: key === 'f' || CLAIMS.has(key) ? `quote the formula: ${key}: "..."` : undefined };
  }
  switch (key) {
    case 'vars':
      if (!isRecord(value)) return { problem: `'vars' must map names to kinds, got ${shown(value)}`, hint: `vars: { X: "matrix(m,n)", x: "vector(n)" }` };
      for (const n in value) if (typeof value[n] !== 'string') return { problem: `the kind of '${n}' in vars must be a string such as "matrix(m,n)", got ${shown(value[n])}` };
      return undefined;
    case 'dims':
      if (!isRecord(value)) return { problem: `'dims' must map dimension symbols to sizes, got ${shown(value)}`, hint: `dims: { n: 5 }` };
      for (const n in value) {
        const problem = sizeProblem(n, value[n]);
        if (problem) return problem;
      }
      return undefined;
    case 'trials':
      return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_TRIALS ? undefined : { problem: `'trials' must be an integer from 1 to ${MAX_TRIALS}, got ${shown(value)}` };
    case 'tolerance':
      return typeof value === 'number' && value > 0 && value < 1 ? undefined : { problem: `'tolerance' must be a number between 0 and 1 (a relative error), got ${shown(value)}` };
    case 'seed':
      return isSeed(value) ? undefined : { problem: `'seed' must be a non-blank string or a finite number, got ${shown(value)}` };
    default: {
      const allowed = ROW_ENUMS[key];
      if (!allowed || (typeof value === 'string' && allowed.includes(value))) return undefined;
      const guess = typeof value === 'string' ? closest(value, allowed) : undefined;
      return { problem: `'${key}' must be one of ${allowed.join(', ')}, got ${shown(value)}`, hint: guess ? `did you mean '${guess}'?` : undefined };
    }
  }
}

/** Checks one field's value, returning it in the row's type (a number written for a formula is its text) or a message saying what is wrong. */
export function checkRowField(key: string, value: unknown): FieldCheck {
  return fieldProblem(key, value) ?? { value: typeof value === 'number' && TEXT_FIELDS.has(key) ? String(value) : value };
}

function rowError(message: string, field?: string, hint?: string): MatcheckError {
  return new MatcheckError({ code: 'E_ROW', stage: 'check', message, field, hint });
}

/**
 * A row handed to the library (checkFormula, the matchers) checked as the
 * table reader checks a table's rows: every field's value, unknown fields,
 * the claim and wrt. Fields set to undefined count as absent.
 */
export function checkRow(row: unknown): FormulaRow {
  if (!isRecord(row)) throw rowError(`a formula row must be an object, got ${shown(row)}`, undefined, `e.g. { f: "tr(A*X*B)", wrt: "X", grad: "A'*B'" }`);
  let claims: string[] | undefined;
  for (const key in row) {
    const value = row[key];
    if (value === undefined) continue;
    if (!FIELDS.has(key)) {
      const guess = closest(key, ROW_FIELDS);
      throw rowError(`unknown field '${key}' in the row`, key, guess ? `did you mean '${guess}'?` : `fields are: ${ROW_FIELDS.join(', ')}`);
    }
    const problem = fieldProblem(key, value);
    if (problem) throw rowError(problem.problem!, key, problem.hint);
    if (CLAIMS.has(key)) (claims ??= []).push(key);
  }
  if (row.f === undefined) throw rowError(`the row has no 'f'`, 'f', `add f: "the function", e.g. f: "tr(A*X*B)"`);
  if (claims && claims.length > 1) throw rowError(`the row makes ${claims.length} claims (${claims.join(', ')}); a row makes one`, claims[1], 'check them one row at a time');
  if (claims && claims[0] !== 'equals' && row.wrt === undefined) throw rowError(`a ${claims[0]} claim needs 'wrt'`, 'wrt', 'add wrt: the variable to differentiate with respect to');
  return row as unknown as FormulaRow;
}

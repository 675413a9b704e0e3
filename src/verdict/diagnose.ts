// Saying what the mistake in a failing claim most likely is. Every candidate
// is a repaired row checked again with the same seed; a diagnosis is only
// reported when the repair passes that check, so it is a finding, not a
// guess. Runs only for failing rows.
import type { Comparison } from '../fd/claims.js';
import type { Expr } from '../parse/ast.js';
import { parseFormula } from '../parse/parser.js';
import { printExpr } from '../parse/printer.js';
import { tokenize } from '../parse/tokens.js';
import { claimOf, type Convention, type FormulaRow } from '../row.js';
import type { Trial } from '../run/trial.js';
import type { Analysis } from '../shapes/analyze.js';
import { printKind } from '../shapes/kinds.js';
import type { Diagnosis, RowResult } from './result.js';

export interface DiagnosisInput {
  row: FormulaRow;
  analysis: Analysis;
  /** The failing trial and its directional comparison (still in engine memory). */
  trial: Trial;
  comparison: Comparison;
  /** The entry-wise comparison at the same point, when there is one. */
  entrywise?: { trial: Trial; comparison: Comparison; tolerance: number };
  /** Checks a repaired row with the same options and seed, without diagnosing it. */
  recheck: (row: FormulaRow) => RowResult;
}

const CONVENTIONS: Convention[] = ['free-entries', 'projected', 'unconstrained'];

/** k as a simple fraction p/q (|p| <= 16, q <= 4) with its exact value, or undefined. */
export function simpleFraction(k: number): { text: string; value: number } | undefined {
  for (let q = 1; q <= 4; q++) {
    const p = Math.round(k * q);
    if (p !== 0 && Math.abs(p) <= 16 && Math.abs(k - p / q) <= 1e-6 * Math.abs(k)) {
      const g = gcd(Math.abs(p), q);
      return { text: q / g === 1 ? String(p / g) : `${p / g}/${q / g}`, value: p / q };
    }
  }
  return undefined;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The row with its claim's text replaced. */
export function withClaim(row: FormulaRow, text: string): FormulaRow {
  const claim = claimOf(row)!;
  return { ...row, [claim.type]: text };
}

const passes = (input: DiagnosisInput, row: FormulaRow) => input.recheck(row).verdict === 'pass';

/** Least-squares k with k * claimed ~ numerical, fitted in the engine. */
function fitFactor(input: DiagnosisInput): number | undefined {
  const { trial, comparison: c } = input;
  const k = trial.engine.exports.fitFactor(c.num, c.claim, c.len);
  return Number.isFinite(k) && k !== 0 ? k : undefined;
}

function factor(input: DiagnosisInput, text: string, k: number | undefined): Diagnosis | undefined {
  if (k === undefined || Math.abs(k - 1) < 1e-6) return undefined;
  const fraction = simpleFraction(k);
  const written = fraction?.text ?? k.toPrecision(6);
  if (!passes(input, withClaim(input.row, `${fraction ? `(${fraction.text})` : k.toPrecision(17)}*(${text})`))) return undefined;
  if (fraction?.value === -1) return { kind: 'sign', detail: 'wrong sign: the claim is correct when negated', factor: -1 };
  return { kind: 'factor', detail: `off by a constant factor: the correct value is ${written} times the claim`, factor: fraction?.value ?? Number(written) };
}

function transposed(input: DiagnosisInput, text: string): Diagnosis | undefined {
  const { analysis, row } = input;
  const [r, c] = analysis.claimShape!;
  if (analysis.types.dims.find(r) !== analysis.types.dims.find(c) || analysis.types.isScalar(analysis.claimShape!)) return undefined;
  if (!passes(input, withClaim(row, `(${text})'`))) return undefined;
  const claim = claimOf(row)!;
  if (claim.type === 'grad') {
    const other = row.layout === 'numerator' ? 'denominator' : 'numerator';
    return { kind: 'transposed', detail: `correct up to transpose: the formula is in ${other} layout` };
  }
  // A Jacobian is m x n (numerator layout) by definition: its transpose is the denominator-layout derivative.
  if (claim.type === 'jacobian') return { kind: 'transposed', detail: 'correct up to transpose: the formula is in denominator layout' };
  return { kind: 'transposed', detail: 'correct up to transpose' };
}

function convention(input: DiagnosisInput): Diagnosis | undefined {
  const kind = input.analysis.wrt?.kind.base;
  if (kind !== 'symmetric' && kind !== 'spd' && kind !== 'diagonal') return undefined;
  const current = input.row.convention ?? 'free-entries';
  for (const c of CONVENTIONS) {
    if (c === current || !passes(input, { ...input.row, convention: c })) continue;
    return { kind: 'convention', detail: `holds under the ${c} convention, not ${current}${input.row.convention ? '' : ' (the default)'}: declare convention: ${c}, or use the ${current} form` };
  }
  return undefined;
}

/** Square general matrices the row involves, each with the dimension symbol to declare it symmetric with. */
function squareMatrices(input: DiagnosisInput): { name: string; dim: string }[] {
  const { types } = input.analysis;
  const out: { name: string; dim: string }[] = [];
  for (const v of types.vars.values()) {
    if (v.kind.base !== 'matrix' && v.kind.base !== 'invertible') continue;
    const [r, c] = v.shape;
    if (types.dims.find(r) !== types.dims.find(c)) continue;
    const node = types.dims.get(r);
    const dim = node.value !== undefined ? String(node.value) : (node.symbol ?? `n_${v.name}`);
    out.push({ name: v.name, dim });
  }
  return out;
}

/** The formula with every use of the variable `name` (not a function of that name) replaced by `by`; undefined if it does not tokenize. */
function replaceVariable(text: string, name: string, by: string): string | undefined {
  let tokens;
  try {
    tokens = tokenize(text);
  } catch {
    return undefined;
  }
  let out = '';
  let at = 0;
  tokens.forEach((t, i) => {
    if (t.kind !== 'ident' || t.text !== name || tokens[i + 1]?.kind === 'lparen') return;
    out += text.slice(at, t.span.start) + by;
    at = t.span.end;
  });
  return out + text.slice(at);
}

function symmetricOnly(input: DiagnosisInput): Diagnosis | undefined {
  const { row } = input;
  for (const { name, dim } of squareMatrices(input)) {
    const kind = input.analysis.types.vars.get(name)!.kind;
    const sym = kind.base === 'invertible' ? `spd(${dim})` : `${kind.positive ? 'positive ' : ''}symmetric(${dim})`;
    const repaired: FormulaRow = { ...row, vars: { ...(row.vars ?? {}), [name]: sym } };
    // Keep the meaning of a gradient with respect to the variable made symmetric.
    if (name === row.wrt) repaired.convention = 'unconstrained';
    if (!passes(input, repaired)) continue;
    const was = kind.dims.length ? printKind(kind) : 'an undeclared matrix';
    // The repair "use the symmetric part" is right only when f depends on nothing but the
    // symmetric part of the matrix (x'Mx does, tr(inv(A + X'CX)...) does not): say it only when it passes.
    const part = `(${name}+${name}')/2`;
    const symmetrized = replaceVariable(claimOf(row)!.text, name, `((${name}+${name}')/2)`);
    const advice = symmetrized !== undefined && passes(input, withClaim(row, symmetrized)) ? `; for a general ${name} use its symmetric part ${part}` : '';
    return { kind: 'symmetric-only', detail: `holds only for symmetric ${name}: it passes when ${name} is sampled symmetric, but ${name} is ${was}${advice}` };
  }
  return undefined;
}

/** Every claim with one matrix product's operands swapped, where the shapes allow it. */
function swappedProducts(input: DiagnosisInput, text: string): string[] {
  const out: string[] = [];
  const root = parseFormula(text);
  const { types } = input.analysis;
  const claimTree = input.analysis.claim!;
  // The typed tree and a fresh parse of the same text have the same structure: walk both.
  // Only the first 6 candidates are tried, and only within 200 levels of the
  // root: a claim of thousands of terms is a left spine that deep, and both
  // the walk and each candidate's rebuild recurse along it.
  const walk = (typed: Expr, fresh: Expr, rebuild: (e: Expr) => Expr, depth = 0) => {
    if (out.length >= 6 || depth > 200) return;
    if (typed.kind === 'binary' && fresh.kind === 'binary') {
      const l = types.shapes.get(typed.left);
      const r = types.shapes.get(typed.right);
      if (typed.op === '*' && l && r && !types.isScalar(l) && !types.isScalar(r)) {
        out.push(printExpr(rebuild({ ...fresh, left: fresh.right, right: fresh.left })));
      }
      walk(typed.left, fresh.left, (e) => rebuild({ ...fresh, left: e }), depth + 1);
      walk(typed.right, fresh.right, (e) => rebuild({ ...fresh, right: e }), depth + 1);
    } else if ((typed.kind === 'neg' || typed.kind === 'transpose') && typed.kind === fresh.kind) {
      walk(typed.arg, (fresh as typeof typed).arg, (e) => rebuild({ ...fresh, arg: e } as Expr), depth + 1);
    } else if (typed.kind === 'call' && fresh.kind === 'call') {
      typed.args.forEach((a, i) =>
        walk(a, fresh.args[i], (e) => {
          const args = [...fresh.args];
          args[i] = e;
          return rebuild({ ...fresh, args });
        }, depth + 1),
      );
    }
  };
  walk(claimTree, root, (e) => e);
  return out.slice(0, 6);
}

function factorOrder(input: DiagnosisInput, text: string): Diagnosis | undefined {
  for (const candidate of swappedProducts(input, text)) {
    let ok = false;
    try {
      ok = passes(input, withClaim(input.row, candidate));
    } catch {
      ok = false;
    }
    if (ok) return { kind: 'factor-order', detail: `wrong factor order: ${candidate} passes` };
  }
  return undefined;
}

/**
 * localized() for a block whose columns are basis directions of wrt (an
 * entry-wise differential): wrong only along wrt's diagonal entries, along
 * one direction, or in a few values.
 */
function alongDirections(directions: NonNullable<Comparison['directions']>, badDirections: number[], names: string[]): Diagnosis | undefined {
  const { pairs, wrtRows } = directions;
  const onDiagonal = (b: number) => pairs[b][1] < 0 && pairs[b][0] % wrtRows === Math.floor(pairs[b][0] / wrtRows);
  const distinct = [...new Set(badDirections)];
  if (distinct.length > 1 && distinct.every(onDiagonal)) return { kind: 'localized', detail: `correct except along the diagonal directions (${names.join(', ')})` };
  if (distinct.length === 1 && names.length > 1) return { kind: 'localized', detail: `correct except along one direction (${names.join(', ')})` };
  if (names.length <= 4) return { kind: 'localized', detail: `correct except at ${names.join(', ')}` };
  return undefined;
}

/** Right except on the diagonal, in one row or column, or in a few entries (from the entry-wise pass). */
function localized(input: DiagnosisInput): Diagnosis | undefined {
  const e = input.entrywise;
  if (!e) return undefined;
  const { comparison: c, trial } = e;
  if (c.len < 4) return undefined;
  const num = trial.memory.read(c.num, c.len);
  const claim = trial.memory.read(c.claim, c.len);
  const ex = trial.engine.exports;
  const scale = Math.max(ex.norm2(c.num, c.len), ex.norm2(c.claim, c.len), 2.2250738585072014e-308);
  const bad: number[] = [];
  let goodSq = 0;
  // How much of the derivative the agreeing entries hold: agreement on zeros
  // alone (diag(cos(x)) for a diagonal Jacobian, wrong in every nonzero) is
  // no "correct except on the diagonal".
  let goodNumSq = 0;
  for (let i = 0; i < c.len; i++) {
    const d = Math.abs(num[i] - claim[i]);
    if (d > e.tolerance * scale) bad.push(i);
    else {
      goodSq += d * d;
      goodNumSq += num[i] * num[i];
    }
  }
  if (bad.length === 0 || bad.length * 2 > c.len || Math.sqrt(goodSq) > e.tolerance * scale) return undefined;
  if (Math.sqrt(goodNumSq) <= e.tolerance * scale) return undefined;
  const rowOf = (i: number) => i % c.rows;
  const colOf = (i: number) => Math.floor(i / c.rows);
  const names = bad.map(c.entryName);
  if (c.directions) return alongDirections(c.directions, bad.map(colOf), names);
  if (c.rows === c.cols && c.rows > 1 && bad.every((i) => rowOf(i) === colOf(i)) && bad.length > 1) {
    return { kind: 'localized', detail: `correct except on the diagonal (${names.join(', ')})` };
  }
  // A row or a column says something only in a matrix: every entry of a vector is in its one column.
  const matrix = c.rows > 1 && c.cols > 1;
  if (matrix && bad.length > 1 && bad.every((i) => rowOf(i) === rowOf(bad[0]))) return { kind: 'localized', detail: `correct except in row ${rowOf(bad[0]) + 1} (${names.join(', ')})` };
  if (matrix && bad.length > 1 && bad.every((i) => colOf(i) === colOf(bad[0]))) return { kind: 'localized', detail: `correct except in column ${colOf(bad[0]) + 1} (${names.join(', ')})` };
  if (bad.length <= 4) return { kind: 'localized', detail: `correct except at ${names.join(', ')}` };
  return undefined;
}

/** Factors a transposed claim is most often also off by (a sign, a 2 from a symmetric part). */
const TRANSPOSED_FACTORS: readonly [number, string][] = [[-1, '-1'], [2, '2'], [0.5, '1/2'], [-2, '-2'], [-0.5, '-1/2']];

/**
 * A square claim both transposed and off by a simple factor (-b*a' for
 * a*b'): neither repair alone passes, so each fails to say it. (A claim of
 * the transposed, non-square shape is diagnosed transposed back: check/formula.ts.)
 */
function transposedAndScaled(input: DiagnosisInput, text: string): Diagnosis | undefined {
  const shape = input.analysis.claimShape!;
  if (input.analysis.types.isScalar(shape) || input.analysis.types.dims.find(shape[0]) !== input.analysis.types.dims.find(shape[1])) return undefined;
  for (const [k, written] of TRANSPOSED_FACTORS) {
    if (!passes(input, withClaim(input.row, `(${written})*(${text})'`))) continue;
    const detail = k === -1 ? 'transposed and of the wrong sign: the correct value is minus the claim, transposed' : `transposed and off by a constant factor: the correct value is ${written} times the claim, transposed`;
    return { kind: 'transposed', detail, factor: k };
  }
  return undefined;
}

/** The most likely mistake, tried from the cheapest and most common on. */
export function diagnose(input: DiagnosisInput): Diagnosis | null {
  const text = claimOf(input.row)!.text;
  // Read what the failing trial left in engine memory before any recheck overwrites it.
  const k = fitFactor(input);
  const local = localized(input);
  return transposed(input, text) ?? factor(input, text, k) ?? convention(input) ?? symmetricOnly(input) ?? factorOrder(input, text) ?? transposedAndScaled(input, text) ?? local ?? null;
}

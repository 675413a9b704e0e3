// matcheck's library API: an explicit list, so that what is public is
// decided here and nowhere else. Results are the objects the CLI prints as
// JSON (rowJson / tableJson give exactly its documents).
import { checkTable, type TableOptions, type TableResult } from './check/table.js';
import { tableError } from './table/assemble.js';
import { readTableFile } from './table/file.js';

// Checking formulas and tables.
export { checkFormula, DEFAULT_SEED, DEFAULT_TRIALS, type CheckOptions } from './check/formula.js';
export { checkTable, checkTables, SCHEMA_VERSION, type TableOptions, type TableResult, type TableSummary } from './check/table.js';
export { readTable, type Table, type TableRow } from './table/read.js';
export { rowJson, tableJson } from './report/json.js';

// Checking JavaScript gradient code.
export {
  checkGradient,
  mat,
  vec,
  fromRows,
  toRows,
  type Mat,
  type GradientCheckOptions,
  type GradientResult,
  type GradientClaim,
  type ObjectiveFunction,
  type GradientFunction,
  type GradientValue,
  type GradientReturn,
  type DerivativeBlock,
  type GradientWorstEntry,
  type Point,
  type PointValue,
} from './gradient/index.js';

// Test-runner matchers (vitest registers them itself through 'matcheck/vitest').
export {
  matchers,
  registerMatchers,
  type MatcheckMatchers,
  type MatcheckAsymmetricMatchers,
  type FormulaSubject,
  type FormulaMatcherOptions,
  type GradientMatcherOptions,
  type MatcherOutcome,
} from './matchers/index.js';

// Rows, results, errors.
export type { FormulaRow, ClaimType, Layout, Convention, Verdict, Mode } from './row.js';
export type { RowResult, WorstEntry, Diagnosis, DiagnosisKind } from './verdict/result.js';
export { MatcheckError, isMatcheckError, renderError, type Stage, type Span } from './errors.js';

// The front end, for tools built on matcheck.
export { parseFormula, printExpr, type Expr } from './parse/index.js';
export { analyze, type Analysis, type FormulaSpec } from './shapes/analyze.js';
export { TOOL } from './version.js';
// The WebAssembly engine: which build checks (MATCHECK_ENGINE), and an engine of a chosen build for CheckOptions.engine.
export { engineVariant, loadEngine, ENGINE_ENV, type Engine, type Variant } from './run/module.js';

/**
 * Reads a table file (YAML or JSON) and checks it: readTable + checkTable.
 * Throws MatcheckError only for a path that is not a readable file (E_USAGE,
 * E_TABLE naming why), a file that is not a table or has no rows, or options checkTable
 * cannot use (an unknown option, a bad seed or threads, `only` naming no row).
 */
export function checkTableFile(path: string, options: TableOptions = {}): TableResult {
  const table = readTableFile(path);
  // As the CLI: a test that checks a file of no rows must not pass for checking nothing.
  if (table.rows.length === 0) throw tableError('the table has no rows to check (an empty formulas: list)', path, undefined, 'add rows under formulas:, or check another file');
  return checkTable(table, options);
}

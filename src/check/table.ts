// Checking a whole table: every row, one bad row never stopping the others,
// with each row's file and line. The result is the CLI's JSON document.
import { renderError, type MatcheckError } from '../errors.js';
import type { FormulaRow } from '../row.js';
import { engineVariant } from '../run/module.js';
import { deriveSeed } from '../sample/index.js';
import type { Table, TableRow } from '../table/read.js';
import type { RowResult } from '../verdict/result.js';
import { TOOL } from '../version.js';
import { checkFormula, DEFAULT_SEED, type CheckOptions } from './formula.js';
import { checkTableOptions, formulaOptions } from './options.js';

export const SCHEMA_VERSION = 1;

export interface TableSummary {
  rows: number;
  pass: number;
  fail: number;
  error: number;
  /** Rows whose verdict met their expectation. */
  met: number;
  unmet: number;
}

export interface TableResult {
  schemaVersion: number;
  /** `engine`: the WebAssembly build that checked (simd or relaxed): the same draws, not the same result bits. */
  tool: { name: string; version: string; engine: string };
  seed: string;
  rows: RowResult[];
  summary: TableSummary;
}

export interface TableOptions extends CheckOptions {
  /** Check only these row ids (each must name a row). */
  only?: readonly string[];
  /** Called after each row (or batch of rows), e.g. for a progress bar. */
  onRow?: (done: number, total: number, result: RowResult) => void;
}

export function summarize(rows: readonly RowResult[]): TableSummary {
  const count = (v: string) => rows.filter((r) => r.verdict === v).length;
  const met = rows.filter((r) => r.met).length;
  return { rows: rows.length, pass: count('pass'), fail: count('fail'), error: count('error'), met, unmet: rows.length - met };
}

export interface SelectedRow {
  table: Table;
  r: TableRow;
}

/**
 * The id of the entry that stands for a table file that could not be read as
 * a table: the file has no rows whose id it could take. (A row may be given
 * this id too; the entry also has no claim, no trials, and the file's error
 * as its message.)
 */
export const UNREADABLE_ID = '(table)';

const unreadableTables = new WeakSet<Table>();

/**
 * A file that could not be read as a table (a YAML error, an unknown
 * top-level field, a bad default, a file that cannot be opened), as a table of
 * one malformed row: checked with the others, it is one error entry of
 * `rows`, with the file, the line of the problem and the error as its message.
 * So one bad file never stops the other tables, and whatever reads only
 * `rows` or `summary` (`met`, `unmet`) cannot miss it.
 */
export function unreadableTable(file: string, problem: MatcheckError): Table {
  const row: FormulaRow = { id: UNREADABLE_ID, f: '' };
  const table: Table = { file, rows: [{ row, line: problem.line ?? 0, fieldLines: {}, problem }] };
  unreadableTables.add(table);
  return table;
}

/** The table stands for a file that could not be read (unreadableTable). */
export function isUnreadable(table: Table): boolean {
  return unreadableTables.has(table);
}

/** The rows to check, in table order, after `--only` (which never leaves out a file that could not be read). */
export function selectRows(tables: readonly Table[], options: TableOptions): SelectedRow[] {
  return tables.flatMap((t) => t.rows.map((r) => ({ table: t, r }))).filter(({ table, r }) => !options.only || options.only.includes(r.row.id!) || isUnreadable(table));
}

/** The result of a row the reader already found malformed. */
export function problemResult({ r }: SelectedRow, seed: string, options: CheckOptions): RowResult {
  const id = r.row.id!;
  return {
    id,
    source: r.row.source,
    verdict: 'error',
    expected: r.row.expect ?? 'pass',
    met: (r.row.expect ?? 'pass') === 'error',
    relErr: null,
    tolerance: null,
    trials: 0,
    seed: r.row.seed !== undefined ? String(r.row.seed) : deriveSeed(seed, id),
    dims: {},
    trial: null,
    worst: [],
    diagnosis: null,
    message: renderError(r.problem!),
    mode: options.mode ?? 'directional',
  };
}

/** Attributes a row's result to its file and line (the line of the field an error is in, if known). */
export function placeResult(result: RowResult, { table, r }: SelectedRow): RowResult {
  result.file = table.file;
  const field = result.field?.split('.')[0];
  // A file that could not be read may have no line (it cannot be opened): null in the JSON.
  result.line = field && r.fieldLines[field] ? r.fieldLines[field] : r.line || undefined;
  return result;
}

export function tableResult(seed: string, rows: RowResult[], options: CheckOptions): TableResult {
  const engine = options.engine?.variant ?? engineVariant();
  return { schemaVersion: SCHEMA_VERSION, tool: { ...TOOL, engine }, seed, rows, summary: summarize(rows) };
}

export function checkTables(tables: readonly Table[], options: TableOptions = {}): TableResult {
  checkTableOptions(tables, options);
  const seed = String(options.seed ?? DEFAULT_SEED);
  const selected = selectRows(tables, options);
  const rows: RowResult[] = [];
  for (const s of selected) {
    const result = s.r.problem ? problemResult(s, seed, options) : checkFormula(s.r.row, { ...formulaOptions(options), seed });
    rows.push(placeResult(result, s));
    options.onRow?.(rows.length, selected.length, result);
  }
  return tableResult(seed, rows, options);
}

export function checkTable(table: Table, options: TableOptions = {}): TableResult {
  return checkTables([table], options);
}

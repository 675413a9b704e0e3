// A worker thread of the table pool: checks a batch of rows with its own
// engine instance. Results depend only on each row and seed, so they are the
// same whichever worker checks a row.
import type { FormulaRow } from '../row.js';
import { sharedEngine, type Variant } from '../run/module.js';
import type { RowResult } from '../verdict/result.js';
import { checkFormula, type CheckOptions } from './formula.js';

export interface Batch {
  rows: FormulaRow[];
  options: Omit<CheckOptions, 'engine'>;
  /** The build the table is checked with (an engine cannot cross threads, its name can). */
  variant: Variant;
}

export default function checkBatch(batch: Batch): RowResult[] {
  const options = { ...batch.options, engine: sharedEngine(batch.variant) };
  return batch.rows.map((row) => checkFormula(row, options));
}

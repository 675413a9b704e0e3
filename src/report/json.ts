// The JSON report: one document, keys in the documented order, nothing that
// varies between runs with the same seed (no timings).
import type { TableResult } from '../check/table.js';
import { MatcheckError } from '../errors.js';
import { isRecord, shown } from '../row.js';
import type { RowResult } from '../verdict/result.js';

const usage = (message: string, field: string, hint: string) => new MatcheckError({ code: 'E_USAGE', stage: 'usage', message, field, hint });

/** What checkFormula and the table functions return for a row (they always give an id and a verdict). */
const isRowResult = (r: unknown): r is RowResult => isRecord(r) && typeof r.id === 'string' && typeof r.verdict === 'string';

/** A row's JSON object, as in `matcheck table --json`. Throws MatcheckError (E_USAGE) for anything but a row result. */
export function rowJson(r: RowResult) {
  if (!isRowResult(r)) throw usage(`rowJson takes a row result, got ${shown(r)}`, 'result', "pass what checkFormula returns, or a row of a table result (tableJson gives a table result's whole document)");
  return {
    id: r.id,
    file: r.file ?? null,
    line: r.line ?? null,
    verdict: r.verdict,
    expected: r.expected,
    met: r.met,
    claim: r.claim ?? null,
    relErr: r.relErr,
    tolerance: r.tolerance,
    trials: r.trials,
    seed: r.seed,
    trial: r.trial,
    dims: r.dims,
    mode: r.mode,
    worst: r.worst,
    diagnosis: r.diagnosis,
    message: r.message,
  };
}

/** A table result's JSON document, as `matcheck table --json` prints it. Throws MatcheckError (E_USAGE) for anything but a table result. */
export function tableJson(t: TableResult): string {
  if (!isRecord(t) || !Array.isArray(t.rows)) throw usage(`tableJson takes a table result, got ${shown(t)}`, 'result', 'pass what checkTable, checkTables or checkTableFile returns (rowJson gives one row result\'s object)');
  const bad = t.rows.findIndex((r) => !isRowResult(r));
  if (bad >= 0) throw usage(`tableJson: rows[${bad}] of the table result is not a row result, got ${shown(t.rows[bad])}`, `result.rows[${bad}]`, 'a table result holds the row results the table functions gave: pass it as they returned it');
  return JSON.stringify({ schemaVersion: t.schemaVersion, tool: t.tool, seed: t.seed, rows: t.rows.map(rowJson), summary: t.summary }, null, 2);
}

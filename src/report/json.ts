// The JSON report: one document, keys in the documented order, nothing that
// varies between runs with the same seed (no timings).
import type { TableResult } from '../check/table.js';
import type { RowResult } from '../verdict/result.js';

export function rowJson(r: RowResult) {
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

export function tableJson(t: TableResult): string {
  return JSON.stringify({ schemaVersion: t.schemaVersion, tool: t.tool, seed: t.seed, rows: t.rows.map(rowJson), summary: t.summary }, null, 2);
}

// Tables as plain data for comparing two readers: each row's problem as its
// message, hint and code (an Error's message is not an own enumerable field).
import type { Table } from '../../src/table/read.js';

export function comparable(t: Table): unknown {
  return {
    ...t,
    rows: t.rows.map((r) => ({ ...r, problem: r.problem && { message: r.problem.message, hint: r.problem.hint, code: r.problem.code } })),
  };
}

// Tables as plain data for comparing two readers: each row's problem as its
// message, hint and code (an Error's message is not an own enumerable field),
// and every object as its entries in order, so that toEqual also compares
// key order (the order of `vars` is the order in which variables are drawn).
import type { Table } from '../../src/table/read.js';

function ordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(ordered);
  if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => [k, ordered(x)]);
  return v;
}

export function comparable(t: Table): unknown {
  return ordered({
    ...t,
    rows: t.rows.map((r) => ({ ...r, problem: r.problem && { message: r.problem.message, hint: r.problem.hint, code: r.problem.code } })),
  });
}

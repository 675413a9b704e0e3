// Tables as plain data for comparing two readers: each row's problem as its
// message, hint and code (an Error's message is not an own enumerable field),
// and every object as its entries in order, so that toEqual also compares
// key order (the order of `vars` is the order in which variables are drawn).
import type { MatcheckError } from '../../src/errors.js';
import type { Table } from '../../src/table/read.js';

function ordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(ordered);
  if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => [k, ordered(x)]);
  return v;
}

const problem = (e: MatcheckError | undefined) => e && { message: e.message, hint: e.hint, code: e.code };

export function comparable(t: Table): unknown {
  return ordered({ ...t, rows: t.rows.map((r) => ({ ...r, problem: problem(r.problem) })) });
}

/** What a reader gives for a text: its table, or the error refusing the file; undefined when the plain reader leaves it to yaml. */
export type Outcome = { table: Table } | { refused: unknown } | undefined;

export function outcome(read: () => Table | undefined): Outcome {
  try {
    const table = read();
    return table && { table };
  } catch (e) {
    return { refused: e };
  }
}

/** An outcome as plain data: the table comparable, a refusal as its message and hint. */
export function comparableOutcome(o: Outcome): unknown {
  if (!o) return o;
  return 'table' in o ? { table: comparable(o.table) } : { refused: problem(o.refused as MatcheckError) };
}

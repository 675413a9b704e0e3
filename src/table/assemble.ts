// A table's rows built from their fields as written, whichever YAML reader
// found them (plain-events.ts for plain tables, yaml-document.ts for the
// rest): the checks of spec section 4 on every field and row, in one place.
import { MatcheckError } from '../errors.js';
import { CONVENTION_CLAIMS, LAYOUT_CLAIMS, readDeclarations, structured } from '../shapes/analyze.js';
import { parseKind } from '../shapes/kinds.js';
import { CLAIM_TYPES, checkRowField, ROW_FIELDS, type ClaimType, type FieldCheck, type FormulaRow } from '../row.js';
import { closest } from '../suggest.js';

export interface TableRow {
  row: FormulaRow;
  /** 1-based line of the row in its file. */
  line: number;
  /** 1-based line of each field, to point errors at the field. */
  fieldLines: Record<string, number>;
  /** Set when the row itself is malformed: it is reported as an error, not checked. */
  problem?: MatcheckError;
}

export interface Table {
  name?: string;
  file?: string;
  rows: TableRow[];
}

const DEFAULT_FIELDS = ['vars', 'dims', 'layout', 'convention', 'trials', 'tolerance'] as const;
export const TOP_FIELDS = ['name', 'defaults', 'formulas'] as const;

export function tableError(message: string, file: string | undefined, line?: number, hint?: string): MatcheckError {
  const where = file ? `${file}${line ? `:${line}` : ''}: ` : line ? `line ${line}: ` : '';
  return new MatcheckError({ code: 'E_TABLE', stage: 'table', message: `${where}${message}`, hint, file, line });
}

/**
 * An unquoted kind in a flow mapping, `{ X: matrix(m,n) }`, is split by YAML
 * at its comma into `X: "matrix(m"` and a key `n)`.
 */
const count = (text: string, c: string) => text.split(c).length - 1;
/** `matrix(m`: the part before the comma. */
const cutAtComma = (text: string): boolean => count(text, '(') > count(text, ')');
/** `n)`: the part after it, which YAML reads as a key. */
export const restAfterComma = (text: string): boolean => count(text, ')') > count(text, '(');
export const CUT_HINT = 'quote each kind: vars: { X: "matrix(m,n)" } (inside { }, an unquoted comma ends the entry)';

/** A value a YAML reader could not convert (a merge of something that is not a mapping, too many aliases): its message. */
export class Unconvertible {
  constructor(readonly why: string) {}
}

export const MERGE_HINT = "'<<' merges mappings: an anchored row or mapping (<<: *anchor), or a list of them (<<: [*a, *b])";

/** What is wrong with a value that could not be converted. */
function unconvertible(key: string, value: Unconvertible): FieldCheck {
  const merge = /merge/i.test(value.why);
  return { problem: `'${key}' cannot be read: ${value.why}`, hint: merge ? MERGE_HINT : undefined };
}

/**
 * An id or seed written as a number that does not print as written (`0123`,
 * `1.10`, `0x1F`, `9007199254740993`, `1234e56789012345`) is the text
 * written: reading it as a number made a pasted seed draw other points (or
 * an infinite one an error) and two distinct ids the same.
 */
function asWritten(key: string, plain: string | undefined, value: unknown): unknown {
  if ((key !== 'id' && key !== 'seed') || plain === undefined) return value;
  return typeof value === 'number' && String(value) !== plain ? plain : value;
}

/** Checks one field's value as every row's is checked, after the YAML-only mistake of a kind cut at a comma. */
function fieldValue(key: string, value: unknown): FieldCheck {
  if (value instanceof Unconvertible) return unconvertible(key, value);
  if (key === 'vars' && typeof value === 'object' && value !== null) {
    const cut = Object.entries(value).find(([, k]) => typeof k === 'string' && cutAtComma(k));
    if (cut) return { problem: `the kind of '${cut[0]}' in vars is cut at a comma: '${cut[1]}'`, hint: CUT_HINT };
  }
  return checkRowField(key, value);
}

/** A field of a row or of the defaults, as a reader found it. */
export interface WrittenField {
  key: string;
  /** Where the field is written for this row: its key, or the `<<` that merges it. */
  line: number;
  /** Its value as plain data, or an Unconvertible; read only for a known field without a problem. */
  value(): unknown;
  /** The text of a plain (unquoted) scalar value, as written. */
  plain?: string;
  /**
   * What the YAML itself says is wrong with the field: a key written twice
   * in the row (the field then has no line), a key written twice inside its
   * value, an alias in its value that names no anchor (told only of a known
   * field).
   */
  yamlProblem?: { kind: 'twice' | 'inside' | 'alias'; problem: MatcheckError };
}

/**
 * A row from its fields, in the order they are applied (merged ones first).
 * `problem`: one the reader found before the fields (an alias naming no
 * anchor, a bad merge). Every field is read even after a problem, so that the
 * row keeps its id and `expect:`; the first problem is the row's.
 */
export function assembleRow(index: number, line: number, fields: readonly WrittenField[], defaults: Partial<FormulaRow>, file: string | undefined, problem?: MatcheckError): TableRow {
  const fieldLines: Record<string, number> = {};
  // vars and dims are maps: a row's entries are added to the defaults' (and
  // replace those of the same name), like the fields of the row itself.
  const row: Record<string, unknown> = { ...defaults, vars: { ...(defaults.vars ?? {}) }, ...(defaults.dims ? { dims: { ...defaults.dims } } : {}) };
  const claims: string[] = [];
  for (const field of fields) {
    const { key, line: at, yamlProblem } = field;
    if (yamlProblem?.kind === 'twice') {
      problem ??= yamlProblem.problem;
      continue;
    }
    fieldLines[key] = at;
    if (yamlProblem?.kind === 'inside') {
      problem ??= yamlProblem.problem;
      continue;
    }
    if (!(ROW_FIELDS as readonly string[]).includes(key)) {
      const guess = closest(key, ROW_FIELDS);
      problem ??= tableError(`unknown field '${key}' in formula ${index + 1}`, file, at, guess ? `did you mean '${guess}'?` : `fields are: ${ROW_FIELDS.join(', ')}`);
      continue;
    }
    if (yamlProblem) {
      problem ??= yamlProblem.problem;
      continue;
    }
    const checked = fieldValue(key, asWritten(key, field.plain, field.value()));
    if (checked.problem) {
      problem ??= tableError(checked.problem, file, at, checked.hint);
      continue;
    }
    if (key === 'vars' || key === 'dims') row[key] = { ...(row[key] as object | undefined), ...(checked.value as object) };
    else row[key] = checked.value;
    if ((CLAIM_TYPES as readonly string[]).includes(key)) claims.push(key);
  }
  inapplicableDefaults(row, fieldLines, claims[0]);
  const fallbackId = `row-${index + 1}`;
  const id = typeof row.id === 'string' ? row.id : fallbackId;
  const result: TableRow = { row: { ...(row as unknown as FormulaRow), id }, line, fieldLines };
  if (problem) return { ...result, problem };
  if (row.id === undefined) return { ...result, problem: tableError(`formula ${index + 1} has no 'id'`, file, line, `add id: a name unique within the table`) };
  // A blank id printed as nothing in the report, and --only could not name it.
  if (id.trim() === '') return { ...result, problem: tableError(`formula ${index + 1} has an empty 'id'`, file, fieldLines.id ?? line, `give it a name unique within the table`) };
  if (row.f === undefined) return { ...result, problem: tableError(`formula '${id}' has no 'f'`, file, line, `add f: "the function", e.g. f: "tr(A*X*B)"`) };
  if (claims.length === 0) return { ...result, problem: tableError(`formula '${id}' makes no claim`, file, line, `add one of ${CLAIM_TYPES.join(', ')}`) };
  if (claims.length > 1) return { ...result, problem: tableError(`formula '${id}' makes ${claims.length} claims (${claims.join(', ')}); a row makes one`, file, fieldLines[claims[1]], 'split it into one row per claim') };
  if (claims[0] !== 'equals' && row.wrt === undefined) return { ...result, problem: tableError(`formula '${id}' has a ${claims[0]} claim but no 'wrt'`, file, line, `add wrt: the variable to differentiate with respect to`) };
  return result;
}

/**
 * A default layout or convention applies to the rows it means something for
 * (a row's own is its own business: analyze refuses it where it means
 * nothing). Defaults serve a whole table, whose identities and Hessians have
 * no layout, and whose general-matrix gradients no convention.
 */
function inapplicableDefaults(row: Record<string, unknown>, own: Record<string, number>, claim: string | undefined): void {
  if (claim === undefined) return;
  const type = claim as ClaimType;
  if (row.layout !== undefined && !Object.hasOwn(own, 'layout') && !LAYOUT_CLAIMS.includes(type)) delete row.layout;
  if (row.convention !== undefined && !Object.hasOwn(own, 'convention') && !(CONVENTION_CLAIMS.includes(type) && structuredWrt(row))) delete row.convention;
}

/** The row's wrt is declared symmetric, spd or diagonal (a kind that does not parse counts as structured: the row's own error says why). */
function structuredWrt(row: Record<string, unknown>): boolean {
  const text = typeof row.wrt === 'string' ? (row.vars as Record<string, unknown> | undefined)?.[row.wrt] : undefined;
  if (typeof text !== 'string') return false;
  try {
    return structured(parseKind(text));
  } catch {
    return true;
  }
}

/** The table's defaults from their fields; a bad default refuses the file (it would make every row wrong). */
export function assembleDefaults(fields: readonly WrittenField[], file: string | undefined): Partial<FormulaRow> {
  const defaults: Partial<FormulaRow> = {};
  for (const field of fields) {
    const { key, line: at } = field;
    if (!(DEFAULT_FIELDS as readonly string[]).includes(key)) {
      const guess = closest(key, DEFAULT_FIELDS);
      throw tableError(`'${key}' cannot be a default`, file, at, `${guess ? `did you mean '${guess}'? ` : ''}defaults may set ${DEFAULT_FIELDS.join(', ')}`);
    }
    const checked = fieldValue(key, field.value());
    if (checked.problem) throw tableError(checked.problem, file, at, checked.hint);
    if (key === 'vars') {
      // Read here, once, at the defaults' line: in each row it was every
      // row's error, at the row's line, with nothing saying it came from defaults.
      try {
        readDeclarations(checked.value as Record<string, string>);
      } catch (e) {
        if (!(e instanceof MatcheckError)) throw e;
        const source = e.source !== undefined && e.span ? ` (in '${e.source}')` : '';
        throw tableError(`defaults: ${e.field ? `${e.field}: ` : ''}${e.message}${source}`, file, at, e.hint);
      }
    }
    (defaults as Record<string, unknown>)[key] = checked.value;
  }
  return defaults;
}

/** The table, once every row is read: an id written twice is the second row's problem. */
export function assembleTable(rows: TableRow[], name: unknown, file: string | undefined): Table {
  const seen = new Map<string, number>();
  for (const r of rows) {
    // The id made up for a row that has none (row-N) is not written anywhere: a row whose id is row-N does not use it twice.
    if (!Object.hasOwn(r.fieldLines, 'id')) continue;
    const id = r.row.id!;
    const first = seen.get(id);
    if (first !== undefined && !r.problem) r.problem = tableError(`id '${id}' is used twice (first on line ${first})`, file, r.line, 'ids are unique within a table; to reuse a row\'s fields under a new id, write { <<: *anchor, id: new-id }');
    else if (first === undefined) seen.set(id, r.line);
  }
  return { name: typeof name === 'string' ? name : undefined, file, rows };
}

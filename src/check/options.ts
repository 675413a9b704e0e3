// The options of the library's checks (checkFormula, the tables, the matchers,
// checkGradient), checked before anything runs: a value of the wrong type or
// range is a usage error naming the option, never a silent default or a
// verdict computed with a nonsense tolerance.
import { MatcheckError } from '../errors.js';
import { isRecord, isSeed, MAX_TRIALS, shown, sizeProblem } from '../row.js';
import { closest } from '../suggest.js';
import type { Table } from '../table/read.js';
import type { CheckOptions } from './formula.js';
import type { TableOptions } from './table.js';

function optionError(message: string, option: string, hint?: string): MatcheckError {
  return new MatcheckError({ code: 'E_USAGE', stage: 'usage', message, field: option ? `options.${option}` : 'options', hint });
}

const positiveInt = (v: unknown, max: number) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max;

/** checkFormula's options: what it reads, and nothing else. */
export const FORMULA_OPTION_NAMES = ['seed', 'trials', 'directions', 'mode', 'tolerance', 'engine', 'diagnose'] as const;

/** The table functions' own options (the library's checkTable, checkTables, checkTableFile). */
const TABLE_ONLY_OPTION_NAMES = ['only', 'onRow'] as const;

/** The table functions' options: checkFormula's, which they pass on to each row, and their own. */
const TABLE_OPTION_NAMES = [...FORMULA_OPTION_NAMES, ...TABLE_ONLY_OPTION_NAMES] as const;

/** The worker pool's option (checkTablesParallel, the CLI's --threads): the library's functions check on the calling thread. */
const POOL_OPTION_NAMES = ['threads'] as const;

/** What to do instead of giving checkFormula a table's option. */
export const TABLE_OPTION_HINT = 'only and onRow are options of the table functions (checkTable, checkTables, checkTableFile); checkFormula checks the one row it is given: leave it out';

/** What to do instead of giving a library function `threads` (it was accepted and ignored). */
export const THREADS_HINT = 'the library checks on the calling thread; rows run on worker threads from the CLI: matcheck table FILE --threads N. Leave it out';

/** checkFormula's hint for each table option given to it (a table passes each row formulaOptions(options)). */
export const TABLE_OPTION_HINTS: Readonly<Record<string, string>> = { ...Object.fromEntries(TABLE_ONLY_OPTION_NAMES.map((name) => [name, TABLE_OPTION_HINT])), threads: THREADS_HINT };

/** checkFormula's part of a table's options: what checkTables should pass on to each row. */
export function formulaOptions(options: TableOptions & { threads?: number }): CheckOptions {
  const { only: _only, onRow: _onRow, threads: _threads, ...own } = options;
  return own;
}

/**
 * An option that is not one of `known` (a misspelt option would be ignored
 * without a word), with a did-you-mean, or the hint `elsewhere` has for an
 * option of another function.
 */
function checkOptionNames(o: Record<string, unknown>, known: readonly string[], elsewhere: Readonly<Record<string, string>> = {}): void {
  for (const key in o) {
    if (o[key] === undefined || known.includes(key)) continue;
    const guess = closest(key, known);
    const hint = Object.hasOwn(elsewhere, key) ? elsewhere[key] : guess ? `did you mean '${guess}'?` : `the options are ${known.join(', ')}`;
    throw optionError(`unknown option '${key}'`, key, hint);
  }
}

/**
 * Checks the options every check shares, and that each option is one of
 * `known` (`elsewhere`: hints for options of other functions); returns them
 * as an object (undefined is no options).
 */
export function checkCommonOptions<T extends object>(options: T | undefined | null, known: readonly string[], elsewhere?: Readonly<Record<string, string>>): T {
  if (options === undefined) return {} as T;
  if (!isRecord(options)) throw optionError(`options must be an object, got ${shown(options)}`, '', 'e.g. { seed: 1, trials: 3 }');
  const o = options as Record<string, unknown>;
  checkOptionNames(o, known, elsewhere);
  const has = (k: string) => o[k] !== undefined;
  if (has('engine') && !(isRecord(o.engine) && isRecord(o.engine.exports) && o.engine.memory instanceof WebAssembly.Memory)) {
    throw optionError(`engine must be an engine from loadEngine(), got ${shown(o.engine)}`, 'engine', 'leave it out to use the shared engine');
  }
  if (has('seed') && !isSeed(o.seed)) throw optionError(`seed must be a non-blank string or a finite number, got ${shown(o.seed)}`, 'seed');
  if (has('trials') && !positiveInt(o.trials, MAX_TRIALS)) throw optionError(`trials must be an integer from 1 to ${MAX_TRIALS}, got ${shown(o.trials)}`, 'trials');
  if (has('directions') && !positiveInt(o.directions, 1000)) throw optionError(`directions must be an integer from 1 to 1000, got ${shown(o.directions)}`, 'directions');
  if (has('mode') && o.mode !== 'directional' && o.mode !== 'entrywise') throw optionError(`mode must be directional or entrywise, got ${shown(o.mode)}`, 'mode');
  if (has('tolerance') && !(typeof o.tolerance === 'number' && o.tolerance > 0 && o.tolerance < 1)) throw optionError(`tolerance must be a number between 0 and 1 (a relative error), got ${shown(o.tolerance)}`, 'tolerance');
  if (has('diagnose') && typeof o.diagnose !== 'boolean') throw optionError(`diagnose must be true or false, got ${shown(o.diagnose)}`, 'diagnose');
  checkTableOnlyTypes(o);
  if (has('dims')) {
    if (!isRecord(o.dims)) throw optionError(`dims must map dimension symbols to sizes, got ${shown(o.dims)}`, 'dims', 'e.g. { n: 5 }');
    for (const [k, v] of Object.entries(o.dims)) {
      const problem = sizeProblem(k, v);
      if (problem) throw optionError(problem.problem!, `dims.${k}`, problem.hint);
    }
  }
  return options;
}

/**
 * A size for a dimension nothing has is a typo (N for n), not something to
 * ignore: E_DIMS with a did-you-mean. `known`: the dimensions there are
 * (free ones with generated labels such as len(x) are not suggested);
 * `owner` says whose kinds, e.g. "kind of this row".
 */
export function checkDimNames(dims: Readonly<Record<string, unknown>> | undefined, known: Iterable<string>, owner: string, field: (name: string) => string): void {
  if (!dims) return;
  const all = known instanceof Set ? (known as ReadonlySet<string>) : new Set(known);
  for (const name of Object.keys(dims)) {
    if (all.has(name)) continue;
    const symbols = [...all].filter((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)).sort();
    const near = symbols.find((k) => k.toLowerCase() === name.toLowerCase());
    throw new MatcheckError({
      code: 'E_DIMS',
      stage: 'check',
      message: `dims names '${name}', but no ${owner} has a dimension '${name}'`,
      field: field(name),
      hint: near ? `did you mean '${near}'?` : symbols.length ? `the dimensions are ${symbols.join(', ')}` : 'there are no dimension symbols: remove dims',
    });
  }
}

/** A did-you-mean for an id no row has (a typo in --only), from the ids there are. */
export function idGuess(tables: readonly Table[], id: string): string | undefined {
  const guess = closest(id, tables.flatMap((t) => t.rows.map((r) => r.row.id!)));
  return guess ? `did you mean '${guess}'?` : undefined;
}

/** The ids in `only` (--only) that no row of the tables has. */
export function unknownIds(tables: readonly Table[], only: readonly string[]): string[] {
  const known = new Set(tables.flatMap((t) => t.rows.map((r) => r.row.id)));
  return only.filter((id) => !known.has(id));
}

/**
 * The options that apply to a table as a whole, checked before any row is:
 * a bad one throws (a seed that is no seed, `only` naming no row of the
 * tables); the others are checked with each row, whose result names them.
 */
export function checkTableOptions(tables: readonly Table[], options: unknown, pool = false): asserts options is TableOptions {
  // The tables themselves, as readTable gives them: anything else threw a TypeError deep inside.
  if (!Array.isArray(tables) || tables.some((t) => !isRecord(t) || !Array.isArray(t.rows))) {
    throw new MatcheckError({ code: 'E_USAGE', stage: 'usage', message: `tables must be tables as readTable returns them, got ${shown(Array.isArray(tables) ? tables.find((t) => !isRecord(t) || !Array.isArray(t.rows)) : tables)}`, field: 'tables', hint: "read one with readTable(text, file), or use checkTableFile('file.yaml')" });
  }
  if (!isRecord(options)) throw optionError(`options must be an object, got ${shown(options)}`, '', "e.g. { seed: 'ci', only: ['tr-AXB'] }");
  // A misspelt option is the table's mistake, not each row's: one error, before any row.
  checkOptionNames(options, pool ? [...TABLE_OPTION_NAMES, ...POOL_OPTION_NAMES] : TABLE_OPTION_NAMES, { threads: THREADS_HINT });
  const { seed, only } = options;
  if (seed !== undefined && !isSeed(seed)) throw optionError(`seed must be a non-blank string or a finite number, got ${shown(seed)}`, 'seed');
  checkTableOnlyTypes(options);
  if (only === undefined) return;
  const missing = unknownIds(tables, only as string[]);
  if (missing.length) throw optionError(`only names ${missing.map((m) => `'${m}'`).join(', ')}, which no table has`, 'only', idGuess(tables, missing[0]));
}

/** The table options' types (whether `only` names rows is the table's to check). */
function checkTableOnlyTypes(o: Record<string, unknown>): void {
  const { only, onRow, threads } = o;
  if (onRow !== undefined && typeof onRow !== 'function') throw optionError(`onRow must be a function (done, total, result) => void, got ${shown(onRow)}`, 'onRow');
  // As the CLI's --threads: any positive integer (the pool starts no more workers than there are cores).
  if (threads !== undefined && !positiveInt(threads, Number.MAX_SAFE_INTEGER)) throw optionError(`threads must be a positive integer (worker threads), got ${shown(threads)}`, 'threads');
  if (only !== undefined && (!Array.isArray(only) || !only.every((id) => typeof id === 'string'))) {
    throw optionError(`only must be an array of row ids, got ${shown(only)}`, 'only', typeof only === 'string' ? `write only: [${JSON.stringify(only)}]` : undefined);
  }
}

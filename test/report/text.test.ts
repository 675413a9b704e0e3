// The human report, from results built by hand: what each line says.
import { describe, expect, it } from 'vitest';
import { summarize, type TableResult } from '../../src/check/table.js';
import { rowDetails, rowLine, tableText } from '../../src/report/text.js';
import type { RowResult } from '../../src/verdict/result.js';

const plain = { color: false };

function row(over: Partial<RowResult>): RowResult {
  return {
    id: 'r',
    verdict: 'pass',
    expected: 'pass',
    met: true,
    relErr: 1e-12,
    tolerance: 1e-9,
    trials: 3,
    seed: '0123456789abcdef',
    dims: { n: 4 },
    trial: 2,
    worst: [],
    diagnosis: null,
    message: null,
    mode: 'directional',
    ...over,
  };
}

function table(rows: RowResult[]): TableResult {
  return { schemaVersion: 1, tool: { name: 'matcheck', version: '0', engine: 'simd' }, seed: '1', rows, summary: summarize(rows) };
}

describe('the text report', () => {
  it('counts trials from 1, of the trials run, where the JSON index counts from 0', () => {
    // trial: 2 is the third of three trials; a failing row stops at its failing trial, so it is trial 1 of 1.
    expect(rowDetails(row({ trial: 2, trials: 3 }), plain)).toEqual(['    seed 0123456789abcdef, trial 3 of 3, dims n=4']);
    const failed = row({ verdict: 'fail', met: false, relErr: 0.5, trial: 0, trials: 1, message: 'relative error 5.00e-1 exceeds the tolerance 1.00e-9' });
    expect(rowDetails(failed, plain)).toEqual(['    relative error 5.00e-1 exceeds the tolerance 1.00e-9', '    seed 0123456789abcdef, trial 1 of 1, dims n=4']);
  });

  it('names an empty id as such instead of leaving a blank', () => {
    const blank = row({ id: '', verdict: 'error', met: false, relErr: null, tolerance: null, trials: 0, trial: null, dims: {}, file: 't.yaml', line: 4, message: "error[E_TABLE]: t.yaml:4: formula 1 has an empty 'id'" });
    expect(rowLine(blank, plain)).toBe('ERROR (no id) t.yaml:4 ✗ expected pass');
    expect(rowLine({ ...blank, id: '  ' }, plain)).toBe('ERROR (no id) t.yaml:4 ✗ expected pass');
    expect(rowLine({ ...blank, id: 'x' }, plain)).toBe('ERROR x t.yaml:4 ✗ expected pass');
  });

  it('says how many of the errors are table files that could not be read', () => {
    const file = row({ id: '(table)', verdict: 'error', met: false, relErr: null, tolerance: null, trials: 0, trial: null, dims: {}, file: 'b.yaml', line: 2, message: "error[E_TABLE]: b.yaml:2: unknown top-level field 'formula'" });
    const bad = row({ id: 'bad', verdict: 'error', met: false, relErr: null, tolerance: null, trials: 0, trial: null, dims: {}, message: 'error[E_PARSE]: f: ...' });
    const last = (rows: RowResult[], unreadable: number) => tableText(table(rows), { color: false, unreadable }).split('\n').at(-1);
    expect(last([row({}), file], 1)).toBe('2 rows: 1 pass, 0 fail, 1 error (a table file that could not be read); 1 row did not meet its expectation (seed 1, engine simd)');
    expect(last([file, bad, { ...file, file: 'c.yaml' }], 2)).toBe('3 rows: 0 pass, 0 fail, 3 error (2 of them table files that could not be read); 3 rows did not meet their expectation (seed 1, engine simd)');
    expect(last([file, { ...file, file: 'c.yaml' }], 2)).toBe('2 rows: 0 pass, 0 fail, 2 error (table files that could not be read); 2 rows did not meet their expectation (seed 1, engine simd)');
    expect(last([row({}), bad], 0)).toBe('2 rows: 1 pass, 0 fail, 1 error; 1 row did not meet its expectation (seed 1, engine simd)');
    // the entry's own line and details, as any error row's
    expect(rowLine(file, plain)).toBe('ERROR (table) b.yaml:2 ✗ expected pass');
    expect(rowDetails(file, plain)).toEqual(["    error[E_TABLE]: b.yaml:2: unknown top-level field 'formula'"]);
  });

  it('says "1 row" and "N rows"', () => {
    expect(tableText(table([row({})]), plain).split('\n').at(-1)).toBe('1 row: 1 pass, 0 fail, 0 error; every row met its expectation (seed 1, engine simd)');
    expect(tableText(table([row({}), row({ id: 's' })]), plain).split('\n').at(-1)).toBe('2 rows: 2 pass, 0 fail, 0 error; every row met its expectation (seed 1, engine simd)');
  });
});

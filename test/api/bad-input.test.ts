// The library checks what it is given as the table reader and the CLI do: a
// bad row field or option is an `error` verdict that names it, never a
// verdict computed with it, a thrown TypeError or an internal error.
import { describe, expect, it } from 'vitest';
import { checkFormula, checkGradient, checkTable, isMatcheckError, readTable, renderError, type FormulaRow } from '../../src/index.js';
import { matchers } from '../../src/matchers/index.js';
import { formulaOptions, TABLE_OPTION_HINT, THREADS_HINT } from '../../src/check/options.js';

expect.extend(matchers);

// sum(X) has gradient matrix(1): `wrong` is off by a factor of 2.
const right: FormulaRow = { id: 'r', vars: { X: 'matrix(m,n)' }, f: 'sum(X)', wrt: 'X', grad: 'matrix(1)' };
const wrong: FormulaRow = { ...right, grad: '2*matrix(1)' };
const bad = (row: unknown) => row as FormulaRow;

describe('checkFormula refuses bad rows and options', () => {
  const cases: [string, () => ReturnType<typeof checkFormula>, string][] = [
    ['directions 0', () => checkFormula(wrong, { directions: 0 }), 'options.directions: directions must be an integer from 1 to 1000, got 0'],
    ['directions -1', () => checkFormula(wrong, { directions: -1 }), 'directions must be an integer from 1 to 1000, got -1'],
    ['a tolerance option of 2', () => checkFormula(wrong, { tolerance: 2 }), 'tolerance must be a number between 0 and 1 (a relative error), got 2'],
    ['a row tolerance of 5', () => checkFormula({ ...wrong, tolerance: 5 }), "'tolerance' must be a number between 0 and 1 (a relative error), got 5"],
    ['a row tolerance of -1', () => checkFormula({ ...right, tolerance: -1 }), 'got -1'],
    ['a row tolerance of NaN', () => checkFormula({ ...right, tolerance: NaN }), 'got NaN'],
    ['a row tolerance "x"', () => checkFormula(bad({ ...right, tolerance: 'x' })), 'got "x"'],
    ['trials 0 in the row', () => checkFormula({ ...right, trials: 0 }), "'trials' must be an integer from 1 to 1000, got 0"],
    ['trials -3 in the options', () => checkFormula(right, { trials: -3 }), 'trials must be an integer from 1 to 1000, got -3'],
    ['a bogus convention', () => checkFormula(bad({ ...right, convention: 'bogus' })), "'convention' must be one of free-entries, projected, unconstrained, got \"bogus\""],
    ['a bogus layout', () => checkFormula(bad({ ...right, layout: 'bogus' })), "'layout' must be one of denominator, numerator"],
    ['a bogus expect', () => checkFormula(bad({ ...right, expect: 'bogus' })), "'expect' must be one of pass, fail, error"],
    ['a bogus mode', () => checkFormula(right, bad({ mode: 'bogus' }) as never), 'mode must be directional or entrywise, got "bogus"'],
    ['no f', () => checkFormula(bad({ ...right, f: undefined })), "the row has no 'f'"],
    ['a size given as a string', () => checkFormula(bad({ ...right, dims: { m: '3' } })), "the size of 'm' in dims must be a positive integer, got \"3\""],
    ['vars as a string', () => checkFormula(bad({ ...right, vars: 'X: matrix(m,n)' })), "'vars' must map names to kinds, got \"X: matrix(m,n)\""],
    ['a misspelt field', () => checkFormula(bad({ ...right, gard: 'x' })), "unknown field 'gard' in the row"],
    ['two claims', () => checkFormula({ ...right, jacobian: 'matrix(1)' }), 'the row makes 2 claims (grad, jacobian); a row makes one'],
    ['no row at all', () => checkFormula(bad(undefined)), 'a formula row must be an object, got nothing'],
    ['options that are not an object', () => checkFormula(right, bad(7) as never), 'options must be an object, got 7'],
    ['a misspelt option', () => checkFormula(right, bad({ trails: 0 }) as never), "unknown option 'trails'"],
    ['a misspelt tolerance option on a wrong claim', () => checkFormula(wrong, bad({ tolerence: 0.9 }) as never), "unknown option 'tolerence'"],
    ['an engine that is not one', () => checkFormula(right, bad({ engine: 5 }) as never), 'engine must be an engine from loadEngine(), got 5'],
    ['a seed of NaN in the row', () => checkFormula(bad({ ...right, seed: NaN })), "'seed' must be a non-blank string or a finite number, got NaN"],
    ['a blank seed in the row (it printed as nothing)', () => checkFormula(bad({ ...right, seed: '  ' })), "'seed' must be a non-blank string or a finite number, got \"  \""],
    ['an empty seed option', () => checkFormula(right, { seed: '' }), 'options.seed: seed must be a non-blank string or a finite number, got ""'],
    ['a size beyond what a check can address', () => checkFormula({ ...right, dims: { m: 1e300 } }), "the size of 'm' in dims is 1e+300, more than 2147483647, the largest a check can address"],
  ];
  it.each(cases)('%s', (_, run, message) => {
    const r = run();
    expect(r.verdict).toBe('error');
    expect(r.relErr).toBeNull();
    expect(r.message).toContain(message);
    expect(r.message).not.toContain('internal error');
  });

  it("formulaOptions: a table's options without its own, for each row's checkFormula", () => {
    const onRow = () => {};
    expect(formulaOptions({ seed: 's', trials: 2, mode: 'entrywise', diagnose: false, only: ['r'], onRow, threads: 3 })).toEqual({ seed: 's', trials: 2, mode: 'entrywise', diagnose: false });
  });

  it('a table option given to checkFormula is an unknown option: it checks one row and would ignore it', () => {
    for (const [option, value] of [['only', ['x']], ['onRow', () => {}], ['threads', 2]] as const) {
      const r = checkFormula(right, bad({ [option]: value }) as never);
      expect(r.verdict).toBe('error');
      expect(r.field).toBe(`options.${option}`);
      expect(r.message).toBe(`error[E_USAGE]: options.${option}: unknown option '${option}'\n  = hint: ${option === 'threads' ? THREADS_HINT : TABLE_OPTION_HINT}`);
    }
  });

  it('a misspelt field or option gets a did-you-mean', () => {
    expect(checkFormula(bad({ ...right, gard: 'x' })).message).toContain("did you mean 'grad'?");
    expect(checkFormula(right, bad({ trails: 2 }) as never).message).toContain("did you mean 'trials'?");
  });

  it('a numeric id is its text, as in a table: the same seed, the same draws', () => {
    const numeric = checkFormula(bad({ ...right, id: 5 }));
    const text = checkFormula({ ...right, id: '5' });
    expect(numeric.id).toBe('5');
    expect(numeric.seed).toBe(text.seed);
    expect(numeric.dims).toEqual(text.dims);
  });

  it('the same rows and options, valid, give the verdicts the bad values were hiding', () => {
    expect(checkFormula(wrong).verdict).toBe('fail');
    expect(checkFormula(right).verdict).toBe('pass');
    expect(checkFormula(right, { trials: 2, directions: 2, tolerance: 1e-8 }).verdict).toBe('pass');
  });

  it('a matcher with a tolerance of 2 does not pass a wrong claim', () => {
    const claim = { f: 'sum(X)', wrt: 'X', vars: { X: 'matrix(m,n)' } };
    expect(() => expect(claim).toHaveGradient('2*matrix(1)', { tolerance: 2 } as never)).toThrow(/tolerance must be a number between 0 and 1/);
    expect(claim).toHaveGradient('matrix(1)');
  });
});

describe('checkGradient refuses bad options and points', () => {
  const f = (X: { data: Float64Array }) => X.data.reduce((s, v) => s + v * v, 0);
  const g = (X: { rows: number; cols: number; data: Float64Array }) => ({ rows: X.rows, cols: X.cols, data: X.data.map((v) => 2 * v) });
  const cases: [string, () => ReturnType<typeof checkGradient>, string][] = [
    ['options null', () => checkGradient(f, g, { X: 'matrix(m,n)' }, null as never), 'options must be an object, got null'],
    ['wrt null', () => checkGradient(f, g, { X: 'matrix(m,n)' }, { wrt: null as never }), 'wrt must name arguments (a name, a position, or an array of them), got null'],
    ['dims as a string', () => checkGradient(f, g, { X: 'matrix(m,n)' }, { dims: 'n=5' as never }), 'dims must map dimension symbols to sizes, got "n=5"'],
    ['dims naming no dimension', () => checkGradient(f, g, { X: 'matrix(m,n)' }, { dims: { N: 5 } }), "dims names 'N', but no argument's kind has a dimension 'N'"],
    ['a huge kind', () => checkGradient(f, g, { X: 'matrix(100000,100000)' }), 'X would be 100000 x 100000, 1.0e+10 entries: more than matcheck checks in one argument (4096 x 4096)'],
    ['huge dims', () => checkGradient(f, g, { X: 'matrix(m,n)' }, { dims: { m: 1e6, n: 1e6 } }), 'X would be 1000000 x 1000000'],
    ['fractional rows', () => checkGradient(f, g, { X: { rows: 1.5, cols: 2, data: new Float64Array(3) } } as never), 'X has rows = 1.5 and cols = 2; both must be positive integers'],
    ['a misspelt option', () => checkGradient(f, g, { X: 'matrix(m,n)' }, bad({ wrtt: 'X' }) as never), "unknown option 'wrtt'"],
    ['an engine that is not one', () => checkGradient(f, g, { X: 'matrix(m,n)' }, bad({ engine: 5 }) as never), 'engine must be an engine from loadEngine()'],
    ['a size beyond what a check can address', () => checkGradient(f, g, { X: 'matrix(m,n)' }, { dims: { m: 1e300 } }), "the size of 'm' in dims is 1e+300, more than 2147483647"],
  ];
  it.each(cases)('%s', (_, run, message) => {
    const r = run();
    expect(r.verdict).toBe('error');
    expect(r.message).toContain(message);
  });

  it("a misspelt dimension gets a did-you-mean, and the right one is used", () => {
    expect(checkGradient(f, g, { X: 'matrix(m,n)' }, { dims: { M: 5 } }).message).toContain("did you mean 'm'?");
    const r = checkGradient(f, g, { X: 'matrix(m,n)' }, { dims: { m: 5 } });
    expect(r.verdict).toBe('pass');
    expect(r.dims.m).toBe(5);
  });
});

describe('checkTable refuses table options it cannot use, before checking any row', () => {
  const text = `formulas:
  - { id: tr-AXB, vars: { A: "matrix(p,m)", X: "matrix(m,n)", B: "matrix(n,p)" }, f: "tr(A*X*B)", wrt: X, grad: "A'*B'" }
  - { id: AXB, vars: { A: "matrix(p,m)", X: "matrix(m,n)", B: "matrix(n,p)" }, f: "A*X*B", wrt: X, differential: "A*dX*B" }
  - { id: X, vars: { X: "matrix(m,n)" }, f: "sum(X)", wrt: X, grad: "matrix(1)" }
`;
  const table = readTable(text, 'api.yaml');
  const thrown = (run: () => unknown): string => {
    try {
      run();
    } catch (e) {
      if (!isMatcheckError(e)) throw e;
      return renderError(e);
    }
    throw new Error('no error');
  };
  it.each([
    // A seed that is no seed was checked with as its text: every object the same seed "[object Object]".
    ['a seed of NaN', { seed: NaN }, 'options.seed: seed must be a non-blank string or a finite number, got NaN'],
    ['a seed that is an object', { seed: { a: 1 } }, 'options.seed: seed must be a non-blank string or a finite number, got {"a":1}'],
    // A string was matched as a substring: 'tr-AXB' selected tr-AXB, AXB and X.
    ['only as a string', { only: 'tr-AXB' }, 'options.only: only must be an array of row ids, got "tr-AXB"'],
    // An id no table has was dropped without a word: a typo checked nothing, and a test suite over the rows had none.
    ['only naming no row', { only: ['tr-AXB', 'tr-AXb'] }, "options.only: only names 'tr-AXb', which no table has"],
    ['onRow that is not a function', { onRow: true }, 'options.onRow: onRow must be a function (done, total, result) => void, got true'],
    ['options that are not an object', null, 'options: options must be an object, got null'],
    // A misspelt option made every row an error, each saying the same.
    ['a misspelt option', { sead: 7 }, "options.sead: unknown option 'sead'\n  = hint: did you mean 'seed'?"],
    ['an option no check has', { workers: 2 }, "options.workers: unknown option 'workers'\n  = hint: the options are seed, trials, directions, mode, tolerance, engine, diagnose, only, onRow"],
    // threads was taken and ignored: the library checks on the calling thread.
    ['threads', { threads: 2 }, `options.threads: unknown option 'threads'\n  = hint: ${THREADS_HINT}`],
  ])('%s', (_, options, message) => {
    expect(thrown(() => checkTable(table, options as never))).toContain(message);
  });

  it('good ones select and seed as before', () => {
    const r = checkTable(table, { only: ['tr-AXB'], seed: 7 });
    expect(r.rows.map((row) => row.id)).toEqual(['tr-AXB']);
    expect(r.seed).toBe('7');
    expect(r.rows[0].verdict).toBe('pass');
  });
});

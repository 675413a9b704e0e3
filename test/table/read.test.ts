import { describe, expect, it, vi } from 'vitest';
import { checkTables } from '../../src/check/table.js';
import { MatcheckError, renderError } from '../../src/errors.js';
import { readTable, type TableRow } from '../../src/table/read.js';
import { closest } from '../../src/suggest.js';

const FILE = 'tables/t.yaml';

/** Reads a table that must read, and returns its rows. */
const rowsOf = (text: string) => readTable(text, FILE).rows;

/** A table of one row, the row's fields given as YAML lines (indented by 4). */
function oneRow(fields: string): TableRow {
  const text = `formulas:\n  - ${fields.trim().split('\n').map((l) => l.trim()).join('\n    ')}\n`;
  const rows = rowsOf(text);
  expect(rows).toHaveLength(1);
  return rows[0];
}

/** The thrown error of a table that must not read. */
function refused(text: string, file: string | undefined = FILE): MatcheckError {
  try {
    readTable(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(MatcheckError);
    return e as MatcheckError;
  }
  throw new Error('the table was read');
}

const VALID = `name: demo
defaults:
  trials: 2
  vars: { A: "matrix(m,n)" }
formulas:
  - id: first
    vars: { x: "vector(n)" }
    f: "x'*x"
    wrt: x
    grad: "2*x"
  - id: second
    source: "Cookbook (101)"
    f: "tr(A'*X)"
    wrt: X
    grad: "A"
    trials: 5
  - { id: third, f: "sum(x)", equals: "x'*vector(1)" }
`;

describe('readTable: rows and lines', () => {
  it('reads the name, every row in order, and the 1-based line of each row', () => {
    const t = readTable(VALID, FILE);
    expect(t.name).toBe('demo');
    expect(t.file).toBe(FILE);
    expect(t.rows.map((r) => r.row.id)).toEqual(['first', 'second', 'third']);
    expect(t.rows.map((r) => r.line)).toEqual([6, 11, 17]);
    expect(t.rows.every((r) => r.problem === undefined)).toBe(true);
  });

  it('keeps the line of every field', () => {
    const [first, second, third] = rowsOf(VALID);
    expect(first.fieldLines).toEqual({ id: 6, vars: 7, f: 8, wrt: 9, grad: 10 });
    expect(second.fieldLines).toEqual({ id: 11, source: 12, f: 13, wrt: 14, grad: 15, trials: 16 });
    expect(third.fieldLines).toEqual({ id: 17, f: 17, equals: 17 });
  });

  it('reads every field in its type', () => {
    const r = oneRow(`id: all
      source: "a source"
      vars: { X: "symmetric(n)", A: "matrix(n,n)" }
      dims: { n: 4 }
      f: "tr(A*X)"
      wrt: X
      grad: "A + A' - A.*eye(n)"
      layout: denominator
      convention: free-entries
      trials: 7
      seed: abc
      tolerance: 1e-6
      expect: pass`);
    expect(r.problem).toBeUndefined();
    expect(r.row).toEqual({
      id: 'all',
      source: 'a source',
      vars: { X: 'symmetric(n)', A: 'matrix(n,n)' },
      dims: { n: 4 },
      f: 'tr(A*X)',
      wrt: 'X',
      grad: "A + A' - A.*eye(n)",
      layout: 'denominator',
      convention: 'free-entries',
      trials: 7,
      seed: 'abc',
      tolerance: 1e-6,
      expect: 'pass',
    });
  });

  it('takes numbers where a formula or an id is written unquoted', () => {
    const r = oneRow(`id: 12
      f: 2
      equals: 2
      seed: 99`);
    expect(r.problem).toBeUndefined();
    expect(r.row.id).toBe('12');
    expect(r.row.f).toBe('2');
    expect(r.row.equals).toBe('2');
    expect(r.row.seed).toBe(99);
  });

  it('reads an unquoted seed or id that is a number as written when the number would print otherwise', () => {
    // A reported seed is 16 hex digits; some have no letter, or only an 'e'.
    const seeds = ['0123456789012345', '9007199254740993', '1234e56789012345', '0x1F', '1.10'];
    const rows = rowsOf(`formulas:\n${seeds.map((s, i) => `  - { id: r${i}, f: "x'*x", wrt: x, grad: "2*x", seed: ${s} }\n`).join('')}`);
    expect(rows.map((r) => [r.problem?.message, r.row.seed])).toEqual(seeds.map((s) => [undefined, s]));
    const ids = rowsOf(`formulas:\n  - { id: 007, f: "x'*x", wrt: x, grad: "2*x" }\n  - { id: 7, f: "x'*x", wrt: x, grad: "2*x" }\n  - { id: 1.0, f: "x'*x", wrt: x, grad: "2*x" }\n`);
    expect(ids.map((r) => [r.row.id, r.problem?.message])).toEqual([
      ['007', undefined],
      ['7', undefined],
      ['1.0', undefined],
    ]);
    // The seed pasted unquoted draws what the quoted one draws.
    const pasted = checkTables([readTable(`formulas:\n  - { id: a, vars: { X: "matrix(m,n)" }, f: "sum(X.^2)", wrt: X, grad: "2*X", seed: 0123456789012345 }\n`, FILE)]).rows[0];
    const quoted = checkTables([readTable(`formulas:\n  - { id: a, vars: { X: "matrix(m,n)" }, f: "sum(X.^2)", wrt: X, grad: "2*X", seed: "0123456789012345" }\n`, FILE)]).rows[0];
    expect(pasted.seed).toBe('0123456789012345');
    expect([pasted.relErr, pasted.dims]).toEqual([quoted.relErr, quoted.dims]);
  });

  it("a row whose id happens to be the one made up for a malformed row (row-N) is not 'used twice'", () => {
    const rows = rowsOf(`formulas:\n  - 3\n  - { id: row-1, f: "x'*x", wrt: x, grad: "2*x" }\n  - { id: row-1, f: "x'*x", wrt: x, grad: "2*x" }\n`);
    expect(rows.map((r) => [r.row.id, r.problem?.message])).toEqual([
      ['row-1', `${FILE}:2: formula 1 is not a mapping of fields`],
      ['row-1', undefined],
      ['row-1', `${FILE}:4: id 'row-1' is used twice (first on line 3)`],
    ]);
  });

  it('refuses an empty id (it printed as nothing, and --only could not name it)', () => {
    const rows = rowsOf(`formulas:\n  - { id: "", f: "x'*x", wrt: x, grad: "2*x" }\n  - id: " "\n    f: "x'*x"\n    wrt: x\n    grad: "2*x"\n`);
    expect(rows.map((r) => r.problem?.message)).toEqual([`${FILE}:2: formula 1 has an empty 'id'`, `${FILE}:3: formula 2 has an empty 'id'`]);
    expect(rows[0].problem!.hint).toBe('give it a name unique within the table');
  });

  it('reads JSON with the line of every row', () => {
    const json = `{
  "name": "json-table",
  "defaults": { "trials": 4 },
  "formulas": [
    { "id": "a", "f": "x'*x", "wrt": "x", "grad": "2*x" },
    {
      "id": "b",
      "vars": { "X": "matrix(m,n)" },
      "f": "sum(X)",
      "wrt": "X",
      "grad": "matrix(1)"
    }
  ]
}`;
    const t = readTable(json, 'tables/t.json');
    expect(t.name).toBe('json-table');
    expect(t.rows.map((r) => [r.row.id, r.line, r.row.trials])).toEqual([
      ['a', 5, 4],
      ['b', 6, 4],
    ]);
    expect(t.rows[1].fieldLines).toEqual({ id: 7, vars: 8, f: 9, wrt: 10, grad: 11 });
    expect(t.rows[1].row.vars).toEqual({ X: 'matrix(m,n)' });
  });

  it('reads an empty formulas list as a table of no rows, and a table without a name', () => {
    const t = readTable('formulas: []\n', FILE);
    expect(t.rows).toEqual([]);
    expect(t.name).toBeUndefined();
  });

  it('resolves YAML anchors and aliases in field values', () => {
    const rows = rowsOf(`formulas:
  - id: a
    vars: &common { x: "vector(n)", A: "matrix(n,n)" }
    f: "x'*A*x"
    wrt: x
    grad: "(A + A')*x"
  - id: b
    vars: *common
    f: "x'*A*x"
    wrt: A
    grad: "x*x'"
`);
    expect(rows.map((r) => r.problem)).toEqual([undefined, undefined]);
    expect(rows[1].row.vars).toEqual({ x: 'vector(n)', A: 'matrix(n,n)' });
  });
});

describe('readTable: defaults', () => {
  const text = `defaults:
  trials: 6
  tolerance: 1e-7
  layout: numerator
  convention: projected
  dims: { n: 3 }
  vars: { A: "matrix(n,n)", x: "vector(n)" }
formulas:
  - id: plain
    f: "x'*A*x"
    wrt: x
    grad: "x'*(A + A')"
  - id: overrides
    vars: { x: "positive vector(n)", y: "vector(n)" }
    trials: 2
    tolerance: 1e-3
    layout: denominator
    convention: unconstrained
    dims: { n: 5 }
    f: "y'*log(x)"
    wrt: y
    grad: "log(x)"
`;

  it('applies every default to a row that does not set the field (a convention only where wrt is structured)', () => {
    const [plain] = rowsOf(text);
    expect(plain.problem).toBeUndefined();
    expect(plain.row).toMatchObject({
      trials: 6,
      tolerance: 1e-7,
      layout: 'numerator',
      dims: { n: 3 },
      vars: { A: 'matrix(n,n)', x: 'vector(n)' },
    });
    expect(plain.row.convention).toBeUndefined();
  });

  it('lets a row override a default, and merges vars (a row adds and overrides names, keeps the others)', () => {
    const [, over] = rowsOf(text);
    expect(over.problem).toBeUndefined();
    expect(over.row).toMatchObject({ trials: 2, tolerance: 1e-3, layout: 'denominator', convention: 'unconstrained', dims: { n: 5 } });
    expect(over.row.vars).toEqual({ A: 'matrix(n,n)', x: 'positive vector(n)', y: 'vector(n)' });
  });

  it('merges dims like vars: a row fixing one symbol keeps the defaults of the others', () => {
    const [a, b] = rowsOf(`defaults:
  dims: { m: 2, n: 3 }
formulas:
  - { id: a, f: "x", equals: "x", dims: { n: 4, k: 6 } }
  - { id: b, f: "x", equals: "x" }
`);
    expect(a.row.dims).toEqual({ m: 2, n: 4, k: 6 });
    expect(b.row.dims).toEqual({ m: 2, n: 3 });
    expect(a.row.dims).not.toBe(b.row.dims);
  });

  it('does not share the vars object between rows', () => {
    const [a, b] = rowsOf(text);
    expect(a.row.vars).not.toBe(b.row.vars);
    expect(a.row.vars).toEqual({ A: 'matrix(n,n)', x: 'vector(n)' });
  });

  it('refuses a default that is not a default field, or has a bad value, naming the line', () => {
    const bad = refused('defaults:\n  trials: 2\n  f: "x"\nformulas: []\n');
    expect(bad.message).toContain(`${FILE}:3:`);
    expect(bad.message).toContain("'f' cannot be a default");
    expect(bad.hint).toContain('vars, dims, layout, convention, trials, tolerance');
    const value = refused('defaults:\n  layout: sideways\nformulas: []\n');
    expect(value.message).toBe(`${FILE}:2: 'layout' must be one of denominator, numerator, got "sideways"`);
    const notMap = refused('defaults: 3\nformulas: []\n');
    expect(notMap.message).toContain(`${FILE}:1:`);
    expect(notMap.message).toContain('`defaults:` must be a mapping');
  });

  it('applies a default layout or convention only to the rows it means something for; a row\'s own is kept (and refused later if it means nothing)', () => {
    const rows = rowsOf(`defaults:
  layout: numerator
  convention: projected
formulas:
  - { id: g, vars: { x: "vector(n)" }, f: "x'*x", wrt: x, grad: "2*x'" }
  - { id: e, f: "tr(X)", equals: "sum(diag(X))" }
  - { id: h, f: "x'*x", wrt: x, hessian: "2*eye(n)" }
  - { id: s, vars: { S: "symmetric(n)", A: "matrix(n,n)" }, f: "tr(A*S)", wrt: S, grad: "(A+A')/2" }
  - { id: m, vars: { X: "matrix(n,n)", A: "matrix(n,n)" }, f: "tr(A*X)", wrt: X, differential: "tr(A*dX)" }
  - { id: own, f: "x'*x", wrt: x, hessian: "2*eye(n)", layout: numerator }
`);
    expect(rows.map((r) => [r.row.id, r.row.layout ?? '-', r.row.convention ?? '-'])).toEqual([
      ['g', 'numerator', '-'],
      ['e', '-', '-'],
      ['h', '-', '-'],
      ['s', 'numerator', 'projected'],
      ['m', '-', '-'],
      ['own', 'numerator', '-'],
    ]);
  });

  it("refuses a default kind or name that no row could use, once, at the defaults' line (not as every row's error)", () => {
    const kind = refused('defaults:\n  trials: 2\n  vars: { X: "matrx(n,n)" }\nformulas:\n  - { id: c, vars: { Y: "matrix(n,n)" }, f: "tr(Y)", wrt: Y, grad: "eye(n)" }\n');
    expect(kind.message).toBe(`${FILE}:3: defaults: vars.X: unknown kind 'matrx' (in 'matrx(n,n)')`);
    expect(kind.hint).toContain('known kinds: scalar, vector, matrix');
    // Typos get a did-you-mean: a default key, a row's expect value.
    expect(refused('defaults:\n  trails: 2\nformulas: []\n').hint).toBe("did you mean 'trials'? defaults may set vars, dims, layout, convention, trials, tolerance");
    expect(rowsOf('formulas:\n  - { id: a, f: "tr(X)", wrt: X, grad: "eye(n)", expect: fial }\n')[0].problem!.hint).toBe("did you mean 'fail'?");
    // The file and line are the error's own fields too, not only the head of its message.
    expect([kind.file, kind.line]).toEqual([FILE, 3]);
    const name = refused('defaults:\n  vars: { pi: "scalar" }\nformulas: []\n');
    expect(name.message).toBe(`${FILE}:2: defaults: vars.pi: 'pi' is the constant pi, so it cannot be declared as a variable`);
    expect(name.hint).toBe('rename the variable, e.g. pi_1');
  });
});

describe('readTable: a malformed row is that row’s problem', () => {
  /** The problem of a one-row table, which must have one. */
  function problemOf(fields: string): MatcheckError {
    const r = oneRow(fields);
    expect(r.problem).toBeInstanceOf(MatcheckError);
    expect(r.problem!.code).toBe('E_TABLE');
    expect(r.problem!.stage).toBe('table');
    return r.problem!;
  }

  it('names an unknown field, its line, and the field it is most likely a typo of', () => {
    const p = problemOf(`id: typo
      f: "x'*x"
      wrt: x
      gard: "2*x"`);
    expect(p.message).toBe(`${FILE}:5: unknown field 'gard' in formula 1`);
    expect(p.hint).toBe("did you mean 'grad'?");
    expect(renderError(p)).toContain("= hint: did you mean 'grad'?");
  });

  it.each([
    ['tolerence', 'tolerance'],
    ['convension', 'convention'],
    ['Wrt', 'wrt'],
    ['jacobain', 'jacobian'],
    ['expected', 'expect'],
    ['var', 'vars'],
  ])('suggests %s -> %s', (typo, field) => {
    const p = problemOf(`id: t
      f: "x'*x"
      wrt: x
      grad: "2*x"
      ${typo}: 1`);
    expect(p.message).toBe(`${FILE}:6: unknown field '${typo}' in formula 1`);
    expect(p.hint).toBe(`did you mean '${field}'?`);
  });

  it('lists the fields when an unknown field is like none of them', () => {
    const p = problemOf(`id: t
      f: "x'*x"
      wrt: x
      grad: "2*x"
      colour: blue`);
    expect(p.message).toContain("unknown field 'colour'");
    expect(p.hint).toBe('fields are: id, source, vars, dims, f, wrt, grad, jacobian, differential, hessian, equals, layout, convention, trials, seed, tolerance, expect');
  });

  // [field, bad value (YAML), what the message must say]
  const BAD_VALUES: [string, string, string][] = [
    ['id', '{ a: 1 }', `'id' must be a string, got {"a":1}`],
    ['id', '[a, b]', `'id' must be a string, got ["a","b"]`],
    ['source', '[a, b]', `'source' must be a string, got ["a","b"]`],
    ['f', '{ x: 1 }', `'f' must be a string, got {"x":1}`],
    ['f', 'true', `'f' must be a string, got true`],
    ['wrt', '3', `'wrt' must be a string, got 3`],
    ['wrt', '[x]', `'wrt' must be a string, got ["x"]`],
    ['grad', '[1, 2]', `'grad' must be a string, got [1,2]`],
    ['jacobian', '{ a: b }', `'jacobian' must be a string, got {"a":"b"}`],
    ['differential', 'null', `'differential' must be a string, got null`],
    ['hessian', '[]', `'hessian' must be a string, got []`],
    ['equals', 'false', `'equals' must be a string, got false`],
    ['vars', '"x: vector(n)"', `'vars' must map names to kinds, got "x: vector(n)"`],
    ['vars', '[x, y]', `'vars' must map names to kinds, got ["x","y"]`],
    ['vars', '{ x: 3 }', `the kind of 'x' in vars must be a string such as "matrix(m,n)", got 3`],
    ['vars', '{ x: [vector, n] }', `the kind of 'x' in vars must be a string such as "matrix(m,n)", got ["vector","n"]`],
    ['dims', '5', `'dims' must map dimension symbols to sizes, got 5`],
    ['dims', '{ n: 0 }', "the size of 'n' in dims must be a positive integer, got 0"],
    ['dims', '{ n: 2.5 }', "the size of 'n' in dims must be a positive integer, got 2.5"],
    ['dims', '{ n: "3" }', `the size of 'n' in dims must be a positive integer, got "3"`],
    ['dims', '{ n: -1 }', "the size of 'n' in dims must be a positive integer, got -1"],
    ['trials', '0', "'trials' must be an integer from 1 to 1000, got 0"],
    ['trials', '1e400', "'trials' must be an integer from 1 to 1000, got Infinity"],
    ['trials', '.nan', "'trials' must be an integer from 1 to 1000, got NaN"],
    ['dims', '{ n: 1e400 }', "the size of 'n' in dims must be a positive integer, got Infinity"],
    ['tolerance', '.inf', "'tolerance' must be a number between 0 and 1 (a relative error), got Infinity"],
    ['trials', '1.5', "'trials' must be an integer from 1 to 1000, got 1.5"],
    ['trials', '1001', "'trials' must be an integer from 1 to 1000, got 1001"],
    ['trials', '"3"', `'trials' must be an integer from 1 to 1000, got "3"`],
    ['trials', 'many', `'trials' must be an integer from 1 to 1000, got "many"`],
    ['tolerance', '0', "'tolerance' must be a number between 0 and 1 (a relative error), got 0"],
    ['tolerance', '1', "'tolerance' must be a number between 0 and 1 (a relative error), got 1"],
    ['tolerance', '-1e-6', "'tolerance' must be a number between 0 and 1 (a relative error), got -0.000001"],
    ['tolerance', 'tight', `'tolerance' must be a number between 0 and 1 (a relative error), got "tight"`],
    ['seed', '[1, 2]', `'seed' must be a non-blank string or a finite number, got [1,2]`],
    ['seed', '{ a: 1 }', `'seed' must be a non-blank string or a finite number, got {"a":1}`],
    ['layout', 'row', `'layout' must be one of denominator, numerator, got "row"`],
    ['layout', '1', "'layout' must be one of denominator, numerator, got 1"],
    ['convention', 'symmetric', `'convention' must be one of free-entries, projected, unconstrained, got "symmetric"`],
    ['convention', 'Projected', `'convention' must be one of free-entries, projected, unconstrained, got "Projected"`],
    ['expect', 'maybe', `'expect' must be one of pass, fail, error, got "maybe"`],
    ['expect', 'true', "'expect' must be one of pass, fail, error, got true"],
  ];

  it.each(BAD_VALUES)('refuses %s: %s', (field, value, message) => {
    // The bad field is on line 3 of its row (the row starts on line 2), after an id.
    const base: Record<string, string> = { id: 'r', f: `"x'*x"`, wrt: 'x', grad: `"2*x"` };
    if (field === 'grad' || field === 'jacobian' || field === 'differential' || field === 'hessian' || field === 'equals') delete base.grad;
    const fields = Object.entries({ [field]: value, ...Object.fromEntries(Object.entries(base).filter(([k]) => k !== field)) });
    const idFirst = field === 'id' ? fields : [['id', 'r'], ...fields.filter(([k]) => k !== 'id')];
    const text = `formulas:\n  - ${idFirst.map(([k, v]) => `${k}: ${v}`).join('\n    ')}\n`;
    const [r] = rowsOf(text);
    expect(r.problem, text).toBeInstanceOf(MatcheckError);
    const line = idFirst.findIndex(([k]) => k === field) + 2;
    expect(r.problem!.message).toBe(`${FILE}:${line}: ${message}`);
    expect(r.fieldLines[field]).toBe(line);
  });

  it('hints how to quote a formula that is not a string', () => {
    const p = problemOf(`id: q
      f: [x]
      equals: "x"`);
    expect(p.hint).toBe('quote the formula: f: "..."');
  });

  it('reports a row without an id at the row, by its position', () => {
    const rows = rowsOf(`formulas:
  - { id: ok, f: "x", equals: "x" }
  - f: "x'*x"
    wrt: x
    grad: "2*x"
`);
    expect(rows[0].problem).toBeUndefined();
    expect(rows[1].row.id).toBe('row-2');
    expect(rows[1].problem!.message).toBe(`${FILE}:3: formula 2 has no 'id'`);
  });

  it('reports a row without f, naming the row', () => {
    const p = problemOf(`id: nof
      wrt: x
      grad: "2*x"`);
    expect(p.message).toBe(`${FILE}:2: formula 'nof' has no 'f'`);
    expect(p.hint).toContain('add f:');
  });

  it('reports a row without a claim, listing the claim fields', () => {
    const p = problemOf(`id: noclaim
      f: "x'*x"
      wrt: x`);
    expect(p.message).toBe(`${FILE}:2: formula 'noclaim' makes no claim`);
    expect(p.hint).toBe('add one of grad, jacobian, differential, hessian, equals');
  });

  it.each(['grad', 'jacobian', 'differential', 'hessian'])('reports a %s claim without wrt', (claim) => {
    const p = problemOf(`id: nowrt
      f: "x'*x"
      ${claim}: "2*x"`);
    expect(p.message).toBe(`${FILE}:2: formula 'nowrt' has a ${claim} claim but no 'wrt'`);
  });

  it('accepts an equals claim without wrt', () => {
    expect(oneRow(`id: eq
      f: "x'*x"
      equals: "sum(x.^2)"`).problem).toBeUndefined();
  });

  it('reports two claims at the line of the second', () => {
    const p = problemOf(`id: two
      f: "x'*x"
      wrt: x
      grad: "2*x"
      hessian: "2*eye(n)"`);
    expect(p.message).toBe(`${FILE}:6: formula 'two' makes 2 claims (grad, hessian); a row makes one`);
    expect(p.hint).toBe('split it into one row per claim');
  });

  it('reports a duplicate id at the second row, naming the first line', () => {
    const rows = rowsOf(`formulas:
  - { id: same, f: "x", equals: "x" }
  - { id: other, f: "x", equals: "x" }
  - { id: same, f: "2*x", equals: "x+x" }
`);
    expect(rows[0].problem).toBeUndefined();
    expect(rows[1].problem).toBeUndefined();
    expect(rows[2].problem!.message).toBe(`${FILE}:4: id 'same' is used twice (first on line 2)`);
  });

  it.each([
    ['a string', '  - just a string\n', 2],
    ['a list', '  - [id, f]\n', 2],
    ['empty', '  -\n', 2],
    ['a number', '  - 42\n', 2],
  ])('reports a row that is %s as not a mapping, at its line', (_what, item, line) => {
    const rows = rowsOf(`formulas:\n${item}  - { id: ok, f: "x", equals: "x" }\n`);
    expect(rows).toHaveLength(2);
    expect(rows[0].row.id).toBe('row-1');
    expect(rows[0].line).toBe(line);
    expect(rows[0].problem!.message).toBe(`${FILE}:${line}: formula 1 is not a mapping of fields`);
    expect(rows[1].problem).toBeUndefined();
  });

  it('keeps reading a row after its first problem: its id and expect still count, the first problem is reported', () => {
    const r = oneRow(`gard: "2*x"
      layout: sideways
      id: kept
      f: "x'*x"
      wrt: x
      grad: "2*x"
      expect: error`);
    expect(r.row.id).toBe('kept');
    expect(r.row.expect).toBe('error');
    expect(r.problem!.message).toBe(`${FILE}:2: unknown field 'gard' in formula 1`);
  });

  it('reports a field written twice in a row as that row’s problem, not the file’s', () => {
    const rows = rowsOf(`formulas:
  - id: dup
    f: "x'*x"
    wrt: x
    grad: "2*x"
    grad: "x"
  - id: fine
    f: "x"
    equals: "x"
`);
    expect(rows[0].problem!.message).toBe(`${FILE}:6: field 'grad' appears twice in formula 1`);
    expect(rows[1].problem).toBeUndefined();
  });

  it('reports a variable declared twice in vars as that row’s problem', () => {
    const rows = rowsOf(`formulas:
  - id: dupvar
    vars:
      x: "vector(n)"
      x: "matrix(n,n)"
    f: "x'*x"
    wrt: x
    grad: "2*x"
  - { id: fine, f: "x", equals: "x" }
`);
    expect(rows[0].problem!.message).toBe(`${FILE}:5: 'x' appears twice in 'vars' of formula 1`);
    expect(rows[0].problem!.hint).toBe('keep one of them');
    expect(rows[1].problem).toBeUndefined();
  });

  it('explains a kind cut at its comma by an unquoted { X: matrix(m,n) }', () => {
    const one = oneRow(`id: cut
      vars: { X: matrix(m,n) }
      f: "sum(X)"
      wrt: X
      grad: "matrix(1)"`);
    expect(one.problem!.message).toBe(`${FILE}:3: the kind of 'X' in vars is cut at a comma: 'matrix(m'`);
    expect(one.problem!.hint).toBe('quote each kind: vars: { X: "matrix(m,n)" } (inside { }, an unquoted comma ends the entry)');
    // two such kinds leave the key 'n)' twice
    const two = oneRow(`id: cut2
      vars: { X: matrix(m,n), A: matrix(m,n) }
      f: "sum(A.*X)"
      wrt: X
      grad: "A"`);
    expect(two.problem!.message).toBe(`${FILE}:3: 'n)' appears twice in 'vars' of formula 1`);
    expect(two.problem!.hint).toBe(one.problem!.hint);
    // quoted, or in block style, the comma stays in the kind
    expect(oneRow(`id: quoted
      vars: { X: "matrix(m,n)" }
      f: "sum(X)"
      wrt: X
      grad: "matrix(1)"`).problem).toBeUndefined();
    const block = rowsOf(`formulas:
  - id: block
    vars:
      X: matrix(m,n)
    f: "sum(X)"
    wrt: X
    grad: "matrix(1)"
`);
    expect(block[0].problem).toBeUndefined();
    expect(block[0].row.vars).toEqual({ X: 'matrix(m,n)' });
  });

  it('reports a duplicate key in a JSON row as that row’s problem', () => {
    const rows = readTable('{"formulas": [{"id": "a", "f": "x", "f": "y", "equals": "x"}, {"id": "b", "f": "x", "equals": "x"}]}', 't.json').rows;
    expect(rows[0].problem!.message).toBe("t.json:1: field 'f' appears twice in formula 1");
    expect(rows[1].problem).toBeUndefined();
  });

  it('says "line N" when the table has no file name', () => {
    const [r] = readTable('formulas:\n  - { id: a, f: "x", equals: "x", tolerance: 2 }\n').rows;
    expect(r.problem!.message).toBe("line 2: 'tolerance' must be a number between 0 and 1 (a relative error), got 2");
  });
});

describe('readTable: a file that is not a table is refused whole, with its line', () => {
  it('refuses invalid YAML with the line of the mistake', () => {
    const e = refused('formulas:\n  - id: a\n    f: "x\n  - id: b\n');
    expect(e.code).toBe('E_TABLE');
    expect(e.stage).toBe('table');
    expect(e.message).toMatch(new RegExp(`^${FILE.replace('.', '\\.')}:\\d+: cannot read the table: `));
    const bad = refused('formulas:\n  - id: a\n   f: "x"\n  - id: b\n');
    expect(bad.message).toMatch(/^tables\/t\.yaml:3: cannot read the table: /);
  });

  it('refuses a tab-indented table at the tab', () => {
    const e = refused('formulas:\n\t- id: a\n');
    expect(e.message).toMatch(/^tables\/t\.yaml:2: cannot read the table: /);
  });

  it("refuses a second YAML document at its '---', saying what to do rather than which yaml API to call", () => {
    const e = refused('formulas:\n  - { id: a, f: "x", equals: "x" }\n---\nformulas:\n  - { id: b, f: "x", equals: "x" }\n');
    expect(e.message).toBe(`${FILE}:3: cannot read the table: a '---' starts a second YAML document`);
    expect(e.hint).toBe("a table file holds one document: remove the '---', or put each table in a file of its own");
    expect(renderError(e)).not.toContain('parseAllDocuments');
    // A '---' before the only document is fine.
    expect(rowsOf('---\nformulas:\n  - { id: a, f: "x", equals: "x" }\n').map((r) => r.row.id)).toEqual(['a']);
  });

  it("a mapping written as a key is the row's unknown field, without a Node warning on stderr advising yaml's mapAsMap", () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const rows = rowsOf(`formulas:\n  - { id: a, f: "x'*x", wrt: x, grad: "2*x", { n: 3 }: 1 }\n`);
      expect(rows[0].problem!.message).toBe(`${FILE}:2: unknown field '{"n":3}' in formula 1`);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses invalid JSON with its line', () => {
    const e = refused('{\n  "formulas": [\n    { "id": "a" "f": "x" }\n  ]\n}\n', 't.json');
    expect(e.message).toMatch(/^t\.json:3: cannot read the table: /);
  });

  it('refuses an unknown top-level field with did-you-mean', () => {
    const e = refused('name: x\nformula:\n  - { id: a, f: "x", equals: "x" }\n');
    expect(e.message).toBe(`${FILE}:2: unknown top-level field 'formula'`);
    expect(e.hint).toBe("did you mean 'formulas'?");
    const far = refused('formulas: []\nauthor: me\n');
    expect(far.message).toBe(`${FILE}:2: unknown top-level field 'author'`);
    expect(far.hint).toBe('a table has name, defaults, formulas');
  });

  it('calls a mapping with other keys and nothing like formulas: not a table (a package.json was "unknown top-level field \'version\'")', () => {
    const e = refused('{ "name": "x", "version": "1.0.0", "scripts": {}, "a": 1, "b": 2, "c": 3 }\n');
    expect(e.message).toBe(`${FILE}:1: not a table: no top-level formulas: key (the file has name, version, scripts, a, b, ...)`);
    expect(e.hint).toBe('a table is a mapping with a formulas: list of rows (spec section 4)');
  });

  it('refuses a table without a formulas list', () => {
    expect(refused('name: empty\n').message).toBe(`${FILE}:1: the table has no \`formulas:\` list`);
    expect(refused('formulas:\n  id: a\n').message).toBe(`${FILE}:1: the table has no \`formulas:\` list`);
    expect(refused('formulas:\n').message).toBe(`${FILE}:1: the table has no \`formulas:\` list`);
  });

  it('refuses a document that is not a mapping', () => {
    const e = refused('- id: a\n  f: x\n');
    expect(e.message).toBe(`${FILE}:1: a table is a mapping with a \`formulas:\` list`);
    expect(refused('').message).toContain('a table is a mapping');
    expect(refused('just text').message).toContain('a table is a mapping');
  });

  it('refuses a top-level key written twice', () => {
    const e = refused('formulas: []\nname: a\nname: b\n');
    expect(e.message).toMatch(/^tables\/t\.yaml:3: cannot read the table: /);
  });
});

describe('closest (did-you-mean)', () => {
  it('finds near misses, case-insensitively, and nothing for far words', () => {
    expect(closest('gard', ['grad', 'wrt'])).toBe('grad');
    expect(closest('GRAD', ['grad', 'wrt'])).toBe('grad');
    expect(closest('hesian', ['hessian', 'grad'])).toBe('hessian');
    expect(closest('zzz', ['grad', 'wrt'])).toBeUndefined();
    expect(closest('x', ['grad'])).toBeUndefined();
  });
});

describe('checkTables: a malformed row never stops the others', () => {
  const text = `formulas:
  - id: good-before
    vars: { x: "vector(n)" }
    f: "x'*x"
    wrt: x
    grad: "2*x"
  - id: typo
    vars: { x: "vector(n)" }
    f: "x'*x"
    wrt: x
    gard: "2*x"
  - not a row
  - id: bad-formula
    vars: { x: "vector(n)" }
    f: "x'*"
    wrt: x
    grad: "2*x"
  - id: expected-error
    f: "x"
    equals: "x"
    trials: 0
    expect: error
  - id: good-after
    vars: { A: "matrix(m,n)", X: "matrix(m,n)" }
    f: "sum(A.*X)"
    wrt: X
    grad: "A"
`;

  it('gives an error verdict to each malformed row only, with its line, and checks the others', () => {
    const result = checkTables([readTable(text, FILE)], { seed: 'read-test' });
    const rows = result.rows.map((r) => ({ id: r.id, line: r.line, file: r.file, verdict: r.verdict, met: r.met }));
    expect(rows).toEqual([
      { id: 'good-before', line: 2, file: FILE, verdict: 'pass', met: true },
      { id: 'typo', line: 7, file: FILE, verdict: 'error', met: false },
      { id: 'row-3', line: 12, file: FILE, verdict: 'error', met: false },
      // a formula error points at the field it is in
      { id: 'bad-formula', line: 15, file: FILE, verdict: 'error', met: false },
      { id: 'expected-error', line: 18, file: FILE, verdict: 'error', met: true },
      { id: 'good-after', line: 23, file: FILE, verdict: 'pass', met: true },
    ]);
    expect(result.summary).toEqual({ rows: 6, pass: 2, fail: 0, error: 4, met: 3, unmet: 3 });
  });

  it('carries the table problem as the row’s message, and no measurement', () => {
    const result = checkTables([readTable(text, FILE)], { seed: 'read-test' });
    const typo = result.rows.find((r) => r.id === 'typo')!;
    expect(typo.message).toBe(`error[E_TABLE]: ${FILE}:11: unknown field 'gard' in formula 2\n  = hint: did you mean 'grad'?`);
    expect(typo.relErr).toBeNull();
    expect(typo.tolerance).toBeNull();
    expect(typo.trials).toBe(0);
    expect(typo.expected).toBe('pass');
    const notRow = result.rows.find((r) => r.id === 'row-3')!;
    expect(notRow.message).toContain(`${FILE}:12: formula 3 is not a mapping of fields`);
    const bad = result.rows.find((r) => r.id === 'bad-formula')!;
    expect(bad.message).toContain("'*' is missing its right operand");
    expect(bad.field).toBe('f');
  });

  it('checks rows of several files, each with its file', () => {
    const a = readTable('formulas:\n  - { id: a, f: "x", equals: "x" }\n', 'a.yaml');
    const b = readTable('formulas:\n  - { id: b, f: "x", equals: "2*x" }\n  - { id: c, f: "x" }\n', 'b.json');
    const result = checkTables([a, b]);
    expect(result.rows.map((r) => [r.id, r.file, r.line, r.verdict])).toEqual([
      ['a', 'a.yaml', 2, 'pass'],
      ['b', 'b.json', 2, 'fail'],
      ['c', 'b.json', 3, 'error'],
    ]);
  });
});

describe('anchors, aliases and merge keys', () => {
  it('a row written as an alias is the row it names (so its id is used twice)', () => {
    const rows = rowsOf(`formulas:
  - &r { id: a, vars: { X: "matrix(n,n)" }, f: "tr(X)", wrt: X, grad: "eye(n)" }
  - *r
`);
    expect(rows[1].row.f).toBe('tr(X)');
    expect(rows[1].problem!.message).toBe(`${FILE}:3: id 'a' is used twice (first on line 2)`);
    expect(rows[1].problem!.hint).toContain('{ <<: *anchor, id: new-id }');
  });

  it("a merge key takes the anchored row's fields; the row's own fields win", () => {
    const rows = rowsOf(`formulas:
  - &r { id: a, vars: { X: "matrix(n,n)" }, f: "tr(X)", wrt: X, grad: "eye(n)" }
  - { <<: *r, id: b }
  - <<: *r
    id: c
    grad: "2*eye(n)"
    expect: fail
`);
    expect(rows.map((r) => r.problem)).toEqual([undefined, undefined, undefined]);
    expect(rows[1].row).toMatchObject({ id: 'b', f: 'tr(X)', wrt: 'X', grad: 'eye(n)', vars: { X: 'matrix(n,n)' } });
    expect(rows[2].row).toMatchObject({ id: 'c', f: 'tr(X)', grad: '2*eye(n)', expect: 'fail' });
    // A merged field's line is the line of its '<<'.
    expect(rows[2].fieldLines).toMatchObject({ f: 4, id: 5, grad: 6 });
    const t = checkTables([{ file: FILE, rows }]);
    expect(t.rows.map((r) => [r.id, r.verdict, r.met])).toEqual([['a', 'pass', true], ['b', 'pass', true], ['c', 'fail', true]]);
  });

  it('with several sources the first one wins, and a bad merged value is reported at the <<', () => {
    const rows = rowsOf(`formulas:
  - &one { id: a, vars: { X: "matrix(n,n)" }, f: "tr(X)", wrt: X, grad: "eye(n)" }
  - &two { id: z, f: "sum(X)", tolerance: 2, vars: { X: "matrix(n,n)" }, wrt: X, grad: "matrix(1)", expect: error }
  - { <<: [*one, *two], id: b, tolerance: 1e-8 }
  - { <<: *two, id: c }
`);
    expect(rows[2].problem).toBeUndefined();
    expect(rows[2].row).toMatchObject({ id: 'b', f: 'tr(X)', grad: 'eye(n)', tolerance: 1e-8, expect: 'error' });
    expect(rows[3].problem!.message).toBe(`${FILE}:5: 'tolerance' must be a number between 0 and 1 (a relative error), got 2`);
  });

  it("a merge of something that is not a mapping is the row's error, at its <<", () => {
    const rows = rowsOf(`formulas:
  - &a { id: a, vars: { x: "vector(n)" }, f: "x'*x", wrt: x, grad: "2*x" }
  - <<: 5
    id: b
  - <<: [*a, 7]
    id: c
  - { <<: *a, id: d }
`);
    expect(rows[1].problem!.message).toBe(`${FILE}:3: '<<' in formula 2 merges 5, which is not a mapping`);
    expect(rows[1].problem!.hint).toContain('<<: *anchor');
    expect(rows[2].problem!.message).toBe(`${FILE}:5: '<<' in formula 3 merges 7, which is not a mapping`);
    expect(rows[3].problem).toBeUndefined();
  });

  it('defaults may merge too, and a top-level << is an unknown field by its name', () => {
    const t = readTable(`defaults:
  <<: { trials: 2 }
  vars: { x: "vector(n)" }
formulas:
  - { id: a, f: "x'*x", wrt: x, grad: "2*x" }
`, FILE);
    expect(t.rows[0].row).toMatchObject({ trials: 2, vars: { x: 'vector(n)' } });
    expect(() => readTable(`<<: { name: t }\nformulas: []\n`, FILE)).toThrow("unknown top-level field '<<'");
  });

  it("an alias that names no anchor is that row's error at its line, not an internal error refusing the table", () => {
    // yaml throws 'Unresolved alias' when converting such a value: the whole table was an internal error, exit 2.
    const rows = rowsOf(`formulas:
  - &base { id: a, vars: { x: "vector(n)" }, f: "x'*x", wrt: x, grad: "2*x" }
  - id: b
    f: "x'*x"
    vars: *vars
    wrt: x
    grad: "2*x"
  - { <<: *bas, id: c }
  - *nope
  - { <<: *later, id: d }
  - &later { id: e, vars: { x: *vec }, f: "x'*x", wrt: x, grad: "2*x" }
  - { <<: *later, id: f }
  - { <<: *base, id: g }
`);
    expect(rows.map((r) => [r.row.id, r.problem?.message, r.problem?.hint])).toEqual([
      ['a', undefined, undefined],
      ['b', `${FILE}:5: '*vars' names no anchor: an alias repeats a value marked earlier with &vars`, 'mark the value to repeat with &vars, above this line'],
      ['c', `${FILE}:8: '*bas' names no anchor: an alias repeats a value marked earlier with &bas`, "did you mean '*base'?"],
      ['row-4', `${FILE}:9: '*nope' names no anchor: an alias repeats a value marked earlier with &nope`, 'mark the value to repeat with &nope, above this line'],
      ['d', `${FILE}:10: '*later' comes before the value marked &later`, 'an alias repeats a value marked above it: move &later above this line'],
      ['e', `${FILE}:11: '*vec' names no anchor: an alias repeats a value marked earlier with &vec`, 'mark the value to repeat with &vec, above this line'],
      // merged from row e, whose vars cannot be read: an error at the <<, not a row without vars
      ['f', `${FILE}:12: '*vec' names no anchor: an alias repeats a value marked earlier with &vec`, 'mark the value to repeat with &vec, above this line'],
      ['g', undefined, undefined],
    ]);
    const t = checkTables([{ file: FILE, rows }]);
    expect(t.rows.map((r) => r.verdict)).toEqual(['pass', 'error', 'error', 'error', 'error', 'error', 'error', 'pass']);
    // Outside the rows, it refuses the file at its line.
    const e = refused(`defaults:\n  vars: *vars\nformulas:\n  - { id: a, f: "x'*x", wrt: x, grad: "2*x" }\n`);
    expect(e.message).toBe(`${FILE}:2: '*vars' names no anchor: an alias repeats a value marked earlier with &vars`);
    expect(refused('formulas: *rows\n').message).toBe(`${FILE}:1: '*rows' names no anchor: an alias repeats a value marked earlier with &rows`);
  });

  it('one alias naming no anchor does not make a large table that shares values through anchors slow to read', () => {
    // yaml refuses to convert such a document whole; the field-by-field fallback resolved every alias by
    // searching the document: 2,000 rows with vars: *v and one typo took about half a minute.
    const rows = Array.from({ length: 2000 }, (_, i) => `  - { id: r${i}, vars: ${i === 0 ? '&v { x: "vector(n)" }' : '*v'}, f: "x'*x", wrt: x, grad: "2*x" }`);
    const text = `formulas:\n${rows.join('\n')}\n  - { id: typo, vars: *w, f: "x'*x", wrt: x, grad: "2*x" }\n`;
    const start = performance.now();
    const read = rowsOf(text);
    expect(performance.now() - start).toBeLessThan(10_000);
    expect(read.filter((r) => r.problem).map((r) => [r.row.id, r.problem!.message])).toEqual([['typo', `${FILE}:2002: '*w' names no anchor: an alias repeats a value marked earlier with &w`]]);
    expect(read[1999].row.vars).toEqual({ x: 'vector(n)' });
  });

  it("a merge of a non-mapping inside a field's value is that row's error (it was an internal error refusing the table)", () => {
    const rows = rowsOf(`formulas:
  - { id: a, vars: { <<: 5, x: "vector(n)" }, f: "x'*x", wrt: x, grad: "2*x" }
  - { id: b, f: "x'*x", wrt: x, grad: "2*x" }
`);
    expect(rows.map((r) => [r.row.id, r.problem?.message, r.problem?.hint])).toEqual([
      ['a', `${FILE}:2: 'vars' cannot be read: Merge sources must be maps or map aliases`, "'<<' merges mappings: an anchored row or mapping (<<: *anchor), or a list of them (<<: [*a, *b])"],
      ['b', undefined, undefined],
    ]);
    const e = refused(`defaults:\n  vars: { <<: 5 }\nformulas:\n  - { id: b, f: "x'*x", wrt: x, grad: "2*x" }\n`);
    expect(e.message).toBe(`${FILE}:2: 'vars' cannot be read: Merge sources must be maps or map aliases`);
  });

  it('one bad merge does not make a large table that shares values through anchors slow to read', () => {
    // yaml refuses to convert such a document whole, and converting it field by field listed the
    // document's anchors again for every alias: 4,000 rows with vars: *v and one <<: 5 took 165 s.
    const rows = Array.from({ length: 2000 }, (_, i) => `  - { id: r${i}, vars: ${i === 0 ? '&v { x: "vector(n)" }' : '*v'}, f: "x'*x", wrt: x, grad: "2*x" }`);
    const text = `formulas:\n${rows.join('\n')}\n  - { <<: 5, id: bad, f: "x'*x", wrt: x, grad: "2*x" }\n`;
    const start = performance.now();
    const read = rowsOf(text);
    expect(performance.now() - start).toBeLessThan(10_000);
    expect(read.filter((r) => r.problem).map((r) => [r.row.id, r.problem!.message])).toEqual([['bad', `${FILE}:2002: '<<' in formula 2001 merges 5, which is not a mapping`]]);
    expect(read[1999].row.vars).toEqual({ x: 'vector(n)' });
  });

  it('an anchor defined again is the one an alias after it names', () => {
    const rows = rowsOf(`formulas:
  - &r { id: a, vars: { x: "vector(n)" }, f: "x'*x", wrt: x, grad: "2*x" }
  - { <<: *r, id: b }
  - &r { id: c, vars: { x: "vector(n)" }, f: "sum(x)", wrt: x, grad: "vector(1)" }
  - { <<: *r, id: d }
`);
    expect(rows.map((r) => [r.row.id, r.row.f])).toEqual([['a', "x'*x"], ['b', "x'*x"], ['c', 'sum(x)'], ['d', 'sum(x)']]);
  });
});

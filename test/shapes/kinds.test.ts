// Kind declarations (spec section 2): parseKind for every kind, the
// `positive` prefix, integer and symbolic dimensions, spaces; located E_KIND
// errors; the defaults of undeclared names; kindShape and printKind.
import { describe, expect, it } from 'vitest';
import { MatcheckError, renderError } from '../../src/errors.js';
import { defaultBase, isSquareKind, KIND_NAMES, kindShape, parseKind, printKind, type Kind } from '../../src/shapes/kinds.js';

/** The E_KIND error parseKind throws for `source`. */
function kindError(source: string, field?: string): MatcheckError {
  try {
    parseKind(source, field);
  } catch (e) {
    if (e instanceof MatcheckError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be refused`);
}

const sym = (symbol: string) => ({ symbol });
const val = (value: number) => ({ value });

describe('parseKind: every kind', () => {
  const cases: [string, Kind][] = [
    ['scalar', { base: 'scalar', positive: false, dims: [] }],
    ['vector(n)', { base: 'vector', positive: false, dims: [sym('n')] }],
    ['matrix(m,n)', { base: 'matrix', positive: false, dims: [sym('m'), sym('n')] }],
    ['symmetric(n)', { base: 'symmetric', positive: false, dims: [sym('n')] }],
    ['spd(n)', { base: 'spd', positive: false, dims: [sym('n')] }],
    ['diagonal(n)', { base: 'diagonal', positive: false, dims: [sym('n')] }],
    ['orthogonal(n)', { base: 'orthogonal', positive: false, dims: [sym('n')] }],
    ['invertible(n)', { base: 'invertible', positive: false, dims: [sym('n')] }],
  ];
  it.each(cases)('%s', (source, kind) => {
    expect(parseKind(source)).toEqual(kind);
  });

  it('covers every kind name', () => {
    expect(new Set(cases.map(([, k]) => k.base))).toEqual(new Set(KIND_NAMES));
    expect(KIND_NAMES).toHaveLength(8);
  });

  it('the positive prefix, for every kind but orthogonal', () => {
    for (const [source, kind] of cases) {
      if (kind.base === 'orthogonal') continue;
      expect(parseKind(`positive ${source}`)).toEqual({ ...kind, positive: true });
    }
  });

  it('integer dimensions', () => {
    expect(parseKind('vector(3)')).toEqual({ base: 'vector', positive: false, dims: [val(3)] });
    expect(parseKind('matrix(3,1)')).toEqual({ base: 'matrix', positive: false, dims: [val(3), val(1)] });
    expect(parseKind('matrix(m, 3)').dims).toEqual([sym('m'), val(3)]);
    expect(parseKind('spd(12)').dims).toEqual([val(12)]);
    expect(parseKind('vector(1)').dims).toEqual([val(1)]);
    expect(parseKind('vector(007)').dims).toEqual([val(7)]);
  });

  it('symbolic dimensions: letters, words, digits and underscores', () => {
    expect(parseKind('matrix(rows, cols)').dims).toEqual([sym('rows'), sym('cols')]);
    expect(parseKind('vector(n_1)').dims).toEqual([sym('n_1')]);
    expect(parseKind('vector(_k)').dims).toEqual([sym('_k')]);
    expect(parseKind('matrix(N,n)').dims).toEqual([sym('N'), sym('n')]);
    expect(parseKind('symmetric(dim2)').dims).toEqual([sym('dim2')]);
  });

  it('spaces anywhere between the parts', () => {
    const want: Kind = { base: 'matrix', positive: true, dims: [sym('m'), val(4)] };
    for (const s of ['positive matrix(m,4)', '  positive   matrix ( m , 4 )  ', 'positive\tmatrix(m,\t4)', 'positive matrix(m,4) ']) {
      expect(parseKind(s), JSON.stringify(s)).toEqual(want);
    }
    expect(parseKind(' scalar ')).toEqual({ base: 'scalar', positive: false, dims: [] });
    expect(parseKind('scalar()')).toEqual({ base: 'scalar', positive: false, dims: [] });
  });
});

describe('parseKind: errors are E_KIND with a span', () => {
  it('an unknown kind names it, points at it and lists the known kinds', () => {
    const e = kindError('matirx(m,n)', 'vars.A');
    expect(e.code).toBe('E_KIND');
    expect(e.stage).toBe('kinds');
    expect(e.field).toBe('vars.A');
    expect(e.message).toContain("unknown kind 'matirx'");
    expect(e.span).toEqual({ start: 0, end: 6 });
    expect(e.hint).toMatch(/^did you mean 'matrix'\? known kinds: /);
    expect(e.hint).toContain('positive');
    for (const k of KIND_NAMES) expect(e.hint).toContain(k);
    // Nothing near: the list alone.
    expect(kindError('tensor(n)').hint).toMatch(/^known kinds: /);
  });

  it('an unknown kind after positive is located after the prefix', () => {
    const e = kindError('positive sdp(n)');
    expect(e.code).toBe('E_KIND');
    expect(e.span).toEqual({ start: 9, end: 12 });
    expect(e.message).toContain("'sdp'");
    const f = kindError('  positive  Matrix(m,n)');
    expect(f.span).toEqual({ start: 12, end: 18 });
  });

  it('kind names are case-sensitive, and positive needs a kind', () => {
    expect(kindError('Matrix(m,n)').message).toContain("unknown kind 'Matrix'");
    expect(kindError('positivematrix(m,n)').message).toContain("unknown kind 'positivematrix'");
    expect(kindError('positive').code).toBe('E_KIND');
  });

  it('wrong arity says how many dimensions the kind takes and shows an example', () => {
    const cases: [string, string, string][] = [
      ['matrix(n)', 'two dimensions, got 1', 'matrix(m,n)'],
      ['matrix(a,b,c)', 'two dimensions, got 3', 'matrix(m,n)'],
      ['vector(m,n)', 'one dimension, got 2', 'vector(n)'],
      ['vector', 'one dimension, got 0', 'vector(n)'],
      ['vector()', 'one dimension, got 0', 'vector(n)'],
      ['spd(m,n)', 'one dimension, got 2', 'spd(n)'],
      ['scalar(n)', 'no dimensions, got 1', 'scalar'],
      ['positive invertible', 'one dimension, got 0', 'invertible(n)'],
    ];
    for (const [source, message, example] of cases) {
      const e = kindError(source);
      expect(e.code, source).toBe('E_KIND');
      expect(e.message, source).toContain(message);
      expect(e.hint, source).toBe(`write ${example}`);
      // From the kind's name to the end of the declaration.
      const nameStart = source.startsWith('positive ') ? 9 : 0;
      expect(e.span, source).toEqual({ start: nameStart, end: source.length });
    }
  });

  it('a bad dimension is located exactly', () => {
    const cases: [string, number, number, string][] = [
      ['vector(0)', 7, 8, 'at least 1'],
      ['matrix(m, 0)', 10, 11, 'at least 1'],
      ['vector(n-1)', 7, 10, "'n-1' is not a dimension"],
      ['vector(1.5)', 7, 10, "'1.5' is not a dimension"],
      ['vector(-2)', 7, 9, "'-2' is not a dimension"],
      ['matrix(m,  2n)', 11, 13, "'2n' is not a dimension"],
      ['positive symmetric( n+1 )', 20, 23, "'n+1' is not a dimension"],
      ['matrix(m,)', 9, 10, "'' is not a dimension"],
    ];
    for (const [source, start, end, message] of cases) {
      const e = kindError(source);
      expect(e.code, source).toBe('E_KIND');
      expect(e.span, source).toEqual({ start, end });
      expect(e.message, source).toContain(message);
    }
  });

  it('positive orthogonal is refused: its entries cannot all be positive', () => {
    const e = kindError('positive orthogonal(n)');
    expect(e.code).toBe('E_KIND');
    expect(e.message).toContain('orthogonal');
    expect(e.span).toEqual({ start: 0, end: 19 });
    expect(e.hint).toContain("drop 'positive'");
    const f = kindError('  positive orthogonal(3)');
    expect(f.span).toEqual({ start: 2, end: 21 });
  });

  it('unreadable declarations', () => {
    for (const source of ['', 'vector(n', 'vector(n)x', 'positive positive scalar', '3', 'matrix[m,n]']) {
      const e = kindError(source);
      expect(e.code, source).toBe('E_KIND');
      expect(e.message, source).toContain('cannot read the kind declaration');
      expect(e.span, source).toEqual({ start: 0, end: Math.max(1, source.length) });
      expect(e.hint).toContain('matrix(m,n)');
    }
  });

  it('renders with a caret under the span', () => {
    const e = kindError('matrix(m, 0)', 'vars.X');
    const text = renderError(e);
    expect(text).toContain('error[E_KIND]: vars.X: a dimension must be at least 1, got 0');
    expect(text).toContain('  | matrix(m, 0)\n  |           ^ (column 11)');
  });
});

describe('defaultBase: matrixcalculus.org defaults for undeclared names', () => {
  it('a-g are scalars, h-z vectors, A-Z matrices', () => {
    for (const c of 'abcdefg') expect(defaultBase(c), c).toBe('scalar');
    for (const c of 'hijklmnopqrstuvwxyz') expect(defaultBase(c), c).toBe('vector');
    for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') expect(defaultBase(c), c).toBe('matrix');
  });
  it('only the first character counts', () => {
    expect(defaultBase('alpha')).toBe('scalar');
    expect(defaultBase('gZ9')).toBe('scalar');
    expect(defaultBase('hx')).toBe('vector');
    expect(defaultBase('x_1')).toBe('vector');
    expect(defaultBase('W2')).toBe('matrix');
    expect(defaultBase('Sigma')).toBe('matrix');
  });
  it('a leading underscore has no default', () => {
    expect(defaultBase('_x')).toBeUndefined();
    expect(defaultBase('_')).toBeUndefined();
    expect(defaultBase('_A')).toBeUndefined();
  });
});

describe('kind shapes and printing', () => {
  it('kindShape gives rows and columns', () => {
    expect(kindShape(parseKind('scalar'))).toEqual([val(1), val(1)]);
    expect(kindShape(parseKind('vector(n)'))).toEqual([sym('n'), val(1)]);
    expect(kindShape(parseKind('matrix(m,3)'))).toEqual([sym('m'), val(3)]);
    for (const k of ['symmetric', 'spd', 'diagonal', 'orthogonal', 'invertible']) {
      expect(kindShape(parseKind(`${k}(k)`)), k).toEqual([sym('k'), sym('k')]);
      expect(isSquareKind(parseKind(`${k}(k)`).base), k).toBe(true);
    }
    for (const k of ['scalar', 'vector(n)', 'matrix(m,n)']) expect(isSquareKind(parseKind(k).base), k).toBe(false);
  });
  it('printKind round-trips through parseKind', () => {
    for (const s of ['scalar', 'positive scalar', 'vector(n)', 'matrix(m,3)', 'positive spd(n)', 'orthogonal(4)', 'positive diagonal(rows)']) {
      expect(printKind(parseKind(s))).toBe(s);
      expect(parseKind(printKind(parseKind(s)))).toEqual(parseKind(s));
    }
    expect(printKind(parseKind('  positive  matrix( m , n )'))).toBe('positive matrix(m,n)');
  });
});

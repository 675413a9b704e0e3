import { describe, it, expect } from 'vitest';
import { tokenize } from '../../src/parse/tokens.js';
import { MatcheckError } from '../../src/errors.js';

const kinds = (s: string) => tokenize(s).map((t) => (t.kind === 'eof' ? 'eof' : `${t.kind}:${t.text}`));

describe('tokenize', () => {
  it.each([
    ['2', 2],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['1e-3', 1e-3],
    ['2.5E+4', 2.5e4],
    ['2.', 2],
    ['2.e3', 2000],
    ['007', 7],
    ['1E5', 1e5],
    ['1e-999', 0],
  ])('reads the number %s', (text, value) => {
    const [t, eof] = tokenize(text);
    expect(t).toEqual({ kind: 'number', text, value, span: { start: 0, end: text.length } });
    expect(eof.kind).toBe('eof');
  });

  it('reads identifiers, operators, parentheses and commas', () => {
    expect(kinds("x_1+W2-_a*b/c.*d./e^f.^g'(h,i)")).toEqual([
      'ident:x_1', 'op:+', 'ident:W2', 'op:-', 'ident:_a', 'op:*', 'ident:b', 'op:/', 'ident:c', 'op:.*', 'ident:d',
      'op:./', 'ident:e', 'op:^', 'ident:f', 'op:.^', 'ident:g', "op:'", 'lparen:(', 'ident:h', 'comma:,', 'ident:i',
      'rparen:)', 'eof',
    ]);
  });

  it('gives every token its span', () => {
    const tokens = tokenize(' ab .* 1.5e2 ');
    expect(tokens.map((t) => t.span)).toEqual([
      { start: 1, end: 3 },
      { start: 4, end: 6 },
      { start: 7, end: 12 },
      { start: 13, end: 13 },
    ]);
  });

  // MATLAB reads `2.*x` as `2 .* x`: a '.' after digits followed by * / ^ ' belongs to the operator.
  it.each([
    ['2.*x', ['number:2', 'op:.*', 'ident:x', 'eof']],
    ['2./x', ['number:2', 'op:./', 'ident:x', 'eof']],
    ['2.^x', ['number:2', 'op:.^', 'ident:x', 'eof']],
    ['2. *x', ['number:2.', 'op:*', 'ident:x', 'eof']],
    ['2..*x', ['number:2.', 'op:.*', 'ident:x', 'eof']],
    ['1.5.*x', ['number:1.5', 'op:.*', 'ident:x', 'eof']],
    ['1e3.^2', ['number:1e3', 'op:.^', 'number:2', 'eof']],
    ['2.+x', ['number:2.', 'op:+', 'ident:x', 'eof']],
    ['x.*.5', ['ident:x', 'op:.*', 'number:.5', 'eof']],
  ])('resolves the dot in %s like MATLAB', (source, expected) => {
    expect(kinds(source)).toEqual(expected);
  });

  it('splits a number from a following name (the parser then reports the missing operator)', () => {
    expect(kinds('2x')).toEqual(['number:2', 'ident:x', 'eof']);
    expect(kinds('2exp')).toEqual(['number:2', 'ident:exp', 'eof']);
    expect(kinds('1e3e4')).toEqual(['number:1e3', 'ident:e4', 'eof']);
  });

  it('treats tabs, newlines and non-breaking spaces as whitespace', () => {
    expect(kinds('a\t+\nb\u00a0*\u2009c')).toEqual(['ident:a', 'op:+', 'ident:b', 'op:*', 'ident:c', 'eof']);
  });

  it('throws E_CHAR for an astral character with a two-unit span', () => {
    try {
      tokenize('x+😀');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MatcheckError);
      const err = e as MatcheckError;
      expect(err.code).toBe('E_CHAR');
      expect(err.span).toEqual({ start: 2, end: 4 });
    }
  });
});

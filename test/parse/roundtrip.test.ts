import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseFormula, printExpr, sameTree, stripSpans } from '../../src/parse/index.js';
import type { BinaryOp, Expr, NumberNode } from '../../src/parse/ast.js';
import { FUNCTION_NAMES, lookupFunction } from '../../src/parse/functions.js';
import { MatcheckError } from '../../src/errors.js';
import { sexpr } from './helpers.js';

const NO_SPAN = { start: 0, end: 0 };
const OPS: BinaryOp[] = ['+', '-', '*', '/', '.*', './', '^', '.^'];

const num = (text: string): NumberNode => ({ kind: 'number', text, value: text === 'pi' ? Math.PI : Number(text), span: NO_SPAN });
const v = (name: string): Expr => ({ kind: 'var', name, span: NO_SPAN });
const neg = (arg: Expr): Expr => ({ kind: 'neg', arg, span: NO_SPAN });
const tr = (arg: Expr): Expr => ({ kind: 'transpose', arg, span: NO_SPAN });
const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right, span: NO_SPAN, opSpan: NO_SPAN });
const call = (written: string, args: Expr[]): Expr => ({
  kind: 'call',
  name: lookupFunction(written)!.name,
  written,
  args,
  span: NO_SPAN,
  nameSpan: NO_SPAN,
});

const digits = fc.stringMatching(/^[0-9]{1,3}$/);
const numberText = fc.oneof(
  fc.nat(1000).map(String),
  fc.tuple(fc.nat(99), digits).map(([a, b]) => `${a}.${b}`),
  digits.map((b) => `.${b}`),
  fc.nat(99).map((a) => `${a}.`),
  fc.tuple(fc.oneof(fc.nat(99).map(String), fc.nat(9).map((a) => `${a}.5`), fc.constant('2.')), fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.nat(30)).map(
    ([m, e, s, x]) => `${m}${e}${s}${x}`,
  ),
  fc.constant('pi'),
);
const varName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,3}$/).filter((n) => n !== 'pi' && lookupFunction(n) === undefined);

const { expr } = fc.letrec<{ expr: Expr; leaf: Expr; node: Expr }>((tie) => ({
  expr: fc.oneof({ withCrossShrink: true, depthSize: 'small', maxDepth: 7 }, tie('leaf'), tie('node'), tie('node')),
  leaf: fc.oneof(numberText.map(num), varName.map(v)),
  node: fc.oneof(
    tie('expr').map(neg),
    tie('expr').map(tr),
    fc.tuple(fc.constantFrom(...OPS), tie('expr'), tie('expr')).map(([op, l, r]) => bin(op, l, r)),
    fc.tuple(fc.constantFrom(...FUNCTION_NAMES), tie('expr'), tie('expr')).map(([w, a, b]) =>
      call(w, lookupFunction(w)!.arity === 1 ? [a] : [a, b]),
    ),
  ),
}));

function collect(e: Expr, seen: Set<string>): void {
  seen.add(e.kind);
  if (e.kind === 'binary') {
    seen.add(`op ${e.op}`);
    collect(e.left, seen);
    collect(e.right, seen);
  } else if (e.kind === 'call') {
    seen.add(`fn ${e.written}`);
    e.args.forEach((a) => collect(a, seen));
  } else if (e.kind === 'neg' || e.kind === 'transpose') {
    collect(e.arg, seen);
  }
}

describe('print then parse', () => {
  it('rebuilds every generated tree (ignoring spans)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(expr, (t) => {
        collect(t, seen);
        const text = printExpr(t);
        const back = parseFormula(text);
        expect(stripSpans(back)).toEqual(stripSpans(t));
        expect(sameTree(back, t)).toBe(true);
        // Printing is a fixed point.
        expect(printExpr(back)).toBe(text);
      }),
      { numRuns: 3000 },
    );
    // The generator reached every node kind, operator and function spelling.
    for (const k of ['number', 'var', 'neg', 'transpose', 'binary', 'call']) expect(seen).toContain(k);
    for (const op of OPS) expect(seen).toContain(`op ${op}`);
    for (const f of FUNCTION_NAMES) expect(seen).toContain(`fn ${f}`);
  });

  it('keeps the printed text of parsed formulas stable', () => {
    const sources = [
      "x'*A*x",
      '-x^2',
      '(-x)^2',
      'a - (b - c)',
      'a/(b/c)',
      '(a^b)^c',
      "(A*B)'",
      'A^-1',
      '2^-x^2',
      'asin(x) + atan(y)',
      'kron(A, B)',
      'tr(A*X*B)',
      '-(a + b)*c',
      'a*-b',
      'x .^ 2',
    ];
    for (const s of sources) {
      const t = parseFormula(s);
      expect(sameTree(parseFormula(printExpr(t)), t)).toBe(true);
    }
  });
});

describe('printExpr', () => {
  it.each([
    [neg(bin('^', v('x'), num('2'))), '-x^2'],
    [bin('^', neg(v('x')), num('2')), '(-x)^2'],
    [bin('^', v('x'), bin('^', v('y'), v('z'))), 'x^y^z'],
    [bin('^', bin('^', v('x'), v('y')), v('z')), '(x^y)^z'],
    [bin('-', v('a'), bin('-', v('b'), v('c'))), 'a - (b - c)'],
    [bin('-', bin('-', v('a'), v('b')), v('c')), 'a - b - c'],
    [bin('/', v('a'), bin('/', v('b'), v('c'))), 'a/(b/c)'],
    [bin('/', v('a'), bin('*', v('b'), v('c'))), 'a/(b*c)'],
    [bin('*', v('a'), bin('*', v('b'), v('c'))), 'a*(b*c)'],
    [bin('-', v('a'), bin('+', v('b'), v('c'))), 'a - (b + c)'],
    [bin('+', v('a'), bin('-', v('b'), v('c'))), 'a + (b - c)'],
    [tr(bin('*', v('A'), v('B'))), "(A*B)'"],
    [tr(neg(v('x'))), "(-x)'"],
    [neg(tr(v('x'))), "-x'"],
    [bin('^', v('A'), neg(num('1'))), 'A^-1'],
    [bin('.^', v('x'), neg(num('2'))), 'x.^-2'],
    [bin('^', num('2'), neg(bin('^', v('x'), num('2')))), '2^-x^2'],
    [bin('^', num('2'), neg(bin('*', v('x'), num('2')))), '2^-(x*2)'],
    [bin('*', bin('^', num('2'), neg(v('x'))), num('3')), '2^-x*3'],
    [bin('*', v('a'), neg(v('b'))), 'a*-b'],
    [bin('-', v('a'), neg(v('b'))), 'a - -b'],
    [neg(neg(v('x'))), '--x'],
    [neg(bin('+', v('a'), v('b'))), '-(a + b)'],
    [bin('*', neg(v('a')), v('b')), '-a*b'],
    [bin('.^', v('A'), tr(num('2'))), "A.^2'"],
    [tr(num('2')), "2'"],
    [tr(num('2.')), "2. '"],
    [bin('*', num('2.'), v('x')), '2. *x'],
    [bin('^', num('2.'), v('x')), '2. ^x'],
    [bin('.*', num('2'), v('x')), '2 .* x'],
    [bin('./', num('2.'), v('x')), '2. ./ x'],
    [bin('.*', v('A'), v('B')), 'A.*B'],
    [bin('.*', tr(v('x')), v('y')), "x'.*y"],
    [call('asin', [v('x')]), 'asin(x)'],
    [call('arcsin', [v('x')]), 'arcsin(x)'],
    [call('kron', [bin('+', v('A'), v('B')), tr(v('C'))]), "kron(A + B, C')"],
    [tr(call('sin', [v('x')])), "sin(x)'"],
    [num('pi'), 'pi'],
    [num('1e-3'), '1e-3'],
  ])('prints %# as %s', (tree, text) => {
    expect(printExpr(tree)).toBe(text);
    expect(sameTree(parseFormula(text), tree)).toBe(true);
  });

  // Trees built by later stages may hold negative or computed literals; they print as valid formulas.
  it.each([
    [bin('^', v('x'), { kind: 'number', value: -2, text: '-2', span: NO_SPAN } as Expr), 'x^-2', '(^ x (neg 2))'],
    [bin('^', { kind: 'number', value: -2, text: '-2', span: NO_SPAN } as Expr, v('x')), '(-2)^x', '(^ (neg 2) x)'],
    [tr({ kind: 'number', value: -0.5, text: '', span: NO_SPAN } as Expr), "(-0.5)'", "(' (neg 0.5))"],
    [bin('-', v('a'), { kind: 'number', value: -3, text: '', span: NO_SPAN } as Expr), 'a - -3', '(- a (neg 3))'],
    [bin('*', { kind: 'number', value: 0.1 + 0.2, text: '', span: NO_SPAN } as Expr, v('x')), '0.30000000000000004*x', '(* 0.30000000000000004 x)'],
    [{ kind: 'number', value: 1e-7, text: 'bogus', span: NO_SPAN } as Expr, '1e-7', '1e-7'],
  ])('prints the literal in %# as %s', (tree, text, parsed) => {
    expect(printExpr(tree)).toBe(text);
    expect(sexpr(parseFormula(text))).toBe(parsed);
  });
});

describe('robustness', () => {
  const check = (s: string): void => {
    let tree: Expr;
    try {
      tree = parseFormula(s, 'f');
    } catch (e) {
      expect(e).toBeInstanceOf(MatcheckError);
      const err = e as MatcheckError;
      expect(err.stage).toBe('parse');
      expect(err.field).toBe('f');
      expect(err.code).toMatch(/^E_[A-Z_]+$/);
      expect(err.message).not.toBe('');
      expect(err.span!.start).toBeGreaterThanOrEqual(0);
      expect(err.span!.end).toBeGreaterThanOrEqual(err.span!.start);
      expect(err.span!.end).toBeLessThanOrEqual(s.length);
      return;
    }
    // Whatever parses, prints back to the same tree.
    expect(sameTree(parseFormula(printExpr(tree)), tree)).toBe(true);
  };

  it('throws nothing but located MatcheckErrors on random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 30 }), check), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 30 }), check), { numRuns: 2000 });
  });

  it('throws nothing but located MatcheckErrors on random token soup', () => {
    const piece = fc.constantFrom(
      'x', 'A', 'pi', 'sin', 'kron', 'asin', 'foo', 'e', '2', '.5', '2.', '1e', '1e3', '.', '+', '-', '*', '/', '.*', './',
      '^', '.^', "'", '(', ')', ',', ' ', '**', '[', '×', '\u00a0', '\u200b', '😀',
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 25 }).map((a) => a.join('')), check), { numRuns: 5000 });
  });
});

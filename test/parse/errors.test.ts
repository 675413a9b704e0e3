import { describe, it, expect } from 'vitest';
import { parseFormula, MAX_DEPTH } from '../../src/parse/index.js';
import { MatcheckError, renderError } from '../../src/errors.js';
import { parseError } from './helpers.js';

// [source, code, span.start]: each malformed input fails with its own code at the exact offending position.
const MALFORMED: [string, string, number][] = [
  ['', 'E_EMPTY', 0],
  ['   ', 'E_EMPTY', 0],
  // characters
  ['x**2', 'E_CHAR', 1],
  ['a×b', 'E_CHAR', 1],
  ['a∙b', 'E_CHAR', 1],
  ['[1 2]', 'E_CHAR', 0],
  ['x = y', 'E_CHAR', 2],
  ['x’', 'E_CHAR', 1],
  ['a–b', 'E_CHAR', 1],
  ["A.'", 'E_CHAR', 1],
  ['x .y', 'E_CHAR', 2],
  ['x.', 'E_CHAR', 1],
  ['A\\b', 'E_CHAR', 1],
  ['|x|', 'E_CHAR', 0],
  ['x²', 'E_CHAR', 1],
  ['α*x', 'E_CHAR', 0],
  ['x;y', 'E_CHAR', 1],
  ['x+\u200by', 'E_CHAR', 2],
  // numbers
  ['1e', 'E_BAD_NUMBER', 1],
  ['1e+', 'E_BAD_NUMBER', 1],
  ['2*1E-', 'E_BAD_NUMBER', 3],
  ['1.2.3', 'E_BAD_NUMBER', 3],
  ['1e3.5', 'E_BAD_NUMBER', 3],
  ['1e999', 'E_BAD_NUMBER', 0],
  ['x+1..5', 'E_BAD_NUMBER', 4],
  // implicit multiplication
  ['2x', 'E_IMPLICIT_MULTIPLICATION', 1],
  ['2 x', 'E_IMPLICIT_MULTIPLICATION', 2],
  ['x y', 'E_IMPLICIT_MULTIPLICATION', 2],
  ['(a)(b)', 'E_IMPLICIT_MULTIPLICATION', 3],
  ['x(1)', 'E_IMPLICIT_MULTIPLICATION', 1],
  ['2(x+1)', 'E_IMPLICIT_MULTIPLICATION', 1],
  ["x'y", 'E_IMPLICIT_MULTIPLICATION', 2],
  ['2sin(x)', 'E_IMPLICIT_MULTIPLICATION', 1],
  ['pi(2)', 'E_IMPLICIT_MULTIPLICATION', 2],
  ['a*b c', 'E_IMPLICIT_MULTIPLICATION', 4],
  ['sin(x y)', 'E_IMPLICIT_MULTIPLICATION', 6],
  ['(a+b)c', 'E_IMPLICIT_MULTIPLICATION', 5],
  // functions
  ['sinn(x)', 'E_UNKNOWN_FUNCTION', 0],
  ['a + trace(A)', 'E_UNKNOWN_FUNCTION', 4],
  ['foo(x)', 'E_UNKNOWN_FUNCTION', 0],
  ['kron(A)', 'E_ARITY', 0],
  ['x + sin(x, y)', 'E_ARITY', 4],
  ['sin()', 'E_ARITY', 0],
  ['dot(x,y,z)', 'E_ARITY', 0],
  ['sin x', 'E_FUNCTION_NOT_CALLED', 0],
  ['x + exp', 'E_FUNCTION_NOT_CALLED', 4],
  // operands
  ['a+', 'E_MISSING_OPERAND', 1],
  ['a/', 'E_MISSING_OPERAND', 1],
  ['*a', 'E_MISSING_OPERAND', 0],
  ['a+*b', 'E_MISSING_OPERAND', 2],
  ["'x", 'E_MISSING_OPERAND', 0],
  ['x^', 'E_MISSING_OPERAND', 1],
  ['x^-', 'E_MISSING_OPERAND', 2],
  ['(a-)', 'E_MISSING_OPERAND', 2],
  ['kron(a*,b)', 'E_MISSING_OPERAND', 6],
  ['-', 'E_MISSING_OPERAND', 0],
  ['x^^2', 'E_MISSING_OPERAND', 2],
  ['(.*b)', 'E_MISSING_OPERAND', 1],
  // ends and parentheses
  ['sin(', 'E_UNEXPECTED_END', 4],
  ['(', 'E_UNEXPECTED_END', 1],
  ['kron(A,', 'E_UNEXPECTED_END', 7],
  ['(a+b', 'E_UNCLOSED_PAREN', 0],
  ['sin(x', 'E_UNCLOSED_PAREN', 3],
  ['((a)', 'E_UNCLOSED_PAREN', 0],
  ['tr(A*(B+C)', 'E_UNCLOSED_PAREN', 2],
  ['a)', 'E_UNMATCHED_PAREN', 1],
  [')', 'E_UNMATCHED_PAREN', 0],
  ['(a))', 'E_UNMATCHED_PAREN', 3],
  ['sin(x))+1', 'E_UNMATCHED_PAREN', 6],
  ['()', 'E_EMPTY_PARENS', 0],
  ['x*()', 'E_EMPTY_PARENS', 2],
  // commas
  ['kron(A,)', 'E_TRAILING_COMMA', 6],
  ['kron(,B)', 'E_EMPTY_ARGUMENT', 5],
  ['kron(A,,B)', 'E_EMPTY_ARGUMENT', 7],
  ['x,y', 'E_UNEXPECTED_TOKEN', 1],
  ['(a,b)', 'E_UNEXPECTED_TOKEN', 2],
  [',x', 'E_UNEXPECTED_TOKEN', 0],
];

describe('malformed input', () => {
  it('has a large table', () => {
    expect(MALFORMED.length).toBeGreaterThanOrEqual(45);
  });

  it.each(MALFORMED)('%j fails with %s at %i', (source, code, start) => {
    const e = parseError(source, 'grad');
    expect({ code: e.code, start: e.span?.start }).toEqual({ code, start });
    expect(e.stage).toBe('parse');
    expect(e.source).toBe(source);
    expect(e.field).toBe('grad');
    expect(e.message.length).toBeGreaterThan(10);
    expect(e.span!.end).toBeGreaterThanOrEqual(e.span!.start);
    expect(e.span!.end).toBeLessThanOrEqual(source.length);
  });

  it('says what was expected after an operand and gives hints', () => {
    const e = parseError('2x');
    expect(e.expected).toMatch(/operator/);
    expect(e.hint).toBe('write 2*x');
    expect(parseError('2 x').hint).toBe('write 2*x');
    expect(parseError('x y').hint).toBe('write x*y');
    expect(parseError('(a)(b)').hint).toBe('write (a)*(b)');
    expect(parseError('x(y+1)').hint).toBe('write x*(y+1)');
    expect(parseError("x'y'").hint).toBe("write x'*y'");
    expect(parseError('2sin(x)').hint).toBe('write 2*sin(x)');
    expect(parseError('2.x').hint).toBe('write 2*x');
  });

  it('expects an operand after an operator', () => {
    expect(parseError('a+').expected).toBe("an operand: a number, a variable, '(' or a function call after '+'");
    expect(parseError('a+').message).toMatch(/'\+' is missing its right operand/);
    expect(parseError('-').message).toMatch(/'-' is missing its operand/);
  });

  it('suggests the closest function name, and multiplication for variables', () => {
    expect(parseError('sinn(x)').hint).toBe("did you mean 'sin'? If 'sinn' is a variable, write sinn*(x)");
    expect(parseError('sigmoi(x)').hint).toMatch(/'sigmoid'/);
    expect(parseError('logdte(A)').hint).toMatch(/'logdet'/);
    expect(parseError('trace(A)').hint).toMatch(/'tr'/);
    expect(parseError('ln(x)').hint).toMatch(/'log'/);
    expect(parseError('Exp(x)').hint).toMatch(/'exp'/);
    expect(parseError('foo(x+1)').hint).toBe("if 'foo' is a variable, write foo*(x+1)");
    expect(parseError('foo(x+1)').expected).toMatch(/kron/);
    // Short variable-like names followed by '(' are missing a '*'.
    expect(parseError('A(B+C)').code).toBe('E_IMPLICIT_MULTIPLICATION');
    expect(parseError('x_1(2)').code).toBe('E_IMPLICIT_MULTIPLICATION');
    expect(parseError('W2(x)').code).toBe('E_IMPLICIT_MULTIPLICATION');
  });

  it('says how many arguments a function takes', () => {
    expect(parseError('kron(A)').message).toBe("'kron' takes 2 arguments, but 1 was given");
    expect(parseError('sin(x,y)').message).toBe("'sin' takes 1 argument, but 2 were given");
    expect(parseError('sin()').message).toBe("'sin' takes 1 argument, but none was given");
    expect(parseError('kron(A)').span).toEqual({ start: 0, end: 7 });
    expect(parseError('asin(x,y)').hint).toBe('write asin(A)');
  });

  it('counts columns in characters: one after 𝕀 (two UTF-16 units) is not one too far', () => {
    const e = parseError('𝕀*x + (y');
    expect(e.message).toBe("'(' at column 7 is never closed");
    expect(renderError(e).split('\n').slice(1, 3)).toEqual(['  | 𝕀*x + (y', '  |       ^ (column 7)']);
    expect(renderError(parseError('𝕀𝕀')).split('\n')[2]).toBe('  |  ^ (column 2)');
  });

  it('names the unclosed parenthesis', () => {
    const e = parseError('tr(A*(B+C)');
    expect(e.message).toBe("'(' at column 3 is never closed");
    expect(e.span).toEqual({ start: 2, end: 3 });
  });

  it.each([
    ['x**2', 'use ^ for powers'],
    ['a×b', 'use *'],
    ['a∙b', 'use *'],
    ['a–b', "ASCII minus sign '-'"],
    ['[1 2]', 'matrix literals are not supported'],
    ["A.'", "use ' for transpose"],
    ['x’', "ASCII apostrophe '"],
    ['π*r', 'write pi'],
    ['λ*x', 'write lambda'],
  ])('hints at the fix for %s', (source, hint) => {
    expect(parseError(source).hint).toContain(hint);
  });

  it('LaTeX pasted from lecture notes: names the command and the formula syntax for it, not left division', () => {
    const top = parseError('X^\\top*Y');
    expect(top.code).toBe('E_CHAR');
    expect(top.message).toBe("LaTeX command '\\top' at column 3 is not formula syntax");
    expect(top.span).toEqual({ start: 2, end: 6 });
    expect(top.hint).toBe("write a transpose with ': A' for A^\\top");
    expect(parseError('a \\cdot b').hint).toBe('use * for products');
    expect(parseError('A \\odot B').hint).toBe('use .* for the element-wise (Hadamard) product');
    expect(parseError('\\mathrm{tr}(X)').hint).toBe('write names and functions plainly, e.g. x, tr(X)');
    expect(parseError('\\lambda*x').hint).toBe('names use ASCII letters: write lambda');
    expect(parseError('x\'*\\Sigma*x').hint).toBe('names use ASCII letters: write Sigma');
    expect(parseError('\\log(x)').hint).toBe('write functions by name, e.g. tr(X), log(x)');
    expect(parseError('\\frac{a}{b}').hint).toBe('write a quotient with /: a/b');
    // A backslash before anything else is MATLAB's left division.
    expect(parseError('A\\b').hint).toBe('left division is not supported; write inv(A)*b');
  });

  it('names an invisible character by its code point', () => {
    expect(parseError('x+\u200by').message).toContain('U+200B');
  });

  it('refuses formulas nested too deeply instead of overflowing the stack', () => {
    const parens = parseError('('.repeat(MAX_DEPTH + 5) + 'x' + ')'.repeat(MAX_DEPTH + 5));
    expect(parens.code).toBe('E_TOO_DEEP');
    const minus = parseError('-'.repeat(5000) + 'x');
    expect(minus.code).toBe('E_TOO_DEEP');
    const power = parseError(Array(3000).fill('x').join('^'));
    expect(power.code).toBe('E_TOO_DEEP');
    const transposes = parseError('x' + "'".repeat(MAX_DEPTH + 1));
    expect(transposes.code).toBe('E_TOO_DEEP');
    // Just below the limit is fine.
    expect(() => parseFormula('('.repeat(200) + 'x' + ')'.repeat(200))).not.toThrow();
  });

  it('rejects a formula that is not text', () => {
    const e = parseError(42 as unknown as string, 'grad');
    expect(e.code).toBe('E_NOT_TEXT');
    expect(e.field).toBe('grad');
  });
});

describe('renderError', () => {
  const caretColumn = (source: string): { line: string; caret: string } => {
    const lines = renderError(parseError(source, 'f')).split('\n');
    return { line: lines[1], caret: lines[2] };
  };

  it.each(MALFORMED.filter(([source]) => !/[^\x20-\x7e]/.test(source) && source.trim() !== ''))(
    'puts the caret under the offending column of %j',
    (source, _code, start) => {
      const { line, caret } = caretColumn(source);
      expect(line).toBe(`  | ${source}`);
      expect(caret.indexOf('^')).toBe(4 + start);
      expect(caret).toContain(`(column ${start + 1})`);
    },
  );

  it('renders a full report', () => {
    expect(renderError(parseError('2*x + 3y', 'grad'))).toBe(
      [
        "error[E_IMPLICIT_MULTIPLICATION]: grad: missing operator between '3' and 'y' (implicit multiplication is not supported)",
        '  | 2*x + 3y',
        '  |        ^ (column 8)',
        "  = expected an operator (+ - * / .* ./ ^ .^ ') or the end of the formula",
        '  = hint: write 3*y',
      ].join('\n'),
    );
    expect(renderError(parseError('kron(A)'))).toContain('  | ^^^^^^^ (column 1)');
    expect(renderError(parseError('a + sinn(x)'))).toContain('  |     ^^^^ (column 5)');
  });

  it('marks the end of the formula when it ends too early', () => {
    const { caret } = caretColumn('sin(');
    expect(caret).toBe('  |     ^ (column 5)');
  });
});

describe('error type', () => {
  it('throws MatcheckError instances', () => {
    expect(() => parseFormula('2x')).toThrow(MatcheckError);
  });
});

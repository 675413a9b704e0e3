// Tokenizer for the formula language (spec section 1). It fails on the first
// character it cannot use, with a hint for the usual look-alikes (`**`, `×`,
// `[`, curly quotes) since most formulas are pasted from elsewhere.
import { columnOf, MatcheckError, type Span } from '../errors.js';

export type OpText = '+' | '-' | '*' | '/' | '.*' | './' | '^' | '.^' | "'";

export type Token =
  | { kind: 'number'; text: string; value: number; span: Span }
  | { kind: 'ident'; text: string; span: Span }
  | { kind: 'op'; text: OpText; span: Span }
  | { kind: 'lparen'; text: '('; span: Span }
  | { kind: 'rparen'; text: ')'; span: Span }
  | { kind: 'comma'; text: ','; span: Span }
  | { kind: 'eof'; text: ''; span: Span };

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isIdentStart = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z_]$/.test(c);
const isIdentChar = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9_]$/.test(c);
// JS \s covers the non-breaking and other Unicode spaces that come with text
// copied from web pages; they separate tokens like a plain space.
const isSpace = (c: string): boolean => /^\s$/.test(c);

/** After a number, a `.` followed by one of these starts an operator, not a fraction (MATLAB: `2.*x` is `2 .* x`). */
const DOT_OPERATOR_NEXT = new Set(['*', '/', '^', "'"]);

/** The identity as matrixcalculus.org renders it (U+1D540, two UTF-16 units). */
const IDENTITY_SIGN = '𝕀';

/** Transpose as matrixcalculus.org renders it in results (A⊤, or A^⊤), and the modifier letter T. */
const TRANSPOSE_SIGNS: ReadonlySet<string> = new Set(['⊤', 'ᵀ']);

/**
 * The operators of matrixcalculus.org's rendered results, read as what they
 * mean (spec section 1: its results paste unchanged): ⋅ and · for products,
 * ⊙ and ⊘ element-wise, ⊤ and ᵀ for transpose, and the minus sign U+2212
 * (and 𝕀, the identity, above). LaTeX source stays refused, with hints.
 */
const PASTED_OPERATORS: ReadonlyMap<string, OpText> = new Map<string, OpText>([
  ['⋅', '*'],
  ['·', '*'],
  ['⊙', '.*'],
  ['⊘', './'],
  ['−', '-'],
  ...[...TRANSPOSE_SIGNS].map((t): [string, OpText] => [t, "'"]),
]);

/** Hints for characters people paste from papers, MATLAB, Python or Word. */
const CHAR_HINTS: ReadonlyMap<string, string> = new Map([
  ['×', 'use * for products'],
  ['∗', 'use * for products'],
  ['∙', 'use * for products'],
  ['÷', 'use / for division'],
  ['–', "use the ASCII minus sign '-'"],
  ['—', "use the ASCII minus sign '-'"],
  ['’', "use the ASCII apostrophe ' for transpose"],
  ['‘', "use the ASCII apostrophe ' for transpose"],
  ['′', "use the ASCII apostrophe ' for transpose"],
  ['`', "use the ASCII apostrophe ' for transpose"],
  ['²', 'use ^ for powers: x^2'],
  ['³', 'use ^ for powers: x^3'],
  ['⁻', 'use ^-1 or inv(A) for inverses'],
  ['¹', 'use ^ for powers'],
  ['√', 'use sqrt(x)'],
  ['∑', 'use sum(x)'],
  ['Σ', 'use sum(x) for sums; name a variable Sigma'],
  ['∘', 'use .* for the element-wise (Hadamard) product'],
  ['⊗', 'use kron(A,B) for the Kronecker product'],
  ['π', 'write pi'],
  ['[', 'matrix literals are not supported; declare a variable instead'],
  [']', 'matrix literals are not supported; declare a variable instead'],
  ['{', 'braces are not supported; use ( ) for grouping'],
  ['}', 'braces are not supported; use ( ) for grouping'],
  [';', 'a field holds one expression; there are no statements or rows'],
  ['=', 'write only the expression; the field name (f, grad, equals, ...) says what it is'],
  ['\\', 'left division is not supported; write inv(A)*b'],
  ['|', 'use abs(x) for absolute values or norm2(x) for norms'],
  ['‖', 'use norm2(x) for norms'],
  [':', 'indexing and ranges are not supported'],
  ['"', "use a single ' for transpose"],
  ['#', 'comments are not supported inside a formula'],
  ['%', 'comments are not supported inside a formula'],
  ['\u200b', 'remove the invisible zero-width space'],
  ['\ufeff', 'remove the invisible byte-order mark'],
]);

const GREEK: ReadonlyMap<string, string> = new Map([
  ['α', 'alpha'], ['β', 'beta'], ['γ', 'gamma'], ['δ', 'delta'], ['ε', 'epsilon'], ['η', 'eta'], ['θ', 'theta'],
  ['λ', 'lambda'], ['μ', 'mu'], ['ν', 'nu'], ['ρ', 'rho'], ['σ', 'sigma'], ['τ', 'tau'], ['φ', 'phi'],
  ['ω', 'omega'], ['Λ', 'Lambda'], ['Ω', 'Omega'], ['Θ', 'Theta'], ['Φ', 'Phi'],
]);

const LATEX_FUNCTION = 'write functions by name, e.g. tr(X), log(x)';
const LATEX_MARKUP = 'write names and functions plainly, e.g. x, tr(X)';

/** Hints for LaTeX commands, as pasted from lecture notes (`X^\top`, `a \cdot b`). */
const LATEX_HINTS: ReadonlyMap<string, string> = new Map([
  ...['top', 'intercal', 'mathsf'].map((c): [string, string] => [c, "write a transpose with ': A' for A^\\top"]),
  ...['cdot', 'times', 'ast'].map((c): [string, string] => [c, 'use * for products']),
  ...['odot', 'circ'].map((c): [string, string] => [c, 'use .* for the element-wise (Hadamard) product']),
  ['otimes', 'use kron(A,B) for the Kronecker product'],
  ['frac', 'write a quotient with /: a/b'],
  ['sqrt', 'use sqrt(x)'],
  ['sum', 'use sum(x)'],
  ...['left', 'right', 'big', 'Big', 'bigl', 'bigr'].map((c): [string, string] => [c, 'drop the sizing command and use ( ) for grouping']),
  ...['lVert', 'rVert', 'Vert'].map((c): [string, string] => [c, 'use norm2(x) for norms']),
  ...['log', 'ln', 'exp', 'sin', 'cos', 'tan', 'tanh', 'det', 'tr'].map((c): [string, string] => [c, LATEX_FUNCTION]),
  ...['operatorname', 'mathrm', 'mathbf', 'mathit', 'boldsymbol', 'bm', 'text', 'mathbb'].map((c): [string, string] => [c, LATEX_MARKUP]),
]);

function charError(source: string, field: string | undefined, at: number, ch: string, message?: string, hint?: string): MatcheckError {
  const cp = ch.codePointAt(0) ?? 0;
  const name = cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp === 0x200b || cp === 0xfeff
    ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`
    : `'${ch}'${cp > 0x7e ? ` (U+${cp.toString(16).toUpperCase().padStart(4, '0')})` : ''}`;
  const greek = GREEK.get(ch);
  return new MatcheckError({
    code: 'E_CHAR',
    stage: 'parse',
    message: message ?? `unexpected character ${name} at column ${columnOf(source, at)}`,
    source,
    field,
    span: { start: at, end: at + ch.length },
    expected: "a number, a name, an operator (+ - * / .* ./ ^ .^ '), '(', ')' or ','",
    hint: hint ?? CHAR_HINTS.get(ch) ?? (greek ? `names use ASCII letters: write ${greek}` : cp > 0x7e ? 'names use ASCII letters, digits and _' : undefined),
  });
}

function badNumber(source: string, field: string | undefined, span: Span, message: string, hint?: string): MatcheckError {
  return new MatcheckError({
    code: 'E_BAD_NUMBER',
    stage: 'parse',
    message,
    source,
    field,
    span,
    expected: 'a number such as 2, 0.5, .5, 1e-3 or 2.5E+4',
    hint,
  });
}

export function tokenize(source: string, field?: string): Token[] {
  const tokens: Token[] = [];
  const s = source;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(s[i + 1]))) {
      i = scanNumber(s, i, field, tokens);
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (isIdentChar(s[j])) j++;
      tokens.push({ kind: 'ident', text: s.slice(i, j), span: { start: i, end: j } });
      i = j;
      continue;
    }
    const op = (text: OpText, len: number): void => {
      tokens.push({ kind: 'op', text, span: { start: i, end: i + len } });
      i += len;
    };
    if (s.startsWith(IDENTITY_SIGN, i)) {
      // matrixcalculus.org's identity: the bare eye, its size left to shape inference.
      tokens.push({ kind: 'ident', text: 'eye', span: { start: i, end: i + IDENTITY_SIGN.length } });
      i += IDENTITY_SIGN.length;
      continue;
    }
    const pasted = PASTED_OPERATORS.get(c);
    if (pasted) {
      op(pasted, 1);
      continue;
    }
    switch (c) {
      case '^': {
        // A^⊤, as matrixcalculus.org's results render a transpose: ^ and the sign are one transpose.
        let j = i + 1;
        while (j < s.length && isSpace(s[j])) j++;
        op(TRANSPOSE_SIGNS.has(s[j]) ? "'" : '^', TRANSPOSE_SIGNS.has(s[j]) ? j + 1 - i : 1);
        continue;
      }
      case '+':
      case '-':
      case '/':
      case "'":
        op(c, 1);
        continue;
      case '*':
        if (s[i + 1] === '*') {
          throw new MatcheckError({
            code: 'E_CHAR',
            stage: 'parse',
            message: `'**' at column ${columnOf(s, i)} is not an operator`,
            source,
            field,
            span: { start: i, end: i + 2 },
            expected: "an operator (+ - * / .* ./ ^ .^ ')",
            hint: 'use ^ for powers: x^2 (or .^ element-wise)',
          });
        }
        op('*', 1);
        continue;
      case '.': {
        const n = s[i + 1];
        if (n === '*' || n === '/' || n === '^') {
          op(`.${n}` as OpText, 2);
          continue;
        }
        if (n === "'") {
          throw charError(s, field, i, ".'", `'.'' at column ${columnOf(s, i)} is not an operator`, "use ' for transpose (values are real, so ' and .' agree)");
        }
        throw charError(
          s,
          field,
          i,
          '.',
          `stray '.' at column ${columnOf(s, i)}`,
          "'.' must start a number (.5) or an element-wise operator (.* ./ .^)",
        );
      }
      case '(':
        tokens.push({ kind: 'lparen', text: '(', span: { start: i, end: i + 1 } });
        i++;
        continue;
      case ')':
        tokens.push({ kind: 'rparen', text: ')', span: { start: i, end: i + 1 } });
        i++;
        continue;
      case ',':
        tokens.push({ kind: 'comma', text: ',', span: { start: i, end: i + 1 } });
        i++;
        continue;
      case '\\': {
        // `\top`, `\cdot`, `\lambda`: LaTeX pasted from notes; a lone `\` is MATLAB's left division.
        let j = i + 1;
        while (/^[A-Za-z]$/.test(s[j] ?? '')) j++;
        const command = s.slice(i + 1, j);
        const greek = /^(?:[aA]lpha|[bB]eta|[gG]amma|[dD]elta|(?:var)?epsilon|[zZ]eta|[eE]ta|(?:var)?[tT]heta|[iI]ota|[kK]appa|[lL]ambda|[mM]u|[nN]u|[xX]i|[pP]i|(?:var)?rho|(?:var)?[sS]igma|[tT]au|[uU]psilon|(?:var)?[pP]hi|[cC]hi|[pP]si|[oO]mega)$/.test(command);
        const hint = LATEX_HINTS.get(command) ?? (greek ? `names use ASCII letters: write ${command}` : undefined);
        if (hint) throw charError(s, field, i, s.slice(i, j), `LaTeX command '\\${command}' at column ${columnOf(s, i)} is not formula syntax`, hint);
        throw charError(s, field, i, c);
      }
      default: {
        // Whole code point, so the span covers both halves of a surrogate pair.
        const ch = String.fromCodePoint(s.codePointAt(i) ?? 0xfffd);
        throw charError(s, field, i, ch);
      }
    }
  }
  tokens.push({ kind: 'eof', text: '', span: { start: s.length, end: s.length } });
  return tokens;
}

/** Scans a number starting at `start`; pushes the token and returns the index after it. */
function scanNumber(s: string, start: number, field: string | undefined, tokens: Token[]): number {
  let j = start;
  while (isDigit(s[j])) j++;
  let hasPoint = false;
  if (s[j] === '.' && !DOT_OPERATOR_NEXT.has(s[j + 1] ?? '')) {
    hasPoint = true;
    j++;
    while (isDigit(s[j])) j++;
  }
  let hasExponent = false;
  if (s[j] === 'e' || s[j] === 'E') {
    let k = j + 1;
    const signed = s[k] === '+' || s[k] === '-';
    if (signed) k++;
    if (isDigit(s[k])) {
      while (isDigit(s[k])) k++;
      j = k;
      hasExponent = true;
    } else if (signed || !isIdentChar(s[j + 1])) {
      // `1e`, `1e+`, `1e-x`: an exponent with no digits. `2ex` is left to the
      // parser, which reports it as a missing operator between 2 and ex.
      const text = s.slice(start, k);
      throw badNumber(s, field, { start: j, end: k }, `the exponent of '${text}' has no digits`, `write ${s.slice(start, j)}e${signed ? s[j + 1] : ''}3 for an exponent, or ${s.slice(start, j)}*e for a product`);
    }
  }
  if (s[j] === '.' && isDigit(s[j + 1])) {
    let k = j + 1;
    while (isDigit(s[k]) || s[k] === '.') k++;
    throw badNumber(
      s,
      field,
      { start: j, end: k },
      hasExponent
        ? `the exponent of '${s.slice(start, k)}' is not an integer`
        : hasPoint
          ? `'${s.slice(start, k)}' has more than one decimal point`
          : `'${s.slice(start, k)}' is not a number`,
      hasExponent ? 'exponents are whole numbers: 1e-3, 2.5E+4' : 'a number has at most one decimal point',
    );
  }
  const text = s.slice(start, j);
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw badNumber(s, field, { start, end: j }, `'${text}' is too large for a double (it overflows to infinity)`);
  }
  tokens.push({ kind: 'number', text, value, span: { start, end: j } });
  return j;
}

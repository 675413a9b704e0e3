// Parser for the formula language (spec section 1): precedence climbing
// driven by grammar.ts, building the nodes of ast.ts. Every failure is a
// MatcheckError of stage 'parse' pointing at the offending token.
import { columnOf, MatcheckError, type Span } from '../errors.js';
import type { CallNode, Expr } from './ast.js';
import { FUNCTION_NAMES, lookupFunction } from './functions.js';
import { BINARY_OPS, POSTFIX_OPS, PREFIX_OPS, rightOperandPrec } from './grammar.js';
import { tokenize, type Token } from './tokens.js';

/**
 * Deeper than any real formula; keeps the recursive stages far from the stack
 * limit. Nesting is what the stages recurse into: parentheses, function
 * calls, unary minus, transposes and right operands (`a^b^c` nests to the
 * right). A flat chain such as a+b+c+... is not nesting however long it is:
 * every stage walks it in a loop (walk.ts).
 */
export const MAX_DEPTH = 1000;

const OPERAND = "an operand: a number, a variable, '(' or a function call";
const OPERATORS = "an operator (+ - * / .* ./ ^ .^ ')";

/** Names people reach for, mapped to what the language calls them. */
const SYNONYMS: ReadonlyMap<string, string> = new Map([
  ['trace', 'tr'],
  ['Tr', 'tr'],
  ['ln', 'log'],
  ['norm', 'norm2'],
  ['fro', 'norm2'],
  ['frobenius', 'norm2'],
  ['inverse', 'inv'],
  ['determinant', 'det'],
  ['diagonal', 'diag'],
  ['identity', 'eye'],
  ['kronecker', 'kron'],
  ['sgn', 'sign'],
  ['lse', 'logsumexp'],
  ['logistic', 'sigmoid'],
  ['transpose', "the postfix ' operator: A'"],
  ['sqr', 'x^2'],
]);

export function parseFormula(source: string, field?: string): Expr {
  if (typeof source !== 'string') {
    throw new MatcheckError({
      code: 'E_NOT_TEXT',
      stage: 'parse',
      message: `a formula must be text, got ${source === null ? 'null' : typeof source}`,
      field,
      hint: 'quote the formula, e.g. grad: "0"',
    });
  }
  return new Parser(source, field).parseAll();
}

type IdentToken = Extract<Token, { kind: 'ident' }>;

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  /** Nesting level of the expression being parsed: parseExpr calls below the top-level one. */
  private depth = -1;
  /** Extent of a node including the parentheses around it, when it had any. */
  private readonly outer = new WeakMap<Expr, Span>();
  /** Nesting depth of each node built so far (leaves: 0, not stored). */
  private readonly nesting = new WeakMap<Expr, number>();
  /** Open parentheses, innermost last; `call` is set for a call's '('. */
  private readonly open: { span: Span; call: boolean }[] = [];
  /** The last complete postfix-level operand, for implicit-multiplication hints. */
  private lastOperand: Span = { start: 0, end: 0 };

  constructor(
    private readonly source: string,
    private readonly field: string | undefined,
  ) {
    this.tokens = tokenize(source, field);
  }

  parseAll(): Expr {
    if (this.peek().kind === 'eof') {
      throw this.error('E_EMPTY', 'the formula is empty', { start: 0, end: this.source.length }, OPERAND, 'write an expression such as x\'*A*x');
    }
    const e = this.parseExpr(0);
    const t = this.peek();
    if (t.kind !== 'eof') throw this.unexpectedAfterOperand(t, 'the end of the formula');
    return e;
  }

  // ---- helpers -------------------------------------------------------------

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.tokens[this.pos];
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private error(code: string, message: string, span: Span, expected?: string, hint?: string): MatcheckError {
    return new MatcheckError({ code, stage: 'parse', message, source: this.source, field: this.field, span, expected, hint });
  }

  private ext(e: Expr): Span {
    return this.outer.get(e) ?? e.span;
  }

  /**
   * Records a new node's nesting depth, refusing trees nested deeper than
   * MAX_DEPTH. `nested` are children one level down; `chained` is the left
   * operand of a binary node, which continues a flat chain (a+b+c) at its own
   * level: the later stages walk left spines in a loop.
   */
  private built<T extends Expr>(e: T, nested: Expr[], at: Span, chained?: Expr): T {
    let depth = chained ? (this.nesting.get(chained) ?? 0) : 0;
    for (const c of nested) depth = Math.max(depth, 1 + (this.nesting.get(c) ?? 0));
    if (depth > MAX_DEPTH) this.tooDeep(at);
    this.nesting.set(e, depth);
    return e;
  }

  private tooDeep(at: Span): never {
    throw this.error(
      'E_TOO_DEEP',
      `the formula is nested more than ${MAX_DEPTH} levels deep`,
      at,
      undefined,
      "each '(', function call, unary minus, transpose and exponent opens a level (a flat chain such as a+b+c does not); remove redundant parentheses or simplify the formula",
    );
  }

  private text(span: Span): string {
    return this.source.slice(span.start, span.end);
  }

  // ---- expressions ---------------------------------------------------------

  /**
   * Parses an expression whose binary operators all have precedence >= minPrec.
   * `opener` is the token that opened this level ('(', a call's name, a prefix
   * or binary operator), named if the level is one too many.
   */
  private parseExpr(minPrec: number, opener?: Span): Expr {
    if (++this.depth > MAX_DEPTH) this.tooDeep(opener ?? this.peek().span);
    try {
      let left = this.parsePrefix();
      for (;;) {
        const t = this.peek();
        if (t.kind !== 'op') break;
        const info = BINARY_OPS.get(t.text);
        if (!info || info.prec < minPrec) break;
        this.next();
        const right = this.parseExpr(rightOperandPrec(info), t.span);
        const l = this.ext(left);
        const r = this.ext(right);
        left = this.built(
          { kind: 'binary', op: info.op, left, right, span: { start: l.start, end: r.end }, opSpan: t.span },
          [right],
          t.span,
          left,
        );
      }
      return left;
    } finally {
      this.depth--;
    }
  }

  /** An operand, possibly behind prefix operators. */
  private parsePrefix(): Expr {
    const t = this.peek();
    const prefix = t.kind === 'op' ? PREFIX_OPS.get(t.text) : undefined;
    if (!prefix) return this.parsePostfix();
    this.next();
    const arg = this.parseExpr(prefix.operandPrec, t.span);
    if (prefix.node === null) {
      // Unary plus builds no node, but the parent's span still starts at the '+'.
      this.outer.set(arg, { start: t.span.start, end: this.ext(arg).end });
      return arg;
    }
    return this.built({ kind: 'neg', arg, span: { start: t.span.start, end: this.ext(arg).end } }, [arg], t.span);
  }

  /** A primary followed by any number of postfix operators. */
  private parsePostfix(): Expr {
    let e = this.parsePrimary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || !POSTFIX_OPS.has(t.text)) break;
      this.next();
      e = this.built({ kind: 'transpose', arg: e, span: { start: this.ext(e).start, end: t.span.end } }, [e], t.span);
    }
    this.lastOperand = this.ext(e);
    return e;
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.next();
        return { kind: 'number', value: t.value, text: t.text, span: t.span };
      case 'ident':
        return this.parseName(t);
      case 'lparen':
        return this.parseGroup(t.span);
      default:
        throw this.missingOperand(t);
    }
  }

  private parseName(t: IdentToken): Expr {
    this.next();
    const following = this.peek();
    if (t.text === 'pi') {
      if (following.kind === 'lparen') {
        this.lastOperand = t.span;
        throw this.implicitMultiplication(following, "'pi' is a constant, not a function");
      }
      return { kind: 'number', value: Math.PI, text: 'pi', span: t.span };
    }
    const info = lookupFunction(t.text);
    if (following.kind === 'lparen') {
      if (info) return this.parseCall(t, info.name, info.arity);
      throw this.notAFunction(t, following);
    }
    // matrixcalculus.org's `eye` without an argument: the identity, its size
    // inferred from use. A call with no arguments (eye(n) names the size).
    if (t.text === 'eye') return { kind: 'call', name: 'eye', written: 'eye', args: [], span: t.span, nameSpan: t.span };
    if (info) {
      const arg = this.operandText(this.pos);
      throw this.error(
        'E_FUNCTION_NOT_CALLED',
        `'${t.text}' is a function and needs its argument in parentheses`,
        t.span,
        `'(' after '${t.text}'`,
        `write ${t.text}(${arg && following.kind !== 'op' ? arg : info.arity === 2 ? 'A, B' : 'x'})`,
      );
    }
    return { kind: 'var', name: t.text, span: t.span };
  }

  private parseGroup(lparen: Span): Expr {
    this.next();
    if (this.peek().kind === 'rparen') {
      const r = this.peek().span;
      throw this.error('E_EMPTY_PARENS', 'empty parentheses', { start: lparen.start, end: r.end }, OPERAND, 'put an expression inside the parentheses or remove them');
    }
    this.open.push({ span: lparen, call: false });
    const inner = this.parseExpr(0, lparen);
    const t = this.peek();
    if (t.kind !== 'rparen') throw this.unexpectedAfterOperand(t, "')'");
    this.next();
    this.open.pop();
    this.outer.set(inner, { start: lparen.start, end: t.span.end });
    return inner;
  }

  private parseCall(name: Token, canonical: string, arity: number): CallNode {
    const lparen = this.next();
    this.open.push({ span: lparen.span, call: true });
    const args: Expr[] = [];
    if (this.peek().kind !== 'rparen') {
      for (;;) {
        const t = this.peek();
        if (t.kind === 'comma') {
          throw this.error(
            'E_EMPTY_ARGUMENT',
            `argument ${args.length + 1} of '${name.text}' is empty`,
            t.span,
            OPERAND,
            `${name.text} takes ${plural(arity, 'argument')}: ${usage(name.text, arity)}`,
          );
        }
        args.push(this.parseExpr(0, name.span));
        const after = this.peek();
        if (after.kind === 'rparen') break;
        if (after.kind !== 'comma') throw this.unexpectedAfterOperand(after, "',' or ')'");
        this.next();
        if (this.peek().kind === 'rparen') {
          throw this.error(
            'E_TRAILING_COMMA',
            `trailing comma in the arguments of '${name.text}'`,
            after.span,
            OPERAND,
            `remove the comma: ${usage(name.text, arity)}`,
          );
        }
      }
    }
    const rparen = this.next();
    this.open.pop();
    const span = { start: name.span.start, end: rparen.span.end };
    if (args.length !== arity) {
      throw this.error(
        'E_ARITY',
        `'${name.text}' takes ${plural(arity, 'argument')}, but ${args.length === 0 ? 'none was' : args.length === 1 ? '1 was' : `${args.length} were`} given`,
        span,
        `${plural(arity, 'argument')}`,
        `write ${usage(name.text, arity)}`,
      );
    }
    return this.built({ kind: 'call', name: canonical, written: name.text, args, span, nameSpan: name.span }, args, name.span);
  }

  // ---- errors --------------------------------------------------------------

  /** An operand was expected at `t` but `t` cannot start one. */
  private missingOperand(t: Token): MatcheckError {
    const prev = this.pos > 0 ? this.tokens[this.pos - 1] : undefined;
    if (prev?.kind === 'op' && t.kind !== 'op') {
      // `a+`, `(a*)`, `kron(a-,b)`: the operator before has nothing after it.
      const role = PREFIX_OPS.has(prev.text) && !this.isBinaryPosition(this.pos - 1) ? 'operand' : 'right operand';
      return this.error(
        'E_MISSING_OPERAND',
        `'${prev.text}' is missing its ${role}${t.kind === 'eof' ? ' at the end of the formula' : ` before '${t.text}'`}`,
        prev.span,
        `${OPERAND} after '${prev.text}'`,
      );
    }
    switch (t.kind) {
      case 'op': {
        if (t.text === "'") {
          return this.error('E_MISSING_OPERAND', "transpose ' has nothing before it to transpose", t.span, OPERAND, "' follows what it transposes: A'");
        }
        if (prev?.kind === 'op') {
          return this.error(
            'E_MISSING_OPERAND',
            `an operand is missing between '${prev.text}' and '${t.text}'`,
            t.span,
            `${OPERAND} after '${prev.text}'`,
            `remove one of the operators or put an operand between them`,
          );
        }
        return this.error(
          'E_MISSING_OPERAND',
          `'${t.text}' is missing its left operand (it comes ${prev ? `right after '${prev.text}'` : 'at the start of the formula'})`,
          t.span,
          OPERAND,
        );
      }
      case 'eof': {
        const open = this.open[this.open.length - 1];
        return this.error(
          'E_UNEXPECTED_END',
          `the formula ends after '${prev?.text ?? ''}' where an operand was expected`,
          t.span,
          OPERAND,
          open ? `complete the expression and close the '(' at column ${columnOf(this.source, open.span.start)}` : undefined,
        );
      }
      case 'rparen': {
        const open = this.open[this.open.length - 1];
        if (!open) {
          return this.error('E_UNMATCHED_PAREN', `')' at column ${columnOf(this.source, t.span.start)} has no matching '('`, t.span, OPERAND, "remove the ')' or add a '(' before it");
        }
        // After '(' the group would be empty (handled there); after ',' it is a trailing comma (handled in parseCall).
        return this.error('E_UNEXPECTED_TOKEN', `unexpected ')'`, t.span, OPERAND);
      }
      case 'comma': {
        const open = this.open[this.open.length - 1];
        return this.error(
          'E_UNEXPECTED_TOKEN',
          `unexpected ',' ${open?.call ? 'where an argument was expected' : 'outside a function call'}`,
          t.span,
          OPERAND,
          'commas only separate function arguments, as in kron(A,B)',
        );
      }
      default:
        return this.error('E_UNEXPECTED_TOKEN', `unexpected '${t.text}'`, t.span, OPERAND);
    }
  }

  /** Whether the operator token at index i follows an operand (so it is binary). */
  private isBinaryPosition(i: number): boolean {
    const before = this.tokens[i - 1];
    return before !== undefined && (before.kind === 'number' || before.kind === 'ident' || before.kind === 'rparen' || (before.kind === 'op' && before.text === "'"));
  }

  /** A complete operand was followed by `t`, which is not what `expected` allows. */
  private unexpectedAfterOperand(t: Token, expected: string): MatcheckError {
    const exp = `${OPERATORS} or ${expected}`;
    switch (t.kind) {
      case 'number':
      case 'ident':
      case 'lparen':
        return this.implicitMultiplication(t, undefined, exp);
      case 'rparen':
        return this.error('E_UNMATCHED_PAREN', `')' at column ${columnOf(this.source, t.span.start)} has no matching '('`, t.span, exp, "remove the ')' or add a '(' before it");
      case 'eof': {
        const open = this.open[this.open.length - 1];
        if (open) {
          return this.error(
            'E_UNCLOSED_PAREN',
            `'(' at column ${columnOf(this.source, open.span.start)} is never closed`,
            open.span,
            exp,
            `add ')' to close it`,
          );
        }
        return this.error('E_UNEXPECTED_END', 'the formula ends unexpectedly', t.span, exp);
      }
      case 'comma': {
        const open = this.open[this.open.length - 1];
        return this.error(
          'E_UNEXPECTED_TOKEN',
          `unexpected ',' ${open ? 'inside parentheses that are not a function call' : 'outside a function call'}`,
          t.span,
          exp,
          'commas only separate function arguments, as in kron(A,B); there are no vector literals',
        );
      }
      default:
        return this.error('E_UNEXPECTED_TOKEN', `unexpected '${t.text}'`, t.span, exp);
    }
  }

  private implicitMultiplication(t: Token, why?: string, expected = `${OPERATORS} between the two operands`): MatcheckError {
    // A literal like `2.` would make the hint `2.*x`, which reads as `2 .* x`.
    const left = this.text(this.lastOperand).replace(/^([0-9]+)\.$/, '$1');
    const right = this.operandText(this.tokens.indexOf(t)) || t.text;
    return this.error(
      'E_IMPLICIT_MULTIPLICATION',
      `${why ? `${why}; ` : ''}missing operator between '${left}' and '${right}' (implicit multiplication is not supported)`,
      t.span,
      expected,
      `write ${left}*${right}`,
    );
  }

  /** An identifier followed by '(' that names no function. */
  private notAFunction(t: Token, lparen: Token): MatcheckError {
    const suggestion = suggestFunction(t.text);
    this.lastOperand = t.span;
    const args = this.operandText(this.tokens.indexOf(lparen));
    const mult = `${t.text}*${args || '(...)'}`;
    if (suggestion === undefined && looksLikeVariable(t.text)) {
      return this.implicitMultiplication(lparen, `'${t.text}' is not a function`);
    }
    return this.error(
      'E_UNKNOWN_FUNCTION',
      `unknown function '${t.text}'`,
      t.span,
      'a known function: ' + FUNCTION_NAMES.join(', '),
      suggestion !== undefined
        ? `did you mean ${/^[a-z0-9]+$/.test(suggestion) ? `'${suggestion}'` : suggestion}? If '${t.text}' is a variable, write ${mult}`
        : `if '${t.text}' is a variable, write ${mult}`,
    );
  }

  /** Source text of the operand starting at token index i (balanced parentheses and trailing '), or ''. */
  private operandText(i: number): string {
    const first = this.tokens[i];
    if (!first) return '';
    let j = i;
    if (first.kind === 'ident' && this.tokens[i + 1]?.kind === 'lparen') j = i + 1;
    const start = first.span.start;
    let end: number;
    if (this.tokens[j].kind === 'lparen') {
      let level = 0;
      let k = j;
      for (; k < this.tokens.length; k++) {
        const kind = this.tokens[k].kind;
        if (kind === 'lparen') level++;
        else if (kind === 'rparen' && --level === 0) break;
      }
      if (k >= this.tokens.length) return '';
      j = k;
      end = this.tokens[k].span.end;
    } else if (first.kind === 'number' || first.kind === 'ident') {
      end = first.span.end;
    } else {
      return '';
    }
    while (this.tokens[j + 1]?.kind === 'op' && this.tokens[j + 1].text === "'") end = this.tokens[++j].span.end;
    return this.source.slice(start, end);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function usage(name: string, arity: number): string {
  return `${name}(${['A', 'B', 'C'].slice(0, arity).join(', ')})`;
}

/** Names like x, A, W2, x_1, xy: variables, not misspelled functions. */
function looksLikeVariable(name: string): boolean {
  return name.length <= 2 || /^[A-Za-z]_?[0-9]+$/.test(name) || /^[A-Za-z]_[A-Za-z0-9_]*$/.test(name);
}

/** The known function (or operator) a misspelled name most likely meant. */
export function suggestFunction(name: string): string | undefined {
  const synonym = SYNONYMS.get(name) ?? SYNONYMS.get(name.toLowerCase());
  if (synonym) return synonym;
  const lower = name.toLowerCase();
  if (lookupFunction(lower)) return lower;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of FUNCTION_NAMES) {
    const d = editDistance(lower, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions (`sni` -> `sin`). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}


// renderError on long sources: a window around the span, never the whole
// formula; short sources render exactly as before (test/parse/errors.test.ts).
import { describe, expect, it } from 'vitest';
import { EXCERPT_CONTEXT, EXCERPT_MAX_SPAN, MatcheckError, renderError } from '../src/errors.js';
import { parseFormula } from '../src/parse/index.js';

const err = (source: string, start: number, end: number) =>
  new MatcheckError({ code: 'E_TEST', stage: 'parse', message: 'bad', source, span: { start, end }, field: 'f', hint: 'fix it' });

/** The excerpt and caret lines of a rendering, without their `  | ` margin. */
function excerptOf(text: string): { shown: string; caret: string } {
  const lines = text.split('\n');
  expect(lines[1].startsWith('  | ')).toBe(true);
  expect(lines[2].startsWith('  | ')).toBe(true);
  return { shown: lines[1].slice(4), caret: lines[2].slice(4) };
}

/** A source whose every character tells its own position: the k-th is 'a' + k mod 26. */
const positional = (n: number) => Array.from({ length: n }, (_, k) => String.fromCharCode(97 + (k % 26))).join('');

describe('renderError excerpts', () => {
  it('shows a 20,000-character formula as a window of 60 characters each side of the span', () => {
    const source = positional(20_000);
    const text = renderError(err(source, 10_000, 10_002));
    const { shown, caret } = excerptOf(text);
    expect(shown).toBe(`…${source.slice(10_000 - EXCERPT_CONTEXT, 10_002 + EXCERPT_CONTEXT)}…`);
    expect(caret).toBe(`${' '.repeat(1 + EXCERPT_CONTEXT)}^^ (column 10001)`);
    // the carets stand under the span's characters in the window
    const at = caret.indexOf('^');
    expect(shown.slice(at, at + 2)).toBe(source.slice(10_000, 10_002));
    expect(text.length).toBeLessThan(400);
    expect(text.split('\n').slice(3)).toEqual(['  = hint: fix it']);
  });

  it('cuts only the side that is long: a span near the start has no leading …', () => {
    const source = positional(5_000);
    const { shown, caret } = excerptOf(renderError(err(source, 3, 4)));
    expect(shown).toBe(`${source.slice(0, 4 + EXCERPT_CONTEXT)}…`);
    expect(caret).toBe('   ^ (column 4)');
  });

  it('a span near the end has no trailing …, and a caret after the last character stays there', () => {
    const source = positional(5_000);
    const last = excerptOf(renderError(err(source, 4_999, 5_000)));
    expect(last.shown).toBe(`…${source.slice(4_999 - EXCERPT_CONTEXT)}`);
    expect(last.caret).toBe(`${' '.repeat(1 + EXCERPT_CONTEXT)}^ (column 5000)`);
    const after = excerptOf(renderError(err(source, 5_000, 5_001)));
    expect(after.shown).toBe(`…${source.slice(5_000 - EXCERPT_CONTEXT)}`);
    expect(after.caret).toBe(`${' '.repeat(1 + EXCERPT_CONTEXT)}^ (column 5001)`);
  });

  it('a very long span is cut too: at most EXCERPT_MAX_SPAN carets, then …', () => {
    const source = positional(20_000);
    const { shown, caret } = excerptOf(renderError(err(source, 0, 20_000)));
    expect(shown).toBe(`${source.slice(0, EXCERPT_MAX_SPAN + EXCERPT_CONTEXT)}…`);
    expect(caret).toBe(`${'^'.repeat(EXCERPT_MAX_SPAN)}… (column 1)`);
  });

  it('a source that just fits is shown whole, exactly as before', () => {
    const source = positional(2 * EXCERPT_CONTEXT + 1);
    const text = renderError(err(source, EXCERPT_CONTEXT, EXCERPT_CONTEXT + 1));
    expect(text).toBe(
      ['error[E_TEST]: f: bad', `  | ${source}`, `  | ${' '.repeat(EXCERPT_CONTEXT)}^ (column ${EXCERPT_CONTEXT + 1})`, '  = hint: fix it'].join('\n'),
    );
  });

  it('a real parse error deep in a long formula', () => {
    const source = `${' '.repeat(10_000)}x + 3y`;
    let e: unknown;
    try {
      parseFormula(source, 'grad');
    } catch (thrown) {
      e = thrown;
    }
    expect(e).toBeInstanceOf(MatcheckError);
    const text = renderError(e as MatcheckError);
    const { shown, caret } = excerptOf(text);
    expect(shown).toBe(`…${' '.repeat(EXCERPT_CONTEXT - 5)}x + 3y`);
    expect(caret).toBe(`${' '.repeat(1 + EXCERPT_CONTEXT)}^ (column 10006)`);
    expect(shown[caret.indexOf('^')]).toBe('y');
    expect(text.length).toBeLessThan(500);
  });
});

describe('renderError on formulas with line breaks and tabs', () => {
  const parseError = (source: string): MatcheckError => {
    try {
      parseFormula(source, 'f');
    } catch (e) {
      if (e instanceof MatcheckError) return e;
      throw e;
    }
    throw new Error(`expected ${JSON.stringify(source)} to fail`);
  };

  it('a formula written over several lines (a YAML block scalar) shows on one line, the caret under the culprit', () => {
    const source = 'tr(A*X\n   *B +)\n';
    const text = renderError(parseError(source));
    const lines = text.split('\n');
    expect(lines[0]).toBe("error[E_MISSING_OPERAND]: f: '+' is missing its right operand before ')'");
    const { shown, caret } = excerptOf(text);
    expect(shown).toBe('tr(A*X    *B +) ');
    expect(caret).toBe(`${' '.repeat(13)}^ (column 14)`);
    expect(shown[caret.indexOf('^')]).toBe('+');
    expect(lines[3]).toMatch(/^ {2}= expected /);
  });

  it('a tab counts as one column, as in the column number', () => {
    const { shown, caret } = excerptOf(renderError(parseError('a\t+\tfoo(b)')));
    expect(shown).toBe('a + foo(b)');
    expect(caret).toBe('    ^^^ (column 5)');
  });
});

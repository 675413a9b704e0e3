// One error type for every stage, so that callers (CLI, tables, matchers)
// can render any failure the same way: a code, the stage, a message, and
// where in which text it happened.

export type Stage = 'parse' | 'kinds' | 'shapes' | 'compile' | 'run' | 'sample' | 'check' | 'table' | 'usage';

/** A half-open character range [start, end) in `source`. */
export interface Span {
  start: number;
  end: number;
}

export interface MatcheckErrorInit {
  code: string;
  stage: Stage;
  message: string;
  /** The text the span points into (a formula, a kind declaration). */
  source?: string;
  span?: Span;
  /** What the parser expected at this point, if it can say. */
  expected?: string;
  /** A suggestion that would fix the input. */
  hint?: string;
  /** Where the source text came from, e.g. `f`, `grad`, `vars.X`. */
  field?: string;
  /** For an error in a table file: the file and the line (also at the head of the message). */
  file?: string;
  line?: number;
}

export class MatcheckError extends Error {
  readonly code: string;
  readonly stage: Stage;
  readonly source?: string;
  readonly span?: Span;
  readonly expected?: string;
  readonly hint?: string;
  field?: string;
  readonly file?: string;
  readonly line?: number;

  constructor(init: MatcheckErrorInit) {
    super(init.message);
    this.name = 'MatcheckError';
    this.code = init.code;
    this.stage = init.stage;
    this.source = init.source;
    this.span = init.span;
    this.expected = init.expected;
    this.hint = init.hint;
    this.field = init.field;
    this.file = init.file;
    this.line = init.line;
  }

  /** The same error, attributed to a field of a row (e.g. `grad`). */
  inField(field: string): MatcheckError {
    if (this.field === undefined) this.field = field;
    return this;
  }
}

/**
 * The column of UTF-16 offset `at` in `source` as a reader counts it: in
 * characters, so that one after an astral character (𝕀, two UTF-16 units)
 * is not one too far.
 */
export function columnOf(source: string, at: number): number {
  let column = 1;
  for (let i = 0; i < at && i < source.length; i++) {
    const c = source.charCodeAt(i);
    // The second half of a surrogate pair adds no column.
    if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && source.charCodeAt(i - 1) >= 0xd800 && source.charCodeAt(i - 1) <= 0xdbff)) column++;
  }
  return column;
}

export function isMatcheckError(e: unknown): e is MatcheckError {
  return e instanceof MatcheckError;
}

/** Characters of the source shown on each side of the span in an excerpt. */
export const EXCERPT_CONTEXT = 60;
/** Carets drawn at most; a longer span is cut there (and the excerpt with it). */
export const EXCERPT_MAX_SPAN = 120;

/**
 * The excerpt line and caret line for `span` in `source`, without the `  | `
 * margin. A long source is cut to a window of EXCERPT_CONTEXT characters
 * either side of the span (at most EXCERPT_MAX_SPAN of the span itself), with
 * `…` where text was left out, so a 20,000-character formula does not fill
 * the terminal; the caret stays under the right character of the window.
 */
export function excerpt(source: string, span: Span): { text: string; caret: string } {
  const start = Math.max(0, Math.min(span.start, source.length));
  // A span may end one past the source: a caret after the last character.
  const end = Math.max(start + 1, Math.min(span.end, source.length + 1));
  const shownEnd = Math.min(end, start + EXCERPT_MAX_SPAN);
  const from = Math.max(0, start - EXCERPT_CONTEXT);
  const to = Math.min(source.length, shownEnd + EXCERPT_CONTEXT);
  const head = from > 0 ? '…' : '';
  const tail = to < source.length ? '…' : '';
  // A line break or tab (a formula from a YAML block scalar) would break the
  // excerpt line or widen it; each shows as one space, so that the caret
  // stays under the span and the column number counts as the excerpt shows.
  const shown = source.slice(from, to).replace(/[\t\n\v\f\r\u0085\u2028\u2029]/g, ' ');
  // Widths in characters, not UTF-16 units (an astral character is one column).
  const width = (a: number, b: number) => columnOf(source.slice(a, b), b - a) - 1;
  return {
    text: `${head}${shown}${tail}`,
    caret: `${' '.repeat(head.length + width(from, start))}${'^'.repeat(Math.max(1, width(start, shownEnd)))}${shownEnd < end ? '…' : ''}`,
  };
}

/**
 * Renders an error like a compiler does: the message, the formula (a window
 * of it around the span, if it is long), a caret line under the span, then
 * what was expected and a hint. Any other Error (a bug, or a failure of the
 * file system) has none of these: it renders as `error: ` and its message,
 * after its name unless that is plain Error, so that a catch block can
 * render whatever it caught. A value that is no Error at all is a
 * MatcheckError E_USAGE.
 */
export function renderError(e: MatcheckError | Error): string {
  if (!(e instanceof MatcheckError)) return renderOther(e);
  const where = e.field ? `${e.field}: ` : '';
  const lines = [`error[${e.code}]: ${where}${e.message}`];
  if (e.source !== undefined && e.span) {
    const start = Math.max(0, Math.min(e.span.start, e.source.length));
    const { text, caret } = excerpt(e.source, e.span);
    lines.push(`  | ${text}`);
    lines.push(`  | ${caret} (column ${columnOf(e.source, start)})`);
  }
  if (e.expected) lines.push(`  = expected ${e.expected}`);
  if (e.hint) lines.push(`  = hint: ${e.hint}`);
  return lines.join('\n');
}

function renderOther(e: unknown): string {
  if (!(e instanceof Error)) {
    const got = e === null ? 'null' : e === undefined ? 'nothing' : typeof e === 'string' ? `the string ${JSON.stringify(e.length > 40 ? `${e.slice(0, 40)}...` : e)}` : `a ${typeof e}`;
    throw new MatcheckError({ code: 'E_USAGE', stage: 'usage', field: 'error', message: `renderError takes an error, got ${got}`, hint: 'pass the MatcheckError (or other Error) that was thrown' });
  }
  return `error: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}`;
}

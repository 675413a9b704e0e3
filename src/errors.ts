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
}

export class MatcheckError extends Error {
  readonly code: string;
  readonly stage: Stage;
  readonly source?: string;
  readonly span?: Span;
  readonly expected?: string;
  readonly hint?: string;
  field?: string;

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
  }

  /** The same error, attributed to a field of a row (e.g. `grad`). */
  inField(field: string): MatcheckError {
    if (this.field === undefined) this.field = field;
    return this;
  }
}

export function isMatcheckError(e: unknown): e is MatcheckError {
  return e instanceof MatcheckError;
}

/**
 * Renders an error like a compiler does: the message, the formula, a caret
 * line under the span, then what was expected and a hint.
 */
export function renderError(e: MatcheckError): string {
  const where = e.field ? `${e.field}: ` : '';
  const lines = [`error[${e.code}]: ${where}${e.message}`];
  if (e.source !== undefined && e.span) {
    const start = Math.max(0, Math.min(e.span.start, e.source.length));
    const end = Math.max(start + 1, Math.min(e.span.end, e.source.length + 1));
    lines.push(`  | ${e.source}`);
    lines.push(`  | ${' '.repeat(start)}${'^'.repeat(end - start)} (column ${start + 1})`);
  }
  if (e.expected) lines.push(`  = expected ${e.expected}`);
  if (e.hint) lines.push(`  = hint: ${e.hint}`);
  return lines.join('\n');
}

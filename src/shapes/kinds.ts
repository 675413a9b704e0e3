// Variable kinds (spec section 2): parsing declarations such as
// `positive spd(n)` or `matrix(m, 3)`, and the defaults matrixcalculus.org
// gives undeclared names.
import { MatcheckError } from '../errors.js';
import { closest } from '../suggest.js';

export type BaseKind = 'scalar' | 'vector' | 'matrix' | 'symmetric' | 'spd' | 'diagonal' | 'orthogonal' | 'invertible';

/** A dimension as written: a symbol (`n`, `rows`) or an integer. */
export type Dim = { symbol: string } | { value: number };

export interface Kind {
  base: BaseKind;
  /** `positive` prefix: entries strictly positive. */
  positive: boolean;
  /** Dimensions as written: none for scalar, one for vector and square kinds, two for matrix. */
  dims: Dim[];
}

/** How many dimension arguments each kind takes. */
const ARITY: Record<BaseKind, number> = {
  scalar: 0,
  vector: 1,
  matrix: 2,
  symmetric: 1,
  spd: 1,
  diagonal: 1,
  orthogonal: 1,
  invertible: 1,
};

export const KIND_NAMES = Object.keys(ARITY) as BaseKind[];

/** Kinds whose matrices are square: their one dimension is used twice. */
export function isSquareKind(base: BaseKind): boolean {
  return base !== 'scalar' && base !== 'vector' && base !== 'matrix';
}

/** The kind's shape as (rows, cols) dimensions. */
export function kindShape(kind: Kind): [Dim, Dim] {
  const one: Dim = { value: 1 };
  switch (kind.base) {
    case 'scalar':
      return [one, one];
    case 'vector':
      return [kind.dims[0], one];
    case 'matrix':
      return [kind.dims[0], kind.dims[1]];
    default:
      return [kind.dims[0], kind.dims[0]];
  }
}

export function printKind(kind: Kind): string {
  const dims = kind.dims.map((d) => ('symbol' in d ? d.symbol : String(d.value)));
  const body = kind.base === 'scalar' ? 'scalar' : `${kind.base}(${dims.join(',')})`;
  return kind.positive ? `positive ${body}` : body;
}

const DIM_SYMBOL = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses a kind declaration. `field` names where it came from (e.g.
 * `vars.X`) so that the error can say so.
 */
export function parseKind(source: string, field?: string): Kind {
  const fail = (message: string, start: number, end: number, hint?: string): never => {
    throw new MatcheckError({ code: 'E_KIND', stage: 'kinds', message, source, span: { start, end }, hint, field });
  };
  const m = /^(\s*)(positive\s+)?([A-Za-z_]+)\s*(?:\((.*)\))?\s*$/.exec(source);
  if (!m) {
    return fail(
      `cannot read the kind declaration '${source}'`,
      0,
      Math.max(1, source.length),
      `write a kind such as matrix(m,n), vector(n), symmetric(n) or scalar, optionally prefixed by 'positive'`,
    );
  }
  const nameStart = m[1].length + (m[2]?.length ?? 0);
  const name = m[3];
  if (!(name in ARITY)) {
    const guess = closest(name, KIND_NAMES);
    return fail(`unknown kind '${name}'`, nameStart, nameStart + name.length, `${guess ? `did you mean '${guess}'? ` : ''}known kinds: ${KIND_NAMES.join(', ')} (with an optional 'positive' prefix)`);
  }
  const base = name as BaseKind;
  const argText = m[4];
  const args = argText === undefined || argText.trim() === '' ? [] : argText.split(',');
  if (args.length !== ARITY[base]) {
    const want = ARITY[base];
    const example = base === 'scalar' ? 'scalar' : base === 'matrix' ? 'matrix(m,n)' : `${base}(n)`;
    return fail(
      `kind '${base}' takes ${want === 0 ? 'no dimensions' : want === 1 ? 'one dimension' : 'two dimensions'}, got ${args.length}`,
      nameStart,
      source.length,
      `write ${example}`,
    );
  }
  let offset = source.indexOf('(', nameStart) + 1;
  const dims: Dim[] = args.map((raw) => {
    const text = raw.trim();
    const start = offset + raw.indexOf(text);
    offset += raw.length + 1;
    if (/^[0-9]+$/.test(text)) {
      const value = Number(text);
      if (value < 1) fail(`a dimension must be at least 1, got ${value}`, start, start + text.length);
      return { value };
    }
    if (!DIM_SYMBOL.test(text)) {
      return fail(`'${text}' is not a dimension: use a symbol such as n or rows, or a positive integer`, start, start + Math.max(1, text.length));
    }
    return { symbol: text };
  });
  if (m[2] && base === 'orthogonal') {
    fail(`an orthogonal matrix cannot have all entries positive`, m[1].length, nameStart + name.length, `drop 'positive'`);
  }
  return { base, positive: Boolean(m[2]), dims };
}

/**
 * matrixcalculus.org's defaults for undeclared names: a-g scalars, h-z
 * vectors, A-Z matrices. Returns undefined for names it cannot classify
 * (a leading underscore).
 */
export function defaultBase(name: string): 'scalar' | 'vector' | 'matrix' | undefined {
  const c = name[0];
  if (c >= 'a' && c <= 'g') return 'scalar';
  if (c >= 'h' && c <= 'z') return 'vector';
  if (c >= 'A' && c <= 'Z') return 'matrix';
  return undefined;
}

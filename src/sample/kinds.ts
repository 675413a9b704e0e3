// Random values of each variable kind (spec section 2), column-major:
// entry (i, j) of a rows x cols matrix is at i + j * rows.
//
// Guarantees (n = the size of a square kind; "rounding" = a few units of
// 1e-16 relative):
//   scalar, vector, matrix   standard normal entries
//   symmetric                (G + G')/2, exactly equal to its transpose
//   spd                      Q diag(s) Q', Q Haar, s uniform in [0.5, 2):
//                            eigenvalues in [0.5, 2), condition number < 4
//                            up to rounding; exactly symmetric
//   diagonal                 standard normal diagonal, off-diagonal exactly 0
//   orthogonal               Haar (Householder QR with the sign fix): Q'Q = I
//                            up to rounding
//   invertible               U diag(s) V', U and V Haar, s uniform in [0.5, 2):
//                            singular values in [0.5, 2), condition number < 4
//                            up to rounding
// With `positive`, every entry that is not structurally 0 lies in [0.5, 2),
// away from 0 (for log, sqrt, ./):
//   positive scalar, vector, matrix, diagonal   entries uniform in [0.5, 2)
//   positive symmetric       (P + P')/2 with P uniform in [0.5, 2)
//   positive spd             (P + P')/2 + 4(n-1) I: off-diagonal entries in
//                            [0.5, 2), diagonal in 4(n-1) + [0.5, 2). Strictly
//                            diagonally dominant, so by Gershgorin every
//                            eigenvalue is in [2n - 1.5, 6n - 4) (n >= 2) and
//                            the condition number is < (6n-4)/(2n-1.5) <= 3.2
//   positive invertible      P + 4(n-1) I, P uniform in [0.5, 2), not
//                            symmetric. Rows and columns strictly diagonally
//                            dominant: by Johnson's bound (C. R. Johnson,
//                            "A Gersgorin-type lower bound for the smallest
//                            singular value", LAA 112, 1989) sigma_min >
//                            2n - 1.5, and sigma_max <= sqrt(|A|_1 |A|_inf)
//                            < 6n - 4, so the condition number is < 3.2
// (`positive orthogonal` does not exist: parseKind rejects it.)
//
// Values are not rounded to "nice" short numbers: on a coarse grid two
// entries tie often enough that, say, a positive 2x2 matrix would come out
// symmetric in a few percent of draws and hide a transposition mistake.
import { MatcheckError } from '../errors.js';
import type { Kind } from '../shapes/kinds.js';
import type { Rng } from './rng.js';

/** The range of positive entries and of spd eigenvalues / invertible singular values. */
export const POSITIVE_RANGE = { min: 0.5, max: 2 } as const;

/** Entries uniform in POSITIVE_RANGE. */
function positives(rng: Rng, out: Float64Array, at: number, length: number): void {
  rng.uniforms(out, at, length, POSITIVE_RANGE.min, POSITIVE_RANGE.max);
}

/** How a kind's free entries are drawn: out[at .. at + length). */
export type Draw = (rng: Rng, out: Float64Array, at: number, length: number) => void;

export const normals: Draw = (rng, out, at, length) => rng.normals(out, at, length);

// Every kind is drawn straight into its destination, out[at ...]: a check
// samples into engine memory, and in Node 20 a Float64Array of more than 64
// bytes costs about a microsecond to allocate, more than drawing its entries.

/** (G + G')/2 of an n x n G drawn entry by entry; each pair is averaged once, so the result is exactly symmetric. */
export function symmetrized(n: number, rng: Rng, draw: Draw, out: Float64Array, at: number): void {
  draw(rng, out, at, n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < j; i++) {
      const m = (out[at + i + j * n] + out[at + j + i * n]) / 2;
      out[at + i + j * n] = m;
      out[at + j + i * n] = m;
    }
  }
}

export function diagonal(n: number, rng: Rng, draw: Draw, out: Float64Array, at: number): void {
  // Drawn into the last n entries, then moved onto the diagonal (entry i
  // lands at i(n+1) <= its source n(n-1)+i, so no value is overwritten unread).
  const from = at + n * n - n;
  draw(rng, out, from, n);
  for (let i = 0; i < n; i++) out[at + i + i * n] = out[from + i];
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) if (i !== j) out[at + i + j * n] = 0;
}

/** Q diag(s) Q' with s in POSITIVE_RANGE, exactly symmetric. */
function spd(n: number, rng: Rng, out: Float64Array, at: number): void {
  rng.haarProduct(n, true, POSITIVE_RANGE.min, POSITIVE_RANGE.max, out, at);
}

/** U diag(s) V' with s in POSITIVE_RANGE. */
function invertible(n: number, rng: Rng, out: Float64Array, at: number): void {
  rng.haarProduct(n, false, POSITIVE_RANGE.min, POSITIVE_RANGE.max, out, at);
}

/** Adds 4(n-1) to the diagonal: twice the largest possible off-diagonal row or column sum of entries below 2. */
function shiftDiagonal(n: number, out: Float64Array, at: number): void {
  for (let i = 0; i < n; i++) out[at + i + i * n] += 4 * (n - 1);
}

function fail(message: string): never {
  throw new MatcheckError({ code: 'E_SAMPLE', stage: 'sample', message });
}

/** Refuses a shape the kind cannot have. */
function checkShape(kind: Kind, rows: number, cols: number): void {
  const name = `${kind.positive ? 'positive ' : ''}${kind.base}`;
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows < 1 || cols < 1) {
    fail(`cannot sample ${name} with shape ${rows} x ${cols}: sizes must be positive integers`);
  }
  const base = kind.base;
  if (base === 'scalar' && (rows !== 1 || cols !== 1)) fail(`a scalar is 1 x 1, not ${rows} x ${cols}`);
  if (base === 'vector' && cols !== 1) fail(`a vector is a column (n x 1), not ${rows} x ${cols}`);
  if (base !== 'scalar' && base !== 'vector' && base !== 'matrix' && rows !== cols) {
    fail(`${name} is square, not ${rows} x ${cols}`);
  }
  if (HAAR_KINDS.has(base) && !kind.positive && rows > MAX_HAAR_SIZE) {
    throw new MatcheckError({
      code: 'E_SIZE',
      stage: 'sample',
      message: `${name}(${rows}) is drawn from Haar-random orthogonal factors, work that grows as n^3 (1.4 s a draw at n = ${MAX_HAAR_SIZE}, 7 s at 800): matcheck draws ${[...HAAR_KINDS].join(', ')} up to ${MAX_HAAR_SIZE} x ${MAX_HAAR_SIZE}`,
      hint: base === 'orthogonal' ? `choose n <= ${MAX_HAAR_SIZE}` : `choose n <= ${MAX_HAAR_SIZE}, or declare positive ${base}(${rows}) (diagonally dominant, drawn in n^2 work)`,
    });
  }
}

/** Kinds drawn from Haar-random orthogonal matrices (Householder QR: n^3 work a draw). */
const HAAR_KINDS: ReadonlySet<string> = new Set(['spd', 'invertible', 'orthogonal']);
/** The largest of those matcheck draws: about 1.4 s a draw here (0.7 s at 400, 6.9 s at 800). */
export const MAX_HAAR_SIZE = 512;

/** A random value of `kind` with concrete shape rows x cols, column-major. */
export function sampleKind(kind: Kind, rows: number, cols: number, rng: Rng): Float64Array {
  checkShape(kind, rows, cols);
  const out = new Float64Array(rows * cols);
  sampleKindInto(kind, rows, cols, rng, out, 0);
  return out;
}

/** sampleKind written into out[at ...] (engine memory, in a check). */
export function sampleKindInto(kind: Kind, rows: number, cols: number, rng: Rng, out: Float64Array, at: number): void {
  checkShape(kind, rows, cols);
  const base = kind.base;
  const n = rows;

  if (kind.positive) {
    switch (base) {
      case 'scalar':
      case 'vector':
      case 'matrix':
        return positives(rng, out, at, rows * cols);
      case 'symmetric':
        return symmetrized(n, rng, positives, out, at);
      case 'spd':
        symmetrized(n, rng, positives, out, at);
        return shiftDiagonal(n, out, at);
      case 'diagonal':
        return diagonal(n, rng, positives, out, at);
      case 'invertible':
        positives(rng, out, at, n * n);
        return shiftDiagonal(n, out, at);
      case 'orthogonal':
        return fail(`an orthogonal matrix cannot have all entries positive`);
    }
  }
  switch (base) {
    case 'scalar':
    case 'vector':
    case 'matrix':
      return normals(rng, out, at, rows * cols);
    case 'symmetric':
      return symmetrized(n, rng, normals, out, at);
    case 'spd':
      return spd(n, rng, out, at);
    case 'diagonal':
      return diagonal(n, rng, normals, out, at);
    case 'orthogonal':
      return rng.orthogonal(n, out, at);
    case 'invertible':
      return invertible(n, rng, out, at);
  }
}

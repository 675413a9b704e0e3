// What a failed assertion threw: the error and the values a runner diffs.
export interface Failure extends Error {
  actual?: unknown;
  expected?: unknown;
}

/** Runs an assertion that must fail, and returns what it threw. */
export function failure(assertion: () => void): Failure {
  try {
    assertion();
  } catch (e) {
    return e as Failure;
  }
  throw new Error('the assertion passed, but it should have failed');
}

/** Entry (i, j) (0-based) of a column-major block, as the matchers print it: rows of numbers. */
export const entry = (rows: unknown, i: number, j: number): number => (rows as number[][])[i][j];

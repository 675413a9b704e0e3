// The hand-written backward pass against finite differences of the loss.
import 'matcheck/vitest';
import { describe, expect, it } from 'vitest';
import { backward, loss } from '../src/network.js';
import type { Mat } from 'matcheck';

// Sizes are symbols: every trial draws new ones (distinct, so that a
// transposition cannot hide behind a square shape), and new values.
const at = { W1: 'matrix(h,d)', b1: 'vector(h)', W2: 'matrix(o,h)', b2: 'vector(o)', X: 'matrix(d,n)', Y: 'matrix(o,n)' };
const wrt = ['W1', 'b1', 'W2', 'b2'];

describe('two-layer network', () => {
  it('backward is the gradient of loss', () => {
    expect(loss).toMatchGradient(backward, { at, wrt });
  });

  it('a backward pass with a wrong tanh derivative is not', () => {
    const buggy = (W1: Mat, b1: Mat, W2: Mat, b2: Mat, X: Mat, Y: Mat) => backward(W1, b1, W2, b2, X, Y, { bug: 'tanh-derivative' });
    expect(loss).not.toMatchGradient(buggy, { at, wrt });
  });

  // Deliberately failing, to show what a failure says: run `npx vitest run`
  // and read it (the claim, the relative error against the tolerance, the
  // worst entry, the diagnosis, the seed and sizes, and a diff of the
  // numerical against the returned gradients).
  it.fails('shows a failure: the buggy backward pass checked as if it were right', () => {
    const buggy = (W1: Mat, b1: Mat, W2: Mat, b2: Mat, X: Mat, Y: Mat) => backward(W1, b1, W2, b2, X, Y, { bug: 'tanh-derivative' });
    expect(loss).toMatchGradient(buggy, { at, wrt });
  });
});

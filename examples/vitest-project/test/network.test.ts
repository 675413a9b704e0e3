// The hand-written backward pass against finite differences of the loss.
import 'matcheck/vitest';
import { describe, expect, it } from 'vitest';
import { backward, backwardWithTanhBug, loss } from '../src/network.js';

// Sizes are symbols: every trial draws new ones (distinct, so that a
// transposition cannot hide behind a square shape), and new values.
const at = { W1: 'matrix(h,d)', b1: 'vector(h)', W2: 'matrix(o,h)', b2: 'vector(o)', X: 'matrix(d,n)', Y: 'matrix(o,n)' };
const wrt = ['W1', 'b1', 'W2', 'b2'];

describe('two-layer network', () => {
  it('backward is the gradient of loss', () => {
    expect(loss).toMatchGradient(backward, { at, wrt });
  });

  it('a backward pass with a wrong tanh derivative is not', () => {
    expect(loss).not.toMatchGradient(backwardWithTanhBug, { at, wrt });
  });

  // Deliberately failing, to show what a failure says: run `npx vitest run`
  // and read it (the claim, the relative error against the tolerance, the
  // worst entry, the diagnosis, the seed and sizes, and a diff of the
  // numerical against the returned gradients).
  it.fails('shows a failure: the buggy backward pass checked as if it were right', () => {
    expect(loss).toMatchGradient(backwardWithTanhBug, { at, wrt });
  });
});

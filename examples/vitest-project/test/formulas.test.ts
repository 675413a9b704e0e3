// Formulas as test oracles: a formula table, and single claims as matchers.
import { readFileSync } from 'node:fs';
import { checkTable, readTable } from 'matcheck';
import 'matcheck/vitest';
import { describe, expect, it } from 'vitest';

const file = new URL('../tables/network.yaml', import.meta.url);

describe("the network's gradients as a formula table", () => {
  const result = checkTable(readTable(readFileSync(file, 'utf8'), 'tables/network.yaml'));

  it.each(result.rows.map((r) => [r.id, r] as const))('row %s meets its expectation', (_id, row) => {
    expect(row.met, row.message ?? '').toBe(true);
  });

  it('the known-wrong row fails, with its worst entry named', () => {
    const row = result.rows.find((r) => r.id === 'dW1-without-the-square')!;
    expect(row.verdict).toBe('fail');
    expect(row.worst[0].entry).toMatch(/^d\/dW1\[\d+,\d+\]$/);
  });
});

describe('single claims', () => {
  const vars = { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' };
  it('tr(A X B) has gradient A\'B\'', () => {
    expect({ f: 'tr(A*X*B)', wrt: 'X', vars }).toHaveGradient("A'*B'");
    expect({ f: 'tr(A*X*B)', wrt: 'X', vars }).not.toHaveGradient('B*A');
  });
  it('d inv(X) = -inv(X) dX inv(X)', () => {
    expect({ f: 'inv(X)', wrt: 'X', vars: { X: 'invertible(n)' } }).toHaveDifferential('-inv(X)*dX*inv(X)');
  });
});

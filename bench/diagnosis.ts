// What diagnosing costs (issue 6): a passing row with diagnosis on and off
// (it must cost nothing: no diagnosis work when a row passes), and failing
// rows with and without diagnosis.
import { checkFormula } from '../src/check/formula.js';
import type { FormulaRow } from '../src/row.js';
import { alternate } from './measure.js';

export interface DiagnosisCost {
  name: string;
  verdict: string;
  diagnosis: string | null;
  checkMedianNs: number;
  withDiagnosisMedianNs: number;
  /** Diagnosis time over check time. */
  overhead: number;
}

const quad = { vars: { x: 'vector(n)', Q: 'matrix(n,n)' }, f: "x'*Q*x", wrt: 'x' };
export const DIAGNOSIS_ROWS: { name: string; row: FormulaRow }[] = [
  { name: 'passing row', row: { id: 'p', ...quad, grad: "(Q+Q')*x" } },
  { name: 'factor 2', row: { id: 'f', vars: { x: 'vector(n)' }, f: "x'*x", wrt: 'x', grad: 'x' } },
  { name: 'transposed (square)', row: { id: 't', vars: { A: 'matrix(n,n)', X: 'matrix(n,n)' }, f: 'tr(A*X)', wrt: 'X', grad: 'A' } },
  { name: 'symmetric only', row: { id: 's', ...quad, grad: '2*Q*x' } },
  { name: 'no known kind', row: { id: 'n', vars: { X: 'matrix(m,n)' }, f: 'sum(exp(X))', wrt: 'X', grad: 'exp(X) + X.^2' } },
];


export function runDiagnosisBench(opts: { quick?: boolean } = {}): DiagnosisCost[] {
  const ms = opts.quick ? 60 : 250;
  return DIAGNOSIS_ROWS.map(({ name, row }) => {
    const r = checkFormula(row, { seed: 'bench' });
    // Alternating rounds: the two differ by little for a passing row, less than the machine drifts.
    const rounds = opts.quick ? 1 : 5;
    const budget = { time: ms / rounds, iterations: 10, warmupTime: 50, warmupIterations: 5 };
    const [plain, diagnosed] = alternate([() => checkFormula(row, { seed: 'bench', diagnose: false }), () => checkFormula(row, { seed: 'bench' })], budget, rounds);
    return { name, verdict: r.verdict, diagnosis: r.diagnosis?.kind ?? null, checkMedianNs: plain, withDiagnosisMedianNs: diagnosed, overhead: (diagnosed - plain) / plain };
  });
}

// Drives the real trial machinery with one claim entry made wrong: the claim
// reads an extra input P, set to zero except one entry of 1e-4 times the
// largest entry of the correct claim.
import { drawPoint, judgeAt, type TrialContext } from '../../src/check/trial.js';
import { lower } from '../../src/compile/lower.js';
import { sharedEngine } from '../../src/run/module.js';
import { claimOf, type FormulaRow } from '../../src/row.js';
import { deriveSeed, makeRng, trialSeed } from '../../src/sample/index.js';
import { analyze } from '../../src/shapes/analyze.js';

export function singleEntryVerdicts(row: FormulaRow, seeds: readonly string[]): Map<string, string[]> {
  const claim = claimOf(row)!;
  const analysis = analyze({ vars: row.vars, f: row.f, wrt: row.wrt, claim });
  const program = lower(analysis);
  const ctx: TrialContext = {
    engine: sharedEngine(),
    analysis,
    program,
    setup: { type: claim.type, wrtKind: analysis.wrt?.kind, convention: 'free-entries', claimTransposed: false, directions: 4 },
    fixedDims: {},
  };
  const out = new Map<string, string[]>();
  for (const seed of seeds) {
    const rng = makeRng(trialSeed(deriveSeed(seed, 'single-entry'), 0));
    for (let draw = 0; draw < 10; draw++) {
      const { trial, sizes } = drawPoint(ctx, rng);
      const p = trial.input('P');
      trial.setInput('P', new Float64Array(p.rows * p.cols));
      trial.evaluate();
      const correct = trial.read(trial.layout.claim!);
      const largest = Math.max(...correct.map(Math.abs));
      const wrongEntry = new Float64Array(p.rows * p.cols);
      const at = rng.int(0, wrongEntry.length - 1);
      wrongEntry[at] = 1e-4 * largest;
      trial.setInput('P', wrongEntry);
      const outcome = judgeAt(ctx, trial, sizes, rng, 'directional');
      if (outcome.kind === 'redraw') continue;
      const verdict = outcome.pass ? 'pass' : 'fail';
      const list = out.get(verdict) ?? [];
      list.push(`${seed}: relErr=${outcome.judgement.relErr} tol=${outcome.judgement.tolerance} entry=${at} dims=${JSON.stringify(sizes)}`);
      out.set(verdict, list);
      break;
    }
  }
  return out;
}

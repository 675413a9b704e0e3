// The README's example output is what the command it shows prints.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../helpers/cli.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('Example output of a wrong row'));
const blocks = [...section.matchAll(/```\n([\s\S]*?)```/g)].slice(0, 2).map((m) => m[1].trimEnd());

describe("the README's example output of a wrong row", () => {
  const check = ['check', '--var', 'X=matrix(m,n)', '--var', 'A=matrix(p,m)', '--var', 'B=matrix(n,p)', '--f', 'tr(A*X*B)', '--wrt', 'X'];
  it('the README shows the check command it runs', () => {
    expect(readme).toContain('node bin/matcheck.js check --var "X=matrix(m,n)" --var "A=matrix(p,m)" --var "B=matrix(n,p)" \\\n                           --f "tr(A*X*B)" --wrt X --grad "B*A"');
  });
  it.each([
    [0, 'B*A'],
    [1, "2*A'*B'"],
  ])('block %i is what check --grad %s prints', (i, grad) => {
    // With the SIMD128 build, as Node 20 runs it: the relaxed build's fused multiply-adds print other last digits of err.
    const r = run([...check, '--grad', grad, '--engine', 'simd']);
    expect(r.code).toBe(1);
    expect(blocks[i]).toBe(r.out.trimEnd());
  });
});

describe("the README's check options", () => {
  it('a claim that starts with - is given after =, as the README says', () => {
    expect(readme).toContain('`--differential="-inv(X)*dX*inv(X)" --var "X=invertible(n)"`');
    const r = run(['check', '--f', 'inv(X)', '--wrt', 'X', '--differential=-inv(X)*dX*inv(X)', '--var', 'X=invertible(n)']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^PASS {2}check {2}err /);
  });
});

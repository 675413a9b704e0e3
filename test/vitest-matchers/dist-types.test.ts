// The built package's types, as a user's TypeScript project sees them:
// `import 'matcheck/vitest'` must add the matchers to vitest's expect (the
// tests of src/ compile the source, where the augmentation always works).
// Needs `npm run build` first, as `npm test` does after it.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const probe = `${root}test/vitest-matchers/__dist_types_probe__.ts`;
const source = `
import { checkGradient, type Mat } from 'matcheck';
import 'matcheck/vitest';
import { expect } from 'vitest';

interface Grads { W: Mat; x: Mat }
declare const loss: (W: Mat, x: Mat) => number;
declare const backward: (W: Mat, x: Mat) => Grads;
const vars = { A: 'matrix(p,m)', X: 'matrix(m,n)', B: 'matrix(n,p)' };
expect({ f: 'tr(A*X*B)', wrt: 'X', vars }).toHaveGradient("A'*B'");
expect({ f: 'tr(A*X*B)', wrt: 'X', vars }).not.toHaveGradient('B*A', { seed: 1 });
expect({ f: 'tr(A*B)' }).toEqualFormula('tr(B*A)');
expect(loss).toMatchGradient(backward, { at: { W: 'matrix(3,4)', x: 'vector(4)' } });
checkGradient(loss, backward, { W: 'matrix(3,4)', x: 'vector(4)' });
`;

function diagnostics(): string[] {
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, skipLibCheck: true, types: ['node'] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => (name === probe ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === probe || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === probe ? source : readFile(name));
  const program = ts.createProgram([probe], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe("the built package's types", () => {
  it("import 'matcheck/vitest' adds the matchers to vitest's expect, and a backward pass may return an interface", () => {
    expect(diagnostics()).toEqual([]);
  }, 60_000);
});

// Importing the library loads no package it may not need: a YAML parser
// only once a table is read (js-yaml for a plain table, yaml, 70 ms to load,
// only for one with a key written twice and the like), tinypool (30 ms) only for a table large
// enough for worker threads; and seedrandom never (a devDependency: the
// engine seeds as it does, and tests hold the two together). Runs the built
// package (dist/, `npm run build`).
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `body` after importing `entry` (dist/index.js) as `m`; `loaded(name)` tells whether a package's files were loaded (CommonJS cache or ESM resolution). */
function run(body: string, entry = 'dist/index.js'): string {
  const script = `
    import { createRequire, register } from 'node:module';
    const resolved = [];
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (u) => resolved.push(u));
    port1.unref();
    register('data:text/javascript,' + encodeURIComponent('let port; export function initialize(d) { port = d.port; } export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }'), { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });
    const m = await import(${JSON.stringify(ROOT + entry)});
    await new Promise((r) => setTimeout(r, 50));
    const cache = createRequire(import.meta.url).cache;
    const loaded = (name) => Object.keys(cache).some((k) => k.includes('/node_modules/' + name + '/')) || resolved.some((u) => u.includes('/node_modules/' + name + '/'));
    ${body}
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.trim();
}

describe('importing matcheck', () => {
  it('loads no YAML parser nor tinypool; a plain table loads js-yaml, one with a key written twice yaml', () => {
    const out = run(`
      const parsers = () => [loaded('js-yaml'), loaded('yaml')];
      const before = [...parsers(), loaded('tinypool'), loaded('@assemblyscript/loader')];
      m.readTable('formulas:\\n  - { id: a, f: "x", wrt: x, grad: "1" }\\n');
      const plain = parsers();
      m.readTable('formulas:\\n  - { id: a, id: b, f: "x", wrt: x, grad: "1" }\\n');
      console.log(JSON.stringify({ before, plain, twice: parsers() }));
    `);
    // The loader is imported (the engine module needs it), which shows the probe sees ESM packages.
    expect(JSON.parse(out)).toEqual({ before: [false, false, false, true], plain: [true, false], twice: [true, true] });
  });

  it('the command line loads cli-progress only to draw a bar', () => {
    const out = run(
      `
      const io = { out: () => {}, err: () => {}, tty: false };
      const codes = [await m.mainAsync(['--help'], io), await m.mainAsync(['check', '--var', 'x=vector(n)', '--f', "x'*x", '--wrt', 'x', '--grad', '2*x'], io)];
      const before = loaded('cli-progress');
      const { ProgressBar } = await import(${JSON.stringify(ROOT + 'dist/report/progress.js')});
      new ProgressBar(3).stop();
      console.log(JSON.stringify({ codes, before, bar: loaded('cli-progress') }));
    `,
      'dist/cli.js',
    );
    expect(JSON.parse(out)).toEqual({ codes: [0, 0], before: false, bar: true });
  });

  it('checks formulas and tables without seedrandom', () => {
    const out = run(`
      const r = m.checkFormula({ id: 'q', vars: { A: 'matrix(n,n)', x: 'vector(n)' }, f: "x'*A*x", wrt: 'x', grad: "(A+A')*x" }, { trials: 2 });
      const t = m.checkTable(m.readTable('formulas:\\n  - { id: a, f: "tr(X*X)", wrt: X, grad: "2*X\\'" }\\n'));
      console.log(JSON.stringify({ verdicts: [r.verdict, t.rows[0].verdict], seedrandom: loaded('seedrandom') }));
    `);
    expect(JSON.parse(out)).toEqual({ verdicts: ['pass', 'pass'], seedrandom: false });
  });
});

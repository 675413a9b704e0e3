// tables/constructs.yaml is the checker's own table: at least 100 rows that
// between them use every construct of the language. Its result is asserted
// here (CI also runs it through the CLI), and so is its coverage: a construct
// added to the language without a row fails this test.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkTable } from '../../src/check/table.js';
import { ALIASES, FUNCTIONS } from '../../src/parse/functions.js';
import { BINARY_OPS } from '../../src/parse/grammar.js';
import { CLAIM_TYPES, claimOf } from '../../src/row.js';
import { KIND_NAMES } from '../../src/shapes/kinds.js';
import { readTable } from '../../src/table/read.js';

const file = fileURLToPath(new URL('../../tables/constructs.yaml', import.meta.url));
const table = readTable(readFileSync(file, 'utf8'), 'tables/constructs.yaml');
const rows = table.rows.map((r) => r.row);
const texts = rows.flatMap((r) => [String(r.f ?? ''), claimOf(r)?.text ?? '']);
const kinds = rows.flatMap((r) => Object.values(r.vars ?? {}));

describe('tables/constructs.yaml', () => {
  it('has at least 100 rows, and every row meets its expectation', () => {
    expect(rows.length).toBeGreaterThanOrEqual(100);
    const result = checkTable(table, { seed: '1' });
    const unmet = result.rows.filter((r) => !r.met).map((r) => `${r.id} (line ${r.line}): ${r.verdict}, expected ${r.expected}: ${r.message}`);
    expect(unmet).toEqual([]);
    expect(result.summary.rows).toBe(rows.length);
    // Rows of every verdict: right formulas, wrong ones kept as expect: fail, malformed ones as expect: error.
    expect(result.summary.pass).toBeGreaterThan(100);
    expect(result.summary.fail).toBeGreaterThan(0);
    expect(result.summary.error).toBeGreaterThan(0);
  });

  it('uses every function and alias of the language', () => {
    const missing = [...FUNCTIONS.keys(), ...ALIASES.keys()].filter((name) => !texts.some((t) => new RegExp(`\\b${name}\\s*\\(`).test(t)));
    expect(missing).toEqual([]);
  });

  it("uses every operator, unary minus, transpose, pi and A^-1", () => {
    const missing = [...BINARY_OPS.keys()].filter((op) => !texts.some((t) => t.includes(op)));
    expect(missing).toEqual([]);
    expect(texts.some((t) => /(^|[(*+/,])\s*-\s*[A-Za-z(]/.test(t))).toBe(true);
    expect(texts.some((t) => t.includes("'"))).toBe(true);
    expect(texts.some((t) => /\bpi\b/.test(t))).toBe(true);
    expect(texts.some((t) => /\^\s*-\s*1/.test(t))).toBe(true);
  });

  it('uses every claim type, both layouts, all three conventions and every kind', () => {
    for (const type of CLAIM_TYPES) expect(rows.some((r) => claimOf(r)?.type === type), type).toBe(true);
    expect(rows.some((r) => r.layout === 'numerator')).toBe(true);
    for (const c of ['free-entries', 'projected', 'unconstrained']) expect(rows.some((r) => r.convention === c), c).toBe(true);
    for (const k of KIND_NAMES) expect(kinds.some((v) => new RegExp(`^(positive )?${k}\\b`).test(v)), k).toBe(true);
    expect(kinds.some((v) => v.startsWith('positive '))).toBe(true);
  });
});

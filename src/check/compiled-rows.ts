// Compiled rows: a row's formulas analysed and lowered once, found again by
// their text, and what every trial of a compiled row asks of its analysis.
import { lower } from '../compile/lower.js';
import type { Program } from '../compile/program.js';
import { isMatcheckError, MatcheckError } from '../errors.js';
import type { Claim, FormulaRow } from '../row.js';
import { analyze, type Analysis } from '../shapes/analyze.js';

/** A row's formula fields, as compiled: a later row with the same fields reuses the compilation. */
interface CompiledRow {
  wrt: string | undefined;
  type: Claim['type'];
  text: string;
  layout: FormulaRow['layout'];
  convention: FormulaRow['convention'];
  vars: string[];
  entry: { analysis: Analysis; program: Program } | MatcheckError;
}

/**
 * Analysed and lowered formulas, found by f's text, then field by field.
 * Repeated checks of a row parse it once. No key is built: a string read
 * from the row keeps its hash, where a joined key would be hashed anew.
 */
const compiledRows = new Map<string, CompiledRow[]>();
let compiledCount = 0;

/**
 * vars as [name, kind, name, kind, ...], in the row's order: its own keys
 * only, as analyze reads them (an inherited key declares nothing, so it must
 * not tell two rows apart, nor make one row look like another).
 */
function varsList(vars: FormulaRow['vars'] = {}): string[] {
  const out: string[] = [];
  for (const name in vars) if (Object.hasOwn(vars, name)) out.push(name, vars[name]);
  return out;
}

function sameVars(list: string[], vars: FormulaRow['vars'] = {}): boolean {
  let i = 0;
  for (const name in vars) {
    if (!Object.hasOwn(vars, name)) continue;
    if (list[i] !== name || list[i + 1] !== vars[name]) return false;
    i += 2;
  }
  return i === list.length;
}

export function compiled(row: FormulaRow, claim: Claim): { analysis: Analysis; program: Program } {
  const f = String(row.f);
  let candidates = compiledRows.get(f);
  let hit = candidates?.find((c) => c.wrt === row.wrt && c.type === claim.type && c.text === claim.text && c.layout === row.layout && c.convention === row.convention && sameVars(c.vars, row.vars));
  if (!hit) {
    let entry: CompiledRow['entry'];
    try {
      const analysis = analyze({ vars: row.vars, f, wrt: row.wrt, claim, layout: row.layout, convention: row.convention });
      entry = { analysis, program: lower(analysis) };
    } catch (e) {
      if (!isMatcheckError(e)) throw e;
      entry = e;
    }
    if (compiledCount >= 1000) {
      compiledRows.clear();
      compiledCount = 0;
      candidates = undefined;
    }
    hit = { wrt: row.wrt, type: claim.type, text: claim.text, layout: row.layout, convention: row.convention, vars: varsList(row.vars), entry };
    if (candidates) candidates.push(hit);
    else compiledRows.set(f, [hit]);
    compiledCount++;
  }
  if (hit.entry instanceof MatcheckError) throw hit.entry;
  return hit.entry;
}

/** The dimensions a row's dims may size, per analysed formula. */
const dimNames = new WeakMap<Analysis, Set<string>>();

export function dimNamesOf(analysis: Analysis): Set<string> {
  let names = dimNames.get(analysis);
  if (!names) {
    const dims = analysis.types.dims;
    dimNames.set(analysis, (names = new Set([...dims.symbolNames(), ...dims.unknowns().map((u) => u.name)])));
  }
  return names;
}

/** The dimension symbols a formula draws, sorted (drawn again on every trial). */
const drawnSymbols = new WeakMap<Analysis, string[]>();

export function symbolsToDraw(analysis: Analysis): string[] {
  let symbols = drawnSymbols.get(analysis);
  if (!symbols) drawnSymbols.set(analysis, (symbols = [...new Set(analysis.types.dims.unknowns().map((u) => u.name))].sort()));
  return symbols;
}

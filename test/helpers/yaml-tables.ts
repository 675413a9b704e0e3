// Random table texts for comparing the two table readers: rows in block and
// flow style, scalars in every style, comments, blank lines and trailing
// spaces, some of them not valid YAML or not plain (then the plain reader
// must leave the table to yaml).
import fc from 'fast-check';

const WORDS = ['x', 'A', 'tr(A*X)', "x'*A*x", 'vector(n)', 'matrix(m,n)', '2*x', 'a b', '0123', '1.10', '0x1F', '1e3', '-3', '.inf', 'true', 'null', '~', 'é', 'a#b', "it's", 'q"q', 'back\\slash', '', ' lead', 'trail ', '1_0', 'pass', 'fail', '5', '1e-6'];
/** Words that plain YAML may refuse, or read as a comment, an alias, an anchor or a tag. */
const ODD = ['#no', 'k: v', '- x', '[x]', '{x}', '*star', '&amp', '!bang', '%pct', '@at', '`tick', '   '];
const KEYS = ['id', 'source', 'vars', 'dims', 'f', 'wrt', 'grad', 'equals', 'differential', 'hessian', 'trials', 'seed', 'tolerance', 'expect', 'layout', 'gard', 'n', 'm', 'X', 'x'];

const double = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const single = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A scalar as written on one line: plain (maybe invalid), single- or double-quoted. */
const word = fc.oneof({ weight: 29, arbitrary: fc.constantFrom(...WORDS) }, { weight: 1, arbitrary: fc.constantFrom(...ODD) });
const inline = fc.tuple(word, fc.constantFrom('plain', 'single', 'double')).map(([w, style]) => (style === 'plain' ? w : style === 'single' ? single(w) : double(w)));

/** A block scalar's header and lines (indented below by the caller). */
const block = fc.tuple(fc.constantFrom('|', '|-', '|+', '>', '>-', '>+'), fc.tuple(word, fc.array(fc.oneof(word, fc.constantFrom('', '  more', '   ')), { maxLength: 3 })).map(([first, rest]) => [first, ...rest]));

const space = fc.constantFrom('', '', ' ', '  ', ' # note');

type Value = { kind: 'inline'; text: string } | { kind: 'block'; header: string; lines: string[] } | { kind: 'map'; entries: [string, string][] };

const value: fc.Arbitrary<Value> = fc.oneof(
  { weight: 6, arbitrary: inline.map((text) => ({ kind: 'inline' as const, text })) },
  { weight: 1, arbitrary: block.map(([header, lines]) => ({ kind: 'block' as const, header, lines })) },
  { weight: 2, arbitrary: fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), inline), { maxLength: 3, selector: ([k]) => k }).map((entries) => ({ kind: 'map' as const, entries })) },
);

const field = fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom('plain', 'plain', 'single', 'double'), value, space);
/** A row's fields, now and then one written twice. */
const fields = fc.tuple(fc.uniqueArray(field, { minLength: 1, maxLength: 6, selector: ([k]) => k }), fc.nat(9)).map(([fs, twice]) => (twice === 0 ? [...fs, fs[0]] : fs));

function blockRow(fields: [string, string, Value, string][], indent: string, anchor: string): string {
  const lines = fields.map(([k, ks, v, sp], i) => {
    const key = ks === 'plain' ? k : ks === 'single' ? single(k) : double(k);
    const lead = i > 0 ? indent : anchor ? `  - ${anchor}\n${indent}` : '  - ';
    if (v.kind === 'inline') return `${lead}${key}: ${v.text}${sp}`;
    if (v.kind === 'map') return `${lead}${key}: { ${v.entries.map(([a, b]) => `${a}: ${b}`).join(', ')} }${sp}`;
    return `${lead}${key}: ${v.header}${sp}\n${v.lines.map((l) => (l === '' ? '' : `${indent}  ${l}`)).join('\n')}`;
  });
  return lines.join('\n');
}

function flowRow(fields: [string, string, Value, string][], anchor: string): string {
  const inlineOnly = fields.filter(([, , v]) => v.kind !== 'block');
  return `  - ${anchor ? `${anchor} ` : ''}{ ${inlineOnly.map(([k, , v]) => `${k}: ${v.kind === 'inline' ? v.text : `{ ${(v as { entries: [string, string][] }).entries.map(([a, b]) => `${a}: ${b}`).join(', ')} }`}`).join(', ')} }`;
}

/**
 * A row, given its index (anchors are named by it): now and then anchored
 * (&rI), merging earlier rows or not-yet-written ones (<<: *rK, <<: [*rK, *rJ]),
 * or written as an alias of one (- *rK).
 */
const row = fc
  .tuple(fc.boolean(), fields, fc.constantFrom('', '', '\n', '  # comment\n'), fc.nat(2), fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.array(fc.nat(4), { minLength: 1, maxLength: 2 }) }), fc.nat(2), fc.nat(12))
  .map(([flow, fields, before, anchored, merge, at, alias]) => (i: number) => {
    if (alias === 0 && i > 0) return `${before}  - *r${i - 1}`;
    const all: [string, string, Value, string][] = [...fields];
    // Mostly rows above this one (an alias of a later row, or of one not anchored, names no anchor).
    const ref = (k: number) => `*r${k === 4 || i === 0 ? k : k % i}`;
    if (merge) all.splice(Math.min(at, all.length), 0, ['<<', 'plain', { kind: 'inline', text: merge.length === 1 ? ref(merge[0]) : `[${merge.map(ref).join(', ')}]` }, '']);
    const anchor = anchored === 0 ? `&r${i}` : '';
    return before + (flow ? flowRow(all, anchor) : blockRow(all, '    ', anchor));
  });

/** A whole table's text. */
export const tableText = fc
  .tuple(fc.option(inline), fc.option(fc.uniqueArray(fc.tuple(fc.constantFrom('trials', 'tolerance', 'vars', 'layout'), value, space), { minLength: 1, maxLength: 2, selector: ([k]) => k })), fc.array(row, { maxLength: 5 }), fc.boolean())
  .map(([name, defaults, rows, crlf]) => {
    let text = '';
    if (name !== null) text += `name: ${name}\n`;
    if (defaults !== null) text += `defaults:\n${defaults.map(([k, v, sp]) => (v.kind === 'block' ? `  ${k}: ${v.header}\n${v.lines.map((l) => (l === '' ? '' : `    ${l}`)).join('\n')}` : v.kind === 'map' ? `  ${k}: { ${v.entries.map(([a, b]) => `${a}: ${b}`).join(', ')} }${sp}` : `  ${k}: ${v.text}${sp}`)).join('\n')}\n`;
    text += rows.length ? `formulas:\n${rows.map((r, i) => r(i)).join('\n')}\n` : 'formulas: []\n';
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

// read.test.ts once more, with every table it reads read by both readers:
// where the plain reader (js-yaml's events) takes a table, it must give the
// table yaml's document reader gives, rows, lines, values and problems, or
// refuse it as yaml's does; where it leaves one, readTable's answer is the
// yaml reader's.
import { afterAll, expect, vi } from 'vitest';
import { comparableOutcome, outcome } from '../helpers/tables.js';

const taken = vi.hoisted(() => ({ plain: 0, left: 0 }));

vi.mock('../../src/table/read.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/table/read.js')>();
  const { readPlainTable } = await import('../../src/table/plain-events.js');
  const { readYamlTable } = await import('../../src/table/yaml-document.js');
  return {
    ...actual,
    readTable(text: string, file?: string) {
      const viaYaml = outcome(() => readYamlTable(text, file))!;
      const plain = outcome(() => readPlainTable(text, file));
      if (plain) {
        taken.plain++;
        // The same table, or the same refusal (a bad default refuses the file in both).
        expect(comparableOutcome(plain), text).toEqual(comparableOutcome(viaYaml));
      } else taken.left++;
      const answer = plain ?? viaYaml;
      if ('refused' in answer) throw answer.refused;
      return answer.table;
    },
  };
});

await import('./read.test.js');

afterAll(() => {
  // Both readers were exercised: most of read.test.ts's tables are plain, the anchors, duplicates and YAML errors are not.
  expect(taken.plain).toBeGreaterThan(80);
  expect(taken.left).toBeGreaterThan(30);
});

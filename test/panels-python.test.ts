/**
 * Every panel and filter against CPython itself (python_panels_oracle.py: re on bytes,
 * strptime, urlparse, fromisoformat), for both readers, over adversarial and generated lines.
 * Skipped, with the reason, only where no python3 of 3.11 or later is installed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cpythonOutcomes, cpythonSkip } from './support/cpython-panels';
import { adversarialLines } from './support/adversarial-lines';
import { LogGenerator } from './support/log-generator';
import { firstDifference, linesOf, ourQuery, ourTally, tallyOutcomes, textOf } from './support/panel-outcomes';
import type { ReferencePanel } from './support/reference-semantics';
import { READERS } from './support/verdicts';
import { PANEL_QUERIES } from './support/panel-queries';

const skip = cpythonSkip();

for (const [n, { name, query }] of PANEL_QUERIES.entries()) {
  test(`CPython oracle, panels and filters: ${name}`, { skip }, () => {
    const generated = new LogGenerator({ seed: 40 + n, malformedRate: 0.02, start: Date.UTC(2012, 5, 30) }).lines(5_000);
    const lines = linesOf(textOf([...adversarialLines(15_000, 70 + n), ...linesOf(Buffer.from(generated, 'latin1'))]));
    const ours = ourQuery(query);
    const expected = cpythonOutcomes(ours, lines);
    for (const reader of READERS) {
      const got = ourTally(textOf(lines), ours, reader).text;
      const theirs = tallyOutcomes(expected, query.panels as ReferencePanel[]);
      if (got !== theirs) assert.fail(`${reader}: ${firstDifference(lines, ours, reader, (i) => expected[i]!) ?? 'no single line differs'}`);
    }
  });
}

/**
 * The formats of analysis-semantics.md §12 against CPython itself (python_panels_oracle.py:
 * json.loads, datetime.fromisoformat, strptime, re on bytes for the user's formats, urlparse),
 * for both readers: every panel, the line accounting and the lines per format. Skipped, with
 * the reason, only where no python3 of 3.11 or later is installed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cpythonOutcomes, cpythonSkip } from './support/cpython-panels';
import { adversarialLines } from './support/adversarial-lines';
import { formatLines, USER_FORMATS } from './support/format-lines';
import { firstDifference, linesOf, ourQuery, ourTally, tallyOutcomes, textOf, type TestQuery } from './support/panel-outcomes';
import { ALL_PANELS, type ReferencePanel } from './support/reference-semantics';
import { READERS } from './support/verdicts';

const skip = cpythonSkip();

const CASES: Array<{ name: string; query: TestQuery }> = [
  { name: 'JSON lines and the built-in formats, every panel', query: { panels: [...ALL_PANELS], filters: {} } },
  { name: 'the user\'s formats first, then the built-in ones, every panel', query: { panels: [...ALL_PANELS], filters: {}, logFormats: USER_FORMATS } },
  { name: 'the user\'s formats, with filters', query: { panels: ['paths', 'hosts', 'vhosts', 'days'], filters: { since: '2023-11-14T22:00:00Z', status: ['2xx', '404'], method: ['GET'] }, logFormats: USER_FORMATS } },
];

for (const [n, { name, query }] of CASES.entries()) {
  test(`CPython oracle, formats: ${name}`, { skip }, () => {
    const lines = linesOf(textOf([...formatLines(12_000, 90 + n), ...adversarialLines(3_000, 95 + n)]));
    const ours = ourQuery(query);
    const expected = cpythonOutcomes(ours, lines);
    // the generated lines reach every format and most outcomes
    const formats = new Set(expected.map((o) => (o.kind === 'malformed' ? 'malformed' : o.format)));
    for (const f of ['json-caddy', 'json-traefik', 'json-nginx', 'combined', 'vhost_combined', 'malformed', ...(query.logFormats ?? []).map((_, i) => `user-${i + 1}`)]) {
      assert.ok(formats.has(f), `no line read as ${f}`);
    }
    for (const reader of READERS) {
      const got = ourTally(textOf(lines), ours, reader).text;
      const theirs = tallyOutcomes(expected, query.panels as ReferencePanel[]);
      if (got !== theirs) assert.fail(`${reader}: ${firstDifference(lines, ours, reader, (i) => expected[i]!) ?? 'no single line differs'}`);
    }
  });
}

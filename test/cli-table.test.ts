/**
 * The terminal table with --top 0: every key of a panel of hundreds of thousands, printed row by
 * row from the table (its widths were a spread of every row: a stack overflow past ~120,000).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { packCounts } from '../shared/key-totals';
import { PanelTally } from '../electron/engine/panel-tally';
import { tableLines } from '../electron/cli/output';

test('the terminal table of every key of a panel of 300,000 keys is printed, row by row, in the panel\'s order', () => {
  const paths = new PanelTally('paths');
  const hours = new PanelTally('hours');
  paths.merge(packCounts(Array.from({ length: 300_000 }, (_, i) => [`/p/${i}`, 1 + (i % 7), 10] as const)));
  // a hundred thousand hours (11 years): their widths were a spread of every row
  hours.merge(packCounts(Array.from({ length: 100_000 }, (_, i) => [new Date(Date.UTC(2010, 0, 1) + i * 3_600_000).toISOString().slice(0, 13) + ':00Z', 1 + (i % 3), 1] as const)));
  const result = { request: { query: { filters: {}, prefix: 'book' } }, totals: { excluded: 0, filtered: 0, parsed: 0 }, panels: [paths, hours] } as unknown as Parameters<typeof tableLines>[0];
  const lines = [...tableLines(result, Infinity)];
  const rows = lines.filter((l) => /^\s*\d+\s+[\d,]+\s+[\d.]+%/.test(l));
  assert.equal(rows.length, 300_000);
  assert.match(rows[0]!, /^\s+1\s+7\s+0\.0%\s+10 B\s+\/p\/1000\n$/);
  assert.match(rows.at(-1)!, /^300000\s+1\s+0\.0%\s+10 B\s+\/p\/99995\n$/);
  assert.equal(lines.filter((l) => /^ {2}20[12]\d-\d\d-\d\dT\d\d:00Z +█/.test(l)).length, 100_000);
});

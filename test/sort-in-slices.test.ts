/** Sorting in slices gives the order sort() gives, and gives way while it works. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Slices, sortInSlices } from '../electron/engine/sort-in-slices';
import { PanelTally } from '../electron/engine/panel-tally';
import { packCounts } from '../shared/key-totals';
import type { PanelName } from '../shared/panels';
import { mulberry32 } from './support/log-generator';

test('any length, any values: the same order as sort(), pausing between slices', async () => {
  const rnd = mulberry32(7);
  for (const n of [0, 1, 2, 16_383, 16_384, 16_385, 3 * 16_384 + 5, 100_003]) {
    const values = Uint32Array.from({ length: n }, () => Math.floor(rnd() * 5000));
    // a total order on places: by a value that repeats, then by place
    const weight = Uint32Array.from({ length: n }, () => Math.floor(rnd() * 50));
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    const compare = (a: number, b: number): number => weight[a]! - weight[b]! || values[a]! - values[b]! || a - b;
    const expected = Uint32Array.from(order).sort(compare);
    let pauses = 0;
    const sorted = await sortInSlices(order, compare, new Slices({ sliceMs: 0, pause: async () => void pauses++ }));
    assert.deepEqual(sorted, expected, `n = ${n}`);
    if (n > 16_384) assert.ok(pauses >= Math.ceil(n / 4096), `n = ${n}: ${pauses} pauses`);
  }
});

test('a panel sorted in slices equals one sorted at once, and is kept; a change while it sorts is sorted again', async () => {
  const rnd = mulberry32(3);
  for (const name of ['paths', 'hours'] as PanelName[]) {
    const keyOf = (i: number): string => (name === 'hours' ? `2012-06-${String(1 + (i % 28)).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:00` : `/a/common/start/${i}`);
    const a = new PanelTally(name);
    const b = new PanelTally(name);
    // more keys than fillKeyPrefixes() takes between pauses: the change comes while the prefixes are made
    const rows = Array.from({ length: 70_000 }, (_, i) => [keyOf(i), 1 + Math.floor(rnd() * 9), i] as const);
    a.merge(packCounts(rows));
    b.merge(packCounts(rows));
    const inSlices = await a.sortedPlacesInSlices({ sliceMs: 0 });
    assert.deepEqual(inSlices, b.sortedPlaces(), name);
    assert.equal(a.sortedPlaces(), inSlices, `${name}: kept`);
    // a new key counted while the sort is under way: the order given is the table's as it is after
    let added = false;
    const more = (): Promise<void> => {
      if (!added) a.add(keyOf(99_999), 1000, 1);
      added = true;
      return Promise.resolve();
    };
    a.add(keyOf(3), 500, 1);
    b.add(keyOf(3), 500, 1);
    const after = await a.sortedPlacesInSlices({ sliceMs: 0, pause: more });
    b.add(keyOf(99_999), 1000, 1);
    assert.deepEqual(after, b.sortedPlaces(), `${name}: after a change during the sort`);
  }
});

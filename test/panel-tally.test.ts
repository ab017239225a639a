/**
 * A panel's first n kept up as files merge (leaders, for a run shown live) is always the first n
 * of every key (top), whatever the files add: new keys, ties, keys already leading.
 */
import type { PanelCounts } from '../shared/file-result';
import { packCounts } from '../shared/key-totals';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PanelTally } from '../electron/engine/panel-tally';
import type { PanelName } from '../shared/panels';
import { mulberry32 } from './support/log-generator';

function randomFile(rnd: () => number, keySpace: number): PanelCounts {
  const picked = new Set<string>();
  const size = 1 + Math.floor(rnd() * 40);
  while (picked.size < size) picked.add(`k${Math.floor(rnd() * keySpace)}`);
  const keys = [...picked];
  return packCounts(keys.map((key) => [key, 1 + Math.floor(rnd() * 5), Math.floor(rnd() * 1000)] as const));
}

for (const name of ['paths', 'hours'] as PanelName[]) {
  test(`${name}: leaders(n) after each merge equals top(n)`, () => {
    const rnd = mulberry32(name.length);
    const tally = new PanelTally(name);
    for (let file = 0; file < 400; file++) {
      tally.merge(randomFile(rnd, file < 200 ? 60 : 600));
      // updates come now and then, not after every file
      if (rnd() < 0.4) assert.deepEqual(tally.leaders(7), tally.top(7), `after file ${file}`);
    }
    assert.deepEqual(tally.leaders(7), tally.top(7));
    assert.deepEqual(tally.leaders(3), tally.top(3), 'another n');
    assert.deepEqual(tally.leaders(1000), tally.top(1000), 'more than there are');
  });
}

test('leaders(n) equals top(n) when new keys lead, when few known keys grow, and when most do', () => {
  const rnd = mulberry32(11);
  const tally = new PanelTally('paths');
  let next = 0;
  for (let file = 0; file < 300; file++) {
    const rows: Array<readonly [string, number, number]> = [];
    const kind = file % 3;
    // 0: new keys, heavier than any before; 1: a few known keys; 2: most known keys
    if (kind === 0) for (let i = 0; i < 3; i++) rows.push([`/new/${next++}`, 1_000_000 * (file + 1) + i, 1]);
    else {
      const picked = new Set<number>();
      const want = kind === 1 ? 2 : Math.max(1, Math.floor(next * 0.6));
      while (picked.size < Math.min(want, next)) picked.add(Math.floor(rnd() * next));
      for (const k of picked) rows.push([`/new/${k}`, 1 + Math.floor(rnd() * 30 * file), 1]);
      // the last key known: it now leads
      if (kind === 1 && !picked.has(next - 1)) rows.push([`/new/${next - 1}`, 3_000_000 * (file + 1), 1]);
    }
    tally.merge(packCounts(rows));
    assert.deepEqual(tally.leaders(5), tally.top(5), `after file ${file}`);
  }
});

test('a file of many keys merges in slices, giving the event loop turns, to the same tally as at once', async () => {
  const { mergeFileYielding, MERGE_STEP } = await import('../electron/engine/panel-tally.js');
  const { Slices } = await import('../electron/engine/sort-in-slices.js');
  const n = MERGE_STEP * 3 + 7;
  // keys repeat (n - 100 distinct): a file's own table never does, but a merge must add them up
  const keys = Array.from({ length: n }, (_, i) => `/k/${i % (n - 100)}`);
  const file = packCountsAsGiven(keys.map((key, i) => [key, 1 + (i % 3), i] as const));
  const atOnce = new PanelTally('paths');
  atOnce.merge(file);
  const sliced = new PanelTally('paths');
  sliced.merge(packCounts([['/k/1', 5, 1]]));
  sliced.leaders(3); // the live top-N follows the keys merged in every slice
  let turns = 0;
  const ticker = setInterval(() => turns++, 0);
  await new Promise((resolve) => setImmediate(resolve));
  turns = 0;
  // a turn after every step (no slice's time is spent in a step on a fast machine)
  await mergeFileYielding([sliced], [file], new Slices({ sliceMs: 0 }));
  clearInterval(ticker);
  assert.ok(turns >= 1, `the event loop ran between slices (${turns} turns)`);
  atOnce.merge(packCounts([['/k/1', 5, 1]]));
  assert.deepEqual(sliced.sorted(), atOnce.sorted());
  assert.deepEqual(sliced.leaders(3), atOnce.top(3));
  assert.equal(sliced.counted, atOnce.counted);
  assert.equal(sliced.bytes, atOnce.bytes);
});

test('a table with keys grows for a large file a step at a time, between turns, and is whole at every turn', async () => {
  const { mergeFileYielding, MERGE_STEP } = await import('../electron/engine/panel-tally.js');
  const { Slices } = await import('../electron/engine/sort-in-slices.js');
  const tally = new PanelTally('paths');
  const had = 40_000;
  tally.merge(packCounts(Array.from({ length: had }, (_, i) => [`/old/${i}`, 2, 1] as const)));
  // a file of as many keys again, a quarter of them the table's already
  const n = MERGE_STEP * 10;
  const file = packCounts(Array.from({ length: n }, (_, i) => [i % 4 === 0 ? `/old/${i}` : `/new/${i}`, 1, 1] as const));
  let steps = 0;
  const grow = tally.growStep.bind(tally);
  tally.growStep = (places: number): void => {
    steps++;
    grow(places);
  };
  let turns = 0;
  const pause = async (): Promise<void> => {
    turns++;
    // whatever reads the table between turns (the live top N, an export) finds every key once
    const before = tally.distinct;
    for (const i of [0, 1, had - 1]) assert.equal(tally.countAt(tally.add(`/old/${i}`, 0, 0)), 2 + (i % 4 === 0 && i < n ? 1 : 0));
    assert.equal(tally.distinct, before, `a key was lost at turn ${turns}`);
    await new Promise((resolve) => setImmediate(resolve));
  };
  await mergeFileYielding([tally], [file], new Slices({ sliceMs: 0, pause }));
  assert.ok(steps > 1, `the table grew in ${steps} steps, each followed by a turn (not at once inside a slice)`);
  const atOnce = new PanelTally('paths');
  atOnce.merge(packCounts(Array.from({ length: had }, (_, i) => [`/old/${i}`, 2, 1] as const)));
  atOnce.merge(file);
  assert.deepEqual(tally.sorted(), atOnce.sorted());
  assert.equal(tally.counted, atOnce.counted);
});

/** A packed table with its entries as given, repeats included (packCounts would add them up). */
function packCountsAsGiven(entries: ReadonlyArray<readonly [string, number, number]>): PanelCounts {
  const encoded = entries.map(([key]) => Buffer.from(key));
  const keyEnds = new Uint32Array(entries.length);
  let end = 0;
  encoded.forEach((b, i) => (keyEnds[i] = end += b.length));
  return { keyBytes: new Uint8Array(Buffer.concat(encoded)), keyEnds, counts: Float64Array.from(entries, (e) => e[1]), bytes: Float64Array.from(entries, (e) => e[2]) };
}

/**
 * The compact key tables: keys as UTF-8 bytes must count, merge and sort exactly as the same keys
 * as strings would (invalid UTF-8 decoded with U+FFFD, as Node decodes it; code point order).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { isValidUtf8, KeyTotals, packCounts, unpackCounts } from '../shared/key-totals';
import { mergeFile, mergeTables, newTallies, PanelTally } from '../electron/engine/panel-tally';
import { compareKeyCounts } from '../shared/key-count';
import { mulberry32 } from './support/log-generator';

/** Random short byte strings, heavy in the bytes UTF-8 gets wrong. */
function randomBytes(rnd: () => number): Buffer {
  const pool = [0x2f, 0x61, 0x7a, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xa0, 0xed, 0x9f, 0xef, 0xf0, 0x90, 0xf4, 0x8f, 0xf5, 0xff, 0x00];
  return Buffer.from(Array.from({ length: Math.floor(rnd() * 7) }, () => pool[Math.floor(rnd() * pool.length)]!));
}

test('isValidUtf8 agrees with Node on 100,000 byte strings made to be wrong', () => {
  const rnd = mulberry32(11);
  for (let i = 0; i < 100_000; i++) {
    const b = randomBytes(rnd);
    assert.equal(isValidUtf8(b, 0, b.length), isUtf8(b), b.toString('hex'));
  }
});

test('byte keys count as their decoded strings do: invalid bytes that decode alike are one key, and the order is code point order', () => {
  const rnd = mulberry32(12);
  const bytesTable = new PanelTally('paths');
  const expected = new Map<string, [number, number]>();
  for (let file = 0; file < 50; file++) {
    const own = new KeyTotals();
    for (let i = 0; i < 200; i++) {
      const b = randomBytes(rnd);
      const count = 1 + Math.floor(rnd() * 3);
      own.addBytes(b, 0, b.length, count, b.length * count);
      const key = b.toString('utf8');
      const was = expected.get(key) ?? [0, 0];
      expected.set(key, [was[0] + count, was[1] + b.length * count]);
    }
    bytesTable.merge(own.toCounts());
  }
  const want = [...expected].map(([key, [count, bytes]]) => ({ key, count, bytes })).sort(compareKeyCounts);
  assert.deepEqual(bytesTable.sorted(), want);
  assert.deepEqual(bytesTable.top(25), want.slice(0, 25));
  assert.equal(bytesTable.distinct, expected.size);
});

test('a packed table reads back as it was written, and grows past its first sizes', () => {
  const entries = Array.from({ length: 50_000 }, (_, i) => [`/p/${i}/é/${'x'.repeat(i % 300)}`, i + 1, 2 * i] as const);
  const packed = packCounts(entries);
  assert.deepEqual(unpackCounts(packed), entries.map((e) => [...e]));
  const empty = packCounts([['', 3, 0]]);
  assert.deepEqual(unpackCounts(empty), [['', 3, 0]]);
});

test('a table past 16 MiB grows in place and keeps every key', () => {
  const t = new KeyTotals();
  const pad = 'x'.repeat(100);
  const n = 220_000; // 22 MB of key bytes: the arena, and then the counts, grow in place
  for (let round = 0; round < 2; round++) for (let i = 0; i < n; i++) t.add(`/${i}/${pad}`, 1, i);
  assert.equal(t.distinct, n);
  for (const i of [0, 1, 99_999, 150_000, n - 1]) {
    assert.equal(t.keyAt(i), `/${i}/${pad}`);
    assert.equal(t.countAt(i), 2);
    assert.equal(t.bytesAt(i), 2 * i);
  }
  const packed = t.toCounts();
  assert.equal(packed.keyEnds.length, n);
  assert.equal(packed.keyBytes.length, packed.keyEnds[n - 1]);
});

test('counts and byte sums past 32 bits stay exact (a popular key passes 4 GiB of bytes)', () => {
  const t = new PanelTally('paths');
  const big = 2 ** 32;
  // one key crosses 2^32 by adding up, another is added at once past it, a third stays small
  for (let i = 0; i < 5; i++) t.add('/popular', 1_000_000_000, 1_000_000_007);
  t.add('/huge', big + 3, 2 ** 40 + 1);
  t.add('/small', 2, 10);
  t.add('/huge', 1, 1);
  const want = [
    { key: '/popular', count: 5_000_000_000, bytes: 5_000_000_035 },
    { key: '/huge', count: big + 4, bytes: 2 ** 40 + 2 },
    { key: '/small', count: 2, bytes: 10 },
  ];
  assert.deepEqual(t.sorted(), [want[0], want[1], want[2]]);
  assert.deepEqual(unpackCounts(t.toCounts()), want.map((w) => [w.key, w.count, w.bytes]));
  // merged into another table, as a run merges files
  const merged = new PanelTally('paths');
  merged.merge(t.toCounts());
  merged.merge(t.toCounts());
  assert.deepEqual(merged.top(1), [{ key: '/popular', count: 10_000_000_000, bytes: 10_000_000_070 }]);
});

test('a panel whose keys are among another\'s holds none of its own, counts the same, and takes its own copy when a key is not there', () => {
  const rnd = mulberry32(13);
  const key = (): string => `/book/${Math.floor(rnd() * 3000)}/${'é'.repeat(Math.floor(rnd() * 3))}`;
  const files = Array.from({ length: 20 }, () => {
    const paths = new KeyTotals();
    const book = new KeyTotals();
    for (let i = 0; i < 500; i++) {
      const k = key();
      paths.add(k, 1, k.length);
      // most of a file's paths are book paths (every book path is a path)
      if (rnd() < 0.8) book.add(k, 1, k.length);
    }
    return [book.toCounts(), paths.toCounts()];
  });
  const [shared, source] = newTallies(['book-paths', 'paths']);
  const alone = new PanelTally('book-paths');
  assert.equal(shared!.sharesKeys, true);
  for (const panels of files) {
    // merged as a run merges a file: its panels in the order that puts the key source first
    mergeFile([shared!, source!], panels);
    alone.merge(panels[0]!);
  }
  assert.equal(shared!.sharesKeys, true, 'every book path was already a path');
  assert.deepEqual(shared!.sorted(), alone.sorted());
  assert.deepEqual(unpackCounts(shared!.toCounts()), unpackCounts(alone.toCounts()));
  // a key the source does not have (not a path): the table copies its keys and goes on
  shared!.add('/book/not-a-path', 2, 7);
  alone.add('/book/not-a-path', 2, 7);
  assert.equal(shared!.sharesKeys, false);
  for (const panels of files.slice(0, 5)) {
    mergeFile([shared!, source!], panels);
    alone.merge(panels[0]!);
  }
  assert.deepEqual(shared!.sorted(), alone.sorted());
  assert.deepEqual(shared!.top(10), alone.top(10));
});

test('tables merged as they are held (mergeTables) count as their packed forms merged: shared keys, invalid bytes and counts past 32 bits', () => {
  const rnd = mulberry32(17);
  const key = (): string => `/p/${Math.floor(rnd() * 2000)}${rnd() < 0.05 ? '\ud800' : ''}`;
  const partials = Array.from({ length: 6 }, () => {
    const [book, paths] = newTallies(['book-paths', 'paths']);
    for (let i = 0; i < 3000; i++) {
      const k = key();
      const bytes = rnd() < 0.01 ? 2 ** 33 : 10;
      paths!.add(k, 1, bytes);
      if (rnd() < 0.7) book!.add(k, 1, bytes);
    }
    assert.equal(book!.sharesKeys, true);
    return [book!, paths!];
  });
  const held = newTallies(['book-paths', 'paths']);
  const packed = newTallies(['book-paths', 'paths']);
  for (const tables of partials) {
    mergeTables(held, tables);
    mergeFile(packed, tables.map((t) => t.toCounts()));
  }
  for (let i = 0; i < 2; i++) {
    assert.deepEqual(held[i]!.sorted(), packed[i]!.sorted());
    assert.deepEqual([held[i]!.counted, held[i]!.bytes, held[i]!.distinct], [packed[i]!.counted, packed[i]!.bytes, packed[i]!.distinct]);
  }
  assert.ok(held[1]!.sorted().some((k) => k.bytes > 2 ** 32));
});

test('every key sorted by its first bytes as numbers, then its bytes: the panel\'s order, with long shared starts and ties past 6 bytes', () => {
  const rnd = mulberry32(14);
  const tails = ['', 'a', 'ab', 'abcdef', 'abcdefg', 'abcdefh', 'abcdef\u00e9', '\u00e9', '\uffff', '😀', 'b', 'abcdefgh/z', 'abcdefgh/y'];
  const keys = new Set<string>();
  for (let i = 0; i < 3000; i++) keys.add(`/book/a/long/shared/start/${tails[Math.floor(rnd() * tails.length)]}${rnd() < 0.5 ? '' : String(Math.floor(rnd() * 50))}`);
  keys.add('/book/a/long/shared/start/'); // the whole shared start is a key of its own
  const rows = [...keys].map((key, i) => [key, 1 + (i % 3), i] as const);
  const want = rows.map(([key, count, bytes]) => ({ key, count, bytes })).sort(compareKeyCounts);
  const [book, paths] = newTallies(['book-paths', 'paths']);
  const days = new PanelTally('days');
  mergeFile([book!, paths!], [packCounts(rows), packCounts(rows)]);
  days.merge(packCounts(rows));
  assert.equal(book!.sharesKeys, true);
  assert.deepEqual(paths!.sorted(), want);
  assert.deepEqual(book!.sorted(), want);
  // a time panel: by key alone
  assert.deepEqual(days.sorted().map((k) => k.key), [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
});

test('every key is sorted once while the table is unchanged, and again after any key is counted', () => {
  const t = new PanelTally('paths');
  t.merge(packCounts([['/a', 1, 1], ['/b', 2, 1]]));
  const first = t.sortedPlaces();
  assert.equal(t.sortedPlaces(), first, 'the same order, not sorted again');
  t.merge(packCounts([['/a', 5, 1], ['/c', 1, 1]]));
  assert.deepEqual(t.sorted().map((k) => [k.key, k.count]), [['/a', 6], ['/b', 2], ['/c', 1]]);
  t.add('/d', 9, 1);
  assert.deepEqual(t.top(1), [{ key: '/d', count: 9, bytes: 1 }]);
  assert.equal(t.sorted()[0]!.key, '/d');
});

test('a table given room first (reserve) finds, counts and sorts its keys as one that grew', () => {
  for (const room of [0, 1, 63, 64, 1000, 45_000, 200_000]) {
    const reserved = new KeyTotals();
    reserved.reserve(room);
    const plain = new KeyTotals();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 50_000; i++) {
        reserved.add(`/k/${i}`, i + round, 1);
        plain.add(`/k/${i}`, i + round, 1);
      }
    }
    assert.equal(reserved.distinct, 50_000, `room ${room}`);
    for (let i = 0; i < 50_000; i += 997) assert.equal(reserved.countAt(reserved.add(`/k/${i}`, 0, 0)), 2 * i + 1, `room ${room}, key ${i}`);
    assert.deepEqual(unpackCounts(reserved.toCounts()), unpackCounts(plain.toCounts()), `room ${room}`);
  }
});

test('a table grown a step at a time stays whole: keys added and looked up between the steps are found once, with their counts', () => {
  const rnd = mulberry32(21);
  const table = new KeyTotals();
  const expected = new Map<string, number>();
  const count = (key: string, n: number): void => {
    table.add(key, n, 0);
    expected.set(key, (expected.get(key) ?? 0) + n);
  };
  let next = 0;
  // room left for 100 keys more: those added while it grows
  while (table.distinct < 600 || table.hasRoomFor(100)) count(`/k/${next++}`, 1);
  let steps = 0;
  while (!table.hasRoomFor(100)) {
    table.growStep(97);
    steps++;
    // between the steps: a new key now and then, and keys already there (old and new) again
    if (rnd() < 0.3) count(`/new/${next++}`, 2);
    count(`/k/${Math.floor(rnd() * 40)}`, 1);
    assert.equal(table.distinct, expected.size, `after step ${steps}`);
  }
  assert.ok(steps > 3, `the growth took ${steps} steps`);
  // every key once, with its count, in the grown table
  for (const [key, n] of expected) {
    const place = table.add(key, 0, 0);
    assert.equal(table.keyAt(place), key);
    assert.equal(table.countAt(place), n, key);
  }
  assert.equal(table.distinct, expected.size);
  // and it has room now: twice the slots
  assert.ok(table.hasRoomFor(expected.size / 2));
});

test('a table whose keys are another\'s grows a step at a time as well', () => {
  const [paths, book] = newTallies(['paths', 'book-paths']);
  for (let i = 0; i < 5000; i++) paths!.add(`/book/${i}`, 1, 1);
  let i = 0;
  while (book!.hasRoomFor(1)) book!.add(`/book/${i++}`, 3, 1);
  const held = i;
  while (!book!.hasRoomFor(1)) {
    book!.growStep(50);
    book!.add(`/book/${i++}`, 3, 1);
  }
  assert.ok(book!.sharesKeys, 'it still reads its keys from the paths');
  assert.equal(book!.distinct, i);
  for (let k = 0; k < i; k++) assert.equal(book!.countAt(book!.add(`/book/${k}`, 0, 0)), 3);
  assert.equal(book!.distinct, i, 'no key was added twice');
  assert.ok(i > held);
});

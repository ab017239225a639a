/**
 * A panel read off another (book-paths off paths, when a run has both): the same keys, counts,
 * order and first n as the panel counted on its own, however the files merge; workers do not
 * count it; and it is not derived where a key could not tell (a prefix holding U+FFFD).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mergeFile, mergeFileYielding, newTallies, PanelTally, runTallies } from '../electron/engine/panel-tally';
import { DerivedTally } from '../electron/engine/derived-tally';
import { LineAnalyzer } from '../electron/worker/parse/line-analyzer';
import { planQuery } from '../electron/worker/parse/query-plan';
import { BOOK_PATH, compilePathRules, EXCLUDED, isBookPath } from '../electron/worker/parse/path-rules';
import { blockReaderAvailable } from '../electron/worker/wasm/block-reader';
import { countsSize, emptyCounts, KeyTotals, unpackCounts } from '../shared/key-totals';
import { defaultQuery, derivedPanels, type Query } from '../shared/query';
import type { PanelCounts } from '../shared/file-result';
import { mulberry32 } from './support/log-generator';
import { shownPanels } from './support/panel-outcomes';

const PREFIXES = ['book', 'blog', 'caf\u00e9', 'b', ''];

test('isBookPath agrees with the worker\'s one-pass classify on every path the exclusion lists keep', () => {
  const rnd = mulberry32(41);
  const pieces = ['/', '/', '//', 'book', 'blog', 'b', 'caf\u00e9', 'x', 'book.css', 'robots.txt', '\u00e9', 'bookx'];
  for (const prefix of PREFIXES) {
    const rules = compilePathRules({ ...defaultQuery(), prefix });
    const prefixBytes = Buffer.from(prefix);
    let book = 0;
    let other = 0;
    for (let i = 0; i < 20_000; i++) {
      const parts: string[] = [];
      for (let n = Math.floor(rnd() * 6); n > 0; n--) parts.push(pieces[Math.floor(rnd() * pieces.length)]!);
      const path = Buffer.from(parts.join(''));
      const kind = rules.classify(path, 0, path.length);
      if (kind === EXCLUDED) continue;
      const said = isBookPath(path, 0, path.length, prefixBytes);
      assert.equal(said, kind === BOOK_PATH, `${JSON.stringify(path.toString())} with prefix ${JSON.stringify(prefix)}`);
      if (said) book++;
      else other++;
    }
    if (prefix !== '') assert.ok(book > 100 && other > 100, `both kinds were tried (${book}, ${other})`);
  }
});

/** Random files of paths: each file's book paths and paths, packed as a worker counting both would. */
function files(seed: number, count: number): Array<{ book: PanelCounts; paths: PanelCounts }> {
  const rnd = mulberry32(seed);
  const rule = (key: string): boolean => isBookPath(Buffer.from(key), 0, Buffer.byteLength(key), Buffer.from('book'));
  return Array.from({ length: count }, (_, f) => {
    const book = new KeyTotals();
    const paths = new KeyTotals();
    for (let i = 0; i < 200; i++) {
      const n = Math.floor(rnd() * (f < count / 2 ? 300 : 3000));
      const key = rnd() < 0.6 ? `/book/${n}` : rnd() < 0.5 ? `/blog/${n}` : `/book${n % 7 === 0 ? '/' : ''}`;
      const lines = 1 + Math.floor(rnd() * 4);
      const bytes = rnd() < 0.01 ? 2 ** 33 : 100 * lines;
      paths.add(key, lines, bytes);
      if (rule(key)) book.add(key, lines, bytes);
    }
    return { book: book.toCounts(), paths: paths.toCounts() };
  });
}

test('a derived panel has the keys, counts, sums, order and first n of the panel counted on its own, merged at once or in slices', async () => {
  const query = { panels: ['book-paths', 'paths'] as const, prefix: 'book' };
  const derived = runTallies({ ...query, panels: [...query.panels] });
  const sliced = runTallies({ ...query, panels: [...query.panels] });
  const alone = new PanelTally('book-paths');
  assert.ok(derived[0] instanceof DerivedTally, 'book-paths is read off paths');
  const rnd = mulberry32(5);
  const all = files(9, 120);
  for (const [i, file] of all.entries()) {
    // a worker of a run with both sends no book paths of its own
    const sent = [emptyCounts(), file.paths];
    mergeFile(derived, sent);
    await mergeFileYielding(sliced, sent);
    alone.merge(file.book);
    if (rnd() < 0.3) {
      assert.deepEqual(derived[0]!.leaders(6), alone.top(6), `leaders after file ${i}`);
      assert.deepEqual(sliced[0]!.leaders(6), alone.top(6), `leaders after file ${i}, merged in slices`);
    }
  }
  for (const d of [derived[0]!, sliced[0]!]) {
    assert.deepEqual([d.distinct, d.counted, d.bytes], [alone.distinct, alone.counted, alone.bytes]);
    assert.deepEqual(d.sorted(), alone.sorted());
    assert.deepEqual(d.top(10), alone.top(10));
    assert.deepEqual(d.top(Infinity), alone.sorted());
    assert.deepEqual([...d.inOrder()], alone.sorted());
    assert.deepEqual(d.leaders(3), alone.top(3));
  }
  assert.ok(alone.sorted().some((k) => k.bytes > 2 ** 32), 'sums past 32 bits were tried');
  assert.ok(alone.distinct > 1000 && derived[1]!.distinct > alone.distinct, 'paths that are not book paths were tried');
  // counted again (a file's own book counts, were there any, are not counted twice): the order
  // follows, worked out in slices too (the app's keys table)
  for (const file of files(10, 3)) {
    for (const tallies of [derived, sliced]) mergeFile(tallies, [file.book, file.paths]);
    alone.merge(file.book);
  }
  const inSlices = await sliced[0]!.sortedPlacesInSlices({ sliceMs: 0 });
  assert.deepEqual(Array.from(inSlices, (place) => sliced[0]!.entryAt(place)), alone.sorted(), 'in slices');
  assert.deepEqual(derived[0]!.sorted(), alone.sorted(), 'at once');
});

test('a run derives a panel only with its source in the query, and not for a prefix holding U+FFFD', () => {
  assert.deepEqual([...derivedPanels(defaultQuery())], ['book-paths']);
  assert.deepEqual([...derivedPanels(defaultQuery(['book-paths', 'hosts']))], []);
  assert.deepEqual([...derivedPanels({ ...defaultQuery(), prefix: 'a\uFFFD' })], []);
  const plain = runTallies(defaultQuery(['book-paths', 'hosts']));
  assert.ok(plain[0] instanceof PanelTally);
  assert.deepEqual(newTallies(['book-paths', 'paths']).map((t) => t.sharesKeys), [true, false], 'a file read in parts keeps plain tables');
});

function analyzed(query: Query, text: string, blockReader: boolean): { sent: PanelCounts[]; shown: Record<string, Array<[string, number, number]>> } {
  const analyzer = new LineAnalyzer(planQuery(query), { blockReader });
  const bytes = Buffer.from(text, 'latin1');
  analyzer.lines(bytes, 0, bytes.length);
  const sent = analyzer.result();
  const tallies = shownPanels(query, sent);
  return { sent, shown: Object.fromEntries(tallies.map((t) => [t.name, t.sorted().map((k) => [k.key, k.count, k.bytes] as [string, number, number])])) };
}

const line = (path: string, size: number): string => `1.2.3.4 - - [01/Jan/2012:00:00:00 +0000] "GET ${path} HTTP/1.1" 200 ${size} "-" "ua"\n`;

for (const blockReader of blockReaderAvailable() ? [false, true] : [false]) {
  const reader = blockReader ? 'webassembly reader' : 'javascript reader';
  test(`a worker does not count a derived panel (${reader}); the run shows it as counted alone`, () => {
    const text = [line('/book/a', 10), line('/book/a', 5), line('/blog/b', 7), line('/book', 3), line('/book//c/', 2), line('/x.css', 1)].join('');
    const both = defaultQuery(['book-paths', 'paths']);
    const { sent, shown } = analyzed(both, text, blockReader);
    assert.equal(countsSize(sent[0]!), 0, 'no book path sent');
    assert.equal(countsSize(sent[1]!), 4);
    const alone = analyzed(defaultQuery(['book-paths']), text, blockReader);
    assert.deepEqual(unpackCounts(alone.sent[0]!).sort(), [['/book//c/', 1, 2], ['/book/a', 2, 15]]);
    assert.deepEqual(shown['book-paths'], alone.shown['book-paths']);
  });

  test(`a prefix holding U+FFFD: book paths are counted as read, not off the keys shown (${reader})`, () => {
    // the path's byte 0xff is shown as U+FFFD: the key "/\uFFFD/a" would pass the prefix, the path did not
    const text = line('/\xff/a', 10) + line('/\uFFFD/b'.replace('\uFFFD', '\xef\xbf\xbd'), 4);
    const query = { ...defaultQuery(['book-paths', 'paths']), prefix: '\uFFFD' };
    const { sent, shown } = analyzed(query, text, blockReader);
    assert.equal(countsSize(sent[0]!), 1, 'counted by the worker');
    assert.deepEqual(shown['book-paths'], [['/\uFFFD/b', 1, 4]]);
    assert.equal(shown.paths!.length, 2);
  });
}

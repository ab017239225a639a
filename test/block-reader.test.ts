/**
 * The WebAssembly block reader as the worker uses it: whole files through the line splitter give
 * exactly what the JavaScript reader gives (stats and every key), whatever the chunking, the line
 * limit, long lines, blocks larger than its buffer or files one after another; and the committed
 * module is the one the committed C source builds.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultQuery, type Query } from '../shared/query';
import { PANEL_NAMES, type PanelName } from '../shared/panels';
import type { LineStats } from '../shared/file-result';
import { LineAnalyzer } from '../electron/worker/parse/line-analyzer';
import { planQuery } from '../electron/worker/parse/query-plan';
import { LineSplitter } from '../electron/worker/line-splitter';
import { BLOCK_CAPACITY, blockReaderAvailable } from '../electron/worker/wasm/block-reader';
import { BLOCK_READER_SOURCE_SHA256 } from '../electron/worker/wasm/block-reader-binary';
import { BINARY_MODULE, binaryModuleText, clangVersion, compileBlockReader, sourceHash } from './tools/build-wasm';
import { adversarialLines } from './support/adversarial-lines';
import { shownPanels } from './support/panel-outcomes';
import { LogGenerator, mulberry32 } from './support/log-generator';

interface Reading {
  stats: LineStats;
  /** The first panel's keys and counts; `all`: every panel's keys, counts and bytes. */
  counts: Map<string, number>;
  all: Map<string, string>;
  counted: number;
  usedBlockReader: boolean;
}

const cache = new Map<string, Query>();
/** A query of these panels (the same object each time: plans are cached by it). */
function query(panels: readonly PanelName[] = ['book-paths'], maxLineBytes?: number): Query {
  const key = `${panels.join()} ${maxLineBytes}`;
  if (!cache.has(key)) cache.set(key, { ...defaultQuery(panels), ...(maxLineBytes !== undefined ? { maxLineBytes } : {}) });
  return cache.get(key)!;
}

function read(text: Buffer, options: Query, blockReader: boolean, chunkSizes: () => number): Reading {
  const analyzer = new LineAnalyzer(planQuery(options), { blockReader });
  const usedBlockReader = analyzer.usesBlockReader;
  const splitter = new LineSplitter(analyzer, options.maxLineBytes);
  for (let pos = 0; pos < text.length; ) {
    const n = chunkSizes();
    splitter.push(text.subarray(pos, pos + n));
    pos += n;
  }
  splitter.end();
  const tallies = shownPanels(options, analyzer.result());
  const kc = tallies[0]!;
  const all = new Map<string, string>();
  for (const t of tallies) for (const k of t.inOrder()) all.set(`${t.name} ${k.key}`, `${k.count} ${k.bytes}`);
  return { stats: { ...analyzer.stats }, counts: new Map(kc.sorted().map((k) => [k.key, k.count])), all, counted: kc.counted, usedBlockReader };
}

function assertSameReading(text: Buffer, options: Query, chunkSizes: () => number, label: string): Reading {
  const js = read(text, options, false, () => text.length);
  const block = read(text, options, true, chunkSizes);
  assert.equal(block.usedBlockReader, true, 'the block reader must be in use');
  assert.deepEqual(block.stats, js.stats, `${label}: stats`);
  assert.deepEqual([...block.counts].sort(), [...js.counts].sort(), `${label}: keys`);
  assert.deepEqual([...block.all].sort(), [...js.all].sort(), `${label}: every panel's keys, counts and bytes`);
  return js;
}

test('WebAssembly SIMD is available here, so workers read with the block reader', () => {
  assert.equal(blockReaderAvailable(), true);
  assert.equal(new LineAnalyzer(planQuery(query())).usesBlockReader, true);
});

test('whole files: the same stats and keys as the JavaScript reader, whatever the chunking', () => {
  const generated = new LogGenerator({ seed: 11, malformedRate: 0.03, commonRate: 0.1 }).lines(30_000, '\r\n');
  const adversarial = adversarialLines(10_000, 5).filter((l) => !l.includes(10));
  const text = Buffer.concat([Buffer.from(generated, 'latin1'), Buffer.from('\n\n  \n\t\n'), ...adversarial.flatMap((l) => [l, Buffer.from('\n')]), Buffer.from('last line without newline')]);
  for (const kind of ['book-paths', 'robots-hosts', 'all'] as const) {
    const options = query(kind === 'all' ? PANEL_NAMES : [kind]);
    const rnd = mulberry32(3);
    const js = assertSameReading(text, options, () => 1 + Math.floor(rnd() * 300_000), `${kind}, random chunks`);
    assertSameReading(text, options, () => 65_536, `${kind}, 64 KiB chunks`);
    assert.ok(js.counted > 1000 && js.stats.malformed > 100, 'the text must exercise counting and malformed lines');
  }
});

test('the line limit: long lines are counted once as long, in blocks and across chunks', () => {
  const rnd = mulberry32(9);
  const options = query(PANEL_NAMES, 120);
  const text = Buffer.from(new LogGenerator({ seed: 2 }).lines(5_000), 'latin1');
  const js = assertSameReading(text, options, () => 1 + Math.floor(rnd() * 5000), 'limit 120');
  assert.ok(js.stats.longLines > 100 && js.stats.longLines < js.stats.lines, `long lines: ${js.stats.longLines}`);
});

test('a stretch of lines larger than the block buffer, and one line larger than it', () => {
  const options = query(['book-paths', 'hosts', 'days'], 4 * BLOCK_CAPACITY);
  const lines = Buffer.from(new LogGenerator({ seed: 4 }).lines(Math.ceil((2.5 * BLOCK_CAPACITY) / 150)), 'latin1');
  const huge = Buffer.concat([Buffer.from('1.2.3.4 - - [01/Jun/2012:10:00:00 +0000] "GET /book/'), Buffer.alloc(BLOCK_CAPACITY + 10, 'x'), Buffer.from(' HTTP/1.1" 200 5\n')]);
  const text = Buffer.concat([lines, huge, lines]);
  const js = assertSameReading(text, options, () => text.length, 'one chunk');
  assert.ok(js.stats.lines > 2 * (2.5 * BLOCK_CAPACITY) / 300);
  assert.ok([...js.counts.keys()].some((k) => k.length > BLOCK_CAPACITY), 'the huge line is read and counted');
});

test('files one after another on the same worker: nothing carries over', () => {
  const options = query(PANEL_NAMES);
  const a = Buffer.from(new LogGenerator({ seed: 21 }).lines(3_000), 'latin1');
  const b = Buffer.from(new LogGenerator({ seed: 22 }).lines(2_000), 'latin1');
  const whole = (t: Buffer): Reading => read(t, options, true, () => t.length);
  const first = whole(a);
  const second = whole(b);
  const again = whole(a);
  assert.deepEqual(again, first);
  const js = read(b, options, false, () => b.length);
  assert.deepEqual([second.stats, second.counts], [js.stats, js.counts]);
});

test('many distinct keys: the table grows and every count survives', () => {
  const options = query(['book-paths', 'paths', 'hours']);
  const lines: string[] = [];
  for (let i = 0; i < 120_000; i++) lines.push(`1.2.3.4 - - [01/Jun/2012:10:00:00 +0000] "GET /book/p${i % 90_000}/caf\u00e9 HTTP/1.1" 200 5`);
  const text = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  const js = assertSameReading(text, options, () => 1 << 17, 'distinct keys');
  assert.equal(js.counts.size, 90_000);
  assert.equal(js.counts.get('/book/p0/caf\u00e9'), 2);
});

test('keys that are not UTF-8: two that read the same once made valid are one key, as the JavaScript reader counts them', () => {
  const options = query(['book-paths', 'paths', 'hosts']);
  const line = (path: string, host: string): Buffer => Buffer.concat([Buffer.from(`${host} - - [01/Jun/2012:10:00:00 +0000] "GET `), Buffer.from(path, 'latin1'), Buffer.from(' HTTP/1.1" 200 5\n')]);
  // \xff and \xfe each read as U+FFFD; the second block is all valid (the reader's keys as they are)
  const text = Buffer.concat([line('/book/a\xff', '1.1.1.1'), line('/book/a\xfe', '2.2.2.2'), line('/book/b', '1.1.1.1'), line('/book/a\xff', '1.1.1.1')]);
  for (const blockReader of [true, false]) {
    const analyzer = new LineAnalyzer(planQuery(options), { blockReader });
    const splitter = new LineSplitter(analyzer, options.maxLineBytes);
    splitter.push(text);
    splitter.end();
    const [book, paths, hosts] = shownPanels(options, analyzer.result()).map((t) => t.sorted().map((k) => [k.key, k.count, k.bytes]).sort((x, y) => String(x[0]).localeCompare(String(y[0]))));
    const label = blockReader ? 'block reader' : 'JavaScript reader';
    assert.deepEqual(book, [['/book/a\ufffd', 3, 15], ['/book/b', 1, 5]], label);
    assert.deepEqual(paths, book, label);
    assert.deepEqual(hosts, [['1.1.1.1', 3, 15], ['2.2.2.2', 1, 5]], label);
  }
});

test('a repeated date and zone still has its clock checked, line by line', () => {
  const line = (time: string): string => `1.2.3.4 - - [${time}] "GET /book/a/b HTTP/1.1" 200 5 "-" "UA"`;
  const clocks = ['10:00:00', '24:00:00', '23:60:00', '23:59:60', '2x:00:00', '23:5 :00', '1:00:00 ', '00:00:00', '23:59:59', '09:08:07'];
  const zones = ['+0000', '-0400', '+2400', '+0060'];
  const lines: string[] = [];
  for (const zone of zones) {
    for (const clock of clocks) {
      lines.push(line(`01/Jun/2012:10:00:00 ${zone}`), line(`01/Jun/2012:${clock} ${zone}`), line(`29/Feb/2011:${clock} ${zone}`), line(`29/Feb/2012:${clock} ${zone}`));
    }
  }
  const text = Buffer.from(`${lines.join('\n')}\n`);
  const js = assertSameReading(text, query(['book-paths', 'hours', 'days']), () => text.length, 'clocks');
  assert.ok(js.stats.malformed > 50 && js.counted > 30, JSON.stringify(js.stats));
});

test('lines next to the shortcuts for "- - [", "GET " and "HTTP/1.x" read as the JavaScript reader reads them', () => {
  const users = ['- - [', '- -  [', '-  - [', '-- [', '- - x[', '- -\t[', 'a - [', '- b [', '-\x00- ['];
  const methods = ['GET ', 'GET  ', 'GETS ', 'GE ', 'GET\t', 'get ', 'GET"'];
  const protocols = ['HTTP/1.1"', 'HTTP/1.0"', 'HTTP/1.1 "', 'HTTP/1.10"', 'HTTP/1.1x"', 'HTTP/1.1', 'HTTP/2.0"', 'HTTP/1.1""', 'HTTP/1.1\t"'];
  const lines: string[] = [];
  for (const u of users) for (const m of methods) for (const p of protocols) {
    lines.push(`1.2.3.4 ${u}01/Jun/2012:10:00:00 +0000] "${m}/book/a/b ${p} 200 5 "-" "UA"`);
  }
  const text = Buffer.from(`${lines.join('\n')}\n`, 'latin1');
  const js = assertSameReading(text, query(PANEL_NAMES), () => text.length, 'shortcuts');
  assert.ok(js.counted > 20 && js.stats.malformed > 100, JSON.stringify(js.stats));
});

test('the committed module was built from the committed C source', () => {
  assert.equal(BLOCK_READER_SOURCE_SHA256, sourceHash(), 'block-reader.c or json-scan.c changed: run `npm run build:wasm`');
});

const clang = clangVersion();
test('a fresh clang build gives the committed module, byte for byte', { skip: clang === undefined ? 'clang is not installed here (Debian: apt-get install clang lld); .ci/run installs it' : false }, () => {
  const fresh = binaryModuleText(compileBlockReader(), clang!);
  assert.equal(readFileSync(BINARY_MODULE, 'utf8'), fresh, 'run `npm run build:wasm`');
});

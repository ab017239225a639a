/**
 * One large plain file read in parts by several workers: the cuts fall at line ends, and the run
 * reports the file once with exactly the numbers of reading it whole, for every panel, with
 * lines of every format, long lines, CRLF and a last line without its newline; with the result
 * cache too. Real files, real worker processes.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { combineResults, FileParts, partTargets, planParts } from '../electron/engine/file-parts';
import type { CachedResult } from '../electron/engine/result-cache';
import { unpackCounts } from '../shared/key-totals';
import { runAnalysis, type RunEvent, type RunRequest, type RunResult } from '../electron/engine/run-analysis';
import { buildJsonReport } from '../electron/engine/json-report';
import { ResultCache } from '../electron/engine/result-cache';
import { analyzeFile } from '../electron/worker/analyze-file';
import { defaultQuery, type Query } from '../shared/query';
import { PANEL_NAMES } from '../shared/panels';
import { adversarialLines } from './support/adversarial-lines';
import { formatLines, USER_FORMATS } from './support/format-lines';
import { LogGenerator } from './support/log-generator';
import { tempDir } from './support/temp-dir';

const SPLIT = 256 * 1024;

/** Every kind of line, a few longer than the line limit, some ending in CRLF, the last one without its newline. */
function mixedLog(seed: number): Buffer {
  const lines = [...adversarialLines(3000, seed), ...formatLines(3000, seed + 1), ...new LogGenerator({ seed: seed + 2 }).lines(3000).split('\n').map((l) => Buffer.from(l))];
  const out: Buffer[] = [];
  lines.forEach((line, i) => {
    out.push(line);
    if (i % 997 === 0) out.push(Buffer.alloc(3000, 0x61)); // a long line (the limit is set to 2000 below)
    out.push(Buffer.from(i % 7 === 0 ? '\r\n' : '\n'));
  });
  out.push(Buffer.from('1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/last HTTP/1.1" 200 5 "-" "no newline"'));
  return Buffer.concat(out);
}

const QUERY: Query = { ...defaultQuery([...PANEL_NAMES]), maxLineBytes: 2000, logFormats: USER_FORMATS };

function run(roots: string[], splitBytes: number, hooks: { cache?: ResultCache; onEvent?: (e: RunEvent) => void; signal?: AbortSignal } = {}, extra: Partial<RunRequest> = {}): Promise<RunResult> {
  return runAnalysis({ roots, query: QUERY, patterns: ['*'], workers: 2, executor: 'process', chunksize: 1, splitBytes, ...extra }, hooks);
}

/** The report without what differs between two runs of the same files (timings, who read what, how). */
function counted(result: RunResult): unknown {
  const { workers: _w, executor: _e, elapsedMs: _t, cache: _c, files, ...rest } = buildJsonReport(result, Infinity);
  return { ...rest, files: files.map(({ ms: _ms, worker: _k, cache: _h, parts: _p, ...f }) => f).sort((a, b) => (a.path < b.path ? -1 : 1)) };
}

test('the cuts of a large plain file fall just after line ends, and none in a line longer than a part', async () => {
  const dir = tempDir('logpool-parts-');
  const file = path.join(dir, 'access.log');
  const text = mixedLog(1);
  writeFileSync(file, text);
  const parts = (await planParts(file, 0, text.length, 2, SPLIT))!;
  assert.ok(parts.length > 2, `${parts.length} parts`);
  assert.equal(parts[0]!.from, 0);
  assert.equal(parts[parts.length - 1]!.to, undefined);
  parts.forEach((p, i) => {
    assert.equal(p.index, i + 1);
    assert.equal(p.count, parts.length);
    if (i > 0) {
      assert.equal(text[p.from - 1], 0x0a, `part ${p.index} starts a line`);
      assert.equal(p.from, parts[i - 1]!.to);
    }
  });
  // the parts shrink toward the end (a line's length is what a cut moves), so that the last are
  // small (the very last takes what is left)
  const sizes = parts.map((p) => (p.to ?? text.length) - p.from);
  sizes.slice(0, -1).forEach((size, i) => i > 0 && assert.ok(size <= sizes[i - 1]! + 4000, `part ${i + 1}: ${sizes.join(' ')}`));
  assert.ok(sizes[sizes.length - 1]! * 4 < sizes[0]!, sizes.join(' '));
  // not split: one worker, small enough, compressed
  assert.equal(await planParts(file, 0, text.length, 1, SPLIT), undefined);
  assert.equal(await planParts(file, 0, text.length, 2, text.length), undefined);
  const gz = path.join(dir, 'access.log.gz');
  writeFileSync(gz, Buffer.concat([gzipSync(text), text]));
  assert.equal(await planParts(gz, 0, text.length * 2, 2, SPLIT), undefined);
  // one line longer than every share: no cut inside it
  const long = path.join(dir, 'long.log');
  writeFileSync(long, Buffer.concat([Buffer.from('a\n'), Buffer.alloc(4 * SPLIT, 0x62), Buffer.from('\nlast\n')]));
  const longParts = (await planParts(long, 0, 4 * SPLIT + 8, 2, SPLIT))!;
  assert.ok(longParts === undefined || longParts.every((p) => p.from === 0 || p.from === 2 || p.from === 4 * SPLIT + 3), JSON.stringify(longParts));
  // from an old end on (a grown file): the cuts begin there
  const from = parts[1]!.from;
  const grown = (await planParts(file, from, text.length, 2, SPLIT))!;
  assert.equal(grown[0]!.from, from);
});

test('the parts shrink by half each round of one part a worker, down to the least, and none is smaller', () => {
  const MB = 2 ** 20;
  const sizesOf = (from: number, length: number, workers: number, least: number): number[] => {
    const ends = [...partTargets(from, length, workers, least), from + length];
    return ends.map((end, i) => end - (i === 0 ? from : ends[i - 1]!));
  };
  // 1 GB on 2 workers, parts of at least 8 MB: 256 MB twice, then 128, 64, 32, 16 MB twice
  // each, then 8 MB parts for what is left
  const gb = sizesOf(0, 1024 * MB, 2, 8 * MB).map((n) => n / MB);
  assert.deepEqual(gb, [256, 256, 128, 128, 64, 64, 32, 32, 16, 16, 8, 8, 8, 8]);
  for (const [length, workers, least] of [[100 * MB, 2, 8 * MB], [65 * MB, 4, 8 * MB], [1e9 + 7, 3, 1e6], [10 * MB, 2, 8 * MB], [7777, 5, 100]] as const) {
    const sizes = sizesOf(1234, length, workers, least);
    assert.equal(sizes.reduce((a, b) => a + b, 0), length);
    assert.ok(sizes.every((n) => n >= least || sizes.length === 1), `${length}: ${sizes.join(' ')}`);
    // non-increasing but for the last, which takes what is left (less than two of the least)
    sizes.slice(0, -1).forEach((n, i) => i > 0 && assert.ok(n <= sizes[i - 1]!, `${length}: ${sizes.join(' ')}`));
    assert.ok(sizes.length === 1 || sizes[sizes.length - 1]! < Math.max(2 * least, sizes[sizes.length - 2]! + least), `${length}: ${sizes.join(' ')}`);
  }
});

test('parts added up as they finish, in any order, give the file read whole', async () => {
  const dir = tempDir('logpool-parts-order-');
  const file = path.join(dir, 'access.log');
  const text = mixedLog(7);
  writeFileSync(file, text);
  const ctx = { setup: QUERY, report: (): void => undefined };
  const ranges = (await planParts(file, 0, text.length, 2, SPLIT))!;
  assert.ok(ranges.length >= 3, `${ranges.length} parts`);
  const parts: CachedResult[] = [];
  for (const r of ranges) {
    const { peakRss: _, ...part } = await analyzeFile({ path: file, size: (r.to ?? text.length) - r.from, from: r.from, ...(r.to !== undefined ? { to: r.to } : {}), part: { index: r.index, count: r.count } }, ctx);
    parts.push(part);
  }
  // keys in any order: what they count is what matters
  const shown = (result: CachedResult): unknown => {
    const { ms: _ms, panels, ...rest } = result;
    return { ...rest, panels: panels.map((p) => unpackCounts(p).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) };
  };
  const { peakRss: _, ...whole } = await analyzeFile({ path: file, size: text.length }, ctx);
  const inOrder = await combineResults(parts, QUERY.panels);
  assert.deepEqual(shown(inOrder), shown(whole));
  const reversed = new FileParts(parts.length, QUERY.panels);
  for (let i = parts.length - 1; i >= 0; i--) {
    assert.equal(reversed.complete, false);
    assert.throws(() => reversed.result(), /not in yet/);
    await reversed.add(i + 1, parts[i]!);
  }
  assert.deepEqual(shown(reversed.result()), shown(whole));
  await assert.rejects(reversed.add(1, parts[0]!), /added twice/);
});

test('a file read in parts by two workers counts exactly what one worker reading it whole counts, and is reported once', async () => {
  const dir = tempDir('logpool-parts-run-');
  writeFileSync(path.join(dir, 'access.log'), mixedLog(2));
  writeFileSync(path.join(dir, 'small.log'), new LogGenerator({ seed: 9 }).lines(500));
  writeFileSync(path.join(dir, 'old.log.gz'), gzipSync(mixedLog(3)));
  const events: RunEvent[] = [];
  const split = await run([dir], SPLIT, { onEvent: (e) => events.push(e) });
  const whole = await run([dir], 0);
  assert.deepEqual(counted(split), counted(whole));
  const file = split.files.find((f) => f.path.endsWith('access.log'))!;
  assert.ok(file.parts! > 2, `read in ${file.parts} parts`);
  assert.equal(split.files.filter((f) => f.path.endsWith('access.log')).length, 1);
  assert.equal(whole.files.find((f) => f.path.endsWith('access.log'))!.parts, undefined);
  assert.equal(split.files.find((f) => f.path.endsWith('old.log.gz'))!.parts, undefined, 'a gzip file is read whole');
  // both workers read parts of it
  const starts = events.filter((e): e is Extract<RunEvent, { type: 'file-start' }> => e.type === 'file-start' && e.part !== undefined);
  assert.equal(starts.length, file.parts);
  assert.equal(new Set(starts.map((e) => e.slot)).size, 2);
  assert.equal(starts.reduce((n, e) => n + e.size, 0), readFileSync(path.join(dir, 'access.log')).length);
  assert.equal(events.filter((e) => e.type === 'part-done').length, file.parts);
});

test('a file read in parts and stopped before its last part is done is in no panel, as it is listed as not counted', async () => {
  const dir = tempDir('logpool-parts-stopped-');
  writeFileSync(path.join(dir, 'access.log'), mixedLog(6));
  for (const cache of [undefined, await ResultCache.open(tempDir('logpool-parts-stopped-cache-'), QUERY, 'test')]) {
    const stop = new AbortController();
    let partsDone = 0;
    const result = await run([dir], SPLIT, {
      signal: stop.signal,
      ...(cache ? { cache } : {}),
      onEvent: (e) => {
        if (e.type === 'part-done' && ++partsDone === 1) stop.abort();
      },
    });
    assert.equal(result.interrupted, true);
    assert.equal(partsDone, 1);
    assert.deepEqual(result.files.map((f) => [f.status, f.error]), [['skipped', 'interrupted while being read: not counted']]);
    assert.equal(result.totals.lines, 0);
    // the part that was done is not counted anywhere either
    for (const panel of result.panels) assert.deepEqual([panel.name, panel.distinct, panel.counted], [panel.name, 0, 0]);
  }
});

test('a file read in parts is cached whole, and its appended lines are read in parts from its old end', async () => {
  const dir = tempDir('logpool-parts-cache-');
  const cacheDir = tempDir('logpool-parts-cache-dir-');
  const log = path.join(dir, 'access.log');
  // ends with its newline, so that it may be continued
  writeFileSync(log, Buffer.concat([mixedLog(4), Buffer.from('\n')]));
  const open = (): Promise<ResultCache> => ResultCache.open(cacheDir, QUERY, 'test');
  const first = await run([dir], SPLIT, { cache: await open() });
  assert.equal(first.cache!.stored, 1);
  const again = await run([dir], SPLIT, { cache: await open() });
  assert.equal(again.cache!.hits, 1);
  appendFileSync(log, mixedLog(5));
  const grown = await run([dir], SPLIT, { cache: await open() });
  assert.equal(grown.cache!.appended, 1);
  const file = grown.files[0]!;
  assert.ok(file.parts! >= 2, `the appended part read in ${file.parts} parts`);
  assert.equal(file.cache, 'appended');
  assert.deepEqual(counted(grown), counted(await run([dir], 0)));
});

test('a part of a file that is no longer plain text, or no longer reaches the part, fails rather than reads something else', async () => {
  const dir = tempDir('logpool-parts-changed-');
  const gz = path.join(dir, 'access.log');
  writeFileSync(gz, gzipSync(new LogGenerator({ seed: 1 }).lines(100)));
  const ctx = { setup: QUERY, report: (): void => undefined };
  const replaced = await analyzeFile({ path: gz, size: 1000, from: 500, to: 900, part: { index: 2, count: 3 } }, ctx);
  assert.equal(replaced.status, 'failed');
  assert.match(replaced.error!, /replaced while being read in parts/);
  assert.equal(replaced.lines, 0);
  const plain = path.join(dir, 'short.log');
  writeFileSync(plain, new LogGenerator({ seed: 1 }).lines(10));
  const shrunk = await analyzeFile({ path: plain, size: 10_000, from: 5000, to: 9000, part: { index: 2, count: 3 } }, ctx);
  assert.equal(shrunk.status, 'failed');
  assert.match(shrunk.error!, /shrank/);
  // a part reads its range and nothing past it
  const text = readFileSync(plain);
  const cut = text.indexOf(0x0a) + 1;
  const firstLine = await analyzeFile({ path: plain, size: cut, to: cut, part: { index: 1, count: 2 } }, ctx);
  assert.equal(firstLine.lines, 1);
  assert.equal(firstLine.bytes, cut);
  const rest = await analyzeFile({ path: plain, size: text.length - cut, from: cut, part: { index: 2, count: 2 } }, ctx);
  assert.equal(rest.lines, 9);
});

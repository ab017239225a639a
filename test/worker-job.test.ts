/** The worker's job on its own: a file gone since the scan, progress (rate and honesty), descriptors. */
import { unpackCounts } from '../shared/key-totals';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './support/temp-dir';
import { gzipSync } from 'node:zlib';
import { analyzeFile, analyzeStream } from '../electron/worker/analyze-file';
import { LogGenerator } from './support/log-generator';
import { runAnalysis } from '../electron/engine/run-analysis';
import { serveTasks, type WorkerChannel } from '../electron/worker/serve-tasks';
import { defaultQuery } from '../shared/query';

const QUERY = defaultQuery(['book-paths']);
import type { AnalyzeProgress, AnalyzeResult, AnalyzeTask, FromWorker, ToWorker } from '../shared/worker-protocol';

/**
 * What a file's reading counted, to compare two readings of the same bytes: not its name, time,
 * memory or where it started; keys in any order (their order follows where the chunks were cut).
 */
function countsOf({ path: _p, ms: _m, peakRss: _r, readFrom: _f, panels, ...rest }: AnalyzeResult): object {
  return { ...rest, panels: panels.map((p) => unpackCounts(p).sort((x, y) => (x[0] < y[0] ? -1 : 1))) };
}

test('a file that vanished after the scan is failed, with the OS reason', async () => {
  const result = await analyzeFile({ path: '/tmp/logpool-no-such-file.log', size: 10 }, { report: () => undefined, setup: QUERY });
  assert.equal(result.status, 'failed');
  assert.equal(result.error, 'ENOENT: no such file or directory');
  assert.equal(result.lines, 0);
});

test('workers post progress at most ~10 times a second, and the result after the last one', async () => {
  const file = path.join(tempDir('logpool-progress-'), 'big.log.gz');
  const line = '1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/a/b HTTP/1.1" 200 5 "-" "UA"\n';
  const member = gzipSync(Buffer.from(line.repeat(200_000)), { level: 1 });
  writeFileSync(file, Buffer.concat(Array.from({ length: 6 }, () => member)));
  const posted: Array<{ at: number; msg: FromWorker<AnalyzeResult, AnalyzeProgress> }> = [];
  let deliver!: (m: ToWorker<AnalyzeTask>) => void;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const channel: WorkerChannel<AnalyzeTask, AnalyzeResult, AnalyzeProgress> = {
    post: (msg) => {
      posted.push({ at: performance.now(), msg });
      if (msg.type === 'done' || msg.type === 'failed') done();
    },
    onMessage: (cb) => (deliver = cb),
    exit: () => undefined,
  };
  serveTasks(analyzeFile, channel);
  const started = performance.now();
  deliver({ type: 'setup', setup: QUERY });
  deliver({ type: 'task', taskId: 1, task: { path: file, size: 0 } });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  const progress = posted.filter((p) => p.msg.type === 'progress');
  assert.ok(progress.length >= 2, `progress was posted (${progress.length} in ${seconds.toFixed(2)} s)`);
  assert.ok(progress.length <= Math.ceil(seconds * 10) + 1, `${progress.length} progress messages in ${seconds.toFixed(2)} s`);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.at - progress[i - 1]!.at >= 99, 'at least 100 ms apart');
  const last = posted.at(-1)!.msg;
  assert.ok(last.type === 'done' && last.result.lines === 1_200_000 && last.result.panels[0]!.counts.reduce((a, b) => a + b, 0) === 1_200_000);
  const p = progress.at(-1)!.msg;
  assert.ok(p.type === 'progress' && p.progress.bytesRead > 0 && p.progress.lines > 0);
  // the bytes say how far the reading is (not how far the disk reads ran ahead): in step with
  // the lines, never backwards
  const size = statSync(file).size;
  let before = 0;
  for (const { msg } of progress) {
    if (msg.type !== 'progress') continue;
    const { bytesRead, lines } = msg.progress;
    assert.ok(bytesRead >= before && bytesRead <= size, `bytes ${bytesRead} after ${before}, size ${size}`);
    assert.ok(Math.abs(bytesRead / size - lines / 1_200_000) < 0.25, `${((100 * bytesRead) / size).toFixed(0)}% of the bytes with ${((100 * lines) / 1_200_000).toFixed(0)}% of the lines`);
    before = bytesRead;
  }
});

test('every file descriptor is closed exactly once, whatever the file: many files on threads that share them', async () => {
  const dir = tempDir('logpool-fds-');
  const line = '1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/a/b HTTP/1.1" 200 5 "-" "UA"\n';
  const good = gzipSync(Buffer.from(line.repeat(20_000)));
  for (let i = 0; i < 40; i++) {
    const kind = i % 4;
    const body = kind === 0 ? good : kind === 1 ? good.subarray(0, good.length >> 1) : kind === 2 ? Buffer.from(line.repeat(500)) : Buffer.alloc(0);
    writeFileSync(path.join(dir, `f${i}.log`), body);
  }
  const openFds = (): number => readdirSync('/proc/self/fd').length;
  const before = openFds();
  const one = await analyzeFile({ path: path.join(dir, 'f1.log'), size: 0 }, { report: () => undefined, setup: QUERY });
  assert.equal(one.status, 'partial');
  assert.equal(openFds(), before, 'a truncated file leaves no descriptor open');
  // worker threads share the process's descriptors: closing one twice would break another thread's file
  const serial = await runAnalysis({ roots: [dir], query: QUERY, patterns: ['*.log'], workers: 1, executor: 'serial', chunksize: 1 });
  for (let round = 0; round < 3; round++) {
    const threads = await runAnalysis({ roots: [dir], query: QUERY, patterns: ['*.log'], workers: 3, executor: 'thread', chunksize: 1 });
    assert.deepEqual(threads.totals, serial.totals);
    assert.equal(threads.totals.failed, 0);
  }
  assert.equal(openFds(), before);
});

test('a small file read in one go counts exactly what reading it as a stream counts, however its gzip ends', async () => {
  const text = new LogGenerator({ seed: 3, malformedRate: 0.05 }).lines(2000);
  const a = gzipSync(text.slice(0, 90_000));
  const b = gzipSync(text.slice(90_000));
  const cases: Record<string, Buffer> = {
    'plain': Buffer.from(text),
    'plain, no last newline': Buffer.from(text.slice(0, -1)),
    'plain, empty': Buffer.alloc(0),
    'two members': Buffer.concat([a, b]),
    'zero padding after a member': Buffer.concat([a, Buffer.alloc(512)]),
    'garbage after a member': Buffer.concat([a, Buffer.from('not gzip at all')]),
    'truncated': Buffer.concat([a, b]).subarray(0, a.length + 4000),
    'corrupt': Buffer.concat([a.subarray(0, 5000), Buffer.alloc(64, 0x55), a.subarray(5064)]),
  };
  const query = defaultQuery(['book-paths', 'paths', 'status', 'hosts']);
  const dir = tempDir('logpool-small-');
  for (const [name, data] of Object.entries(cases)) {
    const file = path.join(dir, `${name}.log`);
    writeFileSync(file, data);
    const ctx = { report: (): void => undefined, setup: query };
    const whole = await analyzeFile({ path: file, size: data.length }, ctx);
    const streamed = await analyzeStream(file, createReadStream(file), ctx);
    assert.deepEqual(countsOf(whole), countsOf(streamed), name);
    assert.equal(whole.bytes, data.length, name);
  }
});

test('a plain file of many reads (two buffers, reused) counts exactly what a stream of small chunks counts: whole, from an offset, a part', async () => {
  const gen = new LogGenerator({ seed: 11, malformedRate: 0.03 });
  // over 4 MiB, with lines longer than the limit set below, so lines and skips cross every read's end
  const long = `9.9.9.9 - - [01/Jun/2012:22:17:54 -0400] "GET /book/${'x'.repeat(3000)} HTTP/1.1" 200 5 "-" "UA"\n`;
  const pieces: string[] = [];
  for (let i = 0; i < 40; i++) pieces.push(gen.lines(600), long);
  const data = Buffer.from(pieces.join(''));
  assert.ok(data.length > 4 << 20, `${data.length} bytes`);
  const file = path.join(tempDir('logpool-plain-reads-'), 'access.log');
  writeFileSync(file, data);
  const query = { ...defaultQuery(['book-paths', 'paths', 'status', 'hosts', 'user-agents']), maxLineBytes: 2048 };
  const ctx = { report: (): void => undefined, setup: query };
  const lineStart = (at: number): number => data.indexOf(10, at) + 1;
  const from = lineStart(1_234_567);
  const to = lineStart(3_456_789);
  const ranges: Array<[string, AnalyzeTask, number, number]> = [
    ['whole', { path: file, size: data.length }, 0, data.length],
    ['from an offset', { path: file, size: data.length, from }, from, data.length],
    ['a part', { path: file, size: data.length, from, to, part: { index: 2, count: 3 } }, from, to],
  ];
  for (const [name, task, start, end] of ranges) {
    const read = await analyzeFile(task, ctx);
    const streamed = await analyzeStream(file, createReadStream(file, { start, end: end - 1, highWaterMark: 4093 }), ctx);
    assert.equal(read.status, 'ok', name);
    assert.ok(read.longLines > 0 && read.malformed > 0, name);
    assert.deepEqual(countsOf(read), countsOf(streamed), name);
  }
});

test('a plain file with lines longer than a block (read in place up to them, by the line splitter after) counts what a stream counts', async () => {
  const gen = new LogGenerator({ seed: 23, malformedRate: 0.02 });
  const longPath = `/book/${'p'.repeat(1_500_000)}`;
  const text = [
    gen.lines(3000),
    `9.9.9.9 - - [01/Jun/2012:22:17:54 -0400] "GET ${longPath} HTTP/1.1" 200 5 "-" "UA"\n`,
    gen.lines(3000),
    `${'z'.repeat(3_000_000)}\n`,
    gen.lines(3000),
    // the last line has no line end
    gen.lines(1).trimEnd(),
  ].join('');
  const file = path.join(tempDir('logpool-in-place-long-'), 'access.log');
  writeFileSync(file, text);
  const size = Buffer.byteLength(text);
  for (const maxLineBytes of [1 << 20, 4 << 20]) {
    const ctx = { report: (): void => undefined, setup: { ...defaultQuery(['paths', 'status']), maxLineBytes } };
    for (const from of [0, text.indexOf('\n', 100_000) + 1]) {
      const read = await analyzeFile({ path: file, size, from }, ctx);
      const streamed = await analyzeStream(file, createReadStream(file, { start: from, highWaterMark: 4093 }), ctx);
      const name = `limit ${maxLineBytes}, from ${from}`;
      assert.equal(read.status, 'ok', name);
      assert.deepEqual(countsOf(read), countsOf(streamed), name);
      // the long lines are lines when the limit lets them be, and skipped as long when not
      const counted = unpackCounts(read.panels[0]!).some(([key]) => key === longPath);
      assert.equal(counted, maxLineBytes > longPath.length, name);
      assert.equal(read.longLines, maxLineBytes > 3_000_000 ? 0 : 2, name);
    }
  }
});

test('a plain file cancelled while it is read stops, and leaves no descriptor open', async () => {
  const line = '1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/a/b HTTP/1.1" 200 5 "-" "UA"\n';
  const file = path.join(tempDir('logpool-plain-cancel-'), 'access.log');
  writeFileSync(file, line.repeat(200_000));
  const openFds = (): number => readdirSync('/proc/self/fd').length;
  const before = openFds();
  const controller = new AbortController();
  let reports = 0;
  const ctx = {
    report: (): void => {
      if (++reports === 2) controller.abort(new Error('cancelled'));
    },
    signal: controller.signal,
    setup: QUERY,
  };
  await assert.rejects(analyzeFile({ path: file, size: 0 }, ctx), /cancelled/);
  assert.equal(reports, 2, 'no read after the cancel');
  assert.equal(openFds(), before);
});

test('plain files read at once in one process (serial executor beside following) do not share buffers', async () => {
  const dir = tempDir('logpool-plain-together-');
  const gen = new LogGenerator({ seed: 5, malformedRate: 0.02 });
  const files = [0, 1, 2].map((i) => {
    const file = path.join(dir, `f${i}.log`);
    writeFileSync(file, gen.lines(30_000 + i * 7_000));
    return file;
  });
  const ctx = { report: (): void => undefined, setup: defaultQuery(['paths', 'status']) };
  const alone: AnalyzeResult[] = [];
  for (const file of files) alone.push(await analyzeFile({ path: file, size: 0 }, ctx));
  const together = await Promise.all(files.map((file) => analyzeFile({ path: file, size: 0 }, ctx)));
  const strip = ({ ms: _m, peakRss: _r, ...rest }: AnalyzeResult): object => rest;
  assert.ok(statSync(files[0]!).size > 2 << 20, 'several reads a file');
  assert.deepEqual(together.map(strip), alone.map(strip));
});

test('a worker loads the zstd, xz and bzip2 decoders only when a file needs one', () => {
  // they took 8-10 ms of the ~35 ms a worker spent loading its code, and a run waits for its
  // workers before its first file; most folders hold none of these
  const script = `require(${JSON.stringify(path.join(__dirname, '..', 'electron', 'worker', 'analyze-file.js'))});
    process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => /fzstd|xz-decompress|unbzip2-stream/.test(k))));`;
  const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  assert.deepEqual(JSON.parse(res.stdout), []);
});

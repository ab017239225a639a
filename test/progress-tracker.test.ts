/** The lanes' rates and the overall progress, driven by a clock the test holds. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ProgressTracker } from '../electron/engine/progress-tracker';
import type { FileSummary } from '../shared/file-result';

function done(path: string, bytes: number, lines: number, ms: number, worker = 1): FileSummary {
  return { path, status: 'ok', lines, parsed: lines, malformed: 0, filtered: 0, excluded: 0, longLines: 0, bytes, ms, worker, compression: 'gzip', formats: { combined: lines } };
}

test('files shorter than a progress interval still give their lane its rate', () => {
  let now = 0;
  const tracker = new ProgressTracker(1, () => now);
  tracker.update({ type: 'worker-start', slot: 1, pid: 1 });
  for (let i = 0; i < 20; i++) {
    const path = `f${i}.gz`;
    tracker.update({ type: 'file-start', slot: 1, path, size: 1_000_000 });
    now += 2; // the first report comes with the start: too soon to measure a rate on
    tracker.update({ type: 'file-progress', slot: 1, path, size: 1_000_000, bytesRead: 100_000, lines: 5_000 });
    now += 23;
    tracker.update({ type: 'file-done', file: done(path, 1_000_000, 50_000, 25) });
  }
  const lane = tracker.snapshot().lanes[0]!;
  // 1 MB and 50,000 lines in 25 ms: 40 MB/s and 2 M lines/s
  assert.ok(Math.abs(lane.bytesPerSec - 40e6) < 1e6, `bytes/s ${lane.bytesPerSec}`);
  assert.ok(Math.abs(lane.linesPerSec - 2e6) < 5e4, `lines/s ${lane.linesPerSec}`);
  assert.equal(lane.filesDone, 20);
});

test('a long file: the rate follows its progress, and the last file does not drag it', () => {
  let now = 0;
  const tracker = new ProgressTracker(1, () => now);
  tracker.update({ type: 'file-start', slot: 1, path: 'big.gz', size: 100e6 });
  for (let k = 1; k <= 30; k++) {
    now += 100;
    tracker.update({ type: 'file-progress', slot: 1, path: 'big.gz', size: 100e6, bytesRead: k * 2e6, lines: k * 100_000 });
  }
  const lane = tracker.snapshot().lanes[0]!;
  assert.ok(Math.abs(lane.bytesPerSec - 20e6) < 1e5, `bytes/s ${lane.bytesPerSec}`);
  assert.equal(lane.bytesRead, 60e6);
  assert.equal(lane.state, 'busy');
});

test('progress and lines never go down when a worker starts its queued file before the last one is counted', () => {
  let now = 0;
  const tracker = new ProgressTracker(2, () => now);
  tracker.update({ type: 'scan', found: 4, bytes: 4_000_000, done: true });
  tracker.update({ type: 'worker-start', slot: 1, pid: 1 });
  tracker.update({ type: 'file-start', slot: 1, path: 'a.gz', size: 1_000_000 });
  let last = tracker.snapshot();
  const check = (what: string): void => {
    const s = tracker.snapshot();
    assert.ok(s.bytesDone >= last.bytesDone, `${what}: bytes ${last.bytesDone} -> ${s.bytesDone}`);
    assert.ok(s.lines >= last.lines, `${what}: lines ${last.lines} -> ${s.lines}`);
    last = s;
  };
  for (let k = 1; k <= 10; k++) {
    now += 100;
    tracker.update({ type: 'file-progress', slot: 1, path: 'a.gz', size: 1_000_000, bytesRead: k * 100_000, lines: k * 10_000 });
    check(`a.gz report ${k}`);
  }
  // the worker says "started b" before main has taken in a's result: the order seen in runs
  tracker.update({ type: 'file-start', slot: 1, path: 'b.gz', size: 1_000_000 });
  check('b started before a is counted');
  assert.equal(last.bytesDone, 1_000_000);
  assert.equal(last.lines, 100_000);
  tracker.update({ type: 'file-done', file: done('a.gz', 1_000_000, 100_000, 1000) });
  check('a counted');
  assert.equal(last.bytesDone, 1_000_000);
  now += 100;
  tracker.update({ type: 'file-progress', slot: 1, path: 'b.gz', size: 1_000_000, bytesRead: 200_000, lines: 20_000 });
  check('b reports');
  assert.equal(last.lines, 120_000);
  // a worker lost mid-file: the file fails with nothing counted, but what was shown stays
  tracker.update({ type: 'file-done', file: { ...done('b.gz', 0, 0, 0), status: 'failed' } });
  check('b failed');
});

test('the ETA waits for a measured rate, taken from the first bytes read (not from worker start-up)', () => {
  let now = 0;
  const tracker = new ProgressTracker(1, () => now);
  tracker.update({ type: 'scan', found: 1, bytes: 100e6, done: true });
  tracker.update({ type: 'worker-start', slot: 1, pid: 1 });
  now = 2000; // a slow start: the first report comes 2 s in
  tracker.update({ type: 'file-start', slot: 1, path: 'a.log', size: 100e6 });
  const read = (ms: number): void => {
    now = 2000 + ms;
    tracker.update({ type: 'file-progress', slot: 1, path: 'a.log', size: 100e6, bytesRead: ms * 10e3, lines: ms * 100 });
  };
  read(100);
  assert.equal(tracker.snapshot().etaMs, null, 'too early to say');
  read(500);
  assert.equal(tracker.snapshot().etaMs, null, 'still too early');
  read(1600);
  // 10 MB/s while reading: 84 MB left is 8.4 s (from the run's start it would be 22 s)
  const eta = tracker.snapshot().etaMs!;
  assert.ok(Math.abs(eta - 8400) < 1000, `ETA ${eta} ms`);
  assert.equal(Math.round(tracker.snapshot().elapsedMs), 3600, 'elapsed follows the clock given');
});

test('a file read in parts: each lane shows its part, each part counts once when done, and the file once', () => {
  let now = 0;
  const tracker = new ProgressTracker(2, () => now);
  tracker.update({ type: 'scan', found: 1, bytes: 3_000_000, done: true });
  const path = 'access.log';
  tracker.update({ type: 'file-start', slot: 1, path, size: 1_000_000, part: { index: 1, count: 3 } });
  tracker.update({ type: 'file-start', slot: 2, path, size: 1_000_000, part: { index: 2, count: 3 } });
  now += 100;
  tracker.update({ type: 'file-progress', slot: 1, path, size: 1_000_000, bytesRead: 500_000, lines: 5_000, part: { index: 1, count: 3 } });
  tracker.update({ type: 'file-progress', slot: 2, path, size: 1_000_000, bytesRead: 400_000, lines: 4_000, part: { index: 2, count: 3 } });
  let p = tracker.snapshot();
  assert.deepEqual(p.lanes.map((l) => l.part?.index), [1, 2]);
  assert.equal(p.bytesDone, 900_000);
  // the worker starts its queued part before the one it finished is counted
  tracker.update({ type: 'file-start', slot: 1, path, size: 1_000_000, part: { index: 3, count: 3 } });
  tracker.update({ type: 'part-done', slot: 1, path, part: { index: 1, count: 3 }, bytes: 1_000_000, lines: 10_000 });
  now += 100;
  tracker.update({ type: 'file-progress', slot: 1, path, size: 1_000_000, bytesRead: 100_000, lines: 1_000, part: { index: 3, count: 3 } });
  p = tracker.snapshot();
  assert.equal(p.bytesDone, 1_500_000);
  assert.equal(p.lanes[0]!.part?.index, 3);
  assert.equal(p.filesDone, 0);
  tracker.update({ type: 'part-done', slot: 2, path, part: { index: 2, count: 3 }, bytes: 1_000_000, lines: 10_000 });
  tracker.update({ type: 'part-done', slot: 1, path, part: { index: 3, count: 3 }, bytes: 1_000_000, lines: 10_000 });
  tracker.update({ type: 'file-done', file: { ...done(path, 3_000_000, 30_000, 300), parts: 3 } });
  p = tracker.snapshot();
  assert.equal(p.bytesDone, 3_000_000);
  assert.equal(p.lines, 30_000);
  assert.equal(p.filesDone, 1);
  assert.deepEqual(p.lanes.map((l) => [l.state, l.part]), [['idle', undefined], ['idle', undefined]]);
});

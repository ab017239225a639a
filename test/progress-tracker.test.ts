/** The lanes' rates and the overall progress, driven by a clock the test holds. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ProgressTracker } from '../electron/engine/progress-tracker';
import type { FileSummary } from '../shared/file-result';

function done(path: string, bytes: number, lines: number, ms: number, worker = 1): FileSummary {
  return { path, status: 'ok', lines, parsed: lines, malformed: 0, excluded: 0, counted: lines, longLines: 0, bytes, ms, worker, gzip: true };
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

/**
 * The worker the app's Live mode reads each look through: one worker process for every read,
 * its results those of reading in process, and when its worker cannot run, each file failed
 * with the reason rather than a read that never answers.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { openJobReader } from '../electron/engine/job-reader';
import { processLauncher } from '../electron/engine/node-launchers';
import { WORKER_SCRIPT, type AnalyzeLauncher } from '../electron/engine/run-analysis';
import { analyzeJob } from '../electron/worker/analyze-file';
import { defaultQuery } from '../shared/query';
import type { AnalyzeJob } from '../shared/worker-protocol';
import { LogGenerator } from './support/log-generator';
import { tempDir } from './support/temp-dir';

const QUERY = defaultQuery(['paths', 'status']);

/** A launcher that counts the workers it starts. */
function counting(launcher: AnalyzeLauncher): AnalyzeLauncher & { started: number } {
  const counted = { kind: launcher.kind, maxWorkers: launcher.maxWorkers, started: 0, start: (slot: number) => (counted.started++, launcher.start(slot)) };
  return counted;
}

test('one worker reads every job asked for, with the results of reading in process', async () => {
  const dir = tempDir('logpool-reader-');
  const gen = new LogGenerator({ seed: 5 });
  const files = ['a.log', 'b.log', 'c.log'].map((name, i) => {
    const file = path.join(dir, name);
    writeFileSync(file, gen.lines(500 + i * 100));
    return file;
  });
  const launcher = counting(processLauncher(WORKER_SCRIPT));
  const reader = openJobReader(launcher, QUERY);
  try {
    for (const file of files) {
      const job: AnalyzeJob = { files: [{ path: file, size: 1, from: 0, toLineEnd: true }], combine: true };
      const viaWorker = await reader.read(job);
      const here = await analyzeJob(job, { report: () => undefined, setup: QUERY });
      const strip = (r: typeof here) => ({ panels: r.panels, files: r.files.map(({ ms: _m, peakRss: _p, ...f }) => f) });
      assert.deepEqual(strip(viaWorker), strip(here));
      assert.equal(viaWorker.files[0]!.status, 'ok');
    }
    assert.equal(launcher.started, 1, 'the worker is kept between reads');
  } finally {
    await reader.close();
  }
});

test('a worker that cannot start: each file of the job fails with the reason, and later reads too', async () => {
  const launcher = processLauncher(path.join(tempDir('logpool-reader-'), 'missing-entry.js')) as AnalyzeLauncher;
  const reader = openJobReader(launcher, QUERY);
  const job: AnalyzeJob = { files: [{ path: '/x/a.log', size: 1 }, { path: '/x/b.log', size: 1 }], combine: true };
  const first = await reader.read(job);
  assert.deepEqual(first.files.map((f) => f.status), ['failed', 'failed']);
  assert.match(first.files[0]!.error ?? '', /worker/i);
  const later = await reader.read(job);
  assert.deepEqual(later.files.map((f) => [f.path, f.status]), [['/x/a.log', 'failed'], ['/x/b.log', 'failed']]);
  await reader.close();
});

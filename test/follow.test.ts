/**
 * Follow mode on real files that change while it runs: lines appended (a line half written, then
 * ended), rotation by rename with late writes to the rotated file, a new file, copytruncate, a
 * rewrite in place, and a compressed copy appearing. At the end its counts equal a fresh run over every line that was
 * ever written, for every panel: nothing missed, nothing counted twice.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { appendFileSync, readFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runAnalysis, type RunRequest, type RunResult } from '../electron/engine/run-analysis';
import { follow } from '../electron/engine/follow';
import { analyzeJob } from '../electron/worker/analyze-file';
import type { AnalyzeJob } from '../shared/worker-protocol';
import { defaultQuery, type Query } from '../shared/query';
import { PANEL_NAMES } from '../shared/panels';
import { LogGenerator } from './support/log-generator';
import { tempDir } from './support/temp-dir';

const QUERY: Query = defaultQuery([...PANEL_NAMES]);

async function until(what: string, cond: () => boolean, now?: () => unknown, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${now ? ` (now ${JSON.stringify(now())})` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const counted = (r: RunResult): unknown => ({
  panels: r.panels.map((p) => p.sorted().map((k) => [k.key, k.count, k.bytes])),
  lines: [r.totals.lines, r.totals.parsed, r.totals.malformed, r.totals.filtered],
});

test('following a folder counts every line written while it runs exactly once, through rotation and truncation', async () => {
  const dir = tempDir('logpool-follow-');
  const mirror = tempDir('logpool-follow-mirror-');
  const gen = new LogGenerator({ seed: 21, malformedRate: 0.03 });
  const live = path.join(dir, 'access.log');
  /** Write to a followed file and to its copy in the mirror (every line ever written, in files a fresh run reads). */
  const write = (file: string, mirrored: string, text: string): void => {
    appendFileSync(file, text);
    appendFileSync(path.join(mirror, mirrored), text);
  };
  const oldText = gen.lines(500);
  writeFileSync(path.join(dir, 'old.log.gz'), gzipSync(oldText));
  writeFileSync(path.join(mirror, 'old.log'), oldText);
  const firstLines = gen.lines(300);
  const half = '10.1.2.3 - - [01/Jun/2012:22:17:54 -0400] "GET /book/half-written';
  write(live, 'access-first-inode.log', firstLines + half);
  write(path.join(dir, 'ct.log'), 'ct-before.log', gen.lines(200));

  const request: RunRequest = { roots: [dir], query: QUERY, patterns: ['*'], workers: 2, executor: 'process', chunksize: 1, toLineEnd: true };
  const run = await runAnalysis(request);
  // the half-written line is not counted yet
  assert.equal(run.totals.lines, 500 + 300 + 200);

  const controller = new AbortController();
  let changes = 0;
  const following = follow(request, run, { signal: controller.signal, intervalMs: 30, onChange: () => changes++ });
  const lines = (): number => run.totals.lines;
  // a step that times out stops following, or the test's process would never end
  try {
    // the half line ends, and more come
    write(live, 'access-first-inode.log', ` HTTP/1.1" 200 5 "-" "UA"\n${gen.lines(100)}`);
    await until('appended lines', () => lines() === 1000 + 101, lines);
    // rotation by rename: late writes to the rotated file, and a new file under the old name
    renameSync(live, path.join(dir, 'access.log.1'));
    write(path.join(dir, 'access.log.1'), 'access-first-inode.log', gen.lines(40));
    write(live, 'access-second-inode.log', gen.lines(60));
    await until('rotation', () => lines() === 1101 + 100, lines);
    // a new file
    write(path.join(dir, 'other.log'), 'other.log', gen.lines(70));
    await until('a new file', () => lines() === 1201 + 70, lines);
    // copytruncate: the copy is compressed (a rotated copy: skipped), the file starts again
    writeFileSync(path.join(dir, 'ct.log.1.gz'), gzipSync('1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/copied HTTP/1.1" 200 5 "-" "UA"\n'));
    truncateSync(path.join(dir, 'ct.log'), 0);
    write(path.join(dir, 'ct.log'), 'ct-after.log', gen.lines(30));
    await until('copytruncate', () => lines() === 1271 + 30, lines);
    // rewritten in place with other, longer content (as when an inode is given to a new file)
    const rewritten = gen.lines(150);
    writeFileSync(path.join(dir, 'other.log'), rewritten);
    appendFileSync(path.join(mirror, 'other-rewritten.log'), rewritten);
    await until('a rewrite', () => lines() === 1301 + 150, lines);
  } finally {
    controller.abort();
  }
  const stats = await following;
  assert.ok(changes >= 4, `${changes} changes`);
  assert.equal(stats.lines, 451);
  assert.equal(stats.appeared, 3);

  const fresh = await runAnalysis({ roots: [mirror], query: QUERY, patterns: ['*'], workers: 2, executor: 'process', chunksize: 1 });
  assert.deepEqual(counted(run), counted(fresh));
  const skipped = run.files.find((f) => f.path.endsWith('ct.log.1.gz'))!;
  assert.equal(skipped.status, 'skipped');
  assert.match(skipped.error!, /rotated copy/);
  // the rotated file is listed under its new name, once
  assert.ok(run.files.some((f) => f.path.endsWith('access.log.1') && f.lines === 300 + 101 + 40));
  assert.equal(run.totals.files, run.files.length);
  assert.equal(run.totals.skipped, 1);
});

test('a file rotated just after a look read it (before that look took its tail) is read on from where it was, not counted again', async () => {
  const dir = tempDir('logpool-follow-race-');
  const mirror = tempDir('logpool-follow-race-mirror-');
  const gen = new LogGenerator({ seed: 23 });
  const live = path.join(dir, 'access.log');
  const rotated = path.join(dir, 'access.log.1');
  writeFileSync(live, gen.lines(100));
  writeFileSync(path.join(mirror, 'first-inode.log'), readFileSync(live));
  const request: RunRequest = { roots: [dir], query: QUERY, patterns: ['*'], workers: 1, executor: 'serial', chunksize: 1, toLineEnd: true };
  const run = await runAnalysis(request);
  assert.equal(run.totals.lines, 100);

  // logrotate's moment, made certain: the look that reads the live file's new lines has read
  // them, and before it goes on, the file is renamed and a new one takes its name
  let rotatedAt: number | undefined;
  const read = async (job: AnalyzeJob) => {
    const done = await analyzeJob(job, { report: () => undefined, setup: QUERY });
    if (rotatedAt === undefined && job.files.some((f) => f.path === live && (f.from ?? 0) > 0)) {
      renameSync(live, rotated);
      const fresh = gen.lines(10);
      writeFileSync(live, fresh);
      writeFileSync(path.join(mirror, 'second-inode.log'), fresh);
      rotatedAt = run.totals.lines;
    }
    return done;
  };
  const controller = new AbortController();
  const following = follow(request, run, { signal: controller.signal, intervalMs: 20, read });
  const lines = (): number => run.totals.lines;
  try {
    const appended = gen.lines(50);
    appendFileSync(live, appended);
    appendFileSync(path.join(mirror, 'first-inode.log'), appended);
    await until('the rotation and the new file', () => rotatedAt !== undefined && lines() === 100 + 50 + 10, lines);
    // late writes to the rotated file: read on from where it was
    const late = gen.lines(5);
    appendFileSync(rotated, late);
    appendFileSync(path.join(mirror, 'first-inode.log'), late);
    await until('the late lines', () => lines() >= 100 + 50 + 10 + 5, lines);
  } finally {
    controller.abort();
  }
  const stats = await following;
  assert.equal(stats.lines, 50 + 10 + 5);
  const fresh = await runAnalysis({ roots: [mirror], query: QUERY, patterns: ['*'], workers: 1, executor: 'serial', chunksize: 1 });
  assert.deepEqual(counted(run), counted(fresh));
  assert.ok(run.files.some((f) => f.path === rotated && f.lines === 100 + 50 + 5));
});

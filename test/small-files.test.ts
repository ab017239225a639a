/**
 * Many small files: they go to the workers many at a time (one message each way per job), and
 * every file is still reported on its own, with its own numbers, and the panels are those of
 * reading each file alone. Real files, real worker processes.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runAnalysis, type RunEvent, type RunResult } from '../electron/engine/run-analysis';
import { ResultCache } from '../electron/engine/result-cache';
import { analyzeFile } from '../electron/worker/analyze-file';
import { defaultQuery, type Query } from '../shared/query';
import { PANEL_NAMES } from '../shared/panels';
import { shownPanels } from './support/panel-outcomes';
import { LogGenerator } from './support/log-generator';
import { tempDir } from './support/temp-dir';

const QUERY: Query = defaultQuery([...PANEL_NAMES]);

function smallFolder(): { dir: string; names: string[] } {
  const dir = tempDir('logpool-small-files-');
  const gen = new LogGenerator({ seed: 11, malformedRate: 0.05 });
  const names: string[] = [];
  for (let i = 0; i < 400; i++) {
    const text = gen.lines(1 + (i % 40));
    const name = `access-${String(i).padStart(3, '0')}.log${i % 3 === 0 ? '' : '.gz'}`;
    let data = i % 3 === 0 ? Buffer.from(text) : gzipSync(text);
    if (i === 17) data = data.subarray(0, data.length - 9); // a truncated gzip: partial, with the lines before the break
    if (i === 18) data = Buffer.alloc(0);
    writeFileSync(path.join(dir, name), data);
    names.push(name);
  }
  // one larger file among them, read on its own
  writeFileSync(path.join(dir, 'big.log'), gen.lines(3000));
  names.push('big.log');
  return { dir, names };
}

/** Every panel as sorted [key, count, bytes] rows (key order follows how files were cut and joined). */
function panelRows(result: Pick<RunResult, 'panels'>): unknown {
  return result.panels.map((p) => p.sorted().map((k) => [k.key, k.count, k.bytes]));
}

test('small files are read many to a job, and each is reported with exactly its own numbers', async () => {
  const { dir, names } = smallFolder();
  const events: RunEvent[] = [];
  const result = await runAnalysis({ roots: [dir], query: QUERY, patterns: ['*'], workers: 2, executor: 'process', chunksize: 1 }, { onEvent: (e) => events.push(e) });
  assert.equal(result.files.length, names.length);
  const starts = events.filter((e): e is Extract<RunEvent, { type: 'file-start' }> => e.type === 'file-start');
  assert.ok(starts.length < 20, `${starts.length} jobs for ${names.length} files`);
  assert.ok(starts.some((e) => (e.files ?? 1) > 50));
  assert.equal(starts.find((e) => e.path.endsWith('big.log'))?.files, undefined, 'the larger file is a job of its own');
  // each file as a worker reads it alone
  const ctx = { setup: QUERY, report: (): void => undefined };
  const alone = new Map<string, Awaited<ReturnType<typeof analyzeFile>>>();
  for (const name of names) alone.set(name, await analyzeFile({ path: path.join(dir, name), size: 0 }, ctx));
  for (const f of result.files) {
    const own = alone.get(path.basename(f.path))!;
    assert.deepEqual(
      [f.status, f.error, f.lines, f.parsed, f.malformed, f.bytes, f.compression, f.formats],
      [own.status, own.error, own.lines, own.parsed, own.malformed, own.bytes, own.compression, own.formats],
      f.path,
    );
    assert.ok(f.worker > 0);
  }
  assert.equal(result.files.find((f) => f.path.endsWith('access-017.log.gz'))!.status, 'partial');
  // the panels: every file's counts added up (as a run adds them: a panel read off another is not counted in a file)
  const sums = shownPanels(QUERY, ...[...alone.values()].map((own) => own.panels));
  const expected = sums.map((t) => t.sorted().map((k) => [k.key, k.count, k.bytes]).sort((a, b) => (b[1] as number) - (a[1] as number) || (a[0]! < b[0]! ? -1 : 1)));
  const got = (panelRows(result) as unknown[][][]).map((rows) => [...rows].sort((a, b) => (b[1] as number) - (a[1] as number) || (a[0]! < b[0]! ? -1 : 1)));
  assert.deepEqual(got, expected);
});

test('with the cache, small files are read in jobs and never kept, larger ones kept, and the counts are those without it', async () => {
  const { dir } = smallFolder();
  const cache = await ResultCache.open(tempDir('logpool-small-cache-'), QUERY, 'test');
  const run = (hooks: { cache?: ResultCache }): Promise<RunResult> =>
    runAnalysis({ roots: [dir], query: QUERY, patterns: ['*'], workers: 2, executor: 'process', chunksize: 1 }, hooks);
  const plain = await run({});
  const cached = await run({ cache });
  assert.deepEqual(panelRows(cached), panelRows(plain));
  assert.deepEqual(cached.totals, plain.totals);
  // only the larger file is kept: a small one is read faster than its entry
  assert.equal(cached.cache!.stored, 1);
  const again = await run({ cache });
  assert.equal(again.cache!.hits, 1);
  assert.deepEqual(panelRows(again), panelRows(plain));
});

/**
 * The result cache: a run that uses it equals a fresh run, for every panel, whatever happened to
 * the files since (nothing, lines appended, a last line without its newline, rotation by rename,
 * truncation, copy-truncate, a rewrite of the same size, a damaged entry, another query), and
 * reads only what changed. Real files, real worker processes.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync, renameSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runAnalysis, type RunResult } from '../electron/engine/run-analysis';
import { buildJsonReport } from '../electron/engine/json-report';
import { ResultCache } from '../electron/engine/result-cache';
import { DEFAULT_READ_HERE_BYTES } from '../electron/engine/read-here';
import { defaultQuery, type Query } from '../shared/query';
import { PANEL_NAMES } from '../shared/panels';
import type { JsonReport } from '../shared/run-report';
import { LogGenerator } from './support/log-generator';
import { tempDir } from './support/temp-dir';

const QUERY: Query = { ...defaultQuery([...PANEL_NAMES]), logFormats: [] };

function run(folder: string, cache?: ResultCache, query: Query = QUERY, readHereBytes = 0): Promise<RunResult> {
  return runAnalysis(
    { roots: [folder], query, patterns: ['*'], workers: 2, executor: 'process', chunksize: 1, readHereBytes },
    cache ? { cache } : {},
  );
}

/** The report with what differs between any two runs (timings, who read what) left out. */
function counted(result: RunResult): Omit<JsonReport, 'workers' | 'executor' | 'elapsedMs' | 'cache'> {
  const { workers: _w, executor: _e, elapsedMs: _t, cache: _c, files, ...rest } = buildJsonReport(result, Infinity);
  const sortedFiles = files.map(({ ms: _ms, worker: _k, cache: _h, ...f }) => f).sort((a, b) => (a.path < b.path ? -1 : 1));
  return { ...rest, files: sortedFiles } as never;
}

function lines(seed: number, n: number): string {
  return new LogGenerator({ seed }).lines(n);
}

test('a cached run equals a fresh one after every kind of change, and reads only what changed', async () => {
  const folder = tempDir('logpool-cache-logs-');
  const cacheDir = tempDir('logpool-cache-dir-');
  const log = path.join(folder, 'access.log');
  writeFileSync(log, lines(1, 3000));
  writeFileSync(path.join(folder, 'old.log.gz'), gzipSync(lines(2, 4000)));
  writeFileSync(path.join(folder, 'other.log'), lines(3, 2000));
  const open = (): Promise<ResultCache> => ResultCache.open(cacheDir, QUERY, 'test');

  /** Run with the cache, check it equals a fresh run, and return what the cache did. */
  const check = async (what: string): Promise<{ hits: number; appended: number; read: string[] }> => {
    const cached = await run(folder, await open());
    const fresh = await run(folder);
    assert.deepEqual(counted(cached), counted(fresh), what);
    const read = cached.files.filter((f) => f.worker > 0).map((f) => path.basename(f.path)).sort();
    return { hits: cached.cache!.hits, appended: cached.cache!.appended, read };
  };

  // the first run reads everything and stores it
  assert.deepEqual(await check('first run'), { hits: 0, appended: 0, read: ['access.log', 'old.log.gz', 'other.log'] });
  // nothing changed: nothing is read
  assert.deepEqual(await check('unchanged'), { hits: 3, appended: 0, read: [] });

  // lines appended to the plain file: only they are read
  appendFileSync(log, lines(4, 500));
  assert.deepEqual(await check('appended'), { hits: 2, appended: 1, read: ['access.log'] });
  const report = (await run(folder, await open())).files.find((f) => f.path === log)!;
  assert.equal(report.cache, 'hit');

  // a last line without its newline is not continued from (it may be only half written)
  appendFileSync(log, '1.2.3.4 - - [01/Jun/2012:22:17:54 -0400] "GET /book/half HTTP/1.1" 200 5');
  await check('a line without its newline appended');
  appendFileSync(log, ' "-" "UA"\n');
  assert.deepEqual(await check('its newline written'), { hits: 2, appended: 0, read: ['access.log'] });

  // rotation by rename: the old file keeps its inode (and its result) under its new name
  renameSync(log, `${log}.1`);
  writeFileSync(log, lines(5, 800));
  assert.deepEqual(await check('rotated'), { hits: 3, appended: 0, read: ['access.log'] });

  // truncated, then written shorter
  truncateSync(log, 0);
  writeFileSync(log, lines(6, 100));
  assert.deepEqual(await check('truncated'), { hits: 3, appended: 0, read: ['access.log'] });

  // copy-truncate, then more written than before: the bytes before the old end changed
  writeFileSync(log, lines(7, 1500));
  assert.deepEqual(await check('copy-truncate and grown'), { hits: 3, appended: 0, read: ['access.log'] });

  // rewritten in place at the same size (a status changed): its time changed, so it is read
  const text = statSync(path.join(folder, 'other.log')).size;
  const changed = lines(3, 2000).replace(' 200 ', ' 404 ');
  assert.equal(Buffer.byteLength(changed), text);
  writeFileSync(path.join(folder, 'other.log'), changed);
  const later = new Date(Date.now() + 5000);
  utimesSync(path.join(folder, 'other.log'), later, later);
  assert.deepEqual(await check('same size, new content'), { hits: 3, appended: 0, read: ['other.log'] });

  // a damaged entry is not trusted: the file is read, and the entry written again
  const entries = readdirSync(cacheDir).filter((n) => n.endsWith('.entry'));
  assert.ok(entries.length >= 4);
  for (const name of entries) {
    const file = path.join(cacheDir, name);
    const size = statSync(file).size;
    truncateSync(file, Math.floor(size / 2));
  }
  const damaged = await run(folder, await open());
  assert.equal(damaged.cache!.hits, 0);
  assert.ok(damaged.cache!.rejected >= 4);
  assert.deepEqual(await check('entries rewritten'), { hits: 4, appended: 0, read: [] });

  // damaged where only the hash can tell (a count's last byte), or cut inside its header: the
  // header may say "unchanged", the tables then do not check, and the file is read after all
  for (const damage of ['a byte of its tables', 'cut in its header'] as const) {
    for (const name of readdirSync(cacheDir).filter((n) => n.endsWith('.entry'))) {
      const file = path.join(cacheDir, name);
      if (damage === 'cut in its header') truncateSync(file, 60);
      else {
        const bytes = readFileSync(file);
        bytes[bytes.length - 1]! ^= 0x01;
        writeFileSync(file, bytes);
      }
    }
    assert.deepEqual(await check(damage), { hits: 0, appended: 0, read: ['access.log', 'access.log.1', 'old.log.gz', 'other.log'] }, damage);
    assert.deepEqual(await check(`${damage}: entries rewritten`), { hits: 4, appended: 0, read: [] });
  }

  // another query shares nothing
  const filtered: Query = { ...QUERY, filters: { status: ['404'] } };
  const other = await run(folder, await ResultCache.open(cacheDir, filtered, 'test'), filtered);
  assert.equal(other.cache!.hits, 0);
});

test('a re-run whose only new lines are a little appended to plain logs reads them in this process, exactly', async () => {
  const folder = tempDir('logpool-cache-here-logs-');
  const cacheDir = tempDir('logpool-cache-here-dir-');
  const log = path.join(folder, 'access.log');
  const other = path.join(folder, 'other.log');
  writeFileSync(log, lines(11, 3000));
  writeFileSync(path.join(folder, 'old.log.gz'), gzipSync(lines(12, 4000)));
  writeFileSync(other, lines(13, 2000));

  /** A run with the cache, which may read up to `limit` bytes here; it must equal a fresh run. */
  const check = async (what: string, limit = DEFAULT_READ_HERE_BYTES): Promise<{ executor: string; workers: number; read: string[] }> => {
    const cached = await run(folder, await ResultCache.open(cacheDir, QUERY, 'test'), QUERY, limit);
    assert.deepEqual(counted(cached), counted(await run(folder)), what);
    const read = cached.files.filter((f) => f.worker > 0).map((f) => path.basename(f.path)).sort();
    return { executor: cached.executor, workers: cached.workers, read };
  };

  // files read whole are read by the pool, as ever; nothing to read starts nothing
  assert.deepEqual(await check('first run'), { executor: 'process', workers: 2, read: ['access.log', 'old.log.gz', 'other.log'] });
  assert.deepEqual(await check('unchanged'), { executor: 'process', workers: 0, read: [] });
  // the new lines of one log, or of two, are read here, by no worker process
  appendFileSync(log, lines(14, 500));
  assert.deepEqual(await check('one log grown'), { executor: 'serial', workers: 1, read: ['access.log'] });
  appendFileSync(log, lines(15, 300));
  appendFileSync(other, lines(16, 300));
  assert.deepEqual(await check('two logs grown'), { executor: 'serial', workers: 1, read: ['access.log', 'other.log'] });
  // more than the bound, or unasked: the pool's
  appendFileSync(log, lines(17, 500));
  assert.deepEqual(await check('more than the bound', 10_000), { executor: 'process', workers: 1, read: ['access.log'] });
  appendFileSync(log, lines(18, 100));
  assert.deepEqual(await check('not asked for', 0), { executor: 'process', workers: 1, read: ['access.log'] });
  // a file to read whole beside the new lines: all goes to the pool
  appendFileSync(log, lines(19, 100));
  writeFileSync(path.join(folder, 'new.log'), lines(20, 1000));
  assert.deepEqual(await check('a new file beside'), { executor: 'process', workers: 2, read: ['access.log', 'new.log'] });
});

test('the cache stays within its size: the least recently used entries go first', async () => {
  const folder = tempDir('logpool-cache-lru-');
  const cacheDir = tempDir('logpool-cache-lru-dir-');
  for (let i = 0; i < 6; i++) writeFileSync(path.join(folder, `f${i}.log`), lines(100 + i, 400));
  const first = await run(folder, await ResultCache.open(cacheDir, QUERY, 'test'));
  assert.equal(first.cache!.stored, 6);
  const sizes = readdirSync(cacheDir).map((n) => statSync(path.join(cacheDir, n)).size);
  // a run of hits alone writes nothing, so it has nothing to evict (and looks at no entry for it)
  const hitsOnly = await run(folder, await ResultCache.open(cacheDir, QUERY, 'test', 1));
  assert.deepEqual([hitsOnly.cache!.hits, hitsOnly.cache!.stored], [6, 0]);
  assert.equal(readdirSync(cacheDir).filter((n) => n.endsWith('.entry')).length, 6);
  const budget = Math.max(...sizes) * 3 + 10;
  // a run that keeps a result (a new file's) keeps the cache within its bound
  writeFileSync(path.join(folder, 'f6.log'), lines(106, 400));
  const bounded = await run(folder, await ResultCache.open(cacheDir, QUERY, 'test', budget));
  assert.equal(bounded.cache!.stored, 1);
  const left = readdirSync(cacheDir).filter((n) => n.endsWith('.entry'));
  assert.ok(left.reduce((sum, n) => sum + statSync(path.join(cacheDir, n)).size, 0) <= budget, 'within the budget');
  assert.ok(left.length >= 2 && left.length < 7, `${left.length} entries kept`);
  assert.equal(bounded.cache!.hits, 6, 'the run itself still used them');
});

/**
 * One analysis run: scan the roots lazily, fan the files out to the pool, merge each file's
 * counts as it finishes, and tell the caller everything as it happens. Used by the CLI, the
 * desktop app's main process and the browser host alike.
 */
import { emptyCounts } from '../../shared/key-totals';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { Query } from '../../shared/query';
import { emptyFileSummary, type FileSummary } from '../../shared/file-result';
import { addFileToTotals, emptyTotals, type RunTotals } from '../../shared/run-report';
import type { AnalyzeJob, AnalyzeJobResult, AnalyzeProgress, AnalyzeResult, AnalyzeTask, FilePart } from '../../shared/worker-protocol';
import type { Readable } from 'node:stream';
import { analyzeJob, analyzeStream } from '../worker/analyze-file';
import type { Launcher } from './launcher';
import { processLauncher, serialLauncher, threadLauncher } from './node-launchers';
import type { FsPath } from './file-path';
import { AbortError, imapUnordered } from './pool';
import { InFlight } from './in-flight';
import { scan, type ScanEntry } from './scan';
import { shardOf, type Shard } from './shard';
import { mergeFile, mergeFileYielding, runTallies, type RunTally } from './panel-tally';
import { appendResult, type CachedResult, type CachePlan, type CacheStats, type ResultCache } from './result-cache';
import { DEFAULT_SPLIT_BYTES, FileParts, planParts } from './file-parts';
import { hereOrPool, leftoverFits } from './read-here';

export const EXECUTORS = ['process', 'thread', 'serial'] as const;
export type ExecutorKind = (typeof EXECUTORS)[number];

export type AnalyzeLauncher = Launcher<AnalyzeJob, AnalyzeJobResult, AnalyzeProgress>;

export interface RunRequest {
  /** Folders and files; bytes where a name is not UTF-8 (see file-path.ts). */
  roots: readonly FsPath[];
  query: Query;
  patterns: readonly string[];
  workers: number;
  executor: ExecutorKind | 'utility';
  chunksize: number;
  /** A worker with a file that reports no progress for this long is stopped and replaced (0: never). */
  stallTimeoutMs?: number;
  /** Logs piped in (`logpool analyze -`): read here, beside the pool, and reported as one file named `-`. */
  stdin?: Readable;
  /** Only the entries of this slice of the inputs (`--shard K/N`). */
  shard?: Shard;
  /**
   * A plain file with more than this many bytes to read is cut at line ends into parts that
   * several workers read at once (default DEFAULT_SPLIT_BYTES; 0: every file is read whole).
   */
  splitBytes?: number;
  /**
   * Plain files are read only to the end of their last complete line (the first run of follow
   * mode: follow.ts goes on from there). No result cache with it.
   */
  toLineEnd?: boolean;
  /**
   * With a result cache: when all that is left to read after the lookups is the new lines of grown
   * plain files, this many bytes at most, they are read in this process (read-here.ts; 0 or
   * unset: never, as in the desktop app, whose main process must not parse).
   */
  readHereBytes?: number;
}

/** The name standard input is given on the command line and reported as. */
export const STDIN_NAME = '-';

export type RunEvent =
  | { type: 'scan'; found: number; bytes: number; done: boolean }
  | { type: 'worker-start'; slot: number; pid: number | undefined }
  /**
   * A worker began a file, one part of a file read in parts (`part`; `size` is the part's), or a
   * job of `files` small files (`path` is the first, `size` all of theirs).
   */
  | { type: 'file-start'; slot: number; path: string; size: number; part?: FilePart; files?: number }
  | { type: 'file-progress'; slot: number; path: string; size: number; bytesRead: number; lines: number; part?: FilePart; files?: number }
  /** One part of a file read in parts is done (the file's own file-done follows its last part). */
  | { type: 'part-done'; slot: number; path: string; part: FilePart; bytes: number; lines: number }
  | { type: 'file-done'; file: FileSummary }
  | { type: 'worker-exit'; slot: number; reason: string; replaced: boolean };

export interface RunResult {
  request: RunRequest;
  /** One per panel, in the query's order. */
  panels: RunTally[];
  files: FileSummary[];
  totals: RunTotals;
  workers: number;
  executor: string;
  elapsedMs: number;
  /** Largest resident set any worker process reported, in bytes. */
  peakWorkerRss: number;
  /**
   * The run was stopped (Ctrl-C, Cancel): the result holds the files finished before; every file
   * found but not finished is listed as skipped, and the folder walk may not have ended.
   */
  interrupted: boolean;
  /** Files found but not finished when it was interrupted (listed as skipped). */
  unfinished: number;
  /** With a result cache: files whose result came from it (whole, or continued), and results stored. */
  cache?: CacheStats;
}

export interface RunHooks {
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Use this launcher instead of the executor's (the desktop app passes utilityProcess). */
  launcher?: AnalyzeLauncher;
  /** Merge into these (one per panel, in the query's order) so that a caller can watch the result grow; new ones otherwise. */
  tallies?: RunTally[];
  /** Results of files already read (for this run's query): unchanged files are not read again, grown plain files only from their old end. */
  cache?: ResultCache;
}

export const WORKER_SCRIPT = path.join(__dirname, '..', 'worker', 'entry.js');

export function defaultWorkers(): number {
  return availableParallelism();
}

export function launcherFor(executor: ExecutorKind): AnalyzeLauncher {
  switch (executor) {
    case 'process':
      return processLauncher(WORKER_SCRIPT);
    case 'thread':
      return threadLauncher(WORKER_SCRIPT);
    case 'serial':
      return serialLauncher(analyzeJob);
  }
}

function entrySummary(entry: Exclude<ScanEntry, { kind: 'file' }>): FileSummary {
  return emptyFileSummary(entry.path, entry.kind, entry.reason);
}

export async function runAnalysis(request: RunRequest, hooks: RunHooks = {}): Promise<RunResult> {
  const started = performance.now();
  const emit = hooks.onEvent ?? ((): void => undefined);
  if (request.executor === 'utility' && !hooks.launcher) throw new Error('the utility executor needs a launcher');
  if (request.toLineEnd && hooks.cache) throw new Error('a run read to line ends (follow mode) takes no result cache');
  // (the leftover of a re-run may be read here instead: see readHereBytes)
  let readHere = false;
  const launcher = hereOrPool(hooks.launcher ?? launcherFor(request.executor as ExecutorKind), launcherFor('serial'), () => readHere);
  const workers = Math.max(1, Math.min(request.workers, launcher.maxWorkers));
  const tallies = hooks.tallies ?? runTallies(request.query);
  if (tallies.length !== request.query.panels.length) throw new Error('one tally per panel');
  const files: FileSummary[] = [];
  const totals = emptyTotals();
  let peakWorkerRss = 0;
  let interrupted = false;
  let unfinished = 0;
  // found by the walk and not finished yet; and those a worker has begun reading
  const outstanding = new Set<AnalyzeTask>();
  const begun = new Set<AnalyzeTask>();
  const workersStarted = new Set<number>();

  const record = (file: FileSummary): void => {
    files.push(file);
    addFileToTotals(totals, file);
    emit({ type: 'file-done', file });
  };

  // the cache's plan for each file sent to a worker (to continue it, or to store what is read)
  const cache = hooks.cache;
  const plans = new Map<AnalyzeTask, Exclude<CachePlan, { kind: 'hit' }>>();
  const nameOf = (task: AnalyzeTask): string | Buffer => (task.rawPath ? Buffer.from(task.rawPath) : task.path);
  /**
   * Whether the file must be read, or (unchanged, by its cache entry) how to count its cached
   * result once the walk is done: what must be read is then with the workers first.
   */
  const needsReading = async (cache: ResultCache, task: AnalyzeTask): Promise<boolean | CachedUse> => {
    if (task.size < SMALL_FILE_BYTES) return true;
    const plan = await cache.plan(nameOf(task));
    if (plan.kind === 'hit') {
      return async () => {
        const cached = await plan.load();
        if (!cached) {
          // an entry that turned out damaged: the file is read after all, and kept again
          plans.set(task, { kind: 'miss', identity: plan.identity });
          return true;
        }
        const { panels, ...summary } = cached;
        await mergeFileYielding(tallies, panels);
        // the name it has now (a rotated file keeps its inode under a new name)
        record({ ...summary, path: task.path, ms: 0, worker: 0, cache: 'hit' });
        return false;
      };
    }
    if (plan.kind === 'append') task.from = plan.from;
    plans.set(task, plan);
    return true;
  };

  // Standard input is one stream, read by one reader: this process's, beside the pool's workers
  // (a worker process cannot be handed this process's stdin everywhere; it reads as fast here).
  const piped = request.stdin
    ? analyzeStream(STDIN_NAME, request.stdin, { setup: request.query, report: () => undefined, ...(hooks.signal ? { signal: hooks.signal } : {}) }).then(
        (result) => {
          const { panels, peakRss: _, ...summary } = result;
          mergeFile(tallies, panels);
          record({ ...summary, worker: 0 });
        },
        (e: unknown) => {
          if (hooks.signal?.aborted) record(entrySummary({ kind: 'skipped', path: STDIN_NAME, reason: 'not read to its end: the run was interrupted' }));
          else record(entrySummary({ kind: 'failed', path: STDIN_NAME, reason: e instanceof Error ? e.message : String(e) }));
        },
      )
    : Promise.resolve();

  // the parts of files read in parts, each to its file's reading
  const splits = new Map<AnalyzeTask, SplitReading>();
  const fileOf = (task: AnalyzeTask): AnalyzeTask => splits.get(task)?.whole ?? task;
  const splitBytes = request.splitBytes ?? DEFAULT_SPLIT_BYTES;
  /** The tasks for one file to read: itself, or its parts when it is a large plain file. */
  const tasksFor = async (task: AnalyzeTask): Promise<AnalyzeTask[]> => {
    if (task.size - (task.from ?? 0) <= splitBytes || workers < 2) return [task];
    let ranges;
    try {
      ranges = await planParts(nameOf(task), task.from ?? 0, task.size, workers, splitBytes);
    } catch {
      // it could not be opened here: the worker says why
      return [task];
    }
    if (!ranges) return [task];
    const reading: SplitReading = { whole: task, parts: new FileParts(ranges.length, request.query.panels), slot: 0 };
    return ranges.map(({ from, to, index, count }) => {
      const part: AnalyzeTask = { ...task, size: (to ?? task.size) - from, from, ...(to !== undefined ? { to } : {}), part: { index, count } };
      splits.set(part, reading);
      return part;
    });
  };

  // The walk runs ahead of dispatch so that totals (for the ETA) are known early, while the pool
  // still starts on the first file found.
  // a file's counts are needed on their own only to be kept in the cache
  const jobs = scanAhead(request, hooks.signal, emit, tasksFor, cache !== undefined, (task) => outstanding.add(task), (entry) => record(entrySummary(entry)), cache && {
    needsReading: (task) => needsReading(cache, task),
    notRead: (task) => outstanding.delete(task),
    readHereBytes: request.readHereBytes ?? 0,
    readingHere: () => (readHere = true),
  });

  /** A file read (whole, or its parts combined): its cache plan carried out, its counts merged. */
  const finished = async (task: AnalyzeTask, slot: number, read: CachedResult, parts: number | undefined): Promise<void> => {
    const plan = plans.get(task);
    plans.delete(task);
    // a grown file read from its old end: its new lines added to what was cached
    const appended = plan?.kind === 'append' && read.readFrom === plan.from;
    const { readFrom: _, ...result } = appended ? await appendResult(plan.base, read, request.query.panels) : read;
    if (plan) cache?.store(nameOf(task), plan.identity, result);
    const { panels, ...summary } = result;
    await mergeFileYielding(tallies, panels);
    record({ ...summary, worker: slot, ...(appended ? { cache: 'appended' as const } : {}), ...(parts !== undefined ? { parts } : {}) });
  };

  /** One file's (or part's) outcome: its result, or why it has none. */
  const fileRead = async (task: AnalyzeTask, slot: number, outcome: AnalyzeResult | string): Promise<void> => {
    let read: CachedResult;
    if (typeof outcome !== 'string') {
      const { peakRss, ...value } = outcome;
      peakWorkerRss = Math.max(peakWorkerRss, peakRss);
      read = value;
    } else {
      read = { ...entrySummary({ kind: 'failed', path: task.path, reason: outcome }), panels: request.query.panels.map(emptyCounts) };
    }
    const split = splits.get(task);
    if (!split) {
      outstanding.delete(task);
      await finished(task, slot, read, undefined);
      return;
    }
    // one part of a file read in parts: the file is done with its last part
    splits.delete(task);
    const part = task.part!;
    if (part.index === 1 || split.slot === 0) split.slot = slot;
    if (read.error !== undefined) read = { ...read, error: `part ${part.index} of ${part.count} (from byte ${task.from ?? 0}): ${read.error}` };
    await split.parts.add(part.index, read);
    emit({ type: 'part-done', slot, path: task.path, part, bytes: read.bytes, lines: read.lines });
    if (!split.parts.complete) return;
    outstanding.delete(split.whole);
    await finished(split.whole, split.slot, split.parts.result(), part.count);
  };

  try {
    for await (const outcome of imapUnordered(jobs, {
      launcher,
      workers,
      chunksize: request.chunksize,
      stallMs: request.stallTimeoutMs ?? 0,
      setup: request.query,
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      onEvent(e) {
        if (e.type === 'task-start') {
          for (const task of e.input.files) begun.add(fileOf(task));
          emit({ type: 'file-start', slot: e.slot, ...jobShown(e.input) });
        } else if (e.type === 'task-progress') emit({ type: 'file-progress', slot: e.slot, ...jobShown(e.input), ...e.progress });
        else if (e.type === 'worker-start') {
          workersStarted.add(e.slot);
          emit({ type: 'worker-start', slot: e.slot, pid: e.pid });
        } else emit({ type: 'worker-exit', slot: e.slot, reason: e.reason, replaced: e.replaced });
      },
    })) {
      const { files: tasks } = outcome.input;
      if (!outcome.ok) {
        for (const task of tasks) await fileRead(task, outcome.slot, outcome.error);
        continue;
      }
      // a job's files added up in the worker: merged once here
      if (outcome.value.panels) await mergeFileYielding(tallies, outcome.value.panels);
      for (let i = 0; i < tasks.length; i++) await fileRead(tasks[i]!, outcome.slot, outcome.value.files[i] ?? 'the worker sent no result for it');
    }
    await piped;
  } catch (e) {
    if (!(e instanceof AbortError)) throw e;
    await piped;
    // what was finished stands; every file found and not finished is said so
    interrupted = true;
    unfinished = outstanding.size;
    for (const task of outstanding) {
      const reason = begun.has(task) ? 'interrupted while being read: not counted' : 'not read: the run was interrupted';
      record(entrySummary({ kind: 'skipped', path: task.path, reason }));
    }
  }

  await cache?.flush();
  return {
    request,
    panels: tallies,
    files,
    totals,
    // the workers that ran: fewer than asked for when there were fewer files
    workers: workersStarted.size,
    executor: launcher.kind,
    elapsedMs: performance.now() - started,
    peakWorkerRss,
    interrupted,
    unfinished,
    ...(cache ? { cache: cache.stats } : {}),
  };
}

/** A file read in parts: what its parts yielded so far, added up. */
interface SplitReading {
  whole: AnalyzeTask;
  parts: FileParts;
  /** The worker that read its first part (or the first to finish one). */
  slot: number;
}

/** How a job is shown in its worker's lane: its (first) file, its size, and its part or how many files it holds. */
function jobShown(job: AnalyzeJob): { path: string; size: number; part?: FilePart; files?: number } {
  const first = job.files[0]!;
  const size = job.files.reduce((n, f) => n + f.size, 0);
  return { path: first.path, size, ...(first.part ? { part: first.part } : {}), ...(job.files.length > 1 ? { files: job.files.length } : {}) };
}

/**
 * Small files go to a worker many at a time (Pool.imap's chunksize, decided by size): a file
 * under SMALL_FILE_BYTES joins the small files queued after it until they hold BATCH_BYTES or
 * number BATCH_FILES. Only files already found are taken (a job never waits for the walk).
 */
const BATCH_BYTES = 256 * 1024;
const BATCH_FILES = 256;

/**
 * A small file: read in a job with other small files, and never looked up in the cache nor kept
 * there, since it is read in such a job faster than its entry is opened, checked and parsed
 * (20,000 files of 100 lines, gzip, ~5 KB each: a re-run from the cache took 4.8 s, reading them
 * 2.6 s).
 */
export const SMALL_FILE_BYTES = 32 * 1024;

/** Cache lookups in flight at once while the scan walks. */
const LOOKUPS_AT_ONCE = 16;

/** Count a file's cached result; true when it must be read after all (its entry did not check). */
type CachedUse = () => Promise<boolean>;

/** Drain the scan eagerly into a queue; hand files to the pool as it asks for them. */
async function* scanAhead(
  request: RunRequest,
  signal: AbortSignal | undefined,
  emit: (e: RunEvent) => void,
  tasksFor: (task: AnalyzeTask) => Promise<AnalyzeTask[]>,
  /** Files are kept in the cache: the counts of each (but a small one) must come apart. */
  keepEach: boolean,
  onTask: (task: AnalyzeTask) => void,
  onOther: (entry: Exclude<ScanEntry, { kind: 'file' }>) => void,
  lookup:
    | {
        needsReading: (task: AnalyzeTask) => Promise<boolean | CachedUse>;
        notRead: (task: AnalyzeTask) => void;
        /** What is left to read after the lookups may be read here, up to this many bytes (RunRequest.readHereBytes). */
        readHereBytes: number;
        /** Called as the leftover is sent to be read here (before the pool starts its worker). */
        readingHere: () => void;
      }
    | undefined,
): AsyncGenerator<AnalyzeJob> {
  const queue: AnalyzeTask[] = [];
  let done = false;
  /** Every file found has been looked up in the cache (or the walk failed). */
  let lookedUp = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  let found = 0;
  let bytes = 0;
  let lastEmit = 0;
  const lookups = new InFlight(LOOKUPS_AT_ONCE);
  const cached: Array<[AnalyzeTask, CachedUse]> = [];
  /** A looked-up file: to the queue when it must be read, counted out when its cached result stood in. */
  const settle = async (task: AnalyzeTask, read: boolean): Promise<void> => {
    if (read) queue.push(...(await tasksFor(task)));
    else lookup!.notRead(task);
    wake?.();
  };
  const walker = (async () => {
    try {
      for await (const entry of scan(request.roots, { patterns: request.patterns, ...(signal ? { signal } : {}) })) {
        // another slice's entry: that copy reports it
        if (request.shard && shardOf(entry.path, request.shard.count) !== request.shard.index) continue;
        if (entry.kind === 'file') {
          found++;
          bytes += entry.size;
          const task: AnalyzeTask = { path: entry.path, ...(entry.rawPath ? { rawPath: entry.rawPath } : {}), size: entry.size, ...(request.toLineEnd ? { toLineEnd: true } : {}) };
          onTask(task);
          if (!lookup) {
            // (a file to read in parts is planned here; it is rare, and the walk can wait)
            if (entry.size <= (request.splitBytes ?? DEFAULT_SPLIT_BYTES)) queue.push(task);
            else queue.push(...(await tasksFor(task)));
          } else {
            // looked up in the cache a few at a time: each lookup waits on the disk
            await lookups.add(
              lookup.needsReading(task).then(async (read) => {
                if (typeof read === 'function') {
                  cached.push([task, read]);
                  wake?.();
                } else await settle(task, read);
              }),
            );
          }
          const now = Date.now();
          if (now - lastEmit >= 100) {
            lastEmit = now;
            emit({ type: 'scan', found, bytes, done: false });
          }
        } else {
          onOther(entry);
        }
        wake?.();
      }
      await lookups.all();
      lookedUp = true;
      wake?.();
      // cached results are counted while the workers read what changed (a few at once: each waits on the disk)
      for (const [task, use] of cached) {
        if (signal?.aborted) break;
        await lookups.add(use().then((read) => settle(task, read)));
      }
      await lookups.all();
    } catch (e) {
      failure = e;
    } finally {
      // a lookup that failed, or the walk: the files already found still get their answer
      await lookups.settled();
      lookedUp = done = true;
      emit({ type: 'scan', found, bytes, done: true });
      wake?.();
    }
  })();
  // the first job waits while all that is queued could be read here, until the lookups end: it is
  // read here when it is still all that is left then
  let mayReadHere = lookup !== undefined && lookup.readHereBytes > 0;
  /** Until the walk or a lookup has more to say. */
  const walked = async (): Promise<void> => {
    await new Promise<void>((r) => (wake = r));
    wake = undefined;
  };
  try {
    for (;;) {
      if (mayReadHere) {
        if (!leftoverFits(queue, lookup!.readHereBytes)) mayReadHere = false;
        else if (lookedUp) {
          mayReadHere = false;
          if (queue.length > 0) {
            lookup!.readingHere();
            yield { files: queue.splice(0), combine: false };
          }
          continue;
        } else {
          await walked();
          continue;
        }
      }
      const next = queue.shift();
      if (next) {
        const files = [next];
        const small = next.size < SMALL_FILE_BYTES && !next.part;
        if (small) {
          let bytes = next.size;
          while (files.length < BATCH_FILES && bytes < BATCH_BYTES && queue.length > 0 && queue[0]!.size < SMALL_FILE_BYTES && !queue[0]!.part) {
            const more = queue.shift()!;
            files.push(more);
            bytes += more.size;
          }
        }
        // small files are never kept, so theirs may always be added up; a part's counts are the
        // file's to add up (FileParts), and no panel's until its file is done
        yield { files, combine: !next.part && (!keepEach || small) };
        continue;
      }
      if (failure) throw failure;
      if (done) return;
      await walked();
    }
  } finally {
    await walker;
  }
}

/**
 * One analysis run: scan the roots lazily, fan the files out to the pool, merge each file's
 * counts as it finishes, and tell the caller everything as it happens. Used by the CLI, the
 * desktop app's main process and the browser host alike.
 */
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { AnalysisOptions } from '../../shared/analysis-options';
import type { FileSummary } from '../../shared/file-result';
import { addFileToTotals, emptyTotals, type RunTotals } from '../../shared/run-report';
import type { AnalyzeProgress, AnalyzeResult, AnalyzeTask } from '../../shared/worker-protocol';
import { analyzeFile } from '../worker/analyze-file';
import type { Launcher } from './launcher';
import { processLauncher, serialLauncher, threadLauncher } from './node-launchers';
import { imapUnordered } from './pool';
import { scan, type ScanEntry } from './scan';

export const EXECUTORS = ['process', 'thread', 'serial'] as const;
export type ExecutorKind = (typeof EXECUTORS)[number];

export type AnalyzeLauncher = Launcher<AnalyzeTask, AnalyzeResult, AnalyzeProgress>;

export interface RunRequest {
  roots: readonly string[];
  analysis: AnalysisOptions;
  patterns: readonly string[];
  workers: number;
  executor: ExecutorKind | 'utility';
  chunksize: number;
}

export type RunEvent =
  | { type: 'scan'; found: number; bytes: number; done: boolean }
  | { type: 'worker-start'; slot: number; pid: number | undefined }
  | { type: 'file-start'; slot: number; path: string; size: number }
  | { type: 'file-progress'; slot: number; path: string; size: number; bytesRead: number; lines: number }
  | { type: 'file-done'; file: FileSummary }
  | { type: 'worker-exit'; slot: number; reason: string; replaced: boolean };

export interface RunResult {
  request: RunRequest;
  counter: Map<string, number>;
  files: FileSummary[];
  totals: RunTotals;
  workers: number;
  executor: string;
  elapsedMs: number;
  /** Largest resident set any worker process reported, in bytes. */
  peakWorkerRss: number;
}

export interface RunHooks {
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Use this launcher instead of the executor's (the desktop app passes utilityProcess). */
  launcher?: AnalyzeLauncher;
  /** Merge into this counter (so that a caller can watch the result grow); a new one otherwise. */
  counter?: Map<string, number>;
}

export const WORKER_SCRIPT = path.join(__dirname, '..', 'worker', 'entry.js');

export function defaultWorkers(): number {
  return availableParallelism();
}

function launcherFor(executor: ExecutorKind): AnalyzeLauncher {
  switch (executor) {
    case 'process':
      return processLauncher(WORKER_SCRIPT);
    case 'thread':
      return threadLauncher(WORKER_SCRIPT);
    case 'serial':
      return serialLauncher(analyzeFile);
  }
}

function entrySummary(entry: Exclude<ScanEntry, { kind: 'file' }>): FileSummary {
  return {
    path: entry.path,
    status: entry.kind,
    error: entry.reason,
    lines: 0,
    parsed: 0,
    malformed: 0,
    excluded: 0,
    counted: 0,
    longLines: 0,
    bytes: 0,
    ms: 0,
    worker: 0,
    gzip: false,
  };
}

export async function runAnalysis(request: RunRequest, hooks: RunHooks = {}): Promise<RunResult> {
  const started = performance.now();
  const emit = hooks.onEvent ?? ((): void => undefined);
  if (request.executor === 'utility' && !hooks.launcher) throw new Error('the utility executor needs a launcher');
  const launcher = hooks.launcher ?? launcherFor(request.executor as ExecutorKind);
  const workers = Math.max(1, Math.min(request.workers, launcher.maxWorkers));
  const counter = hooks.counter ?? new Map<string, number>();
  const files: FileSummary[] = [];
  const totals = emptyTotals();
  let peakWorkerRss = 0;

  const record = (file: FileSummary): void => {
    files.push(file);
    addFileToTotals(totals, file);
    emit({ type: 'file-done', file });
  };

  // The walk runs ahead of dispatch so that totals (for the ETA) are known early, while the pool
  // still starts on the first file found.
  const tasks = scanAhead(request, hooks.signal, emit, (entry) => record(entrySummary(entry)));

  for await (const outcome of imapUnordered(tasks, {
    launcher,
    workers,
    chunksize: request.chunksize,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onEvent(e) {
      if (e.type === 'task-start') emit({ type: 'file-start', slot: e.slot, path: e.input.path, size: e.input.size });
      else if (e.type === 'task-progress')
        emit({ type: 'file-progress', slot: e.slot, path: e.input.path, size: e.input.size, ...e.progress });
      else if (e.type === 'worker-start') emit({ type: 'worker-start', slot: e.slot, pid: e.pid });
      else emit({ type: 'worker-exit', slot: e.slot, reason: e.reason, replaced: e.replaced });
    },
  })) {
    if (outcome.ok) {
      const { counts, peakRss, ...summary } = outcome.value;
      peakWorkerRss = Math.max(peakWorkerRss, peakRss);
      const { keys, counts: values } = counts;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        counter.set(key, (counter.get(key) ?? 0) + values[i]!);
      }
      record({ ...summary, worker: outcome.slot });
    } else {
      record({ ...entrySummary({ kind: 'failed', path: outcome.input.path, reason: outcome.error }), worker: outcome.slot });
    }
  }

  return {
    request,
    counter,
    files,
    totals,
    workers,
    executor: launcher.kind,
    elapsedMs: performance.now() - started,
    peakWorkerRss,
  };
}

/** Drain the scan eagerly into a queue; hand files to the pool as it asks for them. */
async function* scanAhead(
  request: RunRequest,
  signal: AbortSignal | undefined,
  emit: (e: RunEvent) => void,
  onOther: (entry: Exclude<ScanEntry, { kind: 'file' }>) => void,
): AsyncGenerator<AnalyzeTask> {
  const queue: AnalyzeTask[] = [];
  let done = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  let found = 0;
  let bytes = 0;
  let lastEmit = 0;
  const walker = (async () => {
    try {
      for await (const entry of scan(request.roots, { patterns: request.patterns, ...(signal ? { signal } : {}) })) {
        if (entry.kind === 'file') {
          found++;
          bytes += entry.size;
          queue.push({ path: entry.path, size: entry.size, analysis: request.analysis });
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
    } catch (e) {
      failure = e;
    } finally {
      done = true;
      emit({ type: 'scan', found, bytes, done: true });
      wake?.();
    }
  })();
  try {
    for (;;) {
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (failure) throw failure;
      if (done) return;
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
  } finally {
    await walker;
  }
}

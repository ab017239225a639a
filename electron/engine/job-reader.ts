/**
 * A worker kept for reading one job at a time, whenever asked, for as long as it is needed: the
 * desktop app's follow mode reads what each look found through it, so that no parsing happens
 * on Electron's main thread, and no worker is started per look. It is the pool with a queue for
 * input: a worker that dies or stalls is replaced, and the job it had fails with the reason.
 */
import { emptyCounts } from '../../shared/key-totals';
import { emptyFileSummary } from '../../shared/file-result';
import type { AnalyzeJob, AnalyzeJobResult, AnalyzeResult } from '../../shared/worker-protocol';
import type { Query } from '../../shared/query';
import { imapUnordered } from './pool';
import type { AnalyzeLauncher } from './run-analysis';

export interface JobReader {
  /** Read one job: its files' results; each file failed, with the reason, when the worker could not. */
  read(job: AnalyzeJob): Promise<AnalyzeJobResult>;
  /** Let the worker go (once no read is waiting). */
  close(): Promise<void>;
}

interface Waiting {
  job: AnalyzeJob;
  resolve: (result: AnalyzeJobResult) => void;
}

/** A job's files, each failed with `reason` (nothing of them counted). */
function failedJob(job: AnalyzeJob, reason: string, panels: number): AnalyzeJobResult {
  const files: AnalyzeResult[] = job.files.map((task) => ({ ...emptyFileSummary(task.path, 'failed', reason), panels: Array.from({ length: panels }, emptyCounts), peakRss: 0 }));
  return { files };
}

export function openJobReader(launcher: AnalyzeLauncher, query: Query, stallMs = 0): JobReader {
  const queue: Waiting[] = [];
  const waiting = new Map<AnalyzeJob, Waiting>();
  let closed = false;
  // the pool's input: jobs as they are asked for. Not an async generator: the pool ends its
  // input with return() when it gives up, and a generator waiting for a job would never return
  let pull: ((next: IteratorResult<AnalyzeJob, undefined>) => void) | undefined;
  const deliver = (): void => {
    if (!pull) return;
    const next = queue.shift();
    if (next === undefined && !closed) return;
    const answer = pull;
    pull = undefined;
    answer(next ? { done: false, value: next.job } : { done: true, value: undefined });
  };
  const jobs: AsyncIterableIterator<AnalyzeJob> = {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () =>
      new Promise((resolve) => {
        pull = resolve;
        deliver();
      }),
    return: () => {
      closed = true;
      deliver();
      return Promise.resolve({ done: true, value: undefined });
    },
  };

  const done = (async () => {
    try {
      for await (const outcome of imapUnordered(jobs, { launcher, workers: 1, chunksize: 1, stallMs, setup: query })) {
        const w = waiting.get(outcome.input);
        waiting.delete(outcome.input);
        w?.resolve(outcome.ok ? outcome.value : failedJob(outcome.input, outcome.error, query.panels.length));
      }
    } catch (e) {
      // the pool gave up (its workers would not start): every read waiting, and every later one, fails with why
      const reason = e instanceof Error ? e.message : String(e);
      closed = true;
      for (const w of [...waiting.values()]) w.resolve(failedJob(w.job, reason, query.panels.length));
      waiting.clear();
      return reason;
    }
    return undefined;
  })();

  return {
    read(job) {
      return new Promise((resolve) => {
        if (closed) {
          void done.then((reason) => resolve(failedJob(job, reason ?? 'the reader is closed', query.panels.length)));
          return;
        }
        const w = { job, resolve };
        waiting.set(job, w);
        queue.push(w);
        deliver();
      });
    },
    async close() {
      closed = true;
      deliver();
      await done;
    },
  };
}

/**
 * The contract between the pool (main process) and its workers, whatever carries it:
 * child_process IPC, worker_threads, Electron's utilityProcess or an in-process channel.
 */
import type { FileResult, PanelCounts } from './file-result';

export type ToWorker<T> =
  /** What every task of the run shares (the query), sent once before the first task. */
  | { type: 'setup'; setup: unknown }
  | { type: 'task'; taskId: number; task: T }
  /** Give a queued task back if it has not started (another worker is idle): answered by 'withdrawn'. */
  | { type: 'withdraw'; taskId: number }
  /** Finish nothing more; exit as soon as the current task (if any) is done. */
  | { type: 'shutdown' };

export type FromWorker<R, P> =
  | { type: 'ready'; pid: number }
  | { type: 'started'; taskId: number }
  | { type: 'progress'; taskId: number; progress: P }
  | { type: 'done'; taskId: number; result: R }
  /** The task threw: the worker is fine and takes the next task. */
  | { type: 'failed'; taskId: number; error: string }
  /** A queued task given back, never started. */
  | { type: 'withdrawn'; taskId: number };

/** The analysis job: read one file and reduce it to counts. */
export interface AnalyzeTask {
  /** As shown to people (invalid UTF-8 as U+FFFD). */
  path: string;
  /** The name's exact bytes, when `path` does not name the file (it is not UTF-8): open these. */
  rawPath?: Uint8Array;
  /** Size on disk when the scan saw it (for progress). The query came once, in the setup message. */
  size: number;
  /**
   * Read from this byte on (a plain file that grew since its result was cached; the offset is a
   * line's start). A file that is no longer plain is read from its start, and says so.
   */
  from?: number;
  /** Stop before this byte (a line's start): one part of a file read in parts. */
  to?: number;
  /**
   * Read a plain file only to the end of its last complete line (following a growing log: a line
   * still being written is read once it ends). Reading from `from` > 0, the file must still be
   * plain text, or the task fails rather than count its start again.
   */
  toLineEnd?: boolean;
  /**
   * One of the byte ranges of a large plain file read by several workers at once (the run
   * combines the parts into the file's one result). A part of a file that is no longer plain
   * text, or no longer reaches the part's end, fails rather than read something else.
   */
  part?: FilePart;
}

export interface FilePart {
  /** 1-based. */
  index: number;
  count: number;
}

/**
 * What a worker is sent at a time: one file, or many small ones read one after another (one
 * message each way for all of them: with thousands of small files the messages were the cost).
 */
export interface AnalyzeJob {
  files: AnalyzeTask[];
  /**
   * Add the files' counts up in the worker and send them once (`AnalyzeJobResult.panels`), each
   * file's own panels left empty: when nothing needs a file's counts on their own (no cache, and
   * not a part of a file read in parts: its parts are added up as its own until it is done).
   */
  combine: boolean;
}

export interface AnalyzeJobResult {
  /** One per file, in the job's order (panels empty when the job combined them). */
  files: AnalyzeResult[];
  /** The files' panels added up, when the job asked for it. */
  panels?: PanelCounts[];
}

export interface AnalyzeProgress {
  /** Bytes of the job's files read and processed so far (for gzip: the compressed bytes inflated so far). */
  bytesRead: number;
  lines: number;
}

export type AnalyzeResult = Omit<FileResult, 'worker'> & {
  /** Peak resident set of the worker's process so far, in bytes. */
  peakRss: number;
  /** Where reading began, when not at the start (the task's `from`). */
  readFrom?: number;
};

export function isFromWorker(value: unknown): value is FromWorker<unknown, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'started' || type === 'progress' || type === 'done' || type === 'failed' || type === 'withdrawn';
}

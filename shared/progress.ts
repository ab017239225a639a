import type { FilePart } from './worker-protocol';
/** A run's progress at one moment: what the CLI draws and what the app streams to its lanes. */

export type LaneState = 'starting' | 'idle' | 'busy' | 'restarting';

export interface LaneSnapshot {
  /** 1-based worker slot ("Worker N"). */
  slot: number;
  state: LaneState;
  pid?: number;
  /** The file it is reading, while busy. */
  path?: string;
  /** Which part of that file, when it is read in parts by several workers (`size` is the part's). */
  part?: FilePart;
  /** It reads a job of this many small files, `path` first (`size` is all of theirs). */
  files?: number;
  size: number;
  bytesRead: number;
  lines: number;
  /** Disk bytes per second on the current file (smoothed). */
  bytesPerSec: number;
  linesPerSec: number;
  filesDone: number;
  restarts: number;
  /** CPU % of the worker's process, where the host can measure it. */
  cpuPercent?: number;
}

export interface ProgressSnapshot {
  elapsedMs: number;
  scanDone: boolean;
  filesFound: number;
  bytesFound: number;
  filesDone: number;
  failed: number;
  partial: number;
  skipped: number;
  /** Disk bytes read so far, finished files and files in progress. */
  bytesDone: number;
  bytesPerSec: number;
  /** Milliseconds left at the current rate; null until the scan is complete and a rate is known. */
  etaMs: number | null;
  lines: number;
  lanes: LaneSnapshot[];
}

export function fractionDone(p: Pick<ProgressSnapshot, 'bytesDone' | 'bytesFound' | 'scanDone'>): number {
  if (p.bytesFound === 0) return p.scanDone ? 1 : 0;
  return Math.min(1, p.bytesDone / p.bytesFound);
}

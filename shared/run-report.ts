/** A run's totals and its JSON report (the CLI's --json, the app's "Export JSON"). */
import type { AnalysisKind } from './analysis-options';
import { addLineStats, emptyLineStats, type FileSummary, type LineStats } from './file-result';
import type { KeyCount } from './key-count';

export interface RunTotals extends LineStats {
  files: number;
  ok: number;
  partial: number;
  failed: number;
  skipped: number;
  bytes: number;
}

export function emptyTotals(): RunTotals {
  return { files: 0, ok: 0, partial: 0, failed: 0, skipped: 0, bytes: 0, ...emptyLineStats() };
}

export function addFileToTotals(totals: RunTotals, file: FileSummary): void {
  totals.files++;
  totals[file.status]++;
  totals.bytes += file.bytes;
  addLineStats(totals, file);
}

export type JsonReportFile = Pick<
  FileSummary,
  'path' | 'status' | 'error' | 'lines' | 'parsed' | 'malformed' | 'excluded' | 'counted' | 'longLines' | 'bytes' | 'ms' | 'worker'
>;

export interface JsonReport {
  analysis: AnalysisKind;
  prefix?: string;
  top: KeyCount[];
  distinct: number;
  totals: RunTotals;
  files: JsonReportFile[];
  workers: number;
  executor: string;
  elapsedMs: number;
  /** Stopped before the end (Ctrl-C): files not finished are listed as skipped. */
  interrupted?: true;
}

export function reportFile(f: FileSummary): JsonReportFile {
  return {
    path: f.path,
    status: f.status,
    ...(f.error !== undefined ? { error: f.error } : {}),
    lines: f.lines,
    parsed: f.parsed,
    malformed: f.malformed,
    excluded: f.excluded,
    counted: f.counted,
    longLines: f.longLines,
    bytes: f.bytes,
    ms: f.ms,
    worker: f.worker,
  };
}

/** A run's totals and its JSON report (the CLI's --json, the app's "Export JSON"). */
import { addLineStats, emptyLineStats, type FileSummary, type LineStats } from './file-result';
import type { QueryFilters } from './filters';
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

/** One panel in the report: its first keys, and its accounting. */
export interface JsonReportPanel {
  top: KeyCount[];
  distinct: number;
  /** Lines counted in the panel, and the sum of their sizes. */
  counted: number;
  bytes: number;
  /** Lines that passed the filters and that the panel's exclusion lists excluded (0 for panels without lists). */
  excluded: number;
}

export interface JsonReportTotals {
  files: number;
  ok: number;
  partial: number;
  failed: number;
  skipped: number;
  lines: number;
  parsed: number;
  malformed: number;
  filtered: number;
  /** Bytes read from disk (compressed, for compressed files). */
  bytes: number;
  /** Lines longer than the line limit (within malformed). */
  longLines: number;
}

export type JsonReportFile = Pick<FileSummary, 'path' | 'status' | 'error' | 'lines' | 'parsed' | 'malformed' | 'filtered' | 'bytes' | 'ms' | 'worker' | 'compression' | 'formats' | 'cache' | 'parts'>;

export interface JsonReport {
  /** In the order asked for. */
  panels: Record<string, JsonReportPanel>;
  /** The filters as given (absent: none). */
  filters?: QueryFilters;
  totals: JsonReportTotals;
  /** Parsed lines of the whole run by the format that read them. */
  formats: Record<string, number>;
  files: JsonReportFile[];
  workers: number;
  executor: string;
  elapsedMs: number;
  /** Stopped before the end (Ctrl-C): files not finished are listed as skipped. */
  interrupted?: true;
  /**
   * A slice of a run (`--shard K/N`), to be merged with the others (`logpool merge`): its panels
   * hold every key, and the query says what was counted.
   */
  partial?: { shard: { index: number; count: number }; query: unknown; version: string };
  /** With the result cache: files whose result came from it whole (`hits`) or continued from their old end (`appended`). */
  cache?: { hits: number; appended: number };
}

export function reportTotals(t: RunTotals): JsonReportTotals {
  return {
    files: t.files,
    ok: t.ok,
    partial: t.partial,
    failed: t.failed,
    skipped: t.skipped,
    lines: t.lines,
    parsed: t.parsed,
    malformed: t.malformed,
    filtered: t.filtered,
    bytes: t.bytes,
    longLines: t.longLines,
  };
}

export function reportFile(f: FileSummary): JsonReportFile {
  return {
    path: f.path,
    status: f.status,
    ...(f.error !== undefined ? { error: f.error } : {}),
    lines: f.lines,
    parsed: f.parsed,
    malformed: f.malformed,
    filtered: f.filtered,
    bytes: f.bytes,
    ms: f.ms,
    worker: f.worker,
    compression: f.compression,
    formats: f.formats,
    ...(f.cache !== undefined ? { cache: f.cache } : {}),
    ...(f.parts !== undefined ? { parts: f.parts } : {}),
  };
}

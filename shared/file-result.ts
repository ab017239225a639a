/** What one file yields: its status, its line accounting and (for the merge) its counts. */

export const FILE_STATUSES = ['ok', 'partial', 'failed', 'skipped'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

/** Line accounting of one file (or of a whole run, summed). malformed = lines - parsed. */
export interface LineStats {
  lines: number;
  parsed: number;
  malformed: number;
  /** Parsed lines dropped by the exclusion lists (book-paths; robots-hosts applies none). */
  excluded: number;
  /** Sum of the counts this file added. */
  counted: number;
  /** Lines longer than the line limit: not parsed, included in malformed. */
  longLines: number;
}

export interface FileSummary extends LineStats {
  path: string;
  status: FileStatus;
  /** Why the file is partial, failed or skipped. */
  error?: string;
  /** Bytes read from disk (compressed size for gzip). */
  bytes: number;
  ms: number;
  /** Worker slot (1-based) that read the file; 0 when no worker touched it. */
  worker: number;
  gzip: boolean;
}

/** A per-file Counter in a form that crosses process boundaries cheaply. */
export interface KeyCounts {
  keys: string[];
  counts: number[];
}

export interface FileResult extends FileSummary {
  counts: KeyCounts;
}

export function emptyLineStats(): LineStats {
  return { lines: 0, parsed: 0, malformed: 0, excluded: 0, counted: 0, longLines: 0 };
}

export function addLineStats(into: LineStats, from: LineStats): void {
  into.lines += from.lines;
  into.parsed += from.parsed;
  into.malformed += from.malformed;
  into.excluded += from.excluded;
  into.counted += from.counted;
  into.longLines += from.longLines;
}

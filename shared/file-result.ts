/** What one file yields: its status, its line accounting and (for the merge) each panel's counts. */

/** How a file's bytes were stored: as text, or compressed (analysis-semantics.md §1, §12.6). */
export const COMPRESSIONS = ['none', 'gzip', 'bzip2', 'xz', 'zstd'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

export const FILE_STATUSES = ['ok', 'partial', 'failed', 'skipped'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

/** Line accounting of one file (or of a whole run, summed). malformed = lines - parsed. */
export interface LineStats {
  lines: number;
  parsed: number;
  malformed: number;
  /** Parsed lines that failed a filter (counted in no panel). */
  filtered: number;
  /** Lines that passed the filters and that the exclusion lists excluded (0 when no panel uses the lists). */
  excluded: number;
  /** Lines longer than the line limit: not parsed, included in malformed. */
  longLines: number;
}

export interface FileSummary extends LineStats {
  path: string;
  status: FileStatus;
  /** Why the file is partial, failed or skipped. */
  error?: string;
  /** Bytes read from disk (the compressed size for a compressed file). */
  bytes: number;
  ms: number;
  /** Worker slot (1-based) that read the file; 0 when no worker touched it. */
  worker: number;
  compression: Compression;
  /** Parsed lines by the format that read them (json-caddy, combined, user-1, ...; none with 0). */
  formats: Record<string, number>;
  /** Read in this many parts, by several workers at once (a large plain file); `worker` read the first. */
  parts?: number;
  /** The result came from the cache: whole ('hit'), or the lines added since read and added to it ('appended'). */
  cache?: 'hit' | 'appended';
  /** The first non-empty malformed line (at most MALFORMED_SAMPLE_BYTES, as UTF-8), for the hint that another format may be needed. */
  firstMalformed?: string;
}

/** How much of the first malformed line a file's result carries. */
export const MALFORMED_SAMPLE_BYTES = 300;

/**
 * One panel's Counter for one file (or job, or part), packed to cross process boundaries as
 * bytes: structured clone copies typed arrays once, where a million keys as strings were a
 * million objects on each side (shared/key-totals.ts reads and writes it).
 */
export interface PanelCounts {
  /** Every key's UTF-8 bytes (valid UTF-8), one after another. */
  keyBytes: Uint8Array;
  /** Where each key ends in keyBytes: key i is keyBytes[keyEnds[i - 1] (0 for the first), keyEnds[i]). */
  keyEnds: Uint32Array;
  counts: Float64Array;
  /** The sum of the sizes of each key's lines. */
  bytes: Float64Array;
}

export interface FileResult extends FileSummary {
  /** In the order of the query's panels. */
  panels: PanelCounts[];
}

/** A file with nothing counted (yet): found and not read, or about to be. */
export function emptyFileSummary(path: string, status: FileStatus = 'ok', error?: string): FileSummary {
  return { path, status, ...(error !== undefined ? { error } : {}), ...emptyLineStats(), bytes: 0, ms: 0, worker: 0, compression: 'none', formats: {} };
}

export function emptyLineStats(): LineStats {
  return { lines: 0, parsed: 0, malformed: 0, filtered: 0, excluded: 0, longLines: 0 };
}

export function addLineStats(into: LineStats, from: LineStats): void {
  into.lines += from.lines;
  into.parsed += from.parsed;
  into.malformed += from.malformed;
  into.filtered += from.filtered;
  into.excluded += from.excluded;
  into.longLines += from.longLines;
}

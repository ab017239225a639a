/**
 * A large plain file read by several workers at once: cut into byte ranges at line ends (so that
 * every line lies in exactly one part, whole), and the parts' results added back into the file's
 * one result, as if one worker had read it from start to end.
 */
import { open } from 'node:fs/promises';
import type { FilePart } from '../../shared/worker-protocol';
import type { FileStatus, PanelCounts } from '../../shared/file-result';
import { countsSize, KeyTotals } from '../../shared/key-totals';
import { Slices } from './sort-in-slices';
import { MERGE_STEP } from './panel-tally';
import { addFormatCounts } from '../../shared/line-formats';
import { sniffKind } from './sniff-kind';
import type { CachedResult } from './result-cache';

/** A plain file larger than this is read in parts (when there is more than one worker). */
export const DEFAULT_SPLIT_BYTES = 64 * 2 ** 20;

/**
 * Parts per worker: more parts than workers keep every worker busy to the end (a part read
 * slowly is not the last one alone) at the cost of one more merge of the keys per part.
 */
const PARTS_PER_WORKER = 4;

/** How far past a cut its line's end is looked for at a time. */
const WINDOW = 64 * 1024;

export interface PartRange extends FilePart {
  from: number;
  /** Undefined for the last part: it reads to the file's end, as a whole file would. */
  to?: number;
}

/**
 * The parts of `name` from byte `from` (a line's start) on, when it is plain text and its `size`
 * minus `from` is over `splitBytes`; undefined when it is to be read whole. Each cut is put just
 * after the first '\n' at or after the even share's end; a cut that finds no line end before the
 * next share's end is dropped (the part grows: a line is never cut).
 */
export async function planParts(name: string | Buffer, from: number, size: number, workers: number, splitBytes: number): Promise<PartRange[] | undefined> {
  const length = size - from;
  if (workers < 2 || splitBytes <= 0 || length <= splitBytes) return undefined;
  const count = Math.min(workers * PARTS_PER_WORKER, Math.ceil(length / (splitBytes / 2)));
  const share = Math.ceil(length / count);
  const handle = await open(name, 'r');
  try {
    if ((await sniffKind(handle)).read !== 'none') return undefined;
    const cuts = [from];
    const window = Buffer.alloc(WINDOW);
    for (let k = 1; k < count; k++) {
      const at = from + k * share;
      const limit = Math.min(size, at + share);
      // the byte before the share's end: if it is '\n', the cut is the share's end itself
      let pos = Math.max(at - 1, cuts[cuts.length - 1]!);
      let cut: number | undefined;
      while (cut === undefined && pos < limit) {
        const { bytesRead: got } = await handle.read(window, 0, Math.min(WINDOW, limit - pos), pos);
        if (got === 0) break;
        const nl = window.subarray(0, got).indexOf(10);
        if (nl >= 0) cut = pos + nl + 1;
        pos += got;
      }
      if (cut !== undefined && cut < size && cut > cuts[cuts.length - 1]!) cuts.push(cut);
    }
    if (cuts.length < 2) return undefined;
    return cuts.map((start, i) => ({ index: i + 1, count: cuts.length, from: start, ...(i + 1 < cuts.length ? { to: cuts[i + 1]! } : {}) }));
  } finally {
    await handle.close();
  }
}

/** The worst of the parts' statuses: failed only when every part failed, partial when any was not ok. */
function combinedStatus(statuses: readonly FileStatus[]): FileStatus {
  if (statuses.every((s) => s === 'ok')) return 'ok';
  if (statuses.every((s) => s === 'failed')) return 'failed';
  return 'partial';
}

/**
 * Results of consecutive stretches of one file, in the file's order, as one result: the Counter
 * merge of every panel and the sums of the line accounting, the bytes and the time.
 */
export async function combineResults(parts: readonly CachedResult[]): Promise<CachedResult> {
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  // in slices: it runs on the app's event loop, and the parts of a file of a million keys are
  // millions of keys to add
  const slices = new Slices();
  const panels: PanelCounts[] = [];
  for (let i = 0; i < first.panels.length; i++) {
    const merged = new KeyTotals();
    // the first part's keys are distinct: room for them at once
    merged.reserve(countsSize(first.panels[i]!));
    for (const part of parts) {
      const counts = part.panels[i]!;
      const n = countsSize(counts);
      for (let from = 0; from < n; from += MERGE_STEP) {
        merged.addCountsRange(counts, from, Math.min(n, from + MERGE_STEP));
        await slices.turn();
      }
    }
    panels.push(merged.toCounts());
  }
  const formats: Record<string, number> = {};
  for (const part of parts) addFormatCounts(formats, part.formats);
  const firstMalformed = parts.find((p) => p.firstMalformed !== undefined)?.firstMalformed;
  const errors = parts.filter((p) => p.error !== undefined).map((p) => p.error!);
  const sum = (field: 'lines' | 'parsed' | 'malformed' | 'filtered' | 'excluded' | 'longLines' | 'bytes' | 'ms'): number =>
    parts.reduce((n, p) => n + p[field], 0);
  return {
    path: last.path,
    status: combinedStatus(parts.map((p) => p.status)),
    ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
    lines: sum('lines'),
    parsed: sum('parsed'),
    malformed: sum('malformed'),
    filtered: sum('filtered'),
    excluded: sum('excluded'),
    longLines: sum('longLines'),
    bytes: sum('bytes'),
    ms: Math.round(sum('ms') * 10) / 10,
    compression: first.compression,
    formats,
    ...(firstMalformed !== undefined ? { firstMalformed } : {}),
    panels,
  };
}

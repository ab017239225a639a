/**
 * A large plain file read by several workers at once: cut into byte ranges at line ends (so that
 * every line lies in exactly one part, whole), and the parts' results added back into the file's
 * one result, as if one worker had read it from start to end.
 */
import { open } from 'node:fs/promises';
import type { FilePart } from '../../shared/worker-protocol';
import type { FileStatus } from '../../shared/file-result';
import { Slices } from './sort-in-slices';
import { mergeFileYielding, newTallies, type PanelTally } from './panel-tally';
import type { PanelName } from '../../shared/panels';
import { addFormatCounts } from '../../shared/line-formats';
import { sniffKind } from './sniff-kind';
import type { CachedResult } from './result-cache';

/** A plain file larger than this is read in parts (when there is more than one worker). */
export const DEFAULT_SPLIT_BYTES = 64 * 2 ** 20;

/**
 * The parts shrink toward the file's end (guided self-scheduling): each round of `workers` parts
 * takes half of what is left, down to parts of splitBytes / MIN_PART_DIVISOR. The first parts are
 * large, so there are few parts to send back and merge; the last are small, so that no worker
 * idles for long while another finishes a large last part. With 8 equal parts of a 1 GB file on
 * 2 workers, one worker sat idle for the last ~95 ms of 660-770 ms runs (traced by hand).
 */
const MIN_PART_DIVISOR = 8;

/**
 * Where the parts of `length` bytes from `from` should end (before the cut is moved to a line's
 * end), the last part's end (the file's) not included.
 */
export function partTargets(from: number, length: number, workers: number, minPart: number): number[] {
  const targets: number[] = [];
  const end = from + length;
  let at = from;
  let part = Math.max(minPart, Math.ceil(length / (2 * workers)));
  for (;;) {
    for (let k = 0; k < workers; k++) {
      // a last part shorter than the least is not cut off: the one before it grows
      if (end - (at + part) < minPart) return targets;
      at += part;
      targets.push(at);
    }
    part = Math.max(minPart, Math.ceil(part / 2));
  }
}

/** How far past a cut its line's end is looked for at a time. */
const WINDOW = 64 * 1024;

export interface PartRange extends FilePart {
  from: number;
  /** Undefined for the last part: it reads to the file's end, as a whole file would. */
  to?: number;
}

/**
 * The parts of `name` from byte `from` (a line's start) on, when it is plain text and its `size`
 * minus `from` is over `splitBytes`; undefined when it is to be read whole. The parts end at
 * partTargets' targets, moved to line ends (lineCuts).
 */
export async function planParts(name: string | Buffer, from: number, size: number, workers: number, splitBytes: number): Promise<PartRange[] | undefined> {
  const length = size - from;
  if (workers < 2 || splitBytes <= 0 || length <= splitBytes) return undefined;
  const cuts = await lineCuts(name, from, size, partTargets(from, length, workers, Math.max(1, Math.floor(splitBytes / MIN_PART_DIVISOR))));
  if (cuts === undefined || cuts.length < 2) return undefined;
  return cuts.map((start, i) => ({ index: i + 1, count: cuts.length, from: start, ...(i + 1 < cuts.length ? { to: cuts[i + 1]! } : {}) }));
}

/**
 * Where ranges of `name` from `from` to `size` begin, cut at line ends near `targets` (ascending):
 * `from`, then for each target the byte just after the first '\n' at or after it; a cut that
 * finds no line end before the next target is dropped (the range grows: a line is never cut).
 * Undefined when the file is not plain text.
 */
export async function lineCuts(name: string | Buffer, from: number, size: number, targets: readonly number[]): Promise<number[] | undefined> {
  const handle = await open(name, 'r');
  try {
    if ((await sniffKind(handle)).read !== 'none') return undefined;
    const cuts = [from];
    const window = Buffer.alloc(WINDOW);
    for (let k = 0; k < targets.length; k++) {
      const at = targets[k]!;
      const limit = Math.min(size, targets[k + 1] ?? size);
      // the byte before the target: if it is '\n', the cut is the target itself
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
    return cuts;
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

/** What a part's result says besides its counts. */
type PartSummary = Omit<CachedResult, 'panels'>;

/**
 * The results of consecutive stretches of one file (its parts, or a cached result and what was
 * appended after it), added up into the file's one result as if one worker had read it from start
 * to end: the Counter merge of every panel and the sums of the line accounting, the bytes and the
 * time. Each part's counts are merged as it comes, in whatever order the parts finish: the file
 * holds one table a panel while it is read, not one a part, and nothing of it is in the run's
 * panels until every part is in (a run stopped half way through the file did not count it).
 */
export class FileParts {
  private readonly summaries: Array<PartSummary | undefined>;
  // the run's own kind of tables: the run's merge code, warm by the time the file is merged
  // into the run's (cold, it took 18-21 ms for a file of 36,000 keys, against 5-9 ms)
  private readonly totals: PanelTally[];
  private missing: number;
  // in slices: it runs on the app's event loop, and a part of a file of a million keys is a
  // million keys to add
  private readonly slices = new Slices();

  constructor(count: number, panels: readonly PanelName[]) {
    this.totals = newTallies(panels);
    this.summaries = new Array<PartSummary | undefined>(count).fill(undefined);
    this.missing = count;
  }

  /** Whether every part is in. */
  get complete(): boolean {
    return this.missing === 0;
  }

  /** Add part `index` (from 1) of the file. */
  async add(index: number, part: CachedResult): Promise<void> {
    if (index < 1 || index > this.summaries.length || this.summaries[index - 1] !== undefined) throw new Error(`part ${index} of ${this.summaries.length} added twice, or no such part`);
    const { panels, ...summary } = part;
    this.summaries[index - 1] = summary;
    this.missing--;
    await mergeFileYielding(this.totals, panels, this.slices);
  }

  /** The file's result, once every part is in. */
  result(): CachedResult {
    if (!this.complete) throw new Error(`${this.missing} of the file's ${this.summaries.length} parts are not in yet`);
    const parts = this.summaries as PartSummary[];
    const first = parts[0]!;
    const last = parts[parts.length - 1]!;
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
      ...(first.readFrom !== undefined ? { readFrom: first.readFrom } : {}),
      panels: this.totals.map((t) => t.toCounts()),
    };
  }
}

/** Results of consecutive stretches of one file, in the file's order, as one result (FileParts). */
export async function combineResults(parts: readonly CachedResult[], panels: readonly PanelName[]): Promise<CachedResult> {
  const file = new FileParts(parts.length, panels);
  for (let i = 0; i < parts.length; i++) await file.add(i + 1, parts[i]!);
  return file.result();
}

/**
 * Follow mode: after a first run over the inputs (read with `toLineEnd`, so that every plain file
 * was read to the end of its last complete line), keep counting what is added to them until told
 * to stop: lines appended to plain files, plain files that appear, a file rotated by rename
 * (followed by its device and inode under its new name, while a new file takes the old name),
 * a file truncated in place (copytruncate: read again from its start, as new lines). The run's
 * result (panels, files, totals) grows in place, so that it ends as any run's does.
 *
 * A compressed file that appears while following is taken for a rotated copy of lines already
 * counted (logrotate's compress step) and listed as skipped with that reason, never read. A line
 * still being written is counted once it ends. Told to stop, it looks once more: every line ended
 * before then is counted. Memory: one entry per file, and the panels' keys.
 */
import { addFileToTotals } from '../../shared/run-report';
import { addLineStats, emptyFileSummary, type FileSummary } from '../../shared/file-result';
import { addFormatCounts } from '../../shared/line-formats';
import { setTimeout as delay } from 'node:timers/promises';
import type { AnalyzeJob, AnalyzeJobResult, AnalyzeTask } from '../../shared/worker-protocol';
import { analyzeJob } from '../worker/analyze-file';
import type { RunRequest, RunResult } from './run-analysis';
import { fileId, scan } from './scan';
import { mergeFile } from './panel-tally';
import { promises as fsp } from 'node:fs';
import { readRangeOf } from './read-range';
import { sniffKindOf } from './sniff-kind';

export interface FollowOptions {
  signal: AbortSignal;
  /** The least time between two looks at the inputs (default 500 ms). */
  intervalMs?: number;
  /** Files changed by a look (read on, appeared, or no longer followed): the caller redraws, at most as often as it likes. */
  onChange?: (changed: readonly FileSummary[], stats: Readonly<FollowStats>) => void;
  /** How a look's files are read (default: here, one after another; they are the lines added since the last look). */
  read?: (job: AnalyzeJob) => Promise<AnalyzeJobResult>;
}

export interface FollowStats {
  /** Looks at the inputs. */
  looks: number;
  /** Lines counted after the first run. */
  lines: number;
  /** Files that appeared after the first run. */
  appeared: number;
}

interface Followed {
  summary: FileSummary;
  /** Its device and inode (scan's id): what a name must still be to be read as this file. */
  id: string;
  /** Where the next read begins (after the last complete line read); undefined: not followed (compressed, or broken). */
  offset: number | undefined;
  /** The last bytes before `offset` when it was reached: the same file grows only if they are still there. */
  tail?: Buffer;
}

/** How many bytes before where a file was followed to must be unchanged for it to be read on from there. */
const TAIL_BYTES = 256;

/**
 * The TAIL_BYTES before `offset` of the file named, when that name is still the file `id` (scan's
 * fileId); undefined when it is another's by now (the file was renamed since it was looked
 * at, as logrotate does at any moment). A tail read under the old name of a file rotated a
 * moment before would be the new file's, and the rotated one, read on, would seem rewritten and
 * be counted again from its start. Empty when it cannot be read: the read that follows says why.
 */
async function tailOf(name: string | Buffer, offset: number, id: string): Promise<Buffer | undefined> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(name, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const st = await handle.stat();
    if (fileId(st) !== id) return undefined;
    return await readRangeOf(handle, Math.max(0, offset - TAIL_BYTES), offset);
  } catch {
    return Buffer.alloc(0);
  } finally {
    await handle.close();
  }
}

const DEFAULT_INTERVAL_MS = 500;

export async function follow(request: RunRequest, run: RunResult, options: FollowOptions): Promise<FollowStats> {
  const stats: FollowStats = { looks: 0, lines: 0, appeared: 0 };
  const byPath = new Map(run.files.map((f) => [f.path, f]));
  const followed = new Map<string, Followed>();
  const read = options.read ?? ((job: AnalyzeJob) => analyzeJob(job, { report: () => undefined, setup: request.query }));
  const interval = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  let first = true;

  // told to stop: one last look, so that every line ended before then is counted
  for (let last = false; !last; ) {
    last = options.signal.aborted;
    const started = performance.now();
    const tasks: Array<{ task: AnalyzeTask; file: Followed }> = [];
    const changed = new Set<FileSummary>();
    for await (const entry of scan(request.roots, { patterns: request.patterns })) {
      if (entry.kind !== 'file') continue;
      let file = followed.get(entry.id);
      if (file === undefined && first) {
        // what the first run read: plain files to their last line end (bytes read from the start)
        const summary = byPath.get(entry.path);
        if (summary !== undefined) {
          file = { summary, id: entry.id, offset: summary.compression === 'none' && summary.status === 'ok' ? summary.bytes : undefined };
          followed.set(entry.id, file);
        }
      }
      if (file === undefined) {
        // appeared since
        const summary = emptyFileSummary(entry.path);
        file = { summary, id: entry.id, offset: 0 };
        followed.set(entry.id, file);
        run.files.push(summary);
        addFileToTotals(run.totals, summary);
        stats.appeared++;
        changed.add(summary);
        const kind = first ? undefined : await sniffKindOf(entry.rawPath ?? entry.path);
        if (kind !== undefined && kind.read !== 'none') {
          summary.compression = kind.read === 'unreadable' ? 'none' : kind.read;
          setStatus(run, summary, 'skipped', kind.read === 'unreadable' ? 'appeared while following, not a log it can read: not read' : 'appeared while following, compressed: taken for a rotated copy of lines already counted, not read');
          file.offset = undefined;
        }
      }
      // its name now (a rotated file keeps its device and inode)
      if (file.summary.path !== entry.path) {
        file.summary.path = entry.path;
        changed.add(file.summary);
      }
      if (file.offset === undefined) continue;
      const name = entry.rawPath ?? entry.path;
      // truncated or rewritten in place (or its inode given to another file): what is there now is new
      if (entry.size < file.offset) file.offset = 0;
      else if (file.tail === undefined || entry.size > file.offset) {
        const tail = await tailOf(name, file.offset, file.id);
        // renamed since the scan: looked at again under its new name
        if (tail === undefined) continue;
        // no tail yet (the first look, or the last was taken under a name no longer its): what to compare with from now on
        if (file.tail === undefined) file.tail = tail;
        else if (!tail.equals(file.tail)) file.offset = 0;
      }
      if (entry.size > file.offset) {
        tasks.push({ task: { path: entry.path, ...(entry.rawPath ? { rawPath: entry.rawPath } : {}), size: entry.size - file.offset, from: file.offset, toLineEnd: true }, file });
      }
    }
    first = false;
    if (tasks.length > 0) {
      const done = await read({ files: tasks.map((t) => t.task), combine: true });
      if (done.panels) mergeFile(run.panels, done.panels);
      let counted = 0;
      const tails: Followed[] = [];
      const nameOf = new Map(tasks.map(({ task, file }) => [file, task.rawPath ? Buffer.from(task.rawPath) : task.path]));
      done.files.forEach((result, i) => {
        const { file, task } = tasks[i]!;
        changed.add(file.summary);
        counted += result.lines;
        addLineStats(file.summary, result);
        addLineStats(run.totals, result);
        file.summary.bytes += result.bytes;
        run.totals.bytes += result.bytes;
        addFormatCounts(file.summary.formats, result.formats);
        file.summary.firstMalformed ??= result.firstMalformed;
        file.summary.compression = result.compression;
        if (result.status === 'ok' && result.compression === 'none') {
          file.offset = (task.from ?? 0) + result.bytes;
          tails.push(file);
        }
        else if (result.status === 'ok' && (task.from ?? 0) === 0) file.offset = undefined; // compressed, read whole: not followed
        else {
          // it broke, or is no longer plain text: what was read stands, and it is followed no more
          setStatus(run, file.summary, result.status === 'ok' ? 'partial' : result.status, result.error ?? `no longer plain text (${result.compression}): not followed`);
          file.offset = undefined;
        }
      });
      // what was just read ends there: the next look reads on only if it is still there
      // (under the name it was read by; renamed since, it has no tail until the next look finds it)
      for (const file of tails) file.tail = await tailOf(nameOf.get(file)!, file.offset!, file.id);
      stats.lines += counted;
    }
    stats.looks++;
    if (changed.size > 0) options.onChange?.([...changed], stats);
    // a look at a large folder costs: never spend more than a fifth of the time looking
    const spent = performance.now() - started;
    if (!last) await sleep(Math.max(interval - spent, spent * 4), options.signal);
  }
  return stats;
}

function setStatus(run: RunResult, summary: FileSummary, status: FileSummary['status'], error: string): void {
  run.totals[summary.status]--;
  run.totals[status]++;
  summary.status = status;
  summary.error = error;
}

/** Wait `ms`, or less when told to stop. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}

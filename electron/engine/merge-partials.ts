/**
 * `logpool merge`: the partial results of the N `--shard K/N` runs of one query, combined into the
 * result of one run over everything. Each partial holds every key of every panel, so the merge is
 * the Counter merge of the panels, and sums of the totals and formats; its files are the union.
 * Partials of another query or version, a slice given twice or missing, or a file that is not a
 * partial are refused with the reason: a merge is exact or it is not made (nothing is written
 * until every partial has been read and checked).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { addLineStats, type FileSummary } from '../../shared/file-result';
import type { JsonReport } from '../../shared/run-report';
import { emptyTotals } from '../../shared/run-report';
import { isPanelName } from '../../shared/panels';
import { derivedPanels, type Query } from '../../shared/query';
import { canonicalJson } from '../../shared/canonical-json';
import { mergeTables, runTallies } from './panel-tally';
import { KeyTotals } from '../../shared/key-totals';
import type { KeyCount } from '../../shared/key-count';
import { parseJsonStream, type ElementTaker, type ReadMore } from './json-bytes';
import type { RunResult } from './run-analysis';
import { describeFsError } from './fs-errors';

export class MergeError extends Error {}

interface SlicePartial {
  file: string;
  /** The report, each panel's `top` left empty: its keys are in `tables`. */
  report: JsonReport & { partial: NonNullable<JsonReport['partial']> };
  /** Each panel's keys; none for a panel only counted (`countOnly`). */
  tables: ReadonlyMap<string, KeyTotals>;
}

/**
 * A partial, its keys read into compact tables as they are parsed, the file a window at a time
 * (a partial of millions of keys is hundreds of MB, larger than any JavaScript string: it is read
 * as bytes, never as text, nor as an object a key, nor whole).
 */
function readPartial(file: string, countOnly: ReadonlySet<string> = new Set()): SlicePartial {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new MergeError(`cannot read ${file}: ${describeFsError(e)}`);
  }
  try {
    return readOpenPartial(file, countOnly, (into) => {
      try {
        return readSync(fd, into, 0, into.length, null);
      } catch (e) {
        throw new MergeError(`cannot read ${file}: ${describeFsError(e)}`);
      }
    });
  } finally {
    closeSync(fd);
  }
}

/**
 * A partial read; the panels in `countOnly` (those the merge reads off another panel) have their
 * keys checked and counted, not put in a table only to be dropped.
 */
function readOpenPartial(file: string, countOnly: ReadonlySet<string>, readMore: ReadMore): SlicePartial {
  const tables = new Map<string, KeyTotals>();
  const counted = new Map<string, { keys: number }>();
  let report: JsonReport;
  try {
    report = parseJsonStream(readMore, (at) => {
      if (at.length !== 3 || at[0] !== 'panels' || at[2] !== 'top' || typeof at[1] !== 'string') return undefined;
      const name = at[1];
      const table = countOnly.has(name) ? undefined : new KeyTotals();
      if (table) tables.set(name, table);
      const seen = { keys: 0 };
      counted.set(name, seen);
      const add = (): void => {
        seen.keys++;
      };
      const take: ElementTaker = (element) => {
        const k = element as Partial<KeyCount> | null;
        if (typeof k?.key !== 'string' || typeof k.count !== 'number' || typeof k.bytes !== 'number') throw new MergeError(`${file}: a key of panel ${name} is not {key, count, bytes}`);
        if (table) table.add(k.key, k.count, k.bytes);
        else add();
      };
      // as written by a report (the same key as the string would be: addBytes makes it valid UTF-8)
      take.keyCount = table ? (b, s, e, count, bytes) => table.addBytes(b, s, e, count, bytes) : add;
      return take;
    }) as JsonReport;
  } catch (e) {
    if (e instanceof MergeError) throw e;
    throw new MergeError(`${file} is not JSON (${(e as Error).message}): give the --json of a --shard run`);
  }
  const p = report?.partial;
  if (!p || typeof p !== 'object' || !p.shard || !Number.isInteger(p.shard.index) || !Number.isInteger(p.shard.count) || typeof report.panels !== 'object' || !report.totals) {
    throw new MergeError(`${file} is not a partial result (the --json of an analyze --shard K/N run)`);
  }
  for (const [name, panel] of Object.entries(report.panels)) {
    if (!isPanelName(name) || (tables.get(name)?.distinct ?? counted.get(name)?.keys) !== panel.distinct) throw new MergeError(`${file}: panel ${name} does not hold every key`);
  }
  return { file, report: report as SlicePartial['report'], tables };
}

/** That a partial is a slice of the same run as the first, and a slice not seen before. */
function checkSlice(first: SlicePartial, { file, report }: SlicePartial, seen: Map<number, string>): void {
  const f = first.report.partial;
  const p = report.partial;
  if (p.shard.count !== f.shard.count) throw new MergeError(`${file} is slice ${p.shard.index}/${p.shard.count}, ${first.file} of ${f.shard.count}: they are not slices of one run`);
  if (canonicalJson(p.query) !== canonicalJson(f.query)) throw new MergeError(`${file} counted another query (panels, filters or rules) than ${first.file}`);
  if (p.version !== f.version) throw new MergeError(`${file} was made by logpool ${p.version}, ${first.file} by ${f.version}`);
  if (report.interrupted) throw new MergeError(`${file} is of a run that was interrupted: run slice ${p.shard.index}/${p.shard.count} again`);
  const twice = seen.get(p.shard.index);
  if (twice !== undefined) throw new MergeError(`slice ${p.shard.index}/${p.shard.count} is given twice (${twice} and ${file})`);
  seen.set(p.shard.index, file);
}

/** That every slice of the run was given. */
function checkAllSlices(first: SlicePartial, seen: Map<number, string>): void {
  const { count } = first.report.partial.shard;
  const missing: number[] = [];
  for (let k = 1; k <= count; k++) if (!seen.has(k)) missing.push(k);
  if (missing.length > 0) {
    const shown = missing.length > 10 ? `${missing.slice(0, 10).join(', ')}, …` : missing.join(', ');
    throw new MergeError(`slices missing: ${shown} of ${count} (a merge without them would not be the whole run)`);
  }
}

/** The partials in these files merged, read one at a time (only the merge is held, and one partial). */
export async function mergePartials(partialFiles: readonly string[]): Promise<RunResult> {
  if (partialFiles.length === 0) throw new MergeError('no partial result given');
  const first = readPartial(partialFiles[0]!);
  const query = first.report.partial.query as Query;
  const tallies = runTallies(query);
  // known from the first partial's query on: the slices after it must have counted the same
  const readOff = derivedPanels(query);
  const seen = new Map<number, string>();
  const totals = emptyTotals();
  const files: FileSummary[] = [];
  let workers = 0;
  let elapsedMs = 0;
  for (let i = 0; i < partialFiles.length; i++) {
    const partial = i === 0 ? first : readPartial(partialFiles[i]!, readOff);
    checkSlice(first, partial, seen);
    const { file, report, tables } = partial;
    mergeTables(
      tallies,
      tallies.map((tally) => {
        if (!Object.hasOwn(report.panels, tally.name)) throw new MergeError(`${file} has no panel ${tally.name}`);
        // a panel read off another has none from the second slice on (and is not merged: its source's merge counts it)
        return tables.get(tally.name) ?? new KeyTotals();
      }),
    );
    const t = report.totals;
    totals.files += t.files;
    totals.ok += t.ok;
    totals.partial += t.partial;
    totals.failed += t.failed;
    totals.skipped += t.skipped;
    totals.bytes += t.bytes;
    // the lines the exclusion lists excluded: every panel that uses them reports the run's number
    addLineStats(totals, { ...t, excluded: Math.max(0, ...Object.values(report.panels).map((p) => p.excluded)) });
    for (const f of report.files) files.push({ excluded: 0, longLines: 0, ...f });
    workers = Math.max(workers, report.workers);
    elapsedMs = Math.max(elapsedMs, report.elapsedMs);
  }
  checkAllSlices(first, seen);
  // the counted lines and bytes of each panel are the sums of the keys' (Counter merge)
  return {
    request: { roots: [], query, patterns: [], workers, executor: 'serial', chunksize: 1 },
    panels: tallies,
    files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    totals,
    workers,
    executor: `merged from ${partialFiles.length} ${partialFiles.length === 1 ? 'slice' : 'slices'}`,
    elapsedMs,
    peakWorkerRss: 0,
    interrupted: false,
    unfinished: 0,
  };
}

/**
 * `logpool merge`: the partial results of the N `--shard K/N` runs of one query, combined into the
 * result of one run over everything. Each partial holds every key of every panel, so the merge is
 * the Counter merge of the panels, and sums of the totals and formats; its files are the union.
 * Partials of another query or version, a slice given twice or missing, or a file that is not a
 * partial are refused with the reason: a merge is exact or it is not made.
 */
import { promises as fsp } from 'node:fs';
import { addLineStats, type FileSummary } from '../../shared/file-result';
import type { JsonReport } from '../../shared/run-report';
import { emptyTotals } from '../../shared/run-report';
import { isPanelName } from '../../shared/panels';
import type { Query } from '../../shared/query';
import { canonicalJson } from '../../shared/canonical-json';
import { mergeFile, newTallies } from './panel-tally';
import { packCounts } from '../../shared/key-totals';
import type { RunResult } from './run-analysis';
import { describeFsError } from './fs-errors';

export class MergeError extends Error {}

export interface Partial {
  file: string;
  report: JsonReport & { partial: NonNullable<JsonReport['partial']> };
}

export async function readPartial(file: string): Promise<Partial> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    throw new MergeError(`cannot read ${file}: ${describeFsError(e)}`);
  }
  let report: JsonReport;
  try {
    report = JSON.parse(text) as JsonReport;
  } catch (e) {
    throw new MergeError(`${file} is not JSON (${(e as Error).message}): give the --json of a --shard run`);
  }
  const p = report?.partial;
  if (!p || typeof p !== 'object' || !p.shard || !Number.isInteger(p.shard.index) || !Number.isInteger(p.shard.count) || typeof report.panels !== 'object' || !report.totals) {
    throw new MergeError(`${file} is not a partial result (the --json of an analyze --shard K/N run)`);
  }
  for (const [name, panel] of Object.entries(report.panels)) {
    if (!isPanelName(name) || !Array.isArray(panel.top) || panel.top.length !== panel.distinct) throw new MergeError(`${file}: panel ${name} does not hold every key`);
  }
  return { file, report: report as Partial['report'] };
}

/** Check that the partials are the N slices of one run, each once. */
function checkSet(partials: readonly Partial[]): Query {
  const first = partials[0]!.report.partial;
  const query = canonicalJson(first.query);
  const seen = new Map<number, string>();
  for (const { file, report } of partials) {
    const p = report.partial;
    if (p.shard.count !== first.shard.count) throw new MergeError(`${file} is slice ${p.shard.index}/${p.shard.count}, ${partials[0]!.file} of ${first.shard.count}: they are not slices of one run`);
    if (canonicalJson(p.query) !== query) throw new MergeError(`${file} counted another query (panels, filters or rules) than ${partials[0]!.file}`);
    if (p.version !== first.version) throw new MergeError(`${file} was made by logpool ${p.version}, ${partials[0]!.file} by ${first.version}`);
    if (report.interrupted) throw new MergeError(`${file} is of a run that was interrupted: run slice ${p.shard.index}/${p.shard.count} again`);
    const twice = seen.get(p.shard.index);
    if (twice !== undefined) throw new MergeError(`slice ${p.shard.index}/${p.shard.count} is given twice (${twice} and ${file})`);
    seen.set(p.shard.index, file);
  }
  const missing: number[] = [];
  for (let k = 1; k <= first.shard.count; k++) if (!seen.has(k)) missing.push(k);
  if (missing.length > 0) {
    const shown = missing.length > 10 ? `${missing.slice(0, 10).join(', ')}, …` : missing.join(', ');
    throw new MergeError(`slices missing: ${shown} of ${first.shard.count} (a merge without them would not be the whole run)`);
  }
  return first.query as Query;
}

export function mergePartials(partials: readonly Partial[]): RunResult {
  if (partials.length === 0) throw new MergeError('no partial result given');
  const query = checkSet(partials);
  const tallies = newTallies(query.panels);
  const totals = emptyTotals();
  const files: FileSummary[] = [];
  let workers = 0;
  let elapsedMs = 0;
  for (const { file, report } of partials) {
    const panels = tallies.map((tally) => {
      const panel = report.panels[tally.name];
      if (!panel) throw new MergeError(`${file} has no panel ${tally.name}`);
      return packCounts(panel.top.map((k) => [k.key, k.count, k.bytes] as const));
    });
    mergeFile(tallies, panels);
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
  // the counted lines and bytes of each panel are the sums of the keys' (Counter merge)
  return {
    request: { roots: [], query, patterns: [], workers, executor: 'serial', chunksize: 1 },
    panels: tallies,
    files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    totals,
    workers,
    executor: `merged from ${partials.length} ${partials.length === 1 ? 'slice' : 'slices'}`,
    elapsedMs,
    peakWorkerRss: 0,
    interrupted: false,
    unfinished: 0,
  };
}

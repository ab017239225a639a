/**
 * One run in a process of its own, for its memory: prints {mainRss, workerRss} (peak resident
 * sets in bytes), the lines, the distinct keys and the time of a run of every panel (or of the
 * panels given, comma-separated, after the folder) over a folder. Used by bench.ts.
 */
import { defaultQuery } from '../../shared/query';
import { PANEL_NAMES, type PanelName } from '../../shared/panels';
import { runAnalysis } from '../../electron/engine/run-analysis';
import { availableParallelism } from 'node:os';
// not getrusage's maxRSS: Linux carries it across fork and exec, so this process would start at the bench's peak
import { peakRss } from '../../electron/worker/peak-rss';

async function main(): Promise<void> {
  const dir = process.argv[2]!;
  const panels = process.argv[3] ? (process.argv[3].split(',') as PanelName[]) : PANEL_NAMES;
  const result = await runAnalysis({ roots: [dir], query: defaultQuery(panels), patterns: ['*.gz'], workers: availableParallelism(), executor: 'process', chunksize: 1 });
  // the merge holds every key; the summary a user sees sorts each panel once
  const distinct = result.panels.map((p) => p.top(20).length + p.distinct);
  process.stdout.write(`${JSON.stringify({ mainRss: peakRss(), workerRss: result.peakWorkerRss, lines: result.totals.lines, distinct: distinct.reduce((a, b) => a + b, 0), ms: Math.round(result.elapsedMs) })}\n`);
}

void main();

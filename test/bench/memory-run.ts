/**
 * One run in a process of its own, for its memory: prints {mainRss, workerRss} (peak resident
 * sets in bytes) of `--panels all` over a folder. Used by bench.ts.
 */
import { defaultQuery } from '../../shared/query';
import { PANEL_NAMES } from '../../shared/panels';
import { runAnalysis } from '../../electron/engine/run-analysis';
import { availableParallelism } from 'node:os';

async function main(): Promise<void> {
  const dir = process.argv[2]!;
  const result = await runAnalysis({ roots: [dir], query: defaultQuery(PANEL_NAMES), patterns: ['*.gz'], workers: availableParallelism(), executor: 'process', chunksize: 1 });
  // the merge holds every key; the summary a user sees sorts each panel once
  const distinct = result.panels.map((p) => p.top(20).length + p.distinct);
  process.stdout.write(`${JSON.stringify({ mainRss: process.resourceUsage().maxRSS * 1024, workerRss: result.peakWorkerRss, lines: result.totals.lines, distinct: distinct.reduce((a, b) => a + b, 0) })}\n`);
}

void main();

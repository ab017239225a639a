/**
 * One run in a process of its own, for its memory: prints {mainRss, workerRss} (peak resident
 * sets in bytes), the lines, the distinct keys and the time of a run of every panel (or of the
 * panels given, comma-separated, after the folder; "all" for every one) over a folder. With
 * "json" after them, the JSON report with every key is written too (as --top 0 --json does),
 * and its time and size given. Used by bench.ts.
 */
import { defaultQuery } from '../../shared/query';
import { PANEL_NAMES, type PanelName } from '../../shared/panels';
import { runAnalysis } from '../../electron/engine/run-analysis';
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { reportToWrite, writeJsonReport } from '../../electron/engine/json-report';
// not getrusage's maxRSS: Linux carries it across fork and exec, so this process would start at the bench's peak
import { peakRss } from '../../electron/worker/peak-rss';

async function main(): Promise<void> {
  const dir = process.argv[2]!;
  const panels = process.argv[3] && process.argv[3] !== 'all' ? (process.argv[3].split(',') as PanelName[]) : PANEL_NAMES;
  const result = await runAnalysis({ roots: [dir], query: defaultQuery(panels), patterns: ['*.gz'], workers: availableParallelism(), executor: 'process', chunksize: 1 });
  // the merge holds every key; the summary a user sees sorts each panel once
  const distinct = result.panels.map((p) => p.top(20).length + p.distinct);
  let json: { ms: number; bytes: number } | undefined;
  if (process.argv[4] === 'json') {
    const started = performance.now();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'logpool-bench-json-')), 'report.json');
    const bytes = await writeJsonReport(file, reportToWrite(result, Infinity));
    json = { ms: Math.round(performance.now() - started), bytes };
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify({ mainRss: peakRss(), workerRss: result.peakWorkerRss, lines: result.totals.lines, distinct: distinct.reduce((a, b) => a + b, 0), ms: Math.round(result.elapsedMs), ...(json ? { json } : {}) })}\n`);
}

void main();

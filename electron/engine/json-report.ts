import { sortedEntries, topN } from '../../shared/key-count';
import { reportFile, type JsonReport } from '../../shared/run-report';
import type { RunResult } from './run-analysis';

export function buildJsonReport(result: RunResult, top: number): JsonReport {
  const analysis = result.request.analysis;
  return {
    analysis: analysis.kind,
    ...(analysis.kind === 'book-paths' ? { prefix: analysis.prefix } : {}),
    top: top === Infinity ? sortedEntries(result.counter) : topN(result.counter, top),
    distinct: result.counter.size,
    totals: result.totals,
    files: result.files.map(reportFile),
    workers: result.workers,
    executor: result.executor,
    elapsedMs: Math.round(result.elapsedMs),
  };
}

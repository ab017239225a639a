import { sortedEntries, topN } from '../../shared/key-count';
import { reportFile, type JsonReport } from '../../shared/run-report';
import type { RunResult } from './run-analysis';
import { writeFileAtomic } from './atomic-file';
import { jsonPieces } from './json-stream';
import { writePieces } from './write-pieces';

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
    ...(result.interrupted ? { interrupted: true } : {}),
  };
}

function* reportText(report: JsonReport): Generator<string> {
  yield* jsonPieces(report);
  yield '\n';
}

/** The report, whatever its size, to a file (whole or not at all). Returns the bytes written. */
export function writeJsonReport(file: string, report: JsonReport): Promise<number> {
  return writeFileAtomic(file, reportText(report));
}

/** The report to a stream (standard output), in pieces, waiting when it is full. */
export function streamJsonReport(out: NodeJS.WritableStream, report: JsonReport): Promise<void> {
  return writePieces(out, reportText(report));
}

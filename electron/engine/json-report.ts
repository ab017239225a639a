import { panelUsesExclusions } from '../../shared/panels';
import { addFormatCounts } from '../../shared/line-formats';
import type { FileSummary } from '../../shared/file-result';
import { reportFile, reportTotals, type JsonReport, type JsonReportPanel } from '../../shared/run-report';
import type { RunResult } from './run-analysis';
import { writeFileAtomic } from './atomic-file';
import { jsonPieces } from './json-stream';
import { writePieces } from './write-pieces';

/** `top`: keys per panel (Infinity: all). `partial`: the report is a slice's, for `logpool merge`. */
export function buildJsonReport(result: RunResult, top: number, partial?: JsonReport['partial']): JsonReport {
  const panels: Record<string, JsonReportPanel> = {};
  for (const tally of result.panels) {
    panels[tally.name] = {
      top: tally.top(top),
      distinct: tally.distinct,
      counted: tally.counted,
      bytes: tally.bytes,
      excluded: panelUsesExclusions(tally.name) ? result.totals.excluded : 0,
    };
  }
  const filters = result.request.query.filters;
  return {
    panels,
    ...(Object.keys(filters).length > 0 ? { filters } : {}),
    totals: reportTotals(result.totals),
    formats: runFormats(result.files),
    files: result.files.map(reportFile),
    workers: result.workers,
    executor: result.executor,
    elapsedMs: Math.round(result.elapsedMs),
    ...(result.interrupted ? { interrupted: true } : {}),
    ...(partial ? { partial } : {}),
    ...(result.cache ? { cache: { hits: result.cache.hits, appended: result.cache.appended } } : {}),
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

function runFormats(files: readonly FileSummary[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of files) addFormatCounts(out, f.formats);
  return out;
}

import { panelUsesExclusions } from '../../shared/panels';
import { addFormatCounts } from '../../shared/line-formats';
import type { FileSummary } from '../../shared/file-result';
import { reportFile, reportTotals, type JsonReport, type JsonReportPanel } from '../../shared/run-report';
import type { RunResult } from './run-analysis';
import type { RunTally } from './panel-tally';
import type { KeyCount } from '../../shared/key-count';
import { writeFileAtomic } from './atomic-file';
import { jsonPieces } from './json-stream';
import { writePieces } from './write-pieces';

/** `top`: keys per panel (Infinity: all). `partial`: the report is a slice's, for `logpool merge`. */
export function buildJsonReport(result: RunResult, top: number, partial?: JsonReport['partial']): JsonReport {
  return reportOf(result, (tally) => tally.top(top), partial);
}

/**
 * A report to write: a panel of which every key is written has an empty array in `report`
 * standing for the keys in `keys`, read from its table in order as they are written (every key
 * of 5 M as an object was a gigabyte).
 */
export interface ReportToWrite {
  report: JsonReport;
  keys: ReadonlyMap<unknown, Iterable<unknown>>;
}

/** Whether the report of a run shown with `top` keys writes every key of this panel (then sorted whole). */
export function writesEveryKey(tally: RunTally, top: number): boolean {
  return top >= tally.distinct;
}

export function reportToWrite(result: RunResult, top: number, partial?: JsonReport['partial']): ReportToWrite {
  const keys = new Map<unknown, Iterable<unknown>>();
  const report = reportOf(
    result,
    (tally) => {
      if (!writesEveryKey(tally, top)) return tally.top(top);
      const standIn: KeyCount[] = [];
      keys.set(standIn, tally.inOrder());
      return standIn;
    },
    partial,
  );
  return { report, keys };
}

function reportOf(result: RunResult, keysOf: (tally: RunTally) => KeyCount[], partial?: JsonReport['partial']): JsonReport {
  const panels: Record<string, JsonReportPanel> = {};
  for (const tally of result.panels) {
    panels[tally.name] = {
      top: keysOf(tally),
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

function* reportText({ report, keys }: ReportToWrite): Generator<string> {
  yield* jsonPieces(report, '', (value) => keys.get(value));
  yield '\n';
}

/** The report, whatever its size, to a file (whole or not at all). Returns the bytes written. */
export function writeJsonReport(file: string, report: JsonReport | ReportToWrite): Promise<number> {
  return writeFileAtomic(file, reportText(toWrite(report)));
}

/** The report to a stream (standard output), in pieces, waiting when it is full. */
export function streamJsonReport(out: NodeJS.WritableStream, report: JsonReport | ReportToWrite): Promise<void> {
  return writePieces(out, reportText(toWrite(report)));
}

function toWrite(report: JsonReport | ReportToWrite): ReportToWrite {
  return 'keys' in report ? report : { report, keys: new Map() };
}

function runFormats(files: readonly FileSummary[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of files) addFormatCounts(out, f.formats);
  return out;
}

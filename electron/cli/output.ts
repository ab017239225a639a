/** What the CLI prints once a run is done: the top-N table, the summary, the problem files. */
import { ANALYSIS_LABELS } from '../../shared/analysis-options';
import type { KeyCount } from '../../shared/key-count';
import type { RunResult } from '../engine/run-analysis';
import { bytes, duration, int, rate } from '../../shared/format';
import { terminalSafe } from './terminal-text';

/** The table, line by line (with `--top 0` it holds every key: it is never one string). */
export function* tableLines(result: RunResult, top: readonly KeyCount[]): Generator<string> {
  const a = result.request.analysis;
  const title = a.kind === 'book-paths' ? `${ANALYSIS_LABELS[a.kind]} (/${terminalSafe(a.prefix)}/…)` : ANALYSIS_LABELS[a.kind];
  yield `${title}: top ${int(top.length)} of ${int(result.counter.size)} distinct keys, ${int(result.totals.counted)} lines counted\n`;
  if (top.length === 0) {
    yield '  (nothing counted)\n';
    return;
  }
  const countWidth = Math.max(5, int(top[0]!.count).length);
  const rankWidth = String(top.length).length;
  const keyHeader = a.kind === 'book-paths' ? 'path' : 'host';
  yield `\n${'#'.padStart(rankWidth)}  ${'count'.padStart(countWidth)}  ${keyHeader}\n`;
  for (let i = 0; i < top.length; i++) {
    const r = top[i]!;
    yield `${String(i + 1).padStart(rankWidth)}  ${int(r.count).padStart(countWidth)}  ${terminalSafe(r.key)}\n`;
  }
}

export function formatSummary(result: RunResult): string {
  const t = result.totals;
  const status = [`${int(t.ok)} ok`, t.partial ? `${int(t.partial)} partial` : '', t.failed ? `${int(t.failed)} failed` : '', t.skipped ? `${int(t.skipped)} skipped` : '']
    .filter(Boolean)
    .join(', ');
  const secs = result.elapsedMs / 1000;
  const longLines = t.longLines ? ` (${int(t.longLines)} too long to parse)` : '';
  return (
    `${int(t.files)} files (${status}) · ${int(t.lines)} lines: ${int(t.parsed)} parsed, ${int(t.malformed)} malformed${longLines}, ` +
    `${int(t.excluded)} excluded, ${int(t.counted)} counted · ${bytes(t.bytes)} in ${duration(result.elapsedMs)}` +
    `${secs > 0 ? ` (${rate(t.bytes / secs)}, ${int(t.lines / secs)} lines/s)` : ''} · ${result.workers} ${result.workers === 1 ? 'worker' : 'workers'} (${result.executor})\n`
  );
}

export function formatProblems(result: RunResult): string {
  return result.files
    .filter((f) => f.status !== 'ok')
    .map((f) => `${f.status.padEnd(7)} ${terminalSafe(f.path)}: ${terminalSafe(f.error ?? '')}\n`)
    .join('');
}

export function formatInterrupted(result: RunResult): string {
  const t = result.totals;
  const finished = t.files - result.unfinished;
  return `logpool: interrupted: the result holds the ${int(finished)} of ${int(t.files)} files finished before Ctrl-C (the others are listed as skipped); every worker stopped\n`;
}

/** What the CLI prints once a run is done: a compact table per panel, the summary, the problem files. */
import { describeFilters } from '../../shared/filters';
import type { KeyCount } from '../../shared/key-count';
import { PANEL_KEY_NAMES, PANEL_LABELS, isTimePanel, panelUsesExclusions } from '../../shared/panels';
import type { RunResult } from '../engine/run-analysis';
import type { RunTally } from '../engine/panel-tally';
import { bytes, duration, int, rate } from '../../shared/format';
import { terminalSafe } from './terminal-text';

/** Every table fits this many columns. */
export const TABLE_WIDTH = 80;

/** The end of a text cut to `width` characters (by code points), with an ellipsis when cut. */
function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

function panelTitle(result: RunResult, tally: RunTally): string {
  const label = PANEL_LABELS[tally.name];
  return tally.name === 'book-paths' ? `${label} (/${terminalSafe(result.request.query.prefix)}/…)` : label;
}

/** Each panel, line by line (with `--top 0` a panel holds every key: the text is never one string). */
export function* tableLines(result: RunResult, top: number): Generator<string> {
  const filters = describeFilters(result.request.query.filters);
  if (filters !== '') yield `Filtered: ${terminalSafe(filters)} (${int(result.totals.filtered)} of ${int(result.totals.parsed)} parsed lines filtered out)\n\n`;
  let first = true;
  for (const tally of result.panels) {
    if (!first) yield '\n';
    first = false;
    const n = Math.min(top, tally.distinct);
    const unit = tally.name === 'hours' ? 'hours' : tally.name === 'days' ? 'days' : 'keys';
    const shown = n < tally.distinct ? `${isTimePanel(tally.name) ? 'first' : 'top'} ${int(n)} of ${int(tally.distinct)}` : `${int(tally.distinct)}`;
    const excluded = panelUsesExclusions(tally.name) ? ` · ${int(result.totals.excluded)} excluded by the lists` : '';
    yield `${fit(panelTitle(result, tally), TABLE_WIDTH)}\n`;
    yield `${fit(`  ${shown} ${unit} · ${int(tally.counted)} lines · ${bytes(tally.bytes)}${excluded}`, TABLE_WIDTH)}\n`;
    if (n === 0) {
      yield '  (nothing counted)\n';
      continue;
    }
    // every key: read from the table in order as it is printed, not held as an object each
    const rows = n < tally.distinct ? tally.top(n) : tally.inOrder();
    yield* isTimePanel(tally.name) ? barLines([...rows]) : rankLines(tally, rows, n);
  }
}

/** rank, count, share of the panel's lines, bytes, key: the key cut to what is left of the width. */
function* rankLines(tally: RunTally, rows: Iterable<KeyCount>, n: number): Generator<string> {
  const rankWidth = Math.max(1, String(n).length);
  const it = rows[Symbol.iterator]();
  const first = it.next();
  if (first.done) return;
  // by count, most first: the first count is the widest
  const countWidth = Math.max(5, int(first.value.count).length);
  const head = `${'#'.padStart(rankWidth)}  ${'count'.padStart(countWidth)}  ${'share'.padStart(6)}  ${'bytes'.padStart(8)}  `;
  const keyWidth = Math.max(10, TABLE_WIDTH - head.length);
  yield `${head}${PANEL_KEY_NAMES[tally.name]}\n`;
  let i = 0;
  for (let next: IteratorResult<KeyCount> = first; !next.done; next = it.next()) {
    const r = next.value;
    const share = tally.counted > 0 ? `${((100 * r.count) / tally.counted).toFixed(1)}%` : '';
    yield `${String(++i).padStart(rankWidth)}  ${int(r.count).padStart(countWidth)}  ${share.padStart(6)}  ${bytes(r.bytes).padStart(8)}  ${fit(terminalSafe(r.key), keyWidth)}\n`;
  }
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar per time bucket, scaled to the busiest one shown, with its count. */
function* barLines(rows: readonly KeyCount[]): Generator<string> {
  // (not Math.max(...rows): a spread of a hundred thousand hours overflows the stack)
  const widest = (of: (r: KeyCount) => number): number => rows.reduce((most, r) => Math.max(most, of(r)), 0);
  const keyWidth = widest((r) => r.key.length);
  const countWidth = widest((r) => int(r.count).length);
  const barWidth = Math.max(10, TABLE_WIDTH - keyWidth - countWidth - 6);
  const most = widest((r) => r.count);
  for (const r of rows) {
    const eighths = most > 0 ? Math.round((r.count / most) * barWidth * 8) : 0;
    const bar = '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]!;
    yield `  ${r.key.padEnd(keyWidth)}  ${bar.padEnd(barWidth)}  ${int(r.count).padStart(countWidth)}\n`;
  }
}

export function formatSummary(result: RunResult): string {
  const t = result.totals;
  const status = [`${int(t.ok)} ok`, t.partial ? `${int(t.partial)} partial` : '', t.failed ? `${int(t.failed)} failed` : '', t.skipped ? `${int(t.skipped)} skipped` : '']
    .filter(Boolean)
    .join(', ');
  const secs = result.elapsedMs / 1000;
  const longLines = t.longLines ? ` (${int(t.longLines)} too long to parse)` : '';
  const filtered = t.filtered ? `, ${int(t.filtered)} filtered out` : '';
  return (
    `${int(t.files)} files (${status}) · ${int(t.lines)} lines: ${int(t.parsed)} parsed${filtered}, ${int(t.malformed)} malformed${longLines} · ` +
    `${bytes(t.bytes)} in ${duration(result.elapsedMs)}` +
    `${secs > 0 ? ` (${rate(t.bytes / secs)}, ${int(t.lines / secs)} lines/s)` : ''} · ${whoRead(result)}\n` +
    cacheLine(result)
  );
}

/** Who read the files: the workers, or this process (--executor serial, or a re-run's few new lines). */
function whoRead(result: RunResult): string {
  if (result.executor === 'serial') return 'read in this process';
  return `${result.workers} ${result.workers === 1 ? 'worker' : 'workers'} (${result.executor})`;
}

/** How much the result cache saved (said only when it did). */
function cacheLine(result: RunResult): string {
  const c = result.cache;
  if (!c || c.hits + c.appended === 0) return '';
  const appended = c.appended ? `, ${int(c.appended)} read only where they grew` : '';
  return `from the cache: ${int(c.hits)} unchanged ${c.hits === 1 ? 'file' : 'files'} not read again${appended} (--no-cache reads every file)\n`;
}

export function formatProblems(result: RunResult): string {
  return result.files
    .filter((f) => f.status !== 'ok')
    .map((f) => `${f.status.padEnd(7)} ${terminalSafe(f.path)}: ${terminalSafe(f.error ?? '')}\n`)
    .join('');
}

/** The files where most lines are malformed: the first such line, and that another layout can be given. */
export function formatMalformedHints(result: RunResult): string {
  const files = result.files.filter((f) => f.lines > 0 && f.malformed * 2 > f.lines && f.firstMalformed !== undefined);
  if (files.length === 0) return '';
  const shown = files.slice(0, 5).map((f) => {
    const sample = f.firstMalformed!.length > 160 ? `${f.firstMalformed!.slice(0, 160)}…` : f.firstMalformed!;
    return `malformed ${terminalSafe(f.path)}: ${int(f.malformed)} of ${int(f.lines)} lines; the first: ${terminalSafe(JSON.stringify(sample))}\n`;
  });
  const more = files.length > 5 ? `malformed …and ${int(files.length - 5)} more files like these\n` : '';
  return `${shown.join('')}${more}  (lines in another layout can be read: give it with --log-format, see --help)\n`;
}

export function formatInterrupted(result: RunResult): string {
  const t = result.totals;
  const finished = t.files - result.unfinished;
  return `logpool: interrupted: the result holds the ${int(finished)} of ${int(t.files)} files finished before Ctrl-C (the others are listed as skipped); every worker stopped\n`;
}

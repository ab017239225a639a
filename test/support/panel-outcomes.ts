/**
 * Our readers and the reference, side by side, for a query over a run of lines: each gives its
 * line accounting and, per panel, every key with its count and bytes, in one canonical text, so
 * that any difference shows. When a stretch differs, the first line that differs is found.
 */
import { mergeFile, runTallies, type RunTally } from '../../electron/engine/panel-tally';
import type { PanelCounts } from '../../shared/file-result';
import type { Query } from '../../shared/query';
import type { QueryFilters } from '../../shared/filters';
import { LineAnalyzer } from '../../electron/worker/parse/line-analyzer';
import { planQuery } from '../../electron/worker/parse/query-plan';
import { blockReaderAvailable } from '../../electron/worker/wasm/block-reader';
import { ALL_PANELS, referenceOutcome, type ReferencePanel, type ReferenceQuery } from './reference-semantics';
import type { Reader } from './verdicts';
import { sumOutcomes } from './reference-run';

export interface TestQuery {
  panels: ReferencePanel[];
  filters: QueryFilters;
  prefix?: string;
  names?: string[];
  extensions?: string[];
  /** The user's formats (§12.5). */
  logFormats?: string[];
}

const BOOK_NAMES = ['favicon.ico', 'robots.txt', 'humans.txt', 'crossdomain.xml', '_images', 'search.html', 'genindex.html', 'searchindex.js', 'modindex.html', 'py-modindex.html'];
const BOOK_EXTENSIONS = ['.png', '.js', '.css'];

export function ourQuery(t: TestQuery): Query {
  return {
    panels: t.panels,
    filters: t.filters,
    prefix: t.prefix ?? 'book',
    excludedNames: t.names ?? BOOK_NAMES,
    excludedExtensions: t.extensions ?? BOOK_EXTENSIONS,
    maxLineBytes: 1 << 20,
    logFormats: t.logFormats ?? [],
  };
}

/** The test's own reading of the filter values: Date.parse for times (UTC unless an offset is given), a regex for status items. */
export function referenceQuery(t: TestQuery): ReferenceQuery {
  const f = t.filters;
  const time = (s: string): number => Date.parse(/T.*([+-]\d\d:?\d\d|Z)$/i.test(s) || !s.includes('T') ? s : `${s}Z`) / 1000;
  const status = f.status?.map((item): [number, number] => {
    const m = /^([1-5])xx$/i.exec(item);
    if (m) return [Number(m[1]) * 100, Number(m[1]) * 100 + 99];
    const [lo, hi] = item.split('-');
    return [Number(lo), Number(hi ?? lo)];
  });
  return {
    panels: t.panels,
    filters: {
      ...(f.since !== undefined ? { since: time(f.since) } : {}),
      ...(f.until !== undefined ? { until: time(f.until) } : {}),
      ...(status ? { status } : {}),
      ...(f.method ? { method: f.method } : {}),
      ...(f.pathPrefix ? { pathPrefix: f.pathPrefix } : {}),
      ...(f.host ? { host: f.host } : {}),
    },
    prefix: t.prefix ?? 'book',
    names: t.names ?? BOOK_NAMES,
    extensions: t.extensions ?? BOOK_EXTENSIONS,
  };
}

interface Tally {
  lines: number;
  parsed: number;
  malformed: number;
  filtered: number;
  excluded: number;
  panels: Record<string, Record<string, [number, number]>>;
  /** Parsed lines by the format that read them. */
  formats: Record<string, number>;
}

function canonical(t: Tally): string {
  const panels: Record<string, Array<[string, number, number]>> = {};
  for (const [name, keys] of Object.entries(t.panels)) {
    panels[name] = Object.entries(keys).map(([k, [c, b]]) => [k, c, b] as [string, number, number]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  const formats = Object.fromEntries(Object.entries(t.formats).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  return JSON.stringify({ lines: t.lines, parsed: t.parsed, malformed: t.malformed, filtered: t.filtered, excluded: t.excluded, formats, panels });
}

/** Lines as one text (each ending in '\n'), the way a file holds them. */
export function textOf(lines: readonly Buffer[]): Buffer {
  return Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]));
}

/** Files' panels as a run shows them: merged into its tallies (a panel it reads off another is not counted in a file). */
export function shownPanels(query: Pick<Query, 'panels' | 'prefix'>, ...files: PanelCounts[][]): RunTally[] {
  const tallies = runTallies(query);
  for (const panels of files) mergeFile(tallies, panels);
  return tallies;
}

/** Our reader's tally of a text; `decided`: lines the block reader decided itself. */
export function ourTally(text: Buffer, query: Query, reader: Reader): { text: string; decided: number } {
  if (reader === 'webassembly' && !blockReaderAvailable()) throw new Error('the WebAssembly block reader is not available here');
  const analyzer = new LineAnalyzer(planQuery(query), { blockReader: reader === 'webassembly' });
  analyzer.lines(text, 0, text.length);
  const decided = analyzer.blockReaderLines;
  const tallies = shownPanels(query, analyzer.result());
  const s = analyzer.stats;
  const tally: Tally = { lines: s.lines, parsed: s.parsed, malformed: s.malformed, filtered: s.filtered, excluded: s.excluded, panels: {}, formats: analyzer.formats };
  for (const panel of tallies) {
    const keys: Record<string, [number, number]> = {};
    for (const { key, count, bytes } of panel.inOrder()) keys[key] = [count, bytes];
    tally.panels[panel.name] = keys;
  }
  return { text: canonical(tally), decided };
}

/** The lines of a text as a file's reader cuts them. */
export function linesOf(text: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (let nl = text.indexOf(10); nl >= 0; at = nl + 1, nl = text.indexOf(10, at)) out.push(text.subarray(at, nl));
  if (at < text.length) out.push(text.subarray(at));
  return out;
}

export type Outcome = ReturnType<typeof referenceOutcome>;

/** Tally outcomes (the reference's, or CPython's) the way a run sums lines. */
export function tallyOutcomes(outcomes: readonly Outcome[], panels: readonly ReferencePanel[]): string {
  const { totals, keys, formats } = sumOutcomes(outcomes, panels);
  const tally: Tally = { ...totals, panels: {}, formats };
  for (const [name, byKey] of keys) tally.panels[name] = Object.fromEntries([...byKey.values()].map((k) => [k.key, [k.count, k.bytes] as [number, number]]));
  return canonical(tally);
}

export function referenceTally(lines: readonly Buffer[], q: ReferenceQuery): string {
  return tallyOutcomes(lines.map((l) => referenceOutcome(l, q)), q.panels);
}

/** The first line whose tally differs between ours and `expected` (per line), as a message; undefined when none does. */
export function firstDifference(lines: readonly Buffer[], query: Query, reader: Reader, expected: (i: number) => Outcome): string | undefined {
  for (let i = 0; i < lines.length; i++) {
    const ours = ourTally(textOf([lines[i]!]), query, reader).text;
    const theirs = tallyOutcomes([expected(i)], query.panels as ReferencePanel[]);
    if (ours !== theirs) return `line ${JSON.stringify(lines[i]!.toString('latin1'))}:\n  ours   ${ours}\n  theirs ${theirs}`;
  }
  return undefined;
}

export { ALL_PANELS };

/** The reference's totals and counter for whole files' text: what a run must report. */
import { referenceOutcome, referenceVerdict, type LineOutcome, type ReferenceOptions, type ReferenceQuery } from './reference-semantics';

export interface ReferenceTotals {
  lines: number;
  parsed: number;
  malformed: number;
  excluded: number;
  counted: number;
}

export function splitLines(text: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const nl = text.indexOf(10, pos);
    if (nl < 0) break;
    lines.push(text.subarray(pos, nl));
    pos = nl + 1;
  }
  if (pos < text.length) lines.push(text.subarray(pos));
  return lines;
}

export function referenceRun(texts: readonly Buffer[], o: ReferenceOptions): { totals: ReferenceTotals; counter: Map<string, number> } {
  const totals = { lines: 0, parsed: 0, malformed: 0, excluded: 0, counted: 0 };
  const counter = new Map<string, number>();
  for (const text of texts) {
    for (const line of splitLines(text)) {
      totals.lines++;
      const v = referenceVerdict(line, o);
      if (v.kind === 'malformed') {
        totals.malformed++;
        continue;
      }
      totals.parsed++;
      if (v.kind === 'excluded') totals.excluded++;
      if (v.kind === 'counted') {
        totals.counted++;
        counter.set(v.key, (counter.get(v.key) ?? 0) + 1);
      }
    }
  }
  return { totals, counter };
}

/** Outcomes summed as a run sums lines: the accounting, and per panel every key's count and bytes. */
export function sumOutcomes(outcomes: Iterable<LineOutcome>, panels: readonly string[]): {
  totals: { lines: number; parsed: number; malformed: number; filtered: number; excluded: number };
  keys: Map<string, Map<string, { key: string; count: number; bytes: number }>>;
  formats: Record<string, number>;
} {
  const totals = { lines: 0, parsed: 0, malformed: 0, filtered: 0, excluded: 0 };
  const formats: Record<string, number> = {};
  const keys = new Map<string, Map<string, { key: string; count: number; bytes: number }>>(panels.map((p) => [p, new Map()]));
  for (const o of outcomes) {
    totals.lines++;
    if (o.kind === 'malformed') {
      totals.malformed++;
      continue;
    }
    totals.parsed++;
    formats[o.format] = (formats[o.format] ?? 0) + 1;
    if (o.kind === 'filtered') {
      totals.filtered++;
      continue;
    }
    if (o.excluded) totals.excluded++;
    for (const [panel, key] of Object.entries(o.keys)) {
      const into = keys.get(panel)!;
      const had = into.get(key!) ?? { key: key!, count: 0, bytes: 0 };
      had.count++;
      had.bytes += o.size;
      into.set(key!, had);
    }
  }
  return { totals, keys, formats };
}

/** What the CLI's JSON must say of these texts for a query: every panel and the line accounting, by the reference reading. */
export function referenceReport(texts: readonly Buffer[], q: ReferenceQuery, top = Infinity): {
  panels: Record<string, { top: Array<{ key: string; count: number; bytes: number }>; distinct: number; counted: number; bytes: number; excluded: number }>;
  totals: { lines: number; parsed: number; malformed: number; filtered: number };
} {
  const outcomes = texts.flatMap((text) => splitLines(text).map((line) => referenceOutcome(line, q)));
  const { totals: { excluded, ...totals }, keys } = sumOutcomes(outcomes, q.panels);
  const panels: ReturnType<typeof referenceReport>['panels'] = {};
  for (const p of q.panels) {
    const all = [...keys.get(p)!.values()];
    const byTime = p === 'hours' || p === 'days';
    // code-point order is the order of the UTF-8 bytes
    all.sort((a, b) => (byTime ? 0 : b.count - a.count) || Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    panels[p] = {
      top: all.slice(0, top),
      distinct: all.length,
      counted: all.reduce((n, k) => n + k.count, 0),
      bytes: all.reduce((n, k) => n + k.bytes, 0),
      excluded: p === 'book-paths' || p === 'paths' ? excluded : 0,
    };
  }
  return { panels, totals };
}

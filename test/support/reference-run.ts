/** The reference's totals and counter for whole files' text: what a run must report. */
import { referenceVerdict, type ReferenceOptions } from './reference-semantics';

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

import { compareCodePoints } from './code-point-order';

export interface KeyCount {
  key: string;
  count: number;
}

/** The result order: count descending, then key ascending by code point. */
export function compareKeyCounts(a: KeyCount, b: KeyCount): number {
  return b.count - a.count || compareCodePoints(a.key, b.key);
}

/** Every entry of a counter, in result order. */
export function sortedEntries(counter: ReadonlyMap<string, number>): KeyCount[] {
  const out: KeyCount[] = [];
  for (const [key, count] of counter) out.push({ key, count });
  return out.sort(compareKeyCounts);
}

/** The first n entries in result order, without sorting the whole counter. */
export function topN(counter: ReadonlyMap<string, number>, n: number): KeyCount[] {
  if (n <= 0) return [];
  const best: KeyCount[] = [];
  for (const [key, count] of counter) {
    const item = { key, count };
    if (best.length < n) {
      best.push(item);
      if (best.length === n) best.sort(compareKeyCounts);
      continue;
    }
    const last = best[n - 1]!;
    if (compareKeyCounts(item, last) >= 0) continue;
    // insert in place (n is small: a chart's worth)
    let i = n - 1;
    while (i > 0 && compareKeyCounts(item, best[i - 1]!) < 0) {
      best[i] = best[i - 1]!;
      i--;
    }
    best[i] = item;
  }
  if (best.length < n) best.sort(compareKeyCounts);
  return best;
}

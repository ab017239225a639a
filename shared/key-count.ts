import { compareCodePoints } from './code-point-order';

/** One key of a panel: its lines and the sum of their sizes. */
export interface KeyCount {
  key: string;
  count: number;
  bytes: number;
}

/** The result order: count descending, then key ascending by code point. */
export function compareKeyCounts(a: KeyCount, b: KeyCount): number {
  return b.count - a.count || compareCodePoints(a.key, b.key);
}

/** The time panels' order: by key (which is time order). */
export function compareKeys(a: KeyCount, b: KeyCount): number {
  return compareCodePoints(a.key, b.key);
}

/** Whether two lists hold the same keys with the same counts, in the same order (a chart draws nothing new). */
export function sameKeyCounts(a: readonly KeyCount[], b: readonly KeyCount[]): boolean {
  return a.length === b.length && a.every((x, i) => x.key === b[i]!.key && x.count === b[i]!.count);
}

/** The first n of `items` in `order`, without sorting them all (n is small: a chart's worth). */
export function firstN<T>(items: Iterable<T>, n: number, order: (a: T, b: T) => number): T[] {
  if (n <= 0) return [];
  const best: T[] = [];
  for (const item of items) {
    if (best.length < n) {
      best.push(item);
      if (best.length === n) best.sort(order);
      continue;
    }
    if (order(item, best[n - 1]!) >= 0) continue;
    let i = n - 1;
    while (i > 0 && order(item, best[i - 1]!) < 0) {
      best[i] = best[i - 1]!;
      i--;
    }
    best[i] = item;
  }
  if (best.length < n) best.sort(order);
  return best;
}

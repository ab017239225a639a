/**
 * One panel's result over a run: the Counter merge (analysis-semantics.md §6) of every file's
 * keys, counts and bytes, read back in the panel's order.
 */
import type { PanelCounts } from '../../shared/file-result';
import { compareKeyCounts, compareKeys, firstN, type KeyCount } from '../../shared/key-count';
import { isTimePanel, type PanelName } from '../../shared/panels';
import { KeyTotals } from '../../shared/key-totals';

export class PanelTally extends KeyTotals {
  /** Lines counted in the panel, and the sum of their sizes. */
  counted = 0;
  bytes = 0;

  constructor(readonly name: PanelName) {
    super();
  }

  /** The panel's order: count descending then key, or (hours, days) key order. */
  get order(): (a: KeyCount, b: KeyCount) => number {
    return isTimePanel(this.name) ? compareKeys : compareKeyCounts;
  }

  /** Merge one file's counts (the Counter merge). */
  merge(file: PanelCounts): void {
    const { keys, counts, bytes } = file;
    for (let i = 0; i < keys.length; i++) {
      this.add(keys[i]!, counts[i]!, bytes[i]!);
      this.counted += counts[i]!;
      this.bytes += bytes[i]!;
    }
  }

  private *entries(): Generator<KeyCount> {
    for (let i = 0; i < this.keys.length; i++) yield { key: this.keys[i]!, count: this.counts[i]!, bytes: this.sums[i]! };
  }

  /** Every key, in the panel's order. */
  sorted(): KeyCount[] {
    return [...this.entries()].sort(this.order);
  }

  /** The first n keys in the panel's order (n = Infinity: all of them). */
  top(n: number): KeyCount[] {
    return n === Infinity || n >= this.keys.length ? this.sorted() : firstN(this.entries(), n, this.order);
  }
}

export function newTallies(panels: readonly PanelName[]): PanelTally[] {
  return panels.map((name) => new PanelTally(name));
}

/**
 * One panel's result over a run: the Counter merge (analysis-semantics.md §6) of every file's
 * keys, counts and bytes, read back in the panel's order.
 */
import type { PanelCounts } from '../../shared/file-result';
import { compareKeyCounts, compareKeys, firstN, type KeyCount } from '../../shared/key-count';
import { isTimePanel, type PanelName } from '../../shared/panels';
import { KeyTotals } from '../../shared/key-totals';
import { compareCodePoints } from '../../shared/code-point-order';

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

  /** The keys (their places) counted since leaders() last ran; null until it first runs. */
  private grown: Set<number> | null = null;
  private leaderPlaces: number[] = [];
  private leaderCount = -1;

  /** Merge one file's counts (the Counter merge). */
  merge(file: PanelCounts): void {
    this.mergeRange(file, 0, file.keys.length);
  }

  /** Merge the file's keys [from, to): a file's merge may be spread over several turns of the event loop. */
  mergeRange(file: PanelCounts, from: number, to: number): void {
    const { keys, counts, bytes } = file;
    const grown = this.grown;
    for (let i = from; i < to; i++) {
      const at = this.add(keys[i]!, counts[i]!, bytes[i]!);
      grown?.add(at);
      this.counted += counts[i]!;
      this.bytes += bytes[i]!;
    }
  }

  /**
   * top(n) kept up as files merge, for a run shown live: counts only grow, so a key that was not
   * among the first n and has not been counted since cannot be now (the n before it still are).
   * The first n are then found among the last first n and the keys counted since: the cost is the
   * merge's, not a pass over every key per update.
   */
  leaders(n: number): KeyCount[] {
    const { keys, counts } = this;
    // the panel's order on places, without an object per comparison
    const byPlace = isTimePanel(this.name)
      ? (a: number, b: number): number => compareCodePoints(keys[a]!, keys[b]!)
      : (a: number, b: number): number => counts[b]! - counts[a]! || compareCodePoints(keys[a]!, keys[b]!);
    if (n !== this.leaderCount || this.grown === null) {
      this.leaderPlaces = firstN(this.keys.keys(), n, byPlace);
      this.leaderCount = n;
    } else if (this.grown.size > 0) {
      for (const place of this.leaderPlaces) this.grown.add(place);
      this.leaderPlaces = firstN(this.grown, n, byPlace);
    }
    this.grown = new Set();
    return this.leaderPlaces.map((place) => ({ key: keys[place]!, count: counts[place]!, bytes: this.sums[place]! }));
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

/** Keys merged per turn of the event loop: about 20 ms of work. */
export const MERGE_SLICE = 32_768;

/**
 * Merge one file's panels into the run's tallies, yielding to the event loop between slices of
 * MERGE_SLICE keys: the app's main process is the window's event loop, and a file of a million
 * distinct keys took 0.7 s to merge in one go. Files with fewer keys merge at once, as before.
 */
export async function mergeFileYielding(tallies: readonly PanelTally[], panels: readonly PanelCounts[]): Promise<void> {
  for (let p = 0; p < panels.length; p++) {
    const counts = panels[p]!;
    const n = counts.keys.length;
    for (let from = 0; from < n; from += MERGE_SLICE) {
      if (from > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      tallies[p]!.mergeRange(counts, from, Math.min(n, from + MERGE_SLICE));
    }
  }
}

export function newTallies(panels: readonly PanelName[]): PanelTally[] {
  return panels.map((name) => new PanelTally(name));
}

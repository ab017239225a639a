/**
 * One panel's result over a run: the Counter merge (analysis-semantics.md §6) of every file's
 * keys, counts and bytes, read back in the panel's order.
 */
import type { PanelCounts } from '../../shared/file-result';
import { firstN, type KeyCount } from '../../shared/key-count';
import { isTimePanel, KEYS_AMONG, type PanelName } from '../../shared/panels';
import { countsSize, KeyTotals } from '../../shared/key-totals';

export class PanelTally extends KeyTotals {
  /** Lines counted in the panel, and the sum of their sizes. */
  counted = 0;
  bytes = 0;

  constructor(readonly name: PanelName) {
    super();
  }

  /** The keys (their places) counted since leaders() last ran; null until it first runs. */
  private grown: Set<number> | null = null;
  private leaderPlaces: number[] = [];
  private leaderCount = -1;

  /** Merge one file's counts (the Counter merge). */
  merge(file: PanelCounts): void {
    this.mergeRange(file, 0, countsSize(file));
  }

  /** Merge the file's keys [from, to): a file's merge may be spread over several turns of the event loop. */
  mergeRange(file: PanelCounts, from: number, to: number): void {
    const grown = this.grown;
    this.addCountsRange(file, from, to, (place, count, bytes) => {
      grown?.add(place);
      this.counted += count;
      this.bytes += bytes;
    });
  }

  /** The panel's order on places (without an object per comparison). */
  private placeOrder(): (a: number, b: number) => number {
    const byKey = this.keyOrder();
    if (isTimePanel(this.name)) return byKey;
    const counts = this.narrowCounts();
    return counts ? (a, b) => counts[b]! - counts[a]! || byKey(a, b) : (a, b) => this.countAt(b) - this.countAt(a) || byKey(a, b);
  }

  /** The key (decoded), count and bytes at a place (an entry of sortedPlaces(), for one). */
  entryAt(place: number): KeyCount {
    return { key: this.keyAt(place), count: this.countAt(place), bytes: this.bytesAt(place) };
  }

  /**
   * top(n) kept up as files merge, for a run shown live: counts only grow, so a key that was not
   * among the first n and has not been counted since cannot be now (the n before it still are).
   * The first n are then found among the last first n and the keys counted since: the cost is the
   * merge's, not a pass over every key per update.
   */
  leaders(n: number): KeyCount[] {
    const byPlace = this.placeOrder();
    if (n !== this.leaderCount || this.grown === null) {
      this.leaderPlaces = firstN(places(this.distinct), n, byPlace);
      this.leaderCount = n;
    } else if (this.grown.size > 0) {
      for (const place of this.leaderPlaces) this.grown.add(place);
      this.leaderPlaces = firstN(this.grown, n, byPlace);
    }
    this.grown = new Set();
    return this.leaderPlaces.map((place) => this.entryAt(place));
  }

  /** sortedPlaces() as last sorted, and the table's version then. */
  private sortedOnce: { version: number; order: Uint32Array } | undefined;

  /**
   * Every key's place, in the panel's order: 4 bytes a key, where every key as an object with its
   * string was over 100 (a page, an export, reads the keys from here as it goes). Sorted once
   * while the table is unchanged (the app's keys table and its exports, the CLI's JSON and table
   * share it): not to be changed by the caller.
   */
  sortedPlaces(): Uint32Array {
    if (this.sortedOnce?.version !== this.version) this.sortedOnce = { version: this.version, order: this.sortPlaces() };
    return this.sortedOnce.order;
  }

  private sortPlaces(): Uint32Array {
    const order = new Uint32Array(this.distinct);
    for (let i = 0; i < order.length; i++) order[i] = i;
    // the keys' first bytes as numbers first, their bytes only on a tie (the panel's order all the same)
    const first = this.keyPrefixes();
    const byKey = this.keyOrder();
    if (isTimePanel(this.name)) return order.sort((a, b) => first[a]! - first[b]! || byKey(a, b));
    const counts = this.narrowCounts();
    if (counts) return order.sort((a, b) => counts[b]! - counts[a]! || first[a]! - first[b]! || byKey(a, b));
    return order.sort((a, b) => this.countAt(b) - this.countAt(a) || first[a]! - first[b]! || byKey(a, b));
  }

  /** Every key, in the panel's order, one at a time (4 bytes a key held, not an object each). */
  *inOrder(): Generator<KeyCount> {
    for (const place of this.sortedPlaces()) yield this.entryAt(place);
  }

  /** Every key, in the panel's order. */
  sorted(): KeyCount[] {
    return Array.from(this.sortedPlaces(), (place) => this.entryAt(place));
  }

  /** The first n keys in the panel's order (n = Infinity: all of them). */
  top(n: number): KeyCount[] {
    if (n === Infinity || n >= this.distinct) return this.sorted();
    return firstN(places(this.distinct), n, this.placeOrder()).map((place) => this.entryAt(place));
  }
}

function* places(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

/** Keys merged per turn of the event loop: about 20 ms of work. */
export const MERGE_SLICE = 32_768;

/**
 * Merge one file's panels into the run's tallies, yielding to the event loop between slices of
 * MERGE_SLICE keys: the app's main process is the window's event loop, and a file of a million
 * distinct keys took 0.7 s to merge in one go. Files with fewer keys merge at once, as before.
 */
export async function mergeFileYielding(tallies: readonly PanelTally[], panels: readonly PanelCounts[]): Promise<void> {
  for (const p of mergeOrder(tallies)) {
    const counts = panels[p]!;
    const n = countsSize(counts);
    for (let from = 0; from < n; from += MERGE_SLICE) {
      if (from > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      tallies[p]!.mergeRange(counts, from, Math.min(n, from + MERGE_SLICE));
    }
  }
}

/** Merge one file's panels into the run's tallies at once (a few keys: a follow look, a partial). */
export function mergeFile(tallies: readonly PanelTally[], panels: readonly PanelCounts[]): void {
  for (const p of mergeOrder(tallies)) tallies[p]!.merge(panels[p]!);
}

/** The order a file's panels are merged in: a panel's key source before it, so the keys are there. */
function mergeOrder(tallies: readonly PanelTally[]): number[] {
  return tallies.map((_, i) => i).sort((a, b) => Number(tallies[a]!.sharesKeys) - Number(tallies[b]!.sharesKeys));
}

/** A run's tallies: a panel whose keys are among another's in the run reads them from its table. */
export function newTallies(panels: readonly PanelName[]): PanelTally[] {
  const tallies = panels.map((name) => new PanelTally(name));
  for (const tally of tallies) {
    const source = tallies.find((other) => other.name === KEYS_AMONG[tally.name]);
    if (source) tally.shareKeysOf(source);
  }
  return tallies;
}

/**
 * One panel's result over a run: the Counter merge (analysis-semantics.md §6) of every file's
 * keys, counts and bytes, read back in the panel's order.
 */
import type { PanelCounts } from '../../shared/file-result';
import { firstN, type KeyCount } from '../../shared/key-count';
import { isTimePanel, KEYS_AMONG, type PanelName } from '../../shared/panels';
import { countsSize, KeyTotals } from '../../shared/key-totals';
import { Slices, sortInSlices, type SliceOptions } from './sort-in-slices';

export class PanelTally extends KeyTotals {
  /** Lines counted in the panel, and the sum of their sizes. */
  counted = 0;
  bytes = 0;

  constructor(readonly name: PanelName) {
    super();
  }

  /**
   * The keys already there when leaders() last ran (their places) that were counted since; null
   * until it first runs, or when so many were that a pass over every key costs less. Keys new
   * since then are not held here: they are the places from `leadersSeen` on.
   */
  private grown: Set<number> | null = null;
  /** How many keys there were when leaders() last ran. */
  private leadersSeen = 0;
  private leaderPlaces: number[] = [];
  private leaderCount = -1;

  /** Merge one file's counts (the Counter merge). */
  merge(file: PanelCounts): void {
    this.mergeRange(file, 0, countsSize(file));
  }

  /** Merge the file's keys [from, to): a file's merge may be spread over several turns of the event loop. */
  mergeRange(file: PanelCounts, from: number, to: number): void {
    this.addCountsRange(file, from, to, this.tallied(this.leadersSeen));
    // kept up a slice at a time: the next leaders() has little left to look at (a file of a
    // million new keys was one pass over all of them, 80 ms of the UI's loop)
    if (this.grown !== null && this.leaderCount >= 0) this.foldLeaders();
  }

  /** Merge another table's counts as they are held (logpool merge: a partial's millions of keys, not packed first). */
  mergeTotals(table: KeyTotals): void {
    this.addTotalsOf(table, this.tallied(this.leadersSeen));
    if (this.grown !== null && this.leaderCount >= 0) this.foldLeaders();
  }

  /** What a merge does with each key counted: the panel's sums, and the leaders' keys that changed. */
  private tallied(seen: number): (place: number, count: number, bytes: number) => void {
    return (place, count, bytes) => {
      if (place < seen && this.grown !== null) {
        this.grown.add(place);
        if (this.grown.size > seen / 4) this.grown = null;
      }
      this.counted += count;
      this.bytes += bytes;
    };
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
    if (n !== this.leaderCount || this.grown === null) {
      this.leaderPlaces = firstN(places(0, this.distinct), n, this.placeOrder());
      this.leaderCount = n;
      this.grown = new Set();
      this.leadersSeen = this.distinct;
    } else {
      this.foldLeaders();
    }
    return this.leaderPlaces.map((place) => this.entryAt(place));
  }

  /** The first leaderCount among the last ones and the keys counted since. */
  private foldLeaders(): void {
    const { grown, leaderPlaces, leadersSeen, distinct } = this;
    if (grown === null || (grown.size === 0 && distinct === leadersSeen)) return;
    for (const place of leaderPlaces) grown.add(place);
    this.leaderPlaces = firstN(chain(grown, places(leadersSeen, distinct)), this.leaderCount, this.placeOrder());
    this.grown = new Set();
    this.leadersSeen = distinct;
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
    if (this.sortedOnce?.version !== this.version) {
      const version = this.version;
      this.sortedOnce = { version, order: this.allPlaces().sort(this.sortOrder(this.keyPrefixes())) };
    }
    return this.sortedOnce.order;
  }

  /**
   * sortedPlaces(), worked out in slices that give way to other events (the app's main thread
   * is its UI's): afterwards sortedPlaces() returns it at once while the table is unchanged. A
   * table that changed while it was sorted (a live run) is sorted again, at most twice, then at
   * once.
   */
  async sortedPlacesInSlices(options?: SliceOptions): Promise<Uint32Array> {
    for (let tries = 0; tries < 2 && this.sortedOnce?.version !== this.version; tries++) {
      const version = this.version;
      const slices = new Slices(options);
      const first = new Float64Array(this.distinct);
      for (const steps = this.fillKeyPrefixes(first); !steps.next().done; ) await slices.turn();
      // a key added meanwhile is not in `first`: start again
      if (version !== this.version) continue;
      // kept under the version it was sorted for: stale at once if the table changed meanwhile
      this.sortedOnce = { version, order: await sortInSlices(this.allPlaces(), this.sortOrder(first), slices) };
    }
    return this.sortedPlaces();
  }

  private allPlaces(): Uint32Array {
    const order = new Uint32Array(this.distinct);
    for (let i = 0; i < order.length; i++) order[i] = i;
    return order;
  }

  /** The panel's order for sorting every key: `first` (keyPrefixes()) first, the keys' bytes only on a tie. */
  private sortOrder(first: Float64Array): (a: number, b: number) => number {
    const byKey = this.keyOrder();
    if (isTimePanel(this.name)) return (a, b) => first[a]! - first[b]! || byKey(a, b);
    const counts = this.narrowCounts();
    if (counts) return (a, b) => counts[b]! - counts[a]! || first[a]! - first[b]! || byKey(a, b);
    return (a, b) => this.countAt(b) - this.countAt(a) || first[a]! - first[b]! || byKey(a, b);
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
    return firstN(places(0, this.distinct), n, this.placeOrder()).map((place) => this.entryAt(place));
  }
}

function* places(from: number, to: number): Generator<number> {
  for (let i = from; i < to; i++) yield i;
}

function* chain<T>(...lists: Iterable<T>[]): Generator<T> {
  for (const list of lists) yield* list;
}

/** Keys merged between looks at the clock (a few milliseconds, more while the code is cold). */
export const MERGE_STEP = 4_096;
/** Keys put into a growing table's new slots between looks at the clock (~0.25 µs each). */
const GROW_STEP = 16_384;

/**
 * Merge one file's panels into the run's tallies, giving the event loop a turn whenever a slice's
 * time is spent (`slices`): the app's main process is the window's event loop, and a file of a
 * million distinct keys took 0.7 s to merge in one go (and 40-60 ms a slice when slices were a
 * fixed 32,768 keys: the first ones run before the code is optimized). Files with few keys merge
 * at once, as before.
 */
export async function mergeFileYielding(tallies: readonly PanelTally[], panels: readonly PanelCounts[], slices = new Slices()): Promise<void> {
  for (const p of mergeOrder(tallies)) {
    const counts = panels[p]!;
    const n = countsSize(counts);
    // a file's keys are distinct: an empty table takes them without growing on the way (a
    // table that has keys is not: how many are new is not known, and room is memory)
    const tally = tallies[p]!;
    if (tally.distinct === 0) tally.reserve(n);
    for (let from = 0; from < n; from += MERGE_STEP) {
      const to = Math.min(n, from + MERGE_STEP);
      // room for the slice first, made a step at a time: a table that crossed its load in the
      // slice would rehash every key it has in one block (0.7 s at 3 million keys)
      while (!tally.hasRoomFor(to - from)) {
        tally.growStep(GROW_STEP);
        await slices.turn();
      }
      tally.mergeRange(counts, from, to);
      await slices.turn();
    }
  }
}

/** Merge one file's panels into the run's tallies at once (a few keys: a follow look, a partial). */
export function mergeFile(tallies: readonly PanelTally[], panels: readonly PanelCounts[]): void {
  for (const p of mergeOrder(tallies)) tallies[p]!.merge(panels[p]!);
}

/** Merge one table a panel (a partial's, in the tallies' order) as they are held: mergeFile() without packing them. */
export function mergeTables(tallies: readonly PanelTally[], tables: readonly KeyTotals[]): void {
  for (const p of mergeOrder(tallies)) tallies[p]!.mergeTotals(tables[p]!);
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

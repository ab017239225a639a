/**
 * One panel's result over a run: the Counter merge (analysis-semantics.md §6) of every file's
 * keys, counts and bytes, read back in the panel's order.
 */
import type { PanelCounts } from '../../shared/file-result';
import { firstN, type KeyCount } from '../../shared/key-count';
import { DERIVED_FROM, isTimePanel, KEYS_AMONG, type PanelName } from '../../shared/panels';
import { derivedPanels, type Query } from '../../shared/query';
import { countsSize, KeyTotals, type KeyPlaced } from '../../shared/key-totals';
import { Leaders } from './leaders';
import { DerivedTally, derivedRule } from './derived-tally';
import { Slices, sortInSlices, type SliceOptions } from './sort-in-slices';

export class PanelTally extends KeyTotals {
  /** Lines counted in the panel, and the sum of their sizes. */
  counted = 0;
  bytes = 0;

  constructor(readonly name: PanelName) {
    super();
  }

  private readonly board = new Leaders({ end: () => this.distinct, has: () => true, order: () => this.placeOrder() });
  /** Panels read off this one (derived-tally.ts): told of every key it counts. */
  private readonly derived: DerivedTally[] = [];

  /** Tell `panel` of every key counted from now on (it is read off this one). */
  feeds(panel: DerivedTally): void {
    if (this.distinct > 0) throw new Error('a derived panel is fed from the start');
    this.derived.push(panel);
  }

  /** Merge one file's counts (the Counter merge). */
  merge(file: PanelCounts): void {
    this.mergeRange(file, 0, countsSize(file));
  }

  /** Merge the file's keys [from, to): a file's merge may be spread over several turns of the event loop. */
  mergeRange(file: PanelCounts, from: number, to: number): void {
    this.addCountsRange(file, from, to, this.tallied());
    this.settle();
  }

  /** Merge another table's counts as they are held (logpool merge: a partial's millions of keys, not packed first). */
  mergeTotals(table: KeyTotals): void {
    this.addTotalsOf(table, this.tallied());
    this.settle();
  }

  /** What a merge does with each key counted: the panel's sums, the leaders' keys that changed, and the derived panels'. */
  private tallied(): KeyPlaced {
    const { board, derived } = this;
    const own: KeyPlaced = (place, count, bytes) => {
      board.counted(place);
      this.counted += count;
      this.bytes += bytes;
    };
    if (derived.length === 0) return own;
    return (place, count, bytes, b, s, e) => {
      own(place, count, bytes, b, s, e);
      for (const d of derived) d.sourceCounted(place, count, bytes, b, s, e);
    };
  }

  private settle(): void {
    this.board.settle();
    for (const d of this.derived) d.settle();
  }

  /** The panel's order on places (without an object per comparison). */
  placeOrder(): (a: number, b: number) => number {
    const byKey = this.keyOrder();
    if (isTimePanel(this.name)) return byKey;
    const counts = this.narrowCounts();
    return counts ? (a, b) => counts[b]! - counts[a]! || byKey(a, b) : (a, b) => this.countAt(b) - this.countAt(a) || byKey(a, b);
  }

  /** The key (decoded), count and bytes at a place (an entry of sortedPlaces(), for one). */
  entryAt(place: number): KeyCount {
    return { key: this.keyAt(place), count: this.countAt(place), bytes: this.bytesAt(place) };
  }

  /** top(n) kept up as files merge, for a run shown live (leaders.ts). */
  leaders(n: number): KeyCount[] {
    return this.board.leaders(n).map((place) => this.entryAt(place));
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
export async function mergeFileYielding(tallies: readonly RunTally[], panels: readonly PanelCounts[], slices = new Slices()): Promise<void> {
  for (const [tally, p] of mergeOrder(tallies)) {
    const counts = panels[p]!;
    const n = countsSize(counts);
    // a file's keys are distinct: an empty table takes them without growing on the way (a
    // table that has keys is not: how many are new is not known, and room is memory)
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
export function mergeFile(tallies: readonly RunTally[], panels: readonly PanelCounts[]): void {
  for (const [tally, p] of mergeOrder(tallies)) tally.merge(panels[p]!);
}

/** Merge one table a panel (a partial's, in the tallies' order) as they are held: mergeFile() without packing them. */
export function mergeTables(tallies: readonly RunTally[], tables: readonly KeyTotals[]): void {
  for (const [tally, p] of mergeOrder(tallies)) tally.mergeTotals(tables[p]!);
}

/**
 * The tables a file's panels are merged into, each with its panel's index, in the order that puts
 * a panel's key source before it, so the keys are there. A derived panel is not merged: its
 * source's merge counts it (a file's counts of it are none, and were they not, they would be its
 * source's over again).
 */
function mergeOrder(tallies: readonly RunTally[]): Array<[PanelTally, number]> {
  const merged = tallies.flatMap((tally, i): Array<[PanelTally, number]> => (tally instanceof PanelTally ? [[tally, i]] : []));
  return merged.sort(([a], [b]) => Number(a.sharesKeys) - Number(b.sharesKeys));
}

/** One panel of a run: a table of its own, or read off another panel's (derived-tally.ts). */
export type RunTally = PanelTally | DerivedTally;

/**
 * Tables for panels: a panel whose keys are among another's reads them from its table (a file
 * read in parts; a panel a run derives is then not counted, and stays empty).
 */
export function newTallies(panels: readonly PanelName[]): PanelTally[] {
  const tallies = panels.map((name) => new PanelTally(name));
  for (const tally of tallies) {
    const source = tallies.find((other) => other.name === KEYS_AMONG[tally.name]);
    if (source) tally.shareKeysOf(source);
  }
  return tallies;
}

/** A run's panels, in the query's order: those it derives (derivedPanels) read off their source's table. */
export function runTallies(query: Pick<Query, 'panels' | 'prefix'>): RunTally[] {
  const derived = derivedPanels(query);
  const tables = newTallies(query.panels.filter((name) => !derived.has(name)));
  const tableOf = (name: PanelName): PanelTally => tables.find((t) => t.name === name)!;
  return query.panels.map((name) => (derived.has(name) ? new DerivedTally(name, tableOf(DERIVED_FROM[name]!), derivedRule(name, query)) : tableOf(name)));
}

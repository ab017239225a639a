/**
 * A panel read off another panel of the run (shared/panels.ts DERIVED_FROM): its keys are the
 * source's keys that pass a rule on the key alone, with the source's counts and bytes. It holds
 * one bit a source key (whether the key is one of its own) and its sums; its keys, counts and
 * order are the source's. 5 M book paths beside 5 M paths were 92 MB of tables of their own in
 * the main process, and half of every file's result sent by a worker; now they are 0.6 MB.
 */
import { firstN, type KeyCount } from '../../shared/key-count';
import type { PanelName } from '../../shared/panels';
import type { Query } from '../../shared/query';
import { isBookPath } from '../worker/parse/path-rules';
import { Leaders } from './leaders';
import type { PanelTally } from './panel-tally';
import { Slices, type SliceOptions } from './sort-in-slices';

/** Whether the key b[s, e) of the source is one of the derived panel's. */
export type KeyRule = (b: Uint8Array, s: number, e: number) => boolean;

/** The rule that picks a derived panel's keys out of its source's. */
export function derivedRule(name: PanelName, query: Pick<Query, 'prefix'>): KeyRule {
  if (name !== 'book-paths') throw new Error(`panel ${name} is not derived from another`);
  const prefix = new TextEncoder().encode(query.prefix);
  return (b, s, e) => isBookPath(b, s, e, prefix);
}

/** Source keys filtered between looks at the clock. */
const FILTER_STEP = 262_144;

export class DerivedTally {
  /** Lines counted in the panel, and the sum of their sizes. */
  counted = 0;
  bytes = 0;
  /** Bit p: the source's key at place p is one of this panel's. */
  private bits = new Uint8Array(64);
  /** How many of the source's places have been looked at (places are given in order). */
  private known = 0;
  private members = 0;
  private adds = 0;
  private readonly board: Leaders;
  /** sortedPlaces() as last worked out, and the version then. */
  private sortedOnce: { version: number; order: Uint32Array } | undefined;

  constructor(
    readonly name: PanelName,
    readonly source: PanelTally,
    private readonly rule: KeyRule,
  ) {
    this.board = new Leaders({ end: () => this.known, has: (place) => this.has(place), order: () => source.placeOrder() });
    source.feeds(this);
  }

  get distinct(): number {
    return this.members;
  }

  /** Changes with every key of the panel counted. */
  get version(): number {
    return this.adds;
  }

  /** Whether the source's key at `place` is one of this panel's. */
  has(place: number): boolean {
    return ((this.bits[place >> 3]! >> (place & 7)) & 1) === 1;
  }

  /** The source counted its key b[s, e) at `place` (a new place the first time: they come in order). */
  sourceCounted(place: number, count: number, bytes: number, b: Uint8Array, s: number, e: number): void {
    if (place === this.known) {
      if (place >> 3 >= this.bits.length) {
        const bits = new Uint8Array(this.bits.length * 2);
        bits.set(this.bits);
        this.bits = bits;
      }
      if (this.rule(b, s, e)) {
        this.bits[place >> 3]! |= 1 << (place & 7);
        this.members++;
      }
      this.known++;
    } else if (place > this.known) {
      throw new Error(`${this.name} was not told of the source's keys ${this.known} to ${place - 1}`);
    }
    if (!this.has(place)) return;
    this.adds++;
    this.counted += count;
    this.bytes += bytes;
    this.board.counted(place);
  }

  /** After a slice of the source's merge. */
  settle(): void {
    this.board.settle();
  }

  /** The key (decoded), count and bytes at a place (the source's place). */
  entryAt(place: number): KeyCount {
    return this.source.entryAt(place);
  }

  /** top(n) kept up as files merge, for a run shown live. */
  leaders(n: number): KeyCount[] {
    return this.board.leaders(n).map((place) => this.entryAt(place));
  }

  /** The first n keys in the panel's order (n = Infinity: all of them). */
  top(n: number): KeyCount[] {
    if (n === Infinity || n >= this.distinct) return this.sorted();
    return firstN(this.places(), n, this.source.placeOrder()).map((place) => this.entryAt(place));
  }

  /** The panel's places (the source's), in the panel's order: the source's order, kept to its own keys. */
  sortedPlaces(): Uint32Array {
    if (this.sortedOnce?.version !== this.version) {
      const version = this.version;
      const order = new Uint32Array(this.members);
      for (const steps = this.fillOwn(this.source.sortedPlaces(), order); !steps.next().done; );
      this.sortedOnce = { version, order };
    }
    return this.sortedOnce.order;
  }

  /** sortedPlaces(), worked out in slices that give way to other events (the app's main thread). */
  async sortedPlacesInSlices(options?: SliceOptions): Promise<Uint32Array> {
    for (let tries = 0; tries < 2 && this.sortedOnce?.version !== this.version; tries++) {
      const version = this.version;
      const all = await this.source.sortedPlacesInSlices(options);
      if (version !== this.version) continue;
      const slices = new Slices(options);
      const order = new Uint32Array(this.members);
      for (const steps = this.fillOwn(all, order); !steps.next().done; ) await slices.turn();
      if (version !== this.version) continue;
      this.sortedOnce = { version, order };
    }
    return this.sortedPlaces();
  }

  /** Fills `out` with the places in `all` that are this panel's, in their order, pausing every FILTER_STEP places (as fillKeyPrefixes does). */
  private *fillOwn(all: Uint32Array, out: Uint32Array): Generator<void, void, void> {
    let n = 0;
    for (let i = 0; i < all.length; i++) {
      if (this.has(all[i]!)) out[n++] = all[i]!;
      if (i % FILTER_STEP === FILTER_STEP - 1) yield;
    }
  }

  /** Every key, in the panel's order, one at a time. */
  *inOrder(): Generator<KeyCount> {
    for (const place of this.sortedPlaces()) yield this.entryAt(place);
  }

  /** Every key, in the panel's order. */
  sorted(): KeyCount[] {
    return Array.from(this.sortedPlaces(), (place) => this.entryAt(place));
  }

  private *places(): Generator<number> {
    for (let p = 0; p < this.known; p++) if (this.has(p)) yield p;
  }
}

/**
 * top(n) of a panel kept up as files merge, for a run shown live. Counts only grow, so a key that
 * was not among the first n and has not been counted since cannot be now (the n before it still
 * are): the first n are found among the last first n and the keys counted since, at the merge's
 * cost, not a pass over every key per update.
 */
import { firstN } from '../../shared/key-count';

/** The keys a board ranks: places [0, end()), those for which has() holds, in order(). */
export interface PlaceSpace {
  end(): number;
  has(place: number): boolean;
  order(): (a: number, b: number) => number;
}

export class Leaders {
  /**
   * The places already there when leaders() last ran that were counted since; null until it
   * first runs, or when so many were that a pass over every key costs less. Places new since
   * then are not held here: they are the places from `seen` on.
   */
  private grown: Set<number> | null = null;
  /** The end of the place space when leaders() last ran. */
  private seen = 0;
  private places: number[] = [];
  private count = -1;

  constructor(private readonly space: PlaceSpace) {}

  /** A key at `place` was counted (before settle()). */
  counted(place: number): void {
    if (place < this.seen && this.grown !== null) {
      this.grown.add(place);
      if (this.grown.size > this.seen / 4) this.grown = null;
    }
  }

  /**
   * After a slice of a merge: kept up a slice at a time, so the next leaders() has little left to
   * look at (a file of a million new keys was one pass over all of them, 80 ms of the UI's loop).
   */
  settle(): void {
    if (this.grown !== null && this.count >= 0) this.fold();
  }

  /** The places of the first n keys, in order. */
  leaders(n: number): readonly number[] {
    if (n !== this.count || this.grown === null) {
      this.places = firstN(this.range(0, this.space.end()), n, this.space.order());
      this.count = n;
      this.grown = new Set();
      this.seen = this.space.end();
    } else {
      this.fold();
    }
    return this.places;
  }

  /** The first `count` among the last ones and the keys counted since. */
  private fold(): void {
    const { grown, seen } = this;
    const end = this.space.end();
    if (grown === null || (grown.size === 0 && end === seen)) return;
    for (const place of this.places) grown.add(place);
    this.places = firstN(chain(grown, this.range(seen, end)), this.count, this.space.order());
    this.grown = new Set();
    this.seen = end;
  }

  private *range(from: number, to: number): Generator<number> {
    const { space } = this;
    for (let p = from; p < to; p++) if (space.has(p)) yield p;
  }
}

function* chain<T>(...lists: Iterable<T>[]): Generator<T> {
  for (const list of lists) yield* list;
}

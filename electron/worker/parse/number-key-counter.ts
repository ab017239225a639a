/**
 * A Counter keyed by whole numbers (hour or day numbers of the time panels), with bytes summed
 * beside the count; the last key is remembered, since consecutive lines nearly always share it.
 */
import type { KeyTotals } from '../../../shared/key-totals';

export class NumberKeyCounter {
  private readonly index = new Map<number, number>();
  private readonly counts: number[] = [];
  private readonly sums: number[] = [];
  private readonly numbers: number[] = [];
  private lastKey = NaN;
  private lastAt = -1;

  add(key: number, size: number): void {
    let at = this.lastAt;
    if (key !== this.lastKey) {
      at = this.index.get(key) ?? -1;
      if (at < 0) {
        at = this.numbers.length;
        this.index.set(key, at);
        this.numbers.push(key);
        this.counts.push(0);
        this.sums.push(0);
      }
      this.lastKey = key;
      this.lastAt = at;
    }
    this.counts[at]! += 1;
    this.sums[at]! += size;
  }

  /** Every key, as `keyOf` names it, with its count and bytes, added into `into`. */
  addTo(into: KeyTotals, keyOf: (n: number) => string): void {
    for (let k = 0; k < this.numbers.length; k++) into.add(keyOf(this.numbers[k]!), this.counts[k]!, this.sums[k]!);
  }
}

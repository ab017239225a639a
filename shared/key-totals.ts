/**
 * A Counter of decoded keys with the bytes of each key's lines beside the count: an index map over
 * parallel arrays (a million keys cost a Map entry and two numbers each). A worker pours a file's
 * tables into one; the engine merges every file's into one per panel (PanelTally).
 */
import type { PanelCounts } from './file-result';

export class KeyTotals {
  private readonly index = new Map<string, number>();
  protected readonly keys: string[] = [];
  protected readonly counts: number[] = [];
  protected readonly sums: number[] = [];

  get distinct(): number {
    return this.keys.length;
  }

  /** Count a key's lines and bytes; returns where the key is held. */
  add(key: string, count: number, bytes: number): number {
    const at = this.index.get(key);
    if (at === undefined) {
      this.index.set(key, this.keys.length);
      this.keys.push(key);
      this.counts.push(count);
      this.sums.push(bytes);
      return this.keys.length - 1;
    }
    this.counts[at]! += count;
    this.sums[at]! += bytes;
    return at;
  }

  /** Count every key of a file's (or a job's) counts. */
  addCounts(counts: PanelCounts): void {
    counts.keys.forEach((key, j) => this.add(key, counts.counts[j]!, counts.bytes[j]!));
  }

  toCounts(): PanelCounts {
    return { keys: this.keys, counts: this.counts, bytes: this.sums };
  }
}

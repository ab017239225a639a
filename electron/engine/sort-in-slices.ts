/**
 * Sorting a large array of numbers without holding the event loop: runs are sorted, then merged
 * pairwise, and the work gives way to other events every few milliseconds. In the app the loop
 * is the UI's (Electron's main thread): one call to sort() on a million keys held it for 170 ms.
 */

/** Elements sorted as one run before the merges (a run's sort takes a few milliseconds). */
const RUN = 16_384;
/** Elements merged between looks at the clock. */
const STEP = 4_096;

export interface SliceOptions {
  /** Work at most this long before giving way (default 8 ms). */
  sliceMs?: number;
  /** How to give way (default: setImmediate, after the events waiting). */
  pause?: () => Promise<void>;
}

/** A turn of the event loop for the events waiting (setImmediate). */
const giveWay = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Work in slices: call turn() between steps; it gives way once the slice's time is spent. */
export class Slices {
  private readonly sliceMs: number;
  private readonly pause: () => Promise<void>;
  private started = performance.now();

  constructor(options: SliceOptions = {}) {
    this.sliceMs = options.sliceMs ?? 8;
    this.pause = options.pause ?? giveWay;
  }

  async turn(): Promise<void> {
    if (performance.now() - this.started < this.sliceMs) return;
    await this.pause();
    this.started = performance.now();
  }
}

/**
 * `values` sorted by `compare` (a total order), in slices: the array returned may be `values`
 * or another of its length; `values` is not to be used after.
 */
export async function sortInSlices(values: Uint32Array, compare: (a: number, b: number) => number, slices = new Slices()): Promise<Uint32Array> {
  const n = values.length;
  for (let at = 0; at < n; at += RUN) {
    values.subarray(at, Math.min(n, at + RUN)).sort(compare);
    await slices.turn();
  }
  let from = values;
  let to = n > RUN ? new Uint32Array(n) : values;
  for (let width = RUN; width < n; width *= 2) {
    for (let left = 0; left < n; left += 2 * width) {
      const mid = Math.min(n, left + width);
      const end = Math.min(n, left + 2 * width);
      let i = left;
      let j = mid;
      let k = left;
      while (k < end) {
        const stop = Math.min(end, k + STEP);
        for (; k < stop; k++) {
          if (j >= end || (i < mid && compare(from[i]!, from[j]!) <= 0)) to[k] = from[i++]!;
          else to[k] = from[j++]!;
        }
        await slices.turn();
      }
    }
    [from, to] = [to, from];
  }
  return from;
}

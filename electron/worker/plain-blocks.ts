/**
 * Reads a plain file's bytes straight into the block reader's input area, one block at a time,
 * with synchronous reads. Reading into a buffer of our own on the thread pool (plain-reads.ts)
 * costs a copy of every byte into the reader's memory, and a thread handoff per read: ~30% more
 * CPU for the same file (1 GB: 1.28–1.54 s of CPU against 0.99–1.13 s). With one worker the
 * pool thread used the other core for nothing; with a worker on every core, as when a large file
 * is read in parts, that CPU is taken from the other worker.
 *
 * The reads are synchronous: the worker gives way to its event loop (messages, cancelling)
 * every few milliseconds between blocks.
 */
import { readSync } from 'node:fs';
import { Slices } from '../engine/sort-in-slices';

/** Where blocks of whole lines are put and read in place (LineAnalyzer). */
export interface InPlaceLines {
  /** The area, or null where there is no block reader; a fresh view before every block. */
  blockArea(): Buffer | null;
  /** area[0, n): whole lines, the last ending in '\n'; what follows them is overwritten. */
  linesInPlace(n: number): void;
}

/** Where reading in place stopped: the rest is read by the line splitter. */
export interface InPlaceStop {
  /** The offset in the file it read up to. */
  at: number;
  /** The bytes read before `at` that are not yet a whole line (a copy), to go before the rest. */
  unfinished: Buffer;
  /** The read that failed, when one did: what was read before it is still counted. */
  error?: unknown;
}

/**
 * Reads fd's bytes from `from` up to `to` (to the end when undefined) into `sink`'s area, and
 * stops at the end, at a line longer than the area (the line splitter knows what to do with
 * it; it is rare), or at a read that fails. `taken` is told the bytes read after each read.
 * Throws the signal's reason once it aborts.
 */
export async function readPlainInPlace(
  fd: number,
  from: number,
  to: number | undefined,
  sink: InPlaceLines,
  taken: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<InPlaceStop> {
  let area = sink.blockArea()!;
  const slices = new Slices();
  let at = from;
  // bytes at the area's start: the start of a line not yet ended
  let carry = 0;
  let keep = Buffer.allocUnsafe(4096);
  for (;;) {
    const room = area.length - carry;
    const length = to === undefined ? room : Math.min(room, to - at);
    if (length === 0) break;
    let got: number;
    try {
      got = readSync(fd, area, carry, length, at);
    } catch (error) {
      return { at, unfinished: Buffer.from(area.subarray(0, carry)), error };
    }
    if (got === 0) break;
    at += got;
    taken(got);
    const n = carry + got;
    const last = area.lastIndexOf(10, n - 1);
    if (last < 0) {
      carry = n;
      continue;
    }
    const end = last + 1;
    carry = n - end;
    // the unfinished line after the block: the reader overwrites it
    if (carry > keep.length) keep = Buffer.allocUnsafe(Math.max(carry, keep.length * 2));
    area.copy(keep, 0, end, n);
    sink.linesInPlace(end);
    area = sink.blockArea()!;
    keep.copy(area, 0, 0, carry);
    signal?.throwIfAborted();
    await slices.turn();
  }
  return { at, unfinished: Buffer.from(area.subarray(0, carry)) };
}

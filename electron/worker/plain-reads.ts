/**
 * Reads a byte range of a plain file into two buffers that are kept for the worker's life, one
 * being filled by the thread pool while the other is read: a file stream allocates a fresh 1 MiB
 * buffer for every read, and touching that much new memory costs a worker ~35% of its reading
 * time alone and more when two workers read at once (they contend for memory, not for the CPU).
 *
 * Where lines are read by the block reader, a plain file is read straight into its memory
 * instead (plain-blocks.ts); this reads the rest after a line longer than a block, and every
 * plain file where there is no block reader (the JavaScript reader, the user's formats).
 */
import { read } from 'node:fs';

const READ_BYTES = 1 << 20;

/**
 * Pairs of buffers not in use. A worker reads one file at a time and keeps one pair; a process
 * that reads several at once (the serial executor beside following, in one process) makes a
 * pair for each, so no two reads share a buffer.
 */
const idle: Array<[Buffer, Buffer]> = [];

function readAt(fd: number, into: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, into, 0, length, position, (err, got) => (err ? reject(err) : resolve(got)));
  });
}

/**
 * Hands `take` the bytes of fd from `from` up to `to` (exclusive; to the file's end when
 * undefined), in order, each chunk valid only during the call. Stops early when `signal` aborts
 * (throwing its reason) or a read fails (throwing its error). Every read it started has finished
 * when it returns or throws, so the descriptor can be closed then.
 */
export async function readPlainRange(
  fd: number,
  from: number,
  to: number | undefined,
  take: (chunk: Buffer) => void,
  signal?: AbortSignal,
): Promise<void> {
  const pair = idle.pop() ?? [Buffer.allocUnsafe(READ_BYTES), Buffer.allocUnsafe(READ_BYTES)];
  let at = from;
  const next = (into: Buffer): Promise<number> => {
    const length = to === undefined ? into.length : Math.min(into.length, to - at);
    return length > 0 ? readAt(fd, into, length, at) : Promise.resolve(0);
  };
  let which = 0;
  let pending = next(pair[0]);
  try {
    for (;;) {
      const got = await pending;
      if (got === 0) return;
      const filled = pair[which]!;
      at += got;
      which ^= 1;
      pending = next(pair[which]!);
      signal?.throwIfAborted();
      take(filled.subarray(0, got));
    }
  } finally {
    // the read ahead (or the one that failed) is settled before the caller closes fd
    await pending.catch(() => 0);
    idle.push(pair);
  }
}

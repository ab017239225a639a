/**
 * Text of any length, produced piece by piece (a JSON report, a CSV, a table of every key),
 * written in large writes: never one string of it all.
 */
const CHUNK_CHARS = 1 << 20;

/** The pieces gathered into strings of about a megabyte. */
export function* inChunks(pieces: Iterable<string>): Generator<string> {
  let pending = '';
  for (const piece of pieces) {
    pending += piece;
    if (pending.length >= CHUNK_CHARS) {
      yield pending;
      pending = '';
    }
  }
  if (pending) yield pending;
}

/** To a stream (standard output), waiting whenever it is full. */
export async function writePieces(out: NodeJS.WritableStream, pieces: Iterable<string>): Promise<void> {
  for (const chunk of inChunks(pieces)) {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
  }
}

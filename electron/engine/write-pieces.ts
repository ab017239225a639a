/** Text of any length to a stream (standard output): gathered into large writes, waiting whenever the stream is full. */
export async function writePieces(out: NodeJS.WritableStream, pieces: Iterable<string>): Promise<void> {
  let pending = '';
  const flush = async (): Promise<void> => {
    const chunk = pending;
    pending = '';
    if (chunk && !out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  for (const piece of pieces) {
    pending += piece;
    if (pending.length >= 1 << 20) await flush();
  }
  await flush();
}

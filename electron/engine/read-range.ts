/** Bytes of a file read by position, without reading the rest of it. */
import { promises as fsp } from 'node:fs';

/** The bytes [from, to) of an open file; fewer when the file ends first. */
export async function readRangeOf(handle: fsp.FileHandle, from: number, to: number): Promise<Buffer> {
  // every byte handed back is one read (the rest is cut off)
  const buf = Buffer.allocUnsafe(to - from);
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await handle.read(buf, got, buf.length - got, from + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/** The bytes [from, to) of a file (by path or raw name); fewer when the file ends first. */
export async function readRange(name: string | Buffer, from: number, to: number): Promise<Buffer> {
  const handle = await fsp.open(name, 'r');
  try {
    return await readRangeOf(handle, from, to);
  } finally {
    await handle.close();
  }
}

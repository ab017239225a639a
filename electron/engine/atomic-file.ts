/**
 * Outputs are written whole or not at all: into a temporary file beside the target, flushed to
 * disk, then renamed over it. A failure (disk full, a string too long, Ctrl-C) removes the
 * temporary file and leaves any earlier output as it was.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { inChunks } from './write-pieces';

/** Run `fill` on a new temporary file beside `target`, then put it in place (or remove it). */
async function replaceAtomically(target: string, fill: (handle: fsp.FileHandle) => Promise<number>): Promise<number> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fsp.open(temp, 'wx', 0o666);
  try {
    const bytes = await fill(handle);
    await handle.sync();
    await handle.close();
    await fsp.rename(temp, target);
    return bytes;
  } catch (e) {
    await handle.close().catch(() => undefined);
    await fsp.rm(temp, { force: true });
    throw e;
  }
}

/** Text produced piece by piece into `target`, whole or not at all. Returns the bytes written. */
export function writeFileAtomic(target: string, pieces: Iterable<string>): Promise<number> {
  return replaceAtomically(target, async (handle) => {
    let bytes = 0;
    for (const chunk of inChunks(pieces)) {
      const data = Buffer.from(chunk, 'utf8');
      bytes += data.length;
      await handle.write(data);
    }
    return bytes;
  });
}

/** Bytes into `target`, whole or not at all. */
export function writeBytesAtomic(target: string, data: Uint8Array): Promise<number> {
  return replaceAtomically(target, async (handle) => {
    await handle.writeFile(data);
    return data.length;
  });
}

/** Why `target` cannot be written, or undefined when it looks writable (checked before a run). */
export async function outputProblem(target: string): Promise<string | undefined> {
  const dir = path.dirname(path.resolve(target));
  try {
    const st = await fsp.stat(target);
    if (st.isDirectory()) return 'it is a folder';
  } catch {
    // not there yet: fine
  }
  try {
    const st = await fsp.stat(dir);
    if (!st.isDirectory()) return `${dir} is not a folder`;
    await fsp.access(dir, fsp.constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `the folder ${dir} does not exist`;
    if (code === 'EACCES' || code === 'EPERM') return `the folder ${dir} is not writable`;
    return `the folder ${dir} cannot be used: ${(e as Error).message}`;
  }
  return undefined;
}

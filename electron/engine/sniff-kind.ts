/** What a file holds, told by its first bytes (as a worker tells it), read without blocking. */
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { fileKind, MAGIC_BYTES, type FileKind } from '../worker/file-kind';

export async function sniffKind(file: FileHandle): Promise<FileKind> {
  const magic = Buffer.alloc(MAGIC_BYTES);
  const { bytesRead } = await file.read(magic, 0, MAGIC_BYTES, 0);
  return fileKind(magic.subarray(0, bytesRead));
}

/** The kind of the file named; undefined when it cannot be opened (the worker will say why). */
export async function sniffKindOf(name: string | Buffer): Promise<FileKind | undefined> {
  let file: FileHandle;
  try {
    file = await open(name, 'r');
  } catch {
    return undefined;
  }
  try {
    return await sniffKind(file);
  } catch {
    return undefined;
  } finally {
    await file.close();
  }
}

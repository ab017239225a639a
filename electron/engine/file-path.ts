/**
 * File names as the OS gives them: bytes. Node decodes names to strings with U+FFFD for what is
 * not UTF-8, and such a string names no file, so a path that does not survive the round trip is
 * carried as bytes too: shown with U+FFFD, opened by its bytes.
 */
export type FsPath = string | Buffer;

export interface ShownPath {
  /** For people and reports: UTF-8, invalid sequences as U+FFFD. */
  path: string;
  /** The exact bytes, when `path` does not name the file. */
  rawPath?: Buffer;
}

export function showPath(p: FsPath): ShownPath {
  if (typeof p === 'string') return { path: p };
  const text = p.toString('utf8');
  return Buffer.byteLength(text) === p.length && Buffer.from(text).equals(p) ? { path: text } : { path: text, rawPath: p };
}

export function toBytes(p: FsPath): Buffer {
  return typeof p === 'string' ? Buffer.from(p) : p;
}

const SLASH = 0x2f;

export function joinBytes(dir: Buffer, name: Buffer): Buffer {
  return dir.length > 0 && dir[dir.length - 1] === SLASH ? Buffer.concat([dir, name]) : Buffer.concat([dir, Buffer.of(SLASH), name]);
}

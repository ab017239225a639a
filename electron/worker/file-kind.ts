/**
 * What a file is, by its first bytes (its name says nothing: logrotate names bzip2 files `.gz`
 * when told to, and people rename). Text, gzip, bzip2, xz and zstd are read; the other
 * compressed and archive kinds are not, and must never be read as text: their bytes would be
 * counted as malformed lines and the file reported ok.
 */
import type { Compression } from '../../shared/file-result';

export type FileKind = { read: Compression } | { read: 'unreadable'; kind: string };

/** How many leading bytes `fileKind` looks at (tar's mark is at 257). */
export const MAGIC_BYTES = 262;

const COMPRESSED: ReadonlyArray<[Compression, number[]]> = [
  ['gzip', [0x1f, 0x8b]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

const SIGNATURES: ReadonlyArray<[string, number[], number]> = [
  ['an lz4-compressed file', [0x04, 0x22, 0x4d, 0x18], 0],
  ['an lzip-compressed file', [0x4c, 0x5a, 0x49, 0x50], 0],
  ['a compress (.Z) file', [0x1f, 0x9d], 0],
  ['a zip archive', [0x50, 0x4b, 0x03, 0x04], 0],
  ['a zip archive (empty)', [0x50, 0x4b, 0x05, 0x06], 0],
  ['a zip archive (spanned)', [0x50, 0x4b, 0x07, 0x08], 0],
  ['a 7-Zip archive', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 0],
  ['a RAR archive', [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], 0],
  ['a tar archive', [0x75, 0x73, 0x74, 0x61, 0x72], 257],
  ['an ELF executable', [0x7f, 0x45, 0x4c, 0x46], 0],
  ['a PDF document', [0x25, 0x50, 0x44, 0x46, 0x2d], 0],
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0],
  ['a JPEG image', [0xff, 0xd8, 0xff], 0],
];

function startsWith(head: Uint8Array, sig: readonly number[], at: number): boolean {
  if (head.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (head[at + i] !== sig[i]) return false;
  return true;
}

export function fileKind(head: Uint8Array): FileKind {
  for (const [read, sig] of COMPRESSED) {
    // bzip2's 'BZh' is followed by the block size, '1' to '9' (a text line may start "BZh")
    if (startsWith(head, sig, 0) && (read !== 'bzip2' || (head[3]! >= 0x31 && head[3]! <= 0x39))) return { read };
  }
  for (const [kind, sig, at] of SIGNATURES) {
    if (startsWith(head, sig, at)) return { read: 'unreadable', kind };
  }
  return { read: 'none' };
}

export function notReadReason(kind: string): string {
  return `${kind}: not read (logpool reads plain text, gzip, bzip2, xz and zstd; unpack it first)`;
}

/**
 * The command line's arguments as bytes. Node decodes argv as UTF-8, replacing what is not with
 * U+FFFD, so a file whose name is not UTF-8 could not be named on the command line at all. On
 * Linux the kernel keeps the bytes in /proc/self/cmdline: the last arguments there are ours.
 */
import { readFileSync } from 'node:fs';
import type { FsPath } from '../engine/file-path';

function cmdlineArgs(count: number): Buffer[] | undefined {
  let raw: Buffer;
  try {
    raw = readFileSync('/proc/self/cmdline');
  } catch {
    return undefined;
  }
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0) {
      parts.push(raw.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < raw.length) parts.push(raw.subarray(start));
  return parts.length >= count ? parts.slice(parts.length - count) : undefined;
}

/**
 * Each of this process's arguments (as Node decoded them), or its bytes where the decoding lost
 * some. Where the bytes cannot be had, the strings are kept.
 */
export function rawArgv(args: readonly string[] = process.argv.slice(2)): FsPath[] {
  if (!args.some((a) => a.includes('\uFFFD'))) return [...args];
  const raw = cmdlineArgs(args.length);
  if (!raw || raw.some((b, i) => b.toString('utf8') !== args[i])) return [...args];
  return args.map((a, i) => (Buffer.from(a).equals(raw[i]!) ? a : raw[i]!));
}

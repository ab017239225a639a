/**
 * A lazy walk of folders and files: entries are yielded as they are found, so that dispatch
 * starts before the walk ends. Recursive, names matched against patterns, hidden entries skipped,
 * only regular files read (FIFOs, sockets and devices are reported, never opened), symbolic
 * links followed with loops and duplicates detected, pseudo file systems (/proc, /sys, /dev) not
 * walked. Names are handled as bytes, so a name that is not UTF-8 is still read. Every entry that
 * cannot be looked at (a broken link, a folder without permission, a path too long) is reported
 * with the OS's reason: nothing vanishes without a word.
 */
import { promises as fsp, stat, type Dirent, type Stats } from 'node:fs';
import { describeFsError } from './fs-errors';
import { joinBytes, showPath, toBytes, type FsPath } from './file-path';
import { nameMatcher } from './name-patterns';
import { pseudoFileSystem } from './pseudo-fs';

/** A file's or folder's identity whatever its name: its device and inode (a renamed file keeps it). */
export function fileId(st: { dev: number; ino: number }): string {
  return `${st.dev}:${st.ino}`;
}

export type ScanEntry =
  /** A regular file to analyse; `rawPath` when its name is not UTF-8 (open it by those bytes). */
  | { kind: 'file'; path: string; rawPath?: Buffer; size: number; /** device and inode: the file whatever its name (a rotated file keeps it) */ id: string }
  /** Matched, but not to be read: not a regular file, the same file as one already listed, a pseudo file system. */
  | { kind: 'skipped'; path: string; reason: string }
  /** Could not be looked at: a broken link, a folder or file without permission, a path too long, gone. */
  | { kind: 'failed'; path: string; reason: string };

export interface ScanOptions {
  patterns: readonly string[];
  signal?: AbortSignal;
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

const DOT = 0x2e;

/** Stats of a folder's entries in flight at once. */
const STATS_AHEAD = 32;

interface LookFailure {
  failure: unknown;
}

/** stat(2), never rejecting (the callback form: half the cost of fs.promises' on the calling thread). */
function look(p: Buffer): Promise<Stats | LookFailure> {
  return new Promise((resolve) => stat(p, (failure, st) => resolve(failure ? { failure } : st)));
}

export async function* scan(roots: readonly FsPath[], options: ScanOptions): AsyncGenerator<ScanEntry> {
  const matches = nameMatcher(options.patterns);
  const seenFiles = new Map<string, string>();
  const seenDirs = new Set<string>();
  const shown = (p: Buffer): string => showPath(p).path;

  function* fileEntry(p: Buffer, st: Stats): Generator<ScanEntry> {
    if (!st.isFile()) {
      yield { kind: 'skipped', path: shown(p), reason: `${kindOf(st)}, not read` };
      return;
    }
    const id = fileId(st);
    const first = seenFiles.get(id);
    if (first !== undefined) {
      yield { kind: 'skipped', path: shown(p), reason: `same file as ${first}` };
      return;
    }
    const { path, rawPath } = showPath(p);
    seenFiles.set(id, path);
    yield { kind: 'file', path, ...(rawPath ? { rawPath } : {}), size: st.size, id };
  }

  async function* walk(dir: Buffer, st: Stats, parentDev: number | undefined): AsyncGenerator<ScanEntry> {
    const id = fileId(st);
    if (seenDirs.has(id)) return; // a symlink loop, or a folder reached twice
    seenDirs.add(id);
    if (st.dev !== parentDev) {
      // a mount point or a link onto another file system: the only places a pseudo one begins
      const pseudo = await pseudoFileSystem(dir);
      if (pseudo) {
        yield { kind: 'skipped', path: shown(dir), reason: `on a pseudo file system (${pseudo}), not walked` };
        return;
      }
    }
    let entries: Dirent<Buffer>[];
    try {
      entries = await fsp.readdir(dir, { encoding: 'buffer', withFileTypes: true });
    } catch (e) {
      yield { kind: 'failed', path: shown(dir), reason: `folder not readable: ${describeFsError(e)}` };
      return;
    }
    entries.sort((a, b) => Buffer.compare(a.name, b.name));
    // a regular file whose name does not match needs no look (most of a folder, often)
    const looked = entries.filter((e) => e.name[0] !== DOT && (!e.isFile() || matches(shown(e.name))));
    const paths = looked.map((e) => joinBytes(dir, e.name));
    // several stats in flight at once, taken in order: one at a time, a folder of 20,000 small
    // files took longer to walk than to read
    const stats: Array<Promise<Stats | LookFailure> | undefined> = [];
    let started = 0;
    for (let i = 0; i < looked.length; i++) {
      if (options.signal?.aborted) return;
      for (; started < looked.length && started < i + STATS_AHEAD; started++) stats[started] = look(paths[started]!);
      const entry = looked[i]!;
      const p = paths[i]!;
      const named = matches(shown(entry.name));
      const target = await stats[i]!;
      stats[i] = undefined;
      if ('failure' in target) {
        // a folder we may not enter, a path too long for the OS, a link that leads nowhere:
        // report it when it is a folder or a name the user asked for
        const e = target.failure;
        const code = (e as NodeJS.ErrnoException).code;
        if (entry.isDirectory()) yield { kind: 'failed', path: shown(p), reason: `folder not readable: ${describeFsError(e)}` };
        else if (named || (entry.isSymbolicLink() && code !== 'ENOENT')) yield { kind: 'failed', path: shown(p), reason: describeFsError(e) };
        continue;
      }
      if (target.isDirectory()) yield* walk(p, target, st.dev);
      else if (named) yield* fileEntry(p, target);
    }
  }

  for (const root of roots) {
    if (options.signal?.aborted) return;
    const p = toBytes(root);
    let st: Stats;
    try {
      st = await fsp.stat(p);
    } catch (e) {
      yield { kind: 'failed', path: shown(p), reason: describeFsError(e) };
      continue;
    }
    // A file named explicitly is read whatever its name.
    if (st.isDirectory()) yield* walk(p, st, undefined);
    else yield* fileEntry(p, st);
  }
}

/**
 * A lazy walk of folders and files: entries are yielded as they are found, so that dispatch
 * starts before the walk ends. Recursive, names matched against patterns, hidden entries skipped,
 * only regular files read (FIFOs, sockets and devices are reported, never opened), symbolic
 * links followed with loops and duplicates detected, unreadable entries reported with the reason.
 */
import { promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';
import { describeFsError } from './fs-errors';
import { nameMatcher } from './name-patterns';

export type ScanEntry =
  /** A regular file to analyse. */
  | { kind: 'file'; path: string; size: number }
  /** Matched, but not to be read: not a regular file, or the same file as one already listed. */
  | { kind: 'skipped'; path: string; reason: string }
  /** Could not be looked at: a broken link, a folder or file without permission, gone. */
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

export async function* scan(roots: readonly string[], options: ScanOptions): AsyncGenerator<ScanEntry> {
  const matches = nameMatcher(options.patterns);
  const seenFiles = new Map<string, string>();
  const seenDirs = new Set<string>();

  function* fileEntry(p: string, st: Stats): Generator<ScanEntry> {
    if (!st.isFile()) {
      yield { kind: 'skipped', path: p, reason: `${kindOf(st)}, not read` };
      return;
    }
    const id = `${st.dev}:${st.ino}`;
    const first = seenFiles.get(id);
    if (first !== undefined) {
      yield { kind: 'skipped', path: p, reason: `same file as ${first}` };
      return;
    }
    seenFiles.set(id, p);
    yield { kind: 'file', path: p, size: st.size };
  }

  async function* walk(dir: string, st: Stats): AsyncGenerator<ScanEntry> {
    const id = `${st.dev}:${st.ino}`;
    if (seenDirs.has(id)) return; // a symlink loop, or a folder reached twice
    seenDirs.add(id);
    let names: string[];
    try {
      names = (await fsp.readdir(dir)).sort();
    } catch (e) {
      yield { kind: 'failed', path: dir, reason: `folder not readable: ${describeFsError(e)}` };
      return;
    }
    for (const name of names) {
      if (options.signal?.aborted) return;
      if (name.startsWith('.')) continue;
      const p = path.join(dir, name);
      let target: Stats;
      try {
        target = await fsp.stat(p);
      } catch (e) {
        // a broken link, or an entry gone since readdir
        if (matches(name)) yield { kind: 'failed', path: p, reason: describeFsError(e) };
        continue;
      }
      if (target.isDirectory()) yield* walk(p, target);
      else if (matches(name)) yield* fileEntry(p, target);
    }
  }

  for (const root of roots) {
    if (options.signal?.aborted) return;
    let st: Stats;
    try {
      st = await fsp.stat(root);
    } catch (e) {
      yield { kind: 'failed', path: root, reason: describeFsError(e) };
      continue;
    }
    // A file named explicitly is read whatever its name.
    if (st.isDirectory()) yield* walk(root, st);
    else yield* fileEntry(root, st);
  }
}

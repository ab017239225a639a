/**
 * The browser host's folder browser: the folders inside one folder (never a file's name or
 * content), and how many files it holds, so a user can see where the logs are. The path is
 * checked as a typed run folder is (absolute, validated before it gets here); symbolic links to
 * folders count as folders. Bounded: a folder of a million entries answers with the first few
 * thousand folders and says so.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { FolderListing } from '../../shared/app-contract';
import { describeFsError } from '../engine/fs-errors';

/** The most folders one answer lists. */
export const MAX_LISTED_FOLDERS = 2000;
/** The most entries looked at (a symbolic link costs a stat). */
const MAX_ENTRIES = 20000;

function byName(a: string, b: string): number {
  // hidden folders last: they rarely hold logs, and they crowd the top of a home folder
  const hidden = Number(a.startsWith('.')) - Number(b.startsWith('.'));
  return hidden !== 0 ? hidden : a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
}

export async function listFolder(folder: string): Promise<FolderListing | { error: string }> {
  const at = path.resolve(folder);
  let dir;
  try {
    dir = await fsp.opendir(at, { bufferSize: 256 });
  } catch (e) {
    return { error: `cannot open ${at}: ${describeFsError(e)}` };
  }
  const folders: string[] = [];
  let files = 0;
  let seen = 0;
  let truncated = false;
  try {
    for await (const entry of dir) {
      if (++seen > MAX_ENTRIES || folders.length >= MAX_LISTED_FOLDERS) {
        truncated = true;
        break;
      }
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const st = await fsp.stat(path.join(at, entry.name)).catch(() => undefined);
        isDir = st?.isDirectory() ?? false;
        isFile = st?.isFile() ?? false;
      }
      if (isDir) folders.push(entry.name);
      else if (isFile) files++;
    }
  } catch (e) {
    return { error: `cannot read ${at}: ${describeFsError(e)}` };
  } finally {
    // a for-await that breaks closes the directory itself; one that threw may not have
    await dir.close().catch(() => undefined);
  }
  const parent = path.dirname(at);
  return { path: at, parent: parent === at ? null : parent, folders: folders.sort(byName), files, truncated };
}

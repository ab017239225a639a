/** The result cache for a run, where the platform keeps caches; none (and why, on stderr) when that folder cannot be used. */
import type { Query } from '../../shared/query';
import { ResultCache } from './result-cache';
import { cacheDir } from './user-dirs';
import { describeFsError } from './fs-errors';

export async function openResultCache(query: Query, version: string, warn: (message: string) => void = (m) => void process.stderr.write(`logpool: ${m}\n`)): Promise<ResultCache | undefined> {
  const dir = cacheDir();
  try {
    return await ResultCache.open(dir, query, version);
  } catch (e) {
    // a read-only home, a full disk: the run goes on, reading every file
    warn(`the result cache (${dir}) cannot be used: ${describeFsError(e)}; every file is read`);
    return undefined;
  }
}

/**
 * The filters of analysis-semantics.md §5 on a path's bytes: the book's path_filter (empty path,
 * excluded names anywhere, excluded endings of the last part) and book_filter (the prefix).
 */
import type { AnalysisOptions } from '../../../shared/analysis-options';
import { SLASH } from './ascii';

export interface PathRules {
  /** Rules 1-3: true when the line is excluded. */
  isExcluded(b: Uint8Array, s: number, e: number): boolean;
  /** At least two non-empty parts, the first being the prefix. */
  isBookPath(b: Uint8Array, s: number, e: number): boolean;
}

function bytesOf(s: string): Uint8Array {
  return Buffer.from(s, 'utf8');
}

function equalAt(b: Uint8Array, s: number, e: number, word: Uint8Array): boolean {
  if (e - s !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (b[s + k] !== word[k]) return false;
  return true;
}

export function compilePathRules(options: Pick<AnalysisOptions, 'prefix' | 'excludedNames' | 'excludedExtensions'>): PathRules {
  // excluded names bucketed by byte length
  const byLength = new Map<number, Uint8Array[]>();
  for (const name of options.excludedNames) {
    const bytes = bytesOf(name);
    const bucket = byLength.get(bytes.length) ?? [];
    bucket.push(bytes);
    byLength.set(bytes.length, bucket);
  }
  const extensions = options.excludedExtensions.map(bytesOf);
  const prefix = bytesOf(options.prefix);

  function isExcludedName(b: Uint8Array, s: number, e: number): boolean {
    const bucket = byLength.get(e - s);
    if (bucket === undefined) return false;
    for (const word of bucket) if (equalAt(b, s, e, word)) return true;
    return false;
  }

  return {
    isExcluded(b, s, e) {
      let nonEmpty = 0;
      let part = s;
      for (let k = s; k <= e; k++) {
        if (k === e || b[k] === SLASH) {
          if (k > part) nonEmpty++;
          if (isExcludedName(b, part, k)) return true;
          if (k === e) break;
          part = k + 1;
        }
      }
      if (nonEmpty === 0) return true;
      // `part` is now the start of the last part
      for (const ext of extensions) {
        if (e - part >= ext.length && equalAt(b, e - ext.length, e, ext)) return true;
      }
      return false;
    },
    isBookPath(b, s, e) {
      let k = s;
      while (k < e && b[k] === SLASH) k++;
      if (k === e) return false;
      let end = k;
      while (end < e && b[end] !== SLASH) end++;
      if (!equalAt(b, k, end, prefix)) return false;
      // a second non-empty part
      for (let j = end; j < e; j++) if (b[j] !== SLASH) return true;
      return false;
    },
  };
}

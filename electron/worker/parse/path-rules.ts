/**
 * The filters of analysis-semantics.md §5 on a path's bytes: the book's path_filter in one pass
 * (empty path, an excluded name as any part, an excluded ending of the last part), then
 * book_filter (first non-empty part is the prefix, and there is a second non-empty part).
 */
import type { Query } from '../../../shared/query';
import { FNV_OFFSET, FNV_PRIME, HASH_MASK } from './byte-key-counter';
// byte values kept module-local: hot loops compare against constants, not imports
const SLASH = 0x2f;

export const EXCLUDED = 0;
export const OTHER = 1;
export const BOOK_PATH = 2;
export type PathClass = typeof EXCLUDED | typeof OTHER | typeof BOOK_PATH;

/** Classifies a path; `hash` is then the path's FNV-1a hash (as ByteKeyCounter computes it). */
export interface PathClassifier {
  classify(b: Uint8Array, s: number, e: number): PathClass;
  hash: number;
}

function equalAt(b: Uint8Array, s: number, word: Uint8Array): boolean {
  for (let k = 0; k < word.length; k++) if (b[s + k] !== word[k]) return false;
  return true;
}

/**
 * book_filter alone, on a path the exclusion lists kept: its first non-empty part is `prefix` and
 * a second non-empty part follows. classify() ends with it; a run also reads the paths panel's
 * keys with it, to tell which are book paths (a panel derived from paths).
 */
export function isBookPath(b: Uint8Array, s: number, e: number, prefix: Uint8Array): boolean {
  let k = s;
  while (k < e && b[k] === SLASH) k++;
  const first = k;
  while (k < e && b[k] !== SLASH) k++;
  if (k - first !== prefix.length || !equalAt(b, first, prefix)) return false;
  while (k < e && b[k] === SLASH) k++;
  return k < e;
}

export function compilePathRules(options: Pick<Query, 'prefix' | 'excludedNames' | 'excludedExtensions'>): PathClassifier {
  const names = options.excludedNames.map((n) => Buffer.from(n, 'utf8'));
  const maxName = names.reduce((m, n) => Math.max(m, n.length), -1);
  // candidates by (length, first byte): most parts are ruled out by one table look-up
  const byLengthAndFirst = new Map<number, Uint8Array[]>();
  const hint = new Uint8Array((maxName + 1) * 256);
  for (const n of names) {
    const key = n.length * 256 + (n.length > 0 ? n[0]! : 0);
    hint[key] = 1;
    byLengthAndFirst.set(key, [...(byLengthAndFirst.get(key) ?? []), n]);
  }
  const extensions = options.excludedExtensions.map((x) => Buffer.from(x, 'utf8'));
  const prefix = Buffer.from(options.prefix, 'utf8');

  const isName = (b: Uint8Array, s: number, e: number): boolean => {
    const len = e - s;
    if (len > maxName) return false;
    const key = len * 256 + (len > 0 ? b[s]! : 0);
    if (hint[key] === 0) return false;
    for (const n of byLengthAndFirst.get(key)!) if (equalAt(b, s, n)) return true;
    return false;
  };

  const rules: PathClassifier = {
    hash: 0,
    classify(b, s, e) {
      let anyPart = false;
      let part = s;
      let h = FNV_OFFSET;
      for (let k = s; k < e; k++) {
        const c = b[k]!;
        h = Math.imul(h ^ c, FNV_PRIME);
        if (c !== SLASH) continue;
        // a part ends at k
        if (k > part) anyPart = true;
        if (maxName >= 0 && isName(b, part, k)) return EXCLUDED;
        part = k + 1;
      }
      // the last part
      if (e > part) anyPart = true;
      if (maxName >= 0 && isName(b, part, e)) return EXCLUDED;
      if (!anyPart) return EXCLUDED;
      for (let x = 0; x < extensions.length; x++) {
        const ext = extensions[x]!;
        if (e - part >= ext.length && equalAt(b, e - ext.length, ext)) return EXCLUDED;
      }
      rules.hash = h & HASH_MASK; // a small integer: V8 stores it unboxed
      // (reads the path's first part and the slashes after it, not the whole path again)
      return isBookPath(b, s, e, prefix) ? BOOK_PATH : OTHER;
    },
  };
  return rules;
}

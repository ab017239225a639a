/**
 * `--shard K/N`: the K-th of N deterministic slices of a run's inputs, for schedulers that run N
 * copies (Kubernetes indexed jobs, Slurm arrays, GNU parallel over ssh). A file belongs to the
 * slice its path hashes to (FNV-1a of its bytes), so every copy decides alone, whatever order it
 * walks in, and every entry (read, skipped or failed) is reported by exactly one copy.
 */
export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export const MAX_SHARDS = 100_000;

export function parseShard(text: string): Shard | undefined {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && count <= MAX_SHARDS && index >= 1 && index <= count ? { index, count } : undefined;
}

/** The slice (1-based) a path belongs to among `count`. */
export function shardOf(path: string, count: number): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(path, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h % count) + 1;
}

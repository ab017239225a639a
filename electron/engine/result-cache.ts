/**
 * Results of files already read, so that opening the same folder again reads only what changed.
 *
 * One entry per file and query (the analysis options that change counts): the file's result (every
 * panel's keys, counts and bytes, its line accounting and formats) keyed by the file's device and
 * inode, and valid for the size and modification time (ns) it had when read. A plain file that
 * only grew (same inode, larger, and the last 4 KiB before its old end unchanged) is read from its
 * old end and the new lines added to the old result: lines are independent (a line's format is
 * decided line by line), so this equals reading it whole — provided the old end was a line's end,
 * which is why only files that ended in a newline are continued. Anything else is read whole.
 *
 * Entries are files in the cache folder, written atomically (a crash leaves none or a whole one),
 * checked by a SHA-256 of their content and by what they claim to be before use (an entry that
 * does not parse or check is ignored and replaced), and bounded in total size: the least recently
 * used go first.
 */
import { createHash } from 'node:crypto';
import { promises as fsp, type BigIntStats } from 'node:fs';
import * as path from 'node:path';
import type { AnalyzeResult } from '../../shared/worker-protocol';
import type { Query } from '../../shared/query';
import { writeBytesAtomic } from './atomic-file';
import { combineResults } from './file-parts';
import { canonicalJson } from '../../shared/canonical-json';
import type { PanelCounts } from '../../shared/file-result';

/** Raised when what an entry holds, or how it is read, changes: older entries are then ignored. */
const FORMAT_VERSION = 3;
const MAGIC = Buffer.from('LPCACHE3');
/** The bytes before a plain file's old end that must be unchanged for it to be continued. */
export const TAIL_BYTES = 4096;
export const DEFAULT_CACHE_MAX_BYTES = 1024 * 1024 * 1024;
/** An entry used again is marked so (for the LRU) at most this often. */
const TOUCH_AFTER_MS = 60_000;

/** A file's result as cached: what a worker returns, less what belongs to that reading only. */
export type CachedResult = Omit<AnalyzeResult, 'peakRss'>;

interface Entry {
  version: number;
  query: string;
  dev: string;
  ino: string;
  size: number;
  mtimeNs: string;
  /** Plain files that ended in a newline: where the hashed tail starts, and its hash. */
  tail?: { from: number; hash: string };
  result: CachedResult;
}

/** An entry as stored: each panel's packed tables as base64 (JSON holds no typed array). */
type StoredEntry = Omit<Entry, 'result'> & { result: Omit<CachedResult, 'panels'> & { panels: StoredPanel[] } };

interface StoredPanel {
  keyBytes: string;
  keyEnds: string;
  counts: string;
  bytes: string;
}

const base64 = (a: Uint8Array | Uint32Array | Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

function storedPanel(p: PanelCounts): StoredPanel {
  return { keyBytes: base64(p.keyBytes), keyEnds: base64(p.keyEnds), counts: base64(p.counts), bytes: base64(p.bytes) };
}

/** A stored panel read back, or why it cannot be trusted. */
function readPanel(v: unknown): PanelCounts {
  const p = v as Partial<StoredPanel>;
  if (typeof p !== 'object' || p === null || typeof p.keyBytes !== 'string' || typeof p.keyEnds !== 'string' || typeof p.counts !== 'string' || typeof p.bytes !== 'string') throw new Error('not a panel');
  // copied out of the decoded bytes: typed arrays need their own aligned buffers
  const keyBytes = new Uint8Array(Buffer.from(p.keyBytes, 'base64'));
  const words = <A extends Uint32Array | Float64Array>(text: string, make: (n: number) => A): A => {
    const raw = Buffer.from(text, 'base64');
    const out = make(raw.length / make(0).BYTES_PER_ELEMENT);
    if (out.byteLength !== raw.length) throw new Error('a table of the wrong length');
    new Uint8Array(out.buffer).set(raw);
    return out;
  };
  const keyEnds = words(p.keyEnds, (n) => new Uint32Array(n));
  const counts = words(p.counts, (n) => new Float64Array(n));
  const bytes = words(p.bytes, (n) => new Float64Array(n));
  if (counts.length !== keyEnds.length || bytes.length !== keyEnds.length) throw new Error('tables of different lengths');
  // the keys' bytes were valid UTF-8 when stored, and the entry's hash says they are those bytes
  let start = 0;
  for (const end of keyEnds) {
    if (end < start) throw new Error('not a key');
    start = end;
  }
  if (start !== keyBytes.length) throw new Error('key bytes left over');
  return { keyBytes, keyEnds, counts, bytes };
}

/** What the file's identity was when it was looked up (before it is read). */
export interface FileIdentity {
  dev: bigint;
  ino: bigint;
  size: number;
  mtimeNs: bigint;
}

export type CachePlan =
  /** Unchanged: the result as cached. */
  | { kind: 'hit'; result: CachedResult }
  /** Grew: read from `from` and add to `base`. */
  | { kind: 'append'; from: number; base: CachedResult; identity: FileIdentity }
  /** Read it whole (and store what is read). */
  | { kind: 'miss'; identity: FileIdentity | undefined };

export interface CacheStats {
  hits: number;
  appended: number;
  stored: number;
  /** Entries found damaged or of another version, and ignored. */
  rejected: number;
}

/** The analysis options that change counts, in one canonical string (and the version that counted). */
export function queryFingerprint(query: Query, version: string): string {
  return canonicalJson({ format: FORMAT_VERSION, version, query });
}

function identityOf(st: BigIntStats): FileIdentity {
  return { dev: st.dev, ino: st.ino, size: Number(st.size), mtimeNs: st.mtimeNs };
}

function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;
}

/** Read the bytes [from, to) of a file (by path or raw name). */
async function readRange(name: string | Buffer, from: number, to: number): Promise<Buffer> {
  const handle = await fsp.open(name, 'r');
  try {
    const buf = Buffer.alloc(to - from);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, from + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await handle.close();
  }
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Add a part read from a file's old end to what was read before it (the time is the part's: it is all this run spent). */
export function appendResult(base: CachedResult, part: CachedResult): CachedResult {
  return { ...combineResults([base, part]), ms: part.ms };
}

export class ResultCache {
  readonly stats: CacheStats = { hits: 0, appended: 0, stored: 0, rejected: 0 };
  private readonly pending = new Set<Promise<void>>();

  private constructor(
    readonly dir: string,
    private readonly fingerprint: string,
    private readonly maxBytes: number,
  ) {}

  /** The cache for one run's query, in `dir` (made if missing). */
  static async open(dir: string, query: Query, version: string, maxBytes = DEFAULT_CACHE_MAX_BYTES): Promise<ResultCache> {
    await fsp.mkdir(dir, { recursive: true });
    return new ResultCache(dir, queryFingerprint(query, version), maxBytes);
  }

  private entryFile(id: FileIdentity): string {
    return path.join(this.dir, `${sha256(Buffer.from(`${this.fingerprint}\0${id.dev}\0${id.ino}`)).slice(0, 40)}.entry`);
  }

  private async readEntry(file: string, id: FileIdentity): Promise<Entry | undefined> {
    let data: Buffer;
    try {
      data = await fsp.readFile(file);
    } catch {
      return undefined;
    }
    try {
      const hashEnd = MAGIC.length + 32;
      if (data.length < hashEnd || !data.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not an entry');
      const payload = data.subarray(hashEnd);
      if (createHash('sha256').update(payload).digest().compare(data.subarray(MAGIC.length, hashEnd)) !== 0) throw new Error('damaged');
      // JSON: parsed three times faster than a V8 serialization of the same tables
      const stored = JSON.parse(payload.toString('utf8')) as StoredEntry;
      const r = stored?.result;
      if (stored.version !== FORMAT_VERSION || stored.query !== this.fingerprint || stored.dev !== String(id.dev) || stored.ino !== String(id.ino)) throw new Error('another file or query');
      if (typeof stored.size !== 'number' || typeof stored.mtimeNs !== 'string' || !r || !Array.isArray(r.panels) || typeof r.lines !== 'number') throw new Error('not a result');
      return { ...stored, result: { ...r, panels: r.panels.map(readPanel) } };
    } catch {
      this.stats.rejected++;
      return undefined;
    }
  }

  /** What to do with a file: use its cached result, continue it from its old end, or read it whole. */
  async plan(name: string | Buffer): Promise<CachePlan> {
    let id: FileIdentity;
    try {
      id = identityOf(await fsp.stat(name, { bigint: true }));
    } catch {
      return { kind: 'miss', identity: undefined };
    }
    const file = this.entryFile(id);
    const entry = await this.readEntry(file, id);
    if (!entry) return { kind: 'miss', identity: id };
    if (entry.size === id.size && entry.mtimeNs === String(id.mtimeNs)) {
      this.stats.hits++;
      this.touch(file);
      return { kind: 'hit', result: entry.result };
    }
    if (entry.tail && id.size > entry.size) {
      const tail = await readRange(name, entry.tail.from, entry.size).catch(() => undefined);
      if (tail && tail.length === entry.size - entry.tail.from && sha256(tail) === entry.tail.hash) {
        this.stats.appended++;
        return { kind: 'append', from: entry.size, base: entry.result, identity: id };
      }
    }
    return { kind: 'miss', identity: id };
  }

  private touch(file: string): void {
    const now = new Date();
    this.track(
      fsp.stat(file).then(async (st) => {
        if (now.getTime() - st.mtimeMs > TOUCH_AFTER_MS) await fsp.utimes(file, now, now);
      }),
    );
  }

  private track(work: Promise<unknown>): void {
    const p = work.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /**
   * Keep a file's result, when the file is as it was before it was read (same identity after)
   * and was read to the end it had. Runs in the background; `flush` waits for it.
   */
  store(name: string | Buffer, before: FileIdentity | undefined, result: CachedResult): void {
    if (!before || result.status !== 'ok' || result.bytes !== before.size) return;
    this.track(this.write(name, before, result));
  }

  private async write(name: string | Buffer, before: FileIdentity, result: CachedResult): Promise<void> {
    const after = identityOf(await fsp.stat(name, { bigint: true }));
    if (!sameIdentity(before, after)) return; // changed while it was read: next time, read it again
    let tail: Entry['tail'];
    if (result.compression === 'none' && before.size > 0) {
      const from = Math.max(0, before.size - TAIL_BYTES);
      const bytes = await readRange(name, from, before.size);
      // continued only from a line's end
      if (bytes.length === before.size - from && bytes[bytes.length - 1] === 0x0a) tail = { from, hash: sha256(bytes) };
    }
    const entry: StoredEntry = { version: FORMAT_VERSION, query: this.fingerprint, dev: String(before.dev), ino: String(before.ino), size: before.size, mtimeNs: String(before.mtimeNs), ...(tail ? { tail } : {}), result: { ...result, panels: result.panels.map(storedPanel) } };
    const payload = Buffer.from(JSON.stringify(entry), 'utf8');
    await writeBytesAtomic(this.entryFile(before), Buffer.concat([MAGIC, createHash('sha256').update(payload).digest(), payload]));
    this.stats.stored++;
  }

  /** Wait for every store, then keep the cache within its size: least recently used entries go first. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    await this.evict();
  }

  private async evict(): Promise<void> {
    let names: string[];
    try {
      names = (await fsp.readdir(this.dir)).filter((n) => n.endsWith('.entry'));
    } catch {
      return;
    }
    const entries = (
      await Promise.all(
        names.map(async (n) => {
          const file = path.join(this.dir, n);
          const st = await fsp.stat(file).catch(() => undefined);
          return st ? { file, size: st.size, used: st.mtimeMs } : undefined;
        }),
      )
    ).filter((e) => e !== undefined);
    let total = entries.reduce((sum, e) => sum + e.size, 0);
    if (total <= this.maxBytes) return;
    entries.sort((a, b) => a.used - b.used);
    for (const e of entries) {
      if (total <= this.maxBytes) break;
      await fsp.rm(e.file, { force: true });
      total -= e.size;
    }
  }
}

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
 * used go first. An entry is a small JSON header (what file, what query, the line accounting)
 * and the panels' packed tables as they are in memory: whether a file is unchanged is known from
 * the header alone, and its tables are read (and checked) later, while workers read what changed.
 */
import { createHash } from 'node:crypto';
import { promises as fsp, type BigIntStats } from 'node:fs';
import * as path from 'node:path';
import type { AnalyzeResult } from '../../shared/worker-protocol';
import type { Query } from '../../shared/query';
import type { PanelName } from '../../shared/panels';
import { writeBytesAtomic } from './atomic-file';
import { readRange } from './read-range';
import { combineResults } from './file-parts';
import { canonicalJson } from '../../shared/canonical-json';
import { Slices } from './sort-in-slices';
import type { PanelCounts } from '../../shared/file-result';

/** Raised when what an entry holds, or how it is read, changes: older entries are then ignored. */
const FORMAT_VERSION = 4;
const MAGIC = Buffer.from('LPCACHE4');
const HASH_BYTES = 32;
/** The bytes before a plain file's old end that must be unchanged for it to be continued. */
export const TAIL_BYTES = 4096;
export const DEFAULT_CACHE_MAX_BYTES = 1024 * 1024 * 1024;
/** An entry used again is marked so (for the LRU) at most this often. */
const TOUCH_AFTER_MS = 60_000;

/** A file's result as cached: what a worker returns, less what belongs to that reading only. */
export type CachedResult = Omit<AnalyzeResult, 'peakRss'>;

/**
 * What an entry says in JSON. After it, each panel's tables as bytes: keyEnds, counts, bytes
 * (the sizes its `panels` give), then keyBytes. The file: MAGIC, the SHA-256 of everything after
 * the hash, the header's length (u32 LE), the header, the tables.
 */
interface EntryHeader {
  version: number;
  query: string;
  dev: string;
  ino: string;
  size: number;
  mtimeNs: string;
  /** Plain files that ended in a newline: where the hashed tail starts, and its hash. */
  tail?: { from: number; hash: string };
  result: Omit<CachedResult, 'panels'>;
  panels: Array<{ keys: number; keyBytes: number }>;
}

const bytesOf = (a: Uint8Array | Uint32Array | Float64Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Bytes of an entry hashed or copied between looks at the clock (~2 ms of work). */
const SLICE_BYTES = 4 << 20;

/**
 * The SHA-256 of `pieces` one after another, a slice at a time: an entry of a million keys is
 * ~50 MB, and hashed at once it held the app's event loop (Electron's main thread) ~25 ms.
 */
async function hashInSlices(pieces: readonly Uint8Array[], slices: Slices): Promise<Buffer> {
  const hash = createHash('sha256');
  for (const piece of pieces) {
    for (let at = 0; at < piece.length; at += SLICE_BYTES) {
      hash.update(piece.subarray(at, at + SLICE_BYTES));
      await slices.turn();
    }
  }
  return hash.digest();
}

async function encodeEntry(header: Omit<EntryHeader, 'panels'>, panels: readonly PanelCounts[]): Promise<Buffer> {
  const head = Buffer.from(JSON.stringify({ ...header, panels: panels.map((p) => ({ keys: p.keyEnds.length, keyBytes: p.keyBytes.length })) }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(head.length);
  const payload = [length, head, ...panels.flatMap((p) => [bytesOf(p.keyEnds), bytesOf(p.counts), bytesOf(p.bytes), p.keyBytes])];
  // the tables copied once, into the entry
  return Buffer.concat([MAGIC, await hashInSlices(payload, new Slices()), ...payload]);
}

/** Where an entry's header starts. */
const HEADER_AT = MAGIC.length + HASH_BYTES + 4;
/** How much of an entry is read to learn whether its file is unchanged (its header is most often ~1 KB). */
const HEAD_READ_BYTES = 16 * 1024;

/** Where an entry's header ends (and its tables start), by its first bytes. */
function headerEnd(data: Buffer): number {
  if (data.length < HEADER_AT || !data.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not an entry');
  return HEADER_AT + data.readUInt32LE(HEADER_AT - 4);
}

/** An entry's header, or why it is not one (its tables and hash are checked when they are read). */
function decodeHeader(data: Buffer): { header: EntryHeader; tablesAt: number } {
  const tablesAt = headerEnd(data);
  if (tablesAt > data.length) throw new Error('cut short');
  const header = JSON.parse(data.toString('utf8', HEADER_AT, tablesAt)) as EntryHeader;
  const r = header?.result;
  if (typeof header.size !== 'number' || typeof header.mtimeNs !== 'string' || !r || typeof r.lines !== 'number' || !Array.isArray(header.panels)) throw new Error('not a result');
  return { header, tablesAt };
}

/**
 * An entry's tables, once its hash says it is the entry that was written, or why they cannot be
 * trusted. Hashed and copied a slice at a time: done at once, a hit of a million keys held the
 * app's event loop for ~100 ms.
 */
async function decodePanels(data: Buffer, header: EntryHeader, tablesAt: number): Promise<PanelCounts[]> {
  const slices = new Slices();
  const hash = await hashInSlices([data.subarray(MAGIC.length + HASH_BYTES)], slices);
  if (hash.compare(data.subarray(MAGIC.length, MAGIC.length + HASH_BYTES)) !== 0) throw new Error('damaged');
  let at = tablesAt;
  // copied out: typed arrays need their own aligned buffers
  const take = async <A extends Uint8Array | Uint32Array | Float64Array>(out: A): Promise<A> => {
    if (at + out.byteLength > data.length) throw new Error('cut short');
    const into = bytesOf(out);
    for (let done = 0; done < into.length; done += SLICE_BYTES) {
      const end = Math.min(into.length, done + SLICE_BYTES);
      into.set(data.subarray(at + done, at + end), done);
      await slices.turn();
    }
    at += out.byteLength;
    return out;
  };
  const panels: PanelCounts[] = [];
  for (const { keys, keyBytes: length } of header.panels) {
    if (!Number.isSafeInteger(keys) || keys < 0 || !Number.isSafeInteger(length) || length < 0) throw new Error('not a panel');
    const keyEnds = await take(new Uint32Array(keys));
    const counts = await take(new Float64Array(keys));
    const bytes = await take(new Float64Array(keys));
    const keyBytes = await take(new Uint8Array(length));
    // the keys' bytes were valid UTF-8 when stored, and the entry's hash says they are those bytes
    let start = 0;
    for (let k = 0; k < keyEnds.length; k++) {
      const end = keyEnds[k]!;
      if (end < start) throw new Error('not a key');
      start = end;
      if ((k & 0xffff) === 0xffff) await slices.turn();
    }
    if (start !== keyBytes.length) throw new Error('key bytes left over');
    panels.push({ keyBytes, keyEnds, counts, bytes });
  }
  if (at !== data.length) throw new Error('bytes left over');
  return panels;
}

/** What the file's identity was when it was looked up (before it is read). */
export interface FileIdentity {
  dev: bigint;
  ino: bigint;
  size: number;
  mtimeNs: bigint;
}

export type CachePlan =
  /**
   * Unchanged, by what its entry says: `load` reads the result (the tables, checked), or gives
   * undefined when the entry turns out damaged (then the file must be read).
   */
  | { kind: 'hit'; load: () => Promise<CachedResult | undefined>; identity: FileIdentity }
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

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Add a part read from a file's old end to what was read before it (the time is the part's: it is all this run spent). */
export async function appendResult(base: CachedResult, part: CachedResult, panels: readonly PanelName[]): Promise<CachedResult> {
  return { ...(await combineResults([base, part], panels)), ms: part.ms };
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

  /**
   * An entry's bytes (`whole`, or only as far as its header: enough to know whether its file is
   * unchanged) and its header, when it is one and is this file's for this query.
   */
  private async readHeader(file: string, id: FileIdentity, whole: boolean): Promise<{ data: Buffer; header: EntryHeader; tablesAt: number } | undefined> {
    let data: Buffer;
    try {
      data = whole ? await fsp.readFile(file) : await readRange(file, 0, HEAD_READ_BYTES);
    } catch {
      return undefined;
    }
    try {
      // a header longer than the first read
      if (!whole && data.length === HEAD_READ_BYTES && headerEnd(data) > data.length) data = await readRange(file, 0, headerEnd(data));
      const { header, tablesAt } = decodeHeader(data);
      if (header.version !== FORMAT_VERSION || header.query !== this.fingerprint || header.dev !== String(id.dev) || header.ino !== String(id.ino)) throw new Error('another file or query');
      return { data, header, tablesAt };
    } catch {
      this.stats.rejected++;
      return undefined;
    }
  }

  /** The result an entry holds, or undefined when its tables do not check. */
  private async readResult(data: Buffer, header: EntryHeader, tablesAt: number): Promise<CachedResult | undefined> {
    try {
      return { ...header.result, panels: await decodePanels(data, header, tablesAt) };
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
    const found = await this.readHeader(file, id, false);
    if (!found) return { kind: 'miss', identity: id };
    const { header } = found;
    if (header.size === id.size && header.mtimeNs === String(id.mtimeNs)) {
      // the tables are read when used: not held meanwhile (an entry of millions of keys is large)
      const load = async (): Promise<CachedResult | undefined> => {
        const again = await this.readHeader(file, id, true);
        if (!again || again.header.size !== header.size || again.header.mtimeNs !== header.mtimeNs) return undefined;
        const result = await this.readResult(again.data, again.header, again.tablesAt);
        if (result) {
          this.stats.hits++;
          this.touch(file);
        }
        return result;
      };
      return { kind: 'hit', load, identity: id };
    }
    if (header.tail && id.size > header.size) {
      const tail = await readRange(name, header.tail.from, header.size).catch(() => undefined);
      const entry = tail && tail.length === header.size - header.tail.from && sha256(tail) === header.tail.hash ? await this.readHeader(file, id, true) : undefined;
      const base = entry && entry.header.size === header.size && entry.header.mtimeNs === header.mtimeNs ? await this.readResult(entry.data, entry.header, entry.tablesAt) : undefined;
      if (base) {
        this.stats.appended++;
        return { kind: 'append', from: header.size, base, identity: id };
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
    let tail: EntryHeader['tail'];
    if (result.compression === 'none' && before.size > 0) {
      const from = Math.max(0, before.size - TAIL_BYTES);
      const bytes = await readRange(name, from, before.size);
      // continued only from a line's end
      if (bytes.length === before.size - from && bytes[bytes.length - 1] === 0x0a) tail = { from, hash: sha256(bytes) };
    }
    const { panels, ...summary } = result;
    const header = { version: FORMAT_VERSION, query: this.fingerprint, dev: String(before.dev), ino: String(before.ino), size: before.size, mtimeNs: String(before.mtimeNs), ...(tail ? { tail } : {}), result: summary };
    await writeBytesAtomic(this.entryFile(before), await encodeEntry(header, panels));
    this.stats.stored++;
  }

  /** Wait for every store, then keep the cache within its size: least recently used entries go first. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    // only what this run wrote can have taken the cache past its bound (a run of hits stats nothing more)
    if (this.stats.stored > 0) await this.evict();
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

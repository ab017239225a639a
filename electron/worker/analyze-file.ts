/**
 * The worker's job: read one file (by its magic bytes: plain text, gzip, bzip2, xz or zstd, every
 * member, stream or frame), cut it into lines, reduce it to counts, and say how it ended: ok,
 * partial (the stream broke part way; what was read before the break is counted), failed (could
 * not be read at all) or skipped. Standard input is read the same way (analyzeStream).
 */
import { closeSync, constants as fsConstants, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { AnalyzeJob, AnalyzeJobResult, AnalyzeProgress, AnalyzeResult, AnalyzeTask } from '../../shared/worker-protocol';
import { emptyCounts, KeyTotals } from '../../shared/key-totals';
import type { Compression, FileStatus } from '../../shared/file-result';
import { LineAnalyzer } from './parse/line-analyzer';
import { planQuery } from './parse/query-plan';
import type { Query } from '../../shared/query';
import { LineSplitter } from './line-splitter';
import { fileKind, MAGIC_BYTES, notReadReason } from './file-kind';
import { describeFsError } from '../engine/fs-errors';
import { peakRss, sampleRss } from './peak-rss';
import type { TaskContext } from './serve-tasks';
import { DecodeError, decodeStream } from './decompress';
import { readPlainRange } from './plain-reads';
import { readPlainInPlace } from './plain-blocks';

const READ_CHUNK = 1 << 20;

/**
 * A plain or gzip file up to this size is read in one synchronous read and inflated in one call:
 * no stream, no round trip to the thread pool, no 1 MiB buffers, which are most of the cost of a
 * small file. Anything unusual about it (it grew, it does not inflate cleanly) sends it down the
 * streaming path, which says exactly where and how it broke.
 */
const SMALL_FILE_BYTES = 256 << 10;
/** Text inflated from a small gzip file in one call, at most (more: streamed, in bounded memory). */
const SMALL_TEXT_BYTES = 16 << 20;
/** The one buffer small files are read into (nothing keeps a reference to it past a file). */
let smallBuffer: Buffer | undefined;

// O_NONBLOCK: a FIFO swapped in after the scan must not block the open.
const OPEN_FLAGS = fsConstants.O_NONBLOCK !== undefined ? fsConstants.O_RDONLY | fsConstants.O_NONBLOCK : 'r';

/** One file's reading in progress: its analyzer, and how it ends. */
class FileReading {
  readonly started = performance.now();
  readonly analyzer: LineAnalyzer;
  readonly splitter: LineSplitter;
  bytesRead = 0;
  compression: Compression = 'none';
  status: FileStatus = 'ok';
  error: string | undefined;

  constructor(
    readonly path: string,
    readonly ctx: TaskContext<AnalyzeProgress>,
  ) {
    if (!isQuery(ctx.setup)) throw new Error('no query: the pool sends one before the first file');
    const plan = planQuery(ctx.setup);
    this.analyzer = new LineAnalyzer(plan);
    this.splitter = new LineSplitter(this.analyzer, plan.query.maxLineBytes);
  }

  fail(status: FileStatus, error: string): AnalyzeResult {
    this.status = status;
    this.error = error;
    return this.finish();
  }

  finish(): AnalyzeResult {
    const analyzer = this.analyzer;
    const panels = analyzer.result(); // first: it makes the stats final
    const sample = analyzer.firstMalformed;
    return {
      path: this.path,
      status: this.status,
      ...(this.error !== undefined ? { error: this.error } : {}),
      ...analyzer.stats,
      bytes: this.bytesRead,
      ms: Math.round((performance.now() - this.started) * 10) / 10,
      compression: this.compression,
      formats: analyzer.formats,
      ...(sample !== undefined ? { firstMalformed: sample } : {}),
      panels,
      peakRss: peakRss(),
    };
  }

  /** The whole text at once (a small file read in one go, `bytes` on disk). */
  readAll(text: Buffer, bytes: number): AnalyzeResult {
    this.splitter.push(text);
    this.bytesRead = bytes;
    this.ctx.report({ bytesRead: bytes, lines: this.analyzer.stats.lines });
    this.splitter.end();
    return this.finish();
  }

  /** A plain file's bytes [from, to) (to its end when `to` is undefined), read from fd, which the caller closes. */
  async readPlain(fd: number, from: number, to: number | undefined): Promise<AnalyzeResult> {
    const { splitter, ctx } = this;
    const report = this.reporter(() => this.bytesRead);
    try {
      if (this.analyzer.blockArea() !== null) {
        // straight into the block reader's memory, up to the end or a line longer than a block
        const stop = await readPlainInPlace(fd, from, to, this.analyzer, (bytes) => {
          this.bytesRead += bytes;
          report();
        }, ctx.signal);
        splitter.push(stop.unfinished);
        if (stop.error !== undefined) throw stop.error;
        from = stop.at;
      }
      // the rest, if any, by the line splitter
      await readPlainRange(fd, from, to, (chunk) => {
        this.bytesRead += chunk.length;
        splitter.push(chunk);
        report();
      }, ctx.signal);
    } catch (e) {
      if (ctx.signal?.aborted) throw e;
      this.broke(e);
    }
    splitter.end();
    return this.finish();
  }

  /** Read `raw` (a compressed file, or standard input, from its start) as this.compression to its end or its break. */
  async read(raw: Readable): Promise<AnalyzeResult> {
    const { splitter, ctx } = this;
    let readFailure: unknown;
    raw.on('error', (err) => {
      readFailure = err;
    });
    const onAbort = (): void => {
      raw.destroy(new Error('cancelled'));
    };
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (this.compression !== 'none') {
        // progress counts the compressed bytes taken by the decoder
        const report = this.reporter(() => decoded.taken());
        const decoded = decodeStream(this.compression, raw, (chunk) => {
          splitter.push(chunk);
          report();
        }, (n) => {
          this.bytesRead += n;
        });
        await decoded.done;
      } else {
        const report = this.reporter(() => this.bytesRead);
        for await (const chunk of raw) {
          this.bytesRead += (chunk as Buffer).length;
          splitter.push(chunk as Buffer);
          report();
        }
      }
    } catch (e) {
      if (ctx.signal?.aborted) throw e;
      if (e instanceof DecodeError && readFailure === undefined) {
        this.status = 'partial';
        this.error = e.message;
      } else {
        this.broke(readFailure ?? e);
      }
    } finally {
      ctx.signal?.removeEventListener('abort', onAbort);
      raw.destroy();
      // closed once a read still in flight is done: wait, so no later open reuses the number early
      if (!raw.closed) await new Promise<void>((resolve) => raw.once('close', () => resolve()));
    }
    splitter.end();
    return this.finish();
  }

  /** Reading failed part way (or before the first byte). */
  private broke(e: unknown): void {
    this.status = this.analyzer.stats.lines === 0 && this.bytesRead === 0 ? 'failed' : 'partial';
    this.error = `read error: ${describeFsError(e)}`;
  }

  /** Posts progress after each chunk (`taken`: the file's bytes read so far), sampling memory now and then. */
  private reporter(taken: () => number): () => void {
    let chunks = 0;
    return () => {
      if ((++chunks & 63) === 0) sampleRss();
      this.ctx.report({ bytesRead: taken(), lines: this.analyzer.stats.lines });
    };
  }
}

export async function analyzeFile(task: AnalyzeTask, ctx: TaskContext<AnalyzeProgress>): Promise<AnalyzeResult> {
  const reading = new FileReading(task.path, ctx);
  // open, stat and the magic bytes synchronously: a worker has nothing else to do meanwhile, and
  // the promise API's round trips cost ~0.2 ms a file (it shows with thousands of small files)
  let fd: number;
  let streamOwnsFd = false;
  try {
    // a name that is not UTF-8 comes as bytes (a Uint8Array once it has crossed to this process)
    const name = task.rawPath ? Buffer.from(task.rawPath.buffer, task.rawPath.byteOffset, task.rawPath.byteLength) : task.path;
    fd = openSync(name, OPEN_FLAGS);
  } catch (e) {
    return reading.fail('failed', describeFsError(e));
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return reading.fail('skipped', 'not a regular file');
    const magic = Buffer.alloc(MAGIC_BYTES);
    const got = readSync(fd, magic, 0, MAGIC_BYTES, 0);
    const kind = fileKind(magic.subarray(0, got));
    if (kind.read === 'unreadable') return reading.fail('failed', notReadReason(kind.kind));
    reading.compression = kind.read;
    if (task.part || (task.toLineEnd && (task.from ?? 0) > 0)) {
      // the cuts (or where it was followed to) were made in this file's text: read nothing else in their place
      if (kind.read !== 'none') return reading.fail('failed', `replaced while being read in parts (it is now ${kind.read}): read it again`);
      if (info.size < (task.to ?? task.from ?? 0)) return reading.fail('failed', 'shrank while being read in parts: read it again');
    }
    // a plain file that grew is read from its old end; anything else from its start
    const from = kind.read === 'none' && task.from !== undefined && task.from > 0 && task.from <= info.size ? task.from : 0;
    // where to stop: a part's end, or the end of the last complete line
    const to = task.to ?? (task.toLineEnd && kind.read === 'none' ? lastLineEnd(fd, from, info.size) : undefined);
    if (from === 0 && to === undefined && info.size <= SMALL_FILE_BYTES && (kind.read === 'none' || kind.read === 'gzip')) {
      const whole = readSmallFile(fd, info.size);
      const text = whole && (kind.read === 'none' ? whole : inflateSmall(whole));
      if (text) return reading.readAll(text, whole.length);
    }
    if (kind.read === 'none') {
      const result = await reading.readPlain(fd, from, to);
      return from > 0 ? { ...result, readFrom: from } : result;
    }
    // from here the stream owns the descriptor: destroying it closes it (autoClose: false only
    // keeps it from closing by itself at the end)
    const raw = createReadStream(task.path, { fd, highWaterMark: READ_CHUNK, autoClose: false });
    streamOwnsFd = true;
    return await reading.read(raw);
  } finally {
    if (!streamOwnsFd) closeSync(fd);
  }
}

/** Just after the last '\n' in [from, size) of a plain file (from when there is none: nothing to read yet). */
function lastLineEnd(fd: number, from: number, size: number): number {
  const window = Buffer.allocUnsafe(64 * 1024);
  for (let end = size; end > from; ) {
    const start = Math.max(from, end - window.length);
    const got = readSync(fd, window, 0, end - start, start);
    const nl = window.subarray(0, got).lastIndexOf(10);
    if (nl >= 0) return start + nl + 1;
    end = start;
  }
  return from;
}

/** The whole file, when it is still at most `size` bytes; undefined when it grew or a read failed (then it is streamed). */
function readSmallFile(fd: number, size: number): Buffer | undefined {
  const buffer = (smallBuffer ??= Buffer.allocUnsafe(SMALL_FILE_BYTES + 1));
  let at = 0;
  try {
    for (let got; at <= size && (got = readSync(fd, buffer, at, size + 1 - at, at)) > 0; ) at += got;
  } catch {
    return undefined;
  }
  return at > size ? undefined : buffer.subarray(0, at);
}

/** A small gzip file's text, when it inflates cleanly (every member) and is not too large; undefined otherwise. */
function inflateSmall(data: Buffer): Buffer | undefined {
  try {
    return gunzipSync(data, { maxOutputLength: SMALL_TEXT_BYTES });
  } catch {
    return undefined;
  }
}

/**
 * A stream that is not a file (standard input), reported as `name`: its kind is told by its first
 * bytes, which are read ahead and put back.
 */
export async function analyzeStream(name: string, source: Readable, ctx: TaskContext<AnalyzeProgress>): Promise<AnalyzeResult> {
  const reading = new FileReading(name, ctx);
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  try {
    while (headBytes < MAGIC_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      head.push(chunk);
      headBytes += chunk.length;
    }
  } catch (e) {
    return reading.fail('failed', `read error: ${describeFsError(e)}`);
  }
  const first = Buffer.concat(head);
  const kind = fileKind(first.subarray(0, MAGIC_BYTES));
  if (kind.read === 'unreadable') {
    source.destroy();
    return reading.fail('failed', notReadReason(kind.kind));
  }
  reading.compression = kind.read;
  const rest = async function* (): AsyncGenerator<Buffer> {
    yield first;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    }
  };
  return reading.read(Readable.from(rest(), { objectMode: false }));
}

function isQuery(v: unknown): v is Query {
  return typeof v === 'object' && v !== null && Array.isArray((v as Query).panels) && typeof (v as Query).filters === 'object';
}

/** A job's files, one after another; progress counts over all of them. */
export async function analyzeJob(job: AnalyzeJob, ctx: TaskContext<AnalyzeProgress>): Promise<AnalyzeJobResult> {
  if (job.files.length === 1) {
    const result = await analyzeFile(job.files[0]!, ctx);
    if (!job.combine) return { files: [result] };
    // one file's counts are already what adding them up would give: handed over, not copied
    // through a second table (a large file read whole has every key of its panels)
    const { panels } = result;
    return { files: [{ ...result, panels: panels.map(emptyCounts) }], panels };
  }
  const files: AnalyzeResult[] = [];
  const totals = job.combine ? [] as KeyTotals[] : undefined;
  let bytesBefore = 0;
  let linesBefore = 0;
  const fileCtx: TaskContext<AnalyzeProgress> = {
    ...ctx,
    report: (p) => ctx.report({ bytesRead: bytesBefore + p.bytesRead, lines: linesBefore + p.lines }),
  };
  for (const task of job.files) {
    if (ctx.signal?.aborted) throw new Error('cancelled');
    const result = await analyzeFile(task, fileCtx);
    bytesBefore += result.bytes;
    linesBefore += result.lines;
    if (totals) {
      result.panels.forEach((counts, i) => (totals[i] ??= new KeyTotals()).addCounts(counts));
      result.panels = result.panels.map(emptyCounts);
    }
    files.push(result);
  }
  return { files, ...(totals ? { panels: totals.map((t) => t.toCounts()) } : {}) };
}

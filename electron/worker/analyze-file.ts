/**
 * The worker's job: read one file (by its magic bytes: plain text, gzip, bzip2, xz or zstd, every
 * member, stream or frame), cut it into lines, reduce it to counts, and say how it ended: ok,
 * partial (the stream broke part way; what was read before the break is counted), failed (could
 * not be read at all) or skipped. Standard input is read the same way (analyzeStream).
 */
import { closeSync, constants as fsConstants, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { AnalyzeProgress, AnalyzeResult, AnalyzeTask } from '../../shared/worker-protocol';
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

const READ_CHUNK = 1 << 20;

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

  /** Read `raw` (from the file's start) as this.compression to its end or its break. */
  async read(raw: Readable): Promise<AnalyzeResult> {
    const { analyzer, splitter, ctx } = this;
    let readFailure: unknown;
    raw.on('error', (err) => {
      readFailure = err;
    });
    const onAbort = (): void => {
      raw.destroy(new Error('cancelled'));
    };
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    let chunks = 0;
    let taken = (): number => this.bytesRead;
    const report = (): void => {
      if ((++chunks & 63) === 0) sampleRss();
      ctx.report({ bytesRead: taken(), lines: analyzer.stats.lines });
    };
    try {
      if (this.compression !== 'none') {
        const decoded = decodeStream(this.compression, raw, (chunk) => {
          splitter.push(chunk);
          report();
        }, (n) => {
          this.bytesRead += n;
        });
        taken = decoded.taken;
        await decoded.done;
      } else {
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
        this.status = analyzer.stats.lines === 0 && this.bytesRead === 0 ? 'failed' : 'partial';
        this.error = `read error: ${describeFsError(readFailure ?? e)}`;
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
    if (task.part) {
      // the cuts were made in this file's text: read nothing else in their place
      if (kind.read !== 'none') return reading.fail('failed', `replaced while being read in parts (it is now ${kind.read}): read it again`);
      if (info.size < (task.to ?? task.from ?? 0)) return reading.fail('failed', 'shrank while being read in parts: read it again');
    }
    // a plain file that grew is read from its old end; anything else from its start
    const from = kind.read === 'none' && task.from !== undefined && task.from > 0 && task.from <= info.size ? task.from : 0;
    // one part of a file read in parts ends where the next begins (createReadStream's end is inclusive)
    const end = task.part && task.to !== undefined ? { end: task.to - 1 } : {};
    // from here the stream owns the descriptor: destroying it closes it (autoClose: false only
    // keeps it from closing by itself at the end)
    const raw = createReadStream(task.path, { fd, start: from, ...end, highWaterMark: READ_CHUNK, autoClose: false });
    streamOwnsFd = true;
    const result = await reading.read(raw);
    return from > 0 ? { ...result, readFrom: from } : result;
  } finally {
    if (!streamOwnsFd) closeSync(fd);
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

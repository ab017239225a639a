/**
 * The worker's job: read one file (gzip by magic bytes, multi-member, or plain text), cut it into
 * lines, reduce it to counts, and say how it ended: ok, partial (the stream broke part way; what
 * was read before the break is counted), failed (could not be read at all) or skipped.
 */
import { closeSync, constants as fsConstants, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { AnalyzeProgress, AnalyzeResult, AnalyzeTask } from '../../shared/worker-protocol';
import type { FileStatus } from '../../shared/file-result';
import { LineAnalyzer } from './parse/line-analyzer';
import { planQuery } from './parse/query-plan';
import type { Query } from '../../shared/query';
import { LineSplitter } from './line-splitter';
import { fileKind, MAGIC_BYTES, notReadReason } from './file-kind';
import { describeFsError } from '../engine/fs-errors';
import { peakRss, sampleRss } from './peak-rss';
import type { TaskContext } from './serve-tasks';

const READ_CHUNK = 1 << 20;
// 1 MiB: fewer round trips to zlib's thread; measured ~10% faster than 128 KiB (the bench's floor
// uses the same size)
const INFLATE_CHUNK = 1 << 20;

// O_NONBLOCK: a FIFO swapped in after the scan must not block the open.
const OPEN_FLAGS = fsConstants.O_NONBLOCK !== undefined ? fsConstants.O_RDONLY | fsConstants.O_NONBLOCK : 'r';

export async function analyzeFile(task: AnalyzeTask, ctx: TaskContext<AnalyzeProgress>): Promise<AnalyzeResult> {
  const started = performance.now();
  if (!isQuery(ctx.setup)) throw new Error('no query: the pool sends one before the first file');
  const plan = planQuery(ctx.setup);
  const analyzer = new LineAnalyzer(plan);
  const splitter = new LineSplitter(analyzer, plan.query.maxLineBytes);
  let bytesRead = 0;
  let gzip = false;
  let status: FileStatus = 'ok';
  let error: string | undefined;

  const finish = (): AnalyzeResult => {
    const panels = analyzer.result(); // first: it makes the stats final
    return {
      path: task.path,
      status,
      ...(error !== undefined ? { error } : {}),
      ...analyzer.stats,
      bytes: bytesRead,
      ms: Math.round((performance.now() - started) * 10) / 10,
      gzip,
      panels,
      peakRss: peakRss(),
    };
  };

  // open, stat and the magic bytes synchronously: a worker has nothing else to do meanwhile, and
  // the promise API's round trips cost ~0.2 ms a file (it shows with thousands of small files)
  let fd: number;
  let streamOwnsFd = false;
  try {
    // a name that is not UTF-8 comes as bytes (a Uint8Array once it has crossed to this process)
    const name = task.rawPath ? Buffer.from(task.rawPath.buffer, task.rawPath.byteOffset, task.rawPath.byteLength) : task.path;
    fd = openSync(name, OPEN_FLAGS);
  } catch (e) {
    status = 'failed';
    error = describeFsError(e);
    return finish();
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) {
      status = 'skipped';
      error = 'not a regular file';
      return finish();
    }
    const magic = Buffer.alloc(MAGIC_BYTES);
    const got = readSync(fd, magic, 0, MAGIC_BYTES, 0);
    const kind = fileKind(magic.subarray(0, got));
    if (kind.read === 'none') {
      status = 'failed';
      error = notReadReason(kind.kind);
      return finish();
    }
    gzip = kind.read === 'gzip';

    // from here the stream owns the descriptor: destroying it closes it (autoClose: false only
    // keeps it from closing by itself at the end)
    const raw = createReadStream(task.path, { fd, start: 0, highWaterMark: READ_CHUNK, autoClose: false });
    streamOwnsFd = true;
    let readFailure: unknown;
    const onAbort = (): void => {
      raw.destroy(new Error('cancelled'));
    };
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    let chunks = 0;
    // how far into the file the reading is: for gzip the compressed bytes inflated so far (the
    // disk reads run a megabyte ahead, which would show a small file as nearly done at once)
    let taken = (): number => bytesRead;
    const report = (): void => {
      if ((++chunks & 63) === 0) sampleRss();
      ctx.report({ bytesRead: taken(), lines: analyzer.stats.lines });
    };
    try {
      if (gzip) {
        const inflate = createGunzip({ chunkSize: INFLATE_CHUNK });
        taken = () => inflate.bytesWritten;
        raw.on('data', (chunk) => {
          bytesRead += chunk.length;
        });
        raw.on('error', (err) => {
          readFailure = err;
          inflate.destroy(err);
        });
        raw.pipe(inflate);
        // A synchronous 'data' handler: zlib schedules its next inflate only after the chunk is
        // parsed, so a worker uses one core. (Letting zlib run ahead on its own thread measured
        // ~5% slower with as many workers as cores, and made the serial executor use two.)
        await new Promise<void>((resolve, reject) => {
          inflate.on('data', (chunk: Buffer) => {
            splitter.push(chunk);
            report();
          });
          inflate.once('end', resolve);
          inflate.once('error', reject);
          inflate.once('close', () => (inflate.readableEnded ? resolve() : reject(new Error('cancelled'))));
        });
      } else {
        for await (const chunk of raw) {
          bytesRead += (chunk as Buffer).length;
          splitter.push(chunk as Buffer);
          report();
        }
      }
    } catch (e) {
      if (ctx.signal?.aborted) throw e;
      const isRead = readFailure !== undefined || !gzip;
      const text = analyzer.stats.lines;
      status = text === 0 && isRead && bytesRead === 0 ? 'failed' : 'partial';
      error = isRead ? `read error: ${describeFsError(readFailure ?? e)}` : describeInflateError(e, bytesRead);
    } finally {
      ctx.signal?.removeEventListener('abort', onAbort);
      raw.destroy();
      // closed once a read still in flight is done: wait, so no later open reuses the number early
      if (!raw.closed) await new Promise<void>((resolve) => raw.once('close', () => resolve()));
    }
    splitter.end();
    return finish();
  } finally {
    if (!streamOwnsFd) closeSync(fd);
  }
}

function describeInflateError(e: unknown, bytesRead: number): string {
  const err = e as NodeJS.ErrnoException;
  const at = `after ${bytesRead.toLocaleString('en-US')} compressed bytes`;
  if (err.code === 'Z_BUF_ERROR') return `gzip data truncated (unexpected end of file ${at}); lines before the break are counted`;
  return `gzip data corrupt (${err.message} ${at}); lines before the break are counted`;
}

function isQuery(v: unknown): v is Query {
  return typeof v === 'object' && v !== null && Array.isArray((v as Query).panels) && typeof (v as Query).filters === 'object';
}

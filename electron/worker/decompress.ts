/**
 * A file's bytes as text, whatever stored them (analysis-semantics.md §1, §12.6): gzip with
 * Node's zlib; zstd, xz and bzip2 with small, well-used streaming decoders that need no native
 * code (the same build runs in Node, in Electron's utility process and in a packaged app):
 *   zstd  — fzstd (pure JavaScript, streaming; every frame of a file, skippable ones skipped)
 *   xz    — xz-decompress (xz-embedded compiled to WebAssembly, streaming, concatenated streams)
 *   bzip2 — unbzip2-stream (pure JavaScript, streaming, concatenated streams)
 * Each holds a bounded window (zstd's frame window, xz's dictionary, bzip2's 900 kB block), never
 * the whole file. A stream that breaks part way throws DecodeError after handing on what it
 * decoded before the break.
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type * as Fzstd from 'fzstd';
import type * as XzDecompress from 'xz-decompress';
import type Unbzip2Stream from 'unbzip2-stream';
import type { Compression } from '../../shared/file-result';

/*
 * The three decoders are loaded when a file needs one, not when the worker starts: most folders
 * hold none of them, and loading them took 8-10 ms of the ~35 ms a worker spent loading its code,
 * which every run waits for before its first file.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const zstd = (): typeof Fzstd => require('fzstd') as typeof Fzstd;
const xz = (): typeof XzDecompress => require('xz-decompress') as typeof XzDecompress;
const bzip2 = (): typeof Unbzip2Stream => require('unbzip2-stream') as typeof Unbzip2Stream;
/* eslint-enable @typescript-eslint/no-require-imports */

// 1 MiB: fewer round trips to zlib's thread; measured ~10% faster than 128 KiB (the bench's floor
// uses the same size)
const INFLATE_CHUNK = 1 << 20;

/** The compressed stream broke (truncated or corrupt); what came before it was handed on. */
export class DecodeError extends Error {}

export interface Decoded {
  /** Compressed bytes consumed so far (for progress: the disk reads run ahead). */
  taken(): number;
  done: Promise<void>;
}

/** xz-embedded's error codes (xz.h), as xz-decompress reports them */
const XZ_ERRORS: Record<string, string> = { '2': 'unsupported check', '3': 'out of memory', '4': 'dictionary too large', '5': 'not xz data', '6': 'unsupported options', '7': 'bad data', '8': 'unexpected end of file' };

function broke(kind: Exclude<Compression, 'none'>, e: unknown, consumed: number): DecodeError {
  const err = e as NodeJS.ErrnoException;
  const xz = /get_next_output failed with error code (\d+)/.exec(String(err?.message));
  if (xz) err.message = XZ_ERRORS[xz[1]!] ?? err.message;
  const at = `after ${consumed.toLocaleString('en-US')} compressed bytes`;
  const truncated = err?.code === 'Z_BUF_ERROR' || /unexpected (EOF|end)|truncat/i.test(String(err?.message));
  const what = truncated ? 'truncated (unexpected end of file' : `corrupt (${String(err?.message ?? err).slice(0, 120)}`;
  return new DecodeError(`${kind} data ${what} ${at}); lines before the break are counted`);
}

/**
 * Decode `raw` (a file's bytes, from its start) as `kind`, handing each decoded chunk to `onText`
 * synchronously (so that a worker decodes and parses on one core). `counted` is told each raw chunk's size.
 */
export function decodeStream(kind: Exclude<Compression, 'none'>, raw: Readable, onText: (chunk: Buffer) => void, counted: (n: number) => void): Decoded {
  let consumed = 0;
  const count = (chunk: Buffer): void => {
    consumed += chunk.length;
    counted(chunk.length);
  };
  // zstd pulls its chunks itself; the others are fed by 'data' events (which every listener sees)
  if (kind !== 'zstd') raw.on('data', count);
  switch (kind) {
    case 'gzip': {
      const inflate = createGunzip({ chunkSize: INFLATE_CHUNK });
      raw.on('error', (err) => inflate.destroy(err));
      raw.pipe(inflate);
      // A synchronous 'data' handler: zlib schedules its next inflate only after the chunk is
      // parsed, so a worker uses one core. (Letting zlib run ahead on its own thread measured
      // ~5% slower with as many workers as cores, and made the serial executor use two.)
      const done = new Promise<void>((resolve, reject) => {
        inflate.on('data', (chunk: Buffer) => onText(chunk));
        inflate.once('end', resolve);
        inflate.once('error', (e) => reject(raw.errored ? e : broke(kind, e, consumed)));
        inflate.once('close', () => (inflate.readableEnded ? resolve() : reject(new Error('cancelled'))));
      });
      return { taken: () => inflate.bytesWritten, done };
    }
    case 'zstd': {
      const decoder = new (zstd().Decompress)((chunk) => onText(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
      const done = (async () => {
        for await (const chunk of raw) {
          count(chunk as Buffer);
          try {
            decoder.push(chunk as Buffer);
          } catch (e) {
            throw broke(kind, e, consumed);
          }
        }
        try {
          decoder.push(new Uint8Array(0), true);
        } catch (e) {
          throw broke(kind, e, consumed);
        }
      })();
      return { taken: () => consumed, done };
    }
    case 'xz': {
      const text = new (xz().XzReadableStream)(Readable.toWeb(raw) as ReadableStream<Uint8Array>);
      const done = (async () => {
        const reader = text.getReader();
        for (;;) {
          let next: Awaited<ReturnType<typeof reader.read>>;
          try {
            next = await reader.read();
          } catch (e) {
            if (raw.errored) throw e;
            throw broke(kind, e, consumed);
          }
          if (next.done) return;
          onText(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
        }
      })();
      return { taken: () => consumed, done };
    }
    case 'bzip2': {
      const decoder = bzip2()();
      raw.on('error', (err) => decoder.destroy(err));
      raw.pipe(decoder);
      const done = new Promise<void>((resolve, reject) => {
        decoder.on('data', (chunk: Buffer) => onText(chunk));
        decoder.once('end', resolve);
        decoder.once('error', (e: unknown) => reject(raw.errored ? e : broke(kind, e, consumed)));
      });
      return { taken: () => consumed, done };
    }
  }
}

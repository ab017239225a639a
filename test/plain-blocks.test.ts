/** Reading a plain file straight into the block reader's area: every byte handed on once, in order, as whole lines. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './support/temp-dir';
import { readPlainInPlace, type InPlaceLines } from '../electron/worker/plain-blocks';

/**
 * A sink with an area of `size` bytes that, as the block reader does, overwrites what follows
 * the block it reads (the reader zeroes its padding there).
 */
class RecordingSink implements InPlaceLines {
  readonly area: Buffer;
  readonly blocks: Buffer[] = [];

  constructor(size: number) {
    this.area = Buffer.alloc(size);
  }

  blockArea(): Buffer {
    return this.area;
  }

  linesInPlace(n: number): void {
    assert.equal(this.area[n - 1], 10, 'a block ends with a line end');
    this.blocks.push(Buffer.from(this.area.subarray(0, n)));
    this.area.fill(0, n);
  }
}

function fileWith(text: string): string {
  const file = path.join(tempDir('logpool-in-place-'), 'access.log');
  writeFileSync(file, text);
  return file;
}

async function readAll(file: string, area: number, from = 0, to?: number): Promise<{ sink: RecordingSink; at: number; unfinished: string; taken: number }> {
  const sink = new RecordingSink(area);
  const fd = openSync(file, 'r');
  let taken = 0;
  try {
    const stop = await readPlainInPlace(fd, from, to, sink, (n) => (taken += n));
    return { sink, at: stop.at, unfinished: stop.unfinished.toString(), taken };
  } finally {
    closeSync(fd);
  }
}

test('every line reaches the reader once and whole, however the lines fall on the area: the tail of a read is carried, not lost', async () => {
  // lengths 1 to 40 against an area of 32: lines end on the area's end, before it, across it
  const lines: string[] = [];
  for (let i = 0; lines.length < 200; i++) lines.push(`${'abcdefghijklmnopqrstuvwxyz0123456789'.slice(0, (i * 7) % 31)}\n`);
  const text = lines.join('');
  const { sink, at, unfinished, taken } = await readAll(fileWith(text), 32);
  assert.equal(Buffer.concat(sink.blocks).toString() + unfinished, text);
  assert.equal(unfinished, '');
  assert.equal(at, text.length);
  assert.equal(taken, text.length);
  assert.ok(sink.blocks.length > 20, `${sink.blocks.length} blocks`);
});

test('a last line without a line end is handed back unfinished, for the line splitter to end', async () => {
  const text = 'one\ntwo\nthree without an end';
  const { sink, at, unfinished } = await readAll(fileWith(text), 64);
  assert.equal(Buffer.concat(sink.blocks).toString(), 'one\ntwo\n');
  assert.equal(unfinished, 'three without an end');
  assert.equal(at, text.length);
});

test('a line longer than the area stops the reading at the area full, the lines before it read, the rest left to the splitter', async () => {
  const text = `short\n${'x'.repeat(100)}\nafter\n`;
  const { sink, at, unfinished } = await readAll(fileWith(text), 32);
  assert.equal(Buffer.concat(sink.blocks).toString(), 'short\n');
  assert.equal(unfinished, 'x'.repeat(32));
  assert.equal(at, 'short\n'.length + 32);
});

test('a range [from, to) is read and nothing past it', async () => {
  const text = 'aaaa\nbbbb\ncccc\ndddd\neeee\n';
  const { sink, at, unfinished, taken } = await readAll(fileWith(text), 8, 5, 20);
  assert.equal(Buffer.concat(sink.blocks).toString() + unfinished, 'bbbb\ncccc\ndddd\n');
  assert.equal(at, 20);
  assert.equal(taken, 15);
});

test('a cancelled reading stops between blocks with the signal\'s reason', async () => {
  const text = 'line\n'.repeat(100);
  const sink = new RecordingSink(16);
  const controller = new AbortController();
  const fd = openSync(fileWith(text), 'r');
  try {
    await assert.rejects(
      readPlainInPlace(fd, 0, undefined, sink, () => {
        if (sink.blocks.length === 2) controller.abort(new Error('cancelled'));
      }, controller.signal),
      /cancelled/,
    );
  } finally {
    closeSync(fd);
  }
  assert.equal(sink.blocks.length, 3, 'the block read when it was cancelled, and no other');
});

test('a read that fails part way ends the reading with its error, and the unfinished line read before it is handed back', async () => {
  const text = 'aaaa\nbbbb\ncc';
  const sink = new RecordingSink(64);
  const fd = openSync(fileWith(text), 'r');
  let reads = 0;
  // the descriptor is closed after the first read: the next one fails (EBADF)
  const stop = await readPlainInPlace(fd, 0, undefined, sink, () => {
    if (++reads === 1) closeSync(fd);
  });
  assert.equal(Buffer.concat(sink.blocks).toString(), 'aaaa\nbbbb\n');
  assert.equal(stop.unfinished.toString(), 'cc');
  assert.equal(stop.at, text.length);
  assert.match(String(stop.error), /EBADF/);
});

/** Lines cut at '\n' whatever the chunking; over-long lines skipped to their end and reported. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LineSplitter } from '../electron/worker/line-splitter';
import { mulberry32 } from './support/log-generator';
import { splitLines } from './support/reference-run';

function collect(chunks: Buffer[], max: number): string[] {
  const out: string[] = [];
  const splitter = new LineSplitter({ line: (b, s, e) => out.push(b.toString('latin1', s, e)), longLine: () => out.push('<long>') }, max);
  for (const c of chunks) splitter.push(c);
  splitter.end();
  return out;
}

function chunked(text: Buffer, seed: number): Buffer[] {
  const rnd = mulberry32(seed);
  const chunks: Buffer[] = [];
  for (let pos = 0; pos < text.length; ) {
    const n = 1 + Math.floor(rnd() * 40);
    chunks.push(text.subarray(pos, pos + n));
    pos += n;
  }
  return chunks;
}

test('any chunking gives the same lines; a last line without newline is a line', () => {
  const text = Buffer.from('a\nbb\r\n\n\nccc dd\nlast-without-newline');
  const expected = splitLines(text).map((l) => l.toString('latin1'));
  assert.deepEqual(expected, ['a', 'bb\r', '', '', 'ccc dd', 'last-without-newline']);
  for (let seed = 1; seed < 200; seed++) assert.deepEqual(collect(chunked(text, seed), 1000), expected);
  assert.deepEqual(collect([Buffer.from('x\n')], 1000), ['x']);
  assert.deepEqual(collect([], 1000), []);
});

test('lines over the limit are skipped to their end, counted once, in order', () => {
  const long = 'L'.repeat(100);
  const text = Buffer.from(`short\n${long}\nok\n${long}`);
  for (let seed = 1; seed < 200; seed++) {
    assert.deepEqual(collect(chunked(text, seed), 50), ['short', '<long>', 'ok', '<long>']);
  }
  // exactly at the limit is still a line
  assert.deepEqual(collect(chunked(Buffer.from(`${'x'.repeat(50)}\n`), 3), 50), ['x'.repeat(50)]);
});

test('a sink that takes blocks of whole lines gets every line exactly once, in order', () => {
  const text = Buffer.from(`short\n${'L'.repeat(100)}\nok\r\n\n${'M'.repeat(60)}\nlast`);
  for (let seed = 1; seed < 200; seed++) {
    const out: string[] = [];
    const sink = {
      line: (b: Buffer, s: number, e: number) => out.push(b.toString('latin1', s, e)),
      longLine: () => out.push('<long>'),
      lines(b: Buffer, s: number, e: number) {
        assert.equal(b[e - 1], 10, 'a block ends with a whole line');
        for (const l of b.toString('latin1', s, e - 1).split('\n')) out.push(l.length > 50 ? '<long>' : l);
      },
    };
    const splitter = new LineSplitter(sink, 50);
    for (const c of chunked(text, seed)) splitter.push(c);
    splitter.end();
    assert.deepEqual(out, ['short', '<long>', 'ok\r', '', '<long>', 'last']);
  }
});

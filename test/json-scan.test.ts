/**
 * JSON lines read by json-scan.c (in the block reader's memory) and by json-line.ts alone: the
 * same outcome for every line, on the generated lines of every map (format-lines.ts) and on
 * many more broken ones, byte by byte, with the spec's structures at their edges. The CPython
 * oracle (formats-python.test.ts) holds both readers to json.loads itself; this runs where no
 * Python is, and breaks far more lines.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mulberry32 } from './support/log-generator';
import { formatLines } from './support/format-lines';
import { ALL_PANELS, linesOf, ourQuery, ourTally, textOf } from './support/panel-outcomes';
import { BlockReader, blockReaderAvailable } from '../electron/worker/wasm/block-reader';

const query = ourQuery({ panels: [...ALL_PANELS], filters: {} });

/** How json-scan.c answered while `run` ran: lines read (1), lines refused (0), lines it was not given (-1). */
function scanAnswers(run: () => void): { read: number; refused: number; notGiven: number } {
  const original = BlockReader.prototype.readJson;
  const seen = { read: 0, refused: 0, notGiven: 0 };
  BlockReader.prototype.readJson = function (this: BlockReader, b: Buffer, s: number, e: number): number {
    const answer = original.call(this, b, s, e);
    if (answer === 1) seen.read++;
    else if (answer === 0) seen.refused++;
    else seen.notGiven++;
    return answer;
  };
  try {
    run();
  } finally {
    BlockReader.prototype.readJson = original;
  }
  return seen;
}

/** Both readers over the lines: equal tallies, or the first line they read differently. */
function assertSameReading(lines: readonly Buffer[], what: string): { read: number; refused: number } {
  let js = '';
  let wasm = '';
  const seen = scanAnswers(() => {
    js = ourTally(textOf(lines), query, 'javascript').text;
    wasm = ourTally(textOf(lines), query, 'webassembly').text;
  });
  if (js !== wasm) {
    for (const line of lines) {
      const one = textOf([line]);
      const a = ourTally(one, query, 'javascript').text;
      const b = ourTally(one, query, 'webassembly').text;
      if (a !== b) assert.fail(`${what}: line ${JSON.stringify(line.toString('latin1'))}\n  javascript  ${a}\n  webassembly ${b}`);
    }
    assert.fail(`${what}: the tallies differ, no single line does`);
  }
  // every JSON line of a block went to json-scan.c
  assert.equal(seen.notGiven, 0, `${what}: lines not given to json-scan.c`);
  return seen;
}

const STRUCTURAL = ['{', '}', '[', ']', '"', ',', ':', '\\', '0', '1', '-', '+', '.', 'e', 'E', ' ', '\t', '\r', '\v', 'u', 'n', 't', 'f', '\u0000', '\u001f', '\u007f', '\u00e9', '\u20ac', '\u{1f600}'];
/** Bytes that are not UTF-8, or only part of it: lone continuations, overlong forms, surrogates, past U+10FFFF, cut sequences. */
const NOT_UTF8 = [[0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xc3], [0xe0, 0x80, 0x80], [0xe0, 0x9f, 0xbf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xe2, 0x82], [0xf0, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xf0, 0x9f, 0x98], [0xfe], [0xff]];
/** Edges that are UTF-8: the first and last of each length, and next to the surrogates. */
const UTF8_EDGES = [[0xc2, 0x80], [0xdf, 0xbf], [0xe0, 0xa0, 0x80], [0xed, 0x9f, 0xbf], [0xee, 0x80, 0x80], [0xef, 0xbf, 0xbf], [0xf0, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf]];

/** `line` with bytes that are, or are not, UTF-8 put in (inside a string most often, where they can be read). */
function withBytes(line: Buffer, rnd: () => number): Buffer {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const quotes = [...line.entries()].filter(([, c]) => c === 0x22).map(([i]) => i);
  const at = quotes.length > 0 && rnd() < 0.85 ? pick(quotes) + 1 : 1 + Math.floor(rnd() * (line.length - 1));
  return Buffer.concat([line.subarray(0, at), Buffer.from(pick(rnd() < 0.6 ? NOT_UTF8 : UTF8_EDGES)), line.subarray(at)]);
}

/** `line` broken at random: bytes put in, taken out, replaced; a stretch repeated or cut off. */
function broken(line: string, rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  let chars = [...line];
  for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) {
    const at = 1 + Math.floor(rnd() * Math.max(1, chars.length - 1));
    const r = rnd();
    if (r < 0.3) chars.splice(at, 0, pick(STRUCTURAL));
    else if (r < 0.55) chars.splice(at, 1, pick(STRUCTURAL));
    else if (r < 0.75) chars.splice(at, 1);
    else if (r < 0.9) {
      const length = Math.floor(rnd() * 12);
      chars.splice(at, 0, ...chars.slice(at, at + length));
    } else chars = chars.slice(0, at);
  }
  return chars.join('');
}

test('json-scan.c reads JSON lines as json-line.ts does: the generated lines of every map, each of them broken at random, and with bytes that are or are not UTF-8', { skip: blockReaderAvailable() ? false : 'no WebAssembly SIMD here: json-line.ts reads every line' }, () => {
  const rnd = mulberry32(41);
  const generated = formatLines(6_000, 17).filter((l) => l.toString('latin1').trimStart().startsWith('{'));
  const lines: Buffer[] = [...generated];
  for (const line of generated) {
    for (let k = 0; k < 4; k++) lines.push(Buffer.from(broken(line.toString('utf8'), rnd), 'utf8'));
    lines.push(withBytes(line, rnd));
  }
  const seen = assertSameReading(lines, 'generated and broken');
  // both answers, in numbers: the comparison means something
  assert.ok(seen.read > 3_000 && seen.refused > 3_000, JSON.stringify(seen));
});

test('json-scan.c at the edges: keys spelled with escapes, long keys, duplicates, nesting deep in skipped and in read values, every number and literal', { skip: blockReaderAvailable() ? false : 'no WebAssembly SIMD here' }, () => {
  const base = (extra: string): string => `{"ts":1700000000.5,"request":{"client_ip":"1.2.3.4","method":"GET","uri":"/book/a","headers":{"User-Agent":["ua"],"Referer":["r"]}},"status":200,"size":5${extra}}`;
  const deep = (n: number, open: string, close: string, inner = '1'): string => `${open.repeat(n)}${inner}${close.repeat(n)}`;
  const numbers = ['0', '-0', '01', '1.', '.5', '1e', '1e+', '1E-2', '-', '--1', '1.5e3', '123456789012345678901234567890', '0x1', '1_0', '2e2', '200.0', '-200'];
  const literals = ['true', 'false', 'null', 'tru', 'nul', 'True', 'nulll', 'NaN', 'Infinity'];
  const keys = ['"\\u0074s"', '"t\\u0073"', '"\\u0073tatus"', '"status\\u0000"', '"sta\\"tus"', '"ts\\ud800"', '"\\ud83d\\ude00"', `"${'k'.repeat(40)}"`, `"${'status'.repeat(6)}"`, '"request\\/"', '"\\u0072equest"'];
  const lines: string[] = [];
  for (const n of numbers) for (const field of ['status', 'size', 'ts', 'other']) lines.push(base(`,"${field}":${n}`));
  for (const l of literals) for (const field of ['status', 'request', 'other']) lines.push(base(`,"${field}":${l}`));
  for (const k of keys) for (const v of ['200', '"x"', '{"client_ip":"9.9.9.9"}', '1700000001']) lines.push(base(`,${k}:${v}`));
  // duplicates: the last counts, and a value read again clears what was read below it
  lines.push(base(',"request":{"method":"POST"}'), base(',"request":"GET / HTTP/1.1"'), base(',"request":{"headers":{"Referer":[]}}'), `{"request":{"client_ip":"1.1.1.1"},"request":{"remote_ip":"2.2.2.2"},"ts":1}`);
  lines.push(base(',"request":{"headers":{"User-Agent":["a","b"],"User-Agent":[]}}'), base(',"request":{"headers":{"User-Agent":[["x"]]}}'));
  // an array's first element is read; the others are only checked
  lines.push(base(',"request":{"client_ip":"5.5.5.5","headers":{"User-Agent":["a","b"],"Referer":["r1",["x"],"r2"]}}'), base(',"request":{"headers":{"User-Agent":["a",]}}'));
  // containers skipped: a comma before the close is not JSON
  for (const v of ['[1,]', '{"a":1,}', '[[1],]', '[1,,2]', '{"a":1,,"b":2}', '[,1]', '{,"a":1}', '[1 2]', '{"a" 1}', '{"a":1 "b":2}']) lines.push(base(`,"other":${v}`));
  for (const n of [1, 2, 64, 1_000, 100_000]) {
    lines.push(base(`,"other":${deep(n, '[', ']')}`), base(`,"other":${deep(n, '{"a":', '}')}`), base(`,"other":${deep(n, '[', ']').slice(0, -1)}`), base(`,"other":${deep(n, '[{"k":', '}]')}`));
    lines.push(base(`,"request":{"headers":{"Referer":[${deep(n, '[', ']')}]}}`), base(`,"status":${deep(n, '[', ']')}`), base(`,"other":${deep(n, '[', ']', '')}`));
  }
  // whitespace JSON allows and the line's stripping leaves; what neither allows
  for (const ws of [' ', '\t', '\r', '\n', '\v', '\f', '\u00a0']) lines.push(base('').replace(/,/g, `${ws},${ws}`).replace(/:/g, `${ws}:${ws}`));
  // strings: escapes of every kind, control bytes, a quote or backslash at the very end
  for (const s of ['a\\nb', 'a\\tb', '\\u00e9', '\\u00E9', '\\uD83D\\uDE00', '\\ud800', '\\udc00\\ud800', '\\u12', '\\x41', '\\', 'a\u0001b', 'a\u007fb', '\\/book/b', '/book/c\\"']) {
    lines.push(base(`,"other":"${s}"`), base('').replace('/book/a', `/book/${s}`), base('').replace('1.2.3.4', s));
  }
  lines.push('{', '{}', '{"ts":1}', '{"a"}', '{"a":}', '{"a":1,}', '{,"a":1}', '{"a":1}}', '{"a":1} ', '{"a":1}x', '{"ts":1,"request":{', base('').slice(0, -1), `${base('')}{}`, base(',"x":"unterminated'), base(',"x":"\\u00'));
  const { read, refused } = assertSameReading(lines.map((l) => Buffer.from(l, 'utf8')), 'edges');
  assert.ok(read > 100 && refused > 50, JSON.stringify({ read, refused }));
});

test('JSON lines in a block reach json-scan.c; a JSON line longer than a block is read by json-line.ts alone, with the same outcome', { skip: blockReaderAvailable() ? false : 'no WebAssembly SIMD here' }, () => {
  const line = (agent: string): string => JSON.stringify({ ts: 1700000000, request: { client_ip: '1.2.3.4', method: 'GET', uri: '/book/a', headers: { 'User-Agent': [agent] } }, status: 200, size: 5 });
  const lines = [line('short'), line('x'.repeat(2 << 20)), line('é\\"'), line('short')].map((l) => Buffer.from(l));
  const text = textOf(lines);
  // a line limit above the block's size: the long line is read, one line on its own
  const long = { ...query, maxLineBytes: 4 << 20 };
  let js = '';
  let wasm = '';
  const seen = scanAnswers(() => {
    js = ourTally(text, long, 'javascript').text;
    wasm = ourTally(text, long, 'webassembly').text;
  });
  assert.equal(wasm, js);
  assert.match(js, /"parsed":4/);
  assert.deepEqual(seen, { read: 3, refused: 0, notGiven: 1 });
  assert.equal(linesOf(text).length, 4);
});

test('a JSON size is its number: digits added up to 15 of them, read as a double beyond', () => {
  for (const size of ['0', '7', '512', '123456789012345', '999999999999999', '1234567890123456', '1234567890123456789', '99999999999999999999']) {
    const line = Buffer.from(`{"ts":1700000000,"request":{"client_ip":"1.2.3.4","method":"GET","uri":"/book/a"},"status":200,"size":${size}}`);
    for (const reader of blockReaderAvailable() ? (['javascript', 'webassembly'] as const) : (['javascript'] as const)) {
      const tally = JSON.parse(ourTally(textOf([line]), query, reader).text) as { panels: Record<string, Array<[string, number, number]>> };
      assert.deepEqual(tally.panels.hosts, [['1.2.3.4', 1, Number(size)]], `${reader}, size ${size}`);
    }
  }
});

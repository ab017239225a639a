/**
 * JSON read as bytes gives what JSON.parse gives, refuses what it refuses, and hands the
 * elements of the arrays asked for one at a time.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseJsonBytes, type JsonPath } from '../electron/engine/json-bytes';
import { mulberry32 } from './support/log-generator';

function randomValue(rnd: () => number, depth: number): unknown {
  const pick = Math.floor(rnd() * (depth > 3 ? 4 : 6));
  if (pick === 0) return [null, true, false][Math.floor(rnd() * 3)];
  if (pick === 1) return [0, -0.5, 1e21, 123456789.25, -3, 2 ** 53, 5e-324, 1.5e-7][Math.floor(rnd() * 8)];
  if (pick === 2 || pick === 3) {
    const chars = ['a', ' ', '"', '\\', '/', '\n', '\t', '\u0001', 'é', '€', '😀', '\u2028', '\ud800', '{', ']'];
    return Array.from({ length: Math.floor(rnd() * 8) }, () => chars[Math.floor(rnd() * chars.length)]).join('');
  }
  if (pick === 4) return Array.from({ length: Math.floor(rnd() * 5) }, () => randomValue(rnd, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(rnd() * 5); i > 0; i--) out[String(randomValue(rnd, 9))] = randomValue(rnd, depth + 1);
  return out;
}

test('what JSON.parse reads, read from bytes: 5,000 random values, laid out tight and indented', () => {
  const rnd = mulberry32(21);
  for (let i = 0; i < 5000; i++) {
    const value = randomValue(rnd, 0);
    for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2), ` \r\n\t${JSON.stringify(value, null, '\t')}\n `]) {
      assert.deepEqual(parseJsonBytes(Buffer.from(text)), JSON.parse(text), text);
    }
  }
  // "__proto__" is a key as any other, and a later key of the same name wins
  assert.deepEqual(parseJsonBytes(Buffer.from('{"__proto__": {"x": 1}, "a": 1, "a": 2}')), JSON.parse('{"__proto__": {"x": 1}, "a": 1, "a": 2}'));
  // bytes that are not UTF-8 read as U+FFFD, as when the text is decoded first
  const bad = Buffer.concat([Buffer.from('["a'), Buffer.from([0xff, 0xc3]), Buffer.from('b", "\\u00e9"]')]);
  assert.deepEqual(parseJsonBytes(bad), JSON.parse(bad.toString('utf8')));
});

test('what JSON.parse refuses is refused', () => {
  const wrong = ['', ' ', '{', '[1,]', '[1 2]', '{"a" 1}', '{"a":1,}', '{a:1}', '"abc', '"a\u0001"', '"\\x"', '"\\u12"', '01', '1.', '.5', '+1', '-', '1e', 'tru', 'nul', 'NaN', '[1]]', '{} {}', "'a'", '[1,,2]', '"\\'];
  for (const text of wrong) {
    assert.throws(() => JSON.parse(text), SyntaxError, `JSON.parse accepts ${text}`);
    assert.throws(() => parseJsonBytes(Buffer.from(text)), SyntaxError, text);
  }
});

test('the arrays asked for are handed over element by element and left empty; the others are built', () => {
  const report = { panels: { paths: { top: [{ key: 'a', count: 2 }, { key: 'b', count: 1 }], distinct: 2 }, hosts: { top: [], distinct: 0 } }, files: [{ path: 'x', top: [1] }] };
  const seen: Array<[JsonPath, unknown]> = [];
  const got = parseJsonBytes(Buffer.from(JSON.stringify(report, null, 2)), (path) => {
    if (path.length !== 3 || path[0] !== 'panels' || path[2] !== 'top') return undefined;
    return (element) => seen.push([path, element]);
  });
  assert.deepEqual(seen, [
    [['panels', 'paths', 'top'], { key: 'a', count: 2 }],
    [['panels', 'paths', 'top'], { key: 'b', count: 1 }],
  ]);
  assert.deepEqual(got, { ...report, panels: { paths: { top: [], distinct: 2 }, hosts: { top: [], distinct: 0 } } });
});

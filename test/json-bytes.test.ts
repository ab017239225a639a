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

test('keys in their plain form are handed over unbuilt, and read as JSON.parse reads them; any other element is built, or refused, as before', () => {
  const rnd = mulberry32(33);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  // keys with no escape in JSON, then keys with one
  const plainKeys = ['/a', '', 'é€😀', '/x y', '\u2028'];
  const keys = [...plainKeys, 'a"b', 'a\\b', 'tab\there', '\u0001', '\ud800'];
  // whole numbers up to 15 digits, then numbers of other forms, then two that are not JSON
  const plainNumbers = ['0', '7', '42', '123456789012345'];
  const numbers = [...plainNumbers, '1234567890123456', '1e3', '1.5', '-1', '2.0', '01', '00'];
  const number = (): string => (rnd() < 0.7 ? pick(plainNumbers) : pick(numbers));
  const elements: Array<{ text: Buffer; plain: boolean }> = [];
  for (let i = 0; i < 1500; i++) {
    const raw = pick(keys);
    const key = JSON.stringify(raw);
    const [count, bytes] = [number(), number()];
    const sp = (): string => pick([' ', '', '\n    ', '\t']);
    const laidOut = `{${sp()}"key"${sp()}:${sp()}${key}${sp()},${sp()}"count"${sp()}:${sp()}${count}${sp()},${sp()}"bytes"${sp()}:${sp()}${bytes}${sp()}}`;
    const forms: Array<[string, boolean]> = [
      [`{"key":${key},"count":${count},"bytes":${bytes}}`, true],
      [laidOut, true],
      // another order, another member, a member missing, another value: built
      [`{"count":${count},"key":${key},"bytes":${bytes}}`, false],
      [`{"key":${key},"count":${count},"bytes":${bytes},"x":1}`, false],
      [`{"key":${key},"count":${count}}`, false],
      [`{"key":${key},"count":"${count}","bytes":${bytes}}`, false],
      [`[${key}]`, false],
    ];
    const [text, form] = rnd() < 0.5 ? forms[Math.floor(rnd() * 2)]! : pick(forms);
    elements.push({ text: Buffer.from(text), plain: form && plainKeys.includes(raw) && plainNumbers.includes(count) && plainNumbers.includes(bytes) });
  }
  // bytes that are not UTF-8, in a plain key
  elements.push({ text: Buffer.concat([Buffer.from('{"key":"a'), Buffer.from([0xff, 0xc3]), Buffer.from('b","count":1,"bytes":2}')]), plain: true });
  const decoder = new TextDecoder();
  let unbuilt = 0;
  let plain = 0;
  for (let i = 0; i < elements.length; i += 3) {
    const group = elements.slice(i, i + 3);
    const text = Buffer.concat([Buffer.from('{"top": [\n'), ...group.flatMap((e, j) => (j === 0 ? [e.text] : [Buffer.from(pick([',', ',\n  ', ' , '])), e.text])), Buffer.from('\n]}')]);
    const got: unknown[] = [];
    let handed = 0;
    const take = Object.assign((element: unknown) => got.push(element), {
      keyCount: (b: Uint8Array, s: number, e: number, count: number, bytes: number) => {
        handed++;
        got.push({ key: decoder.decode(b.subarray(s, e)), count, bytes });
      },
    });
    const sink = (path: readonly unknown[]) => (path.length === 1 ? take : undefined);
    let expected: unknown;
    try {
      expected = (JSON.parse(text.toString('utf8')) as { top: unknown[] }).top;
    } catch (e) {
      // refused as JSON.parse refuses it
      assert.ok(e instanceof SyntaxError);
      assert.throws(() => parseJsonBytes(text, sink), SyntaxError, text.toString());
      continue;
    }
    parseJsonBytes(text, sink);
    assert.deepEqual(got, expected, text.toString());
    plain += group.filter((e) => e.plain).length;
    unbuilt += handed;
  }
  // every key in its plain form, and only those, went the unbuilt way
  assert.ok(plain > 200, `${plain} keys in their plain form`);
  assert.equal(unbuilt, plain);
});

/**
 * JSON read as bytes gives what JSON.parse gives, refuses what it refuses, and hands the
 * elements of the arrays asked for one at a time.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseJsonBytes, parseJsonStream, type ElementSink, type JsonPath } from '../electron/engine/json-bytes';
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

/** parseJsonStream() of `bytes`, read a few bytes at a time. */
function streamed(bytes: Uint8Array, sink: ElementSink | undefined, windowBytes: number, readBytes: number): unknown {
  let at = 0;
  return parseJsonStream(
    (into) => {
      const n = Math.min(into.length, readBytes, bytes.length - at);
      into.set(bytes.subarray(at, at + n));
      at += n;
      return n;
    },
    sink,
    windowBytes,
  );
}

test('read a window at a time, whatever the window: what JSON.parse reads, refuses what it refuses, and hands each element over once', () => {
  const rnd = mulberry32(41);
  for (let i = 0; i < 1500; i++) {
    const value = randomValue(rnd, 0);
    const text = Buffer.from(i % 2 ? JSON.stringify(value) : JSON.stringify(value, null, 2));
    assert.deepEqual(streamed(text, undefined, 1 + (i % 7), 1 + (i % 3)), JSON.parse(text.toString()), text.toString());
  }
  for (const text of ['', ' ', '{', '[1,]', '[1 2]', '{"a" 1}', '{"a":1,}', '"abc', '"\\x"', '01', '1.', 'tru', 'nul', '[1]]', '{} {}', '[1,,2]', '[true, fals]', '{"a": [1, 2', '123 4']) {
    const whole = (() => {
      try {
        parseJsonBytes(Buffer.from(text));
      } catch (e) {
        return (e as Error).message;
      }
    })();
    assert.ok(whole, text);
    for (const windowBytes of [1, 2, 3, 8]) assert.throws(() => streamed(Buffer.from(text), undefined, windowBytes, 2), { name: 'SyntaxError', message: whole }, text);
  }
  // a report's keys, plain and not, each handed over once, in order
  const report = {
    panels: {
      paths: { top: Array.from({ length: 300 }, (_, i) => (i % 7 === 3 ? { key: `/é\\"${i}`, count: 1.5, bytes: 0 } : { key: `/p/${'x'.repeat(i % 40)}${i}`, count: i, bytes: i * 10 })), distinct: 300 },
      hosts: { top: [{ key: 'h', count: 1, bytes: 2 }], distinct: 1 },
    },
    files: [{ path: 'a', status: 'ok' }],
  };
  const text = Buffer.from(JSON.stringify(report, null, 2));
  for (const windowBytes of [1, 5, 64, 1000]) {
    const seen: unknown[] = [];
    const take = Object.assign((element: unknown) => seen.push(element), {
      keyCount: (b: Uint8Array, s: number, e: number, count: number, bytes: number) => seen.push({ key: Buffer.from(b.subarray(s, e)).toString(), count, bytes }),
    });
    const got = streamed(text, (path) => (path[2] === 'top' ? take : undefined), windowBytes, 7);
    assert.deepEqual(seen, [...report.panels.paths.top, ...report.panels.hosts.top], `window ${windowBytes}`);
    assert.deepEqual(got, { ...report, panels: { paths: { top: [], distinct: 300 }, hosts: { top: [], distinct: 1 } } });
  }
});

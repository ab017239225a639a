/**
 * Large typed arrays cross a process pipe in pieces and are put back exactly: the unit on its own
 * (through V8's serializer, as child_process IPC sends each message), and results from real
 * worker processes through the pool.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { PIECE_BYTES, PieceReceiver, PieceSender } from '../shared/array-pieces';
import { imapUnordered } from '../electron/engine/pool';
import { processLauncher } from '../electron/engine/node-launchers';
import { testArrays, type TestProgress, type TestResult, type TestTask } from './support/test-worker';

/** The value with each typed array as its kind and elements (a Buffer arrives as a Uint8Array). */
function plain(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return { [v instanceof Uint8Array ? 'Uint8Array' : v.constructor.name]: Array.from(v as Uint8Array) };
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function sameArrays(actual: unknown, expected: unknown): void {
  assert.deepEqual(plain(actual), plain(expected));
}

test('a message with large typed arrays is sent as pieces of at most PIECE_BYTES and put back exactly', () => {
  for (const bytes of [0, 10, PIECE_BYTES - 1, PIECE_BYTES, 3 * PIECE_BYTES + 17]) {
    const message = { type: 'done', taskId: 7, result: { arrays: testArrays(bytes), label: 'x', n: 3, none: null } };
    const wire: Buffer[] = [];
    const sender = new PieceSender((m) => wire.push(serialize(m)));
    sender.send(message);
    const receiver = new PieceReceiver();
    const out = wire.map((w) => receiver.receive(deserialize(w)));
    // every message before the last is a piece, none larger than a piece and a little
    assert.ok(out.slice(0, -1).every((m) => m === undefined));
    assert.ok(wire.every((w) => w.length <= PIECE_BYTES + 512), `largest message: ${Math.max(...wire.map((w) => w.length))} bytes`);
    const total = 8 * Math.ceil(bytes / 8) + (bytes + 3) + 4 * Math.ceil(bytes / 4);
    if (bytes >= PIECE_BYTES) assert.ok(wire.length >= Math.ceil(total / PIECE_BYTES), `${wire.length} messages for ${total} bytes`);
    sameArrays(out.at(-1), message);
  }
});

test('a message that names an array that never arrived is an error, not a result with a hole', () => {
  const wire: unknown[] = [];
  new PieceSender((m) => wire.push(deserialize(serialize(m)))).send({ type: 'done', taskId: 1, result: testArrays(2 * PIECE_BYTES) });
  const receiver = new PieceReceiver();
  // the first piece of the first array is lost
  for (const m of wire.slice(1, -1)) receiver.receive(m);
  assert.throws(() => receiver.receive(wire.at(-1)), /did not arrive whole/);
  // the next message is not affected by what was left
  assert.deepEqual(receiver.receive({ type: 'done', taskId: 2, result: { n: 1 } }), { type: 'done', taskId: 2, result: { n: 1 } });
});

test('process workers: results of several MB of typed arrays arrive whole, each in its own task', async () => {
  const launcher = processLauncher<TestTask, TestResult, TestProgress>(path.join(__dirname, 'support', 'test-worker.js'));
  const tasks: TestTask[] = [3 * PIECE_BYTES + 5, 100, 2 * PIECE_BYTES, 5 * PIECE_BYTES + 1].map((arrayBytes, i) => ({ id: `t${i}`, arrayBytes }));
  let seen = 0;
  for await (const outcome of imapUnordered(tasks, { launcher, workers: 2 })) {
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
    sameArrays(outcome.value.arrays, testArrays(outcome.input.arrayBytes!));
    seen++;
  }
  assert.equal(seen, tasks.length);
});

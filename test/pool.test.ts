/**
 * The pool's contract, on real child processes (and threads, and serial): completion order,
 * one result per input, lazy dispatch, chunksize, cancel within 500 ms with no process left,
 * a worker killed mid-task.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { imapUnordered, AbortError, type PoolEvent, type PoolOutcome } from '../electron/engine/pool';
import { processLauncher, serialLauncher, threadLauncher } from '../electron/engine/node-launchers';
import type { Launcher } from '../electron/engine/launcher';
import { testHandler, type TestProgress, type TestResult, type TestTask } from './support/test-worker';
import { childrenOf, isAlive } from './support/processes';

const SCRIPT = path.join(__dirname, 'support', 'test-worker.js');
type L = Launcher<TestTask, TestResult, TestProgress>;
const launchers: Record<string, () => L> = {
  process: () => processLauncher(SCRIPT),
  thread: () => threadLauncher(SCRIPT),
  serial: () => serialLauncher(testHandler),
};

async function collect(it: AsyncIterable<PoolOutcome<TestTask, TestResult>>): Promise<PoolOutcome<TestTask, TestResult>[]> {
  const out = [];
  for await (const r of it) out.push(r);
  return out;
}

for (const [kind, make] of Object.entries(launchers)) {
  test(`${kind}: every input gives exactly one result, in completion order`, async () => {
    const inputs: TestTask[] = [{ id: 'slow', ms: 700 }, ...Array.from({ length: 12 }, (_, i) => ({ id: `fast${i}`, ms: 15 }))];
    const results = await collect(imapUnordered(inputs, { launcher: make(), workers: 2 }));
    assert.equal(results.length, inputs.length);
    assert.deepEqual(results.map((r) => r.input.id).sort(), inputs.map((i) => i.id).sort());
    assert.ok(results.every((r) => r.ok));
    if (kind !== 'serial') {
      // the slow first file does not hold back the others: they all finish before it
      assert.equal(results[results.length - 1]!.input.id, 'slow');
      const pids = new Set(results.map((r) => (r.ok ? r.value.pid : 0)));
      if (kind === 'process') assert.equal(pids.size, 2, 'two worker processes did the work');
    } else {
      assert.deepEqual(results.map((r) => r.input.id), inputs.map((i) => i.id));
    }
  });
}

test('process: dispatch starts before the inputs end, and results stream before the last input is produced', async () => {
  let releaseRest!: () => void;
  const rest = new Promise<void>((r) => (releaseRest = r));
  async function* inputs(): AsyncGenerator<TestTask> {
    yield { id: 'a', ms: 10 };
    await rest; // produced only once a result came back
    yield { id: 'b', ms: 10 };
  }
  const seen: string[] = [];
  for await (const r of imapUnordered(inputs(), { launcher: launchers.process!(), workers: 2 })) {
    seen.push(r.input.id);
    releaseRest();
  }
  assert.deepEqual(seen, ['a', 'b']);
});

for (const chunksize of [1, 3]) {
  test(`process: at most chunksize=${chunksize} tasks queued per worker behind the running one, and the queue is used`, async () => {
    const base = launchers.process!();
    const outstanding = new Map<number, number>();
    let max = 0;
    const counting: L = {
      ...base,
      start(slot) {
        const port = base.start(slot);
        outstanding.set(slot, 0);
        return {
          ...port,
          send(msg) {
            if (msg.type === 'task') {
              outstanding.set(slot, outstanding.get(slot)! + 1);
              max = Math.max(max, outstanding.get(slot)!);
            }
            port.send(msg);
          },
          onMessage(cb) {
            port.onMessage((m) => {
              if (m.type === 'done' || m.type === 'failed') outstanding.set(slot, outstanding.get(slot)! - 1);
              cb(m);
            });
          },
        };
      },
    };
    const inputs = Array.from({ length: 20 }, (_, i) => ({ id: `t${i}`, ms: 20 }));
    const results = await collect(imapUnordered(inputs, { launcher: counting, workers: 2, chunksize }));
    assert.equal(results.length, 20);
    assert.equal(max, chunksize + 1);
  });
}

for (const kind of ['process', 'thread'] as const) {
  test(`${kind}: a task queued behind a slow one is taken back by a worker that falls idle`, async () => {
    // S runs on worker 1 with B queued behind it; worker 2 finishes A and C, the input is over,
    // so B must move to worker 2 instead of waiting for S
    const inputs: TestTask[] = [{ id: 'S', ms: 1500 }, { id: 'A', ms: 10 }, { id: 'B', ms: 10 }, { id: 'C', ms: 10 }];
    const results = await collect(imapUnordered(inputs, { launcher: launchers[kind]!(), workers: 2, chunksize: 1 }));
    const order = results.map((r) => r.input.id);
    assert.equal(order.length, 4);
    assert.equal(order[3], 'S', `order: ${order.join(' ')}`);
    const slotOf = (id: string): number => results.find((r) => r.input.id === id)!.slot;
    assert.notEqual(slotOf('B'), slotOf('S'));
  });
}

test('process: workers inherit the environment, less NODE_EXTRA_CA_CERTS (they make no TLS connections; parsing the bundle slows every start)', async () => {
  const saved = { ca: process.env.NODE_EXTRA_CA_CERTS, mark: process.env.LOGPOOL_TEST_MARK };
  process.env.NODE_EXTRA_CA_CERTS = '/etc/ssl/certs/ca-certificates.crt';
  process.env.LOGPOOL_TEST_MARK = 'inherited';
  try {
    const [r] = await collect(imapUnordered([{ id: 'env' }], { launcher: launchers.process!(), workers: 1 }));
    assert.ok(r?.ok);
    assert.deepEqual(r.value.env, { LOGPOOL_TEST_MARK: 'inherited' });
  } finally {
    for (const [k, v] of [['NODE_EXTRA_CA_CERTS', saved.ca], ['LOGPOOL_TEST_MARK', saved.mark]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test('process: cancel stops within 500 ms and leaves no worker process behind', async () => {
  const controller = new AbortController();
  const pids: number[] = [];
  const inputs = Array.from({ length: 6 }, (_, i) => ({ id: `long${i}`, ms: 30_000 }));
  let started = 0;
  let abortedAt = 0;
  const run = collect(
    imapUnordered(inputs, {
      launcher: launchers.process!(),
      workers: 2,
      signal: controller.signal,
      onEvent(e: PoolEvent<TestTask, TestProgress>) {
        if (e.type === 'worker-start' && e.pid) pids.push(e.pid);
        if (e.type === 'task-start' && ++started === 2) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    }),
  );
  await assert.rejects(run, AbortError);
  const stoppedIn = performance.now() - abortedAt;
  assert.ok(stoppedIn < 500, `stopped in ${stoppedIn.toFixed(0)} ms`);
  assert.equal(pids.length, 2);
  for (const pid of pids) assert.equal(isAlive(pid), false, `worker ${pid} is gone`);
  assert.deepEqual(childrenOf(process.pid), []);
});

for (const kind of ['process', 'thread'] as const) {
  test(`${kind}: a worker that dies mid-task fails that task with the reason; a fresh worker takes over`, async () => {
    const inputs: TestTask[] = [
      { id: 'victim', ms: 300, crash: 'exit' },
      ...Array.from({ length: 24 }, (_, i) => ({ id: `ok${i}`, ms: 30 })),
    ];
    const events: PoolEvent<TestTask, TestProgress>[] = [];
    const results = await collect(imapUnordered(inputs, { launcher: launchers[kind]!(), workers: 2, onEvent: (e) => events.push(e) }));
    assert.equal(results.length, inputs.length);
    const victim = results.find((r) => r.input.id === 'victim')!;
    assert.equal(victim.ok, false);
    assert.match(victim.ok ? '' : victim.error, /exited with code 3 while reading this file/);
    assert.ok(results.filter((r) => r.input.id !== 'victim').every((r) => r.ok));
    const exit = events.find((e) => e.type === 'worker-exit');
    assert.ok(exit && exit.type === 'worker-exit' && exit.replaced);
    assert.equal(events.filter((e) => e.type === 'worker-start').length, 3);
  });
}

test('process: a worker killed by a signal mid-file is reported and replaced', async () => {
  const pids = new Map<number, number>();
  let killed = 0;
  const inputs: TestTask[] = [{ id: 'victim', ms: 5_000 }, ...Array.from({ length: 4 }, (_, i) => ({ id: `ok${i}`, ms: 20 }))];
  const results = await collect(
    imapUnordered(inputs, {
      launcher: launchers.process!(),
      workers: 2,
      onEvent(e) {
        if (e.type === 'worker-start' && e.pid) pids.set(e.slot, e.pid);
        if (e.type === 'task-start' && e.input.id === 'victim') {
          killed = pids.get(e.slot)!;
          setTimeout(() => process.kill(killed, 'SIGKILL'), 50);
        }
      },
    }),
  );
  const victim = results.find((r) => r.input.id === 'victim')!;
  assert.ok(!victim.ok);
  assert.match(victim.ok ? '' : victim.error, /killed \(SIGKILL\) while reading this file/);
  assert.equal(results.filter((r) => r.ok).length, 4);
  assert.equal(isAlive(killed), false);
});

test('a task that throws fails alone; its worker goes on', async () => {
  const results = await collect(
    imapUnordered([{ id: 'bad', crash: 'throw' as const }, { id: 'good' }], { launcher: launchers.process!(), workers: 1 }),
  );
  const bad = results.find((r) => r.input.id === 'bad')!;
  assert.ok(!bad.ok && /threw on purpose/.test(bad.error));
  const good = results.find((r) => r.input.id === 'good')!;
  assert.ok(good.ok);
});

test('workers that cannot start stop the run with the reason instead of looping', async () => {
  const broken = processLauncher<TestTask, TestResult, TestProgress>(path.join(__dirname, 'no-such-worker.js'));
  await assert.rejects(collect(imapUnordered([{ id: 'x' }], { launcher: broken, workers: 1 })), /workers cannot start/);
  assert.deepEqual(childrenOf(process.pid), []);
});

test('process: a worker that stops making progress (SIGSTOP) fails its file with the reason, is replaced, and the run goes on', async () => {
  const pids = new Map<number, number>();
  let stopped = 0;
  const events: PoolEvent<TestTask, TestProgress>[] = [];
  const inputs: TestTask[] = [{ id: 'stuck', ms: 30_000 }, ...Array.from({ length: 6 }, (_, i) => ({ id: `ok${i}`, ms: 30 }))];
  const started = performance.now();
  const results = await collect(
    imapUnordered(inputs, {
      launcher: launchers.process!(),
      workers: 2,
      stallMs: 500,
      onEvent(e) {
        events.push(e);
        if (e.type === 'worker-start' && e.pid) pids.set(e.slot, e.pid);
        if (e.type === 'task-start' && e.input.id === 'stuck') {
          stopped = pids.get(e.slot)!;
          setTimeout(() => process.kill(stopped, 'SIGSTOP'), 150);
        }
      },
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const stuck = results.find((r) => r.input.id === 'stuck')!;
  assert.ok(!stuck.ok);
  assert.match(stuck.ok ? '' : stuck.error, /no progress for 0\.5 s \(the worker stopped responding, or the disk is stuck\)/);
  assert.equal(results.filter((r) => r.ok).length, 6, 'every other file was read');
  assert.ok(seconds < 5, `the run went on (${seconds.toFixed(1)} s, not the task's 30 s)`);
  assert.equal(isAlive(stopped), false, 'the stopped worker is gone');
  assert.ok(events.some((e) => e.type === 'worker-exit' && /no progress/.test(e.reason)));
});

test('a busy worker that reports progress is never taken for a stalled one', async () => {
  const results = await collect(
    imapUnordered([{ id: 'long', ms: 1500 }], { launcher: launchers.process!(), workers: 1, stallMs: 400 }),
  );
  assert.equal(results.length, 1);
  assert.ok(results[0]!.ok, results[0]!.ok ? '' : results[0]!.error);
});

test('process: workers start only as there are tasks: one file, one worker, however many are asked for', async () => {
  const events: PoolEvent<TestTask, TestProgress>[] = [];
  const results = await collect(
    imapUnordered([{ id: 'only', ms: 200 }], {
      launcher: launchers.process!(),
      workers: 8,
      onEvent(e) {
        events.push(e);
      },
    }),
  );
  assert.equal(results.length, 1);
  assert.equal(events.filter((e) => e.type === 'worker-start').length, 1);
  const none = await collect(imapUnordered([], { launcher: launchers.process!(), workers: 8, onEvent: (e) => events.push(e) }));
  assert.equal(none.length, 0);
  assert.equal(events.filter((e) => e.type === 'worker-start').length, 1, 'no input, no worker');
});

test('thread: results do not pile up while the caller is slow to take them; the run ends whole', async () => {
  const inputs: TestTask[] = Array.from({ length: 30 }, (_, i) => ({ id: `t${i}`, ms: 5 }));
  let started = 0;
  const onEvent = (e: PoolEvent<TestTask, TestProgress>): void => {
    if (e.type === 'task-start') started++;
  };
  const seen: string[] = [];
  let startedWhileSlow = -1;
  for await (const r of imapUnordered(inputs, { launcher: launchers.thread!(), workers: 2, chunksize: 1, onEvent })) {
    seen.push(r.input.id);
    if (seen.length === 1) {
      // a merge of millions of keys: the workers would have read every file by now
      const before = started;
      await new Promise((resolve) => setTimeout(resolve, 600));
      startedWhileSlow = started - before;
    }
  }
  assert.equal(seen.length, inputs.length);
  assert.deepEqual([...seen].sort(), inputs.map((i) => i.id).sort());
  // at most the results allowed to wait (one per worker) and what each worker had queued
  assert.ok(startedWhileSlow >= 1 && startedWhileSlow <= 2 + 2 * 2, `${startedWhileSlow} tasks started while the caller took none`);
});

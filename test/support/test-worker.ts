/**
 * A worker for the pool's own tests: tasks that take a given time (posting progress), exit the
 * process, or throw. Served when started by a launcher; importable for the serial executor.
 */
import { detectChannel, serveTasks, type TaskHandler } from '../../electron/worker/serve-tasks';

export interface TestTask {
  id: string;
  ms?: number;
  crash?: 'exit' | 'throw';
  /** Send back typed arrays of about this many bytes each (they cross a pipe in pieces). */
  arrayBytes?: number;
}

export interface TestResult {
  id: string;
  pid: number;
  /** What the worker's environment says of these two (the pool tests check what workers inherit). */
  env: { NODE_EXTRA_CA_CERTS?: string; LOGPOOL_TEST_MARK?: string };
  arrays?: TestArrays;
}

export interface TestArrays {
  f64: Float64Array;
  nested: Array<{ u8: Uint8Array; u32: Uint32Array; small: Int32Array }>;
}

/** Arrays whose every element says where it is, so a piece put back in the wrong place shows. */
export function testArrays(bytes: number): TestArrays {
  const f64 = Float64Array.from({ length: Math.ceil(bytes / 8) }, (_, i) => i * 1.5 + 2 ** 40);
  const u8 = Buffer.alloc(bytes + 3, 0);
  for (let i = 0; i < u8.length; i++) u8[i] = (i * 7 + (i >> 20)) & 0xff;
  // a view into a larger buffer, at an offset
  const u32 = new Uint32Array(Math.ceil(bytes / 4) + 10).map((_, i) => (i * 2654435761) >>> 0).subarray(5, -5);
  return { f64, nested: [{ u8, u32, small: Int32Array.of(-1, 2, -3) }] };
}

export interface TestProgress {
  elapsed: number;
}

export const testHandler: TaskHandler<TestTask, TestResult, TestProgress> = async (task, ctx) => {
  const start = Date.now();
  for (;;) {
    const elapsed = Date.now() - start;
    if (elapsed >= (task.ms ?? 0)) break;
    if (ctx.signal?.aborted) throw new Error('cancelled');
    ctx.report({ elapsed });
    await new Promise((r) => setTimeout(r, Math.min(10, (task.ms ?? 0) - elapsed)));
  }
  if (task.crash === 'exit') process.exit(3);
  if (task.crash === 'throw') throw new Error(`task ${task.id} threw on purpose`);
  const env: TestResult['env'] = {};
  if (process.env.NODE_EXTRA_CA_CERTS !== undefined) env.NODE_EXTRA_CA_CERTS = process.env.NODE_EXTRA_CA_CERTS;
  if (process.env.LOGPOOL_TEST_MARK !== undefined) env.LOGPOOL_TEST_MARK = process.env.LOGPOOL_TEST_MARK;
  return { id: task.id, pid: process.pid, env, ...(task.arrayBytes !== undefined ? { arrays: testArrays(task.arrayBytes) } : {}) };
};

if (process.env.LOGPOOL_WORKER_SLOT) {
  void detectChannel<TestTask, TestResult, TestProgress>().then((channel) => serveTasks(testHandler, channel));
}

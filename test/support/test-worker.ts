/**
 * A worker for the pool's own tests: tasks that take a given time (posting progress), exit the
 * process, or throw. Served when started by a launcher; importable for the serial executor.
 */
import { detectChannel, serveTasks, type TaskHandler } from '../../electron/worker/serve-tasks';

export interface TestTask {
  id: string;
  ms?: number;
  crash?: 'exit' | 'throw';
}

export interface TestResult {
  id: string;
  pid: number;
  /** What the worker's environment says of these two (the pool tests check what workers inherit). */
  env: { NODE_EXTRA_CA_CERTS?: string; LOGPOOL_TEST_MARK?: string };
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
  return { id: task.id, pid: process.pid, env };
};

if (process.env.LOGPOOL_WORKER_SLOT) {
  void detectChannel<TestTask, TestResult, TestProgress>().then((channel) => serveTasks(testHandler, channel));
}

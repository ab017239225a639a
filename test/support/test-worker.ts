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
  return { id: task.id, pid: process.pid };
};

if (process.env.LOGPOOL_WORKER_SLOT) {
  void detectChannel<TestTask, TestResult, TestProgress>().then((channel) => serveTasks(testHandler, channel));
}

/**
 * The worker side of the pool: take tasks one at a time, run them, post start / throttled
 * progress / result. The same code serves a child process, a worker thread, an Electron utility
 * process, or (serial executor) the main thread itself through an in-process channel.
 */
import type { FromWorker, ToWorker } from '../../shared/worker-protocol';
import { PieceSender } from '../../shared/array-pieces';

export interface WorkerChannel<T, R, P> {
  post(msg: FromWorker<R, P>): void;
  onMessage(cb: (msg: ToWorker<T>) => void): void;
  exit(): void;
}

export interface TaskContext<P> {
  report(progress: P): void;
  signal?: AbortSignal;
  /** What the pool sent once for every task (the query); undefined when it sent none. */
  setup: unknown;
}

export type TaskHandler<T, R, P> = (task: T, ctx: TaskContext<P>) => Promise<R>;

/** Progress is posted at most this often (the issue asks for ~10 a second at most). */
export const PROGRESS_INTERVAL_MS = 100;

export function serveTasks<T, R, P>(
  handler: TaskHandler<T, R, P>,
  channel: WorkerChannel<T, R, P>,
  signal?: AbortSignal,
): void {
  const queue: Array<{ taskId: number; task: T }> = [];
  let busy = false;
  let shuttingDown = false;
  let setup: unknown;

  const runNext = async (): Promise<void> => {
    if (busy) return;
    const next = queue.shift();
    if (next === undefined) {
      if (shuttingDown) channel.exit();
      return;
    }
    busy = true;
    const { taskId, task } = next;
    channel.post({ type: 'started', taskId });
    let last = 0;
    const ctx: TaskContext<P> = {
      report(progress) {
        const now = Date.now();
        if (now - last < PROGRESS_INTERVAL_MS) return;
        last = now;
        channel.post({ type: 'progress', taskId, progress });
      },
      ...(signal ? { signal } : {}),
      setup,
    };
    try {
      const result = await handler(task, ctx);
      if (!signal?.aborted) channel.post({ type: 'done', taskId, result });
    } catch (e) {
      if (!signal?.aborted) channel.post({ type: 'failed', taskId, error: e instanceof Error ? e.message : String(e) });
    } finally {
      busy = false;
    }
    if (!signal?.aborted) void runNext();
  };

  channel.onMessage((msg) => {
    if (msg.type === 'setup') {
      setup = msg.setup;
    } else if (msg.type === 'task') {
      queue.push({ taskId: msg.taskId, task: msg.task });
      void runNext();
    } else if (msg.type === 'withdraw') {
      const at = queue.findIndex((q) => q.taskId === msg.taskId);
      if (at >= 0) {
        queue.splice(at, 1);
        channel.post({ type: 'withdrawn', taskId: msg.taskId });
      }
    } else if (msg.type === 'shutdown') {
      shuttingDown = true;
      if (!busy && queue.length === 0) channel.exit();
    }
  });
  channel.post({ type: 'ready', pid: process.pid });
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/** The channel to whoever started this process or thread. */
export async function detectChannel<T, R, P>(): Promise<WorkerChannel<T, R, P>> {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    const sender = new PieceSender((m) => electronPort.postMessage(m));
    return {
      post: (msg) => (msg.type === 'done' ? sender.send(msg) : electronPort.postMessage(msg)),
      onMessage: (cb) => electronPort.on('message', (e) => cb(e.data as ToWorker<T>)),
      exit: () => process.exit(0),
    };
  }
  const { parentPort } = await import('node:worker_threads');
  if (parentPort) {
    const port = parentPort;
    return {
      post: (msg) => port.postMessage(msg),
      onMessage: (cb) => port.on('message', cb),
      exit: () => port.close(),
    };
  }
  if (typeof process.send === 'function') {
    // The parent is gone: leave no orphan behind.
    process.on('disconnect', () => process.exit(0));
    const send = (m: unknown): void => {
      if (process.connected) process.send!(m);
    };
    const sender = new PieceSender(send);
    return {
      post: (msg) => (msg.type === 'done' ? sender.send(msg) : send(msg)),
      onMessage: (cb) => process.on('message', (m) => cb(m as ToWorker<T>)),
      exit: () => process.disconnect(),
    };
  }
  throw new Error('logpool worker: started without a parent to talk to (run it through the pool)');
}

/** Launchers that plain Node provides: child processes, worker threads, and serial (inline). */
import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { isFromWorker, type FromWorker, type ToWorker } from '../../shared/worker-protocol';
import { serveTasks, type TaskHandler, type WorkerChannel } from '../worker/serve-tasks';
import { receiveInPieces, tailOf, type Launcher, type WorkerExit, type WorkerPort } from './launcher';
import { workerEnv } from './worker-env';

export function processLauncher<T, R, P>(script: string): Launcher<T, R, P> {
  return {
    kind: 'process',
    maxWorkers: Infinity,
    start(slot): WorkerPort<T, R, P> {
      const child = fork(script, [], {
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        execArgv: [],
        env: workerEnv(slot),
      });
      const stderr = tailOf();
      child.stderr?.on('data', stderr.add);
      // A failed spawn emits 'error' (and then 'close'); keep it from being thrown.
      child.on('error', (e) => stderr.add(`${e.message}\n`));
      return {
        send(msg) {
          if (child.connected) child.send(msg);
        },
        onMessage(cb) {
          child.on('message', receiveInPieces(cb));
        },
        onExit(cb) {
          child.once('close', (code, signal) => cb({ code, signal, detail: stderr.text() }));
        },
        kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        },
      };
    },
  };
}

export function threadLauncher<T, R, P>(script: string): Launcher<T, R, P> {
  return {
    kind: 'thread',
    maxWorkers: Infinity,
    start(slot): WorkerPort<T, R, P> {
      const worker = new Worker(script, { stderr: true, env: { ...process.env, LOGPOOL_WORKER_SLOT: String(slot) } });
      const stderr = tailOf();
      worker.stderr.on('data', stderr.add);
      let killed = false;
      worker.on('error', (e) => stderr.add(`${e.stack ?? e.message}\n`));
      return {
        send(msg) {
          worker.postMessage(msg);
        },
        onMessage(cb) {
          worker.on('message', (m) => {
            if (isFromWorker(m)) cb(m as FromWorker<R, P>);
          });
        },
        onExit(cb) {
          worker.once('exit', (code) => cb({ code, signal: killed ? 'terminated' : null, detail: stderr.text() }));
        },
        kill() {
          killed = true;
          void worker.terminate();
        },
      };
    },
  };
}

/**
 * The serial executor: the handler runs on the caller's own thread, one task at a time, through
 * the same protocol, so that progress, results and cancel behave as with real workers.
 */
export function serialLauncher<T, R, P>(handler: TaskHandler<T, R, P>): Launcher<T, R, P> {
  return {
    kind: 'serial',
    maxWorkers: 1,
    start(): WorkerPort<T, R, P> {
      const controller = new AbortController();
      let toWorker: ((msg: ToWorker<T>) => void) | undefined;
      let fromWorker: ((msg: FromWorker<R, P>) => void) | undefined;
      let exitCb: ((exit: WorkerExit) => void) | undefined;
      let exited = false;
      const exit = (e: WorkerExit): void => {
        if (exited) return;
        exited = true;
        setImmediate(() => exitCb?.(e));
      };
      const channel: WorkerChannel<T, R, P> = {
        post: (msg) => {
          if (!exited) setImmediate(() => fromWorker?.(msg));
        },
        onMessage: (cb) => {
          toWorker = cb;
        },
        exit: () => exit({ code: 0, signal: null, detail: '' }),
      };
      serveTasks(handler, channel, controller.signal);
      return {
        send(msg) {
          if (!exited) setImmediate(() => toWorker?.(msg));
        },
        onMessage(cb) {
          fromWorker = cb;
        },
        onExit(cb) {
          exitCb = cb;
        },
        kill() {
          controller.abort();
          exit({ code: null, signal: 'cancelled', detail: '' });
        },
      };
    },
  };
}

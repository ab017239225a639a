/**
 * How the pool starts a worker: a child process, a worker thread, an Electron utility process
 * (electron/main adds that one) or the main thread itself. All look the same to the pool.
 */
import type { FromWorker, ToWorker } from '../../shared/worker-protocol';

export interface WorkerExit {
  code: number | null;
  signal: string | null;
  /** The last lines the worker wrote to stderr, or its uncaught error. */
  detail: string;
}

export interface WorkerPort<T, R, P> {
  send(msg: ToWorker<T>): void;
  onMessage(cb: (msg: FromWorker<R, P>) => void): void;
  /** Called once, after the worker has gone (its streams closed). */
  onExit(cb: (exit: WorkerExit) => void): void;
  /** Stop it now, mid-task or not. onExit follows. */
  kill(): void;
}

export interface Launcher<T, R, P> {
  readonly kind: string;
  /** Most workers this launcher can run at once (serial: 1). */
  readonly maxWorkers: number;
  start(slot: number): WorkerPort<T, R, P>;
}

export function describeExit(exit: WorkerExit): string {
  const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code ?? 'unknown'}`;
  const detail = exit.detail.trim().split('\n').slice(-3).join(' | ');
  return detail ? `${how}: ${detail}` : how;
}

/** Keeps the last `max` characters written to a stream. */
export function tailOf(max = 2000): { add(chunk: string | Buffer): void; text(): string } {
  let tail = '';
  return {
    add(chunk) {
      tail = (tail + chunk.toString()).slice(-max);
    },
    text: () => tail,
  };
}

/**
 * How the pool starts a worker: a child process, a worker thread, an Electron utility process
 * (electron/main adds that one) or the main thread itself. All look the same to the pool.
 */
import { isFromWorker, type FromWorker, type ToWorker } from '../../shared/worker-protocol';
import { PieceReceiver } from '../../shared/array-pieces';

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

/**
 * A port's message handler for a worker across a pipe: its results' large arrays come ahead in
 * pieces (shared/array-pieces.ts) and are put back before `cb` sees the message. A result that
 * names an array that did not arrive fails its task rather than reach the merge.
 */
export function receiveInPieces<R, P>(cb: (msg: FromWorker<R, P>) => void): (message: unknown) => void {
  const receiver = new PieceReceiver();
  return (message) => {
    let whole: unknown;
    try {
      whole = receiver.receive(message);
    } catch (e) {
      const taskId = (message as { taskId?: unknown }).taskId;
      if (typeof taskId === 'number') cb({ type: 'failed', taskId, error: e instanceof Error ? e.message : String(e) });
      return;
    }
    if (whole !== undefined && isFromWorker(whole)) cb(whole as FromWorker<R, P>);
  };
}

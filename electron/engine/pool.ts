/**
 * imapUnordered: Python's Pool.imap_unordered for files. Inputs are pulled lazily (dispatch starts
 * before the input ends); every worker is kept busy: besides the task it runs it has up to
 * `chunksize` tasks queued, so it starts the next one without waiting for the main process (as
 * Python's workers take the next task from their shared queue), and when the input has run out a
 * worker that falls idle takes back a task still queued behind another worker's (slow) task.
 * Each result is yielded the moment it arrives, in completion order. A worker that dies mid-task
 * fails that task (with the reason) and is replaced; the run goes on. A worker that says nothing
 * for `stallMs` while it has work (stopped, or stuck on a dead disk) is killed, its task failed
 * with that reason, and replaced. Workers start only as there are tasks for them (one file never
 * starts a pool). Aborting kills every worker and waits for them to be gone.
 *
 * Unlike Python's, results do not pile up without bound when the caller takes them more slowly
 * than the workers make them (the engine's merge of millions of keys): while a result per worker
 * waits to be taken, no new task is handed out. Reading on then would not finish the run
 * sooner, only hold more results (each ~20 MB at 250,000 keys a panel) in the main process.
 */
import { describeExit, type Launcher, type WorkerExit, type WorkerPort } from './launcher';

export type PoolOutcome<T, R> =
  | { ok: true; input: T; value: R; slot: number }
  | { ok: false; input: T; error: string; slot: number };

export type PoolEvent<T, P> =
  /** The worker is up and said so (after a restart too). */
  | { type: 'worker-start'; slot: number; pid: number | undefined }
  | { type: 'task-start'; slot: number; input: T }
  | { type: 'task-progress'; slot: number; input: T; progress: P }
  | { type: 'worker-exit'; slot: number; reason: string; replaced: boolean };

export interface PoolOptions<T, R, P> {
  launcher: Launcher<T, R, P>;
  workers: number;
  /** Most tasks queued per worker behind the one it runs (default 1). */
  chunksize?: number;
  signal?: AbortSignal;
  onEvent?: (event: PoolEvent<T, P>) => void;
  /** A worker with work that says nothing for this long is stopped and replaced (0: never). */
  stallMs?: number;
  /** Sent to every worker once, before its first task (what all tasks share: the query). */
  setup?: unknown;
}

/** A worker that dies before it ever says "ready" this many times in a row stops the run. */
const MAX_START_FAILURES = 3;
/** How long a worker asked to shut down may take before it is killed. */
const SHUTDOWN_GRACE_MS = 2000;

interface InFlight<T> {
  taskId: number;
  input: T;
  started: boolean;
  /** Asked back for an idle worker; it may have started meanwhile. */
  withdrawing: boolean;
}

interface Slot<T, R, P> {
  index: number;
  port: WorkerPort<T, R, P>;
  alive: boolean;
  ready: boolean;
  inFlight: InFlight<T>[];
  exited: Promise<void>;
  /** When the worker last said anything, or last became busy (performance.now()). */
  lastHeard: number;
  /** Why the pool stopped it, when it did (a stall): the reason its task fails with. */
  stopReason?: string;
}

export class AbortError extends Error {
  constructor() {
    super('The run was cancelled');
    this.name = 'AbortError';
  }
}

export async function* imapUnordered<T, R, P>(
  inputs: Iterable<T> | AsyncIterable<T>,
  options: PoolOptions<T, R, P>,
): AsyncGenerator<PoolOutcome<T, R>, void, undefined> {
  const pool = new Pool(inputs, options);
  try {
    yield* pool.results();
  } finally {
    await pool.close();
  }
}

class Pool<T, R, P> {
  private readonly source: AsyncIterator<T> | Iterator<T>;
  private sourceDone = false;
  private readonly pending: T[] = [];
  private readonly slots: Slot<T, R, P>[] = [];
  private readonly out: PoolOutcome<T, R>[] = [];
  private wake: (() => void) | undefined;
  private fatal: Error | undefined;
  private closing = false;
  private pumping = false;
  private pumpAgain = false;
  private nextTaskId = 1;
  private startFailures = 0;
  private readonly chunksize: number;
  private readonly maxSlots: number;
  private readonly watchdog: ReturnType<typeof setInterval> | undefined;
  private readonly onAbort = (): void => this.fail(new AbortError());

  constructor(
    inputs: Iterable<T> | AsyncIterable<T>,
    private readonly options: PoolOptions<T, R, P>,
  ) {
    this.source =
      Symbol.asyncIterator in inputs
        ? (inputs as AsyncIterable<T>)[Symbol.asyncIterator]()
        : (inputs as Iterable<T>)[Symbol.iterator]();
    this.chunksize = Math.max(1, Math.floor(options.chunksize ?? 1));
    this.maxSlots = Math.max(1, Math.min(Math.floor(options.workers), options.launcher.maxWorkers));
    if (options.signal?.aborted) {
      this.fatal = new AbortError();
      return;
    }
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    const stallMs = options.stallMs ?? 0;
    if (stallMs > 0) {
      this.watchdog = setInterval(() => this.checkStalls(stallMs), Math.max(10, Math.min(1000, stallMs / 4)));
      this.watchdog.unref();
    }
  }

  async *results(): AsyncGenerator<PoolOutcome<T, R>, void, undefined> {
    void this.pump();
    for (;;) {
      if (this.fatal) throw this.fatal;
      const heldBack = !this.keepingUp();
      const next = this.out.shift();
      if (next !== undefined) {
        // a result taken makes room for a task held back (a pump while busy is only noted)
        if (heldBack) void this.pump();
        yield next;
        continue;
      }
      if (this.isDone()) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }

  /** Stop every worker (gracefully when all work is done, at once otherwise) and wait for them. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    const graceful = this.fatal === undefined && this.isDone();
    for (const slot of this.slots) {
      if (!slot.alive) continue;
      if (graceful) {
        slot.port.send({ type: 'shutdown' });
        const timer = setTimeout(() => slot.port.kill(), SHUTDOWN_GRACE_MS);
        void slot.exited.then(() => clearTimeout(timer));
      } else {
        slot.port.kill();
      }
    }
    await Promise.all(this.slots.map((s) => s.exited));
    if (!this.sourceDone) {
      this.sourceDone = true;
      await this.source.return?.();
    }
  }

  private isDone(): boolean {
    return (
      this.sourceDone &&
      this.pending.length === 0 &&
      this.out.length === 0 &&
      this.slots.every((s) => s.inFlight.length === 0)
    );
  }

  private notify(): void {
    this.wake?.();
  }

  private fail(error: Error): void {
    if (this.fatal) return;
    this.fatal = error;
    this.closing = true;
    for (const slot of this.slots) if (slot.alive) slot.port.kill();
    this.notify();
  }

  private startSlot(index: number): Slot<T, R, P> {
    const port = this.options.launcher.start(index);
    let resolveExit!: () => void;
    const slot: Slot<T, R, P> = {
      index,
      port,
      alive: true,
      ready: false,
      inFlight: [],
      exited: new Promise<void>((r) => (resolveExit = r)),
      lastHeard: performance.now(),
    };
    if (this.options.setup !== undefined) port.send({ type: 'setup', setup: this.options.setup });
    port.onMessage((msg) => {
      if (!slot.alive) return;
      slot.lastHeard = performance.now();
      switch (msg.type) {
        case 'ready':
          slot.ready = true;
          this.startFailures = 0;
          // announced once it runs: its own pid (a utility process has none before it spawns)
          this.options.onEvent?.({ type: 'worker-start', slot: index, pid: msg.pid });
          return;
        case 'started': {
          const task = slot.inFlight.find((t) => t.taskId === msg.taskId);
          if (!task) return;
          task.started = true;
          this.options.onEvent?.({ type: 'task-start', slot: index, input: task.input });
          return;
        }
        case 'progress': {
          const task = slot.inFlight.find((t) => t.taskId === msg.taskId);
          if (task) this.options.onEvent?.({ type: 'task-progress', slot: index, input: task.input, progress: msg.progress });
          return;
        }
        case 'withdrawn': {
          const at = slot.inFlight.findIndex((t) => t.taskId === msg.taskId && !t.started);
          if (at < 0) return;
          const [task] = slot.inFlight.splice(at, 1);
          this.pending.unshift(task!.input);
          void this.pump();
          return;
        }
        case 'done':
        case 'failed': {
          const at = slot.inFlight.findIndex((t) => t.taskId === msg.taskId);
          if (at < 0) return;
          const [task] = slot.inFlight.splice(at, 1);
          this.out.push(
            msg.type === 'done'
              ? { ok: true, input: task!.input, value: msg.result, slot: index }
              : { ok: false, input: task!.input, error: msg.error, slot: index },
          );
          this.notify();
          void this.pump();
          return;
        }
      }
    });
    port.onExit((exit) => {
      slot.alive = false;
      resolveExit();
      if (!this.closing) this.onWorkerDied(slot, exit);
    });
    return slot;
  }

  private onWorkerDied(slot: Slot<T, R, P>, exit: WorkerExit): void {
    const reason = describeExit(exit);
    const lost = slot.inFlight.splice(0);
    // a stopped worker's first task was the one it was stuck on, started or not
    const running = lost[0]?.started || slot.stopReason ? lost.shift() : undefined;
    if (running) {
      const error = slot.stopReason ?? `worker ${slot.index} ${reason} while reading this file`;
      this.out.push({ ok: false, input: running.input, error, slot: slot.index });
    }
    // Tasks it had not started go back to the front of the queue, in order.
    this.pending.unshift(...lost.map((t) => t.input));
    if (!slot.ready && !slot.stopReason && (this.startFailures += 1) >= MAX_START_FAILURES) {
      this.fail(new Error(`workers cannot start: worker ${slot.index} ${reason}`));
      return;
    }
    const workLeft = !this.sourceDone || this.pending.length > 0;
    this.options.onEvent?.({ type: 'worker-exit', slot: slot.index, reason: slot.stopReason ? 'stopped: it made no progress' : reason, replaced: workLeft });
    if (workLeft) this.slots[slot.index - 1] = this.startSlot(slot.index);
    this.notify();
    void this.pump();
  }

  /** A worker with work that has said nothing for `stallMs` is stopped; its task fails with why. */
  private checkStalls(stallMs: number): void {
    if (this.closing) return;
    const now = performance.now();
    for (const slot of this.slots) {
      if (!slot.alive || slot.stopReason || slot.inFlight.length === 0 || now - slot.lastHeard < stallMs) continue;
      const secs = Math.round(stallMs / 100) / 10;
      slot.stopReason = `no progress for ${secs} s (the worker stopped responding, or the disk is stuck): stopped, and the run went on without this file`;
      slot.port.kill();
    }
  }

  /** Whether the caller keeps up: a task handed out now would not add to results left waiting. */
  private keepingUp(): boolean {
    return this.out.length < this.maxSlots;
  }

  /** Whether a task could be placed now: a worker with room, or room for another worker (and the caller keeps up). */
  private hasRoom(): boolean {
    if (!this.keepingUp()) return false;
    return this.slots.length < this.maxSlots || this.slots.some((s) => s.alive && s.inFlight.length < this.chunksize + 1);
  }

  /**
   * Where the next task goes: an idle worker; else a new worker, while there are fewer than asked
   * for (so one file never starts a whole pool); else the least busy worker with room in its queue.
   */
  private slotForTask(): Slot<T, R, P> | undefined {
    let best: Slot<T, R, P> | undefined;
    for (const slot of this.slots) {
      if (!slot.alive || slot.inFlight.length >= this.chunksize + 1) continue;
      if (slot.inFlight.length === 0) return slot;
      if (!best || slot.inFlight.length < best.inFlight.length) best = slot;
    }
    if (this.slots.length < this.maxSlots) {
      const slot = this.startSlot(this.slots.length + 1);
      this.slots.push(slot);
      return slot;
    }
    return best;
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      while (!this.closing && this.hasRoom()) {
        let input: T;
        if (this.pending.length > 0) {
          input = this.pending.shift()!;
        } else if (!this.sourceDone) {
          const next = await this.source.next();
          if (next.done) {
            this.sourceDone = true;
            this.notify();
            break;
          }
          input = next.value;
        } else {
          break;
        }
        const slot = this.closing ? undefined : this.slotForTask();
        if (!slot) {
          this.pending.unshift(input);
          break;
        }
        const taskId = this.nextTaskId++;
        // a worker that had nothing to do is timed for stalls from now
        if (slot.inFlight.length === 0) slot.lastHeard = performance.now();
        slot.inFlight.push({ taskId, input, started: false, withdrawing: false });
        slot.port.send({ type: 'task', taskId, task: input });
      }
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
    } finally {
      this.pumping = false;
    }
    if (this.pumpAgain) {
      this.pumpAgain = false;
      void this.pump();
    } else {
      this.rebalance();
    }
  }

  /**
   * The input has run out and a worker is idle: ask for a task still queued (not started) behind
   * another worker's task; it comes back as 'withdrawn' (and is then dispatched) unless that
   * worker started it meanwhile.
   */
  private rebalance(): void {
    // a task withdrawn while results wait would only wait in `pending` instead of behind a worker
    if (this.closing || !this.sourceDone || this.pending.length > 0 || !this.keepingUp()) return;
    let idle = this.slots.filter((s) => s.alive && s.ready && s.inFlight.length === 0).length;
    for (const slot of this.slots) {
      if (idle === 0) return;
      if (!slot.alive) continue;
      // the first is running, or starts the moment it arrives (a worker starts a task at once
      // when it has none): only those behind it can come back
      for (const task of slot.inFlight.slice(1)) {
        if (idle === 0) return;
        if (task.started || task.withdrawing) continue;
        task.withdrawing = true;
        idle--;
        slot.port.send({ type: 'withdraw', taskId: task.taskId });
      }
    }
  }
}

/**
 * A re-run whose only new lines are a little appended to plain logs reads them in this process:
 * a worker takes longer to start than to read them. On 2 cores, the bench's re-run with 0.2 MB
 * appended to one log took 127–151 ms with a worker process (~90 ms of it the worker starting,
 * which also slowed the counting of the cached results beside it), 87–88 ms read here, against
 * 50–88 ms with nothing changed.
 *
 * Only the new lines of grown plain files are read here, and only when all that is left after the
 * cache lookups is those, within a bound: plain text, so its reading costs what its bytes say (a
 * compressed file could hold far more than its size), and a few milliseconds at most. The desktop
 * app does not ask for it: its main process is the window's event loop, which never parses.
 */
import type { AnalyzeTask } from '../../shared/worker-protocol';
import type { Launcher } from './launcher';

/** What the CLI reads here at most (RunRequest.readHereBytes): ~5 ms of parsing. */
export const DEFAULT_READ_HERE_BYTES = 1024 * 1024;

/**
 * Whether the queued tasks may all be read here: each the new lines of a grown plain file (a cached
 * file continued from its old end, not a part of a file read in parts), `limit` bytes in all.
 */
export function leftoverFits(queue: readonly AnalyzeTask[], limit: number): boolean {
  let bytes = 0;
  for (const task of queue) {
    if (task.from === undefined || task.part !== undefined) return false;
    bytes += task.size - task.from;
    if (bytes > limit) return false;
  }
  return true;
}

/**
 * The pool's launcher, but for the first worker when `here()` says so as it starts: that one runs
 * in this process (`inProcess`). The pool starts a worker only once it has a task to give it, and
 * by then the scan has said where that task is read. Any later worker is the pool's (a cached
 * result found damaged after the choice: its file is read whole).
 */
export function hereOrPool<T, R, P>(pool: Launcher<T, R, P>, inProcess: Launcher<T, R, P>, here: () => boolean): Launcher<T, R, P> {
  let startedHere = false;
  return {
    get kind() {
      return startedHere ? inProcess.kind : pool.kind;
    },
    maxWorkers: pool.maxWorkers,
    start(slot) {
      if (startedHere || !here()) return pool.start(slot);
      startedHere = true;
      return inProcess.start(slot);
    },
  };
}

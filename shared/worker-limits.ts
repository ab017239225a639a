/**
 * How many workers a run may ask for. Past a few per core, more workers only add memory (each is
 * a process with its own heap) and contention; `--workers 64` once forked 64 processes (3 GB) to
 * read one file.
 */
export const WORKERS_PER_CORE_MAX = 4;

export function maxWorkersFor(cores: number): number {
  return Math.max(1, Math.floor(cores)) * WORKERS_PER_CORE_MAX;
}

export function tooManyWorkersMessage(asked: number, cores: number): string {
  return `${asked} workers is more than ${maxWorkersFor(cores)} (${WORKERS_PER_CORE_MAX} per core on this machine's ${cores} ${cores === 1 ? 'core' : 'cores'}); more workers than that only add memory`;
}

/** A worker with a file that reports no progress for this long is stopped and replaced. */
export const DEFAULT_STALL_TIMEOUT_SECONDS = 60;

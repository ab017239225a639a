/**
 * CPU % of worker processes, for hosts without Electron's app.getAppMetrics(): on Linux from
 * /proc/<pid>/stat (user + system ticks between two samples); elsewhere nothing.
 */
import { readFileSync } from 'node:fs';

export interface CpuSampler {
  /** CPU % since the previous call, per pid (100 = one core busy); absent where unknown. */
  sample(pids: readonly number[]): Map<number, number>;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function procCpuSampler(
  readStat: (pid: number) => string = (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8'),
  clock: () => number = () => performance.now(),
): CpuSampler | undefined {
  if (process.platform !== 'linux') return undefined;
  const last = new Map<number, { ticks: number; at: number }>();
  return {
    sample(pids) {
      const out = new Map<number, number>();
      const now = clock();
      for (const pid of pids) {
        let ticks: number;
        try {
          const stat = readStat(pid);
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
        } catch {
          last.delete(pid);
          continue;
        }
        const prev = last.get(pid);
        last.set(pid, { ticks, at: now });
        if (prev && now - prev.at > 50) out.set(pid, Math.max(0, ((ticks - prev.ticks) / TICKS_PER_SECOND / ((now - prev.at) / 1000)) * 100));
      }
      return out;
    },
  };
}

/**
 * CPU % is measured over windows of at least this long, and the last measure given in between:
 * /proc counts in 10 ms ticks, so over one 50 ms progress interval a busy worker reads 60%,
 * 100%, 140% by turns, and an interval a hair under the sampler's minimum gave no value at all
 * (the lane flickered between a value and n/a).
 */
export const CPU_WINDOW_MS = 500;

/** A sampler asked at most once a window; between, each worker keeps its last value. */
export function steadyCpu(inner: CpuSampler, clock: () => number = () => performance.now()): CpuSampler {
  let at = -Infinity;
  const last = new Map<number, number>();
  return {
    sample(pids) {
      const now = clock();
      if (now - at >= CPU_WINDOW_MS) {
        at = now;
        const fresh = inner.sample(pids);
        for (const pid of pids) {
          const v = fresh.get(pid);
          if (v !== undefined) last.set(pid, v);
        }
        // a worker replaced: its pid is forgotten
        for (const pid of last.keys()) if (!pids.includes(pid)) last.delete(pid);
      }
      const out = new Map<number, number>();
      for (const pid of pids) {
        const v = last.get(pid);
        if (v !== undefined) out.set(pid, v);
      }
      return out;
    },
  };
}

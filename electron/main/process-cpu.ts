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

export function procCpuSampler(): CpuSampler | undefined {
  if (process.platform !== 'linux') return undefined;
  const last = new Map<number, { ticks: number; at: number }>();
  return {
    sample(pids) {
      const out = new Map<number, number>();
      const now = performance.now();
      for (const pid of pids) {
        let ticks: number;
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
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

/** Per-process CPU % from Electron's own metrics (works for utility processes on every OS). */
import { app } from 'electron';
import type { CpuSampler } from '../process-cpu';

export function appMetricsCpu(): CpuSampler {
  return {
    sample(pids) {
      const wanted = new Set(pids);
      const out = new Map<number, number>();
      for (const m of app.getAppMetrics()) if (wanted.has(m.pid)) out.set(m.pid, m.cpu.percentCPUUsage);
      return out;
    },
  };
}

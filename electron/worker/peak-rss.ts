/**
 * The peak resident set of this process, in bytes. On Linux, VmHWM of /proc/self/status: the
 * high-water mark of this process image. (getrusage's ru_maxrss is no good for a worker: Linux
 * carries it across fork and exec, so a child starts with its parent's peak.) Elsewhere, the
 * largest RSS seen by `sample()`.
 */
import { readFileSync } from 'node:fs';

let sampled = 0;

export function sampleRss(): void {
  sampled = Math.max(sampled, process.memoryUsage.rss());
}

export function peakRss(): number {
  sampleRss();
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return sampled;
}

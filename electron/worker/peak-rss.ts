/**
 * The peak resident set of this process, in bytes. On Linux, VmHWM of /proc/self/status: the
 * high-water mark of this process image. (getrusage's ru_maxrss is no good for a worker: Linux
 * carries it across fork and exec, so a child starts with its parent's peak.) Elsewhere, the
 * largest RSS seen by `sample()`.
 */
import { readFileSync } from 'node:fs';

/**
 * Asked after every file: read at most this often (reading /proc and the RSS cost ~40 µs, as much
 * as counting a small file). A file that takes longer always gets a fresh figure.
 */
const FRESH_MS = 100;

let sampled = 0;
let peak = 0;
let peakAt = -Infinity;

export function sampleRss(): void {
  sampled = Math.max(sampled, process.memoryUsage.rss());
}

export function peakRss(): number {
  const now = performance.now();
  if (now - peakAt < FRESH_MS) return peak;
  peakAt = now;
  sampleRss();
  peak = sampled;
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) peak = Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return peak;
}

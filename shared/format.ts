/** Number, size, rate and duration formats for the terminal. */

// One formatter for all: toLocaleString() builds a new Intl.NumberFormat on every call, which
// made formatting the UI's numbers the renderer's largest cost.
const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function int(n: number): string {
  return INT.format(Math.round(n));
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function rate(bytesPerSec: number): string {
  return `${(bytesPerSec / 1e6).toFixed(1)} MB/s`;
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Keep the end of a path (the file name matters most) within `width` characters. */
/** What a lane reads besides the file named: " · part 2/8" of it, or " +31 files" after it. */
export function partLabel(lane: { part?: { index: number; count: number }; files?: number }): string {
  if (lane.part) return ` · part ${lane.part.index}/${lane.part.count}`;
  return lane.files !== undefined && lane.files > 1 ? ` +${lane.files - 1} files` : '';
}

export function fitPath(p: string, width: number): string {
  if (p.length <= width) return p.padEnd(width);
  return `…${p.slice(p.length - width + 1)}`;
}

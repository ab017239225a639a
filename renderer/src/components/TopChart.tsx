import { memo } from 'react';
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { KeyCount } from '../../../shared/key-count';
import { int } from '../../../shared/format';

function shorten(key: string): string {
  return key.length > 42 ? `…${key.slice(-41)}` : key;
}

// Plain SVG text for ticks and bar labels: recharts' own Text measures every string with a
// forced layout on each update, which made each progress message a long task.
function KeyTick({ x, y, payload }: { x?: number; y?: number; payload?: { value: string } }) {
  return (
    <text x={x} y={y} dy={4} textAnchor="end" fontSize={12} fill="var(--muted)">
      {shorten(payload?.value ?? '')}
    </text>
  );
}

function CountTick({ x, y, payload }: { x?: number; y?: number; payload?: { value: number } }) {
  return (
    <text x={x} y={y} dy={14} textAnchor="middle" fontSize={12} fill="var(--muted)">
      {int(payload?.value ?? 0)}
    </text>
  );
}

function BarLabel({ x, y, width, height, value }: { x?: number | string; y?: number | string; width?: number | string; height?: number | string; value?: unknown }) {
  return (
    <text x={Number(x) + Number(width) + 4} y={Number(y) + Number(height) / 2} dy={4} fontSize={11} fill="var(--fg)">
      {int(Number(value))}
    </text>
  );
}

function sameTop(a: KeyCount[], b: KeyCount[]): boolean {
  return a.length === b.length && a.every((x, i) => x.key === b[i]!.key && x.count === b[i]!.count);
}

/**
 * The top N as horizontal bars, redrawn without animation, and only when the numbers changed
 * (each progress message carries a fresh copy of the same top N).
 */
export const TopChart = memo(function TopChart({ top, title }: { top: KeyCount[]; title: string }) {
  const height = Math.max(160, top.length * 26 + 40);
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      {top.length === 0 ? (
        <div className="chart-empty" style={{ height: 160 }}>Nothing counted yet.</div>
      ) : (
        <div className="chart-body" style={{ height }}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={top} layout="vertical" margin={{ top: 8, right: 48, bottom: 8, left: 8 }}>
              <XAxis type="number" stroke="var(--muted)" tick={<CountTick />} />
              <YAxis type="category" dataKey="key" width={300} stroke="var(--muted)" interval={0} tick={<KeyTick />} />
              <Tooltip formatter={(v) => int(Number(v))} cursor={{ fill: 'var(--hover)' }} />
              <Bar dataKey="count" fill="var(--accent)" isAnimationActive={false} label={<BarLabel />} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}, (a, b) => a.title === b.title && sameTop(a.top, b.top));

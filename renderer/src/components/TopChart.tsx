import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { KeyCount } from '../../../shared/key-count';
import { int } from '../../../shared/format';

function shorten(key: string): string {
  return key.length > 42 ? `…${key.slice(-41)}` : key;
}

/** The top N as horizontal bars; redrawn without animation so that updates never stutter. */
export function TopChart({ top, title }: { top: KeyCount[]; title: string }) {
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
              <CartesianGrid horizontal={false} stroke="var(--grid)" />
              <XAxis type="number" tickFormatter={(v: number) => int(v)} stroke="var(--muted)" />
              <YAxis type="category" dataKey="key" width={300} tickFormatter={shorten} stroke="var(--muted)" interval={0} tick={{ fontSize: 12 }} />
              <Tooltip formatter={(v) => int(Number(v))} cursor={{ fill: 'var(--hover)' }} />
              <Bar dataKey="count" fill="var(--accent)" isAnimationActive={false} label={{ position: 'right', fill: 'var(--fg)', fontSize: 11, formatter: (v: unknown) => int(Number(v)) }} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}

import { memo } from 'react';
import { NOTHING_DRAWN, RUNNING_GAP_MS, useLatest, useTurn } from '../use-turn';
import { ChartBody } from './ChartBody';
import { Bar, BarChart, Tooltip, XAxis, YAxis } from 'recharts';
import { sameKeyCounts, type KeyCount } from '../../../shared/key-count';
import { int } from '../../../shared/format';

/** Key labels fit a column of KEY_WIDTH px; the whole key is in the label's tooltip and the table. */
const KEY_WIDTH = 190;
const KEY_CHARS = 27;
const ROW = 20;

function shorten(key: string): string {
  return key.length > KEY_CHARS ? `…${key.slice(-(KEY_CHARS - 1))}` : key;
}

// Plain SVG text for ticks and bar labels: recharts' own Text measures every string with a
// forced layout on each update, which made each progress message a long task.
function KeyTick({ x, y, payload }: { x?: number; y?: number; payload?: { value: string } }) {
  return (
    <text x={x} y={y} dy={4} textAnchor="end" fontSize={12} fill="var(--muted)">
      <title>{payload?.value ?? ''}</title>
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

/**
 * The top N as horizontal bars, redrawn without animation, only when the numbers changed (each
 * progress message carries a fresh copy of the same top N), and in the chart's turn (useTurn).
 * Its height is the run's N from the start (no jump as keys arrive); the right margin fits the
 * largest count's label. A bar clicked calls onPick with its key.
 */
export const TopChart = memo(function TopChart({ running, top, rows, distinct, title, empty, onPick }: { running: boolean; top: KeyCount[]; rows: number; distinct: number; title: string; empty: string; onPick?: (key: string) => void }) {
  const drawn = useTurn(top, sameKeyCounts, running ? RUNNING_GAP_MS : 0, NOTHING_DRAWN);
  const pick = useLatest(onPick);
  // room for the run's N, or for every key when the panel has fewer (a status panel's five), as
  // drawn: a height from the latest message would redraw the bars outside the chart's turn
  const height = Math.min(rows, Math.max(3, drawn.length === 0 ? distinct : drawn.length)) * ROW + 40;
  return (
    <figure className={onPick ? 'chart pickable' : 'chart'} aria-label={title}>
      <figcaption>{title}</figcaption>
      {drawn.length > 0 ? <TopBars top={drawn} height={height} pick={pick} /> : <div className="chart-empty" style={{ height }}>{top.length === 0 ? empty : ''}</div>}
    </figure>
  );
}, (a, b) => a.running === b.running && a.title === b.title && a.empty === b.empty && a.rows === b.rows && a.distinct === b.distinct && a.onPick === b.onPick && sameKeyCounts(a.top, b.top));

/**
 * The bars: drawn again only when they change, not when the title does or bars become clickable
 * (as the run ends): a click reads `pick` then, and the pointer is the figure's style.
 */
const TopBars = memo(function TopBars({ top, height, pick }: { top: KeyCount[]; height: number; pick: { readonly current: ((key: string) => void) | undefined } }) {
  const widest = top.reduce((m, x) => Math.max(m, int(x.count).length), 1);
  return (
    <ChartBody
      height={height}
      chart={(width) => (
        <BarChart width={width} height={height} data={top} layout="vertical" margin={{ top: 4, right: 12 + widest * 7, bottom: 4, left: 4 }} barCategoryGap={3} maxBarSize={ROW}>
          <XAxis type="number" stroke="var(--muted)" tick={<CountTick />} height={24} />
          <YAxis type="category" dataKey="key" width={KEY_WIDTH} stroke="var(--muted)" interval={0} tick={<KeyTick />} />
          <Tooltip formatter={(v) => int(Number(v))} cursor={{ fill: 'var(--hover)' }} isAnimationActive={false} />
          <Bar
            dataKey="count"
            fill="var(--accent)"
            isAnimationActive={false}
            label={<BarLabel />}
            onClick={(d: { payload?: KeyCount }) => d.payload && pick.current?.(d.payload.key)}
          />
        </BarChart>
      )}
    />
  );
});

import { memo, useState } from 'react';
import { NOTHING_DRAWN, RUNNING_GAP_MS, useLatest, useTurn } from '../use-turn';
import { ChartBody } from './ChartBody';
import { Bar, BarChart, ReferenceArea, Tooltip, XAxis, YAxis } from 'recharts';
import { sameKeyCounts, type KeyCount } from '../../../shared/key-count';
import { int } from '../../../shared/format';

/** An axis label for a bucket: month-day, and the hour for an hour's bucket (the year is in the tooltip). */
function tickText(key: string): string {
  return key.length > 10 ? `${key.slice(5, 10)} ${key.slice(11, 16)}` : key.slice(5);
}

function CountTick({ x, y, payload }: { x?: number; y?: number; payload?: { value: number } }) {
  return (
    <text x={x} y={y} dx={-4} dy={4} textAnchor="end" fontSize={11} fill="var(--muted)">
      {int(payload?.value ?? 0)}
    </text>
  );
}

function BucketTick({ x, y, payload }: { x?: number; y?: number; payload?: { value: string } }) {
  return (
    <text x={x} y={y} dy={14} textAnchor="middle" fontSize={11} fill="var(--muted)">
      {tickText(payload?.value ?? '')}
    </text>
  );
}

type Drag = { from: string; to: string } | undefined;

const HEIGHT = 200;

/**
 * Lines over time (the hours or days panel) as bars, redrawn in the chart's turn (useTurn);
 * dragging across them (or clicking one) asks for that time range as the since/until filter.
 */
export const TimeChart = memo(function TimeChart({ running, series, title, empty, onRange }: { running: boolean; series: KeyCount[]; title: string; empty: string; onRange?: (from: string, to: string) => void }) {
  const drawn = useTurn(series, sameKeyCounts, running ? RUNNING_GAP_MS : 0, NOTHING_DRAWN);
  const range = useLatest(onRange);
  return (
    <figure className={onRange ? 'chart time-chart draggable' : 'chart time-chart'} aria-label={title}>
      <figcaption>
        {title}
        {onRange && drawn.length > 1 && <span className="muted hint-inline"> · drag across the bars to keep only that time</span>}
      </figcaption>
      {drawn.length > 0 ? <TimeBars series={drawn} range={range} /> : <div className="chart-empty" style={{ height: HEIGHT }}>{series.length === 0 ? empty : ''}</div>}
    </figure>
  );
}, (a, b) => a.running === b.running && a.title === b.title && a.empty === b.empty && a.onRange === b.onRange && sameKeyCounts(a.series, b.series));

/**
 * The bars: drawn again when they change or while dragging, not when the title does or dragging
 * becomes possible (as the run ends): a drag reads `range` then, and the pointer is the figure's style.
 */
const TimeBars = memo(function TimeBars({ series, range }: { series: KeyCount[]; range: { readonly current: ((from: string, to: string) => void) | undefined } }) {
  const [drag, setDrag] = useState<Drag>();
  const label = (state: { activeLabel?: string | number | undefined }): string | undefined => (state.activeLabel === undefined ? undefined : String(state.activeLabel));
  return (
    <ChartBody
      height={HEIGHT}
      testId="time-chart"
      chart={(width) => (
        <BarChart
          width={width}
          height={HEIGHT}
          data={series}
          margin={{ top: 8, right: 12, bottom: 4, left: 8 }}
          barCategoryGap={1}
          onMouseDown={(s) => {
            const at = label(s);
            if (at !== undefined && range.current) setDrag({ from: at, to: at });
          }}
          onMouseMove={(s) => {
            const at = label(s);
            if (drag && at !== undefined && at !== drag.to) setDrag({ ...drag, to: at });
          }}
          onMouseUp={() => {
            if (drag) range.current?.(drag.from, drag.to);
            setDrag(undefined);
          }}
          onMouseLeave={() => setDrag(undefined)}
          style={{ userSelect: 'none' }}
        >
          <XAxis dataKey="key" stroke="var(--muted)" tick={<BucketTick />} minTickGap={24} />
          <YAxis stroke="var(--muted)" tick={<CountTick />} width={64} />
          <Tooltip formatter={(v) => [int(Number(v)), 'lines']} cursor={{ fill: 'var(--hover)' }} isAnimationActive={false} />
          <Bar dataKey="count" fill="var(--accent)" isAnimationActive={false} />
          {drag && <ReferenceArea x1={drag.from} x2={drag.to} fill="var(--accent)" fillOpacity={0.2} stroke="var(--accent)" />}
        </BarChart>
      )}
    />
  );
});

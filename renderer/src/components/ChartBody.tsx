/**
 * A chart's box, and the chart drawn at its width. recharts' ResponsiveContainer measures itself
 * in an effect after the chart first renders and redraws it then, at a lower priority: that
 * second drawing came one or more frames later, outside the chart's turn (use-turn.ts), and with
 * the next chart's. Measured here in a layout effect, the chart is drawn at its size in the same
 * task as it appears; a resize later redraws it as any resize would.
 */
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export function ChartBody({ height, testId, chart }: { height: number; testId?: string; chart: (width: number) => ReactNode }) {
  const body = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = body.current!;
    const measure = (): void => setWidth(element.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return (
    <div className="chart-body" style={{ height }} data-testid={testId} ref={body}>
      {width > 0 && chart(width)}
    </div>
  );
}

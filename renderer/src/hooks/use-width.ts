/**
 * An element's width, for a chart drawn at a fixed size. recharts' ResponsiveContainer measures
 * itself in an effect after the chart first renders and redraws it then, at a lower priority: that
 * second drawing came one or more frames later, outside the chart's turn (use-turn.ts), and with
 * the next chart's. Measured here in a layout effect, the chart is drawn at its size in the same
 * task as it appears; a resize later redraws it as any resize would.
 */
import { useLayoutEffect, useState, type RefObject } from 'react';

export function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const measure = (): void => setWidth(Math.floor(element.clientWidth));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

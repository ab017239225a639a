import { useCallback, useState, type UIEvent } from 'react';

/** Which rows of a long table to render: those in view plus a margin. */
export function useVirtualRows(count: number, rowHeight: number, viewportHeight: number) {
  const [scrollTop, setScrollTop] = useState(0);
  const onScroll = useCallback((e: UIEvent<HTMLElement>) => setScrollTop(e.currentTarget.scrollTop), []);
  const margin = 10;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - margin);
  const last = Math.min(count, Math.ceil((scrollTop + viewportHeight) / rowHeight) + margin);
  return { first, last, before: first * rowHeight, after: (count - last) * rowHeight, onScroll };
}

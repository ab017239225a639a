import { useState } from 'react';

/**
 * A table's sort: by one column, in one direction. Sorting on the active column turns its
 * direction; on another, sorts by it in the direction it starts in (`startsDescending`).
 */
export function useColumnSort<K extends string>(first: K, firstDescending: boolean, startsDescending: (by: K) => boolean) {
  const [sort, setSort] = useState({ by: first, descending: firstDescending });
  return {
    sortBy: sort.by,
    descending: sort.descending,
    sortOn: (by: K): void => setSort((s) => (s.by === by ? { by, descending: !s.descending } : { by, descending: startsDescending(by) })),
    reset: (): void => setSort({ by: first, descending: firstDescending }),
  };
}

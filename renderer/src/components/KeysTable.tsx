import { useMemo, useState } from 'react';
import { compareCodePoints } from '../../../shared/code-point-order';
import { bytes as formatBytes, int } from '../../../shared/format';
import { useVirtualRows } from '../use-virtual-rows';
import { SortButton, ariaSortOf } from './SortButton';
import { useColumnSort } from '../hooks/use-column-sort';

const ROW = 28;
const VIEW = 420;

type SortBy = 'count' | 'key' | 'bytes';

/**
 * Every key of a panel: searchable, sortable by key, count or bytes, virtualized (a million rows
 * scroll smoothly). "#" is the key's rank in the panel's own order, whatever the sort or search.
 */
export function KeysTable({ keys, counts, bytes, keyLabel, timeOrder }: { keys: string[]; counts: number[]; bytes: number[]; keyLabel: string; timeOrder: boolean }) {
  const [query, setQuery] = useState('');
  const { sortBy, descending, sortOn } = useColumnSort<SortBy>(timeOrder ? 'key' : 'count', !timeOrder, (by) => by !== 'key');

  // the panel's own order (count, or time for hours and days) is main's; the others are computed once each
  const native: SortBy = timeOrder ? 'key' : 'count';
  const sorted = useMemo(() => {
    if (sortBy === native) return Array.from(keys.keys());
    if (sortBy === 'key') return Array.from(keys.keys()).sort((a, b) => compareCodePoints(keys[a]!, keys[b]!));
    const by = sortBy === 'count' ? counts : bytes;
    return Array.from(keys.keys()).sort((a, b) => by[b]! - by[a]! || a - b);
  }, [keys, counts, bytes, sortBy, native]);

  const order = useMemo(() => {
    const directed = (sortBy === 'key') !== descending ? sorted : [...sorted].reverse();
    const q = query.trim().toLowerCase();
    return q ? directed.filter((i) => keys[i]!.toLowerCase().includes(q)) : directed;
  }, [keys, sorted, sortBy, descending, query]);

  const { first, last, before, after, onScroll } = useVirtualRows(order.length, ROW, VIEW);

  const sortButton = (by: SortBy, label: string) => <SortButton label={label} active={sortBy === by} descending={descending} onSort={() => sortOn(by)} />;
  const ariaSort = (by: SortBy) => ariaSortOf(sortBy === by, descending);

  return (
    <div className="table-block">
      <div className="table-tools">
        <input type="search" placeholder={`Search ${int(keys.length)} ${keyLabel}s…`} aria-label={`Search ${keyLabel}s`} value={query} onChange={(e) => setQuery(e.target.value)} />
        <span className="muted">{query ? `${int(order.length)} of ${int(keys.length)} match` : `${int(keys.length)} ${keys.length === 1 ? 'key' : 'keys'}`}</span>
      </div>
      <div className="table-scroll" style={{ height: VIEW }} onScroll={onScroll} tabIndex={0}>
        <table aria-label="Top results" aria-rowcount={order.length + 1}>
          <thead>
            <tr>
              <th scope="col" className="num">#</th>
              <th scope="col" aria-sort={ariaSort('key')}>{sortButton('key', keyLabel[0]!.toUpperCase() + keyLabel.slice(1))}</th>
              <th scope="col" className="num" aria-sort={ariaSort('count')}>{sortButton('count', 'Lines')}</th>
              <th scope="col" className="num" aria-sort={ariaSort('bytes')}>{sortButton('bytes', 'Bytes')}</th>
            </tr>
          </thead>
          <tbody>
            {before > 0 && <tr aria-hidden="true" style={{ height: before }} />}
            {order.slice(first, last).map((i, n) => (
              <tr key={i} style={{ height: ROW }} aria-rowindex={first + n + 2}>
                <td className="num muted">{int(i + 1)}</td>
                <td className="key" title={keys[i]}>{keys[i]}</td>
                <td className="num">{int(counts[i]!)}</td>
                <td className="num">{formatBytes(bytes[i]!)}</td>
              </tr>
            ))}
            {after > 0 && <tr aria-hidden="true" style={{ height: after }} />}
            {order.length === 0 && (
              <tr>
                <td colSpan={4} className="muted no-match">{query ? `No ${keyLabel} contains “${query.trim()}”.` : 'No keys.'}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

import { useMemo, useState } from 'react';
import { compareCodePoints } from '../../../shared/code-point-order';
import { int } from '../../../shared/format';
import { useVirtualRows } from '../use-virtual-rows';

const ROW = 28;
const VIEW = 420;

type SortBy = 'count' | 'key';

/** Every key of the run: searchable, sortable, virtualized (a million rows scroll smoothly). */
export function KeysTable({ keys, counts, keyLabel }: { keys: string[]; counts: number[]; keyLabel: string }) {
  const [query, setQuery] = useState('');
  const [sortBy, setSortBy] = useState<SortBy>('count');
  const [descending, setDescending] = useState(true);

  // main sends keys in result order (count desc, key asc); other orders are computed once each
  const byKey = useMemo(() => {
    if (sortBy !== 'key') return undefined;
    return Array.from(keys.keys()).sort((a, b) => compareCodePoints(keys[a]!, keys[b]!));
  }, [keys, sortBy]);

  const order = useMemo(() => {
    const base = sortBy === 'key' ? byKey! : Array.from(keys.keys());
    const directed = (sortBy === 'count') === descending ? base : [...base].reverse();
    const q = query.trim().toLowerCase();
    return q ? directed.filter((i) => keys[i]!.toLowerCase().includes(q)) : directed;
  }, [keys, byKey, sortBy, descending, query]);

  const { first, last, before, after, onScroll } = useVirtualRows(order.length, ROW, VIEW);

  const sortButton = (by: SortBy, label: string) => {
    const active = sortBy === by;
    return (
      <button
        type="button"
        className="sort"
        onClick={() => {
          if (active) setDescending(!descending);
          else {
            setSortBy(by);
            setDescending(by === 'count');
          }
        }}
      >
        {label}
        <span aria-hidden="true">{active ? (descending ? ' ▼' : ' ▲') : ''}</span>
      </button>
    );
  };
  const ariaSort = (by: SortBy) => (sortBy === by ? (descending ? 'descending' : 'ascending') : 'none');

  return (
    <div className="table-block">
      <div className="table-tools">
        <input type="search" placeholder={`Search ${int(keys.length)} ${keyLabel}s…`} aria-label={`Search ${keyLabel}s`} value={query} onChange={(e) => setQuery(e.target.value)} />
        <span className="muted">{query ? `${int(order.length)} match${order.length === 1 ? '' : 'es'}` : `${int(keys.length)} keys`}</span>
      </div>
      <div className="table-scroll" style={{ height: VIEW }} onScroll={onScroll} tabIndex={0}>
        <table aria-label="Top results" aria-rowcount={order.length + 1}>
          <thead>
            <tr>
              <th scope="col" className="num">#</th>
              <th scope="col" aria-sort={ariaSort('key')}>{sortButton('key', 'Key')}</th>
              <th scope="col" className="num" aria-sort={ariaSort('count')}>{sortButton('count', 'Count')}</th>
            </tr>
          </thead>
          <tbody>
            {before > 0 && <tr aria-hidden="true" style={{ height: before }} />}
            {order.slice(first, last).map((i, n) => (
              <tr key={i} style={{ height: ROW }} aria-rowindex={first + n + 2}>
                <td className="num muted">{int(first + n + 1)}</td>
                <td className="key" title={keys[i]}>{keys[i]}</td>
                <td className="num">{int(counts[i]!)}</td>
              </tr>
            ))}
            {after > 0 && <tr aria-hidden="true" style={{ height: after }} />}
          </tbody>
        </table>
      </div>
    </div>
  );
}

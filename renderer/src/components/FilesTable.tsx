import { memo, useMemo, useState } from 'react';
import { FILE_STATUSES, type FileStatus, type FileSummary } from '../../../shared/file-result';
import { bytes, int } from '../../../shared/format';
import { useVirtualRows } from '../use-virtual-rows';
import { filterFiles, sortFiles, type FilesSortBy } from '../files-order';
import { SortButton, ariaSortOf } from './SortButton';
import { useColumnSort } from '../hooks/use-column-sort';

const ROW = 28;
const VIEW = 300;

/** A file's path as shown: relative to the folder the run was given. */
function shown(path: string, folder: string): string {
  const base = folder.replace(/[\\/]+$/, '');
  return path.startsWith(`${base}/`) || path.startsWith(`${base}\\`) ? path.slice(base.length + 1) : path;
}

function note(f: FileSummary): string {
  if (f.error) return f.error;
  if (f.lines > 0 && f.parsed === 0) return 'no line parsed: not an access log?';
  if (f.longLines > 0) return `${f.longLines} line(s) too long to parse`;
  if (f.parts !== undefined) return `read in ${f.parts} parts at once`;
  return '';
}

const COLUMNS: Array<{ by: FilesSortBy; label: string; num?: boolean }> = [
  { by: 'path', label: 'File' },
  { by: 'status', label: 'Status' },
  { by: 'lines', label: 'Lines', num: true },
  { by: 'parsed', label: 'Parsed', num: true },
  { by: 'malformed', label: 'Malformed', num: true },
  { by: 'filtered', label: 'Filtered', num: true },
  { by: 'bytes', label: 'Size', num: true },
  { by: 'worker', label: 'Worker', num: true },
];

/**
 * Every file of the run with its status and, for partial / failed / skipped, the reason: in the
 * order they finished, or sorted by a column (problems first by status); filtered by name and
 * status.
 */
export const FilesTable = memo(function FilesTable({ files, folder }: { files: FileSummary[]; folder: string }) {
  // numbers largest first; names and statuses (problems first) from the top
  const { sortBy, descending, sortOn, reset } = useColumnSort<FilesSortBy>('done', false, (by) => COLUMNS.some((c) => c.by === by && c.num));
  const [text, setText] = useState('');
  const [status, setStatus] = useState<FileStatus | 'all'>('all');
  const counts = useMemo(() => {
    const c: Record<FileStatus, number> = { ok: 0, partial: 0, failed: 0, skipped: 0 };
    for (const f of files) c[f.status]++;
    return c;
  }, [files]);
  const sorted = useMemo(() => sortFiles(files, sortBy, descending), [files, sortBy, descending]);
  const order = useMemo(() => filterFiles(files, sorted, text, status), [files, sorted, text, status]);
  const { first, last, before, after, onScroll } = useVirtualRows(order.length, ROW, VIEW);

  const header = (by: FilesSortBy, label: string, num = false) => (
    <th key={by} scope="col" className={num ? 'num' : undefined} aria-sort={ariaSortOf(sortBy === by, descending)}>
      <SortButton label={label} active={sortBy === by} descending={descending} onSort={() => sortOn(by)} />
    </th>
  );

  return (
    <div className="table-block">
      <div className="table-tools">
        <input type="search" placeholder={`Search ${int(files.length)} files…`} aria-label="Search files" value={text} onChange={(e) => setText(e.target.value)} />
        <label className="sr-only" htmlFor="files-status">Show files of status</label>
        <select id="files-status" value={status} onChange={(e) => setStatus(e.target.value as FileStatus | 'all')}>
          <option value="all">Every status ({int(files.length)})</option>
          {FILE_STATUSES.map((st) => (
            <option key={st} value={st} disabled={counts[st] === 0}>
              {st} ({int(counts[st])})
            </option>
          ))}
        </select>
        <span className="muted">{order.length === files.length ? `${int(files.length)} ${files.length === 1 ? 'file' : 'files'}` : `${int(order.length)} of ${int(files.length)} files`}</span>
        {sortBy !== 'done' && (
          <button type="button" className="link" onClick={reset}>
            In the order they finished
          </button>
        )}
      </div>
      <div className="table-scroll" style={{ maxHeight: VIEW }} onScroll={onScroll} tabIndex={0}>
        <table aria-label="Files" aria-rowcount={order.length + 1}>
          <thead>
            <tr>
              {COLUMNS.map((c) => header(c.by, c.label, c.num))}
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {before > 0 && <tr aria-hidden="true" style={{ height: before }} />}
            {order.slice(first, last).map((i) => {
              const f = files[i]!;
              return (
                <tr key={f.path} className={`status-${f.status}`} style={{ height: ROW }}>
                  <td className="key" title={f.path}>{shown(f.path, folder)}</td>
                  <td><span className={`badge badge-${f.status}`}>{f.status}</span></td>
                  <td className="num">{int(f.lines)}</td>
                  <td className="num">{int(f.parsed)}</td>
                  <td className="num">{int(f.malformed)}</td>
                  <td className="num">{int(f.filtered)}</td>
                  <td className="num">{bytes(f.bytes)}</td>
                  <td className="num">{f.worker || '—'}</td>
                  <td className="note" title={note(f)}>{note(f)}</td>
                </tr>
              );
            })}
            {after > 0 && <tr aria-hidden="true" style={{ height: after }} />}
            {order.length === 0 && files.length > 0 && (
              <tr>
                <td colSpan={9} className="muted no-match">No file matches.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
});

import { memo } from 'react';
import type { FileSummary } from '../../../shared/file-result';
import { bytes, int } from '../../../shared/format';
import { useVirtualRows } from '../use-virtual-rows';

const ROW = 28;
const VIEW = 300;

/** Every file of the run with its status and, for partial / failed / skipped, the reason. */
/** A file's path as shown: relative to the folder the run was given. */
function shown(path: string, folder: string): string {
  const base = folder.replace(/[\\/]+$/, '');
  return path.startsWith(`${base}/`) || path.startsWith(`${base}\\`) ? path.slice(base.length + 1) : path;
}

function note(f: FileSummary): string {
  if (f.error) return f.error;
  if (f.lines > 0 && f.parsed === 0) return 'no line parsed: not an access log?';
  if (f.longLines > 0) return `${f.longLines} line(s) too long to parse`;
  return '';
}

export const FilesTable = memo(function FilesTable({ files, folder }: { files: FileSummary[]; folder: string }) {
  const { first, last, before, after, onScroll } = useVirtualRows(files.length, ROW, VIEW);
  return (
    <div className="table-scroll" style={{ maxHeight: VIEW }} onScroll={onScroll} tabIndex={0}>
      <table aria-label="Files" aria-rowcount={files.length + 1}>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">Lines</th>
            <th scope="col" className="num">Parsed</th>
            <th scope="col" className="num">Malformed</th>
            <th scope="col" className="num">Filtered</th>
            <th scope="col" className="num">Size</th>
            <th scope="col" className="num">Worker</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {before > 0 && <tr aria-hidden="true" style={{ height: before }} />}
          {files.slice(first, last).map((f) => (
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
          ))}
          {after > 0 && <tr aria-hidden="true" style={{ height: after }} />}
        </tbody>
      </table>
    </div>
  );
});

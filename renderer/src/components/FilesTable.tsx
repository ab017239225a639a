import type { FileSummary } from '../../../shared/file-result';
import { bytes, int } from '../../../shared/format';
import { useVirtualRows } from '../use-virtual-rows';

const ROW = 28;
const VIEW = 300;

/** Every file of the run with its status and, for partial / failed / skipped, the reason. */
export function FilesTable({ files }: { files: FileSummary[] }) {
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
            <th scope="col" className="num">Counted</th>
            <th scope="col" className="num">Size</th>
            <th scope="col" className="num">Worker</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {before > 0 && <tr aria-hidden="true" style={{ height: before }} />}
          {files.slice(first, last).map((f) => (
            <tr key={f.path} className={`status-${f.status}`} style={{ height: ROW }}>
              <td className="key" title={f.path}>{f.path}</td>
              <td><span className={`badge badge-${f.status}`}>{f.status}</span></td>
              <td className="num">{int(f.lines)}</td>
              <td className="num">{int(f.parsed)}</td>
              <td className="num">{int(f.malformed)}</td>
              <td className="num">{int(f.counted)}</td>
              <td className="num">{bytes(f.bytes)}</td>
              <td className="num">{f.worker || '—'}</td>
              <td className="note" title={f.error ?? ''}>{f.error ?? ''}</td>
            </tr>
          ))}
          {after > 0 && <tr aria-hidden="true" style={{ height: after }} />}
        </tbody>
      </table>
    </div>
  );
}

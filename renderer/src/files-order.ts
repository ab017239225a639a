/** The files table's order and filter: pure, so the table only renders what they give. */
import type { FileSummary, FileStatus } from '../../shared/file-result';
import { compareCodePoints } from '../../shared/code-point-order';

export type FilesSortBy = 'path' | 'status' | 'lines' | 'parsed' | 'malformed' | 'filtered' | 'bytes' | 'worker' | 'done';

/** Problems first when sorted by status: they are what a user looks for. */
const STATUS_RANK: Record<FileStatus, number> = { failed: 0, partial: 1, skipped: 2, ok: 3 };

/** Indexes of `files` in the order asked for; ties keep the order the files finished in. */
export function sortFiles(files: readonly FileSummary[], by: FilesSortBy, descending: boolean): number[] {
  const idx = Array.from(files.keys());
  if (by === 'done') return descending ? idx.reverse() : idx;
  const cmp = (a: number, b: number): number => {
    const x = files[a]!;
    const y = files[b]!;
    switch (by) {
      case 'path':
        return compareCodePoints(x.path, y.path);
      case 'status':
        return STATUS_RANK[x.status] - STATUS_RANK[y.status];
      default:
        return x[by] - y[by];
    }
  };
  return idx.sort((a, b) => (descending ? cmp(b, a) : cmp(a, b)) || a - b);
}

/** The files whose path holds `text` (any case) and whose status is `status` ('all': any). */
export function filterFiles(files: readonly FileSummary[], order: readonly number[], text: string, status: FileStatus | 'all'): number[] {
  const q = text.trim().toLowerCase();
  if (!q && status === 'all') return [...order];
  return order.filter((i) => {
    const f = files[i]!;
    return (status === 'all' || f.status === status) && (!q || f.path.toLowerCase().includes(q));
  });
}

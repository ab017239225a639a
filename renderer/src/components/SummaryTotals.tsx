import type { RunTotals } from '../../../shared/run-report';
import { bytes, duration, int, rate } from '../../../shared/format';

export function SummaryTotals({ totals, elapsedMs }: { totals: RunTotals; elapsedMs: number }) {
  const secs = elapsedMs / 1000;
  const items: Array<[string, string, string?]> = [
    ['files ok', int(totals.ok)],
    ['partial', int(totals.partial), totals.partial ? 'warn' : undefined],
    ['failed', int(totals.failed), totals.failed ? 'bad' : undefined],
    ['skipped', int(totals.skipped)],
    ['lines', int(totals.lines)],
    ['parsed', int(totals.parsed)],
    ['malformed', int(totals.malformed)],
    ['filtered', int(totals.filtered)],
    ['read', bytes(totals.bytes)],
    ['elapsed', duration(elapsedMs)],
    ['read per second', secs > 0 ? rate(totals.bytes / secs) : '—'],
    ['lines per second', secs > 0 ? int(totals.lines / secs) : '—'],
  ];
  return (
    <dl className="totals" aria-label="Summary">
      {items.map(([label, value, cls]) => (
        <div key={label} className={cls}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

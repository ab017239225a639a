import type { RunTotals } from '../../../shared/run-report';
import { bytes, duration, int, rate } from '../../../shared/format';

/**
 * `cached`: files whose result came from the cache (whole or continued). `live`: the run followed
 * its folder after its first pass: the time is the first pass's, and no rate is given (the
 * totals hold lines counted after it, as they came).
 */
export function SummaryTotals({ totals, elapsedMs, cached, live = false }: { totals: RunTotals; elapsedMs: number; cached: number; live?: boolean }) {
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
    [live ? 'first pass' : 'elapsed', duration(elapsedMs)],
    ...(cached > 0 ? [['from the cache', `${int(cached)} ${cached === 1 ? 'file' : 'files'}`] as [string, string]] : []),
    ...(live
      ? []
      : ([
          ['read per second', secs > 0 ? rate(totals.bytes / secs) : '—'],
          ['lines per second', secs > 0 ? int(totals.lines / secs) : '—'],
        ] as Array<[string, string]>)),
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

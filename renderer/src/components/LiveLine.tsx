import type { LiveStatus } from '../../../shared/app-contract';
import { duration, int } from '../../../shared/format';

/** Time of day, as the user's clock shows it. */
const clock = (ms: number): string => new Date(ms).toLocaleTimeString();

/**
 * What a live run counted after its first pass: while it follows (a pulse), and once stopped.
 * The figures below are the whole run's, first pass included.
 */
export function LiveLine({ live, files, ongoing }: { live: LiveStatus; files: number; ongoing: boolean }) {
  const added = `${int(live.lines)} ${live.lines === 1 ? 'line' : 'lines'} counted since the first pass${live.appeared ? `, ${int(live.appeared)} ${live.appeared === 1 ? 'file' : 'files'} appeared` : ''}`;
  return (
    <p className={`live-line${ongoing ? ' live-on' : ''}`} role="status" aria-label="Live">
      {ongoing ? (
        <>
          <span className="live-dot" aria-hidden="true" />
          <strong>Live</strong> since {clock(live.since)}, following {int(files)} {files === 1 ? 'file' : 'files'}: {added}. Stop ends it with the result as it is then.
        </>
      ) : (
        <>Followed for {duration(live.now - live.since)} (from {clock(live.since)}): {added}.</>
      )}
    </p>
  );
}

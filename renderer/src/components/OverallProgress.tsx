import { fractionDone, type ProgressSnapshot } from '../../../shared/progress';
import { duration, int, rate } from '../../../shared/format';

export function OverallProgress({ progress, running }: { progress?: ProgressSnapshot; running: boolean }) {
  const p = progress;
  const frac = p ? fractionDone(p) : 0;
  const eta = !running || !p ? '' : p.etaMs === null ? (p.scanDone ? 'ETA: measuring…' : 'scanning…') : `ETA ${duration(p.etaMs)}`;
  return (
    <div className="overall">
      <div className="bar big" role="progressbar" aria-label="Overall progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(frac * 100)}>
        <div className="bar-fill" style={{ transform: `scaleX(${frac})` }} />
      </div>
      <div className="overall-line">
        <span>{(frac * 100).toFixed(0)}%</span>
        <span>
          {int(p?.filesDone ?? 0)} / {int(p?.filesFound ?? 0)}
          {p && !p.scanDone ? '+' : ''} files
        </span>
        <span className={p?.failed ? 'bad' : ''}>{int(p?.failed ?? 0)} failed</span>
        <span className={p?.partial ? 'warn' : ''}>{int(p?.partial ?? 0)} partial</span>
        <span>{int(p?.lines ?? 0)} lines</span>
        <span>{rate(p?.bytesPerSec ?? 0)}</span>
        <span className="eta">{eta}</span>
      </div>
    </div>
  );
}

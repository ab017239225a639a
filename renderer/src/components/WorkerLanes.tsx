import type { LaneSnapshot } from '../../../shared/progress';
import { rate, int, partLabel } from '../../../shared/format';

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

export function WorkerLanes({ lanes }: { lanes: LaneSnapshot[] }) {
  return (
    <div className="lanes">
      {lanes.map((lane) => {
        const pct = lane.state === 'busy' && lane.size > 0 ? Math.min(100, (lane.bytesRead / lane.size) * 100) : 0;
        return (
          <section key={lane.slot} className={`lane lane-${lane.state}`} role="region" aria-label={`Worker ${lane.slot}`}>
            <div className="lane-head">
              <span className="lane-name">Worker {lane.slot}</span>
              <span className={`lane-state state-${lane.state}`}>{lane.state}</span>
            </div>
            <div className="lane-file" title={lane.path ?? ''}>
              {lane.state === 'busy' && lane.path ? `${baseName(lane.path)}${partLabel(lane)}` : '—'}
            </div>
            <div className="bar" role="progressbar" aria-label={`Worker ${lane.slot} file progress`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
              <div className="bar-fill" style={{ transform: `scaleX(${pct / 100})` }} />
            </div>
            <dl className="lane-stats">
              <div><dt>file</dt><dd>{pct.toFixed(0)}%</dd></div>
              <div><dt>read</dt><dd>{lane.state === 'busy' ? rate(lane.bytesPerSec) : '—'}</dd></div>
              <div><dt>lines/s</dt><dd>{lane.state === 'busy' ? int(lane.linesPerSec) : '—'}</dd></div>
              <div><dt>CPU</dt><dd>{lane.cpuPercent !== undefined ? `${lane.cpuPercent.toFixed(0)}%` : 'n/a'}</dd></div>
              <div><dt>files</dt><dd>{int(lane.filesDone)}</dd></div>
              {lane.restarts > 0 && <div><dt>restarts</dt><dd>{lane.restarts}</dd></div>}
            </dl>
          </section>
        );
      })}
    </div>
  );
}

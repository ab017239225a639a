import type { PanelSummary } from '../../../shared/app-contract';
import { isTimePanel, type PanelName } from '../../../shared/panels';
import { clickFilterLabel } from '../dashboard-filters';
import { PanelCard, type PanelExport } from './PanelCard';

/**
 * Every panel of the run at once: the time panels first, full width (drag to filter by time),
 * then the others as top-N cards — the book's own panel first when the folder has book paths,
 * last when it has none.
 */
export function dashboardOrder(panels: PanelSummary[], finished: boolean): PanelSummary[] {
  const time = panels.filter((p) => isTimePanel(p.name));
  const rest = panels.filter((p) => !isTimePanel(p.name));
  // moved only once the run is over (a card jumping mid-run would be a layout shift)
  const noBook = finished && rest.some((p) => p.name === 'book-paths' && p.counted === 0);
  const book = rest.filter((p) => p.name === 'book-paths');
  const others = rest.filter((p) => p.name !== 'book-paths');
  return noBook ? [...time, ...others, ...book] : [...time, ...book, ...others];
}

export function Dashboard({ panels, rows, running, finished, openTable, onOpenTable, onExport, onPick, onRange }: {
  panels: PanelSummary[];
  rows: number;
  running: boolean;
  finished: boolean;
  openTable: PanelName | undefined;
  onOpenTable: (name: PanelName) => void;
  onExport: (name: PanelName, format: PanelExport) => void;
  onPick: (panel: PanelName, key: string) => void;
  onRange: (panel: PanelName, from: string, to: string) => void;
}) {
  return (
    <div className="dashboard">
      {dashboardOrder(panels, !running).map((p) => {
        // a finished result on screen can be filtered (a click re-runs it)
        const hint = finished ? clickFilterLabel(p.name) : undefined;
        return (
          <PanelCard
            key={p.name}
            panel={p}
            rows={rows}
            running={running}
            finished={finished}
            tableOpen={openTable === p.name}
            onOpenTable={onOpenTable}
            onExport={onExport}
            {...(hint ? { onPick, pickHint: hint } : {})}
            {...(finished && isTimePanel(p.name) ? { onRange } : {})}
          />
        );
      })}
    </div>
  );
}

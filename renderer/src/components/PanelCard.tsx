import { memo, useCallback } from 'react';
import type { PanelSummary } from '../../../shared/app-contract';
import { PANEL_LABELS, isTimePanel, panelUsesExclusions, type PanelName } from '../../../shared/panels';
import { bytes, int } from '../../../shared/format';
import { TopChart } from './TopChart';
import { TimeChart } from './TimeChart';

export type PanelExport = 'csv' | 'png' | 'svg';

/**
 * One panel on the dashboard: its top N as bars (a time panel: its series), what it counted, and
 * its actions — every key in a table, CSV of every key, the chart as PNG or SVG. A click on a bar
 * filters by its key where the panel has a filter for it.
 */
export const PanelCard = memo(function PanelCard({ panel, rows, running, finished, tableOpen, onOpenTable, onExport, onPick, pickHint, onRange }: {
  panel: PanelSummary;
  rows: number;
  running: boolean;
  finished: boolean;
  tableOpen: boolean;
  onOpenTable: (name: PanelSummary['name']) => void;
  onExport: (name: PanelSummary['name'], format: PanelExport) => void;
  /** Filter by a key of this panel (absent: the panel has no filter for its keys). */
  onPick?: (panel: PanelName, key: string) => void;
  pickHint?: string;
  onRange?: (panel: PanelName, from: string, to: string) => void;
}) {
  const name = panel.name;
  // stable per panel: the charts redraw only when their numbers change
  const pick = useCallback((key: string) => onPick?.(name, key), [onPick, name]);
  const range = useCallback((from: string, to: string) => onRange?.(name, from, to), [onRange, name]);
  const time = isTimePanel(panel.name);
  const empty = running ? 'Nothing counted yet.' : 'Nothing counted.';
  const label = PANEL_LABELS[panel.name];
  const title = time ? label : `${label}: top ${rows}${running ? ' so far' : ''}`;
  return (
    <section className={`card${time ? ' card-wide' : ''}`} aria-label={label}>
      {time ? (
        <TimeChart running={running} empty={empty} series={panel.top} title={`${label}${running ? ' so far' : ''}`} {...(onRange ? { onRange: range } : {})} />
      ) : (
        <TopChart running={running} empty={empty} top={panel.top} rows={rows} distinct={panel.distinct} title={title} {...(onPick ? { onPick: pick } : {})} />
      )}
      <div className="card-foot">
        <span className="muted">
          {int(panel.distinct)} {panel.distinct === 1 ? 'key' : 'keys'} · {int(panel.counted)} lines · {bytes(panel.bytes)}
          {panelUsesExclusions(panel.name) ? ` · ${int(panel.excluded)} excluded by the lists` : ''}
          {pickHint && !time ? ` · click a bar to ${pickHint}` : ''}
        </span>
        <span className="card-actions">
          <button type="button" className="small" aria-pressed={tableOpen} disabled={!finished} onClick={() => onOpenTable(panel.name)} title="Every key, searchable and sortable">
            All {int(panel.distinct)}
          </button>
          <button type="button" className="small" disabled={!finished} onClick={() => onExport(panel.name, 'csv')} aria-label={`${label}: export CSV`}>CSV</button>
          <button type="button" className="small" disabled={!finished} onClick={() => onExport(panel.name, 'png')} aria-label={`${label}: export PNG`}>PNG</button>
          <button type="button" className="small" disabled={!finished} onClick={() => onExport(panel.name, 'svg')} aria-label={`${label}: export SVG`}>SVG</button>
        </span>
      </div>
    </section>
  );
});

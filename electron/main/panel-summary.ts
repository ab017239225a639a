import { TIME_SERIES_LIMIT, type PanelSummary } from '../../shared/app-contract';
import { isTimePanel, panelUsesExclusions } from '../../shared/panels';
import type { RunTally } from '../engine/panel-tally';

/** Each panel's first keys and accounting, for the renderer (kept up as files merge: see leaders). */
export function summarize(tallies: readonly RunTally[], top: number, excluded: number): PanelSummary[] {
  return tallies.map((t) => ({
    name: t.name,
    // a time panel is drawn as a series: all of it, up to a chart's worth
    top: t.leaders(isTimePanel(t.name) ? Math.max(top, TIME_SERIES_LIMIT) : top),
    distinct: t.distinct,
    counted: t.counted,
    bytes: t.bytes,
    excluded: panelUsesExclusions(t.name) ? excluded : 0,
  }));
}

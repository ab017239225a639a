/**
 * The exports of a finished run: the whole result (JSON, CSV of every panel) written by main, one
 * panel's CSV, and one panel's chart drawn for export (PNG, SVG) — saved by a dialog on the
 * desktop, downloaded in the browser.
 */
import { useCallback } from 'react';
import type { ExportOutcome } from '../../../shared/app-contract';
import { PANEL_LABELS, isTimePanel, type PanelName } from '../../../shared/panels';
import { int } from '../../../shared/format';
import { filtersText } from '../dashboard-filters';
import { chartPng, panelSvg } from '../panel-image';
import type { RunState } from '../run-state';
import type { PanelExport } from '../components/PanelCard';
import type { Api } from './use-logpool';

export type Notice = { kind: 'info' | 'error'; text: string } | undefined;

export function useExports(api: Api | undefined, run: RunState | undefined, setNotice: (n: Notice) => void) {
  const deliver = useCallback((outcome: ExportOutcome) => {
    if (outcome.kind === 'saved') setNotice({ kind: 'info', text: `Saved ${outcome.path}` });
    else if (outcome.kind === 'error') setNotice({ kind: 'error', text: `Export failed: ${outcome.message}` });
    else if (outcome.kind === 'download') {
      const a = document.createElement('a');
      a.href = outcome.url;
      a.download = outcome.fileName;
      document.body.append(a);
      a.click();
      a.remove();
      setNotice({ kind: 'info', text: `Downloading ${outcome.fileName}` });
    }
  }, [setNotice]);

  /** One panel's export: CSV of every key (main writes it), or its chart drawn for export. */
  const exportPanel = useCallback(
    async (name: PanelName, format: PanelExport) => {
      if (!api || !run) return;
      try {
        if (format === 'csv') {
          deliver(await api.request({ type: 'export', runId: run.runId, format: 'csv', panel: name }));
          return;
        }
        const panel = run.panels.find((p) => p.name === name);
        if (!panel) throw new Error(`the run has no ${name} panel`);
        const time = isTimePanel(name);
        const svg = panelSvg({
          title: time ? PANEL_LABELS[name] : `${PANEL_LABELS[name]}: top ${run.settings.top}`,
          lines: [
            `Folder: ${run.settings.folder}`,
            `Filters: ${filtersText(run.settings.query.filters)}`,
            `${int(panel.counted)} lines in ${int(panel.distinct)} keys · ${int(run.totals?.files ?? 0)} files · ${run.phase === 'cancelled' ? 'a partial result (cancelled) · ' : ''}logpool, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
          ],
          data: panel.top,
          time,
        });
        const data = format === 'svg' ? svg : await chartPng(svg);
        deliver(await api.request({ type: 'export-image', runId: run.runId, panel: name, format, data }));
      } catch (e) {
        setNotice({ kind: 'error', text: `Export failed: ${e instanceof Error ? e.message : String(e)}` });
      }
    },
    [api, run, deliver, setNotice],
  );

  const exportAll = useCallback(
    async (format: 'csv' | 'json') => {
      if (!api || !run) return;
      deliver(await api.request({ type: 'export', runId: run.runId, format }));
    },
    [api, run, deliver, setNotice],
  );

  return { exportPanel, exportAll };
}

import { useCallback, useRef, useState, type DragEvent } from 'react';
import type { AppInfo, RunSettings } from '../../shared/app-contract';
import type { FilterName, QueryFilters } from '../../shared/filters';
import { PANEL_KEY_NAMES, PANEL_LABELS, isTimePanel, type PanelName } from '../../shared/panels';
import { int } from '../../shared/format';
import { isAbsolutePath } from '../../shared/validate-request';
import { useLogpool, type MenuEvent } from './hooks/use-logpool';
import { useExports, type Notice } from './hooks/use-exports';
import { usePanelKeys } from './hooks/use-panel-keys';
import type { RunState } from './run-state';
import { filterByKey, filterByTimeRange, sameRunSettings, withoutFilter } from './dashboard-filters';
import { FolderBar } from './components/FolderBar';
import { FolderBrowser } from './components/FolderBrowser';
import { SettingsPanel, type Settings } from './components/SettingsPanel';
import { WorkerLanes } from './components/WorkerLanes';
import { OverallProgress } from './components/OverallProgress';
import { SummaryTotals } from './components/SummaryTotals';
import { KeysTable } from './components/KeysTable';
import { FilesTable } from './components/FilesTable';
import { Dashboard, dashboardOrder } from './components/Dashboard';
import { FilterChips } from './components/FilterChips';
import { RunHint } from './components/RunHint';
import { LiveLine } from './components/LiveLine';

/** A cancelled run keeps the result of the files it finished: it is shown, and exported, as such. */
function hasResult(phase: RunState['phase']): boolean {
  return phase === 'completed' || phase === 'cancelled';
}

function phaseLabel(run: RunState): string {
  if (run.phase === 'running') return run.settings.follow ? 'running (then live)…' : 'running…';
  if (run.phase === 'live') return 'live';
  if (run.phase === 'cancelled' && run.totals) {
    const finished = run.totals.files - (run.unfinished ?? 0);
    return `cancelled: a partial result of ${int(finished)} of ${int(run.totals.files)} files`;
  }
  if (run.phase === 'completed' && run.totals && run.totals.parsed === 0) return 'completed: nothing counted';
  return run.phase;
}

export function App() {
  const [folder, setFolder] = useState('');
  const [settings, setSettings] = useState<Settings>();
  const [tablePanel, setTablePanel] = useState<PanelName>();
  const [notice, setNotice] = useState<Notice>();
  const [dragging, setDragging] = useState(false);
  const [starting, setStarting] = useState(false);
  const [browsing, setBrowsing] = useState(false);
  /** Recent folders: as the host had them when the page opened, and those run since. */
  const [ranHere, setRanHere] = useState<string[]>([]);
  const startPending = useRef(false);
  const pathInput = useRef<HTMLInputElement>(null);
  const menu = useRef<(e: MenuEvent) => void>(() => undefined);

  const { api, info, fatal, disconnected, run } = useLogpool({
    onMenu: (e) => menu.current(e),
    onInfo: (i: AppInfo) => {
      setSettings(i.defaults);
      if (i.preselectedFolder) setFolder(i.preselectedFolder);
    },
    onRestore: ({ folder: f, ...s }: RunSettings) => {
      setFolder(f);
      setSettings(s);
    },
  });

  const running = run?.phase === 'running';
  // a live run holds the settings and the Stop button as a running one does
  const busy = running || run?.phase === 'live';
  const offline = disconnected || !api;
  const finished = run !== undefined && hasResult(run.phase);
  const reportError = useCallback((text: string) => setNotice({ kind: 'error', text }), []);
  // the table shows the panel asked for, else the dashboard's first top-N panel
  const tableName = run?.panels.some((p) => p.name === tablePanel) ? tablePanel : dashboardOrder(run?.panels ?? [], finished).find((p) => !isTimePanel(p.name))?.name ?? run?.panels[0]?.name;
  const keys = usePanelKeys(api, finished && run ? run.runId : undefined, tableName, reportError);

  const start = useCallback(
    async (target = folder, withSettings: Settings | undefined = settings) => {
      if (!api || !withSettings) return;
      const path = target.trim();
      if (!path) {
        setNotice({ kind: 'error', text: 'Choose a folder first (or type its path).' });
        pathInput.current?.focus();
        return;
      }
      // a double click sends one start: the ref holds before React re-renders the button
      if (startPending.current) return;
      startPending.current = true;
      setStarting(true);
      setNotice(undefined);
      try {
        const r = await api.request({ type: 'start-run', settings: { ...withSettings, folder: path } });
        if ('error' in r) setNotice({ kind: 'error', text: r.error });
        else setRanHere((list) => [path, ...list.filter((f) => f !== path)]);
      } finally {
        startPending.current = false;
        setStarting(false);
      }
    },
    [api, settings, folder],
  );

  /** New filters from the dashboard: they become the settings', and the folder of the result on screen is run again with them. */
  const refilter = useCallback(
    (filters: QueryFilters | undefined) => {
      if (!settings || !run || filters === undefined) return;
      const next = { ...settings, query: { ...settings.query, filters } };
      setSettings(next);
      setFolder(run.settings.folder);
      void start(run.settings.folder, next);
    },
    [settings, run, start],
  );
  const onPick = useCallback((panel: PanelName, key: string) => refilter(settings && filterByKey(settings.query.filters, panel, key)), [refilter, settings]);
  const onRange = useCallback((panel: PanelName, a: string, b: string) => refilter(settings && filterByTimeRange(settings.query.filters, panel, a, b)), [refilter, settings]);
  const removeFilter = useCallback((name: FilterName) => refilter(settings && withoutFilter(settings.query.filters, name)), [refilter, settings]);

  const chooseFolder = useCallback(async () => {
    if (!api || !info) return;
    if (!info.canChooseFolder) {
      // the browser host: its own folder browser, on the machine it runs on
      setBrowsing(true);
      return;
    }
    const { folder: chosen } = await api.request({ type: 'choose-folder' });
    if (chosen) setFolder(chosen);
  }, [api, info]);

  const trySample = useCallback(() => {
    if (!info) return;
    setFolder(info.sampleFolder);
    void start(info.sampleFolder);
  }, [info, start]);

  const { exportPanel, exportAll } = useExports(api, finished ? run : undefined, setNotice);

  menu.current = (event) => {
    if (event.command === 'open-folder') void chooseFolder();
    else if (event.command === 'about') setNotice({ kind: 'info', text: `logpool ${info?.version ?? ''}: answers from access logs (paths, status codes, hosts, time…), every core busy.` });
    else if (event.command === 'export-csv' || event.command === 'export-json') void exportAll(event.command === 'export-csv' ? 'csv' : 'json');
    else if (tableName) void exportPanel(tableName, event.command === 'export-png' ? 'png' : 'svg');
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (!file) return;
    if (api?.pathForFile) setFolder(api.pathForFile(file));
    else setNotice({ kind: 'info', text: 'Dropping a folder works in the desktop app; here, paste its path.' });
  };

  if (fatal) return <div className="fatal" role="alert">{fatal}</div>;
  if (!info || !settings) return <div className="loading">Connecting…</div>;

  const recent = [...ranHere, ...info.recentFolders.filter((f) => !ranHere.includes(f))].slice(0, 10);
  const stale = finished && run !== undefined && !sameRunSettings({ ...settings, folder: folder.trim() }, run.settings);
  const keyLabel = tableName ? PANEL_KEY_NAMES[tableName] : 'key';

  return (
    <div className={`app${dragging ? ' dragging' : ''}`} onDragOver={(e) => { e.preventDefault(); setDragging(true); }} onDragLeave={() => setDragging(false)} onDrop={onDrop}>
      <FolderBar
        folder={folder}
        recent={recent}
        inputRef={pathInput}
        running={busy}
        live={run?.phase === 'live'}
        follow={settings.follow}
        offline={offline}
        starting={starting}
        onFollow={(follow) => setSettings({ ...settings, follow })}
        onFolder={setFolder}
        onChoose={() => void chooseFolder()}
        onSample={trySample}
        onStart={() => void start()}
        onCancel={() => void api?.request({ type: 'cancel-run', runId: run!.runId })}
      />
      {browsing && api && (
        <FolderBrowser
          api={api}
          from={isAbsolutePath(folder.trim()) ? folder.trim() : info.browseFrom}
          recent={recent}
          onChoose={(f) => {
            setFolder(f);
            pathInput.current?.focus();
          }}
          onClose={() => setBrowsing(false)}
        />
      )}
      {disconnected && (
        <div className="notice notice-error" role="alert">
          The connection to logpool serve was lost{running ? ' while the run was going (its workers stop with the host)' : ''}. What is shown stays here
          {info.host === 'browser' ? <>; to go on, start <code>logpool serve</code> again and open the new address it prints (this page&apos;s token is no longer valid).</> : '.'}
        </div>
      )}
      {notice && (
        <div className={`toast notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          <button type="button" className="chip-x" aria-label="Dismiss" onClick={() => setNotice(undefined)}>×</button>
        </div>
      )}
      {!run && !folder ? (
        <main className="empty">
          <p className="lead">Pick a folder of web server access logs (combined, vhost_combined, JSON from Caddy, Traefik or nginx, or your own format; plain or compressed) to see its most requested pages, counted on every core.</p>
          <div className="empty-actions">
            <button type="button" className="primary" onClick={() => void chooseFolder()}>Choose folder…</button>
            <button type="button" onClick={trySample}>Try sample logs</button>
          </div>
          <p className="muted">Or drop a folder on this window. Nothing leaves this machine.</p>
        </main>
      ) : (
        <main className="work">
          <aside><SettingsPanel settings={settings} defaults={info.defaults} cores={info.cores} maxWorkers={info.maxWorkers} disabled={busy} onChange={setSettings} /></aside>
          <div className="results">
            {!run && <p className="lead">Ready: press Start to analyse <code>{folder}</code>.</p>}
            {run && (
              <>
                <div className="run-head">
                  <span className={`phase phase-${run.phase}${run.phase === 'completed' && run.totals?.parsed === 0 ? ' phase-empty' : ''}`}>{phaseLabel(run)}</span>
                  <span>{run.workers} {run.workers === 1 ? 'worker' : 'workers'} · {run.executor}</span>
                  <code className="run-folder" title={run.settings.folder}>{run.settings.folder}</code>
                  {finished && (
                    <span className="run-exports">
                      <button type="button" className="small" disabled={offline} onClick={() => void exportAll('json')}>Export JSON</button>
                      <button type="button" className="small" disabled={offline} onClick={() => void exportAll('csv')}>CSV of every panel</button>
                    </span>
                  )}
                  {run.error && <span className="bad">{run.error}</span>}
                </div>
                <FilterChips filters={settings.query.filters} stale={stale} disabled={busy || offline} onRemove={removeFilter} onRerun={() => void start()} />
                {run.live && <LiveLine live={run.live} files={run.files.filter((f) => f.status === 'ok' && f.compression === 'none').length} ongoing={run.phase === 'live'} />}
                <div className="figures">
                  {running || !run.totals ? <OverallProgress progress={run.progress} running={running} /> : <SummaryTotals totals={run.totals} elapsedMs={run.elapsedMs ?? 0} cached={run.files.reduce((n, f) => n + (f.cache ? 1 : 0), 0)} live={run.live !== undefined} />}
                </div>
                {running && run.progress && <WorkerLanes lanes={run.progress.lanes} />}
                {!running && run.progress && (
                  <details className="lanes-done">
                    <summary>
                      {run.workers} {run.workers === 1 ? 'worker' : 'workers'}: {run.progress.lanes.map((l) => `worker ${l.slot} ${int(l.filesDone)} ${l.filesDone === 1 ? 'file' : 'files'}`).join(' · ')}
                    </summary>
                    <WorkerLanes lanes={run.progress.lanes} />
                  </details>
                )}
                <RunHint run={run} />
                <Dashboard
                  panels={run.panels}
                  rows={run.settings.top}
                  running={running}
                  finished={finished && !offline}
                  openTable={tableName}
                  onOpenTable={setTablePanel}
                  onExport={(name, format) => void exportPanel(name, format)}
                  onPick={onPick}
                  onRange={onRange}
                />
                {finished && tableName && (
                  <section className="keys-section" aria-label="Every key">
                    <h2>Every {keyLabel} ({PANEL_LABELS[tableName]})</h2>
                    {keys ? <KeysTable key={`${run.runId}-${tableName}`} keys={keys.keys} counts={keys.counts} bytes={keys.bytes} keyLabel={keyLabel} timeOrder={isTimePanel(tableName)} /> : <p className="muted table-loading">Loading every key…</p>}
                  </section>
                )}
                <h2>Files</h2>
                <FilesTable files={run.files} folder={run.settings.folder} />
              </>
            )}
          </div>
        </main>
      )}
    </div>
  );
}

import { startTransition, useCallback, useEffect, useReducer, useRef, useState, type DragEvent } from 'react';
import type { ApiResponse, AppEvent, AppInfo, ExportFormat, ExportOutcome, LogpoolApi, RunSettings } from '../../shared/app-contract';
import { PANEL_KEY_NAMES, PANEL_LABELS, isTimePanel, type PanelName } from '../../shared/panels';
import { bytes as formatBytes, int } from '../../shared/format';
import { connectApi, type DesktopApi } from './bridge';
import { reduceRun, type RunState } from './run-state';
import { SettingsPanel, type Settings } from './components/SettingsPanel';
import { WorkerLanes } from './components/WorkerLanes';
import { OverallProgress } from './components/OverallProgress';
import { TopChart } from './components/TopChart';
import { SummaryTotals } from './components/SummaryTotals';
import { KeysTable } from './components/KeysTable';
import { FilesTable } from './components/FilesTable';
import { chartPng, chartSvg } from './chart-export';

type Api = LogpoolApi & Partial<Pick<DesktopApi, 'pathForFile'>>;

/** A cancelled run keeps the result of the files it finished: it is shown, and exported, as such. */
function hasResult(phase: RunState['phase']): boolean {
  return phase === 'completed' || phase === 'cancelled';
}

function phaseLabel(run: RunState): string {
  if (run.phase === 'running') return 'running…';
  if (run.phase === 'cancelled' && run.totals) {
    const finished = run.totals.files - (run.unfinished ?? 0);
    return `cancelled: a partial result of ${finished.toLocaleString('en-US')} of ${run.totals.files.toLocaleString('en-US')} files`;
  }
  return run.phase;
}

function settingsOf({ folder: _folder, ...settings }: RunSettings): Settings {
  return settings;
}

/** Every key of a panel of a finished run, page by page (main answers in bounded pages). */
async function loadAllKeys(api: LogpoolApi, runId: number, panel: PanelName): Promise<{ keys: string[]; counts: number[] }> {
  const keys: string[] = [];
  const counts: number[] = [];
  for (let offset: number | null = 0; offset !== null; ) {
    const page: ApiResponse<{ type: 'get-keys'; runId: number; panel: PanelName; offset: number; limit: number }> = await api.request({ type: 'get-keys', runId, panel, offset, limit: 50_000 });
    if ('error' in page) throw new Error(page.error);
    for (let i = 0; i < page.keys.length; i++) {
      keys.push(page.keys[i]!);
      counts.push(page.counts[i]!);
    }
    offset = page.next;
  }
  return { keys, counts };
}
type Notice = { kind: 'info' | 'error'; text: string } | undefined;

export function App() {
  const [api, setApi] = useState<Api>();
  const [info, setInfo] = useState<AppInfo>();
  const [fatal, setFatal] = useState<string>();
  const [folder, setFolder] = useState('');
  const [settings, setSettings] = useState<Settings>();
  const [run, dispatch] = useReducer(reduceRun, undefined);
  const [keys, setKeys] = useState<{ runId: number; panel: PanelName; keys: string[]; counts: number[] }>();
  const [chosenPanel, setChosenPanel] = useState<PanelName>();
  const [notice, setNotice] = useState<Notice>();
  const [dragging, setDragging] = useState(false);
  const [starting, setStarting] = useState(false);
  const [disconnected, setDisconnected] = useState(false);
  const startPending = useRef(false);
  const pathInput = useRef<HTMLInputElement>(null);
  const chartBox = useRef<HTMLDivElement>(null);
  const handlers = useRef<{ onMenu: (e: Extract<AppEvent, { type: 'menu' }>) => void }>({ onMenu: () => undefined });

  useEffect(() => {
    let off: (() => void) | undefined;
    connectApi()
      .then(async (a) => {
        setApi(a);
        off = a.onEvent((event) => {
          if (event.type === 'menu') handlers.current.onMenu(event);
          // what is on screen stays: only acting on it needs the host
          else if (event.type === 'host-gone') setDisconnected(true);
          // progress re-renders are interruptible: typing, clicking and scrolling stay responsive
          else if (event.type === 'run-progress') startTransition(() => dispatch(event));
          else dispatch(event);
        });
        const i = await a.request({ type: 'get-info' });
        setInfo(i);
        setSettings(i.defaults);
        if (i.preselectedFolder) setFolder(i.preselectedFolder);
        // a page opened or reloaded mid-run, or after it, shows that run
        const { events } = await a.request({ type: 'get-run' });
        for (const event of events) dispatch(event);
        const started = events[0];
        if (started?.type === 'run-started') {
          setFolder(started.settings.folder);
          setSettings(settingsOf(started.settings));
        }
      })
      .catch((e: unknown) => setFatal(e instanceof Error ? e.message : String(e)));
    return () => off?.();
  }, []);

  const running = run?.phase === 'running';
  const offline = disconnected || !api;
  // the panel shown: the one chosen, when the run has it; else the run's first
  const panel = run?.panels.find((p) => p.name === chosenPanel) ?? run?.panels[0];

  // once a run completes, fetch every key of the panel shown for the table
  useEffect(() => {
    if (!api || !run || !panel || !hasResult(run.phase) || (keys?.runId === run.runId && keys.panel === panel.name)) return;
    const name = panel.name;
    void loadAllKeys(api, run.runId, name).then(
      (all) => setKeys({ runId: run.runId, panel: name, ...all }),
      (e: unknown) => setNotice({ kind: 'error', text: `Could not load every key: ${e instanceof Error ? e.message : String(e)}` }),
    );
  }, [api, run, panel, keys]);

  const start = useCallback(
    async (target = folder) => {
      if (!api || !settings) return;
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
      setKeys(undefined);
      try {
        const r = await api.request({ type: 'start-run', settings: { ...settings, folder: path } });
        if ('error' in r) setNotice({ kind: 'error', text: r.error });
      } finally {
        startPending.current = false;
        setStarting(false);
      }
    },
    [api, settings, folder],
  );

  const chooseFolder = useCallback(async () => {
    if (!api || !info) return;
    if (!info.canChooseFolder) {
      setNotice({ kind: 'info', text: 'In the browser, type or paste the path of a folder on the machine running logpool serve.' });
      pathInput.current?.focus();
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
  }, []);

  const exportAs = useCallback(
    async (format: ExportFormat) => {
      if (!api || !run || !panel || !hasResult(run.phase)) return;
      try {
        if (format === 'csv' || format === 'json') {
          deliver(await api.request({ type: 'export', runId: run.runId, format }));
          return;
        }
        const svg = chartBox.current ? chartSvg(chartBox.current) : undefined;
        if (!svg) throw new Error('there is no chart to export');
        const data = format === 'svg' ? svg : await chartPng(svg);
        deliver(await api.request({ type: 'export-image', runId: run.runId, panel: panel.name, format, data }));
      } catch (e) {
        setNotice({ kind: 'error', text: `Export failed: ${e instanceof Error ? e.message : String(e)}` });
      }
    },
    [api, run, panel, deliver],
  );

  handlers.current.onMenu = (event) => {
    if (event.command === 'open-folder') void chooseFolder();
    else if (event.command === 'about') setNotice({ kind: 'info', text: `logpool ${info?.version ?? ''}: answers from access logs (paths, status codes, hosts, time…), every core busy.` });
    else void exportAs(event.command.slice('export-'.length) as ExportFormat);
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

  const completed = run !== undefined && hasResult(run.phase);
  const keyLabel = panel ? PANEL_KEY_NAMES[panel.name] : 'key';
  const chartTitle = panel ? `${PANEL_LABELS[panel.name]}: ${isTimePanel(panel.name) ? 'first' : 'top'} ${run!.settings.top}${isTimePanel(panel.name) ? ' in time order' : ''}${running ? ' (so far)' : ''}` : '';

  return (
    <div className={`app${dragging ? ' dragging' : ''}`} onDragOver={(e) => { e.preventDefault(); setDragging(true); }} onDragLeave={() => setDragging(false)} onDrop={onDrop}>
      <header className="top">
        <h1>logpool</h1>
        <form className="folder" onSubmit={(e) => { e.preventDefault(); void start(); }}>
          <label className="sr-only" htmlFor="folder">Log folder</label>
          <input id="folder" ref={pathInput} list="recent" placeholder="Folder of access logs (plain, gzip, bzip2, xz or zstd)" value={folder} onChange={(e) => setFolder(e.target.value)} disabled={running || offline} spellCheck={false} />
          <datalist id="recent">{info.recentFolders.map((f) => <option key={f} value={f} />)}</datalist>
          <button type="button" onClick={() => void chooseFolder()} disabled={running || offline}>Choose folder…</button>
          <button type="button" onClick={trySample} disabled={running || offline}>Try sample logs</button>
          {running ? (
            <button type="button" className="danger" disabled={offline} onClick={() => void api?.request({ type: 'cancel-run', runId: run!.runId })}>Cancel</button>
          ) : (
            <button type="submit" className="primary" disabled={!folder.trim() || starting || offline}>Start</button>
          )}
        </form>
      </header>
      {disconnected && (
        <div className="notice notice-error" role="alert">
          The connection to logpool serve was lost{running ? ' while the run was going (its workers stop with the host)' : ''}. What is shown stays here
          {info.host === 'browser' ? <>; to go on, start <code>logpool serve</code> again and open the new address it prints (this page&apos;s token is no longer valid).</> : '.'}
        </div>
      )}
      {notice && <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>{notice.text}</div>}
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
          <aside><SettingsPanel settings={settings} defaults={info.defaults} cores={info.cores} maxWorkers={info.maxWorkers} disabled={running} onChange={setSettings} /></aside>
          <div className="results">
            {!run && <p className="lead">Ready: press Start to analyse <code>{folder}</code>.</p>}
            {run && (
              <>
                <div className="run-head">
                  <span>{run.workers} {run.workers === 1 ? 'worker' : 'workers'} · {run.executor}</span>
                  <span className={`phase phase-${run.phase}`}>{phaseLabel(run)}</span>
                  {run.error && <span className="bad">{run.error}</span>}
                </div>
                <OverallProgress progress={run.progress} running={running} />
                {run.progress && <WorkerLanes lanes={run.progress.lanes} />}
                <div className="panel-tabs" role="tablist" aria-label="Panels">
                  {run.panels.map((p) => (
                    <button key={p.name} type="button" role="tab" aria-selected={p.name === panel?.name} className={p.name === panel?.name ? 'tab tab-on' : 'tab'} onClick={() => setChosenPanel(p.name)}>
                      {PANEL_LABELS[p.name]} <span className="muted">{int(p.distinct)}</span>
                    </button>
                  ))}
                </div>
                {panel && (
                  <p className="panel-facts">
                    {int(panel.distinct)} distinct · {int(panel.counted)} lines · {formatBytes(panel.bytes)}
                    {panel.name === 'book-paths' || panel.name === 'paths' ? ` · ${int(panel.excluded)} excluded by the lists` : ''}
                  </p>
                )}
                <div ref={chartBox}><TopChart top={panel?.top ?? []} title={chartTitle} /></div>
                {completed && run.totals && (
                  <>
                    <div className="exports">
                      <button type="button" disabled={offline} onClick={() => void exportAs('csv')}>Export CSV</button>
                      <button type="button" disabled={offline} onClick={() => void exportAs('png')}>Export PNG</button>
                      <button type="button" disabled={offline} onClick={() => void exportAs('svg')}>Export SVG</button>
                      <button type="button" disabled={offline} onClick={() => void exportAs('json')}>Export JSON</button>
                    </div>
                    <h2>Summary</h2>
                    <SummaryTotals totals={run.totals} elapsedMs={run.elapsedMs ?? 0} />
                    <h2>Every {keyLabel}{panel ? ` (${PANEL_LABELS[panel.name]})` : ''}</h2>
                    {keys?.runId === run.runId && keys.panel === panel?.name ? <KeysTable keys={keys.keys} counts={keys.counts} keyLabel={keyLabel} /> : <p className="muted">Loading every key…</p>}
                  </>
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

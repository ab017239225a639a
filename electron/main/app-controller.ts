/**
 * What the main process does for the renderer, independent of Electron: runs analyses on the
 * engine, streams throttled progress, keeps the last result for the table and the exports, and
 * remembers recent folders. The Electron main process and the browser host (`logpool serve`)
 * each wrap it with their transport, dialogs and launcher.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { defaultRunOptions } from '../../shared/query';
import type { ApiRequest, ApiResponse, AppEvent, AppInfo, ExportOutcome, RunSettings } from '../../shared/app-contract';
import type { PanelName } from '../../shared/panels';
import { checkRequest, type RequestLimits } from '../../shared/validate-request';
import { DEFAULT_STALL_TIMEOUT_SECONDS, maxWorkersFor } from '../../shared/worker-limits';
import type { FileSummary } from '../../shared/file-result';
import { emptyTotals } from '../../shared/run-report';
import { runTallies } from '../engine/panel-tally';
import { writeCsv } from '../engine/csv';
import { reportToWrite, writeJsonReport, writesEveryKey } from '../engine/json-report';
import { writeBytesAtomic } from '../engine/atomic-file';
import { ProgressTracker } from '../engine/progress-tracker';
import { launcherFor, runAnalysis, type AnalyzeLauncher, type RunRequest, type RunResult } from '../engine/run-analysis';
import { LiveRun } from './live-run';
import { summarize } from './panel-summary';
import { describeFsError } from '../engine/fs-errors';
import { EventThrottle } from './event-throttle';
import { listFolder } from './folder-listing';
import { openResultCache } from '../engine/open-result-cache';
import { addRecentFolder, type RecentFolderStore } from './recent-folders';
import { steadyCpu, type CpuSampler } from './process-cpu';

/** Where an export goes: a save dialog and a file (desktop), or a download (browser host). */
export interface ExportSink {
  deliver(fileName: string, format: 'csv' | 'json' | 'png' | 'svg', write: (file: string) => Promise<void>): Promise<ExportOutcome>;
}

export interface ControllerOptions {
  emit(event: AppEvent): void;
  host: AppInfo['host'];
  version: string;
  cores: number;
  sampleFolder: string;
  recent: RecentFolderStore;
  exports: ExportSink;
  chooseFolder?: () => Promise<string | null>;
  /**
   * The browser host, which has no folder dialog: `list-folder` answers, opening here (the folder
   * given on the command line, else the home folder). The desktop app leaves it out.
   */
  browseFrom?: string;
  /** The launcher for pool workers (the desktop app: utility processes); the executor's otherwise. */
  launcher?: (settings: RunSettings) => AnalyzeLauncher | undefined;
  preselectedFolder?: string;
  /** Progress messages per second, at most. */
  messagesPerSecond?: number;
  /** Per-process CPU % for the worker lanes (process and utility workers only). */
  cpu?: CpuSampler;
}

interface ActiveRun {
  runId: number;
  controller: AbortController;
  done: Promise<void>;
}

interface FinishedRun {
  runId: number;
  settings: RunSettings;
  result: RunResult;
}

type RunEventOf<T extends AppEvent['type']> = Extract<AppEvent, { type: T }>;

/** What a page that connects mid-run or after it needs to show the run: kept as events pass. */
interface RunReplay {
  started: RunEventOf<'run-started'>;
  /** Every file sent so far, in order. */
  files: FileSummary[];
  latest?: RunEventOf<'run-progress'> | RunEventOf<'run-live'> | RunEventOf<'run-finished'>;
}

/** A get-keys page ends once its keys hold this many characters (at least one key a page). */
export const MAX_PAGE_CHARS = 8 * 1024 * 1024;

export class AppController {
  private nextRunId = 1;
  private active: ActiveRun | undefined;
  /** A start is between its check and its run (it awaits the file system): no other may begin. */
  private starting = false;
  private disposed = false;
  private finished: FinishedRun | undefined;
  private replay: RunReplay | undefined;
  private readonly limits: RequestLimits;

  constructor(private readonly options: ControllerOptions) {
    this.limits = { cores: options.cores, maxWorkers: maxWorkersFor(options.cores) };
  }

  /** Handle one untrusted request from the renderer. Never throws: a failure is an error answer. */
  async handle(raw: unknown): Promise<ApiResponse | { error: string }> {
    try {
      const checked = checkRequest(raw, this.limits);
      if (!checked.ok) return { error: `invalid request: ${checked.error}` };
      return await this.dispatch(checked.value);
    } catch (e) {
      return { error: `internal error: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  private async dispatch(request: ApiRequest): Promise<ApiResponse> {
    switch (request.type) {
      case 'get-info':
        return this.info();
      case 'choose-folder':
        return { folder: this.options.chooseFolder ? await this.options.chooseFolder() : null };
      case 'list-folder':
        if (this.options.browseFrom === undefined) return { error: 'this host has a folder dialog: choose-folder' };
        return listFolder(request.path ?? this.options.browseFrom);
      case 'start-run':
        return this.start(request.settings);
      case 'cancel-run':
        return { cancelled: await this.cancel(request.runId) };
      case 'get-run':
        return { events: this.replayEvents() };
      case 'get-keys':
        return this.keysPage(request.runId, request.panel, request.offset, request.limit);
      case 'export':
        return this.exportResult(request.runId, request.format, request.panel);
      case 'export-image':
        return this.exportImage(request.runId, request.panel, request.format, request.data);
    }
  }

  async info(): Promise<AppInfo> {
    return {
      version: this.options.version,
      cores: this.options.cores,
      maxWorkers: this.limits.maxWorkers,
      host: this.options.host,
      canChooseFolder: this.options.chooseFolder !== undefined,
      ...(this.options.browseFrom !== undefined ? { browseFrom: this.options.browseFrom } : {}),
      sampleFolder: this.options.sampleFolder,
      recentFolders: await this.options.recent.load(),
      ...(this.options.preselectedFolder ? { preselectedFolder: this.options.preselectedFolder } : {}),
      defaults: defaultRunOptions(this.options.cores),
    };
  }

  get isRunning(): boolean {
    return this.active !== undefined;
  }

  private finishedRun(runId: number): FinishedRun | undefined {
    return this.finished?.runId === runId ? this.finished : undefined;
  }

  /** One page of every key of a panel: bounded in keys and in characters, so that no answer is unbounded. */
  private async keysPage(runId: number, panel: PanelName, offset: number, limit: number): Promise<ApiResponse<Extract<ApiRequest, { type: 'get-keys' }>>> {
    const run = this.finishedRun(runId);
    if (!run) return { error: 'no such finished run' };
    const tally = run.result.panels.find((t) => t.name === panel);
    if (!tally) return { error: `the run has no panel ${panel}` };
    // sorted on the first page asked for, once per run, in slices: this loop is the UI's
    const order = await tally.sortedPlacesInSlices();
    const keys: string[] = [];
    const counts: number[] = [];
    const bytes: number[] = [];
    let chars = 0;
    let i = Math.min(offset, order.length);
    for (; i < order.length && keys.length < limit; i++) {
      const entry = tally.entryAt(order[i]!);
      if (keys.length > 0 && chars + entry.key.length > MAX_PAGE_CHARS) break;
      keys.push(entry.key);
      counts.push(entry.count);
      bytes.push(entry.bytes);
      chars += entry.key.length;
    }
    return { keys, counts, bytes, total: order.length, next: i < order.length ? i : null };
  }

  private async start(settings: RunSettings): Promise<ApiResponse<{ type: 'start-run'; settings: RunSettings }>> {
    // checked and claimed before the first await: two requests at once (two tabs, a double
    // click) must not both pass the check and start two runs
    if (this.active || this.starting) return { error: 'a run is in progress: cancel it first' };
    this.starting = true;
    try {
      return await this.begin(settings);
    } finally {
      this.starting = false;
    }
  }

  private async begin(settings: RunSettings): Promise<ApiResponse<{ type: 'start-run'; settings: RunSettings }>> {
    try {
      const st = await fsp.stat(settings.folder);
      if (!st.isDirectory() && !st.isFile()) return { error: `${settings.folder} is neither a folder nor a file` };
    } catch (e) {
      return { error: `cannot read ${settings.folder}: ${describeFsError(e)}` };
    }
    // a recent-folders list that cannot be saved (a read-only home) must not stop the run
    await addRecentFolder(this.options.recent, settings.folder).catch(() => undefined);
    if (this.disposed) return { error: 'logpool is closing' };
    const runId = this.nextRunId++;
    const controller = new AbortController();
    const done = this.execute(runId, settings, controller.signal).finally(() => {
      if (this.active?.runId === runId) this.active = undefined;
    });
    this.active = { runId, controller, done };
    return { runId };
  }

  /** Send an event of a run, and keep what a page connecting later needs to rebuild it. */
  private emitRun(event: AppEvent): void {
    if (event.type === 'run-started') this.replay = { started: event, files: [] };
    else if ((event.type === 'run-progress' || event.type === 'run-live' || event.type === 'run-finished') && this.replay?.started.runId === event.runId) {
      for (const f of event.newFiles) this.replay.files.push(f);
      this.replay.latest = event;
    }
    this.options.emit(event);
  }

  private replayEvents(): AppEvent[] {
    const r = this.replay;
    if (!r) return [];
    // a file's summary grows in place while a run is live: the files kept are as they are now
    return r.latest ? [r.started, { ...r.latest, newFiles: [...r.files], ...(r.latest.type === 'run-progress' ? {} : { changedFiles: [] }) }] : [r.started];
  }

  private async execute(runId: number, settings: RunSettings, signal: AbortSignal): Promise<void> {
    const emit = (event: AppEvent): void => this.emitRun(event);
    // the app's event loop never parses: "serial" is one worker process (one utility process in
    // the desktop app), not the CLI's reading on its own thread
    const serial = settings.executor === 'serial';
    const executor = serial ? 'process' : settings.executor;
    const launcher = this.options.launcher?.({ ...settings, executor });
    const workers = serial ? 1 : settings.workers;
    // a cache folder that cannot be used: the run reads every file; a live run reads plain files
    // to their last line end, which a cached result may not be
    const cache = settings.cache && !settings.follow ? await openResultCache(settings.query, this.options.version, () => undefined) : undefined;
    const tracker = new ProgressTracker(workers);
    const tallies = runTallies(settings.query);
    let pendingFiles: FileSummary[] = [];
    let excluded = 0;
    let topChanged = true;
    let panels = summarize(tallies, settings.top, excluded);
    const started = performance.now();
    const takeFiles = (): FileSummary[] => {
      const files = pendingFiles;
      pendingFiles = [];
      return files;
    };
    const cpu = this.options.cpu && steadyCpu(this.options.cpu);
    const throttle = new EventThrottle(1000 / (this.options.messagesPerSecond ?? 20), () => {
      if (topChanged) {
        panels = summarize(tallies, settings.top, excluded);
        topChanged = false;
      }
      const progress = tracker.snapshot();
      if (cpu && executor !== 'thread') {
        const usage = cpu.sample(progress.lanes.flatMap((l) => (l.pid !== undefined ? [l.pid] : [])));
        for (const lane of progress.lanes) {
          const pct = lane.pid !== undefined ? usage.get(lane.pid) : undefined;
          if (pct !== undefined) lane.cpuPercent = pct;
        }
      }
      emit({ type: 'run-progress', runId, progress, panels, newFiles: takeFiles() });
    });
    emit({ type: 'run-started', runId, settings, workers, executor: launcher?.kind ?? executor });
    const request: RunRequest = {
      roots: [settings.folder],
      query: settings.query,
      patterns: settings.patterns,
      workers,
      executor: launcher ? 'utility' : executor,
      chunksize: 1,
      stallTimeoutMs: DEFAULT_STALL_TIMEOUT_SECONDS * 1000,
      ...(settings.follow ? { toLineEnd: true } : {}),
    };
    try {
      const result = await runAnalysis(request, {
        signal,
        tallies,
        ...(cache ? { cache } : {}),
        ...(launcher ? { launcher } : {}),
        onEvent: (event) => {
          tracker.update(event);
          if (event.type === 'file-done') {
            pendingFiles.push(event.file);
            excluded += event.file.excluded;
            topChanged = true;
          }
          throttle.poke();
        },
      });
      throttle.cancel();
      tracker.finish();
      let live: LiveRun | undefined;
      if (settings.follow && !result.interrupted) {
        live = new LiveRun(runId, settings, result, tracker, emit, this.options.messagesPerSecond);
        live.begin(takeFiles());
        await live.follow(request, launcher ?? launcherFor(executor), signal);
      }
      this.finished = { runId, settings, result };
      emit({
        type: 'run-finished',
        runId,
        // cancelled: the files finished before it stand, and the rest are listed as not read;
        // stopping a live run is how it ends: completed
        outcome: result.interrupted ? 'cancelled' : 'completed',
        ...(result.interrupted ? { unfinished: result.unfinished } : {}),
        progress: tracker.snapshot(),
        totals: result.totals,
        elapsedMs: result.elapsedMs,
        panels: summarize(tallies, settings.top, result.totals.excluded),
        ...(live ? live.last() : { newFiles: takeFiles() }),
      });
    } catch (e) {
      throttle.cancel();
      tracker.finish();
      emit({
        type: 'run-finished',
        runId,
        outcome: 'failed',
        error: e instanceof Error ? e.message : String(e),
        progress: tracker.snapshot(),
        totals: emptyTotals(),
        elapsedMs: performance.now() - started,
        panels: summarize(tallies, settings.top, excluded),
        newFiles: takeFiles(),
      });
    }
  }

  /** Stop the active run (if it is `runId`) and wait until every worker is gone. */
  async cancel(runId?: number): Promise<boolean> {
    const run = this.active;
    if (!run || (runId !== undefined && run.runId !== runId)) return false;
    run.controller.abort();
    await run.done;
    return true;
  }

  /** Quit / window closed: stop whatever runs, leave no worker behind. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.cancel();
  }

  private baseName(run: FinishedRun): string {
    const folder = path.basename(path.resolve(run.settings.folder)) || 'logs';
    return `logpool-${folder}`;
  }

  private async exportResult(runId: number, format: 'csv' | 'json', panel?: PanelName): Promise<ExportOutcome> {
    const run = this.finishedRun(runId);
    if (!run) return { kind: 'error', message: 'nothing to export: no finished run with that id' };
    const panels = panel === undefined ? run.result.panels : run.result.panels.filter((t) => t.name === panel);
    if (panels.length === 0) return { kind: 'error', message: `the run has no ${panel} panel` };
    return this.deliver(`${this.baseName(run)}${panel === undefined ? '' : `-${panel}`}.${format}`, format, async (file) => {
      // every key written is sorted first, in slices (the writers then find the order made)
      for (const tally of panels) if (format === 'csv' || writesEveryKey(tally, run.settings.top)) await tally.sortedPlacesInSlices();
      if (format === 'csv') await writeCsv(file, panels);
      else await writeJsonReport(file, reportToWrite(run.result, run.settings.top));
    });
  }

  private async exportImage(runId: number, panel: PanelName, format: 'png' | 'svg', data: string): Promise<ExportOutcome> {
    const run = this.finishedRun(runId);
    if (!run) return { kind: 'error', message: 'nothing to export: no finished run with that id' };
    const bytes = format === 'png' ? Buffer.from(data.slice(data.indexOf(',') + 1), 'base64') : Buffer.from(data, 'utf8');
    return this.deliver(`${this.baseName(run)}-${panel}-top${run.settings.top}.${format}`, format, async (file) => {
      await writeBytesAtomic(file, bytes);
    });
  }

  private async deliver(fileName: string, format: 'csv' | 'json' | 'png' | 'svg', write: (file: string) => Promise<void>): Promise<ExportOutcome> {
    try {
      return await this.options.exports.deliver(fileName, format, write);
    } catch (e) {
      return { kind: 'error', message: describeFsError(e) };
    }
  }
}

/**
 * The one contract between the renderer and the main process, whatever carries it: Electron IPC
 * (through the preload's API) or the browser host's WebSocket. Requests are a discriminated
 * union answered once; events are pushed by main.
 */
import type { FileSummary } from './file-result';
import type { KeyCount } from './key-count';
import type { ProgressSnapshot } from './progress';
import type { RunTotals } from './run-report';
import type { PanelName } from './panels';
import type { RunOptions } from './query';

export { EXECUTOR_CHOICES, type ExecutorChoice } from './query';

/** What the user set for a run (validated by main before use): the folder, and the options the CLI has too. */
export interface RunSettings extends RunOptions {
  folder: string;
}

/** The most buckets of a time panel the app is sent while a run goes (a year of days, 41 days of hours). */
export const TIME_SERIES_LIMIT = 1000;

/** One panel as the app shows it while a run goes and once it is done. */
export interface PanelSummary {
  name: PanelName;
  /**
   * The first keys in the panel's order: the run's top N; for the time panels (hours, days),
   * the series, up to TIME_SERIES_LIMIT buckets.
   */
  top: KeyCount[];
  distinct: number;
  counted: number;
  bytes: number;
  /** Lines the exclusion lists excluded (book-paths and paths; 0 otherwise). */
  excluded: number;
}

export interface AppInfo {
  version: string;
  cores: number;
  /** The most workers a run may ask for on this machine. */
  maxWorkers: number;
  /** Where the app runs: the desktop app, or a browser against `logpool serve`. */
  host: 'electron' | 'browser';
  /** Whether a native folder dialog exists (the browser host has none: it lists folders itself, `list-folder`). */
  canChooseFolder: boolean;
  /** Where the browser host's folder browser opens: the folder given on the command line, else the home folder. */
  browseFrom?: string;
  sampleFolder: string;
  recentFolders: string[];
  /** A folder given on the command line, preselected. */
  preselectedFolder?: string;
  defaults: Omit<RunSettings, 'folder'>;
}

/** The folders inside one folder, for the browser host's folder browser. */
export interface FolderListing {
  path: string;
  /** null at the root. */
  parent: string | null;
  folders: string[];
  /** How many files the folder holds (their names are not sent). */
  files: number;
  /** More folders than one answer lists. */
  truncated: boolean;
}

export type ExportFormat = 'csv' | 'json' | 'png' | 'svg';

export type ExportOutcome =
  | { kind: 'saved'; path: string }
  /** The browser host: the renderer downloads from this URL. */
  | { kind: 'download'; url: string; fileName: string }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string };

export type ApiRequest =
  | { type: 'get-info' }
  | { type: 'choose-folder' }
  /** The browser host's folder browser: the folders in `path` (absolute), or where it opens. */
  | { type: 'list-folder'; path?: string }
  | { type: 'start-run'; settings: RunSettings }
  | { type: 'cancel-run'; runId: number }
  /** The run in progress or the last one, as the events that rebuild it (a page opened or reloaded mid-run or after it). */
  | { type: 'get-run' }
  /** One page of every key of a panel, in its order: at most `limit` keys, fewer when they are long. */
  | { type: 'get-keys'; runId: number; panel: PanelName; offset: number; limit: number }
  /** The whole result as JSON, or CSV of every panel — or of `panel` alone. */
  | { type: 'export'; runId: number; format: 'csv' | 'json'; panel?: PanelName }
  /** The chart, rendered by the renderer: SVG markup, or a PNG as a data: URL. */
  | { type: 'export-image'; runId: number; panel: PanelName; format: 'png' | 'svg'; data: string };

export interface ApiResponses {
  'get-info': AppInfo;
  'choose-folder': { folder: string | null };
  'list-folder': FolderListing | { error: string };
  'start-run': { runId: number } | { error: string };
  'cancel-run': { cancelled: boolean };
  'get-run': { events: AppEvent[] };
  /** `next`: the offset of the next page, or null after the last. */
  'get-keys': { keys: string[]; counts: number[]; bytes: number[]; total: number; next: number | null } | { error: string };
  export: ExportOutcome;
  'export-image': ExportOutcome;
}

export type ApiResponse<R extends ApiRequest = ApiRequest> = ApiResponses[R['type']];

export type RunOutcome = 'completed' | 'cancelled' | 'failed';

/** A live run (the Live switch): what it has counted since its first pass ended. */
export interface LiveStatus {
  /** When the first pass ended and following began (ms since the epoch). */
  since: number;
  /** When this was said (ms since the epoch): it has followed for now - since. */
  now: number;
  /** Lines counted after the first pass. */
  lines: number;
  /** Files that appeared after the first pass. */
  appeared: number;
  /** Looks at the inputs so far (about two a second). */
  looks: number;
}

/** A file of the run that changed, by its place in the run's list of files as sent (newFiles, in order). */
export interface ChangedFile {
  index: number;
  file: FileSummary;
}

export type AppEvent =
  | { type: 'run-started'; runId: number; settings: RunSettings; workers: number; executor: string }
  /**
   * At most ~20 a second whatever the folder: the progress, the merged top N, and only the files
   * finished since the previous one (never the whole key set).
   */
  | { type: 'run-progress'; runId: number; progress: ProgressSnapshot; panels: PanelSummary[]; newFiles: FileSummary[] }
  /**
   * `unfinished`: for a cancelled run, the files found but not finished (listed as skipped).
   * A live run ends 'completed' when stopped, with `live` (what it counted after the first pass)
   * and the files changed since its last run-live. `elapsedMs` is always the first pass's.
   */
  | { type: 'run-finished'; runId: number; outcome: RunOutcome; error?: string; unfinished?: number; progress: ProgressSnapshot; totals: RunTotals; elapsedMs: number; panels: PanelSummary[]; newFiles: FileSummary[]; changedFiles?: ChangedFile[]; live?: LiveStatus }
  /**
   * A run with the Live switch on: its first pass is done and it follows the inputs until
   * cancel-run (Stop), which ends it as 'completed' with what was counted up to then. Sent when
   * following begins, then at most a few times a second while something is counted: the totals
   * and panels so far, the files that appeared (`newFiles`) and those that grew (`changedFiles`).
   */
  | { type: 'run-live'; runId: number; progress: ProgressSnapshot; totals: RunTotals; elapsedMs: number; panels: PanelSummary[]; newFiles: FileSummary[]; changedFiles: ChangedFile[]; live: LiveStatus }
  /** The transport lost main (the browser host stopped); emitted by the renderer's client. */
  | { type: 'host-gone' }
  /** A native menu item the renderer acts on. */
  | { type: 'menu'; command: 'open-folder' | 'export-csv' | 'export-json' | 'export-png' | 'export-svg' | 'about' };

/** The API the renderer sees (the preload exposes it as window.logpool; the browser host's client implements it too). */
export interface LogpoolApi {
  request<R extends ApiRequest>(request: R): Promise<ApiResponse<R>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
}

/** The renderer's view of the current run, folded from main's events. */
import type { AppEvent, ChangedFile, LiveStatus, PanelSummary, RunOutcome, RunSettings } from '../../shared/app-contract';
import type { FileSummary } from '../../shared/file-result';
import type { ProgressSnapshot } from '../../shared/progress';
import type { RunTotals } from '../../shared/run-report';

export interface RunState {
  runId: number;
  settings: RunSettings;
  workers: number;
  executor: string;
  /** live: the first pass is done and the run follows the folder until stopped (the Live switch). */
  phase: 'running' | 'live' | RunOutcome;
  progress?: ProgressSnapshot;
  /** Each panel's top keys and accounting, in the run's order. */
  panels: PanelSummary[];
  files: FileSummary[];
  totals?: RunTotals;
  elapsedMs?: number;
  error?: string;
  /** Cancelled: files found but not finished (in `files`, as skipped). */
  unfinished?: number;
  /** A live run (or one that was): what it counted after its first pass. */
  live?: LiveStatus;
}

/** The files with those that changed put in their places, and those that appeared after them. */
function withFiles(files: FileSummary[], added: FileSummary[], changed: readonly ChangedFile[] = []): FileSummary[] {
  if (added.length === 0 && changed.length === 0) return files;
  const next = [...files, ...added];
  for (const { index, file } of changed) if (index >= 0 && index < next.length) next[index] = file;
  return next;
}

export function reduceRun(state: RunState | undefined, event: AppEvent): RunState | undefined {
  switch (event.type) {
    case 'run-started':
      return { runId: event.runId, settings: event.settings, workers: event.workers, executor: event.executor, phase: 'running', panels: event.settings.query.panels.map((name) => ({ name, top: [], distinct: 0, counted: 0, bytes: 0, excluded: 0 })), files: [] };
    case 'run-progress':
      if (!state || state.runId !== event.runId) return state;
      return {
        ...state,
        progress: event.progress,
        panels: event.panels,
        files: withFiles(state.files, event.newFiles),
      };
    case 'run-live':
      if (!state || state.runId !== event.runId) return state;
      return {
        ...state,
        phase: 'live',
        progress: event.progress,
        panels: event.panels,
        totals: event.totals,
        elapsedMs: event.elapsedMs,
        files: withFiles(state.files, event.newFiles, event.changedFiles),
        live: event.live,
      };
    case 'run-finished':
      if (!state || state.runId !== event.runId) return state;
      return {
        ...state,
        phase: event.outcome,
        progress: event.progress,
        panels: event.panels,
        totals: event.totals,
        elapsedMs: event.elapsedMs,
        files: withFiles(state.files, event.newFiles, event.changedFiles),
        ...(event.live ? { live: event.live } : {}),
        ...(event.error ? { error: event.error } : {}),
        ...(event.unfinished ? { unfinished: event.unfinished } : {}),
      };
    default:
      return state;
  }
}
